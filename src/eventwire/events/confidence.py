"""Confidence of an event from the reliability of its features (pattern, clause, arguments,
speech), calibrated on the team's own data (``settings.confidence`` in triggers.yaml)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

from eventwire.events.clauses import _clause_chain
from eventwire.events.matching import _Found, _unique
from eventwire.events.rules import _Knowledge

_DERIVED_RULES = frozenset({"quote_partnership", "reported_obligation"})


def confidence_features(found: _Found, kb: _Knowledge) -> dict[str, str]:
    """The evidence a confidence is read from, as feature -> value (see docs/events.md).

    Kept coarse on purpose: each value must be seen often enough in the team's own data for
    its reliability to be estimated there."""
    rule = found.rule
    if found.rule_id in _DERIVED_RULES or found.converted:
        pattern = "derived"
    elif found.trigger.pos_ in ("NOUN", "PROPN"):
        pattern = "noun"
    elif rule.specific or rule.objects or rule.particle:
        pattern = "specific"
    else:
        pattern = "verb"
    chain = _clause_chain(found.predicate)
    top = chain[-1]
    if top.dep_ == "ROOT" or (top.dep_ in ("ccomp", "parataxis") and top.head.dep_ == "ROOT"):
        clause = "main"
    else:
        clause = "embedded"
    parties = _unique([*found.actor, *found.recipient])
    coded = bool(found.actor) and all(m.entity.country or m.entity.org for m in found.actor)
    pronouns = kb.words("pronouns")
    unresolved = any(
        m.entity.text.lower() in pronouns and m.antecedent is None for m in found.actor
    )
    if not coded or unresolved:
        arguments = "uncoded"
    elif (found.recipient and not found.domestic) or (rule.mutual and len(parties) >= 2):
        arguments = "dyad"
    else:
        arguments = "actor"
    return {
        "pattern": pattern,
        "clause": clause,
        "arguments": arguments,
        "speech": "reported" if found.reported else "direct",
    }


def _confidence(found: _Found, kb: _Knowledge) -> float:
    """Reliability of the event's evidence, combined as log-odds.

    Each feature value has a reliability (the share of type-correct events with that value)
    measured on the team's own gold and example sentences; ``triggers.yaml`` keeps the table
    under ``confidence``. The values are combined naive-Bayes style around the overall prior,
    so a feature that is no better than average leaves the score where it is."""
    table = kb.settings.get("confidence") or {}
    prior = float(table.get("prior", 0.7))
    logit = _logit(prior)
    reliability = table.get("reliability") or {}
    for name, value in confidence_features(found, kb).items():
        rate = (reliability.get(name) or {}).get(value)
        if rate is not None:
            logit += _logit(float(rate)) - _logit(prior)
    score = 1.0 / (1.0 + math.exp(-logit))
    return round(min(0.95, max(0.05, score)), 2)


def feature_reliability(
    records: Iterable[tuple[Mapping[str, str], bool]], *, strength: float = 4.0
) -> dict[str, Any]:
    """The ``confidence`` table of triggers.yaml from coded events of the team's own gold:
    ``records`` pairs each event's confidence_features with whether it was right. Each
    value's share of right events is shrunk toward the overall share by ``strength``
    pseudo-events, so a value seen twice cannot swing the score."""
    rows = list(records)
    if not rows:
        raise ValueError("no coded events to estimate reliability from")
    prior = sum(ok for _, ok in rows) / len(rows)
    counts: dict[tuple[str, str], list[int]] = {}
    for features, ok in rows:
        for name, value in features.items():
            right_total = counts.setdefault((name, value), [0, 0])
            right_total[0] += int(ok)
            right_total[1] += 1
    table: dict[str, dict[str, float]] = {}
    for (name, value), (right, total) in sorted(counts.items()):
        table.setdefault(name, {})[value] = round(
            (right + strength * prior) / (total + strength), 3
        )
    return {"prior": round(prior, 3), "reliability": table}


def _logit(p: float) -> float:
    p = min(0.99, max(0.01, p))
    return math.log(p / (1.0 - p))
