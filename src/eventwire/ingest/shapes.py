"""Reading scraped pages of layouts nobody described, by the shape of their header lines.

Known sites are data (``layouts`` in ``page_layouts.yaml``). A page of another layout often
still starts with lines of a few recognisable shapes: an id line (``Story Code : 7412``), a
date line (``Publish date: ...``), a dateline (``Tehran, 8 Apr 2019 - 22:36``), print
furniture (``QR Code``, ``Print``) and a short title line. When at least one id, date or
dateline line is found among the first lines, they are read as a header: fields filled,
furniture dropped, and none of them is glued to the body. The shapes are data too
(``header_shapes``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from eventwire.errors import InputError
from eventwire.ingest.layouts import HeaderShapes, IngestRules
from eventwire.ingest.published import parse_published
from eventwire.ingest.rawtext import normalise_text
from eventwire.models import Document

logger = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"[.!?:;,]$")


@dataclass
class ShapedHeader:
    """What the header lines gave, and the index of the first body line."""

    body_line: int
    id: str | None = None
    published: date | datetime | None = None
    title: str | None = None
    kinds: list[str] = field(default_factory=list)


def match_shapes(lines: list[str], rules: IngestRules) -> ShapedHeader | None:
    """The header of a page of unknown layout, or None if its top has no id or date line."""
    shapes = rules.header_shapes
    header = ShapedHeader(body_line=0)
    seen = 0
    index = 0
    for index, raw in enumerate(lines):  # noqa: B007 - index is the body's first line
        line = raw.strip()
        if not line:
            continue
        if seen == shapes.max_lines:
            break
        kind = _classify(line, rules, header)
        if kind is None:
            break
        header.kinds.append(kind)
        seen += 1
    else:
        index = len(lines)
    if not {"id", "date", "dateline"} & set(header.kinds):
        return None
    if header.kinds and header.kinds[-1] == "title" and index >= len(lines):
        return None  # nothing after the header: not a page with a header
    header.body_line = index
    return header


def _classify(line: str, rules: IngestRules, header: ShapedHeader) -> str | None:
    """What kind of header line ``line`` is (filling ``header``), or None for body text."""
    shapes: HeaderShapes = rules.header_shapes
    for pattern in shapes.id:
        match = pattern.fullmatch(line)
        if match and header.id is None:
            header.id = match.group("id")
            return "id"
    for kind, patterns in (("date", shapes.date), ("dateline", shapes.dateline)):
        for pattern in patterns:
            match = pattern.fullmatch(line)
            if match and header.published is None:
                published = parse_published(match.group("published"), rules)
                if published is not None:
                    header.published = published
                    return kind
    if any(pattern.fullmatch(line) for pattern in shapes.furniture):
        return "furniture"
    words = line.split()
    short = len(words) <= shapes.title_max_words
    if header.title is None and short and not _SENTENCE_END.search(line):
        header.title = line
        return "title"
    return None


def read_shaped_page(
    text: str, header: ShapedHeader, *, path: Path, rules: IngestRules
) -> Document:
    """A Document from a page whose header ``match_shapes`` recognised."""
    lines = text.splitlines()[header.body_line :]
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped and any(p.fullmatch(stripped) for p in rules.furniture):
            lines = lines[:index]
            break
    body = normalise_text("\n".join(lines))
    source = None
    for pattern in rules.datelines:
        match = pattern.match(body)
        code = match.groupdict().get("source") if match else None
        if match and code and rules.source_name(code):
            # A known agency's dateline: the source, cut from the body. A city's stays.
            source, body = code.upper(), body[match.end() :].lstrip()
            break
    if not body:
        raise InputError(str(path), "no body text after the page header")
    logger.debug("%s: header read by shape: %s", path, ", ".join(header.kinds))
    return Document(
        id=header.id or path.stem,
        source=source,
        published=header.published,
        title=normalise_text(header.title) if header.title else None,
        body=body,
        origin=str(path),
    )
