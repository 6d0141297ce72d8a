"""The shells over related coverage (#10): ``eventwire stories``, ``events --unique
--min-sources``, exports carrying the counts, and the API (document view, /api/stories,
/api/events?unique=true)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from eventwire.api.app import create_app
from eventwire.cli import main
from eventwire.export import GDELT_COLUMNS
from eventwire.store import Store
from test_stories import corpus


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "stories.db"
    with Store.open(path) as store:
        for item in corpus():
            store.save(item)
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_stories_command_jsonl_and_table(db: Path) -> None:
    lines = run("stories", "--db", str(db), "--format", "jsonl").splitlines()
    assert len(lines) == 1
    story = json.loads(lines[0])
    assert set(story) >= {
        "story_id",
        "doc_ids",
        "title",
        "first_seen",
        "last_seen",
        "n_documents",
        "n_events",
    }
    assert sorted(story["doc_ids"]) == ["DAILY/b", "POST/c", "WIRE/a"]
    table = run("stories", "--db", str(db), "--format", "table")
    assert story["story_id"] in table and "WIRE/a" in table
    assert run("stories", "--db", str(db), "--format", "jsonl", "--until", "2024-03-01") == ""
    everything = run("stories", "--db", str(db), "--format", "jsonl", "--min-documents", "1")
    assert len(everything.splitlines()) == 3


def test_stories_without_a_database_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stories", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no database" in result.output


def test_events_unique_and_min_sources(db: Path) -> None:
    every = run("events", "--db", str(db), "--format", "jsonl").splitlines()
    unique = [
        json.loads(x)
        for x in run("events", "--db", str(db), "--format", "jsonl", "--unique").splitlines()
    ]
    assert (len(every), len(unique)) == (5, 3)
    wide = run("events", "--db", str(db), "--format", "jsonl", "--unique", "--min-sources", "3")
    rows = [json.loads(line) for line in wide.splitlines()]
    assert [(r["n_mentions"], r["n_documents"], r["n_sources"]) for r in rows] == [(3, 3, 3)]


def test_exports_carry_the_counts(db: Path) -> None:
    text = run("export", "--db", str(db), "--format", "csv", "--unique")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(int(r["n_sources"]) for r in rows) == [1, 1, 3]
    tsv = run("export", "--db", str(db), "--format", "tsv-gdelt", "--min-sources", "2")
    lines = [
        dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True)) for line in tsv.splitlines()[1:]
    ]
    assert lines and {(r["NumMentions"], r["NumSources"], r["NumArticles"]) for r in lines} == {
        ("3", "3", "3")
    }


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_api_document_lists_related_documents(client: TestClient) -> None:
    body = client.get("/api/documents/WIRE/a").json()
    related = {(r["source"], r["id"]): r for r in body["related"]}
    assert related[("DAILY", "b")]["relation"] == "duplicate"
    assert related[("DAILY", "b")]["similarity"] > 0.4
    assert ("POST", "c") in related and ("WIRE", "d") not in related
    assert all(e["n_mentions"] >= 1 for e in body["events"])
    assert client.get("/api/documents/WIRE/d").json()["related"] == []


def test_api_stories_and_unique_events(client: TestClient) -> None:
    stories = client.get("/api/stories").json()
    assert stories["total"] == 1 and stories["items"][0]["n_documents"] == 3
    assert client.get("/api/stories?since=2024-04-01").json()["total"] == 0
    unique = client.get("/api/events?unique=true").json()
    assert unique["total"] == 3 and len(unique["items"]) == 3
    wide = client.get("/api/events?min_sources=2").json()
    assert wide["total"] == 3 and {e["n_sources"] for e in wide["items"]} == {3}
    assert client.get("/api/events?min_sources=0").status_code == 422
