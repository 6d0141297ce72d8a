"""Hostile and messy input at ingest (#9): invisible characters, script links, short English."""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from pathlib import Path

import pytest

from eventwire.ingest import read_documents
from eventwire.knowledge import Knowledge
from eventwire.models import Document
from eventwire.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = Settings(detect_language=False)


def read_one(path: Path, settings: Settings = SETTINGS) -> Document:
    items = list(read_documents(path, settings=settings))
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def test_jsonl_urls_other_than_http_are_dropped_with_a_warning_naming_the_record(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Regression (#9): "javascript:alert(3)" became the document view's link.
    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": "a", "text": "Iran met Russia.", "url": "javascript:alert(3)"},
        {"id": "b", "text": "Iran met Russia.", "url": " JavaScript:alert(1)"},
        {"id": "c", "text": "Iran met Russia.", "url": "data:text/html,<script>x</script>"},
        {"id": "d", "text": "Iran met Russia.", "url": "https://example.org/a?b=1"},
        {"id": "e", "text": "Iran met Russia.", "url": "HTTP://example.org/"},
        {"id": "f", "text": "Iran met Russia.", "url": "/relative/path"},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records))
    with caplog.at_level(logging.WARNING):
        documents = list(read_documents(feed, settings=SETTINGS))
    urls = {d.id: d.url for d in documents if isinstance(d, Document)}
    assert urls == {
        "a": None,
        "b": None,
        "c": None,
        "d": "https://example.org/a?b=1",
        "e": "HTTP://example.org/",
        "f": None,
    }
    warned = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert len(warned) == 4
    assert any(f"{feed}:1" in message for message in warned)


def test_invisible_characters_are_removed_from_every_reader(tmp_path: Path) -> None:
    dirty = "\ufeffTu\u200brkey att\u200dacked \u202eSyrian\u202c \x1b[1mKurdish\x1b[0m forces\x07."
    clean = "Turkey attacked Syrian Kurdish forces."
    text = tmp_path / "page.txt"
    text.write_text(dirty + "\n", encoding="utf-8")
    assert read_one(text).body == clean
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "x\u200b1", "title": dirty, "text": dirty}) + "\n")
    document = read_one(feed)
    assert (document.id, document.title, document.body) == ("x1", clean, clean)
    html = tmp_path / "page.html"
    html.write_text(f"<html><body><article><p>{dirty} {dirty}</p></article></body></html>")
    assert "\u200b" not in read_one(html).body and "\x1b" not in read_one(html).body


def test_nfc_and_emoji_between_sentences(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Caf\u0065\u0301 talks.😀Iran met Russia.\n", encoding="utf-8")
    assert read_one(path).body == "Café talks. Iran met Russia."


@pytest.mark.slow
def test_zero_width_characters_no_longer_hide_events(tmp_path: Path, knowledge: Knowledge) -> None:
    # Regression (#9): "Tu\u200brkey att\u200dacked ..." gave no event.
    from eventwire.pipeline import code_document

    path = tmp_path / "page.txt"
    path.write_text("Tu\u200brkey att\u200dacked Syrian Kurdish forces on Monday.\n")
    document = read_one(path, Settings(detect_language=False)).model_copy(
        update={"published": date(2019, 1, 1)}
    )
    coded = code_document(document, knowledge)
    assert [e.type.value for e in coded.events] == ["ASSAULT"]
    event = coded.events[0]
    assert document.body[event.evidence.start : event.evidence.end] == event.evidence.sentence
    assert event.actor[0].country == "TUR"


@pytest.mark.slow
def test_an_emoji_between_sentences_keeps_them_apart(tmp_path: Path, knowledge: Knowledge) -> None:
    # Regression (#9): an emoji between two sentences merged them into one.
    from eventwire.pipeline import code_document

    path = tmp_path / "page.txt"
    path.write_text("Iran met Russia in Moscow.😀Turkey attacked Syria on Monday.\n")
    document = read_one(path).model_copy(update={"published": date(2019, 1, 1)})
    sentences = {
        e.type.value: e.evidence.sentence for e in code_document(document, knowledge).events
    }
    assert sentences == {
        "CONSULT": "Iran met Russia in Moscow.",
        "ASSAULT": "Turkey attacked Syria on Monday.",
    }


@pytest.mark.slow
@pytest.mark.parametrize("headline", ["Russia condemned Israel.", "Putin met Erdogan in Sochi."])
def test_short_english_headlines_are_coded_not_skipped(
    tmp_path: Path, headline: str, knowledge: Knowledge
) -> None:
    # Regression (#9): these were stored as skipped (Italian, German), exit 0.
    from eventwire.pipeline import code_document

    path = tmp_path / "headline.txt"
    path.write_text(headline + "\n")
    document = read_one(path, Settings())
    assert document.language == "en"
    assert code_document(document, knowledge).status == "coded"


@pytest.mark.slow
def test_language_rule_accuracy_gate() -> None:
    """The benchmark's short texts: every English one kept, non-English ones still skipped.

    Floors pinned here (measured 100% and 99.0%, the one miss "Washington menace Téhéran."
    being one langdetect itself calls English).
    """
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from language import measure
    finally:
        sys.path.pop(0)
    from eventwire.ingest.language import detect_language

    english_ok, other_ok, missed_english, missed_other = measure(detect_language)
    assert english_ok >= 0.99, missed_english
    assert other_ok >= 0.98, missed_other


@pytest.mark.slow
def test_langdetect_alone_is_what_the_rule_corrects() -> None:
    from eventwire.ingest.language import _langdetect, guess_language

    assert _langdetect("Russia condemned Israel.") != "en"
    guess = guess_language("Russia condemned Israel.")
    assert guess.code == "en" and guess.note and "taken as 'en'" in guess.note
    assert guess_language("La Russie condamne Israël.").code not in ("en", None)
    assert guess_language("Россия осудила Израиль.").code == "ru"
