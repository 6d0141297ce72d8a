"""The one builder of hand-made events for tests (no spaCy): ``event``, and ``make_event``
for events placed in a document body (API and web tests)."""

from __future__ import annotations

from collections.abc import Sequence

from eventwire import codebook
from eventwire.models import Entity, Event, EventType, Evidence, QuadClass
from support import builtin_knowledge


def event(
    type: EventType | str = EventType.CONSULT,
    actor: Sequence[Entity] = (),
    recipient: Sequence[Entity] = (),
    *,
    doc_id: str = "d1",
    event_id: str = "e1",
    sentence: str = "Iran met Russia.",
    start: int = 0,
    end: int | None = None,
    **fields: object,
) -> Event:
    """An event with the fields a test names; the rest are plain defaults. The quad class is
    the codebook's for the type unless given; ``evidence`` may be given whole."""
    event_type = EventType(type)
    values: dict[str, object] = {
        "quad_class": codebook.of(builtin_knowledge()).quad_class(event_type),
        "evidence": Evidence(
            sentence=sentence, start=start, end=start + len(sentence) if end is None else end
        ),
    }
    values.update(fields)
    return Event(
        doc_id=doc_id,
        event_id=event_id,
        type=event_type,
        actor=list(actor),
        recipient=list(recipient),
        **values,  # type: ignore[arg-type]
    )


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
    return event(
        type,
        actor,
        recipient,
        doc_id=doc_id,
        event_id=f"ev-{doc_id}-{n}",
        source=source,
        quad_class=quad,
        plover_score=score,
        evidence=Evidence(
            sentence=sentence,
            start=start,
            end=start + len(sentence),
            trigger=trigger,
            trigger_start=trigger_start,
            trigger_end=trigger_start + len(trigger),
        ),
        confidence=confidence,
        **fields,
    )


def as_coded(event: Event) -> Event:
    """A stored event without the incident counts the store adds (#10): as coding made it."""
    return event.model_copy(
        update={"incident_id": None, "n_mentions": None, "n_documents": None, "n_sources": None}
    )
