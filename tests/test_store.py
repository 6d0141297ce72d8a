"""Store: round trips, idempotent recoding, migrations, and surviving kill -9."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from event_builders import as_coded, event
from eventwire.models import (
    CodedDocument,
    Document,
    Entity,
    Event,
    EventType,
    Evidence,
    Location,
    QuadClass,
)
from eventwire.query import EventFilter
from eventwire.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    AmbiguousDocumentError,
    Migration,
    Store,
    StoreError,
)

IRN = Entity(text="Iran", name="Iran", country="IRN", sector="GOV", start=0, end=4)
RUS = Entity(
    text="Lavrov", name="Sergei Lavrov", country="RUS", sector="GOV", kind="person", role="FM"
)


def make_event(
    doc_id: str,
    n: int,
    *,
    source: str | None = "AVA",
    type: EventType = EventType.CONSULT,
    start: int | None = None,
) -> Event:
    start = n * 100 if start is None else start
    return event(
        type,
        [IRN],
        [RUS],
        doc_id=doc_id,
        event_id=f"{doc_id}-{n}",
        source=source,
        mode="visit",
        context=["diplomatic"],
        cameo="036",
        plover_score=4.0,
        quad_class=QuadClass.VERBAL_COOPERATION,
        date=date(2024, 3, 5),
        date_is_publication=True,
        location=Location(name="Moscow", country="RUS", lat=55.75, lon=37.62, geonameid=524901),
        evidence=Evidence(
            sentence=f"Sentence {n}.", start=start, end=start + 12, trigger="met", trigger_start=3
        ),
        confidence=0.75,
    )


def coded(
    doc_id: str, n_events: int = 2, *, source: str | None = "AVA", **kwargs: object
) -> CodedDocument:
    document = Document(
        id=doc_id,
        source=source,
        published=date(2024, 3, 6),
        title=f"Title {doc_id}",
        body="Body text.",
        url=f"https://example.org/{doc_id}",
        language="en",
        source_name="Example Agency",
        origin=f"{doc_id}.txt",
    )
    events = [make_event(doc_id, n, source=source) for n in range(n_events)]
    return CodedDocument(document=document, events=events, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def store() -> Store:
    with Store.open(":memory:") as store:
        yield store


# ---------------------------------------------------------------- basics


def test_open_creates_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "events.db"
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
    connection = sqlite3.connect(path)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    connection.close()
    assert {"documents", "events", "entities", "reviews"} <= tables
    assert mode == "wal"


def test_round_trip_is_exact(store: Store) -> None:
    item = coded("a1", 3)
    store.save(item)
    assert [as_coded(e) for e in store.events()] == item.events
    assert {(e.n_mentions, e.n_documents, e.n_sources) for e in store.events()} == {(1, 1, 1)}
    assert store.document("a1") == item.document
    assert store.document("a1", "AVA") == item.document
    assert store.has_document("AVA", "a1")
    assert not store.has_document("XYZ", "a1")


@pytest.mark.parametrize(
    "published",
    [
        None,
        date(2024, 1, 2),
        datetime(2024, 1, 2, 9, 30),
        datetime(2024, 1, 2, 9, 30, tzinfo=timezone(timedelta(hours=4, minutes=30))),
    ],
)
def test_published_keeps_its_precision(store: Store, published: object) -> None:
    document = Document(id="p", source="AVA", published=published, body="x")
    store.save(CodedDocument(document=document))
    assert store.document("p") == document


def test_events_without_source_take_the_documents(store: Store) -> None:
    item = coded("a1", 1, source="AVA")
    events = [item.events[0].model_copy(update={"source": None})]
    store.save(item.model_copy(update={"events": events}))
    assert store.events()[0].source == "AVA"


def test_document_without_source(store: Store) -> None:
    store.save(coded("n1", 1, source=None))
    assert store.has_document(None, "n1")
    assert store.has_document("", "n1")
    assert store.document("n1") is not None
    assert store.document("n1").source is None
    assert [e.event_id for e in store.events()] == ["n1-0"]


# ---------------------------------------------------------------- recoding is idempotent


def test_recoding_replaces_events(store: Store) -> None:
    store.save(coded("a1", 3))
    store.save(coded("a2", 2))
    store.save(coded("a1", 3))
    assert store.count_events() == 5
    store.save(coded("a1", 1))
    assert [e.event_id for e in store.events(EventFilter(doc_id="a1"))] == ["a1-0"]
    assert store.count_events() == 3
    assert store.stats().documents == 2


def test_recoding_as_failed_removes_events(store: Store) -> None:
    store.save(coded("a1", 2))
    store.save(coded("a1", 0, status="failed", message="parser crashed"))
    status = store.document_status("a1")
    assert status is not None
    assert (status.status, status.message, status.n_events) == ("failed", "parser crashed", 0)
    assert store.count_events() == 0


def test_duplicate_event_ids_are_stored_once(store: Store) -> None:
    item = coded("a1", 2)
    doubled = item.model_copy(update={"events": [*item.events, item.events[0]]})
    store.save(doubled)
    assert [as_coded(e) for e in store.events()] == item.events
    assert store.document_status("a1").n_events == 2


def test_event_id_of_another_document_is_refused_atomically(store: Store) -> None:
    store.save(coded("a1", 1))
    intruder = make_event("a2", 0).model_copy(update={"event_id": "a1-0"})
    item = coded("a2", 0).model_copy(update={"events": [intruder]})
    with pytest.raises(StoreError, match="a1-0"):
        store.save(item)
    assert not store.has_document("AVA", "a2")
    assert [e.doc_id for e in store.events()] == ["a1"]


def test_event_of_another_document_is_a_caller_bug(store: Store) -> None:
    item = coded("a1", 0).model_copy(update={"events": [make_event("zz", 0)]})
    with pytest.raises(ValueError, match="zz"):
        store.save(item)
    assert not store.has_document("AVA", "a1")


def test_reviews_survive_recoding(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    with Store.open(path) as store:
        store.save(coded("a1", 1))
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO reviews VALUES ('a1-0', 'wrong-type', 'a visit', '2024-01-01')"
        )
    with Store.open(path) as store:
        store.save(coded("a1", 0))
        store.save(coded("a1", 1))
    with sqlite3.connect(path) as connection:
        verdicts = connection.execute("SELECT event_id, verdict FROM reviews").fetchall()
    assert verdicts == [("a1-0", "wrong-type")]


# ---------------------------------------------------------------- reading


def test_events_ordered_by_document_then_evidence(store: Store) -> None:
    late = make_event("b", 0, start=500)
    early = make_event("b", 1, start=10)
    store.save(coded("b", 0).model_copy(update={"events": [late, early]}))
    store.save(coded("a", 1))
    assert [e.event_id for e in store.events()] == ["a-0", "b-1", "b-0"]


def test_iter_events_streams_the_same_events(store: Store) -> None:
    for n in range(5):
        store.save(coded(f"d{n}", 3))
    stream = store.iter_events(EventFilter(min_confidence=0.5), batch_size=2)
    assert not isinstance(stream, list)
    assert list(stream) == store.events()
    assert len(store.events()) == 15


def test_limit_offset_and_count(store: Store) -> None:
    for n in range(4):
        store.save(coded(f"d{n}", 2))
    page = store.events(EventFilter(limit=3, offset=2))
    assert [e.event_id for e in page] == ["d1-0", "d1-1", "d2-0"]
    assert store.count_events(EventFilter(limit=3)) == 8


def test_ambiguous_document_id(store: Store) -> None:
    store.save(coded("x", 1, source="AVA"))
    store.save(coded("x", 0, source=None))
    with pytest.raises(AmbiguousDocumentError, match="'AVA'"):
        store.document("x")
    assert store.document("x", "").source is None
    assert store.document("x", "AVA").source == "AVA"
    assert store.document("missing") is None


def test_documents_listing_and_stats(store: Store) -> None:
    store.save(coded("a", 2))
    store.save(coded("b", 0, status="skipped", message="language 'de'"))
    store.save(coded("c", 1))
    listed = store.documents(status="coded")
    assert [d.id for d in listed] == ["a", "c"]
    assert listed[0].n_events == 2 and listed[0].title == "Title a"
    assert listed[0].coded_at.tzinfo is not None
    assert [d.id for d in store.documents(limit=1, offset=1)] == ["b"]
    stats = store.stats()
    assert stats.documents == 3 and stats.events == 3
    assert stats.documents_by_status == {"coded": 2, "skipped": 1, "failed": 0}
    assert stats.events_by_type == {"CONSULT": 3}


def test_closed_store_refuses_work() -> None:
    store = Store.open(":memory:")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count_events()


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        Store.open(path)


def test_threads_can_share_a_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "t.db") as store:

        def work(prefix: str) -> None:
            for n in range(20):
                store.save(coded(f"{prefix}{n}", 2))
                store.count_events()

        threads = [threading.Thread(target=work, args=(p,)) for p in "abc"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.stats().documents == 60
        assert store.count_events() == 120


# ---------------------------------------------------------------- migrations


ADD_REVIEWER = Migration(
    SCHEMA_VERSION + 1, "reviews get a reviewer", "ALTER TABLE reviews ADD COLUMN reviewer TEXT;"
)


def test_old_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        store.save(coded("a1", 2))
        assert store.schema_version == SCHEMA_VERSION

    seen: list[int] = []

    def backfill(connection: sqlite3.Connection) -> None:
        seen.append(connection.execute("SELECT COUNT(*) FROM events").fetchone()[0])
        connection.execute("UPDATE reviews SET reviewer = 'nobody'")

    backfill_step = Migration(SCHEMA_VERSION + 2, "backfill", apply=backfill)
    migrations = (*MIGRATIONS, ADD_REVIEWER, backfill_step)
    with Store.open(path, migrations=migrations) as store:
        assert store.schema_version == SCHEMA_VERSION + 2
        assert [as_coded(e) for e in store.events()] == coded("a1", 2).events
    assert seen == [2]
    with sqlite3.connect(path) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(reviews)")}
    assert "reviewer" in columns
    # Opening again applies nothing twice.
    with Store.open(path, migrations=migrations) as store:
        assert store.schema_version == SCHEMA_VERSION + 2
    assert seen == [2]


def test_failed_migration_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    Store.open(path).close()
    broken = Migration(
        SCHEMA_VERSION + 1,
        "broken",
        "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);",
    )
    with pytest.raises(StoreError):
        Store.open(path, migrations=(*MIGRATIONS, broken))
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    assert "half_done" not in tables
    assert version == SCHEMA_VERSION


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    newer = Migration(SCHEMA_VERSION + 1, "from the future", "CREATE TABLE future (x INTEGER);")
    Store.open(path, migrations=(*MIGRATIONS, newer)).close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(path)


def test_migrations_must_be_numbered_in_order() -> None:
    with pytest.raises(StoreError, match="numbered"):
        Store.open(":memory:", migrations=(ADD_REVIEWER,))


# ---------------------------------------------------------------- kill -9


BUILDER = """
from datetime import date
from eventwire.models import CodedDocument, Document, Entity, Event, Evidence, QuadClass

