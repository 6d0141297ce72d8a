"""Gold readers: the PLOVER GSR JSON, our JSON Lines, the seed article's gold; and a gold
document as a ``Document`` to code."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError, field_validator

from eventwire.errors import InputError
from eventwire.models import Document, EventType, Record

log = logging.getLogger(__name__)
if TYPE_CHECKING:
    pass


# --- Gold-format conversion tables ---------------------------------------------------------
# These describe the PLOVER GSR file's own conventions (an input format), not coding knowledge:
# the file predates some PLOVER renames and uses a few CAMEO country codes that differ from ISO.

GSR_TYPE_NAMES: Mapping[str, str] = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
"""Old PLOVER type names in the GSR file -> current names."""

GSR_TYPE_MODES: Mapping[str, str] = {"INVESTIGATE": "investigate"}
"""Old types that survive as a mode of the new type."""

CAMEO_COUNTRY_CODES: Mapping[str, str] = {"JAP": "JPN", "ITL": "ITA"}
"""CAMEO country codes that differ from ISO 3166-1 alpha-3."""

NON_STATE_CODES: Mapping[str, str] = {
    "IGO": "IGO",
    "NGO": "NGO",
    "MNC": "MNC",
    "IMG": "REB",
    "UIS": "REB",
    "UAF": "REB",
}
"""CAMEO actor codes that are not countries -> the code they score as (armed groups as REB)."""

GSR_NO_EVENT = frozenset({"", "NONE", "NOEVENT", "NO_EVENT"})
"""Values of ``event`` that mark a record with no event (none in version 0.5b1)."""


# --- Gold records --------------------------------------------------------------------------


class GoldEntity(Record):
    """One participant as the gold reads it."""

    text: str = ""
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    start: int | None = None
    end: int | None = None
    """Character offsets of the mention in the text (the corpus's stand-off entities)."""

    @property
    def code(self) -> str | None:
        """Same rule as ``models.Entity.code``: the country, else the sector (scoring reads
        ``matching.entity_code``)."""
        return self.country or self.sector


class GoldEvent(Record):
    """One gold event; ``background`` and ``repeat`` events are optional (neither required nor
    penalised)."""

    id: str | None = None
    type: EventType
    alt_types: list[EventType] = Field(default_factory=list)
    """Other readings a careful coder could defend; a prediction of one of them is a type match."""
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    actor: list[GoldEntity] = Field(default_factory=list)
    recipient: list[GoldEntity] = Field(default_factory=list)
    evidence: str | None = None
    """The words the event is read from (a sentence or part of one)."""
    evidence_start: int | None = None
    evidence_end: int | None = None
    """Character offsets of ``evidence`` in the document text, when the gold gives them."""
    trigger: str | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None
    date: dt.date | None = None
    date_range: tuple[dt.date | None, dt.date | None] | None = None
    """When the text only bounds the date: [start, end], a null end is open."""
    location: str | None = None
    background: bool = False
    """A past fact the text states, told in passing."""
    repeat: bool = False
    """A later sentence telling a happening already coded from an earlier one."""
    note: str | None = None
    """Why the gold reads it this way (for people; not scored)."""

    @property
    def optional(self) -> bool:
        """Background and repeat events: finding one is no error, missing one no loss."""
        return self.background or self.repeat

    @field_validator("mode", mode="before")
    @classmethod
    def _empty_mode_is_none(cls, value: Any) -> Any:
        return value or None

    @field_validator("type", mode="before")
    @classmethod
    def _current_type_name(cls, value: Any) -> Any:
        if isinstance(value, str):
            name = value.strip().upper()
            return GSR_TYPE_NAMES.get(name, name)
        return value

    @field_validator("alt_types", mode="before")
    @classmethod
    def _current_alt_type_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [cls._current_type_name(v) for v in value]
        return value or []

    @field_validator("location", mode="before")
    @classmethod
    def _location_name(cls, value: Any) -> Any:
        return value.get("name") if isinstance(value, Mapping) else value


class GoldDocument(Record):
    """One gold text and every event a coder should find in it."""

    id: str
    date: dt.date | dt.datetime | None = None
    """Publication date (or time): relative dates in the text resolve against it."""
    text: str
    title: str | None = None
    source: str | None = None
    events: list[GoldEvent] = Field(default_factory=list)
    note: str | None = None
    url: str | None = None
    annotators: list[str] = Field(default_factory=list)
    adjudicated: bool | None = None
    text_sha256: str | None = None
    """The corpus's fields (``corpus/README.md``): where the text is from, who annotated it."""


# --- Gold readers --------------------------------------------------------------------------


def read_jsonl_gold(path: Path) -> list[GoldDocument]:
    """Our own gold: one JSON object per line; blank lines and lines starting '#' are skipped."""
    documents: list[GoldDocument] = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            origin = f"{path}:{number}"
            try:
                documents.append(GoldDocument.model_validate_json(line))
            except ValidationError as exc:
                raise InputError(origin, f"not a gold document: {exc}") from exc
    _check_unique_ids(documents, str(path))
    return documents


def _gsr_entity(raw: Mapping[str, Any]) -> GoldEntity:
    code = str(raw.get("code") or "").strip().upper()
    sector_raw = str(raw.get("sector") or "").strip()
    # CAMEO sectors may carry a group suffix ('REBalb', 'CVLkur'); '***' means unknown.
    # Scored as the reference scorer reads the raw record: any three characters, even '***'.
    sector = sector_raw[:3].upper() or None
    if code in NON_STATE_CODES:
        return GoldEntity(text=raw.get("actorText", ""), sector=NON_STATE_CODES[code])
    country = CAMEO_COUNTRY_CODES.get(code, code) or None
    return GoldEntity(text=raw.get("actorText", ""), country=country, sector=sector)


def _gsr_side(value: Any) -> list[GoldEntity]:
    # The file has a few targets given as a string ('' or a stray context word): no entities.
    if not isinstance(value, list):
        return []
    return [_gsr_entity(item) for item in value if isinstance(item, Mapping)]


def gsr_document(record: Mapping[str, Any]) -> GoldDocument | None:
    """One GSR record as a one-event gold document (None for the file's DOCUMENT notes)."""
    name = str(record.get("event") or "").strip().upper()
    if name == "DOCUMENT":
        return None
    events: list[GoldEvent] = []
    if name not in GSR_NO_EVENT:
        context = record.get("context") or ""
        # The reference scorer reads no evidence, date or place from a GSR record: neither does
        # this reader (so no same-sentence preference, and no date or place is judged).
        events.append(
            GoldEvent(
                id=record["id"],
                type=EventType(GSR_TYPE_NAMES.get(name, name)),
                mode=GSR_TYPE_MODES.get(name) or record.get("mode"),
                context=[c.strip() for c in str(context).split(",") if c.strip()],
                actor=_gsr_side(record.get("source")),
                recipient=_gsr_side(record.get("target")),
            )
        )
    return GoldDocument(
        id=record["id"],
        date=record.get("date"),
        text=record.get("text") or "",
        events=events,
    )


def read_gsr_gold(path: Path) -> list[GoldDocument]:
    """The PLOVER gold standard records file: a JSON array, one gold event per record."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise InputError(str(path), "a PLOVER GSR file is a JSON array of records")
    documents: dict[str, GoldDocument] = {}
    for index, record in enumerate(data):
        try:
            document = gsr_document(record)
        except (KeyError, ValueError, ValidationError) as exc:
            raise InputError(f"{path}[{index}]", f"not a GSR record: {exc}") from exc
        if document is None:
            continue
        # Version 0.5b1 gives two different records the same id: as in the reference scorer,
        # the later record replaces the earlier one.
        if document.id in documents:
            log.warning(
                "%s[%d]: id %s repeats; the later record is scored", path, index, document.id
            )
        documents[document.id] = document
    return list(documents.values())


def _seed_body(text: str, first_words: str | None, last_words: str | None) -> str:
    """The article body inside a saved page, bounded by the gold's first and last words."""
    start = text.find(first_words) if first_words else 0
    if start < 0:
        log.warning("seed gold: body start %r not found; using the whole text", first_words)
        start = 0
    end = len(text)
    if last_words:
        found = text.find(last_words, start)
        if found < 0:
            log.warning("seed gold: body end %r not found; using the whole text", last_words)
        else:
            end = found + len(last_words)
    return text[start:end]


def read_seed_gold(path: Path, text_path: Path | None = None) -> list[GoldDocument]:
    """The seed reading of one article (``NAME.gold.json``) with its text (``NAME.txt``).

    The gold gives ``document`` (id, source, published, title, body_first_words,
    body_last_words) and ``events`` in our event format; the body is cut out of the saved page.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or "document" not in data:
        raise InputError(str(path), "a seed gold file is a JSON object with 'document'")
    if text_path is None:
        text_path = path.with_name(path.name.removesuffix(".gold.json") + ".txt")
    if not text_path.is_file():
        raise InputError(str(path), f"the article text {text_path} is missing")
    meta = data["document"]
    body = _seed_body(
        text_path.read_text(encoding="utf-8"),
        meta.get("body_first_words"),
        meta.get("body_last_words"),
    )
    try:
        events = [GoldEvent.model_validate(event) for event in data.get("events", [])]
        document = GoldDocument(
            id=str(meta["id"]),
            date=meta.get("published"),
            title=meta.get("title"),
            source=meta.get("source"),
            text=body,
            events=events,
        )
    except (KeyError, ValidationError) as exc:
        raise InputError(str(path), f"not a seed gold file: {exc}") from exc
    return [document]


def read_gold(path: Path) -> list[GoldDocument]:
    """Any supported gold file: ``.jsonl`` is ours, a JSON array is GSR, an object is seed."""
    if path.suffix == ".jsonl":
        return read_jsonl_gold(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"not JSON: {exc}") from exc
    if isinstance(data, list):
        return read_gsr_gold(path)
    if isinstance(data, Mapping) and "document" in data:
        return read_seed_gold(path)
    raise InputError(str(path), "not a gold file (expected JSON Lines, a GSR array or seed gold)")


def _check_unique_ids(documents: Sequence[GoldDocument], origin: str) -> None:
    repeated = [doc_id for doc_id, n in Counter(d.id for d in documents).items() if n > 1]
    if repeated:
        raise InputError(origin, f"document ids repeat: {', '.join(sorted(repeated))}")


# --- Running the coder ---------------------------------------------------------------------


def gold_to_document(gold: GoldDocument) -> Document:
    """The document a coder sees: the gold text as body, dated as published, in English."""
    return Document(
        id=gold.id,
        source=gold.source,
        published=gold.date,
        title=gold.title,
        body=gold.text,
        language="en",
    )
