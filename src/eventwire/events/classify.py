"""The classify step: a learned model decides event-or-not and the type; rules give arguments.

Policy when model and rules disagree (thresholds live with the model, tuned on the dev split
of the annotated corpus, never on the test split or the GSR):
- a rule candidate whose type the model gives at least ``keep`` stays as it is;
- else, if the sentence's most probable type reaches ``retype`` and no kept event of the
  sentence has that type, the candidate takes it (its arguments stay, its mode goes);
- else the candidate is dropped: the model does not read an event of that type there;
- a type reaching ``add`` that no kept candidate of the sentence has becomes a new event
  with the arguments of the sentence's main predicate (``generic``), if an actor is found;
  its trigger is the sentence's word the trigger lexicon gives that type, if any, else the
  main predicate.
- a rule candidate triggered inside a direct quotation stays only if the model gives its type
  at least ``quoted_keep`` (when set): in a speaker's own words the rules mostly misfire; a
  sentence whose rule candidates all go is one where no rule fired;
- a sentence whose main predicate names no actor (a passive: "civilians were killed in the
  Turkish bombardment") is read when ``add_without_actor`` is at most 1, and a type reaching
  it becomes an event whose parties the role scorer reads (none found: no event). The shipped
  policy sets 0.8 (since session 19): it finds events in their own sentence that nothing else
  reaches, at the cost of reading about 60% more sentences.
Sentences without any actor mention are never sent to the model: nothing there can be coded;
nor are sentences whose rule events the policy can neither drop nor re-type nor add to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from eventwire import codebook
from eventwire.events.arguments import own_state
from eventwire.events.generic import Arguments, generic_arguments, main_predicate
from eventwire.events.model import EventTypeModel, Policy, event_model
from eventwire.events.quotes import inside, quoted_spans
from eventwire.events.records import entities_of
from eventwire.events.role_model import role_scorer
from eventwire.events.roles import Reading, Roles
from eventwire.events.syntax import _forms
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
    from spacy.tokens import Span, Token

    from eventwire.events.rules import _Knowledge
    from eventwire.nlp import ParsedDocument

MODEL_RULE = "model"
"""The ``rule`` of a candidate the classifier added, where no trigger rule coded it."""


@dataclass(frozen=True)
class _Sentence:
    span: Span
    probs: np.ndarray | None
    """The model's probabilities per type; None where only the role scorer reads it."""
    mentions: Sequence[ActorMention]
    arguments: Arguments | None = None
    """Who acts in the sentence's main predicate (``generic``), read once where the model may
    add events; None where nobody does or it is not needed."""


def _needs_model(
    index: int,
    by_index: dict[int, list[EventCandidate]],
    policy: Policy,
    can_add: Callable[[int], bool],
) -> bool:
    """Whether the policy can use the model's reading of this sentence at all."""
    if not by_index.get(index):
        # the model may add events where no rule fired, if the sentence names who acts
        return can_add(index)
    can_review = policy.keep > 0 or policy.retype <= 1 or policy.veto > 0
    return can_review or not policy.add_where_rules_silent


def _probabilities(
    parsed: ParsedDocument,
    by_sentence: dict[int, list[ActorMention]],
    by_index: dict[int, list[EventCandidate]],
    model: EventTypeModel,
    kb: _Knowledge,
    to_judge: set[int],
) -> dict[int, _Sentence]:
    """The model's reading of the sentences the policy can use it in, and of ``to_judge``
    (sentences with rule candidates only the model can confirm)."""
    spans = list(parsed.doc.sents)[: len(parsed.sentences)]
    policy = model.policy
    arguments: dict[int, Arguments | None] = {}

    def arguments_of(i: int) -> Arguments | None:
        if i not in arguments:
            found = generic_arguments(spans[i], by_sentence[i], kb)
            if found is None and policy.add_without_actor <= 1:
                found = ([], [], main_predicate(spans[i], kb)[0])
            arguments[i] = found
        return arguments[i]

    def can_add(i: int) -> bool:
        # an added event takes its actor from the main predicate: where there is none, the
        # model's reading could not be used (about a third of sentences)
        return arguments_of(i) is not None

    wanted = [
        i
        for i in range(len(spans))
        if by_sentence.get(i) and (i in to_judge or _needs_model(i, by_index, policy, can_add))
    ]
    probs = model.predict([spans[i].text for i in wanted])
    return {
        i: _Sentence(
            spans[i],
            probs[k],
            by_sentence[i],
            None if policy.add_where_rules_silent and by_index.get(i) else arguments_of(i),
        )
        for k, i in enumerate(wanted)
    }


