"""An article page fetched by ``watch`` -> ``Document``: main text by trafilatura (the same
extraction as saved HTML files), the address as id, the host as source."""

from __future__ import annotations

from urllib.parse import urlsplit

from eventwire.errors import InputError
from eventwire.ingest.html import extract_page
from eventwire.ingest.language import detect_language
from eventwire.ingest.published import parse_published
from eventwire.ingest.rawtext import normalise_text
from eventwire.models import Document


def source_of(url: str) -> str:
    """The source code of a fetched page: its host, without ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip('"').strip()
    return "utf-8"


def _decode(content: bytes, content_type: str, url: str) -> str:
    if b"\x00" in content:
        raise InputError(url, "binary content, not a page")
    try:
        return content.decode(_charset(content_type), errors="replace")
    except LookupError:  # an unknown charset name
        return content.decode("utf-8", errors="replace")


def page_document(
    content: bytes, url: str, *, content_type: str = "", detect: bool = True
) -> Document:
    """The article in an HTML page; ``InputError`` when there is no article text."""
    html = _decode(content, content_type, url)
    page = extract_page(html)
    title = normalise_text(page.title or "") or None
    body = normalise_text(page.text or "")
    first, _, rest = body.partition("\n")
    if title and first.strip() == title:
        body = rest.strip()
    if not body:
        raise InputError(url, "no article text found in the page")
    text = f"{title}\n{body}" if title else body
    return Document(
        id=url,
        source=source_of(url),
        published=parse_published(page.date) if page.date else None,
        title=title,
        body=body,
        url=url,
        language=detect_language(text) if detect else None,
        origin=url,
    )
