"""Scoring: predictions against gold documents, pure (no model, no files), by the rules of the
reference scorer (``../shared/eval/score.py``; written out in ``docs/evaluation.md``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventwire.evaluate.gold import GoldDocument, GoldEvent
from eventwire.evaluate.intervals import ROUNDS, f1_intervals
from eventwire.evaluate.matching import (
    _codes,
    date_is_right,
    dedupe_events,
    dyad_fits,
    match_events,
    place_is_right,
    same_sentence,
    type_fits,
)
from eventwire.evaluate.readings import sentence_readings
from eventwire.evaluate.records import (
    ConfidenceBand,
    DocumentCounts,
    EvaluationReport,
    Explanation,
    ExplanationKind,
    PredictionOutcome,
    Scores,
    Share,
    TypeRow,
    _ratio,
)
from eventwire.evaluate.sentences import SentenceSpans, no_event_sentences
from eventwire.models import Event, EventType

log = logging.getLogger(__name__)


CONFIDENCE_EDGES = (0.8, 0.5)
"""Lower edges of the confidence bands in the reliability table (top band first)."""

Hits = list[tuple[int, int]]


# --- Scoring -------------------------------------------------------------------------------


@dataclass
class _Tally:
    """Mutable counters used while scoring; frozen into Scores at the end."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0

    def scores(self) -> Scores:
        return Scores(
            gold=self.gold,
            predicted=self.predicted,
            matched_gold=self.matched,
            matched_predicted=self.matched,
        )


@dataclass
class _Level:
    """The counts of one matching (type or dyad) over all documents."""

    total: _Tally = field(default_factory=_Tally)
    in_sentence: int = 0
    """Matches whose prediction and gold share their sentence (or whose gold gives none)."""
    by_type: dict[EventType, _Tally] = field(default_factory=dict)
    date: list[int] = field(default_factory=lambda: [0, 0])
    place: list[int] = field(default_factory=lambda: [0, 0])
    place_none: list[int] = field(default_factory=lambda: [0, 0])
    """Matches whose gold names no place, and how many the coder gave none: the reference
    score judges places only where the gold names one, so a coder that always names a place
    would lose nothing there."""

    def in_sentence_scores(self) -> Scores:
        """The matching's counts with only the matches that share their sentence."""
        return _Tally(self.total.gold, self.total.predicted, self.in_sentence).scores()

    def add(self, predicted: Sequence[Event], gold: Sequence[GoldEvent], hits: Hits) -> None:
        """Count one document: predictions by their type, gold and matches by the gold's type;
        date and place on the matches that share their sentence (or whose gold has none)."""
        self.total.gold += len(gold)
        self.total.predicted += len(predicted)
        self.total.matched += len(hits)
        for event in predicted:
            self.by_type.setdefault(event.type, _Tally()).predicted += 1
        for gold_event in gold:
            self.by_type.setdefault(gold_event.type, _Tally()).gold += 1
        for i, j in hits:
            self.by_type[gold[j].type].matched += 1
            if gold[j].evidence and not same_sentence(
                predicted[i].evidence.sentence, gold[j].evidence
            ):
                continue
            self.in_sentence += 1
            for share, right in (
                (self.date, date_is_right(predicted[i], gold[j])),
                (self.place, place_is_right(predicted[i], gold[j])),
            ):
                if right is not None:
                    share[0] += 1
                    share[1] += right
            if not gold[j].location:
                self.place_none[0] += 1
                self.place_none[1] += predicted[i].location is None


def _sorted_codes(entities: Sequence[Any]) -> list[str]:
    return sorted(_codes(entities))


def _explain(
    doc_id: str,
    predicted: Sequence[Event],
    required: Sequence[GoldEvent],
    typed: Hits,
    dyad: Hits,
    text: str,
) -> list[Explanation]:
    items: list[Explanation] = []
    typed_gold, dyad_gold = {j for _, j in typed}, {j for _, j in dyad}
    for j, gold_event in enumerate(required):
        if j in dyad_gold:
            continue
        kind: ExplanationKind = "dyad_missed" if j in typed_gold else "missed"
        items.append(
            Explanation(
                doc_id=doc_id,
                kind=kind,
                type=gold_event.type,
                actor=_sorted_codes(gold_event.actor),
                recipient=_sorted_codes(gold_event.recipient),
                sentence=gold_event.evidence or text,
            )
        )
    typed_predicted, dyad_predicted = {i for i, _ in typed}, {i for i, _ in dyad}
    for i, event in enumerate(predicted):
        if i in dyad_predicted:
            continue
        kind = "dyad_false" if i in typed_predicted else "false"
        items.append(
            Explanation(
                doc_id=doc_id,
                kind=kind,
                type=event.type,
                actor=_sorted_codes(event.actor),
                recipient=_sorted_codes(event.recipient),
                sentence=event.evidence.sentence,
            )
        )
    return items


def reliability_bands(
    outcomes: Sequence[PredictionOutcome], edges: Sequence[float] = CONFIDENCE_EDGES
) -> list[ConfidenceBand]:
    """Share of type-correct predictions per confidence band (neutral predictions left out)."""
    scored = [o for o in outcomes if o.type_match is not None]
    bands: list[ConfidenceBand] = []
    high = float("inf")
    for low in [*sorted(edges, reverse=True), float("-inf")]:
        inside = [o for o in scored if low <= o.confidence < high]
        bands.append(
            ConfidenceBand(
                low=max(low, 0.0),
                high=min(high, 1.0),
                events=len(inside),
                type_correct=sum(1 for o in inside if o.type_match),
                share_of_all=_ratio(len(inside), len(scored)),
            )
        )
        high = low
    return bands


