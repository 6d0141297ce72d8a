"""The ingest stage: every reader, every kind of bad input, streaming, language detection."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from eventwire.ingest import read_documents
from eventwire.ingest.language import detect_language
from eventwire.ingest.published import parse_published
from eventwire.models import Document, ReadFailure
from eventwire.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ava-134776.txt"
DATA = Path(__file__).resolve().parent / "data" / "ingest"

ENGLISH = (
    "The foreign ministers of both countries met in the capital on Tuesday and agreed to "
    "reopen their embassies, ending a diplomatic dispute that had lasted for two years."
)
GERMAN = (
    "Die Außenminister beider Länder trafen sich am Dienstag in der Hauptstadt und "
    "vereinbarten, ihre Botschaften wieder zu öffnen, nachdem der Streit zwei Jahre gedauert hatte."
)


@pytest.fixture
def settings() -> Settings:
    return Settings(detect_language=False)


def read_all(path: Path, settings: Settings, **kwargs: object) -> list[Document | ReadFailure]:
    return list(read_documents(path, settings=settings, **kwargs))  # type: ignore[arg-type]


def only_document(items: list[Document | ReadFailure]) -> Document:
    assert len(items) == 1, items
    assert isinstance(items[0], Document), items[0]
    return items[0]


def only_failure(items: list[Document | ReadFailure]) -> ReadFailure:
    assert len(items) == 1, items
    assert isinstance(items[0], ReadFailure), items[0]
    return items[0]


# --- scraped pages ----------------------------------------------------------------------


def test_seed_example_is_read_with_every_field() -> None:
    doc = only_document(read_all(EXAMPLE, Settings(detect_language=True)))
    assert doc.id == "134776"
    assert doc.source == "AVA"
    assert doc.source_name == "Afghan Voice Agency"
    assert doc.published == datetime(2019, 1, 28, 20, 43)
    assert doc.language == "en"
    assert doc.title == "Spokesman: Iran to Continue Cooperation with Russia on Syria"
    assert doc.body.startswith('"We (Iran and Russia) are two important partners')
    assert doc.body.endswith("exchange of delegations between Tehran and Moscow.")
    for furniture in ("Code 134776", "PublishDate", "AVA-", "Your comment", "Related posts",
                      "Latest news"):  # fmt: skip
        assert furniture not in doc.body
    assert doc.body.count("\n") >= 10, "paragraphs stay on their own lines"
    assert doc.origin == str(EXAMPLE)
    assert doc.key == ("AVA", "134776")


def test_scraped_page_without_extension_and_with_other_furniture(
    tmp_path: Path, settings: Settings
) -> None:
    page = tmp_path / "page"
    page.write_text(
        "\n".join(
            [
                "Code 42",
                "",
                "PublishDate: Friday, March 5, 202109:05",
                "Headline of the day",
                "AVA – “Protesters gathered outside parliament,” the agency said.",
                "Police closed the square.",
                "Related news",
                "Another story that is not part of this article",
            ]
        ),
        encoding="utf-8",
    )
    doc = only_document(read_all(page, settings))
    assert doc.id == "42"
    assert doc.published == datetime(2021, 3, 5, 9, 5)
    assert doc.title == "Headline of the day"
    assert doc.source == "AVA"
    assert doc.body == "“Protesters gathered outside parliament,” the agency said.\n" + (
        "Police closed the square."
    )


def test_hyphenated_word_at_body_start_is_not_a_dateline(
    tmp_path: Path, settings: Settings
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Code 7\nPublishDate: Monday, January 28, 2019\n\nTitle\n\nUS-backed forces advanced.\n",
        encoding="utf-8",
    )
    doc = only_document(read_all(page, settings))
    assert doc.source is None
    assert doc.body == "US-backed forces advanced."
    assert doc.published == date(2019, 1, 28)


def test_a_users_layout_file_adds_a_site_without_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    user = tmp_path / "knowledge"
    user.mkdir()
    (user / "page_layouts.yaml").write_text(
        """
sources: {XNA: Example News Agency}
published: {formats: ['%d.%m.%Y %H:%M']}
datelines: ['(?P<source>[A-Z]{2,6})\\s*[-–]\\s+']
furniture: ['comments']
layouts:
  - name: example-site
    header: ['Article-No\\.\\s*(?P<id>\\w+)', 'Posted\\s+(?P<published>.+)']