def _trusted(c: EventCandidate, s: _Sentence | None, model: EventTypeModel) -> bool:
    """Whether a rule candidate triggered inside a quotation stays: only where the model read
    the sentence and gives the candidate's type at least ``quoted_keep``."""
    if s is None or s.probs is None:
        return False
    return float(s.probs[model.labels.index(c.type.value)]) >= model.policy.quoted_keep


def _review(
    cands: list[EventCandidate], s: _Sentence, model: EventTypeModel, book: codebook.Codebook
) -> list[EventCandidate]:
    policy = model.policy
    probs = s.probs
    assert probs is not None  # reviewed sentences are the ones the model read
    best = int(probs.argmax())
    if probs[best] < policy.veto:
        return []
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


def _evidence_word(span: Span, label: str, predicate: Token, kb: _Knowledge) -> Token:
    """The word an added event is shown by (its trigger, which the role model also marks):
    a word the trigger lexicon gives its type, the one nearest the root ("civilians were
    killed in the bombardment", not "were"); else the sentence's main predicate."""
    words = kb.type_words(label)
    found = [t for t in span if t.pos_ in ("VERB", "NOUN", "ADJ") and _forms(t) & words]
    if not found:
        return predicate
    return min(found, key=lambda t: (len(list(t.ancestors)), abs(t.i - predicate.i)))


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
    if s.arguments is None:
        return out
    actor_mentions, recipient_mentions, predicate = s.arguments
    actor = entities_of(actor_mentions)
    threshold = model.policy.add if actor_mentions else model.policy.add_without_actor
    for j, label in enumerate(model.labels):
        if probs[j] < threshold or label in have:
            continue
        new = EventType(label)
        word = _evidence_word(s.span, label, predicate, kb)
        out.append(
            EventCandidate(
                type=new,
                cameo=book.plover_to_cameo(new),
                actor=list(actor),
                recipient=[e for e in entities_of(recipient_mentions) if e not in actor],
                sentence=sentence_record,
                trigger=TextSpan(text=word.text, start=word.idx, end=word.idx + len(word)),
                tense="past" if predicate.tag_ in ("VBD", "VBN") else "present",
                confidence=round(float(probs[j]), 3),
                rule=MODEL_RULE,
            )
        )
    return out


def _with_roles(
    c: EventCandidate, s: _Sentence, read: Reading, thresholds: dict[str, float]
) -> EventCandidate | None:
    """The candidate with the parties the role scorer reads; its own parties where it reads
    no actor; None when nobody can be the actor."""
    if read is None:
        return c if c.actor else None
    actor: list[ActorMention] = []
    recipient: list[ActorMention] = []
    for m, p in zip(s.mentions, read, strict=True):
        if p["actor"] >= thresholds["actor"] and p["actor"] >= p["recipient"]:
            actor.append(m)
        elif p["recipient"] >= thresholds["recipient"] and p["recipient"] >= p["none"]:
            recipient.append(m)
    if not actor:
        return c if c.actor else None
    if not recipient and c.type not in codebook.SYMMETRIC_TYPES and not _co_doers(c):
        actor, recipient = _split_sides(
            actor, {id(m): p for m, p in zip(s.mentions, read, strict=True)}
        )
    actors = entities_of(actor)
    recipients = [e for e in entities_of(recipient) if e not in actors]
    return c.model_copy(update={"actor": actors, "recipient": recipients})


