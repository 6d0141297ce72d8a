"""The ingest knowledge (``page_layouts.yaml``), checked and compiled once per read.

Readers get typed, compiled rules from here instead of poking at parsed YAML, so a mistake
in the file is reported once, naming the file and the entry. ``read_documents`` loads them
once per call (from the user's knowledge folder if it has a copy) and hands them down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventwire.errors import KnowledgeError
from eventwire.knowledge import BUILTIN_DIR, read_yaml_file

LAYOUTS_FILE = "page_layouts.yaml"
HEADER_FIELDS = frozenset({"id", "published", "source", "title", "url"})


@dataclass(frozen=True)
class PageLayout:
    """How one site's scraped pages are laid out: header lines, datelines, furniture."""

    name: str
    header: tuple[re.Pattern[str], ...]
    title_line: bool
    source: str | None
    datelines: tuple[re.Pattern[str], ...]
    furniture: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class HeaderShapes:
    """Header lines of pages of unknown layouts, recognised by their shape."""

    max_lines: int = 8
    title_max_words: int = 25
    id: tuple[re.Pattern[str], ...] = ()
    date: tuple[re.Pattern[str], ...] = ()
    dateline: tuple[re.Pattern[str], ...] = ()
    furniture: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class IngestRules:
    """Everything the readers take from the knowledge file."""

    sources: dict[str, str]
    date_normalise: tuple[tuple[re.Pattern[str], str], ...]
    date_formats: tuple[str, ...]
    layouts: tuple[PageLayout, ...]
    header_shapes: HeaderShapes = HeaderShapes()
    furniture: tuple[re.Pattern[str], ...] = ()
    datelines: tuple[re.Pattern[str], ...] = ()

    def source_name(self, code: str | None) -> str | None:
        """The full name of a source code (``AVA`` -> ``Afghan Voice Agency``), if known."""
        if not code:
            return None
        return self.sources.get(code.upper())


def load_rules(knowledge_dir: Path | None = None) -> IngestRules:
    """The rules of the layouts file: the user's copy in ``knowledge_dir`` if there is one."""
    user = knowledge_dir / LAYOUTS_FILE if knowledge_dir is not None else None
    path = user if user is not None and user.is_file() else BUILTIN_DIR / LAYOUTS_FILE
    return _compile(str(path), read_yaml_file(LAYOUTS_FILE, path))


def _compile(path: str, data: Any) -> IngestRules:
    data = data or {}
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected a mapping at the top level")
    sources = {str(k).upper(): str(v) for k, v in (data.get("sources") or {}).items()}
    published = data.get("published") or {}
    normalise = tuple(
        (_regex(path, "published.normalise", rule.get("pattern")), str(rule.get("replace", "")))
        for rule in published.get("normalise") or []
    )
    formats = tuple(str(fmt) for fmt in published.get("formats") or [])
    datelines = _regexes(path, "datelines", data.get("datelines"))
    furniture = _regexes(path, "furniture", data.get("furniture"), flags=re.IGNORECASE)
    layouts = tuple(
        _layout(path, entry, datelines, furniture) for entry in data.get("layouts") or []
    )
    return IngestRules(
        sources=sources,
        date_normalise=normalise,
        date_formats=formats,
        layouts=layouts,
        header_shapes=_header_shapes(path, data.get("header_shapes")),
        furniture=furniture,
        datelines=datelines,
    )


def _header_shapes(path: str, entry: Any) -> HeaderShapes:
    if entry is None:
        return HeaderShapes()
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{path}: header_shapes should be a mapping")
    where = "header_shapes"
    kinds = {
        kind: _regexes(path, f"{where}.{kind}", entry.get(kind), flags=re.IGNORECASE)
        for kind in ("id", "date", "dateline", "furniture")
    }
    for kind in ("id", "date", "dateline"):
        for pattern in kinds[kind]:
            unknown = set(pattern.groupindex) - {"id", "published"}
            if unknown:
                raise KnowledgeError(
                    f"{path}: {where}.{kind}: unknown group(s) {sorted(unknown)} in "
                    f"{pattern.pattern!r}; known: ['id', 'published']"
                )
    try:
        max_lines = int(entry.get("max_lines", 8))
        title_max_words = int(entry.get("title_max_words", 25))
    except (TypeError, ValueError) as exc:
        raise KnowledgeError(f"{path}: {where}: max_lines and title_max_words are numbers") from exc
    return HeaderShapes(max_lines=max_lines, title_max_words=title_max_words, **kinds)


def _layout(
    path: str,
    entry: Any,
    datelines: tuple[re.Pattern[str], ...],
    furniture: tuple[re.Pattern[str], ...],
) -> PageLayout:
    if not isinstance(entry, dict) or not entry.get("name") or not entry.get("header"):
        raise KnowledgeError(f"{path}: each layout needs a name and a header list: {entry!r}")
    name = str(entry["name"])
    where = f"layout {name!r}"
    header = _regexes(path, f"{where} header", entry["header"])
    for pattern in header:
        unknown = set(pattern.groupindex) - HEADER_FIELDS
        if unknown:
            raise KnowledgeError(
                f"{path}: {where}: unknown group(s) {sorted(unknown)} in {pattern.pattern!r}; "
                f"known: {sorted(HEADER_FIELDS)}"
            )
    own_datelines = entry.get("datelines")
    return PageLayout(
        name=name,
        header=header,
        title_line=bool(entry.get("title_line", True)),
        source=str(entry["source"]) if entry.get("source") else None,
        datelines=datelines
        if own_datelines is None
        else _regexes(path, f"{where} datelines", own_datelines),
        furniture=furniture
        + _regexes(path, f"{where} furniture", entry.get("furniture"), flags=re.IGNORECASE),
    )


def _regexes(
    path: str, where: str, patterns: Any, *, flags: int = 0
) -> tuple[re.Pattern[str], ...]:
    if patterns is None:
        return ()
    if not isinstance(patterns, list):
        raise KnowledgeError(f"{path}: {where} should be a list of patterns")
    return tuple(_regex(path, where, p, flags=flags) for p in patterns)


def _regex(path: str, where: str, pattern: Any, *, flags: int = 0) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise KnowledgeError(f"{path}: {where}: expected a pattern string, got {pattern!r}")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise KnowledgeError(f"{path}: {where}: bad pattern {pattern!r}: {exc}") from exc
