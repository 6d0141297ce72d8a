"""Builders of hand-made events for the API and web tests (no spaCy)."""

from __future__ import annotations

from eventwire.models import Entity, Event, EventType, Evidence, QuadClass


def entity(body: str, text: str, *, after: str = "", **fields: object) -> Entity:
    start = body.index(text, body.index(after))
    return Entity(text=text, start=start, end=start + len(text), **fields)  # type: ignore[arg-type]


def make_event(
    doc_id: str,
    body: str,
    sentence: str,
    trigger: str,
    *,
    n: int,
    type: EventType,
    quad: QuadClass,
    score: float | None,
    actor: list[Entity],
    recipient: list[Entity],
    source: str | None = "AVA",
    confidence: float = 0.8,
    **fields: object,
) -> Event:
    start = body.index(sentence)
    trigger_start = body.index(trigger, start)
    return Event(
        doc_id=doc_id,
        event_id=f"ev-{doc_id}-{n}",
        source=source,
        type=type,
        quad_class=quad,
        plover_score=score,
        actor=actor,
        recipient=recipient,
        evidence=Evidence(
            sentence=sentence,
            start=start,
            end=start + len(sentence),
            trigger=trigger,
            trigger_start=trigger_start,
            trigger_end=trigger_start + len(trigger),
        ),
        confidence=confidence,
        **fields,  # type: ignore[arg-type]
    )


def as_coded(event: Event) -> Event:
    """A stored event without the incident counts the store adds (#10): as coding made it."""
    return event.model_copy(
        update={"incident_id": None, "n_mentions": None, "n_documents": None, "n_sources": None}
    )
