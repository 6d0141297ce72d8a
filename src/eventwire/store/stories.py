"""Reading related coverage (#10): stories, a document's related documents, an incident's
reports. The tables are written by ``store.related`` when documents are saved."""

from __future__ import annotations

from datetime import date

from eventwire.models import Event, RelatedDocument, Story
from eventwire.store.base import StoreBase
from eventwire.store.related import EVENT_FROM, relate_existing
from eventwire.store.rows import _EVENT_ORDER, _EVENT_READ, _row_event

_STORY_SUMMARY = """
SELECT s.story_id,
       COUNT(*) AS n_documents,
       MIN(COALESCE(d.published, d.coded_at)) AS first_seen,
       MAX(COALESCE(d.published, d.coded_at)) AS last_seen
FROM document_stories s JOIN documents d ON d.source = s.doc_source AND d.id = s.doc_id
GROUP BY s.story_id
"""


class StoryTables(StoreBase):
    """Stories and related documents, read from the links ``save`` keeps up to date."""

    def stories(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        min_documents: int = 2,
    ) -> list[Story]:
        """Stories of at least ``min_documents`` documents seen between ``since`` and
        ``until`` (a story overlapping the range counts), oldest first."""
        clauses = ["n_documents >= ?"]
        params: list[object] = [min_documents]
        if since is not None:
            clauses.append("substr(last_seen, 1, 10) >= ?")
            params.append(since.isoformat())
        if until is not None:
            clauses.append("substr(first_seen, 1, 10) <= ?")
            params.append(until.isoformat())
        sql = (
            f"SELECT * FROM ({_STORY_SUMMARY}) WHERE {' AND '.join(clauses)}"
            " ORDER BY first_seen, story_id"
        )
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
            return [self._story(row) for row in rows]

    def _story(self, row: object) -> Story:
        story_id = row["story_id"]  # type: ignore[index]
        members = self._db.execute(
            "SELECT d.source, d.id, d.title FROM document_stories s JOIN documents d"
            " ON d.source = s.doc_source AND d.id = s.doc_id WHERE s.story_id = ?"
            " ORDER BY COALESCE(d.published, d.coded_at), d.source, d.id",
            (story_id,),
        ).fetchall()
        n_events = self._db.execute(
            "SELECT COUNT(DISTINCT COALESCE(ei.incident_id, e.event_id)) FROM events e"
            " JOIN document_stories s ON s.doc_source = e.doc_source AND s.doc_id = e.doc_id"
            " LEFT JOIN event_incidents ei ON ei.event_id = e.event_id WHERE s.story_id = ?",
            (story_id,),
        ).fetchone()[0]
        title = next((m["title"] for m in members if m["title"]), None)
        return Story(
            story_id=story_id,
            doc_ids=[f"{m['source']}/{m['id']}" for m in members],
            title=title,
            first_seen=row["first_seen"],  # type: ignore[index]
            last_seen=row["last_seen"],  # type: ignore[index]
            n_documents=row["n_documents"],  # type: ignore[index]
            n_events=int(n_events),
        )

    def related_documents(self, doc_id: str, source: str = "") -> list[RelatedDocument]:
        """The other documents of this document's story: direct links first (most similar
        first), then those related through others."""
        with self._lock:
            rows = self._db.execute(
                "SELECT d.source, d.id, d.title, d.published, l.kind, l.similarity"
                " FROM document_stories me"
                " JOIN document_stories s ON s.story_id = me.story_id"
                " JOIN documents d ON d.source = s.doc_source AND d.id = s.doc_id"
                " LEFT JOIN document_links l ON l.a_source = me.doc_source AND l.a_id = me.doc_id"
                "  AND l.b_source = d.source AND l.b_id = d.id"
                " WHERE me.doc_source = ? AND me.doc_id = ?"
                "  AND NOT (d.source = me.doc_source AND d.id = me.doc_id)"
                " ORDER BY l.kind IS NULL, l.similarity DESC, d.published, d.source, d.id",
                (source, doc_id),
            ).fetchall()
        return [
            RelatedDocument(
                source=row["source"],
                id=row["id"],
                title=row["title"],
                published=row["published"],
                relation=row["kind"],
                similarity=row["similarity"],
            )
            for row in rows
        ]

    def rebuild_related(self) -> None:
        """Fingerprint and link every stored document again, in one transaction (after a
        change to the rules of ``eventwire.stories``; saving does this for new documents)."""
        with self._lock, self._transaction() as db:
            for table in (
                "document_fingerprints",
                "document_bands",
                "document_links",
                "document_stories",
                "event_links",
                "event_incidents",
                "incidents",
            ):
                db.execute(f"DELETE FROM {table}")
            relate_existing(db)

    def incident_events(self, incident_id: str) -> list[Event]:
        """Every report of one incident, each with its own evidence."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_EVENT_READ} FROM {EVENT_FROM} WHERE i.incident_id = ?{_EVENT_ORDER}",
                (incident_id,),
            ).fetchall()
        return [_row_event(row) for row in rows]
