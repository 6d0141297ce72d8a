"""Stories: documents telling the same story, grouped at ingest (#10)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from eventwire.api.deps import StoreDep
from eventwire.api.schemas import StoriesPublic

router = APIRouter(prefix="/stories", tags=["stories"])


@router.get("", response_model=StoriesPublic)
def list_stories(
    store: StoreDep,
    since: Annotated[date | None, Query(description="stories seen on or after this day")] = None,
    until: Annotated[date | None, Query(description="stories seen on or before this day")] = None,
    min_documents: Annotated[int, Query(ge=1, le=1000)] = 2,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> StoriesPublic:
    """Stories of at least ``min_documents`` documents, oldest first."""
    found = store.stories(since=since, until=until, min_documents=min_documents)
    return StoriesPublic(total=len(found), items=found[offset : offset + limit])
