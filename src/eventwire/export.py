"""Writing events out: JSON Lines, CSV, GDELT-style TSV, Parquet, and a terminal table.

Every writer takes any iterable of events and writes as it reads, so exporting a whole
store (``Store.iter_events``) never holds all events in memory.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from itertools import islice, product
from pathlib import Path
from typing import IO, Any, TextIO

from eventwire.codebook import QUAD_CLASS_NUMBERS
from eventwire.errors import EventwireError
from eventwire.models import Entity, Event
from eventwire.normalize import printable

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("jsonl", "csv", "tsv-gdelt", "parquet", "table")
"""Names accepted by ``write_events``."""

_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv-gdelt",
    ".parquet": "parquet",
    ".txt": "table",
}

PARQUET_HINT = "pip install 'eventwire[parquet]'"

Output = TextIO | IO[bytes] | Path | str


class ExportError(EventwireError):
    """Events cannot be written in the format or to the place asked."""


def format_for_path(path: Path | str) -> str | None:
    """The format a file name asks for by its suffix (``events.csv`` -> ``csv``), or None."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def write_events(events: Iterable[Event], fmt: str, out: Output) -> int:
    """Write ``events`` to ``out`` (a path, a text stream or a binary stream) as ``fmt``.

    Returns the number of events written. Parquet needs a path or a binary stream and the
    optional ``pyarrow`` dependency.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        return _write_parquet(events, out)
    writer = _TEXT_WRITERS[fmt]
    with _text_stream(out) as stream:
        return writer(events, stream)


# --------------------------------------------------------------------------- streams


@contextmanager
def _text_stream(out: Output) -> Iterator[TextIO]:
    """A text stream over ``out``; files we open we close, streams we were given we don't."""
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            yield handle
        return
    if isinstance(out, io.TextIOBase) or hasattr(out, "encoding"):
        yield out  # type: ignore[misc]
        return
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        yield wrapper
    finally:
        wrapper.flush()
        wrapper.detach()  # leave the caller's binary stream open


# --------------------------------------------------------------------------- shared cells


def _iso(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _label(entity: Entity) -> str:
    """A person-readable name for an entity: its canonical name, else the words used."""
    return entity.name or entity.text


def _flat(event: Event) -> dict[str, Any]:
    """One event as flat columns (lists stay lists; CSV joins them, Parquet keeps them)."""
    location = event.location
    evidence = event.evidence
    row: dict[str, Any] = {
        "event_id": event.event_id,
        "doc_id": event.doc_id,
        "source": event.source,
        "type": event.type.value,
        "mode": event.mode,
        "context": list(event.context),
        "cameo": event.cameo,
        "plover_score": event.plover_score,
        "quad_class": event.quad_class.value,
        "date": event.date,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "date_is_publication": event.date_is_publication,
    }
    for role, entities in (("actor", event.actor), ("recipient", event.recipient)):
        row[role] = [entity.code or "" for entity in entities]
        row[f"{role}_country"] = [entity.country or "" for entity in entities]
        row[f"{role}_sector"] = [entity.sector or "" for entity in entities]
        row[f"{role}_name"] = [_label(entity) for entity in entities]
        row[f"{role}_country_from_context"] = [_cell(e.country_from_context) for e in entities]
    row.update(
        {
            "location_name": location.name if location else None,
            "location_country": location.country if location else None,
            "location_lat": location.lat if location else None,
            "location_lon": location.lon if location else None,
            "location_geonameid": location.geonameid if location else None,
            "confidence": event.confidence,
            "evidence": evidence.sentence,
            "evidence_start": evidence.start,
            "evidence_end": evidence.end,
            "trigger": evidence.trigger,
            "trigger_start": evidence.trigger_start,
            "trigger_end": evidence.trigger_end,
            "incident_id": event.incident_id,
            "n_mentions": event.n_mentions,
            "n_documents": event.n_documents,
            "n_sources": event.n_sources,
        }
    )
    return row


FLAT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "doc_id",
    "source",
    "type",
    "mode",
    "context",
    "cameo",
    "plover_score",
    "quad_class",
    "date",
    "date_start",
    "date_end",
    "date_is_publication",
    "actor",
    "actor_country",
    "actor_sector",
    "actor_name",
    "actor_country_from_context",
    "recipient",
    "recipient_country",
    "recipient_sector",
    "recipient_name",
    "recipient_country_from_context",
    "location_name",
    "location_country",
    "location_lat",
    "location_lon",
    "location_geonameid",
    "confidence",
    "evidence",
    "evidence_start",
    "evidence_end",
    "trigger",
    "trigger_start",
    "trigger_end",
    "incident_id",
    "n_mentions",
    "n_documents",
    "n_sources",
)
"""Columns of the ``csv`` and ``parquet`` formats, in order (``_flat`` builds them)."""

