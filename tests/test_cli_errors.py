"""Every command's error paths: one line on stderr naming the problem, a non-zero exit,
no traceback, and no database created by a read command (#9).

Each case is run through click's runner against real files: a stored database, a file
that is not a database, a missing path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.models import CodedDocument, Document
from eventwire.store import Store


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    good = tmp_path / "events.db"
    with Store.open(good) as store:
        store.save(CodedDocument(document=Document(id="d1", source="S", body="Text.")))
    junk = tmp_path / "junk.db"
    junk.write_text("this is not a database\n")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("{not json\n")
    text = tmp_path / "a.txt"
    text.write_text("Iran met Russia.\n")
    return {
        "db": str(good),
        "junk": str(junk),
        "missing": str(tmp_path / "typo.db"),
        "nodir": str(tmp_path / "no" / "such" / "out.jsonl"),
        "gold": str(gold),
        "txt": str(text),
        "nofile": str(tmp_path / "nothing.txt"),
    }


# (command line with {placeholders}, words the one-line message must contain, exit code)
CASES: list[tuple[str, str, int]] = [
    # read commands on a missing database: refuse, do not create it
    ("events --db {missing}", "no database at", 2),
    ("show d1 --db {missing}", "no database at", 2),
    ("export --db {missing} --format jsonl", "no database at", 2),
    ("serve --db {missing}", "no database at", 2),
    ("actors list --db {missing}", "no database at", 2),
    ("actors show Putin --db {missing}", "no database at", 2),
    ("actors learn --db {missing}", "no database at", 2),
    # a file that is not a database
    ("events --db {junk}", "not a usable eventwire database", 1),
    ("show d1 --db {junk}", "not a usable eventwire database", 1),
    ("export --db {junk} --format csv", "not a usable eventwire database", 1),
    ("actors list --db {junk}", "not a usable eventwire database", 1),
    ("actors edit Someone --country TUR --db {junk}", "not a usable eventwire database", 1),
    ("ingest {txt} --db {junk} --no-progress", "not a usable eventwire database", 1),
    # filters out of range or out of order
    ("events --db {db} --min-confidence 2", "--min-confidence", 2),
    ("events --db {db} --min-confidence nan", "min_confidence", 2),
    ("events --db {db} --limit -1", "--limit", 2),
    ("events --db {db} --since 2020-01-01 --until 2019-01-01", "is after until", 2),
    ("events --db {db} --since yesterday", "--since", 2),
    ("events --db {db} --until 2019-13-45", "--until", 2),
    ("events --db {db} --type BOMB", "--type", 2),
    ("export --db {db} --format csv --limit -5", "--limit", 2),
    ("export --db {db} --format csv --since 2021-01-01 --until 2020-01-01", "is after", 2),
    # outputs
    ("export --db {db} --format jsonl -o {nodir}", "does not exist", 2),
    ("export --db {db} --format parquet", "parquet needs an output file", 2),
    ("export --db {db} --format xml", "--format", 2),
    # documents
    ("show nope --db {db}", "no document 'nope'", 1),
    ("code {txt} --date 28/01/2019", "--date", 2),
    ("code {txt} --format pdf", "--format", 2),
    ("ingest {txt} --db {db} --date tomorrow", "--date", 2),
    ("ingest {txt} --db {db} --workers 0", "--workers", 2),
    ("evaluate {nofile}", "does not exist", 2),
    # serve
    ("serve --db {db} --host 0.0.0.0", "needs an explicit token", 2),
    ("serve --db {db} --token ''", "--token is empty", 2),
    ("serve --db {db} --port 70000", "--port", 2),
    # actor knowledge
    ("actors list --db {db} --limit -1", "--limit", 2),
    ("actors list --db {db} --source web", "--source", 2),
    ("actors show Putin --db {db} --date someday", "someday", 2),
    ("actors edit Someone --db {db}", "give at least a country", 2),
    ("actors edit Someone --country TUR --start 2020 --end 2019 --db {db}", "before it starts", 2),
    ("actors edit Someone --country TUR --start 20x0 --db {db}", "20x0", 2),
    ("actors import {nofile} --db {db}", "does not exist", 2),
    # settings
    ("code {txt} --knowledge-dir {nofile}", "--knowledge-dir", 2),
    ("events --db {db} --config {nofile}", "--config", 2),
    ("evaluate {gold}", "not a gold document", 1),
    ("ingest {txt} --db /proc/no/such.db --no-progress", "No such file or directory", 1),
    # the group itself
    ("no-such-command", "No such command", 2),
    ("events --db {db} --no-such-option", "No such option", 2),
]


@pytest.mark.parametrize(("line", "expected", "code"), CASES, ids=[c[0] for c in CASES])
def test_user_errors_are_one_line_and_non_zero(
    files: dict[str, str], line: str, expected: str, code: int
) -> None:
    import shlex

    args = shlex.split(line.format(**files))
    result = CliRunner().invoke(main, args)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), f"uncaught {result.exception!r}"
    assert result.exit_code == code, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.output
    assert not Path(files["missing"]).exists(), "a read command created a database"


def test_show_never_writes_control_sequences_to_the_terminal(tmp_path: Path) -> None:
    # Regression (#9): a title's escape sequences reached the terminal. An older database
    # may hold them, so the output is cleaned whatever the store holds.
    db = tmp_path / "events.db"
    title = "\x1b[31mRed\x1b[0m \x1b]0;pwned\x07title \u202eevil"
    with Store.open(db) as store:
        document = Document(id="d1", source="S", title=title, body="Body\x1b[2J text.")
        store.save(CodedDocument(document=document))
    result = CliRunner().invoke(main, ["show", "d1", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Red title evil" in result.stdout
    assert "Body text." in result.stdout
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in result.stdout)
    assert "\u202e" not in result.stdout and "\x9b" not in result.stdout


def test_imported_actor_names_carry_no_control_sequences(tmp_path: Path) -> None:
    # Dictionaries are input too: their names reach `actors list` on the terminal.
    dictionary = tmp_path / "hostile.actors.txt"
    dictionary.write_text("VESNA_\x1b[2JKOR\u200bDIC_ [HRVGOV >180601]\n", encoding="utf-8")
    db = str(tmp_path / "events.db")
    imported = CliRunner().invoke(main, ["actors", "import", str(dictionary), "--db", db])
    assert imported.exit_code == 0, imported.output
    listed = CliRunner().invoke(main, ["actors", "list", "--db", db])
    assert "VESNA KORDIC" in listed.stdout.upper()
    assert "\x1b" not in listed.stdout and "\u200b" not in listed.stdout
