"""Score coded events against gold files, with one set of rules so numbers compare across tools.

Three gold formats are read into the same typed records (GoldDocument, GoldEvent, GoldEntity):
the PLOVER gold standard records (a JSON array, one sentence and one event per record), our own
JSON Lines gold (``tests/gold/eventwire_gold.jsonl``), and the seed reading of one article (a JSON
object with ``document`` and ``events`` next to the article's ``.txt``).

``score`` is a pure function over records; ``evaluate_file`` codes the gold texts with the
pipeline and scores them. The rules are written out in ``docs/evaluation.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ConfigDict, Field, ValidationError, computed_field, field_validator

from eventwire.codebook import SYMMETRIC_TYPES
from eventwire.errors import InputError
from eventwire.knowledge import Knowledge  # types between equals: sides pooled for dyads
from eventwire.models import Document, Event, EventType, Record

if TYPE_CHECKING:
    from eventwire.settings import Settings

log = logging.getLogger(__name__)

# --- Gold-format conversion tables ---------------------------------------------------------
# These describe the PLOVER GSR file's own conventions (an input format), not coding knowledge:
# the file predates some PLOVER renames and uses a few CAMEO country codes that differ from ISO.

GSR_TYPE_NAMES: Mapping[str, str] = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
"""Old PLOVER type names in the GSR file -> current names."""

GSR_TYPE_MODES: Mapping[str, str] = {"INVESTIGATE": "investigate"}
"""Old types that survive as a mode of the new type."""

CAMEO_COUNTRY_CODES: Mapping[str, str] = {"JAP": "JPN", "ITL": "ITA"}
"""CAMEO country codes that differ from ISO 3166-1 alpha-3."""

NON_STATE_CODES: Mapping[str, str] = {"IGO": "IGO", "NGO": "NGO", "IMG": "REB"}
"""CAMEO actor codes that are not countries -> the sector they score as."""

GSR_NO_EVENT = frozenset({"", "NONE", "NOEVENT", "NO_EVENT"})
"""Values of ``event`` that mark a record with no event (none in version 0.5b1)."""

CONFIDENCE_EDGES = (0.8, 0.5)
"""Lower edges of the confidence bands in the reliability table (top band first)."""

DATE_TOLERANCE = dt.timedelta(days=1)
LONGEST_DAY_RANGE = dt.timedelta(days=7)
"""A predicted range counts as dating a gold day only when it spans at most this long."""

MIN_OVERLAP_WORDS = 5
"""Shortest run of shared words that makes two evidence texts 'overlap'."""


# --- Gold records --------------------------------------------------------------------------


class GoldEntity(Record):
    """One participant as the gold reads it."""

    text: str = ""
    country: str | None = None
    sector: str | None = None

    @property
    def code(self) -> str | None:
        """Same rule as ``models.Entity.code``: the country, else the sector."""
        return self.country or self.sector


class GoldEvent(Record):
    """One gold event; ``background`` events are optional (neither required nor penalised)."""

    id: str | None = None
    type: EventType
    alt_types: list[EventType] = Field(default_factory=list)
    """Other readings a careful coder could defend; a prediction of one of them is a type match."""
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    actor: list[GoldEntity] = Field(default_factory=list)
    recipient: list[GoldEntity] = Field(default_factory=list)
    evidence: str | None = None
    """The words the event is read from (a sentence or part of one)."""
    date: dt.date | None = None
    date_range: tuple[dt.date | None, dt.date | None] | None = None
    """When the text only bounds the date: [start, end], a null end is open."""
    location: str | None = None
    background: bool = False
    note: str | None = None
    """Why the gold reads it this way (for people; not scored)."""

    @field_validator("mode", mode="before")
    @classmethod
    def _empty_mode_is_none(cls, value: Any) -> Any:
        return value or None


class GoldDocument(Record):
    """One gold text and every event a coder should find in it."""

    id: str
    date: dt.date | dt.datetime | None = None
    """Publication date (or time): relative dates in the text resolve against it."""
    text: str
    title: str | None = None
    source: str | None = None
    events: list[GoldEvent] = Field(default_factory=list)
    note: str | None = None


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


# --- Gold readers --------------------------------------------------------------------------


def read_jsonl_gold(path: Path) -> list[GoldDocument]:
    """Our own gold: one JSON object per line; blank lines and lines starting '#' are skipped."""
    documents: list[GoldDocument] = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            origin = f"{path}:{number}"
            try:
                documents.append(GoldDocument.model_validate_json(line))
            except ValidationError as exc:
                raise InputError(origin, f"not a gold document: {exc}") from exc
    _check_unique_ids(documents, str(path))
    return documents


def _gsr_entity(raw: Mapping[str, Any]) -> GoldEntity:
    code = str(raw.get("code") or "").strip().upper()
    sector_raw = str(raw.get("sector") or "").strip()
    # CAMEO sectors may carry a group suffix ('REBalb', 'CVLkur'); '***' means unknown.
    sector = sector_raw[:3].upper() if sector_raw[:3].isalpha() else None
    if code in NON_STATE_CODES:
        return GoldEntity(text=raw.get("actorText", ""), sector=NON_STATE_CODES[code])
    country = CAMEO_COUNTRY_CODES.get(code, code) or None
    return GoldEntity(text=raw.get("actorText", ""), country=country, sector=sector)


def _gsr_side(value: Any) -> list[GoldEntity]:
    # The file has a few targets given as a string ('' or a stray context word): no entities.
    if not isinstance(value, list):
        return []
    return [_gsr_entity(item) for item in value if isinstance(item, Mapping)]


def gsr_document(record: Mapping[str, Any]) -> GoldDocument | None:
    """One GSR record as a one-event gold document (None for the file's DOCUMENT notes)."""
    name = str(record.get("event") or "").strip().upper()
    if name == "DOCUMENT":
        return None
    events: list[GoldEvent] = []
    if name not in GSR_NO_EVENT:
        context = record.get("context") or ""
        location = record.get("eventLoc")
        events.append(
            GoldEvent(
                id=record["id"],
                type=EventType(GSR_TYPE_NAMES.get(name, name)),
                mode=GSR_TYPE_MODES.get(name) or record.get("mode"),
                context=[c.strip() for c in str(context).split(",") if c.strip()],
                actor=_gsr_side(record.get("source")),
                recipient=_gsr_side(record.get("target")),
                evidence=record.get("text"),
                location=location.get("name") if isinstance(location, Mapping) else None,
            )
        )
    return GoldDocument(
        id=record["id"],
        date=record.get("date"),
        text=record.get("text") or "",
        events=events,
    )


def read_gsr_gold(path: Path) -> list[GoldDocument]:
    """The PLOVER gold standard records file: a JSON array, one gold event per record."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise InputError(str(path), "a PLOVER GSR file is a JSON array of records")
    documents: list[GoldDocument] = []
    seen: Counter[str] = Counter()
    for index, record in enumerate(data):
        try:
            document = gsr_document(record)
        except (KeyError, ValueError, ValidationError) as exc:
            raise InputError(f"{path}[{index}]", f"not a GSR record: {exc}") from exc
        if document is None:
            continue
        # Version 0.5b1 gives two different records the same id: number the later ones.
        seen[document.id] += 1
        if seen[document.id] > 1:
            new_id = f"{document.id}#{seen[document.id]}"
            log.warning("%s[%d]: id %s repeats; scored as %s", path, index, document.id, new_id)
            document = document.model_copy(update={"id": new_id})
        documents.append(document)
    return documents


def _seed_body(text: str, first_words: str | None, last_words: str | None) -> str:
    """The article body inside a saved page, bounded by the gold's first and last words."""
    start = text.find(first_words) if first_words else 0
    if start < 0:
        log.warning("seed gold: body start %r not found; using the whole text", first_words)
        start = 0
    end = len(text)
    if last_words:
        found = text.find(last_words, start)
        if found < 0:
            log.warning("seed gold: body end %r not found; using the whole text", last_words)
        else:
            end = found + len(last_words)
    return text[start:end]


def read_seed_gold(path: Path, text_path: Path | None = None) -> list[GoldDocument]:
    """The seed reading of one article (``NAME.gold.json``) with its text (``NAME.txt``).

    The gold gives ``document`` (id, source, published, title, body_first_words,
    body_last_words) and ``events`` in our event format; the body is cut out of the saved page.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or "document" not in data:
        raise InputError(str(path), "a seed gold file is a JSON object with 'document'")
    if text_path is None:
        text_path = path.with_name(path.name.removesuffix(".gold.json") + ".txt")
    if not text_path.is_file():
        raise InputError(str(path), f"the article text {text_path} is missing")
    meta = data["document"]
    body = _seed_body(
        text_path.read_text(encoding="utf-8"),
        meta.get("body_first_words"),
        meta.get("body_last_words"),
    )
    try:
        events = [GoldEvent.model_validate(event) for event in data.get("events", [])]
        document = GoldDocument(
            id=str(meta["id"]),
            date=meta.get("published"),
            title=meta.get("title"),
            source=meta.get("source"),
            text=body,
            events=events,
        )
    except (KeyError, ValidationError) as exc:
        raise InputError(str(path), f"not a seed gold file: {exc}") from exc
    return [document]


def read_gold(path: Path) -> list[GoldDocument]:
    """Any supported gold file: ``.jsonl`` is ours, a JSON array is GSR, an object is seed."""
    if path.suffix == ".jsonl":
        return read_jsonl_gold(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"not JSON: {exc}") from exc
    if isinstance(data, list):
        return read_gsr_gold(path)
    if isinstance(data, Mapping) and "document" in data:
        return read_seed_gold(path)
    raise InputError(str(path), "not a gold file (expected JSON Lines, a GSR array or seed gold)")


def _check_unique_ids(documents: Sequence[GoldDocument], origin: str) -> None:
    repeated = [doc_id for doc_id, n in Counter(d.id for d in documents).items() if n > 1]
    if repeated:
        raise InputError(origin, f"document ids repeat: {', '.join(sorted(repeated))}")


# --- Matching ------------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
_WORD = re.compile(r"\w+")


def _normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split())


def _longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    best = 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def same_evidence(gold_evidence: str | None, predicted_sentence: str) -> bool:
    """Whether a prediction came from the gold event's evidence.

    True when one text contains the other (ignoring case, spacing and curly quotes), or when
    they share a run of at least MIN_OVERLAP_WORDS words that is half the shorter text: the
    two texts then overlap, as when sentence splitters cut differently.
    """
    if not gold_evidence or not predicted_sentence:
        return False
    gold, predicted = _normalise(gold_evidence), _normalise(predicted_sentence)
    if gold in predicted or predicted in gold:
        return True
    gold_words, predicted_words = _WORD.findall(gold), _WORD.findall(predicted)
    shorter = min(len(gold_words), len(predicted_words))
    run = _longest_common_run(gold_words, predicted_words)
    return run >= MIN_OVERLAP_WORDS and run * 2 >= shorter


def _codes(entities: Sequence[Any]) -> set[str]:
    return {code for entity in entities if (code := entity.code)}


def type_fits(predicted: Event, gold: GoldEvent) -> bool:
    """The predicted type is the gold type or one of its alt_types."""
    return predicted.type == gold.type or predicted.type in gold.alt_types


def dyad_fits(predicted: Event, gold: GoldEvent) -> bool:
    """Type match, and the sides share codes (pooled for CONSULT, AGREE and COOPERATE).

    The matched reading is the predicted type; when it is one of the types between equals,
    actor and recipient are pooled on both sides and must share min(2, distinct gold codes).
    Otherwise each gold side that has codes must share one with the same predicted side.
    """
    if not type_fits(predicted, gold):
        return False
    if predicted.type in SYMMETRIC_TYPES:
        gold_codes = _codes(gold.actor) | _codes(gold.recipient)
        predicted_codes = _codes(predicted.actor) | _codes(predicted.recipient)
        return len(gold_codes & predicted_codes) >= min(2, len(gold_codes))
    for gold_side, predicted_side in (
        (gold.actor, predicted.actor),
        (gold.recipient, predicted.recipient),
    ):
        gold_codes = _codes(gold_side)
        if gold_codes and not gold_codes & _codes(predicted_side):
            return False
    return True


Fits = Callable[[Event, GoldEvent], bool]


@dataclass(frozen=True)
class _Matching:
    """One matching of a document: for each prediction, the gold index it took (or None)."""

    assigned: tuple[int | None, ...]
    neutral: tuple[bool, ...]
    """The prediction matched a background gold event: removed from the counts."""


def match_events(predicted: Sequence[Event], gold: Sequence[GoldEvent], fits: Fits) -> _Matching:
    """Greedy one-to-one matching in the coder's order, preferring the same evidence sentence.

    Each prediction takes the first gold event that fits and is still free (background events
    stay free: they can absorb any number of predictions), looking first among gold events
    read from the prediction's sentence; among equals a required event beats a background one.
    """
    taken = [False] * len(gold)
    assigned: list[int | None] = []
    neutral: list[bool] = []
    for event in predicted:
        candidates = [
            j for j, g in enumerate(gold) if (g.background or not taken[j]) and fits(event, g)
        ]
        same = [j for j in candidates if same_evidence(gold[j].evidence, event.evidence.sentence)]
        pool = same or candidates
        required = [j for j in pool if not gold[j].background]
        choice = (required or pool or [None])[0]
        if choice is None:
            assigned.append(None)
            neutral.append(False)
        elif gold[choice].background:
            assigned.append(None)
            neutral.append(True)
        else:
            taken[choice] = True
            assigned.append(choice)
            neutral.append(False)
    return _Matching(assigned=tuple(assigned), neutral=tuple(neutral))


def dedupe_events(events: Sequence[Event]) -> list[Event]:
    """Drop repeats: same type, actor codes and recipient codes from the same sentence."""
    seen: set[tuple[Any, ...]] = set()
    kept: list[Event] = []
    for event in events:
        key = (
            event.type,
            frozenset(_codes(event.actor)),
            frozenset(_codes(event.recipient)),
            event.evidence.start,
            event.evidence.end,
            _normalise(event.evidence.sentence),
        )
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept


def date_is_right(predicted: Event, gold: GoldEvent) -> bool | None:
    """Whether the predicted date fits the gold one; None when the gold gives no date.

    A gold day: the predicted day within a day of it, or a predicted range of at most a week
    holding it. A gold range (open where an end is null): the predicted day or range inside it.
    """
    day = predicted.date
    start, end = (day, day) if day is not None else (predicted.date_start, predicted.date_end)
    if gold.date is not None:
        if day is not None:
            return abs(day - gold.date) <= DATE_TOLERANCE
        if start is None or end is None:
            return False
        return end - start <= LONGEST_DAY_RANGE and start <= gold.date <= end
    if gold.date_range is None or gold.date_range == (None, None):
        return None
    gold_start, gold_end = gold.date_range
    if gold_start is not None and (start is None or start < gold_start):
        return False
    return not (gold_end is not None and (end is None or end > gold_end))


def place_is_right(predicted: Event, gold: GoldEvent) -> bool | None:
    """Same place name, ignoring case; None when the gold gives no place."""
    if not gold.location:
        return None
    if predicted.location is None:
        return False
    return _normalise(predicted.location.name) == _normalise(gold.location)


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
    for j, event in enumerate(gold):
        if event.background:
            continue
        overall.gold += 1
        per_type.setdefault(event.type, _Tally()).gold += 1
        if j in matched_gold:
            overall.matched_gold += 1
            per_type[event.type].matched_gold += 1
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
    for j, event in enumerate(doc.events):
        if event.background or j in dyad_gold:
            continue
        kind: ExplanationKind = "dyad_missed" if j in typed_gold else "missed"
        items.append(
            Explanation(
                doc_id=doc.id,
                kind=kind,
                type=event.type,
                actor=_sorted_codes(event.actor),
                recipient=_sorted_codes(event.recipient),
                sentence=event.evidence or doc.text,
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


# --- Running the coder ---------------------------------------------------------------------


def gold_to_document(gold: GoldDocument) -> Document:
    """The document a coder sees: the gold text as body, dated as published, in English."""
    return Document(
        id=gold.id,
        source=gold.source,
        published=gold.date,
        title=gold.title,
        body=gold.text,
        language="en",
    )


def evaluate_documents(
    gold_docs: Sequence[GoldDocument],
    *,
    settings: Settings,
    knowledge: Knowledge | None = None,
    explain: bool = False,
    source: str | None = None,
) -> EvaluationReport:
    """Code the gold texts with the pipeline and score them; wall time covers both.

    ``knowledge`` defaults to the one ``settings`` points at, built here.
    """
    from eventwire.pipeline import code_documents  # loads spaCy lazily, only when evaluating

    started = time.perf_counter()
    knowledge = knowledge or Knowledge.from_settings(settings)
    coded = code_documents([gold_to_document(g) for g in gold_docs], knowledge, settings)
    failed = [c for c in coded if c.status == "failed"]
    for c in failed:
        log.warning("%s: %s", c.document.id, c.message)
    predictions = {c.document.id: c.events for c in coded}
    report = score(gold_docs, predictions, explain=explain, source=source)
    return report.model_copy(
        update={
            "failed_documents": len(failed),
            "wall_seconds": round(time.perf_counter() - started, 3),
        }
    )


def evaluate_file(path: Path, *, settings: Settings, explain: bool = False) -> EvaluationReport:
    """Read a gold file (GSR JSON, our JSON Lines, or seed gold), code its texts, score them."""
    return evaluate_documents(read_gold(path), settings=settings, explain=explain, source=str(path))


# --- Formatting ----------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def _share_text(share: Share) -> str:
    return f"{share.correct}/{share.checked} ({_pct(share.share).strip()})"


def _band_label(band: ConfidenceBand, *, top: bool) -> str:
    if top:
        return f"conf >= {band.low:.2f}"
    if band.low <= 0.0:
        return f"conf < {band.high:.2f}"
    return f"{band.low:.2f} <= conf < {band.high:.2f}"


def format_report(report: EvaluationReport) -> str:
    """One plain-text table: overall and per-type figures, then shares and wall time."""
    header = (
        f"{'':<12} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} {'dyad F1':>8}"
    )
    lines = [
        f"evaluation of {report.source or 'gold'}: {report.documents} documents"
        f" ({report.failed_documents} failed), {report.gold_events} gold events"
        f" (+{report.background_events} background), {report.predicted_events} predicted"
        f" ({report.duplicates_removed} duplicates removed)",
        header,
        "-" * len(header),
    ]

    def row(label: str, t: Scores, d: Scores) -> str:
        return (
            f"{label:<12} {t.gold:>5} {t.predicted:>5} {t.matched_gold:>5} "
            f"{_pct(t.precision)} {_pct(t.recall)} {_pct(t.f1)} {_pct(d.f1):>8}"
        )

    lines.append(row("all (type)", report.type_scores, report.dyad_scores))
    d = report.dyad_scores
    lines.append(
        f"{'all (dyad)':<12} {d.gold:>5} {d.predicted:>5} {d.matched_gold:>5} "
        f"{_pct(d.precision)} {_pct(d.recall)} {_pct(d.f1)} {_pct(d.f1):>8}"
    )
    lines.append("-" * len(header))
    lines.extend(row(r.type.value, r.type_scores, r.dyad_scores) for r in report.per_type)
    lines.append("-" * len(header))
    lines.append(
        f"no-event documents left empty: {_share_text(report.no_event)};"
        f" date right: {_share_text(report.date)}; place right: {_share_text(report.place)}"
    )
    bands = "; ".join(
        f"{_band_label(b, top=i == 0)}: {b.type_correct}/{b.events} type-correct"
        f" ({_pct(b.share_correct).strip()}), {_pct(b.share_of_all).strip()} of events"
        for i, b in enumerate(report.reliability)
    )
    lines.append(f"confidence bands: {bands}")
    if report.wall_seconds is not None:
        lines.append(f"wall time: {report.wall_seconds:.2f} s")
    if report.explanations:
        lines.append("")
        lines.append("misses and false events:")
        for item in report.explanations:
            dyad = f"{','.join(item.actor) or '-'} -> {','.join(item.recipient) or '-'}"
            lines.append(f"  {item.doc_id} {item.kind:<11} {item.type.value:<9} {dyad}")
            lines.append(f"      {item.sentence}")
    return "\n".join(lines)