""",
        encoding="utf-8",
    )
    settings = settings.model_copy(update={"knowledge_dir": user})
    page = tmp_path / "dump.txt"
    page.write_text(
        "Article-No. a17\nPosted 02.04.2020 14:30\nTalks resume\nXNA - Talks resumed.\nComments\n",
        encoding="utf-8",
    )
    doc = only_document(read_all(page, settings))
    assert (doc.id, doc.source, doc.source_name) == ("a17", "XNA", "Example News Agency")
    assert doc.published == datetime(2020, 4, 2, 14, 30)
    assert (doc.title, doc.body) == ("Talks resume", "Talks resumed.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday, January 28, 201920:43", datetime(2019, 1, 28, 20, 43)),
        ("Monday, January 28, 2019 20:43", datetime(2019, 1, 28, 20, 43)),
        ("28 January 2019", date(2019, 1, 28)),
        ("2019-01-28", date(2019, 1, 28)),
        ("2019-01-28T20:43:00Z", datetime(2019, 1, 28, 20, 43, tzinfo=UTC)),
        ("not a date", None),
    ],
)
def test_parse_published(text: str, expected: date | datetime | None) -> None:
    assert parse_published(text) == expected


# --- plain text, HTML -------------------------------------------------------------------


def test_plain_text_takes_id_from_name_and_date_from_caller(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "story-17.txt"
    path.write_text(f"{ENGLISH}\r\n\r\n\r\n\r\nSecond paragraph.  \n", encoding="utf-8")
    doc = only_document(read_all(path, settings, published=date(2020, 5, 1), source="WIRE"))
    assert doc.id == "story-17"
    assert doc.published == date(2020, 5, 1)
    assert doc.source == "WIRE"
    assert doc.title is None
    assert doc.body == f"{ENGLISH}\n\nSecond paragraph."


def test_plain_text_without_date_is_not_a_failure(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "undated.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    assert only_document(read_all(path, settings)).published is None


def test_source_override_names_the_source(settings: Settings) -> None:
    doc = only_document(read_all(EXAMPLE, settings, source="OTHER"))
    assert doc.source == "OTHER"
    assert doc.source_name is None


def test_html_page_gives_main_text_title_date_and_url(settings: Settings) -> None:
    doc = only_document(read_all(DATA / "article.html", settings))
    assert doc.id == "article"
    assert doc.title == "Ministers agree on river water sharing"
    assert doc.published is not None
    assert doc.published_date == date(2021, 3, 15)
    assert doc.url == "https://news.example.org/2021/03/15/river-water-sharing"
    assert doc.body.startswith("The water ministers of two neighbouring countries")
    assert "twice brought farmers onto the streets." in doc.body
    for boilerplate in ("tracking", "font-family", "Sport", "Weather warning", "Copyright"):
        assert boilerplate not in doc.body


def test_html_page_without_text_is_a_failure(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>x</title></head><body></body></html>", encoding="utf-8")
    assert "no article text" in only_failure(read_all(path, settings)).problem


# --- JSON Lines -------------------------------------------------------------------------


def test_jsonl_bad_line_in_the_middle_does_not_stop_the_others(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {
                "id": "a",
                "date": "2020-01-02",
                "title": "A",
                "text": ENGLISH,
                "source": "AVA",
                "url": "https://example.org/a",
            }
        ),
        '{"id": "b", "text": "unterminated',
        "",
        json.dumps({"published": "2020-01-03T10:00:00", "body": "Second document."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_all(path, settings)
    assert [type(i).__name__ for i in items] == ["Document", "ReadFailure", "Document"]
    first, failure, last = items
    assert isinstance(first, Document) and isinstance(last, Document)
    assert isinstance(failure, ReadFailure)
    assert (first.id, first.published, first.title) == ("a", date(2020, 1, 2), "A")
    assert (first.source_name, first.url) == ("Afghan Voice Agency", "https://example.org/a")
    assert first.origin == f"{path}:1"
    assert failure.origin == f"{path}:2"
    assert failure.problem.startswith("invalid JSON:")
    assert last.id == "feed-4"
    assert last.published == datetime(2020, 1, 3, 10, 0)
    assert last.body == "Second document."


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("[1, 2]", "invalid JSON: expected an object, got an array"),
        ('{"id": "x"}', "no text"),
        ('{"text": 5}', "field 'text' should be a string, got a number"),
        ('{"text": "t", "date": "yesterday"}', "unrecognised date 'yesterday'"),
        ('{"text": "t", "id": [1]}', "field 'id' should be a string or a number"),
    ],
)
def test_jsonl_bad_records_are_named(
    tmp_path: Path, settings: Settings, line: str, problem: str
) -> None:
    path = tmp_path / "feed.ndjson"
    path.write_text(line + "\n", encoding="utf-8")
    failure = only_failure(read_all(path, settings))
    assert failure.origin == f"{path}:1"
    assert problem in failure.problem


def test_jsonl_keeps_a_given_language(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": ENGLISH, "lang": "FR"}) + "\n", encoding="utf-8")
    assert only_document(read_all(path, Settings(detect_language=True))).language == "fr"


def test_jsonl_line_over_the_limit_is_refused_and_the_next_is_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    big = json.dumps({"text": "x" * 5000})
    path.write_text(
        "\n".join([json.dumps({"text": "small"}), big, json.dumps({"text": "after"})]),
        encoding="utf-8",
    )
    items = read_all(path, Settings(max_file_bytes=1000, detect_language=False))
    assert [type(i).__name__ for i in items] == ["Document", "ReadFailure", "Document"]
    assert items[1] == ReadFailure(
        origin=f"{path}:2",
        problem=f"{len(big)} bytes is larger than the limit of 1000 bytes "
        "(setting max_file_bytes / EVENTWIRE_MAX_FILE_BYTES)",
    )
    assert isinstance(items[2], Document) and items[2].body == "after"


def test_big_jsonl_file_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    paragraph = ENGLISH + " "
    text = paragraph * (50_000 // len(paragraph))
    count = 1000
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            fh.write(json.dumps({"id": str(n), "text": text}) + "\n")
    size = path.stat().st_size
    assert size > 45 * 1024 * 1024
    tracemalloc.start()
    try:
        seen = 0
        for item in read_documents(path, settings=Settings(detect_language=False)):
            assert isinstance(item, Document)
            seen += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < size / 20, f"peak {peak} bytes for a {size}-byte file: not streamed"


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file (only whitespace)"),
        ("empty.jsonl", b"", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        ("latin1.txt", "Caf\u00e9 au lait".encode("latin-1"), "not valid UTF-8 at byte 3"),
        ("page.html", b"<p>\xff</p>", "not valid UTF-8 at byte 3"),
    ],
)
def test_bad_files_become_failures_naming_the_file(
    tmp_path: Path, settings: Settings, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    failure = only_failure(read_all(path, settings))
    assert failure.origin == str(path)
    assert failure.problem == problem
    assert str(failure) == f"{path}: {problem}"


def test_missing_file(tmp_path: Path, settings: Settings) -> None:
    for name in ("gone.txt", "gone.jsonl"):
        failure = only_failure(read_all(tmp_path / name, settings))
        assert (failure.origin, failure.problem) == (str(tmp_path / name), "no such file")


def test_jsonl_binary_and_bad_utf8_lines_name_the_line(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "\x00"}\n{"text": "caf\xe9"}\n')
    items = read_all(path, settings)
    assert isinstance(items[0], Document)
    assert items[1] == ReadFailure(origin=f"{path}:2", problem="binary file, not text")
    assert items[2] == ReadFailure(origin=f"{path}:3", problem="not valid UTF-8 at byte 13")


def test_oversized_text_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(60 * 1024 * 1024)  # sparse: costs no disk, but 60 MB as far as stat goes
    tracemalloc.start()
    try:
        failure = only_failure(read_all(path, Settings(detect_language=False)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert failure.problem == (
        f"{60 * 1024 * 1024} bytes is larger than the limit of {50 * 1024 * 1024} bytes "
        "(setting max_file_bytes / EVENTWIRE_MAX_FILE_BYTES)"
    )
    assert peak < 1024 * 1024


def test_folder_is_read_file_by_file_in_name_order(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "b.txt").write_text("Second.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"")
    items = read_all(tmp_path, settings)
    assert [getattr(i, "id", None) for i in items] == ["a", "b", None]
    assert isinstance(items[2], ReadFailure) and items[2].problem == "empty file"


# --- language ---------------------------------------------------------------------------


def test_language_detection_sets_iso_codes(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        "\n".join(json.dumps({"id": i, "text": t}) for i, t in [("de", GERMAN), ("en", ENGLISH)]),
        encoding="utf-8",
    )
    docs = read_all(path, Settings(detect_language=True))
    assert [(d.id, d.language) for d in docs if isinstance(d, Document)] == [
        ("de", "de"),
        ("en", "en"),
    ]


def test_language_is_left_unknown_without_letters_and_when_switched_off(
    tmp_path: Path,
) -> None:
    assert detect_language("Ok.") is None
    assert detect_language("12345 67890 !!! ???") is None
    path = tmp_path / "german.txt"
    path.write_text(GERMAN, encoding="utf-8")
    assert only_document(read_all(path, Settings(detect_language=False))).language is None
    assert only_document(read_all(path, Settings(detect_language=True))).language == "de"
