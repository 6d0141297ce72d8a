"""SQLite storage of coded documents and their events: the only module that speaks SQL.

Why SQLite: one file, no server, safe under crashes, and fast enough for millions of events.
A document is the unit of work: ``save`` writes a document and all its events in ONE
transaction, so a crash (even ``kill -9``) leaves either the old or the new version of a
document, never a mix, and coding a document again replaces its events instead of adding
duplicates. Event ids are stable across recoding, which is why ``reviews`` are keyed by
``event_id`` and are not deleted with the events.

The schema is created and upgraded by ``MIGRATIONS``, applied in order; the version reached
is kept in ``PRAGMA user_version``. To change the schema, append a ``Migration`` (never edit
one that has shipped).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict

from eventwire.errors import EventwireError
from eventwire.models import (
    CodedDocument,
    Document,
    DocumentStatus,
    Entity,
    Event,
    EventType,
)
from eventwire.query import (
    SYMMETRIC_TYPES,
    EventFilter,
    ParticipantTerm,
    event_interval,
    fold_name,
)

log = logging.getLogger(__name__)

MEMORY = ":memory:"
"""Path that opens a private in-memory database (tests, one-off runs)."""


class StoreError(EventwireError):
    """The database cannot be opened, upgraded or written as asked."""


class AmbiguousDocumentError(StoreError):
    """A document id was looked up without a source and several sources have it."""


# --------------------------------------------------------------------------- migrations


@dataclass(frozen=True)
class Migration:
    """One step of the schema: SQL statements and/or a Python function, run in one transaction."""

    version: int
    description: str
    sql: str = ""
    apply: Callable[[sqlite3.Connection], None] | None = None
    """For data migrations SQL cannot express; runs after ``sql``, inside the same transaction."""


_SCHEMA_V1 = """
CREATE TABLE documents (
    source          TEXT NOT NULL,          -- '' when the document has no source
    id              TEXT NOT NULL,
    published       TEXT,                   -- ISO date or datetime, as precise as given
    published_date  TEXT,                   -- ISO date, for date queries
    title           TEXT,
    body            TEXT NOT NULL,
    url             TEXT,
    language        TEXT,
    source_name     TEXT,
    origin          TEXT,
    status          TEXT NOT NULL CHECK (status IN ('coded', 'skipped', 'failed')),
    message         TEXT,
    coded_at        TEXT NOT NULL,          -- ISO datetime, UTC
    n_events        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, id)
);
CREATE INDEX documents_status ON documents (status);

CREATE TABLE events (
    event_id            TEXT PRIMARY KEY,
    doc_source          TEXT NOT NULL,
    doc_id              TEXT NOT NULL,
    position            INTEGER NOT NULL,   -- order of the event in its document's output
    source              TEXT,
    type                TEXT NOT NULL,
    mode                TEXT,
    context             TEXT NOT NULL,      -- JSON list of strings
    cameo               TEXT,
    plover_score        REAL,
    quad_class          TEXT NOT NULL,
    actor               TEXT NOT NULL,      -- JSON list of entities
    recipient           TEXT NOT NULL,      -- JSON list of entities
    date                TEXT,
    date_start          TEXT,
    date_end            TEXT,
    date_is_publication INTEGER NOT NULL,
    date_low            TEXT,               -- date_start, else date (query.event_interval)
    date_high           TEXT,               -- date_end, else date
    location            TEXT,               -- JSON object or NULL
    location_name       TEXT,
    location_country    TEXT,
    location_lat        REAL,
    location_lon        REAL,
    location_geonameid  INTEGER,
    evidence            TEXT NOT NULL,      -- JSON object
    evidence_sentence   TEXT NOT NULL,
    evidence_start      INTEGER NOT NULL,
    evidence_end        INTEGER NOT NULL,
    trigger_text        TEXT,
    confidence          REAL NOT NULL,
    FOREIGN KEY (doc_source, doc_id) REFERENCES documents (source, id) ON DELETE CASCADE
);
CREATE INDEX events_document ON events (doc_source, doc_id, evidence_start);
CREATE INDEX events_type_date ON events (type, date_low);
CREATE INDEX events_dates ON events (date_low, date_high);