_LIST_COLUMNS = frozenset(
    {"context"}
    | {
        f"{role}{suffix}"
        for role in ("actor", "recipient")
        for suffix in ("", "_country", "_sector", "_name", "_country_from_context")
    }
)
"""Columns holding one value per list item: joined with ';' in CSV, lists in Parquet."""


# --------------------------------------------------------------------------- jsonl / csv


def _write_jsonl(events: Iterable[Event], stream: TextIO) -> int:
    count = 0
    for event in events:
        stream.write(json.dumps(event.model_dump(mode="json"), ensure_ascii=False))
        stream.write("\n")
        count += 1
    return count


def _write_csv(events: Iterable[Event], stream: TextIO) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(FLAT_COLUMNS)
    count = 0
    for event in events:
        row = _flat(event)
        writer.writerow(
            ";".join(row[name]) if name in _LIST_COLUMNS else _cell(row[name])
            for name in FLAT_COLUMNS
        )
        count += 1
    return count


# --------------------------------------------------------------------------- GDELT-style TSV

GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1Type1Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2Type1Code",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "SOURCEURL",
    "PloverType",
    "PloverMode",
    "Confidence",
)
"""Header of the ``tsv-gdelt`` format: GDELT 1.0 event columns, then PLOVER extras."""


_TSV_UNSAFE = re.compile(r"[\t\r\n]+")


def _tsv(value: Any) -> str:
    return _TSV_UNSAFE.sub(" ", _cell(value))


def _cameo_actor_code(entity: Entity | None) -> str:
    """CAMEO-style actor code: country then sector (``IRNGOV``), whichever are known."""
    if entity is None:
        return ""
    return (entity.country or "") + (entity.sector or "")


def _actor_cells(entity: Entity | None) -> list[str]:
    if entity is None:
        return ["", "", "", ""]
    return [
        _cameo_actor_code(entity),
        _label(entity),
        entity.country or "",
        entity.sector or "",
    ]


def _gdelt_rows(event: Event) -> Iterator[list[str]]:
    """One row per actor x recipient pair, as GDELT rows are dyadic.

    The id is the event id when the event has one dyad, else ``<event_id>-<n>`` (n from 1).
    """
    actors: list[Entity | None] = list(event.actor) or [None]
    recipients: list[Entity | None] = list(event.recipient) or [None]
    dyads = list(product(actors, recipients))
    day = event.date or event.date_start or event.date_end
    cameo = event.cameo or ""
    location = event.location
    for n, (actor, recipient) in enumerate(dyads, start=1):
        row_id = event.event_id if len(dyads) == 1 else f"{event.event_id}-{n}"
        yield [
            row_id,
            day.strftime("%Y%m%d") if day else "",
            *_actor_cells(actor),
            *_actor_cells(recipient),
            cameo,
            cameo[:3],
            cameo[:2],
            str(QUAD_CLASS_NUMBERS[event.quad_class]),
            _cell(event.plover_score),
            str(event.n_mentions or 1),
            str(event.n_sources or 1),
            str(event.n_documents or 1),
            location.name if location else "",
            (location.country or "") if location else "",
            _cell(location.lat) if location else "",
            _cell(location.lon) if location else "",
            event.doc_id,
            event.type.value,
            event.mode or "",
            _cell(event.confidence),
        ]