def build(i):
    doc_id = f"doc{i:05d}"
    events = [
        Event(
            doc_id=doc_id, event_id=f"{doc_id}-{n}", source="K", type="ASSAULT",
            quad_class=QuadClass.MATERIAL_CONFLICT,
            actor=[Entity(text=f"a{n}", country="SYR", sector="MIL")],
            recipient=[Entity(text=f"r{k}", sector="REB") for k in range(3)],
            date=date(2024, 1, 1 + i % 28),
            evidence=Evidence(sentence="s" * 200, start=n * 300, end=n * 300 + 200),
        )
        for n in range(40 + i % 7)
    ]
    return CodedDocument(document=Document(id=doc_id, source="K", body="b" * 5000), events=events)
"""

WRITER = """
import sys
from eventwire.store import Store
store = Store.open(sys.argv[1])
for i in range(int(sys.argv[2])):
    store.save(build(i))
    print(i, flush=True)
"""


@pytest.mark.slow
def test_kill_9_leaves_only_whole_documents(tmp_path: Path) -> None:
    namespace: dict[str, object] = {}
    exec(BUILDER, namespace)
    build = namespace["build"]
    path = tmp_path / "crash.db"
    process = subprocess.Popen(
        [sys.executable, "-c", BUILDER + WRITER, str(path), "100000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    reported = -1
    for line in process.stdout:
        reported = int(line)
        if reported >= 60:
            break
    # Let it run on for a moment so the kill lands anywhere, most often inside a save.
    time.sleep(random.uniform(0.0, 0.05))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert reported >= 60, "the writer died before it got going"

    with Store.open(path) as store:
        assert store.integrity_check() == "ok"
        present = store.documents()
        indexes = [int(d.id[3:]) for d in present]
        # Every document the writer reported is there, and nothing beyond the one in flight.
        assert indexes == list(range(len(indexes)))
        assert len(indexes) > reported
        for stored in present:
            expected = build(int(stored.id[3:]))  # type: ignore[operator]
            found = store.events(EventFilter(doc_id=stored.id))
            assert [as_coded(e) for e in found] == expected.events
            assert stored.n_events == len(expected.events)

        total = len(indexes) + 5
        for i in range(total):
            store.save(build(i))  # type: ignore[operator]
        assert store.stats().documents == total
        expected_events = [event for i in range(total) for event in build(i).events]  # type: ignore[operator]
        assert store.count_events() == len(expected_events)
        assert [as_coded(e) for e in store.events()] == expected_events
