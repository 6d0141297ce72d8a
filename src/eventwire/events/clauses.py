"""Clause checks: negation, refusal, conditional threats, hypotheticals, sport, background
clauses, purpose clauses, withheld comment, reported speech and tense."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventwire.models import (
    Tense,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


from eventwire.events.matching import _Found
from eventwire.events.rules import _Knowledge
from eventwire.events.syntax import _CLAUSE_CLIMB_DEPS, _forms

# --------------------------------------------------------------------------- clause checks


def _clause_chain(token: Token) -> list[Token]:
    """The token and the verbs it is coordinated with or controlled by, up to its clause head."""
    chain = [token]
    current = token
    while current.dep_ in ("conj", "xcomp", "acomp") and current.head.i != current.i:
        current = current.head
        chain.append(current)
    return chain


def _is_negated(found: _Found, kb: _Knowledge) -> bool:
    negators = kb.words("negators")
    chain = _clause_chain(found.predicate)
    # "failed to reach an agreement": the step did not happen
    if any(_forms(tok) & kb.words("failure_verbs") for tok in chain[1:]):
        return True
    tokens = [*found.tokens, *chain]
    for tok in tokens:
        for child in tok.children:
            if child.dep_ == "neg" or (
                child.dep_ in ("det", "advmod") and child.lower_ in negators
            ):
                return True
            # "no longer demand"
            if child.dep_ == "advmod" and any(g.lower_ in negators for g in child.children):
                return True
    return False


def _conditional_threat(found: _Found, kb: _Knowledge) -> bool:
    """'X will cut aid if Y ...': a hostile step made conditional on the other side's conduct
    is a threat. Only the main clause counts; the event inside the if-clause stays dropped."""
    if found.type.value.lower() not in kb.words("conditional_threat_types"):
        return False
    marks = kb.words("conditional_marks") - {"whether"}
    chain = _clause_chain(found.predicate)
    if any(t.dep_ == "advcl" and _has_mark(t, marks) for t in chain):
        return False
    announced = kb.words("conditional_threat_modals")
    modals = {c.lower_ for t in chain for c in t.children if c.dep_ == "aux"}
    if modals & kb.words("hypothetical_modals") - announced:
        return False
    return any(c.dep_ == "advcl" and _has_mark(c, marks) for t in chain for c in t.children)


def _has_mark(token: Token, marks: frozenset[str]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in marks for c in token.children)


def _is_refusal(found: _Found, kb: _Knowledge) -> bool:
    """'Will not accept', 'would not meet': a cooperative step negated with a future or
    volitional auxiliary is a refusal (REJECT). A plain past negation ("did not meet")
    reports that nothing happened and stays dropped."""
    refusal = kb.settings.get("refusal") or {}
    types = {str(t).upper() for t in refusal.get("types") or ()}
    if found.type.value not in types:
        return False
    auxes = {str(a).lower() for a in refusal.get("auxiliaries") or ()}
    chain = _clause_chain(found.predicate)
    if any(c.dep_ == "aux" and c.lower_ in auxes for t in chain for c in t.children):
        return True
    # "did not agree to the plan", "has not accepted the offer": declining is itself a deed,
    # unlike "did not meet", which only reports that nothing happened. A failure ("failed to
    # agree") is not a refusal.
    verbs = {str(v).lower() for v in refusal.get("verbs") or ()}
    if not _forms(found.trigger) & verbs:
        return False
    negators = kb.words("negators")
    return any(
        c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in negators)
        for t in (*found.tokens, found.predicate)
        for c in t.children
    )


def _is_hypothetical(found: _Found, kb: _Knowledge) -> bool:
    modals = kb.words("hypothetical_modals")
    if found.reported:
        modals = modals - kb.words("reported_future_modals")
    for tok in _clause_chain(found.predicate):
        if any(c.dep_ == "aux" and c.lower_ in modals for c in tok.children):
            return True
    marks = kb.words("conditional_marks")
    current = found.predicate
    while True:
        if current.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in marks for c in current.children
        ):
            return True
        if any(
            c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
            for c in current.children
        ):
            return True
        if current.head.i == current.i:
            return False
        current = current.head


def _is_wish(found: _Found, kb: _Knowledge) -> bool:
    """'Turkey wants to meet Russia': the event is the infinitive of the doer's own wish."""
    wishes = kb.words("wish_verbs")
    current = found.predicate
    while current.dep_ in ("xcomp", "conj") and current.head.i != current.i:
        if (
            current.dep_ == "xcomp"
            and _forms(current.head) & wishes
            and not any(c.dep_ == "nsubj" for c in current.children)
            and not any(c.dep_ == "dobj" for c in current.head.children)
        ):
            return True
        current = current.head
    return False


