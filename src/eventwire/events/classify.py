"""The classify step: a learned model decides event-or-not and the type; rules give arguments.

Policy when model and rules disagree (thresholds live with the model, tuned on the dev split
of the annotated corpus, never on the test split or the GSR):
- a rule candidate whose type the model gives at least ``keep`` stays as it is;
- else, if the sentence's most probable type reaches ``retype`` and no kept event of the
  sentence has that type, the candidate takes it (its arguments stay, its mode goes);
- else the candidate is dropped: the model does not read an event of that type there;
- a type reaching ``add`` that no kept candidate of the sentence has becomes a new event
  with the arguments of the sentence's main predicate (``generic``), if an actor is found.
Sentences without any actor mention are never sent to the model: nothing there can be coded;
nor are sentences whose rule events the policy can neither drop nor re-type nor add to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventwire import codebook
from eventwire.events.generic import generic_arguments
from eventwire.events.model import EventTypeModel, Policy, event_model
from eventwire.events.records import entities_of
from eventwire.events.role_model import role_scorer
from eventwire.events.roles import Roles
from eventwire.knowledge import Knowledge
from eventwire.models import (
    ActorMention,
    Entity,
    EventCandidate,
    EventType,
    Sentence,
    TextSpan,
)

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Span

    from eventwire.events.rules import _Knowledge
    from eventwire.nlp import ParsedDocument


@dataclass(frozen=True)
class _Sentence:
    span: Span
    probs: np.ndarray | None
    """The model's probabilities per type; None where only the role scorer reads it."""
    mentions: Sequence[ActorMention]


def _needs_model(index: int, by_index: dict[int, list[EventCandidate]], policy: Policy) -> bool:
    """Whether the policy can use the model's reading of this sentence at all."""
    if not by_index.get(index):
        return True  # the model may add events where no rule fired
    can_review = policy.keep > 0 or policy.retype <= 1
    return can_review or not policy.add_where_rules_silent


def _probabilities(
    parsed: ParsedDocument,
    by_sentence: dict[int, list[ActorMention]],
    by_index: dict[int, list[EventCandidate]],
    model: EventTypeModel,
) -> dict[int, _Sentence]:
    spans = list(parsed.doc.sents)[: len(parsed.sentences)]
    wanted = [
        i
        for i in range(len(spans))
        if by_sentence.get(i) and _needs_model(i, by_index, model.policy)
    ]
    probs = model.predict([spans[i].text for i in wanted])
    return {i: _Sentence(spans[i], probs[k], by_sentence[i]) for k, i in enumerate(wanted)}


def _review(
    cands: list[EventCandidate], s: _Sentence, model: EventTypeModel, book: codebook.Codebook
) -> list[EventCandidate]:
    policy = model.policy
    probs = s.probs
    assert probs is not None  # reviewed sentences are the ones the model read
    best = int(probs.argmax())
    kept: list[EventCandidate] = []
    for c in cands:
        p = float(probs[model.labels.index(c.type.value)])
        if p >= policy.keep:
            kept.append(c)  # its confidence stays the rules' own, calibrated on team data
            continue
        label = model.labels[best]
        if probs[best] >= policy.retype and label not in {k.type.value for k in kept}:
            new = EventType(label)
            kept.append(
                c.model_copy(
                    update={
                        "type": new,
                        "mode": None,
                        "cameo": book.plover_to_cameo(new),
                        "confidence": round(float(probs[best]), 3),
                        "rule": f"{c.rule}>model",
                    }
                )
            )
    return kept


def _added(
    s: _Sentence,
    have: set[str],
    sentence_record: Sentence,
    model: EventTypeModel,
    book: codebook.Codebook,
    kb: _Knowledge,
) -> list[EventCandidate]:
    out: list[EventCandidate] = []
    probs = s.probs
    assert probs is not None  # only sentences the model read get events added
    for j, label in enumerate(model.labels):
        if probs[j] < model.policy.add or label in have:
            continue
        found = generic_arguments(s.span, s.mentions, kb)
        if found is None:
            return out
        actor_mentions, recipient_mentions, predicate = found
        actor = entities_of(actor_mentions)
        new = EventType(label)
        out.append(
            EventCandidate(
                type=new,
                cameo=book.plover_to_cameo(new),
                actor=actor,
                recipient=[e for e in entities_of(recipient_mentions) if e not in actor],
                sentence=sentence_record,
                trigger=TextSpan(
                    text=predicate.text, start=predicate.idx, end=predicate.idx + len(predicate)
                ),
                tense="past" if predicate.tag_ in ("VBD", "VBN") else "present",
                confidence=round(float(probs[j]), 3),
                rule="model",
            )
        )
    return out


