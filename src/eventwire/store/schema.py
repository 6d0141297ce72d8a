"""The database schema and its migrations, applied in order; the version reached is kept in
``PRAGMA user_version``. To change the schema, append a ``Migration`` (never edit one that
has shipped)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from eventwire.store.errors import StoreError

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

_SCHEMA_RELATED = """
-- Related coverage (#10): each document's MinHash signatures and LSH buckets, links between
-- near-duplicate / same-story documents and between events reporting one happening, and the
-- groups the links form. Rows go with their document or event (ON DELETE CASCADE); ``save``
-- rewrites a document's rows in its own transaction (eventwire.store.related).
CREATE TABLE document_fingerprints (
    doc_source  TEXT NOT NULL,
    doc_id      TEXT NOT NULL,
    shingles    BLOB NOT NULL,              -- MinHash of word 3-grams (near-duplicates)
    words       BLOB NOT NULL,              -- MinHash of content words (same story)
    n_shingles  INTEGER NOT NULL,           -- distinct 3-grams (containment)
    PRIMARY KEY (doc_source, doc_id),
    FOREIGN KEY (doc_source, doc_id) REFERENCES documents (source, id) ON DELETE CASCADE
);
CREATE TABLE document_bands (
    band        INTEGER NOT NULL,
    bucket      INTEGER NOT NULL,
    doc_source  TEXT NOT NULL,
    doc_id      TEXT NOT NULL,
    FOREIGN KEY (doc_source, doc_id) REFERENCES documents (source, id) ON DELETE CASCADE
);
CREATE INDEX document_bands_bucket ON document_bands (band, bucket);
CREATE INDEX document_bands_document ON document_bands (doc_source, doc_id);
CREATE TABLE document_links (           -- both directions stored
    a_source    TEXT NOT NULL,
    a_id        TEXT NOT NULL,
    b_source    TEXT NOT NULL,
    b_id        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('duplicate', 'story')),
    similarity  REAL NOT NULL,
    PRIMARY KEY (a_source, a_id, b_source, b_id),
    FOREIGN KEY (a_source, a_id) REFERENCES documents (source, id) ON DELETE CASCADE,
    FOREIGN KEY (b_source, b_id) REFERENCES documents (source, id) ON DELETE CASCADE
);
CREATE TABLE document_stories (
    doc_source  TEXT NOT NULL,
    doc_id      TEXT NOT NULL,
    story_id    TEXT NOT NULL,
    PRIMARY KEY (doc_source, doc_id),
    FOREIGN KEY (doc_source, doc_id) REFERENCES documents (source, id) ON DELETE CASCADE
);
CREATE INDEX document_stories_story ON document_stories (story_id);
CREATE TABLE event_links (              -- both directions stored
    a           TEXT NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    b           TEXT NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    PRIMARY KEY (a, b)
);
CREATE TABLE event_incidents (
    event_id    TEXT PRIMARY KEY REFERENCES events (event_id) ON DELETE CASCADE,
    incident_id TEXT NOT NULL
);
CREATE INDEX event_incidents_incident ON event_incidents (incident_id);
CREATE TABLE incidents (
    incident_id TEXT PRIMARY KEY,
    n_mentions  INTEGER NOT NULL,
    n_documents INTEGER NOT NULL,
    n_sources   INTEGER NOT NULL
);
"""

_SCHEMA_WATCH = """
-- eventwire watch (#10): what each feed answered last (for conditional GET) and every
-- article address seen, so a restart never fetches an article twice nor loses one.
CREATE TABLE watch_feeds (
    url             TEXT PRIMARY KEY,
    etag            TEXT,
    last_modified   TEXT,
    checked_at      TEXT,
    status          TEXT,                   -- 'ok', 'not-modified' or the error
    n_items         INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE watch_urls (
    url         TEXT PRIMARY KEY,
    feed_url    TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'failed', 'gone', 'refused')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    doc_source  TEXT,
    doc_id      TEXT,
    message     TEXT,
    seen_at     TEXT NOT NULL,
    fetched_at  TEXT
);
CREATE INDEX watch_urls_state ON watch_urls (state);
"""


def _relate_stored(db: sqlite3.Connection) -> None:
    """Fingerprint and link the documents a store already holds (order-free, so any order)."""
    from eventwire.store.related import relate_existing

    relate_existing(db)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _SCHEMA_V1),
    Migration(2, "review history with reviewers", _SCHEMA_REVIEW_LOG),
    Migration(3, "actor knowledge: roles, sightings, forgotten names", _SCHEMA_ACTORS),
    Migration(
        4, "related coverage: duplicates, stories, incidents", _SCHEMA_RELATED, _relate_stored
    ),
    Migration(5, "watch: feed state and seen addresses", _SCHEMA_WATCH),
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


def _check_migrations(migrations: Sequence[Migration]) -> None:
    versions = [migration.version for migration in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise StoreError(f"migrations must be numbered 1, 2, 3... in order, got {versions}")
