"""Reviews of events: verdicts and corrections, kept by event id across recoding."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from eventwire.models import (
    REVIEW_VERDICTS,
    Review,
    ReviewVerdict,
)
from eventwire.store.base import StoreBase

_REVIEW_COLUMNS = "id, event_id, verdict, note, reviewer, created_at"


def _blank_is_none(value: str | None) -> str | None:
    """Trimmed text, or None for missing or blank (a web form's empty note)."""
    if value is None:
        return None
    return value.strip() or None


def _row_review(row: sqlite3.Row) -> Review:
    return Review(
        id=row["id"],
        event_id=row["event_id"],
        verdict=row["verdict"],
        note=row["note"],
        reviewer=row["reviewer"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


class ReviewTables(StoreBase):
    """Reviews of events (verdicts, corrections), kept by event id across recoding."""

    def add_review(
        self,
        event_id: str,
        verdict: ReviewVerdict,
        note: str | None = None,
        reviewer: str | None = None,
    ) -> Review:
        """Record an analyst's verdict on an event; it becomes the event's current verdict.

        Earlier reviews are kept (``reviews(event_id)``). The event need not be stored: reviews
        are keyed by the stable event id and outlive recoding. Raises ``ValueError`` for a
        verdict other than ``correct``, ``wrong`` or ``unsure``.
        """
        if verdict not in REVIEW_VERDICTS:
            raise ValueError(
                f"unknown verdict {verdict!r}; expected one of {', '.join(REVIEW_VERDICTS)}"
            )
        note = _blank_is_none(note)
        reviewer = _blank_is_none(reviewer)
        now = datetime.now(UTC).isoformat()
        with self._lock, self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO review_log (event_id, verdict, note, reviewer, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (event_id, verdict, note, reviewer, now),
            )
            db.execute(
                "INSERT INTO reviews (event_id, verdict, note, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (event_id) DO UPDATE SET verdict = excluded.verdict,"
                " note = excluded.note, created_at = excluded.created_at",
                (event_id, verdict, note, now),
            )
            review_id = cursor.lastrowid
        assert review_id is not None, "INSERT sets lastrowid"
        return Review(
            id=review_id,
            event_id=event_id,
            verdict=verdict,
            note=note,
            reviewer=reviewer,
            created_at=datetime.fromisoformat(now),
        )

    def reviews(self, event_id: str) -> list[Review]:
        """Every review of an event, oldest first (the last one is the current verdict)."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_REVIEW_COLUMNS} FROM review_log WHERE event_id = ? ORDER BY id",
                (event_id,),
            ).fetchall()
        return [_row_review(row) for row in rows]

    def latest_reviews(self, event_ids: Sequence[str]) -> dict[str, Review]:
        """The current verdict of each of ``event_ids`` that has been reviewed (for listings)."""
        latest: dict[str, Review] = {}
        ids = list(dict.fromkeys(event_ids))
        chunk = 500
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            marks = ", ".join("?" for _ in part)
            with self._lock:
                rows = self._db.execute(
                    f"SELECT {_REVIEW_COLUMNS} FROM review_log WHERE id IN"
                    f" (SELECT MAX(id) FROM review_log WHERE event_id IN ({marks})"
                    " GROUP BY event_id)",
                    part,
                ).fetchall()
            latest.update((row["event_id"], _row_review(row)) for row in rows)
        return latest

    def review_counts(self) -> dict[str, int]:
        """How many events have each current verdict (every verdict, zero included)."""
        with self._lock:
            counts = dict(
                self._db.execute(
                    "SELECT l.verdict, COUNT(*) FROM review_log l WHERE l.id IN"
                    " (SELECT MAX(id) FROM review_log GROUP BY event_id) GROUP BY l.verdict"
                )
            )
        return {verdict: counts.get(verdict, 0) for verdict in REVIEW_VERDICTS}
