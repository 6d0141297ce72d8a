"""Candidate events from the trigger rules: a match per token, clause checks, arguments.
The first step of the events stage; ``assembly`` follows, then the document-level ``classify``."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from eventwire.models import (
    ActorMention,
    EventType,
)

if TYPE_CHECKING:
    from spacy.tokens import Span


from eventwire.events.arguments import _arguments
from eventwire.events.assembly import _absorb
from eventwire.events.clauses import (
    _conditional_threat,
    _is_background,
    _is_habitual,
    _is_hypothetical,
    _is_negated,
    _is_no_comment,
    _is_refusal,
    _is_sport,
    _is_wish,
    _speech_verb,
    _tense,
)
from eventwire.events.matching import _Found, _match
from eventwire.events.records import _clause_tokens
from eventwire.events.rules import _Knowledge
from eventwire.events.syntax import _forms

log = logging.getLogger(__name__)


def find_candidates(sent: Span, mentions: Sequence[ActorMention], kb: _Knowledge) -> list[_Found]:
    """Candidate events of a sentence from the trigger rules, each with its arguments.

    One match per token (the most constrained rule first); a light verb's noun and a manner
    phrase belong to their verb's event. Negated, background and hypothetical events are
    dropped here; refusals and conditional threats are re-typed (clause checks).
    """
    found: list[_Found] = []
    for token in sent:
        for rule in kb.candidates(_forms(token)):
            match = _match(rule, token, kb)
            if match is not None:
                found.append(match)
                break
    # the noun of a light verb ("lodged a protest") is part of that event, not another one
    objects = {f.obj.i for f in found if f.obj is not None}
    found = [f for f in found if f.trigger.i not in objects]
    # nor is a manner phrase on another trigger ("resigned in protest")
    triggers = {f.trigger.i for f in found}
    found = [
        f
        for f in found
        if not (
            f.trigger.pos_ in ("NOUN", "PROPN")
            and f.trigger.head.dep_ == "prep"
            and f.trigger.head.lower_ in kb.words("manner_preps")
            and f.trigger.head.head.i in triggers
        )
    ]
    kept = [c for f in found if (c := _checked(f, sent, mentions, kb)) is not None]
    return _absorb(kept, kb)


def _checked(
    f: _Found, sent: Span, mentions: Sequence[ActorMention], kb: _Knowledge
) -> _Found | None:
    """One match through the clause checks, with its arguments; None when it is dropped."""
    f.reported = _speech_verb(f, kb) is not None
    if _is_negated(f, kb) and _is_refusal(f, kb):
        refusal = kb.settings.get("refusal") or {}
        modes = (kb.settings.get("complement_modes") or {}).get("REJECT") or {}
        f.mode = modes.get(f.type.value)
        f.type, f.cameo, f.converted = EventType.REJECT, str(refusal["cameo"]), True
        if _is_background(f, kb):
            return None
    elif _is_background(f, kb) or _is_negated(f, kb) or _is_sport(f, sent, kb):
        log.debug("dropped %s at %r (background/negated)", f.rule_id, f.trigger)
        return None
    elif _conditional_threat(f, kb):
        threat = kb.settings.get("conditional_threat_cameo") or {}
        f.type, f.cameo = (
            EventType.THREATEN,
            str(threat.get(f.type.value, kb.settings["threat_cameo"])),
        )
        f.converted = True
        f.mode = (kb.settings.get("threat_modes") or {}).get(f.rule.type.value)
    elif _is_hypothetical(f, kb) or _is_wish(f, kb) or _is_habitual(f, kb) or _is_no_comment(f, kb):
        log.debug("dropped %s at %r (background/negated/hypothetical)", f.rule_id, f.trigger)
        return None
    _arguments(f, mentions, kb)
    f.tense = _tense(f.predicate, kb, f.reported)
    f.context_tokens = _clause_tokens(f)
    return f
