"""Sentence readings: what a reader who checks one gold sentence at a time sees.

Issue #8 measures a held-out set of PLOVER-style event sentences by two figures that F1 hides:
whether the coder's most confident event in the sentence has the gold type, and whether some
event of the sentence carries the gold parties at all. The second, taken whatever type the
event has, tells argument errors apart from type errors. Both are read per gold sentence (the
required gold events' evidence), so they apply to sentence sets such as the PLOVER GSR and to
whole articles alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from eventwire.evaluate.gold import GoldDocument, GoldEvent
from eventwire.evaluate.matching import (
    dedupe_events,
    entity_code,
    fold,
    same_sentence,
    sides_fit,
    type_fits,
)
from eventwire.evaluate.records import SentenceReadings, Share
from eventwire.models import Event


def _by_sentence(doc: GoldDocument) -> list[tuple[str, list[GoldEvent]]]:
    """Required gold events grouped by their evidence, in order of first appearance; an event
    without evidence is read from the whole gold text (a sentence set gives one per record)."""
    groups: dict[str, tuple[str, list[GoldEvent]]] = {}
    for event in doc.events:
        text = event.evidence or doc.text
        if not event.optional and fold(text):
            groups.setdefault(fold(text), (text, []))[1].append(event)
    return list(groups.values())


def sentence_readings(
    gold_docs: Sequence[GoldDocument], predictions: Mapping[str, Sequence[Event]]
) -> SentenceReadings:
    """Over the gold sentences that hold a required event: the share whose most confident
    predicted event fits the type of one of them (none predicted: wrong); over the required
    gold events whose parties carry codes: the share with an event of their sentence whose
    parties fit theirs by the dyad rule (``matching.sides_fit``), whatever its type."""
    top = [0, 0]
    pair = [0, 0]
    for doc in gold_docs:
        predicted = dedupe_events(predictions.get(doc.id, []))
        for text, golds in _by_sentence(doc):
            here = [e for e in predicted if same_sentence(e.evidence.sentence, text)]
            # the event the coder is surest of; max keeps the first of equals (coder's order)
            best = max(here, key=lambda e: e.confidence or 0.0, default=None)
            top[0] += 1
            top[1] += best is not None and any(type_fits(best, g) for g in golds)
            for gold in golds:
                if not any(entity_code(e) for e in (*gold.actor, *gold.recipient)):
                    continue
                pair[0] += 1
                pair[1] += any(sides_fit(e, gold) for e in here)
    return SentenceReadings(
        top_type=Share(checked=top[0], correct=top[1]),
        pair_found=Share(checked=pair[0], correct=pair[1]),
    )
