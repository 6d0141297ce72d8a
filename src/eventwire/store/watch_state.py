"""What ``eventwire watch`` has seen (#10): each feed's last answer (for conditional GET)
and each article address with its state, so a restart never fetches an article twice and
never loses one (an address is recorded as ``pending`` before it is fetched)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from eventwire.models import FeedState, WatchedUrl, WatchUrlState
from eventwire.store.base import StoreBase


def _now() -> str:
    return datetime.now(UTC).isoformat()


class WatchTables(StoreBase):
    """Feed state and seen addresses."""

    def feed_state(self, url: str) -> FeedState | None:
        """The feed's last answer, or None if it was never polled."""
        with self._lock:
            row = self._db.execute("SELECT * FROM watch_feeds WHERE url = ?", (url,)).fetchone()
        return FeedState(**dict(row)) if row is not None else None

    def save_feed_state(self, state: FeedState) -> None:
        """Record a feed's answer (its validators are kept only from a successful fetch)."""
        with self._lock, self._transaction() as db:
            db.execute(
                "INSERT INTO watch_feeds (url, etag, last_modified, checked_at, status, n_items)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                " etag = excluded.etag, last_modified = excluded.last_modified,"
                " checked_at = excluded.checked_at, status = excluded.status,"
                " n_items = excluded.n_items",
                (
                    state.url,
                    state.etag,
                    state.last_modified,
                    state.checked_at or _now(),
                    state.status,
                    state.n_items,
                ),
            )

    def add_watched_urls(self, feed_url: str, urls: Iterable[str]) -> int:
        """Record addresses a feed listed as ``pending``; returns how many were new."""
        now = _now()
        with self._lock, self._transaction() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO watch_urls (url, feed_url, state, seen_at)"
                " VALUES (?, ?, 'pending', ?)",
                [(url, feed_url, now) for url in urls],
            )
            return db.total_changes - before

    def urls_to_fetch(self, *, max_attempts: int = 3) -> list[WatchedUrl]:
        """Addresses still to fetch: pending ones, and failed ones with attempts left."""
        with self._lock:
            rows = self._db.execute(
                "SELECT url, feed_url, state, attempts, doc_source, doc_id, message"
                " FROM watch_urls WHERE state = 'pending' OR (state = 'failed' AND attempts < ?)"
                " ORDER BY seen_at, url",
                (max_attempts,),
            ).fetchall()
        return [WatchedUrl(**dict(row)) for row in rows]

    def mark_watched_url(
        self,
        url: str,
        state: WatchUrlState,
        *,
        doc_key: tuple[str, str] | None = None,
        message: str | None = None,
    ) -> None:
        """Record what fetching an address gave (one more attempt)."""
        with self._lock, self._transaction() as db:
            db.execute(
                "UPDATE watch_urls SET state = ?, attempts = attempts + 1, doc_source = ?,"
                " doc_id = ?, message = ?, fetched_at = ? WHERE url = ?",
                (state, *(doc_key or (None, None)), message, _now(), url),
            )

    def watched_urls(self, state: WatchUrlState | None = None) -> list[WatchedUrl]:
        """Every address seen (or those in ``state``), oldest first."""
        sql = "SELECT url, feed_url, state, attempts, doc_source, doc_id, message FROM watch_urls"
        params: tuple[str, ...] = ()
        if state is not None:
            sql += " WHERE state = ?"
            params = (state,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY seen_at, url", params).fetchall()
        return [WatchedUrl(**dict(row)) for row in rows]