def _from_model(c: EventCandidate) -> bool:
    """Whether the classifier added the candidate (no trigger rule coded it)."""
    return (c.rule or "").endswith(MODEL_RULE)


def _co_doers(c: EventCandidate) -> bool:
    """Whether a trigger rule read parties of two codes as doers together ("Iran and Russia
    signed an agreement"): the parse saw them coordinated, so they stay one side."""
    return not _from_model(c) and len({e.code for e in c.actor if e.code}) > 1


def _split_sides(
    actor: list[ActorMention], read: dict[int, dict[str, float]]
) -> tuple[list[ActorMention], list[ActorMention]]:
    """A directed event has a doer's side and a target's: when the scorer reads parties of
    two codes as doers and nobody as target ("X told Trump", "X says Turkey is..."), the
    party it finds likelier a target than the most likely doer becomes the recipient."""
    if len({m.entity.code for m in actor}) < 2:
        return actor, []
    best = max(actor, key=lambda m: read[id(m)]["actor"])
    others = [
        m
        for m in actor
        if m.entity.code != best.entity.code and not _overlap(_chars(m.entity), _chars(best.entity))
    ]
    if not others:
        return actor, []
    target = max(others, key=lambda m: read[id(m)]["recipient"]).entity.code
    return (
        [m for m in actor if m.entity.code != target],
        [m for m in actor if m.entity.code == target],
    )


def _fillable(c: EventCandidate) -> bool:
    """A directed event without a named recipient (none, or only PLOVER's default), or a
    meeting of equals with one side only ("X held talks with Ukrainian officials")."""
    if c.type in codebook.SYMMETRIC_TYPES:
        return len({e.code for e in (*c.actor, *c.recipient) if e.code}) < 2
    named = bool(c.recipient) and not c.recipient_by_convention
    return not named


def _chars(e: Entity) -> tuple[int, int]:
    return (e.start or 0, e.end or 0)


def _others(c: EventCandidate, mentions: Sequence[ActorMention]) -> bool:
    """Whether a mention outside the event's actor is there to be its recipient."""
    taken = [_chars(e) for e in c.actor]
    return any(not any(_overlap(_chars(m.entity), t) for t in taken) for m in mentions)


def _filled(
    c: EventCandidate, s: _Sentence, read: Reading, thresholds: dict[str, float]
) -> EventCandidate:
    """A rule event with the recipient the role scorer reads (its actor stays)."""
    if not read:
        return c
    threshold = thresholds["recipient"]
    if c.type in codebook.SYMMETRIC_TYPES:
        return _counterpart(c, s, read, threshold)
    chosen = [
        m
        for m, p in zip(s.mentions, read, strict=True)
        if threshold <= p["recipient"] > max(p["actor"], p["none"])
    ]

    # not a part of the actor's own words ("Nigeria" in "Nigeria's president"), and the
    # widest of nested mentions ("Niger's leader", not also "Niger")
    taken = [_chars(e) for e in c.actor]
    found = [e for e in entities_of(chosen) if e not in c.actor]
    outside = [e for e in found if not any(_overlap(_chars(e), other) for other in taken)]
    recipients = [
        e for e in outside if not any(o is not e and _inside(_chars(e), _chars(o)) for o in outside)
    ]
    if not recipients:
        return c
    return c.model_copy(update={"recipient": recipients, "recipient_by_convention": False})


