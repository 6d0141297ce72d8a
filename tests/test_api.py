"""Web API: filters, paging, documents, stats, timeline, reviews; and the store's review methods.

Everything runs against a temp-file store filled with hand-built events (no spaCy).
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from event_builders import as_coded, entity, make_event
from eventwire.api.app import create_app, web_dir
from eventwire.models import (
    CodedDocument,
    Document,
    Entity,
    EventType,
    Location,
    QuadClass,
)
from eventwire.store import MIGRATIONS, Store, StoreError

# ------------------------------------------------------------------ hand-built corpus

BODY_1 = (
    "Iran's foreign minister met his Russian counterpart Sergei Lavrov in Moscow on Monday. "
    "The two governments agreed to widen their energy partnership. "
    "Israel accused Iran of shipping drones to Russia."
)
BODY_2 = (
    "Russia delivered grain to Iran this week. "
    "Washington warned Tehran of new penalties earlier this month."
)
BODY_3 = "Gunmen attacked a police post in the north, officials said."


def corpus() -> list[CodedDocument]:
    first = "Iran's foreign minister met his Russian counterpart Sergei Lavrov in Moscow on Monday."
    second = "The two governments agreed to widen their energy partnership."
    third = "Israel accused Iran of shipping drones to Russia."
    iran_fm = entity(BODY_1, "Iran's foreign minister", country="IRN", sector="GOV", kind="person")
    lavrov = entity(
        BODY_1, "Sergei Lavrov", name="Sergei Lavrov", country="RUS", sector="GOV", kind="person"
    )
    moscow = Location(name="Moscow", country="RUS", lat=55.75, lon=37.62)
    doc1 = Document(
        id="ava-1",
        source="AVA",
        published=date(2024, 3, 5),
        title="Iran and Russia talk energy",
        body=BODY_1,
        source_name="Example Agency",
        url="https://example.org/ava-1",
    )
    events1 = [
        make_event(
            "ava-1",
            BODY_1,
            first,
            "met",
            n=0,
            type=EventType.CONSULT,
            quad=QuadClass.VERBAL_COOPERATION,
            score=1.0,
            actor=[iran_fm],
            recipient=[lavrov],
            mode="visit",
            date=date(2024, 3, 4),
            location=moscow,
        ),
        make_event(
            "ava-1",
            BODY_1,
            second,
            "agreed",
            n=1,
            type=EventType.AGREE,
            quad=QuadClass.VERBAL_COOPERATION,
            score=2.5,
            confidence=0.6,
            actor=[
                Entity(text="The two governments", country="IRN", sector="GOV"),
                Entity(text="The two governments", country="RUS", sector="GOV"),
            ],
            recipient=[],
            date=date(2024, 3, 4),
        ),
        make_event(
            "ava-1",
            BODY_1,
            third,
            "accused",
            n=2,
            type=EventType.ACCUSE,
            quad=QuadClass.VERBAL_CONFLICT,
            score=-2.0,
            actor=[entity(BODY_1, "Israel", name="Israel", country="ISR")],
            recipient=[entity(BODY_1, "Iran", after="accused", name="Iran", country="IRN")],
            date=date(2024, 3, 5),
            date_is_publication=True,
        ),
    ]
    doc2 = Document(
        id="ava-2",
        source="AVA",
        published=date(2024, 5, 10),
        title="Grain and warnings",
        body=BODY_2,
    )
    events2 = [
        make_event(
            "ava-2",
            BODY_2,
            "Russia delivered grain to Iran this week.",
            "delivered",
            n=0,
            type=EventType.AID,
            quad=QuadClass.MATERIAL_COOPERATION,
            score=10.0,
            actor=[entity(BODY_2, "Russia", country="RUS")],
            recipient=[entity(BODY_2, "Iran", country="IRN")],
            date_start=date(2024, 5, 6),
            date_end=date(2024, 5, 10),
        ),
        make_event(
            "ava-2",
            BODY_2,
            "Washington warned Tehran of new penalties earlier this month.",
            "warned",
            n=1,
            type=EventType.THREATEN,
            quad=QuadClass.VERBAL_CONFLICT,
            score=-4.0,
            actor=[entity(BODY_2, "Washington", country="USA", sector="GOV")],
            recipient=[entity(BODY_2, "Tehran", country="IRN", sector="GOV")],
            date_start=date(2024, 5, 1),
            date_end=date(2024, 5, 10),
        ),
    ]
    doc3 = Document(id="local-1", published=date(2024, 1, 15), body=BODY_3)
    events3 = [
        make_event(
            "local-1",
            BODY_3,
            BODY_3,
            "attacked",
            n=0,
            source=None,
            type=EventType.ASSAULT,
            quad=QuadClass.MATERIAL_CONFLICT,
            score=-9.0,
            confidence=0.4,
            actor=[entity(BODY_3, "Gunmen", sector="REB", kind="group")],
            recipient=[entity(BODY_3, "police", sector="COP")],
            date=date(2024, 1, 14),
        ),
        make_event(
            "local-1",
            BODY_3,
            BODY_3,
            "said",
            n=1,
            source=None,
            type=EventType.ACCUSE,
            quad=QuadClass.VERBAL_CONFLICT,
            score=None,
            confidence=0.3,
            actor=[entity(BODY_3, "officials", sector="GOV")],
            recipient=[],
        ),
    ]
    failed = Document(id="ava-9", source="AVA", body="Unreadable.")
    return [
        CodedDocument(document=doc1, events=events1),
        CodedDocument(document=doc2, events=events2),
        CodedDocument(document=doc3, events=events3),
        CodedDocument(document=failed, status="failed", message="no sentences"),
    ]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "events.db"
    with Store.open(path) as store:
        for item in corpus():
            store.save(item)
    return path


TOKEN = "test-token"
BASE_URL = "http://127.0.0.1"


@pytest.fixture
def client(db_path: Path) -> Iterator[TestClient]:
    app = create_app(db_path, token=TOKEN)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(app, base_url=BASE_URL, headers=headers) as test_client:
        yield test_client


def ids(response_json: dict) -> list[str]:
    return [item["event_id"] for item in response_json["items"]]


# ------------------------------------------------------------------ events


def test_lists_all_events_in_document_order(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == 7
    assert ids(body) == [
        "ev-local-1-0",
        "ev-local-1-1",  # source '' sorts first
        "ev-ava-1-0",
        "ev-ava-1-1",
        "ev-ava-1-2",
        "ev-ava-2-0",
        "ev-ava-2-1",
    ]
    first = body["items"][2]
    assert first["type"] == "CONSULT"
    assert first["actor"][0]["country"] == "IRN"
    assert first["evidence"]["trigger"] == "met"
    assert first["review"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor=IRN", ["ev-ava-1-0", "ev-ava-1-1"]),  # directed ACCUSE has IRN as recipient
        ("actor=irn&recipient=RUS", ["ev-ava-1-0", "ev-ava-1-1"]),
        ("actor=RUS&recipient=IRN", ["ev-ava-1-0", "ev-ava-1-1", "ev-ava-2-0"]),  # symmetric
        ("recipient=IRN", ["ev-ava-1-0", "ev-ava-1-1", "ev-ava-1-2", "ev-ava-2-0", "ev-ava-2-1"]),
        ("actor=Lavrov", ["ev-ava-1-0"]),
        ("actor=USAGOV", ["ev-ava-2-1"]),
        ("type=accuse", ["ev-local-1-1", "ev-ava-1-2"]),
        ("since=2024-05-08", ["ev-ava-2-0", "ev-ava-2-1"]),
        ("since=2024-03-05&until=2024-03-31", ["ev-ava-1-2"]),
        ("doc=ava-2", ["ev-ava-2-0", "ev-ava-2-1"]),
        ("min_confidence=0.7", ["ev-ava-1-0", "ev-ava-1-2", "ev-ava-2-0", "ev-ava-2-1"]),
        ("actor=&recipient=&type=", None),  # blank form fields mean 'any'
    ],
)
def test_filters(client: TestClient, query: str, expected: list[str] | None) -> None:
    body = client.get(f"/api/events?{query}").json()
    if expected is None:
        assert body["total"] == 7
    else:
        assert ids(body) == expected
        assert body["total"] == len(expected)


def test_paging_keeps_the_total(client: TestClient) -> None:
    body = client.get("/api/events?limit=2&offset=3").json()
    assert (body["total"], body["limit"], body["offset"]) == (7, 2, 3)
    assert ids(body) == ["ev-ava-1-1", "ev-ava-1-2"]


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("type=HUG", "type", "unknown event type"),
        ("since=2024-05-01&until=2024-04-01", "filter", "after until"),
        ("since=yesterday", "since", "date"),
        ("min_confidence=2", "min_confidence", "less than or equal"),
        ("limit=0", "limit", "greater than"),
        ("limit=100000", "limit", "less than or equal"),
        ("offset=-1", "offset", "greater than"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(
    client: TestClient, query: str, field: str, words: str
) -> None:
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(d["loc"][-1] == field and words in d["msg"] for d in detail), detail


def test_one_event_and_404(client: TestClient) -> None:
    event = client.get("/api/events/ev-ava-2-1").json()
    assert event["date_start"] == "2024-05-01"
    assert event["recipient"][0]["name"] is None
    missing = client.get("/api/events/ev-nope")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no event with id 'ev-nope'"


# ------------------------------------------------------------------ documents


def test_document_with_its_events_and_evidence_offsets(client: TestClient) -> None:
    doc = client.get("/api/documents/AVA/ava-1").json()
    assert doc["title"] == "Iran and Russia talk energy"
    assert doc["body"] == BODY_1
    assert doc["status"] == "coded"
    assert [e["event_id"] for e in doc["events"]] == ["ev-ava-1-0", "ev-ava-1-1", "ev-ava-1-2"]
    for event in doc["events"]:
        evidence = event["evidence"]
        assert doc["body"][evidence["start"] : evidence["end"]] == evidence["sentence"]
        assert (
            doc["body"][evidence["trigger_start"] : evidence["trigger_end"]] == evidence["trigger"]
        )


def test_document_without_source_uses_underscore(client: TestClient) -> None:
    doc = client.get("/api/documents/_/local-1").json()
    assert doc["source"] is None
    assert len(doc["events"]) == 2


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/documents/AVA/nope", "no document 'nope' with source 'AVA'"),
        ("/api/documents/_/ava-1", "no document 'ava-1' with no source"),
    ],
)
def test_missing_document_is_404(client: TestClient, path: str, message: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"] == message


def test_document_listing(client: TestClient) -> None:
    body = client.get("/api/documents?limit=2").json()
    assert body["total"] == 4
    assert [d["id"] for d in body["items"]] == ["local-1", "ava-1"]
    assert "body" not in body["items"][0]
    failed = client.get("/api/documents?status=failed").json()
    assert failed["total"] == 1
    assert failed["items"][0]["message"] == "no sentences"
    assert client.get("/api/documents?status=lost").status_code == 422


# ------------------------------------------------------------------ stats and timeline


def test_stats(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 4
    assert stats["events"] == 7
    assert stats["documents_by_status"] == {"coded": 3, "skipped": 0, "failed": 1}
    assert stats["events_by_type"]["ACCUSE"] == 2
    assert stats["reviews_by_verdict"] == {"correct": 0, "wrong": 0, "unsure": 0}


def test_timeline_by_month_fills_gaps(client: TestClient) -> None:
    timeline = client.get("/api/timeline").json()
    assert timeline["interval"] == "month"
    assert (timeline["total"], timeline["undated"]) == (7, 1)
    periods = {p["period"]: p for p in timeline["periods"]}
    assert list(periods) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert periods["2024-02"]["total"] == 0
    assert periods["2024-02"]["mean_score"] is None
    march = periods["2024-03"]
    assert march["counts"] == {
        "verbal_cooperation": 2,
        "material_cooperation": 0,
        "verbal_conflict": 1,
        "material_conflict": 0,
    }
    assert march["mean_score"] == pytest.approx((1.0 + 2.5 - 2.0) / 3)
    assert march["mean_scores"]["verbal_cooperation"] == pytest.approx(1.75)
    assert (march["start"], march["end"]) == ("2024-03-01", "2024-03-31")
    # A range counts at its start: the May warning is a May event.
    assert periods["2024-05"]["counts"]["verbal_conflict"] == 1


def test_timeline_follows_the_filter(client: TestClient) -> None:
    timeline = client.get("/api/timeline?actor=RUS&recipient=IRN").json()
    periods = [(p["period"], p["total"]) for p in timeline["periods"]]
    assert periods == [("2024-03", 2), ("2024-04", 0), ("2024-05", 1)]
    assert timeline["periods"][-1]["mean_score"] == pytest.approx(10.0)


def test_timeline_by_year_and_by_iso_week(client: TestClient) -> None:
    years = client.get("/api/timeline?interval=year").json()["periods"]
    assert [(p["period"], p["total"]) for p in years] == [("2024", 6)]
    weeks = client.get("/api/timeline?interval=week").json()["periods"]
    # 2024-01-14 is a Sunday: ISO week 2 (Monday 8 January); the last event is in week 19.
    assert (weeks[0]["period"], weeks[0]["start"]) == ("2024-W02", "2024-01-08")
    assert weeks[-1]["period"] == "2024-W19"
    assert len(weeks) == 18


def test_timeline_rejects_unknown_interval(client: TestClient) -> None:
    assert client.get("/api/timeline?interval=decade").status_code == 422


# ------------------------------------------------------------------ reviews


def test_review_is_saved_and_shown_in_listings(client: TestClient) -> None:
    response = client.post(
        "/api/events/ev-ava-1-0/reviews",
        json={"verdict": "wrong", "note": "  a phone call  ", "reviewer": "ana"},
    )
    assert response.status_code == 201
    review = response.json()
    assert (review["verdict"], review["note"], review["reviewer"]) == (
        "wrong",
        "a phone call",
        "ana",
    )
    listed = client.get("/api/events?actor=Lavrov").json()["items"][0]
    assert listed["review"]["verdict"] == "wrong"
    assert client.get("/api/events/ev-ava-1-0").json()["review"]["id"] == review["id"]
    doc = client.get("/api/documents/AVA/ava-1").json()
    assert [e["review"] and e["review"]["verdict"] for e in doc["events"]] == ["wrong", None, None]


def test_later_review_becomes_the_verdict_and_history_is_kept(client: TestClient) -> None:
    client.post("/api/events/ev-ava-2-0/reviews", json={"verdict": "unsure"})
    client.post("/api/events/ev-ava-2-0/reviews", json={"verdict": "correct", "note": "checked"})
    history = client.get("/api/events/ev-ava-2-0/reviews").json()
    assert [r["verdict"] for r in history["items"]] == ["unsure", "correct"]
    assert history["latest"]["note"] == "checked"
    assert client.get("/api/events/ev-ava-2-0").json()["review"]["verdict"] == "correct"
    stats = client.get("/api/stats").json()
    assert stats["reviews_by_verdict"] == {"correct": 1, "wrong": 0, "unsure": 0}


@pytest.mark.parametrize(
    "body",
    [
        {"verdict": "maybe"},
        {},
        {"verdict": "correct", "score": 3},
        {"verdict": "wrong", "note": "x" * 2001},
    ],
)
def test_bad_review_is_422(client: TestClient, body: dict) -> None:
    response = client.post("/api/events/ev-ava-1-0/reviews", json=body)
    assert response.status_code == 422
    assert client.get("/api/events/ev-ava-1-0/reviews").json()["items"] == []


def test_review_of_unknown_event_is_404(client: TestClient) -> None:
    response = client.post("/api/events/ev-nope/reviews", json={"verdict": "correct"})
    assert response.status_code == 404
    assert "ev-nope" in response.json()["detail"]
    assert client.get("/api/events/ev-nope/reviews").status_code == 404


def test_reviews_outlive_recoding(client: TestClient, db_path: Path) -> None:
    client.post("/api/events/ev-ava-2-1/reviews", json={"verdict": "correct"})
    doc2 = corpus()[1]
    with Store.open(db_path) as store:
        store.save(doc2.model_copy(update={"events": []}))  # recoded: event gone
    assert client.get("/api/events/ev-ava-2-1").status_code == 404
    gone = client.get("/api/events/ev-ava-2-1/reviews").json()
    assert gone["latest"]["verdict"] == "correct"
    with Store.open(db_path) as store:
        store.save(doc2)  # and back
    assert client.get("/api/events/ev-ava-2-1").json()["review"]["verdict"] == "correct"


# ------------------------------------------------------------------ the store's review methods


def test_store_add_review_and_latest(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        first = store.add_review("ev-1", "wrong", note="", reviewer=" bo ")
        second = store.add_review("ev-1", "correct")
        store.add_review("ev-2", "unsure", note="maybe")
        assert (first.note, first.reviewer) == (None, "bo")
        assert [r.id for r in store.reviews("ev-1")] == [first.id, second.id]
        latest = store.latest_reviews(["ev-1", "ev-2", "ev-3", "ev-1"])
        assert {k: v.verdict for k, v in latest.items()} == {"ev-1": "correct", "ev-2": "unsure"}
        assert store.review_counts() == {"correct": 1, "wrong": 0, "unsure": 1}
        with pytest.raises(ValueError, match="unknown verdict"):
            store.add_review("ev-1", "meh")  # type: ignore[arg-type]
    with sqlite3.connect(tmp_path / "r.db") as connection:
        current = connection.execute("SELECT event_id, verdict FROM reviews ORDER BY 1").fetchall()
    assert current == [("ev-1", "correct"), ("ev-2", "unsure")]


def test_store_event_by_id(db_path: Path) -> None:
    with Store.open(db_path) as store:
        event = store.event("ev-ava-1-2")
        assert event is not None
        assert as_coded(event) == corpus()[0].events[2]
        assert store.event("ev-missing") is None


def test_review_history_migration_keeps_old_verdicts(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store.open(path, migrations=MIGRATIONS[:1]):
        pass
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO reviews VALUES ('ev-a', 'wrong', 'old', '2024-01-01')")
    with Store.open(path) as store:
        assert [(r.event_id, r.verdict, r.note) for r in store.reviews("ev-a")] == [
            ("ev-a", "wrong", "old")
        ]


# ------------------------------------------------------------------ the page and the app


def test_page_and_its_local_assets_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/app.js" in assets and "/static/style.css" in assets
    for asset in assets:
        if asset.startswith("data:"):
            continue
        assert asset.startswith("/static/"), f"{asset} is not served locally"
        assert client.get(asset).status_code == 200


def test_web_files_fetch_nothing_from_the_network() -> None:
    for name in ("index.html", "app.js", "style.css"):
        text = (web_dir() / name).read_text(encoding="utf-8")
        # The SVG namespace is an identifier, not a request.
        text = text.replace('"http://www.w3.org/2000/svg"', "")
        assert not re.search(r"https?://|@import|//cdn", text), name


def test_no_cdn_backed_docs_pages(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_create_app_refuses_a_missing_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        create_app(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def test_openapi_lists_every_route(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert paths == {
        "/api/events",
        "/api/events/{event_id}",
        "/api/events/{event_id}/reviews",
        "/api/documents",
        "/api/documents/lookup",
        "/api/documents/{source}/{doc_id}",
        "/api/stats",
        "/api/timeline",
        "/api/stories",
    }


@pytest.mark.slow
def test_commands_that_do_not_serve_never_load_the_web_stack() -> None:
    """FastAPI is a base dependency (#7: no test of an API without it); what stays true is
    that ``eventwire`` commands other than ``serve`` start without importing it."""
    code = (
        "import sys; from eventwire.cli import main; import eventwire.api as api; "
        "assert callable(api.serve); "
        "assert 'fastapi' not in sys.modules and 'uvicorn' not in sys.modules, "
        "sorted(m for m in sys.modules if m.startswith(('fastapi', 'uvicorn')))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