def _outcomes(
    doc_id: str, predicted: Sequence[Event], taken: set[int], typed: Hits, dyad: Hits
) -> list[PredictionOutcome]:
    """What became of each prediction (in the coder's order); ``taken`` by optional gold."""
    typed_predicted, dyad_predicted = {i for i, _ in typed}, {i for i, _ in dyad}
    outcomes, counted = [], 0
    for i, event in enumerate(predicted):
        neutral = i in taken
        outcomes.append(
            PredictionOutcome(
                doc_id=doc_id,
                event_id=event.event_id,
                type=event.type,
                confidence=event.confidence,
                type_match=None if neutral else counted in typed_predicted,
                dyad_match=None if neutral else counted in dyad_predicted,
            )
        )
        counted += not neutral
    return outcomes


def score(
    gold_docs: Sequence[GoldDocument],
    predictions: Mapping[str, Sequence[Event]],
    *,
    explain: bool = False,
    source: str | None = None,
    sentences: SentenceSpans | None = None,
    bootstrap: int = ROUNDS,
) -> EvaluationReport:
    """Score predictions (events per document id) against gold documents.

    Pure: no model, no files. Predictions for ids not in the gold are ignored (counted and
    logged); a gold document without predictions counts as coded with no events. Per document:
    duplicates dropped; optional gold (background, repeat) takes the predictions that fit it by
    type and dyad out of the counts; then the type and the dyad matchings (same sentence first)
    against the required gold. ``sentences`` (spans of each gold text's sentences) adds the share
    of no-event sentences left empty. ``bootstrap`` rounds of resampled documents give the
    F1 intervals (0: none).
    """
    unknown = set(predictions) - {doc.id for doc in gold_docs}
    if unknown:
        log.warning("%d predicted document id(s) are not in the gold; ignored", len(unknown))
    typed_level, dyad_level = _Level(), _Level()
    no_event_counts = [0, 0]
    duplicates = optional_count = neutral_count = 0
    outcomes: list[PredictionOutcome] = []
    explanations: list[Explanation] = []
    counts: list[DocumentCounts] = []
    for doc in gold_docs:
        raw = predictions.get(doc.id, [])
        deduped = dedupe_events(raw)
        duplicates += len(raw) - len(deduped)
        optional = [g for g in doc.events if g.optional]
        required = [g for g in doc.events if not g.optional]
        optional_count += len(optional)
        taken = {i for i, _ in match_events(deduped, optional, dyad_fits)} if optional else set()
        neutral_count += len(taken)
        predicted = [event for i, event in enumerate(deduped) if i not in taken]
        if not doc.events:
            no_event_counts[0] += 1
            no_event_counts[1] += not predicted
        typed = match_events(predicted, required, type_fits)
        dyad = match_events(predicted, required, dyad_fits)
        typed_level.add(predicted, required, typed)
        dyad_level.add(predicted, required, dyad)
        counts.append(
            DocumentCounts(
                document=doc.id,
                gold=len(required),
                predicted=len(predicted),
                type_matched=len(typed),
                dyad_matched=len(dyad),
            )
        )
        outcomes.extend(_outcomes(doc.id, deduped, taken, typed, dyad))
        if explain:
            explanations.extend(_explain(doc.id, predicted, required, typed, dyad, doc.text))
    per_type = [
        TypeRow(
            type=kind,
            type_scores=typed_level.by_type.get(kind, _Tally()).scores(),
            dyad_scores=dyad_level.by_type.get(kind, _Tally()).scores(),
        )
        for kind in EventType
        if kind in typed_level.by_type
    ]
    return EvaluationReport(
        source=source,
        documents=len(gold_docs),
        gold_events=typed_level.total.gold,
        optional_events=optional_count,
        predicted_events=typed_level.total.predicted,
        neutral_predictions=neutral_count,
        duplicates_removed=duplicates,
        unknown_documents=len(unknown),
        type_scores=typed_level.total.scores(),
        dyad_scores=dyad_level.total.scores(),
        type_in_sentence=typed_level.in_sentence_scores(),
        dyad_in_sentence=dyad_level.in_sentence_scores(),
        per_type=per_type,
        no_event=Share(checked=no_event_counts[0], correct=no_event_counts[1]),
        no_event_sentences=(
            None if sentences is None else no_event_sentences(gold_docs, predictions, sentences)
        ),
        sentence_readings=sentence_readings(gold_docs, predictions),
        date=Share(checked=dyad_level.date[0], correct=dyad_level.date[1]),
        place=Share(checked=dyad_level.place[0], correct=dyad_level.place[1]),
        date_on_type=Share(checked=typed_level.date[0], correct=typed_level.date[1]),
        place_on_type=Share(checked=typed_level.place[0], correct=typed_level.place[1]),
        place_none_on_type=Share(
            checked=typed_level.place_none[0], correct=typed_level.place_none[1]
        ),
        reliability=reliability_bands(outcomes),
        document_counts=counts,
        intervals=f1_intervals(counts, rounds=bootstrap),
        outcomes=outcomes,
        explanations=explanations,
    )
