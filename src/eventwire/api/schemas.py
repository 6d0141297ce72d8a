"""Response and request bodies of the web API, one family per resource.

The API never returns database rows: it returns these models, which build on the pipeline's
own records (``Event``, ``StoreStats``) so that a JSON event from the API has the same fields
as one from ``eventwire export --format jsonl``, plus what the web page needs next to it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from eventwire.models import (
    Event,
    QuadClass,
    RelatedDocument,
    Review,
    ReviewVerdict,
    StoredDocument,
    StoreStats,
    Story,
)

TimelineInterval = Literal["day", "week", "month", "year"]


# --------------------------------------------------------------------------- reviews


class ReviewCreate(BaseModel):
    """What an analyst sends to review an event."""

    model_config = ConfigDict(extra="forbid")

    verdict: ReviewVerdict
    note: str | None = Field(default=None, max_length=2000)
    reviewer: str | None = Field(default=None, max_length=200)


class ReviewPublic(BaseModel):
    """One stored review."""

    id: int
    event_id: str
    verdict: ReviewVerdict
    note: str | None = None
    reviewer: str | None = None
    created_at: datetime

    @classmethod
    def from_review(cls, review: Review) -> ReviewPublic:
        return cls.model_validate(review.model_dump())


class ReviewsPublic(BaseModel):
    """Every review of one event, oldest first; ``latest`` is its current verdict."""

    event_id: str
    latest: ReviewPublic | None
    items: list[ReviewPublic]


# --------------------------------------------------------------------------- events


class EventPublic(Event):
    """A coded event as exported, with its current review verdict (None: not reviewed)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    review: ReviewPublic | None = None

    @classmethod
    def from_event(cls, event: Event, review: Review | None = None) -> EventPublic:
        data = event.model_dump()
        data["review"] = ReviewPublic.from_review(review) if review is not None else None
        return cls.model_validate(data)


class EventsPublic(BaseModel):
    """One page of the events matching a filter; ``total`` counts all of them."""

    total: int
    limit: int
    offset: int
    items: list[EventPublic]


# --------------------------------------------------------------------------- documents


class DocumentSummaryPublic(BaseModel):
    """A stored document without its body, for listings."""

    id: str
    source: str | None = None
    title: str | None = None
    published: datetime | date | None = None
    url: str | None = None
    language: str | None = None
    source_name: str | None = None
    status: str
    message: str | None = None
    coded_at: datetime
    n_events: int

    @classmethod
    def from_stored(cls, stored: StoredDocument) -> DocumentSummaryPublic:
        return cls.model_validate(stored.model_dump())


class DocumentsPublic(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[DocumentSummaryPublic]


class DocumentPublic(DocumentSummaryPublic):
    """A document with its body and its events, whose evidence offsets index ``body``."""

    body: str
    events: list[EventPublic]
    related: list[RelatedDocument] = Field(default_factory=list)
    """Other documents of the same story (#10): near-duplicates and other reports."""


class StoriesPublic(BaseModel):
    """Stories of several documents (#10), oldest first."""

    total: int
    items: list[Story]


# --------------------------------------------------------------------------- stats


class StatsPublic(StoreStats):
    """Store counts plus how many events carry each current review verdict."""

    reviews_by_verdict: dict[str, int]


class TimelinePeriod(BaseModel):
    """Events of one period: counts and mean PLOVER score, in total and per quad class."""

    period: str
    """Label: ``2024-03`` (month), ``2024-W10`` (week), ``2024-03-05`` (day), ``2024`` (year)."""
    start: date
    end: date
    total: int
    mean_score: float | None
    """Mean PLOVER score of the period's scored events (None: none scored)."""
    counts: dict[QuadClass, int]
    """Every quad class, zero included."""
    mean_scores: dict[QuadClass, float | None]


class TimelinePublic(BaseModel):
    """Events per period for a filter; periods without events inside the span are included."""

    interval: TimelineInterval
    total: int
    undated: int
    """Matching events with no date at all, which no period can hold."""
    periods: list[TimelinePeriod]