def _counterpart(
    c: EventCandidate, s: _Sentence, read: list[dict[str, float]], threshold: float
) -> EventCandidate:
    """A meeting of equals with one side: the other side is the party of another code the
    scorer finds likeliest on the receiving end (either side may be read as the doer)."""
    taken = [_chars(e) for e in (*c.actor, *c.recipient)]
    codes = {e.code for e in (*c.actor, *c.recipient)}
    pool = [
        (p["recipient"], m)
        for m, p in zip(s.mentions, read, strict=True)
        if p["recipient"] >= threshold
        and m.entity.code not in codes
        and not any(_overlap(_chars(m.entity), t) for t in taken)
    ]
    if not pool:
        return c
    best = max(pool, key=lambda x: x[0])[1]
    return c.model_copy(
        update={"recipient": [*c.recipient, *entities_of([best])], "recipient_by_convention": False}
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


@dataclass(frozen=True)
class _Pending:
    """An event of the document and what the role scorer still has to do with it: nothing
    (no sentence), fill in a missing recipient, or read all its parties."""

    candidate: EventCandidate
    sentence: _Sentence | None = None
    action: Literal["fill", "read"] = "read"
    from_rules: bool = True


def _plan(
    kept: Sequence[EventCandidate], s: _Sentence | None, scorer: Roles | None, policy: Policy
) -> list[_Pending]:
    out = []
    for k in kept:
        from_model = _from_model(k)
        if scorer is None or s is None:
            out.append(_Pending(k))
        elif from_model or policy.roles_for_rule_events:
            # a rule's own choice of parties is a feature where its type stands
            out.append(_Pending(k, s, "read", from_rules=not from_model))
        elif policy.roles_fill_recipient and _fillable(k) and _others(k, s.mentions):
            out.append(_Pending(k, s, "fill"))
        else:
            out.append(_Pending(k))
    return out


def _settled(pending: list[_Pending], scorer: Roles | None, kb: _Knowledge) -> list[EventCandidate]:
    """The events with the parties the role scorer reads, in one call per document."""
    if scorer is None:
        return [p.candidate for p in pending]
    requests = [
        (p.candidate, s.span, s.mentions, p.from_rules) for p in pending if (s := p.sentence)
    ]
    reads = iter(scorer.read_many(requests, kb.words("speech_verbs")) if requests else [])
    out: list[EventCandidate] = []
    for p in pending:
        if p.sentence is None:
            out.append(p.candidate)
        elif p.action == "fill":
            out.append(_filled(p.candidate, p.sentence, next(reads), scorer.thresholds))
        elif read := _with_roles(p.candidate, p.sentence, next(reads), scorer.thresholds):
            out.append(_by_convention(read, kb))
    return out


def _by_convention(c: EventCandidate, kb: _Knowledge) -> EventCandidate:
    """An event the role scorer found no target for takes PLOVER's default, as a rule event
    does (``arguments.own_state``)."""
    if c.recipient or c.type in codebook.SYMMETRIC_TYPES:
        return c
    state = own_state(c.actor, c.type.value, kb)
    if state is None:
        return c
    return c.model_copy(update={"recipient": [state], "recipient_by_convention": True})


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
    policy = model.policy
    every: dict[int, list[EventCandidate]] = {}
    for c in candidates:
        every.setdefault(c.sentence.index, []).append(c)
    spans = quoted_spans(parsed.doc.text) if policy.quoted_keep > 0 else []
    quoted = {id(c) for c in candidates if inside(spans, c.trigger.start)}
    by_index = {i: [c for c in cs if id(c) not in quoted] for i, cs in every.items()}
    by_index = {i: cs for i, cs in by_index.items() if cs}
    to_judge = {c.sentence.index for c in candidates if id(c) in quoted}
    sentences = _probabilities(parsed, by_sentence, by_index, model, kb, to_judge)
    sents = list(parsed.doc.sents)
    scorer = role_scorer(knowledge) if roles is None else roles
    book = codebook.of(knowledge)
    pending: list[_Pending] = []
    for index in sorted(set(by_index) | set(sentences)):
        s = sentences.get(index)
        cands = [c for c in every.get(index, []) if id(c) not in quoted or _trusted(c, s, model)]
        if s is None:
            # the model's reading is not needed here; the role scorer's may still be
            plain = (
                _Sentence(sents[index], None, by_sentence[index]) if index in by_sentence else None
            )
            pending += _plan(cands, plain, scorer, policy)
            continue
        kept = _review(cands, s, model, book)
        have = {k.type.value for k in kept}
        if not (policy.add_where_rules_silent and cands):
            kept += _added(s, have, parsed.sentences[index], model, book, kb)
        pending += _plan(kept, s, scorer, policy)
    return _settled(pending, scorer, kb)
