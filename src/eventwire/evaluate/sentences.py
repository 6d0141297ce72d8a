"""No-event sentences left empty: of the sentences of each gold text that hold no gold event's
evidence (required or optional), the share in which the coder produced no event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from eventwire.evaluate.gold import GoldDocument, GoldEvent
from eventwire.evaluate.matching import same_sentence
from eventwire.evaluate.records import Share
from eventwire.models import Event

Span = tuple[int, int]
SentenceSpans = Mapping[str, Sequence[Span]]
"""Per gold document id, its sentences as (start, end) character offsets in the gold text."""


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _evidence_span(event: GoldEvent, text: str) -> Span | None:
    """Where the gold event's evidence lies in the text: its offsets, else where it is found."""
    if event.evidence_start is not None and event.evidence_end is not None:
        return event.evidence_start, event.evidence_end
    if event.evidence and (at := text.find(event.evidence)) >= 0:
        return at, at + len(event.evidence)
    return None


def _holds_gold(sentence: Span, text: str, events: Sequence[GoldEvent]) -> bool:
    for event in events:
        span = _evidence_span(event, text)
        if span is not None and _overlaps(span, sentence):
            return True
        if span is None and same_sentence(text[sentence[0] : sentence[1]], event.evidence):
            return True
    return False


def no_event_sentences(
    gold_docs: Sequence[GoldDocument],
    predictions: Mapping[str, Sequence[Event]],
    sentences: SentenceSpans,
) -> Share:
    """Over the sentences (``sentences[doc.id]``) with no gold evidence in them, how many hold no
    predicted event (by the event's evidence offsets). Blank sentences and documents without
    spans are left out."""
    checked = empty = 0
    for doc in gold_docs:
        predicted = [(e.evidence.start, e.evidence.end) for e in predictions.get(doc.id, [])]
        for span in sentences.get(doc.id, []):
            if not doc.text[span[0] : span[1]].strip() or _holds_gold(span, doc.text, doc.events):
                continue
            checked += 1
            empty += not any(_overlaps(span, p) for p in predicted)
    return Share(checked=checked, correct=empty)
