"""Arguments for an event the classifier found where no trigger rule fired.

The sentence's main predicate (the content clause of a speech verb, else the root) gives
the parties: its subject or by-agent is the actor, its object, passive subject and
prepositional objects the recipient. Nothing is guessed: no actor found, no event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from eventwire.models import ActorMention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from eventwire.events.rules import _Knowledge

ACTIVE_SUBJECTS = frozenset({"nsubj", "csubj"})
OBJECTS = frozenset({"dobj", "dative", "attr", "oprd", "nsubjpass"})


def _ids(token: Token) -> set[int]:
    return {t.i for t in token.subtree}


def _at(ids: set[int], mentions: Sequence[ActorMention]) -> list[ActorMention]:
    return [m for m in mentions if m.head in ids]


def main_predicate(sent: Span, kb: _Knowledge) -> tuple[Token, Token | None]:
    """The clause that carries the news and, for reported speech, the speech verb."""
    root = sent.root
    if root.lemma_.lower() in kb.words("speech_verbs"):
        for child in root.children:
            if child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX"):
                return child, root
    return root, None


def _subjects(predicate: Token, mentions: Sequence[ActorMention]) -> list[ActorMention]:
    ids: set[int] = set()
    for child in predicate.children:
        if child.dep_ in ACTIVE_SUBJECTS or child.dep_ == "agent":
            ids |= _ids(child)
    return _at(ids, mentions)


def _recipients(predicate: Token, mentions: Sequence[ActorMention], kb: _Knowledge) -> set[int]:
    preps = kb.words("generic_recipient_preps")
    ids: set[int] = set()
    for child in predicate.children:
        if child.dep_ in OBJECTS or (child.dep_ == "prep" and child.lower_ in preps):
            ids |= _ids(child)
    return ids


Arguments = tuple[list[ActorMention], list[ActorMention], "Token"]
"""Actor mentions, recipient mentions and the predicate token of a sentence."""


def generic_arguments(
    sent: Span, mentions: Sequence[ActorMention], kb: _Knowledge
) -> Arguments | None:
    """Actor mentions, recipient mentions and the predicate token; None when no actor."""
    predicate, speech = main_predicate(sent, kb)
    actor = _subjects(predicate, mentions)
    pronouns = kb.words("pronouns")
    if speech is not None and all(m.entity.text.lower() in pronouns for m in actor):
        # "Japan said it would ...": the named speaker stands for the pronoun
        actor = _subjects(speech, mentions) or actor
    if not actor:
        return None
    recipient = [m for m in _at(_recipients(predicate, mentions, kb), mentions) if m not in actor]
    return actor, recipient, predicate
