"""Reader for saved HTML pages: the article's main text, title, date and address.

Boilerplate removal is trafilatura's job (run offline on the file's content, never fetching
anything); it is imported on first use because importing it is slow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from eventwire.errors import InputError
from eventwire.ingest.layouts import IngestRules
from eventwire.ingest.published import parse_published
from eventwire.ingest.rawtext import normalise_text
from eventwire.models import Document

logger = logging.getLogger(__name__)


@dataclass
class ExtractedPage:
    """What an extractor found in a page, before it becomes a Document."""

    text: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None


def read_html(html: str, *, path: Path, rules: IngestRules | None = None) -> Document:
    """A Document from an HTML page's main text; the file's stem is its id."""
    page = extract_page(html)
    title = normalise_text(page.title or "") or None
    body = normalise_text(page.text or "")
    first, _, rest = body.partition("\n")
    if title and first.strip() == title:
        # Extractors often keep the <h1> headline as the first paragraph: it is the title.
        body = rest.strip()
    if not body:
        raise InputError(str(path), "no article text found in the HTML page")
    published: date | datetime | None = parse_published(page.date, rules) if page.date else None
    return Document(
        id=path.stem,
        published=published,
        title=title,
        body=body,
        url=page.url or None,
        origin=str(path),
    )


def extract_page(html: str) -> ExtractedPage:
    """Main text and metadata of a page, by trafilatura when available."""
    import trafilatura

    result = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if result is None:
        return ExtractedPage()
    return ExtractedPage(
        text=getattr(result, "text", None),
        title=getattr(result, "title", None),
        date=getattr(result, "date", None),
        url=getattr(result, "url", None),
    )
