"""Records to rows and back: documents, events and their entities."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from eventwire.models import (
    CodedDocument,
    Document,
    Entity,
    Event,
    StoredDocument,
)
from eventwire.query import (
    event_interval,
    fold_name,
)
from eventwire.store.errors import StoreError

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- helpers


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_published(value: str | None) -> datetime | date | None:
    if value is None:
        return None
    if len(value) > 10:
        return datetime.fromisoformat(value)
    return date.fromisoformat(value)


def _fold_or_none(value: str | None) -> str | None:
    return fold_name(value) if isinstance(value, str) else None


def _dump(value: BaseModel | None) -> str | None:
    return value.model_dump_json() if value is not None else None


def _dump_list(values: Sequence[BaseModel]) -> str:
    return json.dumps([value.model_dump(mode="json") for value in values], ensure_ascii=False)


_EVENT_COLUMNS = (
    "event_id, doc_source, doc_id, position, source, type, mode, context, cameo, plover_score, "
    "quad_class, actor, recipient, date, date_start, date_end, date_is_publication, date_low, "
    "date_high, location, location_name, location_country, location_lat, location_lon, "
    "location_geonameid, evidence, evidence_sentence, evidence_start, evidence_end, "
    "trigger_text, confidence"
)


_EVENT_READ = (
    "e.event_id, e.doc_id, e.source, e.type, e.mode, e.context, e.cameo, e.plover_score, "
    "e.quad_class, e.actor, e.recipient, e.date, e.date_start, e.date_end, "
    "e.date_is_publication, e.location, e.evidence, e.confidence, "
    "i.incident_id, i.n_mentions, i.n_documents, i.n_sources"
)
"""Read from ``store.related.EVENT_FROM`` (events with their incident counts)."""


_ENTITY_COLUMNS = (
    "event_id, role, position, text, name, country, sector, org, kind, title, char_start, char_end"
)


_DOCUMENT_SUMMARY = (
    "source, id, title, published, url, language, source_name, status, message, coded_at, n_events"
)


_EVENT_ORDER = " ORDER BY e.doc_source, e.doc_id, e.evidence_start, e.position"


def _event_row(event: Event, doc_source: str, position: int) -> tuple[Any, ...]:
    low, high = event_interval(event)
    location = event.location
    evidence = event.evidence
    return (
        event.event_id,
        doc_source,
        event.doc_id,
        position,
        event.source,
        event.type.value,
        event.mode,
        json.dumps(event.context, ensure_ascii=False),
        event.cameo,
        event.plover_score,
        event.quad_class.value,
        _dump_list(event.actor),
        _dump_list(event.recipient),
        _iso(event.date),
        _iso(event.date_start),
        _iso(event.date_end),
        int(event.date_is_publication),
        _iso(low),
        _iso(high),
        _dump(location),
        location.name if location else None,
        location.country if location else None,
        location.lat if location else None,
        location.lon if location else None,
        location.geonameid if location else None,
        _dump(evidence),
        evidence.sentence,
        evidence.start,
        evidence.end,
        evidence.trigger,
        event.confidence,
    )


def _entity_rows(event: Event) -> Iterator[tuple[Any, ...]]:
    for role, entities in (("actor", event.actor), ("recipient", event.recipient)):
        for position, entity in enumerate(entities):
            yield _entity_row(event.event_id, role, position, entity)


def _entity_row(event_id: str, role: str, position: int, entity: Entity) -> tuple[Any, ...]:
    return (
        event_id,
        role,
        position,
        entity.text,
        entity.name,
        entity.country,
        entity.sector,
        entity.org,
        entity.kind,
        entity.role,
        entity.start,
        entity.end,
    )


def _row_event(row: sqlite3.Row) -> Event:
    location = row["location"]
    return Event.model_validate(
        {
            "doc_id": row["doc_id"],
            "event_id": row["event_id"],
            "source": row["source"],
            "type": row["type"],
            "mode": row["mode"],
            "context": json.loads(row["context"]),
            "cameo": row["cameo"],
            "plover_score": row["plover_score"],
            "quad_class": row["quad_class"],
            "actor": json.loads(row["actor"]),
            "recipient": json.loads(row["recipient"]),
            "date": row["date"],
            "date_start": row["date_start"],
            "date_end": row["date_end"],
            "date_is_publication": bool(row["date_is_publication"]),
            "location": json.loads(location) if location is not None else None,
            "evidence": json.loads(row["evidence"]),
            "confidence": row["confidence"],
            "incident_id": row["incident_id"],
            "n_mentions": row["n_mentions"],
            "n_documents": row["n_documents"],
            "n_sources": row["n_sources"],
        }
    )


def _row_document(row: sqlite3.Row) -> Document:
    return Document(
        id=row["id"],
        source=row["source"] or None,
        published=_parse_published(row["published"]),
        title=row["title"],
        body=row["body"],
        url=row["url"],
        language=row["language"],
        source_name=row["source_name"],
        origin=row["origin"],
    )


def _row_stored(row: sqlite3.Row) -> StoredDocument:
    return StoredDocument(
        id=row["id"],
        source=row["source"] or None,
        title=row["title"],
        published=_parse_published(row["published"]),
        url=row["url"],
        language=row["language"],
        source_name=row["source_name"],
        status=row["status"],
        message=row["message"],
        coded_at=datetime.fromisoformat(row["coded_at"]),
        n_events=row["n_events"],
    )


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _events_to_store(coded: CodedDocument) -> list[Event]:
    """The document's events, checked, deduplicated by id, with the document's source."""
    document = coded.document
    seen: set[str] = set()
    events: list[Event] = []
    for event in coded.events:
        if event.doc_id != document.id:
            raise ValueError(
                f"event {event.event_id} belongs to document {event.doc_id!r}, not {document.id!r}"
            )
        if event.source is not None and event.source != document.source:
            raise ValueError(
                f"event {event.event_id} has source {event.source!r}, "
                f"its document has {document.source!r}"
            )
        if event.event_id in seen:
            log.debug("%s: dropping duplicate event %s", document.id, event.event_id)
            continue
        seen.add(event.event_id)
        if event.source is None and document.source is not None:
            event = event.model_copy(update={"source": document.source})
        events.append(event)
    return events


def _refuse_foreign_ids(db: sqlite3.Connection, event_ids: list[str]) -> None:
    """Fail (rolling the save back) if another document already holds one of these ids."""
    chunk = 500
    for start in range(0, len(event_ids), chunk):
        ids = event_ids[start : start + chunk]
        marks = ", ".join("?" for _ in ids)
        row = db.execute(
            f"SELECT event_id, doc_source, doc_id FROM events WHERE event_id IN ({marks}) LIMIT 1",
            ids,
        ).fetchone()
        if row is not None:
            raise StoreError(
                f"event id {row['event_id']} is already stored for document "
                f"({row['doc_source']!r}, {row['doc_id']!r}); event ids must be unique "
                "across documents"
            )
