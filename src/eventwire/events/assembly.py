"""Assembly: a sentence's candidates become events. Complements absorbed into their governing
event, pledges and threats, speakers, recipients by convention, events from constructions,
repeats merged, mutual acts coded both ways, visits carried across a document."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from eventwire.codebook import SYMMETRIC_TYPES
from eventwire.models import (
    ActorMention,
    EventCandidate,
    EventType,
    Sentence,
)

if TYPE_CHECKING:
    from spacy.tokens import Span


from eventwire.events.arguments import (
    _domestic_target,
    _mentions_at,
    _scope_recipient,
    _settle_roles,
    _verb_objects,
)
from eventwire.events.clauses import _in_purpose_clause, _speech_verb, _tense
from eventwire.events.constructions import _quote_support, _reported_obligation
from eventwire.events.matching import _codes, _Found, _unique
from eventwire.events.records import _candidate
from eventwire.events.rules import _Knowledge
from eventwire.events.syntax import _forms, _subject_heads

log = logging.getLogger(__name__)

# Dependencies of a clause or word that describes a noun rather than carrying an event's content.
_DESCRIPTION_DEPS = frozenset({"acl", "relcl", "amod", "pcomp", "pobj", "compound"})


def _absorb(found: list[_Found], kb: _Knowledge) -> list[_Found]:
    """A stance's complement ("agreed to cooperate with Y") is its content, not another event."""
    modes = kb.settings.get("complement_modes") or {}
    hostile = kb.words("hostile_complement_types")
    threat_cameo = kb.settings.get("conditional_threat_cameo") or {}
    threat_modes = kb.settings.get("threat_modes") or {}
    absorbed: set[int] = set()
    filled: set[int] = set()
    for outer in found:
        if not outer.complement:
            continue
        if (
            outer.rule.needs_recipient
            and not outer.recipient
            and not _lends_recipient(outer, found)
        ):
            # "gathered for a rally ... to protest the tax": a rally with no one it is aimed at
            # is dropped later, so it must not swallow the protest it hangs beside
            continue
        for inner in found:
            if inner is outer or id(inner) in absorbed or inner.trigger.i not in outer.complement:
                continue
            absorbed.add(id(inner))
            filled.add(id(outer))
            if not outer.recipient:
                outer_keys = {(m.token_start, m.token_end) for m in outer.actor}
                outer_codes = _codes(outer.actor)
                pool = [*inner.actor, *inner.recipient]
                outer.recipient = [
                    m
                    for m in _unique(pool)
                    if (m.token_start, m.token_end) not in outer_keys
                    and (not m.entity.country or m.entity.country not in outer_codes)
                ]
            if not outer.actor:
                outer.actor = list(inner.actor)
            if outer.mode is None:
                outer.mode = (modes.get(outer.type.value) or {}).get(inner.type.value)
            if (
                outer.type is EventType.AGREE
                and inner.type.value.lower() in hostile
                and _is_content(inner, outer)
            ):
                # "vowed to keep attacking ships": a promise of violence is a threat
                outer.type = EventType.THREATEN
                outer.converted = True
                outer.cameo = str(threat_cameo.get(inner.type.value, kb.settings["threat_cameo"]))
                outer.mode = threat_modes.get(inner.type.value)
    needy = kb.words("content_only_rules")
    return [
        f
        for f in found
        if id(f) not in absorbed
        and not (f.rule.id.lower() in needy and id(f) not in filled)
        and not (id(f) not in filled and _is_opinion(f, kb))
    ]


def _lends_recipient(outer: _Found, found: list[_Found]) -> bool:
    """Whether an event inside ``outer``'s complement has a party other than outer's actor."""
    outer_keys = {(m.token_start, m.token_end) for m in outer.actor}
    outer_codes = _codes(outer.actor)
    return any(
        (m.token_start, m.token_end) not in outer_keys
        and (not m.entity.country or m.entity.country not in outer_codes)
        for inner in found
        if inner is not outer and inner.trigger.i in outer.complement
        for m in (*inner.actor, *inner.recipient)
    )


def _is_content(inner: _Found, outer: _Found) -> bool:
    """Whether the inner step is what the stance is about, not a description of a noun in it:
    "offered to hand over men suspected of blowing up a plane" promises no bombing, and
    "agreed to free two detained soldiers" no detention."""
    token = inner.trigger
    while token.i != outer.trigger.i and token.head.i != token.i:
        if token.dep_ in _DESCRIPTION_DEPS:
            return False
        token = token.head
    return True


