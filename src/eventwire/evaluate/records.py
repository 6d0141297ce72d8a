"""The evaluation report and its parts (scores, per-type rows, shares, confidence bands,
explanations of misses)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import ConfigDict, Field, computed_field

from eventwire.models import EventType, Record

if TYPE_CHECKING:
    pass


# --- Report records ------------------------------------------------------------------------


class _Figures(Record):
    """Report part with computed figures: reading its JSON back ignores the computed keys."""

    model_config = ConfigDict(frozen=True, extra="ignore")


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


class Scores(_Figures):
    """Counts of one matching and the figures they give (0.0 where a denominator is 0)."""

    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    """Gold events that found a prediction (differs from matched_predicted only per type)."""
    matched_predicted: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        return _ratio(self.matched_predicted, self.predicted)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        return _ratio(self.matched_gold, self.gold)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class TypeRow(Record):
    """Per-type figures: recall by gold type, precision by predicted type."""

    type: EventType
    type_scores: Scores
    dyad_scores: Scores


class Share(_Figures):
    """How many of the checked items were right."""

    checked: int = 0
    correct: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share(self) -> float | None:
        return self.correct / self.checked if self.checked else None


class PredictionOutcome(Record):
    """What the matching made of one predicted event (after de-duplication)."""

    doc_id: str
    event_id: str
    type: EventType
    confidence: float
    type_match: bool | None
    """True/False; None when it matched a background gold event (neither right nor wrong)."""
    dyad_match: bool | None


class ConfidenceBand(_Figures):
    """Reliability of predictions whose confidence lies in [low, high)."""

    low: float
    high: float
    events: int
    type_correct: int
    share_of_all: float
    """This band's events as a share of all scored predictions."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share_correct(self) -> float | None:
        return self.type_correct / self.events if self.events else None


ExplanationKind = Literal["missed", "false", "dyad_missed", "dyad_false"]


class Explanation(Record):
    """A miss or a false event, with the sentence, for reading errors one by one.

    ``missed``/``false`` fail the type matching; ``dyad_missed``/``dyad_false`` got the type
    right but not the actors.
    """

    doc_id: str
    kind: ExplanationKind
    type: EventType
    actor: list[str]
    recipient: list[str]
    sentence: str


class EvaluationReport(Record):
    """Everything one evaluation run measured."""

    source: str | None = None
    documents: int
    failed_documents: int = 0
    gold_events: int
    """Gold events that count (background events excluded)."""
    background_events: int
    predicted_events: int
    """Predicted events after de-duplication (including those matching background gold)."""
    duplicates_removed: int
    type_scores: Scores
    dyad_scores: Scores
    per_type: list[TypeRow]
    no_event: Share
    """Documents whose gold has no event at all, and how many were left with no prediction."""
    date: Share
    place: Share
    reliability: list[ConfidenceBand]
    wall_seconds: float | None = None
    outcomes: list[PredictionOutcome] = Field(default_factory=list)
    explanations: list[Explanation] = Field(default_factory=list)
