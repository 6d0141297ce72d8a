"""Related coverage in the store (#10): near-duplicates, stories, incidents and their counts,
idempotent re-ingest, order independence, the migration of an existing store."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from eventwire.models import (
    CodedDocument,
    Document,
    Entity,
    Event,
    EventType,
    Evidence,
    QuadClass,
)
from eventwire.query import EventFilter
from eventwire.store import SCHEMA_VERSION, Store
from eventwire.stories import components, fingerprint

IRN = Entity(text="Iran", name="Iran", country="IRN", sector="GOV")
RUS = Entity(text="Russia", name="Russia", country="RUS", sector="GOV")
TUR = Entity(text="Turkey", name="Turkey", country="TUR", sector="GOV")

PARAGRAPHS = [
    "Iran's foreign minister flew to Moscow on Tuesday for talks with his Russian counterpart"
    " about the war in Syria, the fate of the nuclear deal and new sanctions on oil exports.",
    "The two men spoke for three hours behind closed doors in the Kremlin guest house, officials"
    " said, and agreed to meet again before the end of the month in Tehran or in Astana.",
    "Diplomats in Brussels said the visit showed how far the two governments had come since"
    " their quarrel over the price of gas and the border crossings in the Caucasus last winter.",
    "Analysts warned that any new agreement on Syria would need the approval of Turkey, whose"
    " troops hold a strip of land along the northern border near the town of Afrin.",
    "Oil prices rose slightly on the news, with Brent crude trading above seventy dollars a"
    " barrel for the first time since the summer, traders in London and Singapore said.",
]
BODY = "\n\n".join(PARAGRAPHS)
OTHER = (
    "Heavy rain flooded the valleys of northern Italy on Sunday, closing schools, cutting power"
    " to thousands of homes and forcing farmers to move their cattle to higher ground while"
    " rescue teams searched for two hikers missing in the mountains above Lake Como."
)
DAY = date(2024, 3, 5)


def event(doc: Document, n: int, actor: Entity, recipient: Entity, when: date) -> Event:
    sentence = doc.body.split("\n\n")[0] if doc.body else "x"
    return Event(
        doc_id=doc.id,
        event_id=f"ev-{doc.source}-{doc.id}-{n}",
        source=doc.source,
        type=EventType.CONSULT,
        quad_class=QuadClass.VERBAL_COOPERATION,
        actor=[actor],
        recipient=[recipient],
        date=when,
        evidence=Evidence(sentence=sentence, start=0, end=len(sentence)),
        confidence=0.5 + n / 10,
    )


def document(doc_id: str, source: str, body: str, published: date = DAY) -> Document:
    return Document(id=doc_id, source=source, body=body, title=f"T {doc_id}", published=published)


def coded(doc: Document, *events: tuple[Entity, Entity, date]) -> CodedDocument:
    return CodedDocument(
        document=doc, events=[event(doc, n, a, r, d) for n, (a, r, d) in enumerate(events)]
    )


def corpus() -> list[CodedDocument]:
    """Wire copy (a), its reprint elsewhere without the first paragraph and with words
    changed (b), another outlet's own report of the meeting (c), an unrelated story (d), and
    a report of a later meeting (e)."""
    reprint = "\n\n".join(PARAGRAPHS[1:]).replace("Tuesday", "Wednesday").replace("three", "two")
    own = (
        "Russia and Iran held talks in Moscow about Syria and the nuclear deal, the Kremlin said,"
        " as the Iranian foreign minister met his Russian counterpart; the sanctions on oil and"
        " the Turkey border question were on the table, officials in Tehran added."
    )
    a = document("a", "WIRE", BODY)
    b = document("b", "DAILY", reprint, DAY + timedelta(days=1))
    c = document("c", "POST", own)
    d = document("d", "WIRE", OTHER)
    later = (
        "Two months on, Iranian and Russian envoys sat down again in Moscow; this time the"
        " agenda was wheat, rail freight and a bank payment system to get round the dollar."
    )
    e = document("e", "POST", later, DAY + timedelta(60))
    return [
        coded(a, (IRN, RUS, DAY), (TUR, IRN, DAY)),
        coded(b, (IRN, RUS, DAY)),
        coded(c, (RUS, IRN, DAY)),  # CONSULT is symmetric: the same pair
        coded(d),
        coded(e, (IRN, RUS, DAY + timedelta(days=60))),
    ]


@pytest.fixture
def store() -> Store:
    with Store.open(":memory:") as opened:
        for item in corpus():
            opened.save(item)
        yield opened


def test_fingerprints_see_a_light_rewrite_but_not_another_story() -> None:
    original = fingerprint(None, BODY)
    rewrite = fingerprint(None, "\n\n".join(PARAGRAPHS[1:]).replace("three", "two"))
    assert original.duplicate_similarity(rewrite) >= 0.6
    assert original.duplicate_similarity(fingerprint(None, OTHER)) < 0.1


def test_near_duplicate_found_at_ingest(store: Store) -> None:
    related = store.related_documents("a", "WIRE")
    by_key = {(r.source, r.id): r for r in related}
    assert by_key[("DAILY", "b")].relation == "duplicate"
    assert ("WIRE", "d") not in by_key
    assert ("POST", "e") not in by_key


def test_stories_group_duplicates_and_reports_of_the_same_meeting(store: Store) -> None:
    stories = store.stories()
    assert len(stories) == 1
    story = stories[0]
    assert set(story.doc_ids) == {"WIRE/a", "DAILY/b", "POST/c"}
    assert story.n_documents == 3
    assert story.n_events == 2  # the Moscow talks (three reports) and Turkey-Iran
    assert story.title == "T c"  # the first published (a tie with a: by source, then id)
    assert story.first_seen < story.last_seen
    assert store.stories(since=DAY + timedelta(days=2)) == []
    assert len(store.stories(min_documents=1)) == 3  # + the flood and the later meeting


def test_reports_of_one_happening_share_an_incident_with_counts(store: Store) -> None:
    talks = [e for e in store.events() if e.doc_id in "abc" and TUR not in e.actor]
    assert len({e.incident_id for e in talks}) == 1
    assert {(e.n_mentions, e.n_documents, e.n_sources) for e in talks} == {(3, 3, 3)}
    later = store.events(EventFilter(doc_id="e"))
    assert later[0].incident_id != talks[0].incident_id
    assert (later[0].n_mentions, later[0].n_sources) == (1, 1)
    reports = store.incident_events(talks[0].incident_id or "")
    assert {(e.doc_id, e.evidence.sentence[:20]) for e in reports} == {
        (e.doc_id, e.evidence.sentence[:20]) for e in talks
    }


def test_unique_lists_one_row_per_incident_and_min_sources_filters(store: Store) -> None:
    assert store.count_events() == 5
    unique = store.events(EventFilter(unique=True))
    assert len(unique) == 3 == store.count_events(EventFilter(unique=True))
    assert len({e.incident_id for e in unique}) == 3
    wide = store.events(EventFilter(unique=True, min_sources=2))
    assert [(e.n_sources, e.n_mentions) for e in wide] == [(3, 3)]
    assert len(store.events(EventFilter(min_sources=3))) == 3


def test_reingest_never_double_counts(store: Store) -> None:
    before = ([e.model_dump() for e in store.events()], store.stories())
    for item in corpus()[:3]:
        store.save(item)
        store.save(item)
    assert ([e.model_dump() for e in store.events()], store.stories()) == before


def test_recoding_a_report_away_splits_its_incident_and_story(store: Store) -> None:
    store.save(CodedDocument(document=corpus()[2].document, events=[]))
    talks = [e for e in store.events() if e.doc_id in "ab" and TUR not in e.actor]
    assert {(e.n_mentions, e.n_sources) for e in talks} == {(2, 2)}
    assert set(store.stories()[0].doc_ids) == {"WIRE/a", "DAILY/b"}


def test_result_does_not_depend_on_the_order_documents_came_in(store: Store) -> None:
    with Store.open(":memory:") as other:
        for item in reversed(corpus()):
            other.save(item)
        assert other.stories() == store.stories()
        assert other.events() == store.events()


def test_migration_relates_the_documents_an_old_store_holds(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store.open(path) as fresh:
        for item in corpus():
            fresh.save(item)
        expected = fresh.events()
    with sqlite3.connect(path) as db:  # back to schema 3: the related tables did not exist
        for table in [
            "document_fingerprints",
            "document_bands",
            "document_links",
            "document_stories",
            "event_links",
            "event_incidents",
            "incidents",
            "watch_feeds",
            "watch_urls",
        ]:
            db.execute(f"DROP TABLE {table}")
        db.execute("PRAGMA user_version = 3")
    with Store.open(path) as upgraded:
        assert upgraded.schema_version == SCHEMA_VERSION
        assert upgraded.events() == expected
        assert len(upgraded.stories()) == 1


def test_components_ignore_links_outside_and_are_ordered() -> None:
    groups = components([3, 1, 2, 5], [(1, 2), (2, 9), (5, 3)])
    assert groups == [{1, 2}, {3, 5}]


# ---------------------------------------------------------------- one happening: the rules

MEETING = "Iran's foreign minister met Russia's foreign minister in Moscow on Tuesday for talks."
REPORT = "The Russian and Iranian foreign ministers held talks in Moscow on Tuesday, Tass said."


def report(sentence: str, actor: Entity, recipient: Entity | None, **fields: object) -> Event:
    values: dict[str, object] = {
        "doc_id": "x",
        "event_id": f"ev-{abs(hash((sentence, actor.text)))}",
        "type": EventType.CONSULT,
        "quad_class": QuadClass.VERBAL_COOPERATION,
        "actor": [actor],
        "recipient": [recipient] if recipient else [],
        "date": DAY,
        "evidence": Evidence(sentence=sentence, start=0, end=len(sentence)),
    }
    values.update(fields)
    return Event.model_validate(values)


def test_two_reports_of_one_meeting_are_one_happening() -> None:
    from eventwire.stories import same_happening

    assert same_happening(report(MEETING, IRN, RUS), report(REPORT, RUS, IRN))  # symmetric
    assert (
        same_happening(
            report(MEETING, IRN, RUS), report(REPORT, RUS, None, date=DAY + timedelta(days=1))
        )
        is False
    )  # another day, told as a precise date


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"type": EventType.AGREE}, "another type"),
        ({"actor": [TUR], "recipient": [IRN]}, "another pair"),
        ({"date": None, "date_start": DAY, "date_end": DAY + timedelta(days=30)}, "a month"),
        ({"date": None, "date_end": DAY}, "an open interval"),
        ({"evidence": Evidence(sentence="Tuesday talks went well.", start=0, end=24)}, "words"),
    ],
)
def test_what_keeps_two_reports_apart(change: dict[str, object], why: str) -> None:
    from eventwire.stories import same_happening

    other = report(REPORT, RUS, IRN).model_copy(update=change)
    assert not same_happening(report(MEETING, IRN, RUS), other), why


def test_publication_dates_alone_link_only_copies() -> None:
    from eventwire.stories import same_happening

    first = report(MEETING, IRN, RUS, date_is_publication=True)
    assert not same_happening(first, report(REPORT, RUS, IRN, date_is_publication=True))
    assert same_happening(first, report(MEETING, IRN, RUS, date_is_publication=True))
    # near-duplicate documents: their events need not share words
    assert same_happening(first, report(REPORT, RUS, IRN, date_is_publication=True), copies=True)