def _with_roles(
    c: EventCandidate, s: _Sentence, scorer: Roles, from_rules: bool, kb: _Knowledge
) -> EventCandidate | None:
    """The candidate with the parties the role scorer reads; its own parties where it reads
    no actor; None when nobody can be the actor."""
    read = scorer.read(c, s.span, s.mentions, from_rules, kb.words("speech_verbs"))
    if read is None:
        return c if c.actor else None
    actor: list[ActorMention] = []
    recipient: list[ActorMention] = []
    for m, p in zip(s.mentions, read, strict=True):
        if p["actor"] >= scorer.thresholds["actor"] and p["actor"] >= p["recipient"]:
            actor.append(m)
        elif p["recipient"] >= scorer.thresholds["recipient"]:
            recipient.append(m)
    if not actor:
        return c if c.actor else None
    actors = entities_of(actor)
    recipients = [e for e in entities_of(recipient) if e not in actors]
    return c.model_copy(update={"actor": actors, "recipient": recipients})


def _filled(c: EventCandidate, s: _Sentence, scorer: Roles, kb: _Knowledge) -> EventCandidate:
    """A rule event without a named recipient (none, or only PLOVER's default), with the one
    the role scorer reads (its actor stays)."""
    if (c.recipient and not c.recipient_by_convention) or c.type in codebook.SYMMETRIC_TYPES:
        return c
    read = _with_roles(c, s, scorer, True, kb)
    if read is None or not read.recipient:
        return c

    # not a part of the actor's own words ("Nigeria" in "Nigeria's president"), and the
    # widest of nested mentions ("Niger's leader", not also "Niger")
    def span(e: Entity) -> tuple[int, int]:
        return (e.start or 0, e.end or 0)

    taken = [span(e) for e in c.actor]
    outside = [e for e in read.recipient if not any(_overlap(span(e), other) for other in taken)]
    recipients = [
        e for e in outside if not any(o is not e and _inside(span(e), span(o)) for o in outside)
    ]
    if not recipients:
        return c
    return c.model_copy(update={"recipient": recipients, "recipient_by_convention": False})


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


def _parties(
    kept: list[EventCandidate],
    s: _Sentence,
    scorer: Roles,
    policy: Policy,
    kb: _Knowledge,
) -> list[EventCandidate]:
    out = []
    for k in kept:
        from_model = (k.rule or "").endswith("model")
        if not from_model and not policy.roles_for_rule_events:
            out.append(_filled(k, s, scorer, kb) if policy.roles_fill_recipient else k)
            continue
        # a rule's own choice of parties is a feature only where the rule's type stands
        read = _with_roles(k, s, scorer, not from_model, kb)
        if read is not None:
            out.append(read)
    return out


def classify(
    parsed: ParsedDocument,
    mentions: Sequence[ActorMention],
    candidates: Sequence[EventCandidate],
    *,
    knowledge: Knowledge,
    kb: _Knowledge,
    model: EventTypeModel | None = None,
    roles: Roles | None = None,
) -> list[EventCandidate]:
    """The document's events after the model's reading; rule candidates unchanged when the
    model is switched off. ``model`` overrides the knowledge's (for tuning thresholds)."""
    model = model or event_model(knowledge)
    if model is None:
        return list(candidates)
    by_sentence: dict[int, list[ActorMention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    by_index: dict[int, list[EventCandidate]] = {}
    for c in candidates:
        by_index.setdefault(c.sentence.index, []).append(c)
    sentences = _probabilities(parsed, by_sentence, by_index, model)
    spans = list(parsed.doc.sents)
    scorer = role_scorer(knowledge) if roles is None else roles
    book = codebook.of(knowledge)
    out: list[EventCandidate] = []
    for index in sorted(set(by_index) | set(sentences)):
        cands = by_index.get(index, [])
        s = sentences.get(index)
        if s is None:
            if scorer is not None and model.policy.roles_fill_recipient and index in by_sentence:
                # the model's reading is not needed here, the role scorer's still is
                plain = _Sentence(spans[index], None, by_sentence[index])
                cands = [_filled(c, plain, scorer, kb) for c in cands]
            out.extend(cands)
            continue
        kept = _review(cands, s, model, book)
        have = {k.type.value for k in kept}
        if not (model.policy.add_where_rules_silent and cands):
            kept += _added(s, have, parsed.sentences[index], model, book, kb)
        if scorer is not None:
            kept = _parties(kept, s, scorer, model.policy, kb)
        out.extend(kept)
    return out