def _is_no_comment(found: _Found, kb: _Knowledge) -> bool:
    """'Declined to comment', 'refused to give details': a statement withheld, no event."""
    if not _forms(found.trigger) & kb.words("no_comment_verbs"):
        return False
    complements = kb.words("no_comment_complements")
    objects = kb.words("no_comment_objects")
    for child in found.trigger.children:
        if child.dep_ != "xcomp":
            continue
        if _forms(child) & complements:
            return True
        if any(o.dep_ == "dobj" and o.lemma_.lower() in objects for o in child.children):
            return True
    return False


def _is_habitual(found: _Found, kb: _Knowledge) -> bool:
    """'X has often attacked ...', '... raids over the years': a habit, not one event."""
    adverbs = kb.words("habitual_adverbs")
    preps = kb.words("habitual_span_preps")
    spans = kb.words("habitual_span_nouns")
    for tok in {found.predicate, found.trigger, *_clause_chain(found.predicate)}:
        for child in tok.children:
            if child.dep_ == "advmod" and child.lower_ in adverbs:
                return True
            if (
                child.dep_ == "prep"
                and child.lower_ in preps
                and any(o.dep_ == "pobj" and o.lower_ in spans for o in child.children)
            ):
                return True
    return False


def _is_sport(found: _Found, sent: Span, kb: _Knowledge) -> bool:
    """Sport reports use the words of conflict ("beat Colombia 1-0", "stormed back"): a
    sentence with sport words or a score is not coded as a hostile deed."""
    if found.type.value.lower() not in kb.words("sport_guard_types"):
        return False
    words = kb.words("sport_words")
    tokens = list(sent)
    for i, tok in enumerate(tokens):
        if tok.lower_ in words or tok.lemma_.lower() in words:
            return True
        # a score: "1-0" as one token or as "1", "-", "0"
        parts = tok.text.split("-")
        if len(parts) == 2 and all(p.isdigit() and len(p) <= 2 for p in parts):
            return True
        if (
            tok.text.isdigit()
            and i + 2 < len(tokens)
            and tokens[i + 1].text == "-"
            and tokens[i + 2].text.isdigit()
            and len(tok.text) <= 2
            and len(tokens[i + 2].text) <= 2
        ):
            return True
    return False


def _is_background(found: _Found, kb: _Knowledge) -> bool:
    """Events inside 'during/after ...' phrases set the scene; the sentence reports another."""
    preps = kb.words("background_preps")
    marks = kb.words("background_marks")
    current = found.trigger
    while current.head.i != current.i:
        if current.dep_ == "advcl" and _has_mark(current, marks):
            return True  # "... before they demobilize", "after troops withdrew"
        current = current.head
        if current.dep_ == "prep" and current.lower_ in preps:
            return True
    return False


def _in_purpose_clause(found: _Found, kb: _Knowledge) -> bool:
    """'Sent troops to help Y oust Z': an aim ("to ..." on another verb) did not happen yet.

    Checked after complements were absorbed, so a protest still takes its purpose clause."""
    if found.trigger.pos_ not in ("VERB", "AUX"):
        return False
    top = found.predicate
    while top.dep_ in ("conj", "xcomp", "ccomp", "acomp") and top.head.i != top.i:
        top = top.head
    if not (
        top.dep_ == "advcl"
        and top.head.pos_ in ("VERB", "AUX")
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in top.children)
    ):
        return False
    # "crowds gathered (for a rally) to protest the tax": gathering is how a protest happens,
    # so the protest is the deed, not a later aim
    return not (
        found.type.value.lower() in kb.words("purpose_clause_types")
        and _forms(top.head) & kb.words("assembly_verbs")
    )


def _speech_verb(found: _Found, kb: _Knowledge) -> Token | None:
    """The verb of saying whose complement the event is reported in, if any."""
    speech = kb.words("speech_verbs")
    current = found.predicate
    while current.head.i != current.i and current.dep_ in (*_CLAUSE_CLIMB_DEPS, "parataxis"):
        head = current.head
        if current.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in speech:
            return head
        current = head
    return None


def _tense(predicate: Token, kb: _Knowledge, reported: bool) -> Tense:
    chain = _clause_chain(predicate)
    auxes = [c for tok in chain for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    future = kb.words("future_modals") | (kb.words("reported_future_modals") if reported else set())
    if words & future or (words & kb.words("future_with_to") and "to" in words):
        return "future"
    if predicate.tag_ == "VB" and "to" in words and predicate.dep_ in ("ROOT", "ccomp"):
        return "future"  # headline style: "Iran to continue cooperation"
    has_have = [a for a in auxes if a.lemma_ == "have"]
    # the tagger sometimes reads the participle after "have" as a past tense (VBD)
    if has_have and any(t.tag_ in ("VBN", "VBD") for t in chain):
        return "past" if any(a.lower_ == "had" for a in has_have) else "perfect"
    tags = {predicate.tag_, *(a.tag_ for a in auxes)}
    if "VBD" in tags:
        return "past"
    if tags & {"VBP", "VBZ"}:
        return "present"
    if len(chain) > 1:
        return _tense(chain[-1], kb, reported)
    return "unknown"
