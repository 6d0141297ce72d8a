"""Reviews: analysts' verdicts on events (the only thing the API writes)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from eventwire.api.deps import StoreDep
from eventwire.api.schemas import ReviewCreate, ReviewPublic, ReviewsPublic

router = APIRouter(prefix="/events/{event_id}/reviews", tags=["reviews"])


@router.post("", response_model=ReviewPublic, status_code=status.HTTP_201_CREATED)
def create_review(store: StoreDep, event_id: str, body: ReviewCreate) -> ReviewPublic:
    """Record a verdict; it becomes the event's current one. Earlier reviews are kept."""
    if store.event(event_id) is None:
        raise HTTPException(status_code=404, detail=f"no event with id {event_id!r} to review")
    review = store.add_review(event_id, body.verdict, note=body.note, reviewer=body.reviewer)
    return ReviewPublic.from_review(review)


@router.get("", response_model=ReviewsPublic)
def list_reviews(store: StoreDep, event_id: str) -> ReviewsPublic:
    """Every review of the event, oldest first.

    Reviews outlive recoding, so an event that is no longer stored still lists its reviews;
    404 only when the id is neither stored nor reviewed.
    """
    items = [ReviewPublic.from_review(review) for review in store.reviews(event_id)]
    if not items and store.event(event_id) is None:
        raise HTTPException(status_code=404, detail=f"no event with id {event_id!r}")
    return ReviewsPublic(event_id=event_id, latest=items[-1] if items else None, items=items)
