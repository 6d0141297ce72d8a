"""The API's hardening (#9): write token, trusted hosts, security headers, parameter edges.

Driven through FastAPI's TestClient against a temp-file store; ``test_serve.py`` does the
same over real HTTP, ``test_web.py`` in a real browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eventwire.api.app import create_app
from eventwire.api.deps import MAX_OFFSET
from eventwire.api.security import is_loopback, served_hosts
from eventwire.models import CodedDocument, Document
from eventwire.store import Store
from test_api import corpus

TOKEN = "s3cret-token"
REVIEW = {"verdict": "correct"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "events.db"
    with Store.open(path) as store:
        for item in corpus():
            store.save(item)
        store.save(CodedDocument(document=Document(id="x/1", source="a/b", body="Slashes.")))
    return path


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, token=TOKEN), base_url="http://127.0.0.1") as test_client:
        yield test_client


def an_event_id(client: TestClient) -> str:
    return client.get("/api/events").json()["items"][0]["event_id"]


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN],
)
def test_writes_without_the_token_are_401(client: TestClient, authorization: str | None) -> None:
    # Regression (#9): anyone who reached the port could write reviews.
    event_id = an_event_id(client)
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.post(f"/api/events/{event_id}/reviews", json=REVIEW, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert client.get(f"/api/events/{event_id}/reviews").json()["items"] == []


def test_writes_with_the_token_succeed_and_reads_need_none(client: TestClient) -> None:
    event_id = an_event_id(client)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    response = client.post(f"/api/events/{event_id}/reviews", json=REVIEW, headers=headers)
    assert response.status_code == 201
    assert client.get(f"/api/events/{event_id}/reviews").json()["latest"]["verdict"] == "correct"
    for path in ("/", "/api/stats", "/api/events", "/api/documents", "/openapi.json"):
        assert client.get(path).status_code == 200, path


def test_an_app_without_a_token_is_read_only(db: Path) -> None:
    with TestClient(create_app(db), base_url="http://localhost") as client:
        event_id = an_event_id(client)
        headers = {"Authorization": "Bearer "}
        response = client.post(f"/api/events/{event_id}/reviews", json=REVIEW, headers=headers)
        assert response.status_code == 401


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1", 200),
        ("127.0.0.1:8000", 200),
        ("localhost:8000", 200),
        ("[::1]:8000", 200),
        ("evil.example", 400),
        ("127.0.0.1.evil.example", 400),
        ("", 400),
    ],
)
def test_requests_for_other_hosts_are_refused(client: TestClient, host: str, status: int) -> None:
    # Regression (#9): any Host header was accepted (DNS rebinding).
    assert client.get("/api/stats", headers={"Host": host}).status_code == status


def test_served_hosts_follow_the_listening_address() -> None:
    assert {"127.0.0.1", "localhost", "::1"} <= set(served_hosts("127.0.0.1"))
    assert served_hosts("192.0.2.7") == ("192.0.2.7",)
    assert "events.example.org" in served_hosts("192.0.2.7", ["Events.Example.org"])
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")


@pytest.mark.parametrize("path", ["/", "/api/stats", "/static/app.js", "/api/events/nope"])
def test_every_response_carries_the_content_security_policy(client: TestClient, path: str) -> None:
    policy = client.get(path).headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(
    "query",
    [
        "offset=9223372036854775808",
        f"offset={MAX_OFFSET + 1}",
        "offset=-1",
        "limit=9223372036854775808",
        "limit=0",
        "min_confidence=1e400",
        "min_confidence=nan",
    ],
)
def test_out_of_range_numbers_are_422(client: TestClient, query: str) -> None:
    # Regression (#9): offset=9223372036854775808 gave a 500.
    assert client.get(f"/api/events?{query}").status_code == 422
    if "offset" in query or "limit" in query:
        assert client.get(f"/api/documents?{query}").status_code == 422


def test_the_largest_offset_is_an_empty_page(client: TestClient) -> None:
    page = client.get(f"/api/events?offset={MAX_OFFSET}").json()
    assert page["items"] == [] and page["offset"] == MAX_OFFSET


def test_repeated_type_takes_every_value(client: TestClient) -> None:
    # Regression (#9): with type=ASSAULT&type=AGREE the last value silently won.
    both = client.get("/api/events?type=ASSAULT&type=AGREE").json()
    assault = client.get("/api/events?type=ASSAULT").json()
    agree = client.get("/api/events?type=agree").json()
    assert assault["total"] >= 1 and agree["total"] >= 1
    assert both["total"] == assault["total"] + agree["total"]
    assert {e["type"] for e in both["items"]} == {"ASSAULT", "AGREE"}
    timeline = client.get("/api/timeline?type=ASSAULT&type=AGREE").json()
    assert timeline["total"] + timeline["undated"] == both["total"]


@pytest.mark.parametrize(
    "query", ["actor=IRN&actor=RUS", "since=2019-01-01&since=2019-02-01", "source=AVA&source=X"]
)
def test_other_repeated_filters_are_422_naming_the_parameter(
    client: TestClient, query: str
) -> None:
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 422
    name = query.split("=", 1)[0]
    assert response.json()["detail"][0]["loc"] == ["query", name]


def test_a_source_with_a_slash_is_reachable(client: TestClient) -> None:
    # Regression (#9): a document whose source contains '/' could not be reached.
    response = client.get("/api/documents/lookup", params={"source": "a/b", "id": "x/1"})
    assert response.status_code == 200
    assert (response.json()["source"], response.json()["id"]) == ("a/b", "x/1")
    listed = client.get("/api/documents").json()["items"]
    assert ("a/b", "x/1") in {(d["source"], d["id"]) for d in listed}
    no_source = client.get("/api/documents/lookup", params={"id": "nope"})
    assert no_source.status_code == 404
