"""The command line: a thin shell, tested through click's runner and, for kills, a real process."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ava-134776.txt"

SENTENCES = [
    "The Turkish foreign minister met his Greek counterpart in Athens on Tuesday.",
    "Police in Kenya arrested twelve opposition supporters in Nairobi on Friday.",
    "The European Union imposed new sanctions on Belarus on Monday.",
    "Rain is expected across the region later this week.",
]


def _run(args: list[str], **kwargs) -> object:
    runner = CliRunner()
    return runner.invoke(main, args, catch_exceptions=False, **kwargs)


def test_every_command_has_help_text() -> None:
    for name, command in main.commands.items():
        assert command.help, f"command {name} has no help text"
        result = _run([name, "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.output


def test_readme_documents_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"eventwire {name}" in readme, f"README does not show 'eventwire {name}'"


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": f"n{i}", "date": f"2021-03-0{i + 1}", "text": s, "source": "TEST"})
        for i, s in enumerate(SENTENCES)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_code_prints_jsonl_events_of_the_example() -> None:
    result = _run(["code", str(EXAMPLE), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(events) >= 8
    for event in events:
        assert event["doc_id"] == "134776"
        assert event["type"] in {"SUPPORT", "AGREE", "AID", "CONSULT", "COOPERATE", "MOBILIZE"}
        assert {"actor", "recipient", "evidence", "quad_class", "plover_score"} <= event.keys()


@pytest.mark.slow
def test_ingest_twice_leaves_the_same_rows(tmp_path: Path, feed: Path) -> None:
    db = tmp_path / "e.db"
    first = _run(["ingest", str(feed), "--db", str(db), "--no-progress"])
    assert first.exit_code == 0, first.output
    rows1 = _dump(db)
    second = _run(["ingest", str(feed), "--db", str(db), "--no-progress"])
    assert second.exit_code == 0
    assert _dump(db) == rows1
    assert rows1["documents"] == 4


@pytest.mark.slow
def test_events_filters_by_dyad_and_show_prints_evidence(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    assert _run(["ingest", str(EXAMPLE), "--db", str(db), "--no-progress"]).exit_code == 0
    both_ways = []
    for actor, recipient in (("IRN", "RUS"), ("RUS", "IRN")):
        result = _run(
            [
                "events",
                "--db",
                str(db),
                "--actor",
                actor,
                "--recipient",
                recipient,
                "--type",
                "CONSULT",
                "--format",
                "jsonl",
            ]
        )
        assert result.exit_code == 0
        both_ways.append([json.loads(x)["event_id"] for x in result.stdout.splitlines()])
    assert both_ways[0], "a meeting of IRN and RUS answers --actor IRN --recipient RUS"
    assert sorted(both_ways[0]) == sorted(both_ways[1])
    shown = _run(["show", "134776", "--db", str(db)])
    assert shown.exit_code == 0
    assert "Jaberi Ansari" in shown.stdout and "CONSULT" in shown.stdout


def test_bad_inputs_are_named_and_the_run_goes_on(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary\x00")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 au lait".encode("latin-1"))
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"id": "a", "text": "Rain fell."}\n{"id": oops\n', encoding="utf-8")
    result = _run(["code", str(empty), str(binary), str(latin), str(bad_json), "--format", "jsonl"])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr
    assert "blob.txt" in result.stderr
    assert "latin.txt" in result.stderr
    assert "bad.jsonl:2" in result.stderr


def _dump(db: Path) -> dict[str, object]:
    con = sqlite3.connect(db)
    try:
        docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        events = sorted(r[0] for r in con.execute("SELECT event_id FROM events"))
        entities = con.execute("SELECT count(*) FROM entities").fetchone()[0]
    finally:
        con.close()
    return {"documents": docs, "events": events, "entities": entities}


@pytest.mark.slow
def test_kill_nine_mid_ingest_then_rerun_stores_each_document_once(tmp_path: Path) -> None:
    feed = tmp_path / "many.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for i in range(200):
            text = SENTENCES[i % len(SENTENCES)] + f" Officials gave figure {i}."
            fh.write(json.dumps({"id": f"d{i:03d}", "date": "2021-05-04", "text": text}) + "\n")
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "eventwire", "ingest", str(feed), "--db", str(db), "--no-progress"]
    env = {**os.environ, "EVENTWIRE_BATCH_SIZE": "4"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                con = sqlite3.connect(db, timeout=0.1)
                stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                con.close()
            except sqlite3.Error:
                continue
            if stored >= 20:
                break
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < _dump(db)["documents"] < 200
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    after = _dump(db)
    assert after["documents"] == 200
    assert len(after["events"]) == len(set(after["events"]))
    clean = tmp_path / "clean.db"
    subprocess.run(
        [*cmd[:5], "--db", str(clean), "--no-progress"], env=env, check=True, timeout=300
    )
    assert _dump(clean) == after


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "expected_type"),
    [
        ("Iran signed an agreement with Russia.", "SUPPORT"),  # mutual act, a directed type
        ("Iran met with Russia.", "CONSULT"),  # between equals: one event, both in actor
    ],
)
def test_a_mutual_event_is_found_in_both_directions(
    tmp_path: Path, sentence: str, expected_type: str
) -> None:
    """Regression for #7: the signing was coded SUPPORT with actor [IRN, RUS] and no
    recipient, so neither dyad query found it and scoring called it a miss. The trigger
    rules alone (--event-model off): this tests how mutual acts are stored and queried."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "s1", "date": "2021-03-01", "text": sentence}) + "\n")
    db = tmp_path / "e.db"
    args = ["ingest", str(feed), "--db", str(db), "--no-progress", "--event-model", "off"]
    assert _run(args).exit_code == 0
    for actor, recipient in (("IRN", "RUS"), ("RUS", "IRN")):
        result = _run(
            [
                "events",
                "--db",
                str(db),
                "--actor",
                actor,
                "--recipient",
                recipient,
                "--format",
                "jsonl",
            ]
        )
        assert result.exit_code == 0, result.output
        found = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        assert [e["type"] for e in found] == [expected_type], (actor, recipient, found)
    # and not for a pair that is not in the sentence
    other = _run(["events", "--db", str(db), "--actor", "IRN", "--recipient", "CHN"])
    assert "SUPPORT" not in other.stdout and "CONSULT" not in other.stdout


@pytest.mark.slow
def test_event_policy_option_replaces_a_threshold_for_the_run(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Turkey lashed out at Germany over the arrest of a journalist.\n")
    base = ["code", str(story), "--format", "jsonl", "--date", "2019-01-28"]
    shipped = _run(base)
    assert shipped.exit_code == 0 and shipped.output.strip()  # the model adds an event
    strict = _run([*base, "--event-policy", "add=1.01"])
    assert strict.exit_code == 0 and strict.output.strip() == ""


@pytest.mark.parametrize(
    ("value", "message"),
    [("add", "is not NAME=VALUE"), ("add=high", "neither a number nor true/false"),
     ("addd=0.8", "unknown field 'addd'")],
)  # fmt: skip
def test_a_bad_event_policy_option_is_refused_with_the_reason(
    tmp_path: Path, value: str, message: str
) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Turkey lashed out at Germany.\n")
    result = CliRunner().invoke(main, ["code", str(story), "--event-policy", value])
    assert result.exit_code != 0
    assert message in result.output
