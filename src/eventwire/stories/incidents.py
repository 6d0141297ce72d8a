"""When two events from different documents report the same happening.

Same PLOVER type (its mode may differ: one outlet's "agreed" is another's "agreed to"),
compatible participants (actors share a code; recipients share a code or one side has
none; for symmetric types the two sides may be swapped), dates that agree (intervals that
overlap, with a little slack when a date is only the publication date: reports of the same
happening appear on the following days), the same place or none, and evidence sentences
that share content words (names, places, numbers: what any report of the happening would
mention): two when both reports name the same place, three otherwise.

Two events dated only by their documents' publication dates are linked only when their
sentences are nearly the same (a copy): such events are often background or comment, and
"about the day this was published" is not enough to say two of them are one happening.

Dates must be precise for a link: an event dated only to a month ("last month") or with an
open end ("before Tuesday") could be any of many happenings, so it stays alone. Links are
chained into incidents, so each link must be safe on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from eventwire.codebook import SYMMETRIC_TYPES
from eventwire.models import Entity, Event

PUBLICATION_SLACK_DAYS = 2
"""An event dated only by its document's publication may have happened this many days before."""

STORY_WINDOW_DAYS = 3
"""Documents published this many days apart or fewer may be told as one story."""

MAX_INTERVAL_DAYS = 7
"""An event dated to a wider interval is too vague to be linked to another report."""

MIN_SHARED_WORDS = 3
"""Content words two evidence sentences must share (one fewer when both name the place)."""

COPY_OVERLAP = 0.5
"""Content-word Jaccard from which two sentences are copies of one another."""

_WORD = re.compile(r"\w+")
_FUNCTION_WORDS = frozenset(
    _WORD.findall(
        "a about after against also an and any are as at be because been before being but by "
        "can could did do does during for from had has have he her here him his how i if in "
        "into is it its last may more most mr mrs ms new not now of on one only or other our "
        "out over said say says she should so some than that the their them then there these "
        "they this those through to two under up us was we were what when where which while "
        "who will with would year years you"
    )
)


def _codes(entities: list[Entity]) -> frozenset[str]:
    return frozenset(entity.code.upper() for entity in entities if entity.code)


def _content_words(sentence: str) -> frozenset[str]:
    return frozenset(
        word
        for word in (w.casefold() for w in _WORD.findall(sentence))
        if len(word) > 2 and word not in _FUNCTION_WORDS
    )


@dataclass(frozen=True)
class Report:
    """What the rules read of one event: built from an ``Event``, or by the store straight
    from a row (candidates are many; a full ``Event`` for each would be slow)."""

    type: str
    low: date | None
    high: date | None
    publication_date: bool
    actors: frozenset[str]
    recipients: frozenset[str]
    place: str | None
    """``geonameid:N`` or the folded place name; None when the event has no place."""
    words: frozenset[str]
    """Content words of the evidence sentence."""

    @classmethod
    def of(cls, event: Event) -> Report:
        location = event.location
        place = None
        if location is not None:
            place = (
                f"geonameid:{location.geonameid}"
                if location.geonameid is not None
                else location.name.casefold()
            )
        return cls(
            type=event.type.value,
            low=event.date_start or event.date,
            high=event.date_end or event.date,
            publication_date=event.date_is_publication,
            actors=_codes(event.actor),
            recipients=_codes(event.recipient),
            place=place,
            words=_content_words(event.evidence.sentence),
        )

    @classmethod
    def from_row(
        cls,
        *,
        type: str,
        low: str | None,
        high: str | None,
        publication_date: bool,
        actor_codes: Iterable[str | None],
        recipient_codes: Iterable[str | None],
        geonameid: int | None,
        place_name: str | None,
        sentence: str,
    ) -> Report:
        place = None
        if place_name is not None:
            place = f"geonameid:{geonameid}" if geonameid is not None else place_name.casefold()
        return cls(
            type=type,
            low=date.fromisoformat(low) if low else None,
            high=date.fromisoformat(high) if high else None,
            publication_date=publication_date,
            actors=frozenset(code.upper() for code in actor_codes if code),
            recipients=frozenset(code.upper() for code in recipient_codes if code),
            place=place,
            words=_content_words(sentence),
        )

    @property
    def symmetric(self) -> bool:
        return self.type in _SYMMETRIC

    def interval(self) -> tuple[date, date] | None:
        """The days it may have happened on, or None when that is unknown or vague."""
        low, high = self.low, self.high
        if low is None or high is None or (high - low).days > MAX_INTERVAL_DAYS:
            return None
        if self.publication_date:
            low = low - timedelta(days=PUBLICATION_SLACK_DAYS)
        return low, high

    def search_window(self) -> tuple[date, date] | None:
        """Dates a matching event's own interval must reach (for the SQL search)."""
        interval = self.interval()
        if interval is None:
            return None
        slack = timedelta(days=PUBLICATION_SLACK_DAYS)
        return interval[0] - slack, interval[1] + slack

    def search_codes(self) -> tuple[frozenset[str], bool]:
        """Codes a matching event must have among its participants, and whether among its
        actors only (for the SQL search)."""
        if self.symmetric:
            return self.actors | self.recipients, False
        return self.actors, True


_SYMMETRIC = frozenset(t.value for t in SYMMETRIC_TYPES)


def _dates_agree(a: Report, b: Report) -> bool:
    first, second = a.interval(), b.interval()
    if first is None or second is None:
        return False
    return first[0] <= second[1] and second[0] <= first[1]


def _places_agree(a: Report, b: Report) -> bool:
    return a.place is None or b.place is None or a.place == b.place


def _participants_agree(a: Report, b: Report) -> bool:
    if a.symmetric:
        both_a, both_b = a.actors | a.recipients, b.actors | b.recipients
        if not both_a or not both_b:
            return False
        shared = both_a & both_b
        # both sides named on both reports: the pair must be the same pair
        if len(both_a) > 1 and len(both_b) > 1:
            return len(shared) >= 2
        return bool(shared)
    if not (a.actors & b.actors):
        return False
    return not a.recipients or not b.recipients or bool(a.recipients & b.recipients)


def evidence_agrees(a: Report, b: Report) -> bool:
    """Whether two reports' sentences share enough words to tell one happening."""
    shared = a.words & b.words
    if a.publication_date and b.publication_date:
        return bool(shared) and len(shared) / len(a.words | b.words) >= COPY_OVERLAP
    same_place = a.place is not None and b.place is not None
    return len(shared) >= MIN_SHARED_WORDS - int(same_place)


def reports_agree(a: Report, b: Report, *, copies: bool = False) -> bool:
    """``same_happening`` on two ``Report``s."""
    return (
        a.type == b.type
        and _dates_agree(a, b)
        and _places_agree(a, b)
        and _participants_agree(a, b)
        and (copies or evidence_agrees(a, b))
    )


def same_happening(a: Event, b: Event, *, copies: bool = False) -> bool:
    """Whether ``a`` and ``b`` (from different documents) report one happening.

    ``copies``: the two documents are near-duplicates (a reprint, an update), so their
    sentences need not share words: what they agree on otherwise is enough.
    """
    return reports_agree(Report.of(a), Report.of(b), copies=copies)