def _is_opinion(found: _Found, kb: _Knowledge) -> bool:
    """'X agreed that the crisis was serious' shares a view; it pledges nothing. A finite
    content clause with no step in it and no future modal ('agreed that they would
    withdraw' is a pledge) makes a `proposition_lemmas` verb a statement, not AGREE."""
    if not _forms(found.trigger) & kb.words("proposition_lemmas"):
        return False
    clauses = [c for c in found.trigger.children if c.dep_ == "ccomp"]
    if not clauses or any(c.dep_ == "xcomp" for c in found.trigger.children):
        return False
    # any modal ("will", "should", "must") makes the content a course of action
    return not any(t.dep_ == "aux" and t.tag_ == "MD" for c in clauses for t in c.subtree)


def _pronoun_subject(found: _Found, kb: _Knowledge) -> bool:
    """The event's doer is a bare personal pronoun (found as a mention or not) and nothing
    else: in reported speech it then stands for the speaker."""
    if found.trigger.pos_ in ("NOUN", "PROPN"):
        return False
    pronouns = kb.words("pronouns")
    heads = _subject_heads(found.predicate, kb)
    if not heads or any(h.lower_ not in pronouns for h in heads):
        return False
    return all(m.entity.text.lower() in pronouns for m in found.actor)


def _apply_speaker(found: _Found, speaker: list[ActorMention], kb: _Knowledge) -> None:
    """Stances reported by someone of the same side are the speaker's; deeds stay the doer's."""
    if not speaker or found.type.value not in kb.words("speaker_types") | {
        t.upper() for t in kb.words("speaker_types")
    }:
        return
    speaker_codes = _codes(speaker)
    embedded_codes = _codes(found.actor)
    same_side = (
        not found.actor
        or bool(speaker_codes & embedded_codes)
        or any(m.entity.text.lower() in kb.words("first_person_plural") for m in found.actor)
    )
    if not same_side or not speaker_codes:
        return
    parties = _unique([*found.actor, *found.recipient])
    others = [m for m in parties if m.entity.country and m.entity.country not in speaker_codes]
    found.actor = list(speaker)
    found.recipient = others or [m for m in found.recipient if m not in speaker]


def _dedupe(found: list[_Found], kb: _Knowledge) -> list[_Found]:
    """One event per happening: merge same-type events sharing parties; one stance per dyad."""
    out: list[_Found] = []
    for f in sorted(found, key=lambda f: f.trigger.i):
        keys = {(m.token_start, m.token_end) for m in (*f.actor, *f.recipient)}
        merged = False
        for g in out:
            if g.type is not f.type:
                continue
            g_keys = {(m.token_start, m.token_end) for m in (*g.actor, *g.recipient)}
            if keys & g_keys or keys == g_keys:
                g.actor = _unique([*g.actor, *f.actor])
                g.recipient = _unique([*g.recipient, *f.recipient])
                _settle_roles(g, kb)
                merged = True
                break
        if not merged:
            out.append(f)
    groups = [set(g) for g in kb.settings.get("merge_groups") or []]
    kept: list[_Found] = []
    for f in out:
        codes = _codes([*f.actor, *f.recipient])
        clash = any(
            g.type is not f.type
            and any(f.type.value in grp and g.type.value in grp for grp in groups)
            and codes
            and _codes([*g.actor, *g.recipient]) == codes
            for g in kept
        )
        if not clash:
            kept.append(f)
    return kept


def assemble(
    found: list[_Found],
    sent: Span,
    sentence: Sentence,
    mentions: Sequence[ActorMention],
    kb: _Knowledge,
) -> list[EventCandidate]:
    """The sentence's candidates as events: pledges and threats, speakers, recipients by
    convention, events built from constructions, repeats merged, mutual acts both ways."""
    final = [s for f in found if (s := _settled(f, mentions, kb)) is not None]
    final.extend(_quote_support(sent, final, mentions, kb))
    final.extend(_reported_obligation(sent, final, mentions, kb))
    final = _dedupe(final, kb)
    out: list[EventCandidate] = []
    for f in final:
        candidate = _candidate(f, sentence, mentions, kb)
        out.append(candidate)
        if _is_mutual_dyad(f):
            # "Iran signed an agreement with Russia": both sides did it, so both directions
            # are events (types between equals pool the parties in actor instead)
            update = {"actor": candidate.recipient, "recipient": candidate.actor}
            out.append(candidate.model_copy(update=update))
    return out


