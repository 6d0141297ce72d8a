"""`eventwire actors ...` and `ingest --learn-actors` (issue #4), through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.cli.actors import actors_group
from eventwire.store import Store

DICTIONARY = """\
# invented actors, written for this test
HALVARD_PRESTMOEN_
+PRESIDENT_PRESTMOEN
\t[NORGOV 150101-191231]
VESNA_KORDIC_ [HRVGOV >180601]
BROKEN_LINE_ [HRVGOV 18x601-190101]
"""


def _run(args: list[str]) -> object:
    return CliRunner().invoke(main, args, catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "kb.db"


@pytest.fixture
def dictionary(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.actors.txt"
    path.write_text(DICTIONARY, encoding="utf-8")
    return path


def test_every_actors_subcommand_has_help() -> None:
    assert set(actors_group.commands) == {"learn", "list", "show", "edit", "forget", "import"}
    for name, command in actors_group.commands.items():
        assert command.help, name
        result = _run(["actors", name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_import_reports_bad_lines_on_stderr(db: Path, dictionary: Path) -> None:
    result = _run(["actors", "import", str(dictionary), "--db", str(db)])
    assert result.exit_code == 0
    assert "2 rows stored" in result.stdout
    assert f"{dictionary}:6: " in result.stderr
    with Store.open(db) as store:
        assert {r.name for r in store.actor_roles(source="import")} == {
            "Halvard Prestmoen",
            "Vesna Kordic",
        }


def test_show_explains_the_deciding_source(db: Path, dictionary: Path) -> None:
    _run(["actors", "import", str(dictionary), "--db", str(db)])
    result = _run(["actors", "show", "Prestmoen", "--date", "2017-05-01", "--db", str(db)])
    assert result.exit_code == 0
    assert "decided by: import" in result.stdout
    assert "NOR/GOV" in result.stdout and "tiny.actors.txt:2" in result.stdout
    late = _run(["actors", "show", "Prestmoen", "--date", "2021-01-01", "--db", str(db), "--json"])
    payload = json.loads(late.stdout)
    assert payload["role"] is None and payload["source"] == "none"
    assert payload["roles"]["import"][0]["country"] == "NOR"


def test_edit_wins_and_forget_silences(db: Path, dictionary: Path) -> None:
    _run(["actors", "import", str(dictionary), "--db", str(db)])
    edit = _run(
        [
            *("actors", "edit", "Halvard Prestmoen", "--country", "nor", "--sector", "MIL"),
            *("--title", "Chief of Defence", "--start", "2016", "--db", str(db)),
        ]
    )
    assert edit.exit_code == 0 and "NOR/MIL" in edit.stdout
    shown = _run(["actors", "show", "Prestmoen", "--date", "2017-05-01", "--db", str(db)])
    assert "decided by: user" in shown.stdout and "(shadowed)" in shown.stdout
    forget = _run(["actors", "forget", "Vesna Kordic", "--db", str(db), "--note", "wrong"])
    assert "1 stored role(s) deleted" in forget.stdout
    listed = _run(["actors", "list", "--db", str(db)])
    assert "forgotten Vesna Kordic  wrong" in listed.stdout
    assert "Vesna" not in listed.stdout.replace("forgotten Vesna Kordic", "")
    only_user = _run(["actors", "list", "--source", "user", "--json", "--db", str(db)])
    rows = [json.loads(line) for line in only_user.stdout.splitlines()]
    assert [(r["name"], r["source"], r["start"]) for r in rows] == [
        ("Halvard Prestmoen", "user", "2016-01-01")
    ]
    undo = _run(["actors", "forget", "Vesna Kordic", "--undo", "--db", str(db)])
    assert "remembered again" in undo.stdout


def test_edit_refuses_a_role_without_codes(db: Path) -> None:
    result = CliRunner().invoke(main, ["actors", "edit", "Nobody", "--db", str(db)])
    assert result.exit_code != 0 and "country" in result.output


@pytest.mark.slow
def test_ingest_learn_actors_codes_a_bare_mention(tmp_path: Path, db: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        {
            "id": "n1",
            "date": "2018-03-01",
            "source": "T",
            "text": "Norwegian Foreign Minister Halvard Prestmoen said on Monday that Oslo "
            "would send aid to Yemen.",
        },
        {
            "id": "n2",
            "date": "2018-04-02",
            "source": "T",
            "text": "Halvard Prestmoen met Iraqi officials in Baghdad on Tuesday.",
        },
    ]
    feed.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = _run(["ingest", str(feed), "--db", str(db), "--no-progress", "--learn-actors"])
    assert result.exit_code == 0
    with Store.open(db) as store:
        (learned,) = store.actor_roles(source="learned")
        events = store.events()
    assert (learned.name, learned.country, learned.n_documents) == ("Halvard Prestmoen", "NOR", 1)
    meeting = [e for e in events if e.doc_id == "n2"]
    assert meeting, "the meeting in n2 is coded"
    people = [a for e in meeting for a in e.actor if a.name == "Halvard Prestmoen"]
    assert people and all(p.country == "NOR" for p in people)
