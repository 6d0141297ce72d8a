"""Events: filtered, paged listings and single events, each with its current review verdict."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from eventwire.api.deps import EventFilterDep, PageDep, StoreDep
from eventwire.api.schemas import EventPublic, EventsPublic
from eventwire.models import Event
from eventwire.store import Store

router = APIRouter(prefix="/events", tags=["events"])


def with_reviews(store: Store, events: list[Event]) -> list[EventPublic]:
    """Attach each event's current verdict (one query for the whole page)."""
    latest = store.latest_reviews([event.event_id for event in events])
    return [EventPublic.from_event(event, latest.get(event.event_id)) for event in events]


@router.get("", response_model=EventsPublic)
def list_events(store: StoreDep, query: EventFilterDep, page: PageDep) -> EventsPublic:
    """Events matching the filter, ordered by document then position in it."""
    paged = query.model_copy(update={"limit": page.limit, "offset": page.offset})
    events = store.events(paged)
    return EventsPublic(
        total=store.count_events(query),
        limit=page.limit,
        offset=page.offset,
        items=with_reviews(store, events),
    )


@router.get("/{event_id}", response_model=EventPublic)
def read_event(store: StoreDep, event_id: str) -> EventPublic:
    event = store.event(event_id)
    if event is None:
        raise HTTPException(status_code=404, detail=f"no event with id {event_id!r}")
    return with_reviews(store, [event])[0]
