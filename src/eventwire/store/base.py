"""The store's connection: one SQLite file (or memory), serialised calls, migrations."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from eventwire.store.errors import StoreError
from eventwire.store.rows import (
    _fold_or_none,
)
from eventwire.store.schema import MIGRATIONS, Migration, _check_migrations, _statements

log = logging.getLogger(__name__)

MEMORY = ":memory:"
"""Path that opens a private in-memory database (tests, one-off runs)."""


# --------------------------------------------------------------------------- the store


class StoreBase:
    """The connection of a store: opening, migrating, transactions, closing.

    ``Store`` (in ``eventwire.store``) adds the tables: documents and events, reviews, actors.
    """

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        """Wrap an open connection; use ``Store.open`` rather than calling this."""
        self._connection: sqlite3.Connection | None = connection
        self.path = path
        self._lock = threading.RLock()

    # -- lifecycle

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> Self:
        """Open (creating if needed) the database at ``path``, or ``":memory:"``.

        Brings the schema up to date. ``migrations`` is for tests and tools; callers use the
        default.
        """
        _check_migrations(migrations)
        name = str(path)
        if name != MEMORY:
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(
                name, timeout=30.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {name}: {exc}") from exc
        connection.row_factory = sqlite3.Row
        connection.create_function("ew_fold", 1, _fold_or_none, deterministic=True)
        store = cls(connection, name)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            if name != MEMORY:
                mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    log.warning("%s: WAL journal not available, using %s", name, mode)
            store._migrate(migrations)
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise StoreError(f"{name}: not a usable eventwire database: {exc}") from exc
        except BaseException:
            connection.close()
            raise
        return store

    def close(self) -> None:
        """Close the database; further calls raise ``StoreError``. Closing twice is fine."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._connection is None else "open"
        return f"Store({self.path!r}, {state})"

    @property
    def schema_version(self) -> int:
        """The schema version of the open database (``PRAGMA user_version``)."""
        with self._lock:
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @property
    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreError(f"store {self.path} is closed")
        return self._connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock up front (no deadlock on upgrade)."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        latest = migrations[-1].version if migrations else 0
        current = self.schema_version
        if current > latest:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this eventwire "
                f"supports ({latest}); upgrade eventwire"
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            with self._lock, self._transaction() as db:
                # Another process may have migrated while we waited for the lock.
                current = int(db.execute("PRAGMA user_version").fetchone()[0])
                if migration.version <= current:
                    continue
                log.info(
                    "%s: migrating to schema %d (%s)",
                    self.path,
                    migration.version,
                    migration.description,
                )
                for statement in _statements(migration.sql):
                    db.execute(statement)
                if migration.apply is not None:
                    migration.apply(db)
                db.execute(f"PRAGMA user_version = {int(migration.version)}")
                current = migration.version

    # -- writing

    # -- documents

    # -- events

    # -- reviews

    def integrity_check(self) -> str:
        """SQLite's own consistency check: ``"ok"`` or the problems it found."""
        with self._lock:
            rows = self._db.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(row[0]) for row in rows)

    # -- actor knowledge (eventwire.actorkb, eventwire.learn)
