"""The classify step's policy: the thresholds by which the learned model and the trigger rules
share the work (``events.classify``). A model folder's ``event_types.json`` sets them; the
``event_policy`` setting (``--event-policy NAME=VALUE``) overrides single ones for a run.

Here, not in ``events``, so that ``Knowledge`` can check a run's overrides when it is built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from eventwire.errors import KnowledgeError


@dataclass(frozen=True)
class Policy:
    """Thresholds of the classify step (see ``events.classify``)."""

    keep: float = 0.3
    retype: float = 0.6
    add: float = 0.7
    add_where_rules_silent: bool = False
    """Add the model's events only to sentences where no trigger rule fired."""
    add_without_actor: float = 1.01
    """Read sentences whose main predicate names no actor too and add the types the model
    gives at least this there (above 1: never); the role scorer must find the actor."""
    roles_for_rule_events: bool = True
    """Let the role scorer re-read the parties of rule events too (else only of added ones)."""
    roles_fill_recipient: bool = False
    """Where a rule event names no recipient, take the one the role scorer reads, if any."""
    veto: float = 0.0
    """Drop a sentence's rule events when the model gives every type less than this: it reads
    no event there at all (unlike ``keep``, a rule whose type the model doubts is not dropped)."""
    quoted_keep: float = 0.0
    """A rule event triggered inside a direct quotation stays only where the model gives its
    type at least this (``events.quotes``); 0 trusts the rules there as elsewhere. A sentence
    left without rule events counts as one where no rule fired."""


def with_overrides(policy: Policy, overrides: Mapping[str, float | bool]) -> Policy:
    """``policy`` with the named thresholds replaced; an unknown name, or a number for a
    switch (or a switch for a number), is a KnowledgeError naming it."""
    kinds = {f.name: f.type for f in fields(Policy)}
    for name, value in overrides.items():
        if name not in kinds:
            known = ", ".join(sorted(kinds))
            raise KnowledgeError(f"event policy: unknown field {name!r} (known: {known})")
        switch = kinds[name] in (bool, "bool")
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if (switch and not isinstance(value, bool)) or (
            not switch and not (number and math.isfinite(value))
        ):
            wanted = "true or false" if switch else "a finite number"
            raise KnowledgeError(f"event policy: {name} must be {wanted}, not {value!r}")
    return replace(policy, **overrides)  # type: ignore[arg-type]
