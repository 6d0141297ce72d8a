"""Which events a user asked for: one filter record, with the matching rules in one place.

``EventFilter.matches`` filters events in memory (``eventwire code`` without a database);
``store.py`` translates the same filter to SQL. Both follow the rules written here, and the
tests run them against each other on the same events so they cannot drift apart.

Participant terms (``actor``, ``recipient``):

- A term always matches an entity whose ``country``, ``sector`` or ``org`` equals it,
  ignoring ASCII case (``IRN``, ``GOV``, ``IGO``, ``NATO``), or whose ``country`` + ``sector``
  spell it, CAMEO style (``IRNGOV``).
- A term with lowercase letters (``Lavrov``, ``foreign ministry``) also matches as a
  case-insensitive substring of the entity's ``name``, ``org`` or ``text``. An all-caps term
  is a code only, so ``US`` does not match every name that contains "us".

Dyads: most event types are directed (``actor`` did it to ``recipient``). For the types in
``SYMMETRIC_TYPES`` (meeting, agreeing, cooperating) who is listed first is an accident of
wording, so both terms are matched against all participants (actor list + recipient list),
and when both terms are given they must match two different participants.

Dates: an event's interval is ``date_start`` (else ``date``) to ``date_end`` (else ``date``);
it matches ``since``/``until`` when that interval overlaps them. An event with no date
never matches a date filter; an interval open at one end is unbounded on that side.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from eventwire.codebook import SYMMETRIC_TYPES
from eventwire.models import Entity, Event, EventType

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def fold_code(value: str) -> str:
    """Upper-case ASCII letters only: the same folding as SQLite's ``COLLATE NOCASE``."""
    return value.translate(_ASCII_UPPER)


def fold_name(value: str) -> str:
    """Case folding for name substrings (Unicode-aware); the store registers the same function."""
    return value.casefold()


class ParticipantTerm(BaseModel):
    """A parsed ``actor``/``recipient`` term: the code form, and the name form if it has one."""

    model_config = ConfigDict(frozen=True)

    raw: str
    code: str
    """The term folded as a code (``fold_code``)."""
    compound: tuple[str, str] | None = None
    """``(country, sector)`` when the term can be read as CAMEO ``IRNGOV``."""
    name: str | None = None
    """The term folded for substring search, or None when the term is a code only."""

    @classmethod
    def parse(cls, raw: str) -> ParticipantTerm:
        code = fold_code(raw)
        compound = (code[:3], code[3:]) if len(code) == 6 and code.isalpha() else None
        name = fold_name(raw) if raw != raw.upper() else None
        return cls(raw=raw, code=code, compound=compound, name=name)

    def matches(self, entity: Entity) -> bool:
        country = fold_code(entity.country) if entity.country else None
        sector = fold_code(entity.sector) if entity.sector else None
        org = fold_code(entity.org) if entity.org else None
        if self.code in (country, sector, org):
            return True
        if self.compound is not None and (country, sector) == self.compound:
            return True
        if self.name is not None:
            for value in (entity.name, entity.org, entity.text):
                if value and self.name in fold_name(value):
                    return True
        return False


def event_interval(event: Event) -> tuple[date | None, date | None]:
    """The first and last day an event may have happened on (None: unknown / unbounded)."""
    low = event.date_start or event.date
    high = event.date_end or event.date
    return low, high


class EventFilter(BaseModel):
    """What to select: every field given must match; ``None`` means 'any'.

    ``limit`` and ``offset`` page through results; ``matches`` ignores them and
    ``apply`` uses them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: str | None = None
    recipient: str | None = None
    type: EventType | None = None
    types: tuple[EventType, ...] = ()
    """Any of these types (the API's repeated ``type``); with ``type``, both must hold."""
    since: date | None = None
    until: date | None = None
    doc_id: str | None = None
    source: str | None = None
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    min_sources: int | None = Field(default=None, ge=1)
    """Only events of incidents reported by at least this many sources (#10)."""
    unique: bool = False
    """One event per incident (its most confident report) instead of every report (#10)."""
    limit: int | None = Field(default=None, ge=0)
    offset: int = Field(default=0, ge=0)

    @field_validator("actor", "recipient", "doc_id", "source", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        # Web forms and CLI defaults send "" for 'not given'.
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    @field_validator("types", mode="before")
    @classmethod
    def _types_any_case(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return tuple(cls._type_any_case(item) for item in value)
        return value

    @field_validator("type", mode="before")
    @classmethod
    def _type_any_case(cls, value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, EventType):
            name = value.strip().upper()
            if not name:
                return None
            if name not in EventType.__members__:
                known = ", ".join(EventType.__members__)
                raise ValueError(f"unknown event type {value!r}; expected one of {known}")
            return EventType(name)
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> EventFilter:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")
        return self

    @property
    def actor_term(self) -> ParticipantTerm | None:
        return ParticipantTerm.parse(self.actor) if self.actor else None

    @property
    def recipient_term(self) -> ParticipantTerm | None:
        return ParticipantTerm.parse(self.recipient) if self.recipient else None

    def matches(self, event: Event) -> bool:
        """Whether ``event`` passes every condition (``limit``/``offset`` do not apply)."""
        if self.type is not None and event.type != self.type:
            return False
        if self.types and event.type not in self.types:
            return False
        if self.doc_id is not None and event.doc_id != self.doc_id:
            return False
        if self.source is not None and event.source != self.source:
            return False
        if self.min_confidence is not None and event.confidence < self.min_confidence:
            return False
        if self.min_sources is not None and (event.n_sources or 1) < self.min_sources:
            return False
        return self._dates_match(event) and self._dyad_matches(event)

    def apply(self, events: Iterable[Event]) -> Iterator[Event]:
        """The matching events, in input order, after ``offset`` and up to ``limit``."""
        selected = (event for event in events if self.matches(event))
        stop = None if self.limit is None else self.offset + self.limit
        return islice(selected, self.offset, stop)

    def _dates_match(self, event: Event) -> bool:
        if self.since is None and self.until is None:
            return True
        low, high = event_interval(event)
        if low is None and high is None:
            return False
        if self.since is not None and high is not None and high < self.since:
            return False
        return not (self.until is not None and low is not None and low > self.until)

    def _dyad_matches(self, event: Event) -> bool:
        actor, recipient = self.actor_term, self.recipient_term
        if actor is None and recipient is None:
            return True
        if event.type in SYMMETRIC_TYPES:
            participants = [*event.actor, *event.recipient]
            if actor is not None and recipient is not None:
                return any(
                    actor.matches(first) and recipient.matches(second)
                    for i, first in enumerate(participants)
                    for j, second in enumerate(participants)
                    if i != j
                )
            term = actor if actor is not None else recipient
            return any(term is not None and term.matches(e) for e in participants)
        if actor is not None and not any(actor.matches(entity) for entity in event.actor):
            return False
        return recipient is None or any(recipient.matches(e) for e in event.recipient)
