"""Related coverage in the store (#10): fingerprints and LSH buckets of documents, links
between near-duplicate and same-story documents, links between events reporting the same
happening, and the groups they form (stories, incidents) with their counts.

Written inside ``save``'s transaction: ``forget_document`` before a document's old events
are deleted, ``relate_document`` after its new ones are inserted. Groups are recomputed as
the connected components of the links around the document, so saving a document again gives
the same links and the same counts (never double counted), and the result does not depend
on the order documents were saved in.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from eventwire.models import Document, Event
from eventwire.store.rows import _EVENT_READ, _row_document, _row_event
from eventwire.stories import (
    STORY_WINDOW_DAYS,
    TOPIC_THRESHOLD,
    Fingerprint,
    band_keys,
    components,
    fingerprint,
)
from eventwire.stories.incidents import Report, reports_agree

DocKey = tuple[str, str]

EVENT_FROM = (
    "events e LEFT JOIN event_incidents ei ON ei.event_id = e.event_id"
    " LEFT JOIN incidents i ON i.incident_id = ei.incident_id"
)
"""The events table with each event's incident counts (what ``_EVENT_READ`` reads)."""


@dataclass
class Affected:
    """Groups a document belonged to before it is saved again: recomputed afterwards."""

    stories: set[str] = field(default_factory=set)
    incidents: set[str] = field(default_factory=set)


def forget_document(db: sqlite3.Connection, key: DocKey) -> Affected:
    """Remove a document's fingerprint and links; say which groups must be recomputed."""
    affected = Affected()
    affected.stories = {
        row[0]
        for row in db.execute(
            "SELECT story_id FROM document_stories WHERE doc_source = ? AND doc_id = ?", key
        )
    }
    affected.incidents = {
        row[0]
        for row in db.execute(
            "SELECT ei.incident_id FROM event_incidents ei JOIN events e USING (event_id)"
            " WHERE e.doc_source = ? AND e.doc_id = ?",
            key,
        )
    }
    for table in ("document_fingerprints", "document_bands", "document_stories"):
        db.execute(f"DELETE FROM {table} WHERE doc_source = ? AND doc_id = ?", key)
    db.execute(
        "DELETE FROM document_links"
        " WHERE (a_source = ? AND a_id = ?) OR (b_source = ? AND b_id = ?)",
        (*key, *key),
    )
    db.execute(
        "DELETE FROM event_links"
        " WHERE a IN (SELECT event_id FROM events WHERE doc_source = ? AND doc_id = ?)"
        " OR b IN (SELECT event_id FROM events WHERE doc_source = ? AND doc_id = ?)",
        (*key, *key),
    )
    return affected


def relate_document(
    db: sqlite3.Connection, document: Document, events: Sequence[Event], affected: Affected
) -> None:
    """Fingerprint the saved document, link it and its events, recompute the groups."""
    key: DocKey = (document.source or "", document.id)
    print_ = fingerprint(document.title, document.body)
    shingles, words = print_.to_bytes()
    db.execute(
        "INSERT INTO document_fingerprints (doc_source, doc_id, shingles, words, n_shingles)"
        " VALUES (?, ?, ?, ?, ?)",
        (*key, shingles, words, print_.n_shingles),
    )
    keys = band_keys(print_.shingles)
    db.executemany(
        "INSERT INTO document_bands (band, bucket, doc_source, doc_id) VALUES (?, ?, ?, ?)",
        [(band, bucket, *key) for band, bucket in enumerate(keys)],
    )
    duplicates = _link_duplicates(db, key, print_, keys)
    linked_events = _link_events(db, key, events, duplicates)
    _link_story_documents(db, key, document, print_, linked_events, duplicates)
    _regroup_incidents(db, {e.event_id for e in events} | linked_events, affected.incidents)
    _regroup_stories(db, key, affected.stories)


def _insert_link(db: sqlite3.Connection, a: DocKey, b: DocKey, kind: str, sim: float) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO document_links (a_source, a_id, b_source, b_id, kind, similarity)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(*a, *b, kind, sim), (*b, *a, kind, sim)],
    )


def _fingerprint_of(db: sqlite3.Connection, key: DocKey) -> Fingerprint | None:
    row = db.execute(
        "SELECT shingles, words, n_shingles FROM document_fingerprints"
        " WHERE doc_source = ? AND doc_id = ?",
        key,
    ).fetchone()
    return Fingerprint.from_bytes(row[0], row[1], row[2]) if row is not None else None


