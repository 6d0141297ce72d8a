"""Reader for JSON Lines feeds: one JSON object, one document, per line.

Feeds can be far bigger than memory, so the file is read one line at a time and each line
is held to the size limit on its own; a bad line is reported and the next one is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from eventwire.errors import InputError
from eventwire.ingest.layouts import IngestRules
from eventwire.ingest.published import parse_published
from eventwire.ingest.rawtext import check_file, decode, normalise_text, size_problem
from eventwire.models import Document, ReadFailure
from eventwire.normalize import clean_text

# Field names accepted for each Document field, first found wins.
ID_FIELDS = ("id",)
DATE_FIELDS = ("published", "date")
TITLE_FIELDS = ("title",)
BODY_FIELDS = ("text", "body")
SOURCE_FIELDS = ("source",)
SOURCE_NAME_FIELDS = ("source_name",)
URL_FIELDS = ("url",)
LANGUAGE_FIELDS = ("language", "lang")

_SKIP_CHUNK = 1024 * 1024


def read_jsonl(
    path: Path, *, limit: int, rules: IngestRules | None = None
) -> Iterator[Document | ReadFailure]:
    """Yield a Document, or a ReadFailure, for each non-blank line of a JSON Lines file."""
    try:
        check_file(path, limit=None)
    except InputError as exc:
        yield ReadFailure(origin=exc.origin, problem=exc.problem)
        return
    with path.open("rb") as fh:
        number = 0
        while line := fh.readline(limit + 1):
            number += 1
            origin = f"{path}:{number}"
            content = line.rstrip(b"\r\n")
            if len(content) > limit:
                size = len(content)
                if not line.endswith(b"\n"):
                    size += _skip_rest_of_line(fh)
                yield ReadFailure(origin=origin, problem=size_problem(size, limit))
                continue
            if not content.strip():
                continue
            try:
                yield read_record(content, path=path, line=number, rules=rules)
            except InputError as exc:
                yield ReadFailure(origin=exc.origin, problem=exc.problem)


def _skip_rest_of_line(fh: BinaryIO) -> int:
    """Read past the rest of an oversized line without keeping it; return its bytes left."""
    skipped = 0
    while chunk := fh.readline(_SKIP_CHUNK):
        if chunk.endswith(b"\n"):
            return skipped + len(chunk.rstrip(b"\r\n"))
        skipped += len(chunk)
    return skipped


def read_record(
    content: bytes, *, path: Path, line: int, rules: IngestRules | None = None
) -> Document:
    """One line's bytes to a Document; InputError says what is wrong with the line."""
    origin = f"{path}:{line}"
    text = decode(content, origin)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(origin, f"invalid JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise InputError(origin, f"invalid JSON: expected an object, got {_kind(record)}")
    body = _text_field(record, BODY_FIELDS, origin)
    if not body or not body.strip():
        raise InputError(origin, "no text (fields 'text' or 'body' are missing or empty)")
    doc_id = _id_field(record, origin) or f"{path.stem}-{line}"
    title = normalise_text(_text_field(record, TITLE_FIELDS, origin) or "")
    return Document(
        id=doc_id,
        source=_text_field(record, SOURCE_FIELDS, origin) or None,
        source_name=_text_field(record, SOURCE_NAME_FIELDS, origin) or None,
        published=_date_field(record, origin, rules),
        title=title or None,
        body=normalise_text(body),
        url=_text_field(record, URL_FIELDS, origin) or None,
        language=(_text_field(record, LANGUAGE_FIELDS, origin) or "").lower() or None,
        origin=origin,
    )


def _first(record: dict[str, Any], names: tuple[str, ...]) -> tuple[str, Any]:
    for name in names:
        if record.get(name) is not None:
            return name, record[name]
    return names[0], None


def _text_field(record: dict[str, Any], names: tuple[str, ...], origin: str) -> str | None:
    name, value = _first(record, names)
    if value is None:
        return None
    if isinstance(value, str):
        return clean_text(value)
    raise InputError(origin, f"field {name!r} should be a string, got {_kind(value)}")


def _id_field(record: dict[str, Any], origin: str) -> str | None:
    name, value = _first(record, ID_FIELDS)
    if value is None or value == "":
        return None
    if isinstance(value, str | int) and not isinstance(value, bool):
        return clean_text(str(value)).strip() or None
    raise InputError(origin, f"field {name!r} should be a string or a number, got {_kind(value)}")


def _date_field(
    record: dict[str, Any], origin: str, rules: IngestRules | None
) -> date | datetime | None:
    name, value = _first(record, DATE_FIELDS)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(origin, f"field {name!r} should be a date string, got {_kind(value)}")
    parsed = parse_published(value, rules)
    if parsed is None:
        raise InputError(
            origin,
            f"unrecognised date {value!r} in field {name!r} "
            "(expected ISO 8601, e.g. 2019-01-28 or 2019-01-28T20:43:00)",
        )
    return parsed


def _kind(value: Any) -> str:
    """A JSON-flavoured name for a value's type, for messages."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)
