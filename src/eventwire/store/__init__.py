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

Modules: ``schema`` (tables and migrations), ``rows`` (records to rows and back), ``filters``
(an ``EventFilter`` as SQL), ``base`` (the connection), and one module per group of tables:
``documents``, ``reviews``, ``actor_tables``, ``related`` and ``stories`` (related
coverage, #10), ``watch_state`` (what ``eventwire watch`` has seen). The record types are in
``eventwire.models``.
"""

from __future__ import annotations

from eventwire.models import (
    REVIEW_VERDICTS,
    ActorRoleRecord,
    ActorSighting,
    ActorSource,
    ActorTombstone,
    Review,
    ReviewVerdict,
    StoredDocument,
    StoreStats,
)
from eventwire.store.actor_tables import ActorTables
from eventwire.store.base import MEMORY
from eventwire.store.documents import DocumentTables
from eventwire.store.errors import AmbiguousDocumentError, StoreError
from eventwire.store.reviews import ReviewTables
from eventwire.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration
from eventwire.store.stories import StoryTables
from eventwire.store.watch_state import WatchTables

__all__ = [
    "MEMORY",
    "MIGRATIONS",
    "REVIEW_VERDICTS",
    "SCHEMA_VERSION",
    "ActorRoleRecord",
    "ActorSighting",
    "ActorSource",
    "ActorTombstone",
    "AmbiguousDocumentError",
    "Migration",
    "Review",
    "ReviewVerdict",
    "Store",
    "StoreError",
    "StoreStats",
    "StoredDocument",
]


class Store(DocumentTables, ReviewTables, ActorTables, StoryTables, WatchTables):
    """A SQLite database of coded documents and events.

    Open with ``Store.open(path)``; use as a context manager or call ``close()``. One store
    may be shared between threads (calls are serialised); several processes may write the
    same file (each ``save`` waits for the write lock).
    """
