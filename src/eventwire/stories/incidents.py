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


def _codes(entities: list[Entity]) -> set[str]:
    return {entity.code.upper() for entity in entities if entity.code}


def _interval(event: Event) -> tuple[date, date] | None:
    """The days the event may have happened on, or None when that is unknown or vague."""
    low = event.date_start or event.date
    high = event.date_end or event.date
    if low is None or high is None or (high - low).days > MAX_INTERVAL_DAYS:
        return None
    if event.date_is_publication:
        low = low - timedelta(days=PUBLICATION_SLACK_DAYS)
    return low, high


def search_window(event: Event) -> tuple[date, date] | None:
    """Dates between which a matching event's own interval must reach (for the SQL search)."""
    interval = _interval(event)
    if interval is None:
        return None
    low, high = interval
    slack = timedelta(days=PUBLICATION_SLACK_DAYS)
    return low - slack, high + slack


def _dates_agree(a: Event, b: Event) -> bool:
    first, second = _interval(a), _interval(b)
    if first is None or second is None:
        return False
    return first[0] <= second[1] and second[0] <= first[1]


def _places_agree(a: Event, b: Event) -> bool:
    if a.location is None or b.location is None:
        return True
    if a.location.geonameid is not None and b.location.geonameid is not None:
        return a.location.geonameid == b.location.geonameid
    return a.location.name.casefold() == b.location.name.casefold()


def _participants_agree(a: Event, b: Event) -> bool:
    actors_a, actors_b = _codes(a.actor), _codes(b.actor)
    recipients_a, recipients_b = _codes(a.recipient), _codes(b.recipient)
    if a.type in SYMMETRIC_TYPES:
        both_a, both_b = actors_a | recipients_a, actors_b | recipients_b
        if not both_a or not both_b:
            return False
        shared = both_a & both_b
        # both sides named on both reports: the pair must be the same pair
        if len(both_a) > 1 and len(both_b) > 1:
            return len(shared) >= 2
        return bool(shared)
    if not (actors_a & actors_b):
        return False
    return not recipients_a or not recipients_b or bool(recipients_a & recipients_b)


def _content_words(sentence: str) -> set[str]:
    return {
        word
        for word in (w.casefold() for w in _WORD.findall(sentence))
        if len(word) > 2 and word not in _FUNCTION_WORDS
    }


def _evidence_agrees(a: Event, b: Event) -> bool:
    first, second = _content_words(a.evidence.sentence), _content_words(b.evidence.sentence)
    shared = first & second
    if a.date_is_publication and b.date_is_publication:
        return bool(shared) and len(shared) / len(first | second) >= COPY_OVERLAP
    same_place = a.location is not None and b.location is not None
    return len(shared) >= MIN_SHARED_WORDS - int(same_place)


def same_happening(a: Event, b: Event, *, copies: bool = False) -> bool:
    """Whether ``a`` and ``b`` (from different documents) report one happening.

    ``copies``: the two documents are near-duplicates (a reprint, an update), so their
    sentences need not share words: what they agree on otherwise is enough.
    """
    return (
        a.type == b.type
        and _dates_agree(a, b)
        and _places_agree(a, b)
        and _participants_agree(a, b)
        and (copies or _evidence_agrees(a, b))
    )
