"""The actor tables: user edits, imported dictionaries and learned roles, tombstones of
forgotten names, and the sightings the learning pass records."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from eventwire.models import (
    ActorRoleRecord,
    ActorSighting,
    ActorSource,
    ActorTombstone,
)
from eventwire.store.base import StoreBase
from eventwire.store.rows import (
    _date_or_none,
    _iso,
)

_ACTOR_ROLE_COLUMNS = (
    "name, name_key, variants, kind, title, country, sector, org, start_date, end_date, source,"
    " origin, provenance, first_seen, last_seen, n_documents, note, created_at"
)


_ACTOR_ROLE_INSERT = (
    f"INSERT INTO actor_roles ({_ACTOR_ROLE_COLUMNS}) VALUES ({', '.join('?' * 18)})"
)


def _actor_role_row(record: ActorRoleRecord) -> tuple[Any, ...]:
    return (
        record.name,
        record.name_key,
        json.dumps(list(record.variants), ensure_ascii=False),
        record.kind,
        record.title,
        record.country,
        record.sector,
        record.org,
        _iso(record.start),
        _iso(record.end),
        record.source,
        record.origin,
        record.provenance,
        _iso(record.first_seen),
        _iso(record.last_seen),
        record.n_documents,
        record.note,
        datetime.now(UTC).isoformat(),
    )


def _row_actor_role(row: sqlite3.Row) -> ActorRoleRecord:
    return ActorRoleRecord(
        name=row["name"],
        name_key=row["name_key"],
        variants=tuple(json.loads(row["variants"])),
        kind=row["kind"],
        title=row["title"],
        country=row["country"],
        sector=row["sector"],
        org=row["org"],
        start=_date_or_none(row["start_date"]),
        end=_date_or_none(row["end_date"]),
        source=row["source"],
        origin=row["origin"],
        provenance=row["provenance"],
        first_seen=_date_or_none(row["first_seen"]),
        last_seen=_date_or_none(row["last_seen"]),
        n_documents=row["n_documents"],
        note=row["note"],
        id=row["id"],
    )


class ActorTables(StoreBase):
    """The actor tables: roles (user, import, learned), tombstones and sightings."""

    def add_actor_roles(self, records: Iterable[ActorRoleRecord]) -> int:
        """Insert actor roles in one transaction; returns how many."""
        rows = [_actor_role_row(record) for record in records]
        with self._lock, self._transaction() as db:
            db.executemany(_ACTOR_ROLE_INSERT, rows)
        return len(rows)

    def replace_actor_roles(
        self, records: Iterable[ActorRoleRecord], *, source: ActorSource, origin: str | None = None
    ) -> int:
        """Replace every role of ``source`` (and ``origin``, if given) by ``records``, atomically.

        Re-importing a dictionary or learning again replaces rows instead of adding duplicates.
        """
        rows = [_actor_role_row(record) for record in records]
        clause, params = "source = ?", [str(source)]
        if origin is not None:
            clause, params = clause + " AND origin = ?", [source, origin]
        with self._lock, self._transaction() as db:
            db.execute(f"DELETE FROM actor_roles WHERE {clause}", params)
            db.executemany(_ACTOR_ROLE_INSERT, rows)
        return len(rows)

    def actor_roles(
        self,
        *,
        name_key: str | None = None,
        source: ActorSource | None = None,
        kind: str | None = None,
        contains: str | None = None,
        limit: int | None = None,
    ) -> list[ActorRoleRecord]:
        """Stored actor roles, ordered by name key, source, start and row id.

        ``contains`` keeps names whose key contains it (pass it normalized).
        """
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (("name_key", name_key), ("source", source), ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if contains:
            clauses.append("instr(name_key, ?) > 0")
            params.append(contains)
        sql = f"SELECT {_ACTOR_ROLE_COLUMNS}, id FROM actor_roles"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY name_key, source, start_date, id LIMIT ?"
        params.append(-1 if limit is None else limit)
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [_row_actor_role(row) for row in rows]

    def delete_actor_roles(self, name_key: str, *, source: ActorSource | None = None) -> int:
        """Delete the roles stored for a name key (of one source, if given); returns how many."""
        sql, params = "DELETE FROM actor_roles WHERE name_key = ?", [name_key]
        if source is not None:
            sql, params = sql + " AND source = ?", [name_key, source]
        with self._lock, self._transaction() as db:
            return db.execute(sql, params).rowcount

    def forget_actor(self, name: str, name_key: str, note: str | None = None) -> int:
        """Tombstone a name and delete its imported and learned roles (user edits stay).

        Returns how many roles were deleted. Learning again does not bring the name back.
        """
        now = datetime.now(UTC).isoformat()
        with self._lock, self._transaction() as db:
            deleted = db.execute(
                "DELETE FROM actor_roles WHERE name_key = ? AND source IN ('import', 'learned')",
                (name_key,),
            ).rowcount
            db.execute(
                "INSERT INTO actor_tombstones (name_key, name, note, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (name_key) DO UPDATE SET"
                " name = excluded.name, note = excluded.note, created_at = excluded.created_at",
                (name_key, name, note, now),
            )
        return deleted

    def unforget_actor(self, name_key: str) -> bool:
        """Lift a tombstone; True if there was one."""
        with self._lock, self._transaction() as db:
            cursor = db.execute("DELETE FROM actor_tombstones WHERE name_key = ?", (name_key,))
            return cursor.rowcount > 0

    def actor_tombstones(self) -> list[ActorTombstone]:
        """Forgotten names, by key."""
        with self._lock:
            rows = self._db.execute(
                "SELECT name_key, name, note, created_at FROM actor_tombstones ORDER BY name_key"
            ).fetchall()
        return [
            ActorTombstone(
                name_key=row["name_key"],
                name=row["name"],
                note=row["note"],
                created_at=datetime.fromisoformat(row["created_at"]),
            )
            for row in rows
        ]

    def replace_actor_sightings(
        self, documents: Iterable[tuple[str, str]], sightings: Iterable[ActorSighting]
    ) -> int:
        """Replace the sightings of these ``(source, id)`` documents, in one transaction."""
        keys = list(documents)
        rows = [
            (
                s.doc_source,
                s.doc_id,
                s.name,
                s.name_key,
                s.title,
                s.country,
                s.sector,
                s.org,
                _iso(s.published),
            )
            for s in sightings
        ]
        with self._lock, self._transaction() as db:
            db.executemany("DELETE FROM actor_sightings WHERE doc_source = ? AND doc_id = ?", keys)
            db.executemany(
                "INSERT INTO actor_sightings (doc_source, doc_id, name, name_key, title, country,"
                " sector, org, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def clear_actor_sightings(self) -> None:
        """Drop every sighting (before learning again from the whole store)."""
        with self._lock, self._transaction() as db:
            db.execute("DELETE FROM actor_sightings")

    def actor_sightings(self) -> list[ActorSighting]:
        """Every sighting, in a fixed order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_source, doc_id, name, name_key, title, country, sector, org,"
                " published FROM actor_sightings ORDER BY name_key, doc_source, doc_id, name"
            ).fetchall()
        return [
            ActorSighting(
                doc_source=row["doc_source"],
                doc_id=row["doc_id"],
                name=row["name"],
                name_key=row["name_key"],
                title=row["title"],
                country=row["country"],
                sector=row["sector"],
                org=row["org"],
                published=_date_or_none(row["published"]),
            )
            for row in rows
        ]

    def has_actor_knowledge(self) -> bool:
        """Whether any actor role or forgotten name is stored (else coding needs no snapshot)."""
        with self._lock:
            row = self._db.execute(
                "SELECT EXISTS (SELECT 1 FROM actor_roles)"
                " OR EXISTS (SELECT 1 FROM actor_tombstones)"
            ).fetchone()
        return bool(row[0])
