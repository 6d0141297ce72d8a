"""The ingest stage: files in, Documents out.

``read_documents`` picks a reader by the file's kind (JSON Lines, HTML, a scraped page whose
header a known layout recognises, or plain text), then applies what the caller knows
(``--source``, ``--date``) and detects the language. Bad input never raises: each document
that cannot be read becomes a ReadFailure naming the file (and line), and the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from eventwire.errors import InputError
from eventwire.ingest.html import read_html
from eventwire.ingest.jsonl import read_jsonl
from eventwire.ingest.language import guess_language
from eventwire.ingest.layouts import IngestRules, load_rules
from eventwire.ingest.links import safe_url
from eventwire.ingest.plaintext import read_plain_text
from eventwire.ingest.rawtext import read_text_file
from eventwire.ingest.scraped import match_layout, read_scraped_page
from eventwire.ingest.shapes import match_shapes, read_shaped_page
from eventwire.models import Document, ReadFailure
from eventwire.settings import Settings

__all__ = ["read_documents"]

logger = logging.getLogger(__name__)

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm"})


def read_documents(
    path: Path,
    *,
    settings: Settings,
    published: date | datetime | None = None,
    source: str | None = None,
    rules: IngestRules | None = None,
) -> Iterator[Document | ReadFailure]:
    """Yield each document in ``path`` (a file, or a folder read recursively in name order).

    ``published`` stands in for documents that carry no date of their own; ``source``
    replaces whatever source code the documents give. ``rules`` (page layouts, date
    formats) are read from the settings' knowledge folder when not given.
    """
    path = Path(path)
    rules = rules or load_rules(settings.knowledge_dir)
    if path.is_dir():
        for child in _files_in(path):
            yield from read_documents(
                child, settings=settings, published=published, source=source, rules=rules
            )
        return
    for item in _read_file(path, settings, rules):
        if isinstance(item, ReadFailure):
            logger.info("cannot read %s", item)
            yield item
        else:
            yield _complete(item, rules, settings=settings, published=published, source=source)


def _files_in(folder: Path) -> list[Path]:
    """Files under a folder in a stable order, leaving out hidden files and folders."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _read_file(
    path: Path, settings: Settings, rules: IngestRules
) -> Iterator[Document | ReadFailure]:
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl(path, limit=settings.max_file_bytes, rules=rules)
            return
        text = read_text_file(path, limit=settings.max_file_bytes)
        if suffix in HTML_SUFFIXES:
            yield read_html(text, path=path, rules=rules)
            return
        header = match_layout(text.splitlines(), rules)
        if header is not None:
            logger.debug("%s: scraped page, layout %r", path, header.layout.name)
            yield read_scraped_page(text, header, path=path, rules=rules)
            return
        shaped = match_shapes(text.splitlines(), rules)
        if shaped is not None:
            yield read_shaped_page(text, shaped, path=path, rules=rules)
        else:
            yield read_plain_text(text, path=path)
    except InputError as exc:
        yield ReadFailure(origin=exc.origin, problem=exc.problem)
    except OSError as exc:
        yield ReadFailure(origin=str(path), problem=f"cannot read: {exc.strerror or exc}")


def _complete(
    doc: Document,
    rules: IngestRules,
    *,
    settings: Settings,
    published: date | datetime | None,
    source: str | None,
) -> Document:
    """Apply the caller's source and fallback date, name the source, detect the language."""
    updates: dict[str, object] = {}
    if source and source != doc.source:
        updates["source"] = source
        updates["source_name"] = rules.source_name(source)
    elif doc.source_name is None and rules.source_name(doc.source):
        updates["source_name"] = rules.source_name(doc.source)
    if doc.url is not None:
        url = safe_url(doc.url, origin=doc.origin or doc.id)
        if url != doc.url:
            updates["url"] = url
    if doc.published is None and published is not None:
        updates["published"] = published
    if settings.detect_language and doc.language is None:
        text = f"{doc.title}\n{doc.body}" if doc.title else doc.body
        guess = guess_language(text, model=settings.model)
        if guess.note:
            logger.info("%s: %s", doc.origin or doc.id, guess.note)
        updates["language"] = guess.code
    return doc.model_copy(update=updates) if updates else doc