def _write_gdelt(events: Iterable[Event], stream: TextIO) -> int:
    stream.write("\t".join(GDELT_COLUMNS) + "\n")
    count = 0
    for event in events:
        for row in _gdelt_rows(event):
            stream.write("\t".join(_tsv(cell) for cell in row) + "\n")
        count += 1
    return count


# --------------------------------------------------------------------------- table

_TABLE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("TYPE", 9),
    ("DATE", 22),
    ("ACTOR", 16),
    ("RECIPIENT", 16),
    ("LOCATION", 16),
    ("EVIDENCE", 60),
)
_SPACES = re.compile(r"\s+")


def _fit(text: str, width: int) -> str:
    text = _SPACES.sub(" ", printable(text)).strip()
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.ljust(width)


def _table_codes(entities: list[Entity]) -> str:
    codes = dict.fromkeys(entity.code or _label(entity) for entity in entities)
    return ",".join(codes) or "-"


def _table_date(event: Event) -> str:
    """A day, a range ``start..end`` (an open end left empty), ``*`` marking a publication date."""
    if event.date is not None:
        return _iso(event.date) + ("*" if event.date_is_publication else "")
    if event.date_start is None and event.date_end is None:
        return "-"
    return f"{_iso(event.date_start)}..{_iso(event.date_end)}"


def _table_row(event: Event) -> str:
    cells = (
        event.type.value,
        _table_date(event),
        _table_codes(event.actor),
        _table_codes(event.recipient),
        event.location.name if event.location else "-",
        event.evidence.sentence,
    )
    return " ".join(
        _fit(cell, width) for cell, (_, width) in zip(cells, _TABLE_COLUMNS, strict=True)
    ).rstrip()


def _write_table(events: Iterable[Event], stream: TextIO) -> int:
    stream.write(" ".join(name.ljust(width) for name, width in _TABLE_COLUMNS).rstrip() + "\n")
    stream.write(" ".join("-" * width for _, width in _TABLE_COLUMNS) + "\n")
    count = 0
    for event in events:
        stream.write(_table_row(event) + "\n")
        count += 1
    return count


_TEXT_WRITERS: dict[str, Callable[[Iterable[Event], TextIO], int]] = {
    "jsonl": _write_jsonl,
    "csv": _write_csv,
    "tsv-gdelt": _write_gdelt,
    "table": _write_table,
}


# --------------------------------------------------------------------------- parquet


def _parquet_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    texts = pa.list_(pa.string())
    types = {
        "plover_score": pa.float64(),
        "date": pa.date32(),
        "date_start": pa.date32(),
        "date_end": pa.date32(),
        "date_is_publication": pa.bool_(),
        "location_lat": pa.float64(),
        "location_lon": pa.float64(),
        "location_geonameid": pa.int64(),
        "confidence": pa.float64(),
        "evidence_start": pa.int64(),
        "evidence_end": pa.int64(),
        "trigger_start": pa.int64(),
        "trigger_end": pa.int64(),
        "n_mentions": pa.int64(),
        "n_documents": pa.int64(),
        "n_sources": pa.int64(),
    }
    return pa.schema(
        [(name, texts if name in _LIST_COLUMNS else types.get(name, text)) for name in FLAT_COLUMNS]
    )


def _write_parquet(events: Iterable[Event], out: Output, batch_rows: int = 10_000) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError(f"parquet export needs pyarrow: {PARQUET_HINT}") from exc
    if isinstance(out, io.TextIOBase) or (
        not isinstance(out, str | Path) and hasattr(out, "encoding")
    ):
        raise ExportError("parquet is binary: give a file path or a binary stream")
    schema = _parquet_schema()
    where = str(out) if isinstance(out, str | Path) else out
    count = 0
    iterator = iter(events)
    with pq.ParquetWriter(where, schema) as writer:
        while batch := list(islice(iterator, batch_rows)):
            rows = [_flat(event) for event in batch]
            columns = {name: [row[name] for row in rows] for name in FLAT_COLUMNS}
            writer.write_table(pa.table(columns, schema=schema))
            count += len(batch)
    return count
