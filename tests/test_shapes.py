"""Scraped pages of layouts nobody described: header lines read by their shape (#9).

The pages in ``tests/data/ingest/shapes/`` are written by the team in the shapes the issue
describes; no article text is copied.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from eventwire.ingest import read_documents
from eventwire.models import Document
from eventwire.settings import Settings

SHAPES = Path(__file__).parent / "data" / "ingest" / "shapes"
SETTINGS = Settings(detect_language=False)


def read_one(path: Path) -> Document:
    items = list(read_documents(path, settings=SETTINGS))
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


@pytest.mark.parametrize(
    ("name", "doc_id", "published", "title", "first_words"),
    [
        (
            "publish-date-story-code.txt",
            "7412",
            datetime(2019, 4, 9, 10, 15),
            "Iran and Iraq agree on new rail link",
            "TEHRAN - Iranian and Iraqi ministers signed",
        ),
        (
            "print-view.txt",
            "7413",
            datetime(2019, 4, 8, 22, 36),
            "Iran condemns strike on Syrian airport",
            "Iran's foreign ministry condemned",
        ),
    ],
)
def test_unknown_layouts_keep_their_metadata_and_a_clean_body(
    name: str, doc_id: str, published: datetime, title: str, first_words: str
) -> None:
    # Regression (#9): such pages got no title, no date and the header glued to the body.
    document = read_one(SHAPES / name)
    assert (document.id, document.published, document.title) == (doc_id, published, title)
    assert document.body.startswith(first_words)
    for furniture in ("Story Code", "Publish date", "QR Code", "Print", "Related News", title):
        assert furniture not in document.body


def test_header_shapes_in_another_order_without_furniture(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Talks resume in Geneva\n"
        "News ID: 88-1\n"
        "Posted on 2 March 2020 09:05\n"
        "\n"
        "Diplomats from both sides met in Geneva on Monday. They agreed to meet again.\n"
    )
    document = read_one(page)
    assert (document.id, document.title) == ("88-1", "Talks resume in Geneva")
    assert document.published == datetime(2020, 3, 2, 9, 5)
    assert document.body == (
        "Diplomats from both sides met in Geneva on Monday. They agreed to meet again."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Iran and Russia signed a deal on Monday.\nThe talks went on.\n",
        "Short headline\n\nIran and Russia signed a deal on Monday.\n",
        "Story time\nIt was 2019 when the talks began.\n",
    ],
)
def test_plain_text_without_id_or_date_lines_stays_plain(tmp_path: Path, text: str) -> None:
    page = tmp_path / "plain.txt"
    page.write_text(text)
    document = read_one(page)
    assert document.id == "plain"
    assert document.title is None
    assert document.body == text.strip()


def test_the_known_layout_still_reads_the_seed_page() -> None:
    document = read_one(Path(__file__).parents[1] / "examples" / "ava-134776.txt")
    assert (document.id, document.source) == ("134776", "AVA")
    assert document.published == datetime(2019, 1, 28, 20, 43)