def _settled(f: _Found, mentions: Sequence[ActorMention], kb: _Knowledge) -> _Found | None:
    """Future tense, the speaker and the recipient settled; None when the event lacks a party."""
    _announced(f, kb)
    speech = _speech_verb(f, kb)
    if speech is not None:
        speaker = _unique(
            m for h in _subject_heads(speech, kb) for m in _mentions_at(h, mentions, kb)
        )
        named_speaker = any(m.entity.text.lower() not in kb.words("pronouns") for m in speaker)
        if named_speaker and _pronoun_subject(f, kb):
            # "Japan said it had halted aid": the reported pronoun is the speaker
            f.actor = list(speaker)
            f.recipient = [m for m in f.recipient if m not in speaker]
        _apply_speaker(f, speaker, kb)
    rule = f.rule
    if rule.needs_recipient and not f.recipient:
        return None
    if rule.needs_object_party and not any(
        _mentions_at(h, mentions, kb) for h in _verb_objects(f.trigger, f.predicate)
    ):
        log.debug("dropped %s at %r: its object is no party", f.rule_id, f.trigger)
        return None
    _conventional_recipient(f, mentions, kb)
    if rule.needs_recipient_or_plural and not f.recipient and len(f.actor) < 2:
        return None
    if not f.actor:
        log.debug("dropped %s at %r: no actor", f.rule_id, f.trigger)
        return None
    if rule.actor_sectors and not any(
        m.entity.kind == "state" or (m.entity.sector or "").lower() in rule.actor_sectors
        for m in f.actor
    ):
        log.debug("dropped %s at %r: no actor of its sectors", f.rule_id, f.trigger)
        return None
    if _in_purpose_clause(f, kb):
        log.debug("dropped %s at %r: purpose of another deed", f.rule_id, f.trigger)
        return None
    return f


def _announced(f: _Found, kb: _Knowledge) -> None:
    """A deed announced for the future is a pledge (AGREE) or a threat (THREATEN)."""
    future_map = kb.settings.get("future_to_agree") or {}
    future_threat = kb.settings.get("future_to_threaten") or {}
    if f.tense == "future" and f.type.value in future_map:
        f.type, f.cameo, f.mode = EventType.AGREE, str(future_map[f.type.value]), None
        f.converted = True
    elif f.tense == "future" and f.type.value in future_threat:
        f.type, f.cameo = EventType.THREATEN, str(future_threat[f.type.value])
        f.converted = True
        f.mode = (kb.settings.get("threat_modes") or {}).get(f.rule.type.value)
    if f.converted and f.tense == "future":
        # A pledge or threat happens when it is voiced: the speech verb's time, or now.
        speech = _speech_verb(f, kb)
        f.tense = _tense(speech, kb, reported=False) if speech is not None else "present"


def _conventional_recipient(f: _Found, mentions: Sequence[ActorMention], kb: _Knowledge) -> None:
    """No named recipient: the scope of the event's phrase, or by PLOVER's convention the
    state where it happens (see ``_domestic_target``)."""
    if (
        not f.recipient
        and not f.rule.mutual
        and not f.rule.needs_recipient_or_plural
        and f.type.value.lower() in kb.words("scope_recipient_types")
    ):
        f.recipient = _scope_recipient(f, mentions, kb)
    if not f.recipient and f.type.value.lower() in kb.words("domestic_recipient_types"):
        f.recipient = _domestic_target(f, mentions, kb)
        f.domestic = bool(f.recipient)


def _is_mutual_dyad(found: _Found) -> bool:
    return (
        found.rule.mutual
        and found.type is found.rule.type  # not a refusal, threat or pledge made of it
        and found.type not in SYMMETRIC_TYPES
        and not found.converted
        and bool(found.actor)
        and bool(found.recipient)
        and not found.domestic
    )


def _propagate_visits(candidates: list[EventCandidate]) -> list[EventCandidate]:
    """Meetings reported after a visit between the same countries belong to that visit."""
    visits: list[frozenset[str]] = []
    out: list[EventCandidate] = []
    for c in candidates:
        if c.type is EventType.CONSULT:
            codes = frozenset(e.country for e in (*c.actor, *c.recipient) if e.country)
            if c.mode == "visit" and len(codes) >= 2:
                visits.append(codes)
            elif c.mode is None and codes in visits:
                c = c.model_copy(update={"mode": "visit"})
        out.append(c)
    return out
