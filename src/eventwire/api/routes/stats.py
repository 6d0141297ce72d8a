"""Store-wide counts and the timeline of events matching a filter."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from eventwire.api.deps import EventFilterDep, StoreDep
from eventwire.api.schemas import StatsPublic, TimelineInterval, TimelinePublic
from eventwire.api.timeline import build_timeline

router = APIRouter(tags=["stats"])


@router.get("/stats", response_model=StatsPublic)
def read_stats(store: StoreDep) -> StatsPublic:
    stats = store.stats()
    return StatsPublic(**stats.model_dump(), reviews_by_verdict=store.review_counts())


@router.get("/timeline", response_model=TimelinePublic)
def read_timeline(
    store: StoreDep,
    query: EventFilterDep,
    interval: Annotated[TimelineInterval, Query(description="period length")] = "month",
) -> TimelinePublic:
    """Events per period and quad class with mean PLOVER scores, for the same filter as
    ``/api/events`` (paging does not apply)."""
    return build_timeline(store.iter_events(query), interval)