CREATE TABLE entities (
    event_id    TEXT NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('actor', 'recipient')),
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    name        TEXT,
    country     TEXT COLLATE NOCASE,
    sector      TEXT COLLATE NOCASE,
    org         TEXT COLLATE NOCASE,
    kind        TEXT NOT NULL,
    title       TEXT,                       -- Entity.role: the person's title
    char_start  INTEGER,
    char_end    INTEGER,
    PRIMARY KEY (event_id, role, position)
);
CREATE INDEX entities_country ON entities (country, role);
CREATE INDEX entities_sector ON entities (sector, role);
CREATE INDEX entities_org ON entities (org);

-- No foreign key on purpose: a review stays attached to its (stable) event id while the
-- document is recoded, and shows again if the event comes back.
CREATE TABLE reviews (
    event_id    TEXT PRIMARY KEY,
    verdict     TEXT NOT NULL,
    note        TEXT,
    created_at  TEXT NOT NULL
);
"""

_SCHEMA_REVIEW_LOG = """
-- Every review ever given, oldest first; ``reviews`` keeps the latest verdict per event.
-- No foreign key, like ``reviews``: reviews outlive recoding.
CREATE TABLE review_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT NOT NULL,
    verdict     TEXT NOT NULL,
    note        TEXT,
    reviewer    TEXT,
    created_at  TEXT NOT NULL               -- ISO datetime, UTC
);
CREATE INDEX review_log_event ON review_log (event_id, id);
INSERT INTO review_log (event_id, verdict, note, created_at)
    SELECT event_id, verdict, note, created_at FROM reviews
    WHERE verdict IN ('correct', 'wrong', 'unsure') ORDER BY created_at;
"""

_SCHEMA_ACTORS = """
-- What eventwire knows about named actors beyond its built-in files (eventwire.actorkb):
-- user corrections, imported CAMEO dictionaries, and roles learned from the corpus.
CREATE TABLE actor_roles (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,              -- actorkb.normalize_name(name)
    variants    TEXT NOT NULL DEFAULT '[]', -- JSON list of other spellings (synonyms)
    kind        TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'agent')),
    title       TEXT,
    country     TEXT,
    sector      TEXT,
    org         TEXT,
    start_date  TEXT,                       -- ISO date; NULL = open
    end_date    TEXT,
    source      TEXT NOT NULL CHECK (source IN ('user', 'import', 'learned')),
    origin      TEXT NOT NULL DEFAULT '',   -- the dictionary file, 'learn' or 'edit'
    provenance  TEXT NOT NULL DEFAULT '',   -- file:line, or the documents it was learned from
    first_seen  TEXT,                       -- learned: earliest / latest publication date
    last_seen   TEXT,
    n_documents INTEGER NOT NULL DEFAULT 0,
    note        TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX actor_roles_name ON actor_roles (name_key, source);
CREATE INDEX actor_roles_origin ON actor_roles (source, origin);

-- Titled introductions of people found by the learning pass, one row per document and
-- person; learned roles are aggregated from all of them, so learning is order-free.
-- No foreign key: files can be learned from before their documents are stored.
CREATE TABLE actor_sightings (
    doc_source  TEXT NOT NULL,
    doc_id      TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    title       TEXT,
    country     TEXT,
    sector      TEXT,
    org         TEXT,
    published   TEXT
);
CREATE INDEX actor_sightings_document ON actor_sightings (doc_source, doc_id);

-- Names the user told eventwire to forget: only the user's own edits answer for them.
CREATE TABLE actor_tombstones (
    name_key    TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    note        TEXT,
    created_at  TEXT NOT NULL
);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _SCHEMA_V1),
    Migration(2, "review history with reviewers", _SCHEMA_REVIEW_LOG),
    Migration(3, "actor knowledge: roles, sightings, forgotten names", _SCHEMA_ACTORS),
)
"""Every schema step, oldest first; a database at version N gets steps N+1.. applied."""

SCHEMA_VERSION = MIGRATIONS[-1].version


def _statements(script: str) -> Iterator[str]:
    """Split a SQL script into statements (``executescript`` would commit on its own)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statement = pending.strip()
            if statement.strip(";").strip():
                yield statement
            pending = ""
    if pending.strip():
        raise StoreError(f"incomplete SQL statement in migration: {pending.strip()[:80]!r}")


# --------------------------------------------------------------------------- records


class StoredDocument(BaseModel):
    """A document's row in the store: who it is, how its coding went (without the body)."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: str | None = None
    title: str | None = None
    published: datetime | date | None = None
    url: str | None = None
    language: str | None = None
    source_name: str | None = None
    status: DocumentStatus
    message: str | None = None
    coded_at: datetime
    n_events: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.source or "", self.id)


