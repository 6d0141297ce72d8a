"""Matching predicted events to gold ones, by the rules of the reference scorer
(``../shared/eval/score.py``): codes, type, dyad (sides pooled for the codebook's types between
equals), same sentence, date and place; repeats removed."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from eventwire.codebook import SYMMETRIC_TYPES
from eventwire.evaluate.gold import CAMEO_COUNTRY_CODES, NON_STATE_CODES, GoldEvent
from eventwire.models import Event, EventType

DATE_TOLERANCE = dt.timedelta(days=1)

LONGEST_DAY_RANGE = dt.timedelta(days=7)
"""A predicted range counts as dating a gold day only when it spans at most this long."""

MIN_OVERLAP_WORDS = 5
"""Shortest run of shared words that makes two evidence texts 'overlap' (``same_evidence``)."""


class _Coded(Protocol):
    @property
    def country(self) -> str | None: ...
    @property
    def sector(self) -> str | None: ...


# --- Texts ---------------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
_WORD = re.compile(r"\w+")


def _normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split())


def fold(text: str | None) -> str:
    """The reference scorer's text key: accents and non-ASCII dropped, lower case, stripped."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return ascii_text.lower().strip()


def same_sentence(predicted_sentence: str | None, gold_evidence: str | None) -> bool:
    """The scoring rule: both texts given and one (folded) contains the other."""
    a, b = fold(predicted_sentence), fold(gold_evidence)
    return bool(a and b and (a in b or b in a))


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
    """A looser test than scoring's ``same_sentence``, for reading gold against parses.

    True when one text contains the other (ignoring case, spacing and curly quotes), or when
    they share a run of at least MIN_OVERLAP_WORDS words that is half the shorter text: the
    two texts then overlap, as when sentence splitters cut differently. Not used by ``score``.
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


# --- Codes ---------------------------------------------------------------------------------


def entity_code(entity: _Coded) -> str | None:
    """The code an entity scores with (the reference scorer's ``entity_code``).

    The country after the CAMEO fixes (JAP -> JPN, ITL -> ITA) when it is three letters and not
    a non-state code; a non-state code as itself (IMG, UIS, UAF as REB); else the first three
    letters of the sector, upper case; else None.
    """
    country = CAMEO_COUNTRY_CODES.get(c := (entity.country or "").strip().upper(), c)
    if country in NON_STATE_CODES:
        return NON_STATE_CODES[country]
    if len(country) == 3:
        return country
    return (entity.sector or "").strip().upper()[:3] or None


def _codes(entities: Sequence[Any]) -> set[str]:
    return {code for entity in entities if (code := entity_code(entity))}


# --- Fits ----------------------------------------------------------------------------------


def _types(gold: GoldEvent) -> set[EventType]:
    return {gold.type, *gold.alt_types}


def type_fits(predicted: Event, gold: GoldEvent) -> bool:
    """The predicted type is the gold type or one of its alt_types."""
    return predicted.type in _types(gold)


def dyad_fits(predicted: Event, gold: GoldEvent) -> bool:
    """Type match, and the sides share codes (pooled when the gold is between equals).

    When the gold type is CONSULT, AGREE or COOPERATE, actor and recipient are pooled on both
    sides and must share min(2, distinct gold codes). Otherwise each gold side that has codes
    must share one with the same predicted side.
    """
    if not type_fits(predicted, gold):
        return False
    pooled = gold.type in SYMMETRIC_TYPES and predicted.type in SYMMETRIC_TYPES | _types(gold)
    return _sides_fit(predicted, gold, pooled)


def sides_fit(predicted: Event, gold: GoldEvent) -> bool:
    """The dyad rule without the type: the prediction's parties are the gold's (pooled when
    the gold is between equals), whatever type it gives them."""
    return _sides_fit(predicted, gold, gold.type in SYMMETRIC_TYPES)


def _sides_fit(predicted: Event, gold: GoldEvent, pooled: bool) -> bool:
    if pooled:
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


# --- Matching ------------------------------------------------------------------------------


def match_events(
    predicted: Sequence[Event], gold: Sequence[GoldEvent], fits: Fits
) -> list[tuple[int, int]]:
    """One-to-one greedy matching, as (prediction index, gold index) pairs.

    Two passes in the coder's order: first every prediction takes the first free gold event that
    fits and shares its sentence; then each prediction still unmatched takes the first free gold
    event that fits.
    """
    used: set[int] = set()
    done: set[int] = set()
    hits: list[tuple[int, int]] = []
    for same_first in (True, False):
        for i, event in enumerate(predicted):
            if i in done:
                continue
            j = next(
                (
                    j
                    for j, g in enumerate(gold)
                    if j not in used
                    and fits(event, g)
                    and (not same_first or same_sentence(event.evidence.sentence, g.evidence))
                ),
                None,
            )
            if j is not None:
                used.add(j)
                done.add(i)
                hits.append((i, j))
    return hits


def dedupe_events(events: Sequence[Event]) -> list[Event]:
    """Drop repeats: same type, actor codes and recipient codes from the same (folded) sentence."""
    seen: set[tuple[Any, ...]] = set()
    kept: list[Event] = []
    for event in events:
        key = (
            event.type,
            tuple(sorted(_codes(event.actor))),
            tuple(sorted(_codes(event.recipient))),
            fold(event.evidence.sentence),
        )
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept


# --- Date and place ------------------------------------------------------------------------


def date_is_right(predicted: Event, gold: GoldEvent) -> bool | None:
    """Whether the predicted date fits the gold one; None when the gold fixes no date.

    A gold day: the predicted day within a day of it, or a predicted range of at most a week
    holding it. A gold range with a start (a null end is open): the predicted day, or the whole
    predicted range (both ends given), inside it. A range without a start fixes no date.
    """
    gold_day = gold.date
    gold_start, gold_end = gold.date_range or (None, None)
    if gold_day is None and gold_start is None:
        return None
    day, start, end = predicted.date, predicted.date_start, predicted.date_end
    if gold_day is not None:
        if day is not None:
            return abs(day - gold_day) <= DATE_TOLERANCE
        return bool(start and end and start <= gold_day <= end and end - start <= LONGEST_DAY_RANGE)
    assert gold_start is not None
    high = gold_end or dt.date.max
    if day is not None:
        return gold_start <= day <= high
    return bool(start and end and gold_start <= start and end <= high)


def place_is_right(predicted: Event, gold: GoldEvent) -> bool | None:
    """Same place, one folded name containing the other; None when the gold gives no place."""
    if not gold.location:
        return None
    name = fold(predicted.location.name if predicted.location else None)
    gold_name = fold(gold.location)
    return bool(name and (name in gold_name or gold_name in name))
