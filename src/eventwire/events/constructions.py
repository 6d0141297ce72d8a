"""Events made by constructions rather than one trigger: a quoted partnership (SUPPORT) and
a reported obligation ("X said Y must ...": REQUEST)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from eventwire.models import (
    ActorMention,
    EventType,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


from eventwire.events.arguments import _mentions_at
from eventwire.events.clauses import _tense
from eventwire.events.matching import _codes, _Found, _unique
from eventwire.events.rules import TriggerRule, _Knowledge
from eventwire.events.syntax import (
    _NP_DEPS,
    _SUBJECT_DEPS,
    _children,
    _prep_objects,
    _subject_heads,
)


def _quote_support(
    sent: Span,
    found: list[_Found],
    mentions: Sequence[ActorMention],
    kb: _Knowledge,
) -> list[_Found]:
    """'"We are partners ... cooperation," X told reporters' -> SUPPORT from X to the partner
    (the partnership word must be what the quoted clause says the parties are)."""
    words = kb.words("partnership_words")
    preps = kb.words("quote_recipient_preps")
    coded = {t.i for f in found for t in (f.trigger, f.predicate)}
    out: list[_Found] = []
    for verb in sent:
        if verb.lemma_.lower() not in kb.words("speech_verbs") or verb.pos_ not in ("VERB", "AUX"):
            continue
        for comp in _children(verb, ("ccomp", "parataxis")):
            subtree = list(comp.subtree)
            if any(t.i in coded for t in subtree):
                continue
            keyword = next((t for t in subtree if _predicated(t, comp, words)), None)
            if keyword is None:
                continue
            speaker = _unique(
                m for h in _subject_heads(verb, kb) for m in _mentions_at(h, mentions, kb)
            )
            if not speaker:
                continue
            core = _quote_core(comp, preps)
            speaker_codes = _codes(speaker)
            named = [m for m in mentions if m.head in core]
            others = [
                m for m in named if m.entity.country and m.entity.country not in speaker_codes
            ]
            if not others:
                continue
            out.append(
                _derived_event(
                    "quote_partnership",
                    frozenset(words),
                    trigger=keyword,
                    verb=verb,
                    actor=speaker,
                    recipient=_unique(others),
                    context=tuple(sent),
                    kb=kb,
                )
            )
    return out


def _predicated(token: Token, comp: Token, words: frozenset[str]) -> bool:
    """Whether the quoted clause says its parties are partners ("We are partners"): the word
    is the clause's predicate, or conjoined with it. A partnership word elsewhere ("working
    with its allies", "resume cooperation") describes; it declares nothing."""
    if token.lemma_.lower() not in words:
        return False
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token.i == comp.i or (token.dep_ in ("attr", "acomp") and token.head.i == comp.i)


def _obligation(
    verb: Token,
    aux: Token,
    comp: Token,
    speaker: list[ActorMention],
    mentions: Sequence[ActorMention],
    kb: _Knowledge,
) -> _Found | None:
    """The REQUEST from ``speaker`` to the subject of ``comp``, or None without both parties."""
    obliged = _unique(
        m for h in _children(comp, _SUBJECT_DEPS) for m in _mentions_at(h, mentions, kb)
    )
    speaker_keys = {(m.token_start, m.token_end) for m in speaker}
    obliged = [m for m in obliged if (m.token_start, m.token_end) not in speaker_keys]
    if not speaker or not obliged:
        return None
    return _derived_event(
        "reported_obligation",
        kb.words("obligation_modals"),
        trigger=aux,
        verb=verb,
        actor=speaker,
        recipient=obliged,
        context=tuple(comp.subtree),
        kb=kb,
    )


def _derived_event(
    rule_id: str,
    lemmas: frozenset[str],
    *,
    trigger: Token,
    verb: Token,
    actor: list[ActorMention],
    recipient: list[ActorMention],
    context: tuple[Token, ...],
    kb: _Knowledge,
) -> _Found:
    """An event read from a construction rather than a trigger entry (a quoted partnership, a
    reported obligation); its type and CAMEO code come from ``derived_events`` in the data."""
    spec = kb.settings["derived_events"][rule_id]
    type_, cameo = EventType(spec["type"]), str(spec["cameo"])
    rule = TriggerRule(id=rule_id, lemmas=lemmas, type=type_, examples=(), cameo=cameo)
    found = _Found(
        rule=rule,
        trigger=trigger,
        predicate=verb,
        obj=None,
        type=type_,
        mode=None,
        cameo=cameo,
        actor=actor,
        recipient=recipient,
        reported=True,
        rule_id=rule_id,
    )
    found.tense = _tense(verb, kb, reported=False)
    found.context_tokens = context
    return found


def _modal_aux(comp: Token, modals: frozenset[str]) -> Token | None:
    return next((c for c in comp.children if c.dep_ == "aux" and c.lower_ in modals), None)


def _reported_obligation(
    sent: Span,
    found: list[_Found],
    mentions: Sequence[ActorMention],
    kb: _Knowledge,
) -> list[_Found]:
    """'X said Y must stop ...' is a demand: REQUEST from the speaker to the obliged party.

    A stance verb ("X believes Y must ...") or an attribution ("Y must ..., according to X")
    states the obligation as a verb of saying does.
    """
    modals = kb.words("obligation_modals")
    stating = kb.words("speech_verbs") | kb.words("obligation_stance_verbs")
    attribution = kb.words("attribution_preps")
    coded = {f.predicate.i for f in found}
    out: list[_Found] = []
    for verb in sent:
        if verb.pos_ not in ("VERB", "AUX") or verb.i in coded:
            continue
        if any(c.dep_ == "neg" for c in verb.children):
            continue
        if verb.lemma_.lower() in stating:
            speaker = _unique(
                m for h in _subject_heads(verb, kb) for m in _mentions_at(h, mentions, kb)
            )
            for comp in _children(verb, ("ccomp",)):
                aux = _modal_aux(comp, modals)
                if aux is None or comp.i in coded:
                    continue
                demand = _obligation(verb, aux, comp, speaker, mentions, kb)
                if demand is not None:
                    out.append(demand)
            continue
        aux = _modal_aux(verb, modals)
        sources = [p for p in _children(verb, ("prep",)) if p.lower_ in attribution]
        if aux is None or not sources:
            continue
        speaker = _unique(
            m
            for p in sources
            for h in _prep_objects(p, kb.words("addressee_preps"))
            for m in _mentions_at(h, mentions, kb)
        )
        demand = _obligation(verb, aux, verb, speaker, mentions, kb)
        if demand is not None:
            out.append(demand)
    return out


def _quote_core(root: Token, preps: frozenset[str]) -> set[int]:
    """Words of a quoted clause that name its parties: subjects, objects, 'with/between' X."""
    allowed = _NP_DEPS | {"nsubj", "nsubjpass", "dobj", "attr", "dative", "conj", "pobj"}
    seen = {root.i}
    stack = [root]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            ok = child.dep_ in allowed or (child.dep_ == "prep" and child.lower_ in preps)
            if child.dep_ == "pobj" and tok.lower_ not in preps:
                ok = False
            if ok and child.i not in seen:
                seen.add(child.i)
                stack.append(child)
    return seen