class StoreStats(BaseModel):
    """Counts for a store: documents by status, events by type."""

    model_config = ConfigDict(frozen=True)

    documents: int
    events: int
    documents_by_status: dict[str, int]
    """Every status, zero included."""
    events_by_type: dict[str, int]
    """Only the types present, in PLOVER order."""


ReviewVerdict = Literal["correct", "wrong", "unsure"]
"""An analyst's judgement of a coded event."""

REVIEW_VERDICTS: tuple[ReviewVerdict, ...] = get_args(ReviewVerdict)


class Review(BaseModel):
    """One analyst's verdict on one event; an event's latest review is its current verdict."""

    model_config = ConfigDict(frozen=True)

    id: int
    event_id: str
    verdict: ReviewVerdict
    note: str | None = None
    reviewer: str | None = None
    created_at: datetime


ActorSource = Literal["user", "import", "learned"]


class ActorRoleRecord(BaseModel):
    """One role of a named actor as stored: who, which codes, when, and where it came from."""

    model_config = ConfigDict(frozen=True)

    name: str
    name_key: str
    """Normalized name (``actorkb.normalize_name``), the lookup key."""
    variants: tuple[str, ...] = ()
    kind: Literal["person", "agent"] = "person"
    title: str | None = None
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    start: date | None = None
    end: date | None = None
    source: ActorSource
    origin: str = ""
    """What wrote the row: the dictionary file name, ``learn`` or ``edit``."""
    provenance: str = ""
    """``file:line`` for imports; the documents (``source/id``) a role was learned from."""
    first_seen: date | None = None
    last_seen: date | None = None
    n_documents: int = 0
    note: str | None = None
    id: int | None = None
    """Row id, set when read back."""


class ActorSighting(BaseModel):
    """A person introduced with a title in one document (what the learning pass collects)."""

    model_config = ConfigDict(frozen=True)

    doc_source: str
    doc_id: str
    name: str
    name_key: str
    title: str | None = None
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    published: date | None = None


class ActorTombstone(BaseModel):
    """A name the user told eventwire to forget."""

    model_config = ConfigDict(frozen=True)

    name_key: str
    name: str
    note: str | None = None
    created_at: datetime


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
    "e.date_is_publication, e.location, e.evidence, e.confidence"
)
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


# --------------------------------------------------------------------------- filter -> SQL

Clause = tuple[str, list[Any]]


def _term_sql(term: ParticipantTerm, alias: str) -> Clause:
    """SQL for ``ParticipantTerm.matches`` on the entity row ``alias`` (same rules)."""
    # country/sector/org are COLLATE NOCASE columns: '=' folds ASCII case like fold_code.
    parts = [f"{alias}.country = ?", f"{alias}.sector = ?", f"{alias}.org = ?"]
    params: list[Any] = [term.code, term.code, term.code]
    if term.compound is not None:
        parts.append(f"({alias}.country = ? AND {alias}.sector = ?)")
        params.extend(term.compound)
    if term.name is not None:
        for column in ("name", "org", "text"):
            parts.append(f"instr(ew_fold({alias}.{column}), ?) > 0")
            params.append(term.name)
    return "(" + " OR ".join(parts) + ")", params


def _directed_sql(actor: ParticipantTerm | None, recipient: ParticipantTerm | None) -> Clause:
    clauses: list[str] = []
    params: list[Any] = []
    for role, term in (("actor", actor), ("recipient", recipient)):
        if term is None:
            continue
        sql, term_params = _term_sql(term, "x")
        clauses.append(
            f"e.event_id IN (SELECT x.event_id FROM entities x WHERE x.role = ? AND {sql})"
        )
        params.extend([role, *term_params])
    return " AND ".join(clauses), params