def _link_duplicates(
    db: sqlite3.Connection, key: DocKey, print_: Fingerprint, keys: list[int]
) -> set[DocKey]:
    candidates: set[DocKey] = set()
    for band, bucket in enumerate(keys):
        for row in db.execute(
            "SELECT doc_source, doc_id FROM document_bands WHERE band = ? AND bucket = ?",
            (band, bucket),
        ):
            candidates.add((row[0], row[1]))
    candidates.discard(key)
    found: set[DocKey] = set()
    for other in sorted(candidates):
        other_print = _fingerprint_of(db, other)
        if other_print is None:
            continue
        if print_.is_near_duplicate(other_print):
            similarity = print_.duplicate_similarity(other_print)
            _insert_link(db, key, other, "duplicate", similarity)
            found.add(other)
    return found


def _link_events(
    db: sqlite3.Connection, key: DocKey, events: Sequence[Event], duplicates: set[DocKey]
) -> set[str]:
    """Link each event to the events of other documents reporting the same happening
    (more easily when the other document is a near-duplicate of this one)."""
    linked: set[str] = set()
    seen: dict[str, Report] = {}  # candidates come back for each event of the document
    for event in events:
        mine = Report.of(event)
        window = mine.search_window()
        codes, actors_only = mine.search_codes()
        if window is None or not codes:
            continue
        marks = ", ".join("?" * len(codes))
        role = " AND x.role = 'actor'" if actors_only else ""
        rows = db.execute(
            "SELECT e.event_id, e.doc_source, e.doc_id FROM events e WHERE e.type = ?"
            " AND COALESCE(e.date_low, e.date_high) <= ? AND COALESCE(e.date_high, e.date_low) >= ?"
            " AND NOT (e.doc_source = ? AND e.doc_id = ?)"
            " AND e.event_id IN (SELECT x.event_id FROM entities x"
            f" WHERE (x.country IN ({marks})"
            f" OR (x.country IS NULL AND x.sector IN ({marks}))){role})",
            (
                event.type.value,
                window[1].isoformat(),
                window[0].isoformat(),
                *key,
                *sorted(codes),
                *sorted(codes),
            ),
        ).fetchall()
        for row in rows:
            copies = (row["doc_source"], row["doc_id"]) in duplicates
            theirs = seen.get(row["event_id"]) or _report(db, row["event_id"], seen)
            if reports_agree(mine, theirs, copies=copies):
                db.executemany(
                    "INSERT OR IGNORE INTO event_links (a, b) VALUES (?, ?)",
                    [(event.event_id, row["event_id"]), (row["event_id"], event.event_id)],
                )
                linked.add(row["event_id"])
    return linked


def _report(db: sqlite3.Connection, event_id: str, seen: dict[str, Report]) -> Report:
    row = db.execute(
        "SELECT type, date_low, date_high, date_is_publication, location_name,"
        " location_geonameid, evidence_sentence, actor, recipient FROM events WHERE event_id = ?",
        (event_id,),
    ).fetchone()
    report = Report.from_row(
        type=row["type"],
        low=row["date_low"],
        high=row["date_high"],
        publication_date=bool(row["date_is_publication"]),
        actor_codes=_entity_codes(row["actor"]),
        recipient_codes=_entity_codes(row["recipient"]),
        geonameid=row["location_geonameid"],
        place_name=row["location_name"],
        sentence=row["evidence_sentence"],
    )
    seen[event_id] = report
    return report


def _entity_codes(stored: str) -> list[str | None]:
    """The codes of a stored entity list (``Entity.code``: the country, else the sector)."""
    return [entity.get("country") or entity.get("sector") for entity in json.loads(stored)]


def _published(db: sqlite3.Connection, key: DocKey) -> date | None:
    row = db.execute(
        "SELECT published_date FROM documents WHERE source = ? AND id = ?", key
    ).fetchone()
    return date.fromisoformat(row[0]) if row is not None and row[0] else None


def _link_story_documents(
    db: sqlite3.Connection,
    key: DocKey,
    document: Document,
    print_: Fingerprint,
    linked_events: set[str],
    duplicates: set[DocKey],
) -> None:
    """Documents sharing a happening, close in time and in words, are one story."""
    if not linked_events:
        return
    marks = ",".join("?" * len(linked_events))
    others = {
        (row[0], row[1])
        for row in db.execute(
            f"SELECT DISTINCT doc_source, doc_id FROM events WHERE event_id IN ({marks})",
            sorted(linked_events),
        )
    }
    mine = document.published_date
    for other in sorted(others - duplicates - {key}):
        theirs = _published(db, other)
        if mine is None or theirs is None or abs(mine - theirs) > timedelta(STORY_WINDOW_DAYS):
            continue
        other_print = _fingerprint_of(db, other)
        if other_print is None:
            continue
        similarity = print_.topic_similarity(other_print)
        if similarity >= TOPIC_THRESHOLD:
            _insert_link(db, key, other, "story", similarity)


