"""Matching predicted events to gold ones: same evidence, type, dyad (sides pooled for the
codebook's symmetric types), date and place; repeats removed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventwire.codebook import SYMMETRIC_TYPES
from eventwire.models import Event

if TYPE_CHECKING:
    pass

from eventwire.evaluate.gold import GoldEvent

DATE_TOLERANCE = dt.timedelta(days=1)


LONGEST_DAY_RANGE = dt.timedelta(days=7)
"""A predicted range counts as dating a gold day only when it spans at most this long."""

MIN_OVERLAP_WORDS = 5
"""Shortest run of shared words that makes two evidence texts 'overlap'."""


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
        choice = next(iter(required or pool), None)
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