def _symmetric_sql(actor: ParticipantTerm | None, recipient: ParticipantTerm | None) -> Clause:
    if actor is not None and recipient is not None:
        first, first_params = _term_sql(actor, "x")
        second, second_params = _term_sql(recipient, "y")
        sql = (
            "e.event_id IN (SELECT x.event_id FROM entities x JOIN entities y"
            " ON y.event_id = x.event_id AND NOT (y.role = x.role AND y.position = x.position)"
            f" WHERE {first} AND {second})"
        )
        return sql, [*first_params, *second_params]
    term = actor if actor is not None else recipient
    assert term is not None, "called with at least one term"
    sql, params = _term_sql(term, "x")
    return f"e.event_id IN (SELECT x.event_id FROM entities x WHERE {sql})", params


def _dyad_sql(query: EventFilter) -> Clause | None:
    actor, recipient = query.actor_term, query.recipient_term
    if actor is None and recipient is None:
        return None
    if query.type is not None:
        if query.type in SYMMETRIC_TYPES:
            return _symmetric_sql(actor, recipient)
        return _directed_sql(actor, recipient)
    symmetric = sorted(t.value for t in SYMMETRIC_TYPES)
    marks = ", ".join("?" for _ in symmetric)
    sym_sql, sym_params = _symmetric_sql(actor, recipient)
    dir_sql, dir_params = _directed_sql(actor, recipient)
    sql = f"((e.type IN ({marks}) AND {sym_sql}) OR (e.type NOT IN ({marks}) AND {dir_sql}))"
    return sql, [*symmetric, *sym_params, *symmetric, *dir_params]


def _where(query: EventFilter | None) -> Clause:
    """The WHERE clause (or '') for ``query``; mirrors ``EventFilter.matches``."""
    if query is None:
        return "", []
    clauses: list[str] = []
    params: list[Any] = []
    if query.type is not None:
        clauses.append("e.type = ?")
        params.append(query.type.value)
    if query.types:
        clauses.append(f"e.type IN ({', '.join('?' for _ in query.types)})")
        params.extend(t.value for t in query.types)
    if query.doc_id is not None:
        clauses.append("e.doc_id = ?")
        params.append(query.doc_id)
    if query.source is not None:
        clauses.append("e.source = ?")
        params.append(query.source)
    if query.min_confidence is not None:
        clauses.append("e.confidence >= ?")
        params.append(query.min_confidence)
    if query.since is not None or query.until is not None:
        clauses.append("(e.date_low IS NOT NULL OR e.date_high IS NOT NULL)")
    if query.since is not None:
        clauses.append("(e.date_high IS NULL OR e.date_high >= ?)")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("(e.date_low IS NULL OR e.date_low <= ?)")
        params.append(query.until.isoformat())
    dyad = _dyad_sql(query)
    if dyad is not None:
        clauses.append(dyad[0])
        params.extend(dyad[1])
    if not clauses:
        return "", []
    return " WHERE " + " AND ".join(clauses), params


def _page(query: EventFilter | None) -> Clause:
    if query is None or (query.limit is None and not query.offset):
        return "", []
    limit = -1 if query.limit is None else query.limit
    return " LIMIT ? OFFSET ?", [limit, query.offset]


# --------------------------------------------------------------------------- the store


class Store:
    """A SQLite database of coded documents and events.

    Open with ``Store.open(path)``; use as a context manager or call ``close()``. One store
    may be shared between threads (calls are serialised); several processes may write the
    same file (each ``save`` waits for the write lock).
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
    ) -> Store:
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

    def __enter__(self) -> Store:
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

    # -- documents

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

    # -- events

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
        sql = f"SELECT {_EVENT_READ} FROM events e{where}{_EVENT_ORDER}{page}"
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
            row = self._db.execute(f"SELECT COUNT(*) FROM events e{where}", params).fetchone()
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
                f"SELECT {_EVENT_READ} FROM events e WHERE e.event_id = ?", (event_id,)
            ).fetchone()
        return _row_event(row) if row is not None else None

    # -- reviews

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

    def integrity_check(self) -> str:
        """SQLite's own consistency check: ``"ok"`` or the problems it found."""
        with self._lock:
            rows = self._db.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(row[0]) for row in rows)

    # -- actor knowledge (eventwire.actorkb, eventwire.learn)

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
        clause, params = "source = ?", [source]
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


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


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


def _check_migrations(migrations: Sequence[Migration]) -> None:
    versions = [migration.version for migration in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise StoreError(f"migrations must be numbered 1, 2, 3... in order, got {versions}")


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