def _group_id(prefix: str, smallest: str) -> str:
    return prefix + hashlib.sha256(smallest.encode("utf-8")).hexdigest()[:12]


def _regroup_incidents(db: sqlite3.Connection, seeds: set[str], old: Iterable[str]) -> None:
    old = set(old)
    nodes = set(seeds)
    frontier = set(seeds)
    # everything connected to the seeds, and whatever was in their old incidents
    for incident in list(old):
        nodes |= {
            r[0]
            for r in db.execute(
                "SELECT event_id FROM event_incidents WHERE incident_id = ?", (incident,)
            )
        }
    frontier = set(nodes)
    links: list[tuple[str, str]] = []
    while frontier:
        batch = sorted(frontier)
        frontier = set()
        for start in range(0, len(batch), 500):
            chunk = batch[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for a, b in db.execute(f"SELECT a, b FROM event_links WHERE a IN ({marks})", chunk):
                links.append((a, b))
                if b not in nodes:
                    nodes.add(b)
                    frontier.add(b)
    nodes = {
        n
        for n in nodes
        if db.execute("SELECT 1 FROM events WHERE event_id = ?", (n,)).fetchone() is not None
    }
    old |= {
        r[0]
        for n in nodes
        for r in db.execute("SELECT incident_id FROM event_incidents WHERE event_id = ?", (n,))
    }
    db.executemany("DELETE FROM incidents WHERE incident_id = ?", [(i,) for i in old])
    db.executemany("DELETE FROM event_incidents WHERE event_id = ?", [(n,) for n in nodes])
    for group in components(nodes, links):
        incident = _group_id("in-", min(group))
        db.executemany(
            "INSERT INTO event_incidents (event_id, incident_id) VALUES (?, ?)",
            [(n, incident) for n in sorted(group)],
        )
        db.execute(
            "INSERT INTO incidents (incident_id, n_mentions, n_documents, n_sources)"
            " SELECT ?, COUNT(*), COUNT(DISTINCT e.doc_source || char(0) || e.doc_id),"
            " COUNT(DISTINCT e.doc_source) FROM event_incidents ei JOIN events e USING (event_id)"
            " WHERE ei.incident_id = ?",
            (incident, incident),
        )


def _story_key(key: DocKey) -> str:
    return f"{key[0]}/{key[1]}"


def _regroup_stories(db: sqlite3.Connection, key: DocKey, old: Iterable[str]) -> None:
    old = set(old)
    nodes: set[DocKey] = {key}
    for story in list(old):
        nodes |= {
            (r[0], r[1])
            for r in db.execute(
                "SELECT doc_source, doc_id FROM document_stories WHERE story_id = ?", (story,)
            )
        }
    frontier = set(nodes)
    links: list[tuple[DocKey, DocKey]] = []
    while frontier:
        a = frontier.pop()
        for row in db.execute(
            "SELECT b_source, b_id FROM document_links WHERE a_source = ? AND a_id = ?", a
        ):
            b = (row[0], row[1])
            links.append((a, b))
            if b not in nodes:
                nodes.add(b)
                frontier.add(b)
    db.executemany("DELETE FROM document_stories WHERE doc_source = ? AND doc_id = ?", list(nodes))
    for group in components(nodes, links):
        story = _group_id("st-", _story_key(min(group)))
        db.executemany(
            "INSERT INTO document_stories (doc_source, doc_id, story_id) VALUES (?, ?, ?)",
            [(*node, story) for node in sorted(group)],
        )


def relate_existing(db: sqlite3.Connection) -> None:
    """Relate every stored document (the migration that adds these tables)."""
    keys = [(r[0], r[1]) for r in db.execute("SELECT source, id FROM documents ORDER BY 1, 2")]
    for key in keys:
        row = db.execute("SELECT * FROM documents WHERE source = ? AND id = ?", key).fetchone()
        events = [
            _row_event(r)
            for r in db.execute(
                f"SELECT {_EVENT_READ} FROM {EVENT_FROM} WHERE e.doc_source = ? AND e.doc_id = ?",
                key,
            )
        ]
        relate_document(db, _row_document(row), events, forget_document(db, key))
