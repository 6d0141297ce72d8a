"""Scoring: predictions against gold documents, pure (no model, no files)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventwire.models import Event, EventType

if TYPE_CHECKING:
    pass

from eventwire.evaluate.gold import GoldDocument, GoldEvent
from eventwire.evaluate.matching import (
    _codes,
    _Matching,
    date_is_right,
    dedupe_events,
    dyad_fits,
    match_events,
    place_is_right,
    type_fits,
)
from eventwire.evaluate.records import (
    ConfidenceBand,
    EvaluationReport,
    Explanation,
    ExplanationKind,
    PredictionOutcome,
    Scores,
    Share,
    TypeRow,
    _ratio,
)

log = logging.getLogger(__name__)


CONFIDENCE_EDGES = (0.8, 0.5)
"""Lower edges of the confidence bands in the reliability table (top band first)."""


# --- Scoring -------------------------------------------------------------------------------


@dataclass
class _Tally:
    """Mutable counters used while scoring; frozen into Scores at the end."""

    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0

    def scores(self) -> Scores:
        return Scores(
            gold=self.gold,
            predicted=self.predicted,
            matched_gold=self.matched_gold,
            matched_predicted=self.matched_predicted,
        )


def _tally(
    predicted: Sequence[Event],
    gold: Sequence[GoldEvent],
    matching: _Matching,
    overall: _Tally,
    per_type: dict[EventType, _Tally],
) -> None:
    matched_gold = {j for j in matching.assigned if j is not None}
    for position, gold_event in enumerate(gold):
        if gold_event.background:
            continue
        overall.gold += 1
        per_type.setdefault(gold_event.type, _Tally()).gold += 1
        if position in matched_gold:
            overall.matched_gold += 1
            per_type[gold_event.type].matched_gold += 1
    for event, j, neutral in zip(predicted, matching.assigned, matching.neutral, strict=True):
        if neutral:
            continue
        overall.predicted += 1
        per_type.setdefault(event.type, _Tally()).predicted += 1
        if j is not None:
            overall.matched_predicted += 1
            per_type[event.type].matched_predicted += 1


def _outcome(match: int | None, neutral: bool) -> bool | None:
    return None if neutral else match is not None


def _sorted_codes(entities: Sequence[Any]) -> list[str]:
    return sorted(_codes(entities))


def _explain(
    doc: GoldDocument,
    predicted: Sequence[Event],
    typed: _Matching,
    dyad: _Matching,
) -> list[Explanation]:
    items: list[Explanation] = []
    typed_gold = {j for j in typed.assigned if j is not None}
    dyad_gold = {j for j in dyad.assigned if j is not None}
    for j, gold_event in enumerate(doc.events):
        if gold_event.background or j in dyad_gold:
            continue
        kind: ExplanationKind = "dyad_missed" if j in typed_gold else "missed"
        items.append(
            Explanation(
                doc_id=doc.id,
                kind=kind,
                type=gold_event.type,
                actor=_sorted_codes(gold_event.actor),
                recipient=_sorted_codes(gold_event.recipient),
                sentence=gold_event.evidence or doc.text,
            )
        )
    for i, event in enumerate(predicted):
        if typed.neutral[i] or dyad.neutral[i] or dyad.assigned[i] is not None:
            continue
        kind = "dyad_false" if typed.assigned[i] is not None else "false"
        items.append(
            Explanation(
                doc_id=doc.id,
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
    """Share of type-correct predictions per confidence band (background matches left out)."""
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


def score(
    gold_docs: Sequence[GoldDocument],
    predictions: Mapping[str, Sequence[Event]],
    *,
    explain: bool = False,
    source: str | None = None,
) -> EvaluationReport:
    """Score predictions (events per document id) against gold documents.

    Pure: no model, no files. Predictions for ids not in the gold are ignored (logged);
    a gold document without predictions counts as coded with no events.
    """
    unknown = set(predictions) - {doc.id for doc in gold_docs}
    if unknown:
        log.warning("%d predicted document id(s) are not in the gold; ignored", len(unknown))
    type_total, dyad_total = _Tally(), _Tally()
    type_by_kind: dict[EventType, _Tally] = {}
    dyad_by_kind: dict[EventType, _Tally] = {}
    date_share, place_share, no_event_counts = [0, 0], [0, 0], [0, 0]
    duplicates = predicted_count = background = 0
    outcomes: list[PredictionOutcome] = []
    explanations: list[Explanation] = []
    for doc in gold_docs:
        raw = predictions.get(doc.id, [])
        predicted = dedupe_events(raw)
        duplicates += len(raw) - len(predicted)
        predicted_count += len(predicted)
        background += sum(1 for g in doc.events if g.background)
        if not doc.events:
            no_event_counts[0] += 1
            no_event_counts[1] += not predicted
        typed = match_events(predicted, doc.events, type_fits)
        dyad = match_events(predicted, doc.events, dyad_fits)
        _tally(predicted, doc.events, typed, type_total, type_by_kind)
        _tally(predicted, doc.events, dyad, dyad_total, dyad_by_kind)
        for i, event in enumerate(predicted):
            outcomes.append(
                PredictionOutcome(
                    doc_id=doc.id,
                    event_id=event.event_id,
                    type=event.type,
                    confidence=event.confidence,
                    type_match=_outcome(typed.assigned[i], typed.neutral[i]),
                    dyad_match=_outcome(dyad.assigned[i], dyad.neutral[i]),
                )
            )
            j = dyad.assigned[i]
            if j is None:
                continue
            for share, right in (
                (date_share, date_is_right(event, doc.events[j])),
                (place_share, place_is_right(event, doc.events[j])),
            ):
                if right is not None:
                    share[0] += 1
                    share[1] += right
        if explain:
            explanations.extend(_explain(doc, predicted, typed, dyad))
    no_event = Share(checked=no_event_counts[0], correct=no_event_counts[1])
    per_type = [
        TypeRow(
            type=kind,
            type_scores=type_by_kind.get(kind, _Tally()).scores(),
            dyad_scores=dyad_by_kind.get(kind, _Tally()).scores(),
        )
        for kind in EventType
        if kind in type_by_kind or kind in dyad_by_kind
    ]
    return EvaluationReport(
        source=source,
        documents=len(gold_docs),
        gold_events=type_total.gold,
        background_events=background,
        predicted_events=predicted_count,
        duplicates_removed=duplicates,
        type_scores=type_total.scores(),
        dyad_scores=dyad_total.scores(),
        per_type=per_type,
        no_event=no_event,
        date=Share(checked=date_share[0], correct=date_share[1]),
        place=Share(checked=place_share[0], correct=place_share[1]),
        reliability=reliability_bands(outcomes),
        outcomes=outcomes,
        explanations=explanations,
    )
