"""The events stage in order: candidates from rules and their assembly (per sentence), then the
learned classify step over the whole document (one batch for the model)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from eventwire.knowledge import Knowledge
from eventwire.models import (
    ActorMention,
    EventCandidate,
    Sentence,
)

if TYPE_CHECKING:
    from spacy.tokens import Span

    from eventwire.nlp import ParsedDocument

from eventwire.events.assembly import _propagate_visits, assemble
from eventwire.events.candidates import find_candidates
from eventwire.events.classify import classify
from eventwire.events.rules import _Knowledge, rules_of

log = logging.getLogger(__name__)


def _sentence_events(
    sent: Span,
    sentence: Sentence,
    mentions: Sequence[ActorMention],
    kb: _Knowledge,
) -> list[EventCandidate]:
    """The rule events of one sentence: trigger candidates, then their assembly."""
    found = find_candidates(sent, mentions, kb)
    return assemble(found, sent, sentence, mentions, kb)


def extract_events(
    parsed: ParsedDocument, mentions: Sequence[ActorMention], *, knowledge: Knowledge
) -> list[EventCandidate]:
    """Event candidates of a parsed body, in text order, with actors chosen from ``mentions``."""
    kb = rules_of(knowledge)
    by_sentence: dict[int, list[ActorMention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    candidates: list[EventCandidate] = []
    for index, sent in enumerate(parsed.doc.sents):
        if index >= len(parsed.sentences):
            break
        candidates.extend(
            _sentence_events(sent, parsed.sentences[index], by_sentence.get(index, []), kb)
        )
    candidates = classify(parsed, mentions, candidates, knowledge=knowledge, kb=kb)
    return _propagate_visits(candidates)
