"""When two events from different documents report the same happening.

Same PLOVER type (its mode may differ: one outlet's "agreed" is another's "agreed to"),
compatible participants (actors share a code; recipients share a code or one side has
none; for symmetric types the two sides may be swapped), dates that agree (intervals that
overlap, with a little slack when a date is only the publication date: reports of the same
happening appear on the following days), and the same place or none.
"""

from __future__ import annotations

from datetime import date, timedelta

from eventwire.codebook import SYMMETRIC_TYPES
from eventwire.models import Entity, Event

PUBLICATION_SLACK_DAYS = 2
"""An event dated only by its document's publication may have happened this many days before."""

STORY_WINDOW_DAYS = 3
"""Documents published this many days apart or fewer may be told as one story."""


def _codes(entities: list[Entity]) -> set[str]:
    return {entity.code.upper() for entity in entities if entity.code}


def _interval(event: Event) -> tuple[date, date] | None:
    low = event.date_start or event.date
    high = event.date_end or event.date
    if low is None and high is None:
        return None
    low = low or high
    high = high or low
    assert low is not None and high is not None
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


def same_happening(a: Event, b: Event) -> bool:
    """Whether ``a`` and ``b`` (from different documents) report one happening."""
    return (
        a.type == b.type
        and _dates_agree(a, b)
        and _places_agree(a, b)
        and _participants_agree(a, b)
    )
