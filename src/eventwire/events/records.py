"""From a settled match to an ``EventCandidate`` record: context keywords, mode keywords,
visit mode, character spans and the entities of the mentions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from eventwire.models import (
    ActorMention,
    Entity,
    EventCandidate,
    EventType,
    Sentence,
    TextSpan,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


from eventwire.events.confidence import _confidence
from eventwire.events.matching import _codes, _Found
from eventwire.events.rules import _Knowledge


def _mode_from_keywords(found: _Found, kb: _Knowledge) -> str | None:
    table = kb.mode_keywords.get(found.type.value) or {}
    text = _clause_text(found.context_tokens)
    lemmas = {t.lemma_.lower() for t in found.context_tokens}
    for mode, words in table.items():
        if any(_keyword_in(str(w).lower(), text, lemmas) for w in words):
            return str(mode)
    return None


def _clause_text(tokens: Sequence[Token]) -> str:
    return " " + " ".join(t.lower_ for t in tokens) + " "


def _keyword_in(word: str, text: str, lemmas: set[str]) -> bool:
    if " " in word:
        return f" {word} " in text
    return word in lemmas or f" {word} " in text


def _clause_tokens(found: _Found) -> tuple[Token, ...]:
    """The words of the event's own clause (other coordinated clauses left out)."""
    root = found.predicate
    skip: set[int] = set()
    for child in root.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and child.i != found.trigger.i:
            skip.update(t.i for t in child.subtree)
    return tuple(t for t in root.subtree if t.i not in skip)


def _contexts(found: _Found, kb: _Knowledge, entities: Sequence[Entity]) -> list[str]:
    text = _clause_text(found.context_tokens)
    lemmas = {t.lemma_.lower() for t in found.context_tokens} | {
        t.lower_ for t in found.context_tokens
    }
    out: list[str] = list(found.rule.context)
    for context, words in kb.context_keywords.items():
        if context not in out and any(_keyword_in(str(w).lower(), text, lemmas) for w in words):
            out.append(str(context))
    if (
        found.type.value in kb.diplomatic_types
        and entities
        and all(_is_government(e, kb) for e in entities)
        and "diplomatic" not in out
    ):
        out.insert(0, "diplomatic")
    return out


def _is_government(entity: Entity, kb: _Knowledge) -> bool:
    if entity.sector:
        return entity.sector in kb.government_sectors
    return entity.kind == "state" and entity.country is not None


def _visit_mode(
    found: _Found, sentence_mentions: Sequence[ActorMention], kb: _Knowledge
) -> str | None:
    """A meeting held in one party's country, with a party from elsewhere, is a visit."""
    codes = _codes(found.actor) | _codes(found.recipient)
    if len(codes) < 2:
        return None
    parties = {(m.token_start, m.token_end) for m in (*found.actor, *found.recipient)}
    locative = kb.words("locative_preps")
    for m in sentence_mentions:
        if (m.token_start, m.token_end) in parties or m.entity.country not in codes:
            continue
        tok = found.trigger.doc[m.head]
        current = tok
        while current.head.i != current.i:
            current = current.head
            if current.dep_ == "prep" and current.lower_ in locative:
                return "visit"
            if current.i == found.predicate.i:
                break
    return None


def _span_of(tokens: Sequence[Token]) -> TextSpan:
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    # the text of the token span, not of the whole doc: Doc.text rebuilds the entire text
    # on every call, which was the single largest cost of extract_events on long articles
    text = first.doc[first.i : last.i + 1].text
    return TextSpan(text=text, start=first.idx, end=first.idx + len(text))


def entities_of(mentions: Iterable[ActorMention]) -> list[Entity]:
    """Entities of the mentions, each once: a state named twice ("Russia", "the two
    countries") is one party; distinct people of one country stay distinct."""
    out: list[Entity] = []
    states: set[tuple[str | None, str | None]] = set()
    for m in mentions:
        entity = m.entity
        if entity in out:
            continue
        if entity.kind == "state":
            key = (entity.country, entity.sector)
            if key in states:
                continue
            states.add(key)
        out.append(entity)
    return out


def _candidate(
    found: _Found, sentence: Sentence, sentence_mentions: Sequence[ActorMention], kb: _Knowledge
) -> EventCandidate:
    if found.mode is None:
        found.mode = _mode_from_keywords(found, kb)
    if found.mode is None and found.type is EventType.CONSULT:
        found.mode = _visit_mode(found, sentence_mentions, kb)
    actor = entities_of(found.actor)
    recipient = [e for e in entities_of(found.recipient) if e not in actor]
    return EventCandidate(
        type=found.type,
        mode=found.mode,
        context=_contexts(found, kb, [*actor, *recipient]),
        cameo=found.cameo,
        actor=actor,
        recipient=recipient,
        sentence=sentence,
        trigger=_span_of(found.tokens),
        tense=found.tense,
        confidence=_confidence(found, kb),
        rule=found.rule_id,
        recipient_by_convention=found.domestic,
    )
