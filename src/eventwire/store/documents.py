"""Documents and events in the store: each document saved with its events in one
transaction; reads by key, listing, filters and counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from eventwire.models import (
    CodedDocument,
    Document,
    DocumentStatus,
    Event,
    EventType,
    StoredDocument,
    StoreStats,
)
from eventwire.query import (
    EventFilter,
)
from eventwire.store.base import StoreBase
from eventwire.store.errors import AmbiguousDocumentError
from eventwire.store.filters import _page, _where
from eventwire.store.related import EVENT_FROM, forget_document, relate_document
from eventwire.store.rows import (
    _DOCUMENT_SUMMARY,
    _ENTITY_COLUMNS,
    _EVENT_COLUMNS,
    _EVENT_ORDER,
    _EVENT_READ,
    _entity_rows,
    _event_row,
    _events_to_store,
    _iso,
    _refuse_foreign_ids,
    _row_document,
    _row_event,
    _row_stored,
)


class DocumentTables(StoreBase):
    """Documents and events: save a coded document in one transaction, read them back, filter."""

    def save(self, coded: CodedDocument) -> None:
        """Store a coded document, replacing whatever an earlier coding stored for it.

        One transaction: the document row is upserted, its old events and entities deleted,
        the new ones inserted. Events sharing an ``event_id`` are stored once (the first).
        Raises ``ValueError`` for events of another document and ``StoreError`` if an event
        id is already used by a different document.
        """
        document = coded.document
        doc_source = document.source or ""
        events = _events_to_store(coded)
        now = datetime.now(UTC).isoformat()
        doc_row = (
            doc_source,
            document.id,
            _iso(document.published),
            _iso(document.published_date),
            document.title,
            document.body,
            document.url,
            document.language,
            document.source_name,
            document.origin,
            coded.status,
            coded.message,
            now,
            len(events),
        )
        with self._lock, self._transaction() as db:
            db.execute(
                "INSERT INTO documents (source, id, published, published_date, title, body, url,"
                " language, source_name, origin, status, message, coded_at, n_events)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (source, id) DO UPDATE SET published = excluded.published,"
                " published_date = excluded.published_date, title = excluded.title,"
                " body = excluded.body, url = excluded.url, language = excluded.language,"
                " source_name = excluded.source_name, origin = excluded.origin,"
                " status = excluded.status, message = excluded.message,"
                " coded_at = excluded.coded_at, n_events = excluded.n_events",
                doc_row,
            )
            affected = forget_document(db, (doc_source, document.id))
            db.execute(
                "DELETE FROM entities WHERE event_id IN"
                " (SELECT event_id FROM events WHERE doc_source = ? AND doc_id = ?)",
                (doc_source, document.id),
            )
            db.execute(
                "DELETE FROM events WHERE doc_source = ? AND doc_id = ?",
                (doc_source, document.id),
            )
            _refuse_foreign_ids(db, [event.event_id for event in events])
            db.executemany(
                f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES ({', '.join('?' * 31)})",
                [_event_row(event, doc_source, i) for i, event in enumerate(events)],
            )
            db.executemany(
                f"INSERT INTO entities ({_ENTITY_COLUMNS}) VALUES ({', '.join('?' * 12)})",
                [row for event in events for row in _entity_rows(event)],
            )
            relate_document(db, document, events, affected)

    def has_document(self, source: str | None, doc_id: str) -> bool:
        """Whether the document keyed ``(source, doc_id)`` is stored (None source = no source)."""
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM documents WHERE source = ? AND id = ?", (source or "", doc_id)
            ).fetchone()
        return row is not None

    def document(self, doc_id: str, source: str | None = None) -> Document | None:
        """The stored document, or None. Without ``source`` the id must name one document.

        Raises ``AmbiguousDocumentError`` when ``source`` is None and several sources have a
        document with this id (pass ``source=""`` for the document without a source).
        """
        row = self._document_row("*", doc_id, source)
        return _row_document(row) if row is not None else None

    def document_status(self, doc_id: str, source: str | None = None) -> StoredDocument | None:
        """How the document's last coding went (status, message, time, event count), or None.

        Same lookup rules as ``document``.
        """
        row = self._document_row(_DOCUMENT_SUMMARY, doc_id, source)
        return _row_stored(row) if row is not None else None

    def _document_row(self, columns: str, doc_id: str, source: str | None) -> sqlite3.Row | None:
        with self._lock:
            if source is not None:
                return self._db.execute(
                    f"SELECT {columns} FROM documents WHERE source = ? AND id = ?",
                    (source, doc_id),
                ).fetchone()
            rows = self._db.execute(
                f"SELECT {columns} FROM documents WHERE id = ? ORDER BY source LIMIT 2", (doc_id,)
            ).fetchall()
        if len(rows) > 1:
            sources = self._sources_of(doc_id)
            raise AmbiguousDocumentError(
                f"document id {doc_id!r} exists in several sources "
                f"({', '.join(repr(s) for s in sources)}); pass a source"
            )
        return rows[0] if rows else None

    def _sources_of(self, doc_id: str) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT source FROM documents WHERE id = ? ORDER BY source", (doc_id,)
            ).fetchall()
        return [row["source"] for row in rows]

    def documents(
        self,
        *,
        status: DocumentStatus | None = None,
        source: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StoredDocument]:
        """Stored documents (without bodies), ordered by source then id."""
        clauses: list[str] = []
        params: list[Any] = []
        if status is not None:
            clauses.append("status = ?")
            params.append(status)
        if source is not None:
            clauses.append("source = ?")
            params.append(source)
        sql = f"SELECT {_DOCUMENT_SUMMARY} FROM documents"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY source, id LIMIT ? OFFSET ?"
        params.extend([-1 if limit is None else limit, offset])
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [_row_stored(row) for row in rows]

    def events(self, filter: EventFilter | None = None) -> list[Event]:
        """Matching events, ordered by document, then position of the evidence in it."""
        return list(self.iter_events(filter))

    def iter_events(
        self,
        filter: EventFilter | None = None,
        *,
        batch_size: int = 500,
    ) -> Iterator[Event]:
        """Like ``events`` but streaming, ``batch_size`` rows at a time (for big exports)."""
        where, params = _where(filter)
        page, page_params = _page(filter)
        if filter is not None and filter.unique:
            # one row per incident: its most confident report among those matching
            sql = (
                f"SELECT * FROM (SELECT {_EVENT_READ}, e.doc_source AS o_source,"
                " e.evidence_start AS o_start, e.position AS o_position,"
                " ROW_NUMBER() OVER (PARTITION BY COALESCE(i.incident_id, e.event_id)"
                " ORDER BY e.confidence DESC, e.event_id) AS o_rank"
                f" FROM {EVENT_FROM}{where}) WHERE o_rank = 1"
                f" ORDER BY o_source, doc_id, o_start, o_position{page}"
            )
        else:
            sql = f"SELECT {_EVENT_READ} FROM {EVENT_FROM}{where}{_EVENT_ORDER}{page}"
        with self._lock:
            cursor = self._db.execute(sql, [*params, *page_params])
        try:
            while True:
                with self._lock:
                    rows = cursor.fetchmany(batch_size)
                if not rows:
                    return
                for row in rows:
                    yield _row_event(row)
        finally:
            cursor.close()

    def count_events(self, filter: EventFilter | None = None) -> int:
        """How many events match (``limit`` and ``offset`` are ignored)."""
        where, params = _where(filter)
        with self._lock:
            if filter is not None and filter.unique:
                sql = (
                    "SELECT COUNT(DISTINCT COALESCE(i.incident_id, e.event_id))"
                    f" FROM {EVENT_FROM}{where}"
                )
            else:
                sql = f"SELECT COUNT(*) FROM {EVENT_FROM}{where}"
            row = self._db.execute(sql, params).fetchone()
        return int(row[0])

    def stats(self) -> StoreStats:
        """Counts of documents by status and of events by type."""
        with self._lock:
            by_status = dict(
                self._db.execute("SELECT status, COUNT(*) FROM documents GROUP BY status")
            )
            by_type = dict(self._db.execute("SELECT type, COUNT(*) FROM events GROUP BY type"))
        statuses = ("coded", "skipped", "failed")
        return StoreStats(
            documents=sum(by_status.values()),
            events=sum(by_type.values()),
            documents_by_status={status: by_status.get(status, 0) for status in statuses},
            events_by_type={t.value: by_type[t.value] for t in EventType if t.value in by_type},
        )

    def event(self, event_id: str) -> Event | None:
        """One event by its id, or None (reviews and links name events by id)."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {_EVENT_READ} FROM {EVENT_FROM} WHERE e.event_id = ?", (event_id,)
            ).fetchone()
        return _row_event(row) if row is not None else None
