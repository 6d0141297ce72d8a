"""Property-based tests of every reader and of text normalisation (#9).

Whatever bytes a file holds, reading it yields Documents or ReadFailures, never an
exception, and every Document's text is clean: NFC, no control, zero-width or bidi
characters, no terminal escapes. Examples are bounded (see ``conftest.py``).
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from eventwire.ingest import read_documents
from eventwire.models import Document, ReadFailure
from eventwire.normalize import BIDI_CONTROLS, ZERO_WIDTH, clean_text, printable
from eventwire.settings import Settings

SETTINGS = Settings(detect_language=False, max_file_bytes=20_000)

# Text with a good share of the characters that cause trouble.
NASTY = st.sampled_from(
    [
        *ZERO_WIDTH,
        *BIDI_CONTROLS,
        *["\x1b[31m", "\x1b]0;t\x07", "\x00", "\x07", "\x85", "\x9b", "\r", "\r\n", "\u2028"],
        *["e\u0301", "\ufe0f", "😀", "👍🏽", "\t", "\n\n\n", " ", "\xa0", "."],
    ]
)
TEXTS = st.lists(st.one_of(st.text(max_size=12), NASTY), max_size=30).map("".join)
WORDS = st.text(alphabet="abcdefghij ", min_size=1, max_size=30)


def assert_clean(text: str) -> None:
    assert unicodedata.is_normalized("NFC", text)
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)
    assert not any(0x7F <= ord(ch) <= 0x9F for ch in text)
    assert not any(ch in ZERO_WIDTH + BIDI_CONTROLS for ch in text)
    assert "\x1b" not in text and "\r" not in text


@given(TEXTS)
@example("Tu\u200brkey att\u200dacked")
@example("\x1b[31mRED\x1b[0m")
@example("e\u0301\u200b\u0301")
def test_clean_text_is_clean_and_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    assert_clean(cleaned)
    assert clean_text(cleaned) == cleaned


@given(TEXTS)
def test_printable_leaves_no_control_sequence(text: str) -> None:
    shown = printable(text)
    assert "\x1b" not in shown and "\x9b" not in shown
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in shown)
    assert not any(ch in BIDI_CONTROLS for ch in shown)


def read_bytes(data: bytes, suffix: str) -> list[Document | ReadFailure]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        return list(read_documents(path, settings=SETTINGS))


def check_items(items: list[Document | ReadFailure]) -> None:
    for item in items:
        assert isinstance(item, Document | ReadFailure)
        if isinstance(item, Document):
            assert item.body.strip()
            assert_clean(item.body)
            if item.title is not None:
                assert_clean(item.title)
            assert item.url is None or item.url.startswith(("http://", "https://"))


@given(st.binary(max_size=300), st.sampled_from([".txt", ".jsonl", ".html", ""]))
def test_any_bytes_are_read_or_refused_never_raised(data: bytes, suffix: str) -> None:
    check_items(read_bytes(data, suffix))


@given(TEXTS, st.sampled_from([".txt", ""]))
def test_any_text_file_gives_clean_documents(text: str, suffix: str) -> None:
    check_items(read_bytes(text.encode("utf-8", "surrogatepass"), suffix))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXTS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
FIELDS = ["id", "date", "published", "title", "text", "body", "source", "url", "language"]


@given(
    st.lists(
        st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES | TEXTS, max_size=6),
        min_size=1,
        max_size=4,
    )
)
@example([{"text": "Iran met Russia.", "url": "javascript:alert(3)"}])
@example([{"text": "x", "id": "\u200b"}])
def test_any_json_lines_are_read_or_refused_never_raised(records: list[dict]) -> None:
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8", "replace")
    items = read_bytes(data, ".jsonl")
    check_items(items)
    assert len(items) <= len(records)


HEADER_LINES = st.sampled_from(
    [
        "Code 1234",
        "Story Code : 7412",
        "News ID: 55",
        "PublishDate: Monday, January 28, 201920:43",
        "Publish date: Tuesday, 9 April 2019 10:15",
        "Tehran, 8 Apr 2019 - 22:36",
        "Posted 31 February 2019",
        "QR Code",
        "Print",
        "Related News",
        "AVA- ",
        "",
    ]
)


@given(st.lists(st.one_of(HEADER_LINES, WORDS, TEXTS), max_size=12))
@example(["Story Code : 7412", "Print"])
@example(["Code 1", "PublishDate: nonsense 2019"])
@example(["Tehran, 8 Apr 2019 - 22:36", "Title", ""])
def test_scraped_pages_of_any_shape_are_read_or_refused(lines: list[str]) -> None:
    items = read_bytes("\n".join(lines).encode("utf-8", "surrogatepass"), ".txt")
    check_items(items)
    for item in items:
        if isinstance(item, Document) and item.title:
            assert not item.body.startswith(item.title + " ")


@settings(max_examples=30)
@given(st.lists(st.one_of(WORDS, TEXTS), max_size=6))
def test_html_pages_are_read_or_refused(paragraphs: list[str]) -> None:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"<html><head><title>T</title></head><body><article>{body}</article></body></html>"
    check_items(read_bytes(page.encode("utf-8", "surrogatepass"), ".html"))
