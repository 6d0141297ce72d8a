"""Reader for news pages saved as plain text by site scrapers.

Such dumps carry a small header (article code, publication date), the headline, the body
with the agency's dateline glued to its start, and the page's furniture (comment box,
lists of other articles) at the end. Which lines are which is described per site in
``page_layouts.yaml``; this module only applies those descriptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from eventwire.errors import InputError
from eventwire.ingest.layouts import IngestRules, PageLayout
from eventwire.ingest.published import parse_published
from eventwire.ingest.rawtext import normalise_text
from eventwire.models import Document


@dataclass(frozen=True)
class HeaderMatch:
    """A layout recognised at the top of a page: its fields and where the header ends."""

    layout: PageLayout
    fields: dict[str, str]
    next_line: int


def match_layout(lines: list[str], rules: IngestRules) -> HeaderMatch | None:
    """The first layout whose header patterns all match the page's leading lines."""
    for layout in rules.layouts:
        found = _match_header(layout, lines)
        if found is not None:
            return found
    return None


def _match_header(layout: PageLayout, lines: list[str]) -> HeaderMatch | None:
    remaining = list(layout.header)
    fields: dict[str, str] = {}
    index = 0
    while remaining and index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        hit = next(((p, m) for p in remaining if (m := p.fullmatch(line))), None)
        if hit is None:
            return None
        pattern, match = hit
        remaining.remove(pattern)
        fields.update({k: v.strip() for k, v in match.groupdict().items() if v})
        index += 1
    if remaining:
        return None
    return HeaderMatch(layout=layout, fields=fields, next_line=index)


def read_scraped_page(
    text: str, header: HeaderMatch, *, path: Path, rules: IngestRules
) -> Document:
    """Build a Document from a page whose header ``header`` recognised."""
    origin = str(path)
    layout = header.layout
    lines = text.splitlines()[header.next_line :]
    title = header.fields.get("title")
    if layout.title_line:
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines:
            title = lines.pop(0).strip() or title
    lines = _cut_furniture(lines, layout.furniture)
    body = normalise_text("\n".join(lines))
    source = header.fields.get("source") or layout.source
    body, dateline_source = strip_dateline(body, layout.datelines)
    source = dateline_source or source
    published = None
    if "published" in header.fields:
        published = parse_published(header.fields["published"], rules)
        if published is None:
            raise InputError(
                origin, f"unrecognised date {header.fields['published']!r} in the page header"
            )
    if not body:
        raise InputError(origin, f"no body text after the {layout.name!r} page header")
    return Document(
        id=header.fields.get("id") or path.stem,
        source=source,
        published=published,
        title=normalise_text(title) if title else None,
        body=body,
        url=header.fields.get("url"),
        origin=origin,
    )


def strip_dateline(body: str, datelines: tuple[re.Pattern[str], ...]) -> tuple[str, str | None]:
    """Remove a dateline at the very start of the body; return the body and its source code."""
    for pattern in datelines:
        match = pattern.match(body)
        if match is not None:
            source = match.groupdict().get("source")
            return body[match.end() :].lstrip(), source
    return body, None


def _cut_furniture(lines: list[str], furniture: tuple[re.Pattern[str], ...]) -> list[str]:
    """The lines before the first one that is page furniture (a whole-line match)."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped and any(p.fullmatch(stripped) for p in furniture):
            return lines[:index]
    return lines
