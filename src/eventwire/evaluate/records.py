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


def reference_prf(matched: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 as the reference scorer prints them: rounded to three places."""
    p, r = _ratio(matched, predicted), _ratio(matched, gold)
    return {
        "p": round(p, 3),
        "r": round(r, 3),
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
    }


class Scores(_Figures):
    """Counts of one matching and the figures they give (0.0 where a denominator is 0)."""

    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    """Gold events that found a prediction."""
    matched_predicted: int = 0
    """Predictions that found a gold event. Per type, both count the matches of gold events of
    that type (a prediction of one of the gold's alt_types counts for the gold's type), as the
    reference scorer attributes them; so per-type precision is those matches over the type's
    predictions."""

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
    """Per-type figures: gold and predicted events of the type, matches by gold type."""

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

    def counts(self) -> str:
        """ "correct/checked", as the reference scorer writes a share."""
        return f"{self.correct}/{self.checked}"


class SentenceReadings(Record):
    """Per gold sentence, what one reading of it gives (``evaluate.readings``)."""

    top_type: Share
    """Gold sentences whose most confident predicted event has a gold type there."""
    pair_found: Share
    """Gold events (with coded parties) whose parties an event of their sentence carries,
    whatever its type."""


class PredictionOutcome(Record):
    """What the matching made of one predicted event (after de-duplication)."""

    doc_id: str
    event_id: str
    type: EventType
    confidence: float
    type_match: bool | None
    """True/False; None when an optional (background or repeat) gold event took it: neither
    right nor wrong."""
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


class DocumentCounts(_Figures):
    """One gold document's counts after matching: what bootstrap intervals resample."""

    document: str
    gold: int
    predicted: int
    type_matched: int
    dyad_matched: int


class Interval(_Figures):
    """A bootstrap percentile interval of a score (``level``: 0.95 for a 95% interval)."""

    low: float
    high: float
    level: float


class Coder(Record):
    """What coded the gold texts of a report."""

    model: str
    """The spaCy pipeline."""
    event_model: str
    """``builtin``, ``off`` (trigger rules alone) or the model folder."""
    group_countries: str
    knowledge_dir: str | None = None
    """The user's knowledge folder; None: the built-in files."""
    event_policy: dict[str, float | bool] = Field(default_factory=dict)
    """Thresholds replaced for the run (``--event-policy``)."""

    def describe(self) -> str:
        overrides = ", ".join(f"{k}={v}" for k, v in self.event_policy.items())
        policy = f"overridden: {overrides}" if overrides else "as the model folder sets it"
        return (
            f"spaCy {self.model}, event model {self.event_model}, groups {self.group_countries},"
            f" knowledge {self.knowledge_dir or 'built-in'}, policy {policy}"
        )


class EvaluationReport(Record):
    """Everything one evaluation run measured."""

    source: str | None = None
    documents: int
    failed_documents: int = 0
    gold_events: int
    """Gold events that count (optional events excluded)."""
    optional_events: int
    """Gold events marked background or repeat."""
    predicted_events: int
    """Predicted events that count: after de-duplication, less those optional gold took."""
    neutral_predictions: int = 0
    """Predictions an optional gold event took (type and dyad fit): neither right nor wrong."""
    duplicates_removed: int
    unknown_documents: int = 0
    """Documents with predictions that are not in the gold (their predictions are ignored)."""
    type_scores: Scores
    dyad_scores: Scores
    type_in_sentence: Scores | None = None
    dyad_in_sentence: Scores | None = None
    """The same matchings counting only matches that share their sentence: the reference
    score's second pass also credits a prediction with a free gold event of its type told
    elsewhere in the document, so dropping a wrong event can lose a match there, and a right
    one added can gain nothing. For sentence sets such as the GSR both readings agree."""
    per_type: list[TypeRow]
    no_event: Share
    """Documents whose gold has no event at all (neither required nor optional), and how many
    were left with no prediction."""
    no_event_sentences: Share | None = None
    """Sentences of the gold texts (spaCy's split) holding no gold event's evidence, and how
    many the coder left without an event; None when not measured."""
    sentence_readings: SentenceReadings | None = None
    """The most confident event's type and the gold parties found, per gold sentence."""
    date: Share
    """Date right on dyad matches that share their sentence (where the gold fixes a date)."""
    place: Share
    """Place right on dyad matches that share their sentence (where the gold names a place)."""
    date_on_type: Share = Share()
    place_on_type: Share = Share()
    """The same on type matches."""
    place_none_on_type: Share = Share()
    """Type matches sharing their sentence whose gold names no place, and how many the coder
    left without one (the reference score does not judge these: extra places cost nothing
    there)."""
    reliability: list[ConfidenceBand]
    document_counts: list[DocumentCounts] = Field(default_factory=list)
    """Per gold document, for intervals and paired comparisons (``evaluate.intervals``)."""
    intervals: dict[str, Interval] = Field(default_factory=dict)
    """Type and dyad F1 intervals over documents (bootstrap), when there are enough of them."""
    wall_seconds: float | None = None
    coded_with: Coder | None = None
    """What coded the gold texts here, so a figure can be reproduced; None when the
    predictions came from elsewhere."""
    outcomes: list[PredictionOutcome] = Field(default_factory=list)
    explanations: list[Explanation] = Field(default_factory=list)

    def reference_figures(self) -> dict[str, object]:
        """The headline figures with the keys, rounding and layout the reference scorer
        (``../shared/eval/score.py``) prints, for a 1:1 comparison."""

        def share(value: Share) -> str:
            return value.counts()

        def prf(scores: Scores) -> dict[str, float]:
            return reference_prf(scores.matched_predicted, scores.predicted, scores.gold)

        return {
            "docs": self.documents,
            "gold_events": self.gold_events,
            "pred_events": self.predicted_events,
            "type": prf(self.type_scores),
            "dyad": prf(self.dyad_scores),
            "no_event_docs_kept_empty": share(self.no_event),
            "date_right_on_dyad_matches": share(self.date),
            "place_right_on_dyad_matches": share(self.place),
            "date_right_on_type_matches": share(self.date_on_type),
            "place_right_on_type_matches": share(self.place_on_type),
            "per_type_f1": {
                row.type.value: prf(row.type_scores)["f1"]
                for row in sorted(self.per_type, key=lambda row: row.type.value)
            },
            "pred_docs_not_in_gold": self.unknown_documents,
        }
