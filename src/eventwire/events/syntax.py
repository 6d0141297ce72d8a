"""Reading the dependency parse: children by label, objects of prepositions, word forms,
subjects. No knowledge of event types here."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token


from eventwire.events.rules import _Knowledge

# Dependency labels of the words that make up one noun phrase around its head (a name with its
# titles, a coordinated list, an apposition): a party named there fills the argument's role;
# parties under other prepositions ("developments in Syria") are topics, not participants.
_NP_DEPS = frozenset(
    {
        "compound",
        "amod",
        "poss",
        "nmod",
        "appos",
        "conj",
        "cc",
        "det",
        "nummod",
        "punct",
        "predet",
        "preconj",
        "case",
        "quantmod",
        "flat",
    }
)


_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})


_PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})


# Links through which a predicate shares the subject of the word it hangs from.
_SUBJECT_SHARING_DEPS = frozenset({"conj", "xcomp", "acomp", "advcl"})


_CLAUSE_CLIMB_DEPS = frozenset({"conj", "xcomp", "acomp", "advcl", "ccomp", "acl", "relcl"})


_OBJECT_DEPS = frozenset({"dobj", "obj"})


def _children(token: Token, deps: Iterable[str]) -> list[Token]:
    wanted = set(deps)
    return [c for c in token.children if c.dep_ in wanted]


def _prep_objects(token: Token, preps: frozenset[str]) -> list[Token]:
    """Objects of the prepositions ``preps`` hanging from ``token`` ("with Y", "on Y")."""
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            out.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
    return out


def _direct_object(token: Token) -> Token | None:
    objects = _children(token, _OBJECT_DEPS) or _children(token, _PASSIVE_SUBJECT_DEPS)
    if objects:
        return objects[0]
    # "went on strike": the noun is the object of a preposition right on the verb
    for child in token.children:
        if child.dep_ in ("prep", "prt"):
            pobj = _children(child, ("pobj",))
            if pobj:
                return pobj[0]
    return None


def _has_complement(token: Token) -> bool:
    return any(c.dep_ in ("xcomp", "ccomp", "acl") for c in token.children)


def _forms(token: Token) -> frozenset[str]:
    """Lemma and surface forms of a word, with common endings cut: the tagger's lemma can be
    wrong for rarer verbs ("staged" -> "stag"), so the pattern may match either."""
    return _word_forms(token.lower_, token.lemma_.lower())


@lru_cache(maxsize=65536)
def _word_forms(lower: str, lemma: str) -> frozenset[str]:
    forms = {lemma, lower}
    for ending, replacement in (
        ("ied", "y"),
        ("ies", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("es", ""),
        ("s", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if lower.endswith(ending) and len(lower) > len(ending) + 2:
            forms.add(lower[: -len(ending)] + replacement)
    return frozenset(forms)


def _governing_verb(token: Token) -> Token:
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return token


# --------------------------------------------------------------------------- arguments


def _np_tokens(head: Token) -> set[int]:
    """Token indices of the noun phrase around ``head`` (names, titles, coordination)."""
    seen = {head.i}
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ in _NP_DEPS and child.i not in seen:
                seen.add(child.i)
                stack.append(child)
    return seen


def _is_passive(token: Token) -> bool:
    return any(c.dep_ in ("auxpass", *_PASSIVE_SUBJECT_DEPS) for c in token.children)


def _subject_heads(predicate: Token, kb: _Knowledge) -> list[Token]:
    """Who does it: the subject, the passive agent, or the subject shared with a governing verb."""
    if _is_passive(predicate):
        return _prep_objects(predicate, kb.words("agent_preps"))
    subjects = _children(predicate, _SUBJECT_DEPS)
    # "Both countries have in the past months exchanged ...": the subject may hang on the aux
    for aux in _children(predicate, ("aux",)):
        subjects += _children(aux, _SUBJECT_DEPS)
    if subjects:
        return subjects
    if predicate.dep_ == "acl" and predicate.tag_ == "VBD" and predicate.head.dep_ == "ROOT":
        # "The militants handed in ...": a past-tense verb parsed as a modifier of a root
        # noun is really the main verb, and the noun its subject
        return [predicate.head]
    if predicate.dep_ in _SUBJECT_SHARING_DEPS and predicate.head.i != predicate.i:
        if predicate.dep_ == "xcomp" and _is_passive(predicate.head):
            # "Bolton is expected to hold talks", "Iran was forced to release the tanker":
            # who the passive is about does the complement, not its by-agent
            return _children(predicate.head, _PASSIVE_SUBJECT_DEPS)
        return _subject_heads(predicate.head, kb)
    head = predicate.head
    if (
        predicate.dep_ == "acl"
        and predicate.tag_ == "VBG"
        and head.dep_ in _OBJECT_DEPS
        and _forms(head) & kb.words("statement_nouns")
    ):
        # "issued a statement demanding ...": the statement's author demands
        return _subject_heads(head.head, kb)
    return []
