"""Typed records passed between pipeline stages.

Every stage takes and returns these records, never spaCy objects or loose dicts, so
stages can be tested, cached, stored and shipped to other processes on their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Immutable base: records are values, stages build new ones instead of mutating."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class EventType(StrEnum):
    """The 16 PLOVER event types."""

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


class QuadClass(StrEnum):
    VERBAL_COOPERATION = "verbal_cooperation"
    MATERIAL_COOPERATION = "material_cooperation"
    VERBAL_CONFLICT = "verbal_conflict"
    MATERIAL_CONFLICT = "material_conflict"


EntityKind = Literal["state", "person", "organisation", "group", "population"]


class Document(Record):
    """One news item as read from its source, before any language processing."""

    id: str
    source: str | None = None
    """Short source code (a dateline like ``AVA``, a feed name); with ``id`` it keys a document."""
    published: datetime | date | None = None
    """Publication time as precise as the source gives it (a date, or a date and time)."""
    title: str | None = None
    body: str = ""
    url: str | None = None
    language: str | None = None
    source_name: str | None = None
    """Human-readable name of the source (``Afghan Voice Agency``) when known."""
    origin: str | None = None
    """Where it was read from (``path`` or ``path:line``), for messages and provenance."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.source or "", self.id)

    @property
    def published_date(self) -> date | None:
        if isinstance(self.published, datetime):
            return self.published.date()
        return self.published


class Entity(Record):
    """A participant in an event, as coded: country, sector, and who exactly."""

    text: str
    """The words of the mention the event was coded from (``he``, ``Tehran``)."""
    name: str | None = None
    """Canonical name: a person's full name, an organisation's name, a country's name."""
    country: str | None = None
    """ISO 3166-1 alpha-3, or None for international and non-state actors."""
    country_from_context: bool = False
    """The text does not say whose this party is; ``country`` is the one the text around it is
    about ("police" in a story on Syria): a guess, right about half the time for untitled
    people on news articles (docs/learned.md, session 17)."""
    sector: str | None = None
    """PLOVER/CAMEO sector code: GOV, MIL, COP, REB, IGO, NGO, ..."""
    org: str | None = None
    """The organisation or group named (``UN``, ``Hezbollah``) when there is one."""
    kind: EntityKind = "state"
    role: str | None = None
    """The title or role the text gives a person (``Deputy Foreign Minister``)."""
    start: int | None = None
    end: int | None = None
    """Character offsets of ``text`` in the document body (None for headline-only evidence)."""

    @property
    def code(self) -> str | None:
        """The code used for scoring and dyad queries: the country, else the sector."""
        return self.country or self.sector

    def _identity(self) -> tuple[Any, ...]:
        return tuple(v for k, v in self.__dict__.items() if k != "country_from_context")

    def __eq__(self, other: object) -> bool:
        """Who the party is: how its country was found does not make it another party (a
        pronoun standing for two parties of one code is one party)."""
        if not isinstance(other, Entity):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())


class ActorMention(Record):
    """An entity found in the text, with the token span it covers (actors -> events)."""

    entity: Entity
    sentence: int
    """Index of the sentence in the document's body."""
    token_start: int
    token_end: int
    """Token span in the parsed body (exclusive end); internal to the language stages."""
    head: int
    """Token index of the mention's syntactic head."""
    antecedent: str | None = None
    """For pronouns and descriptions: the canonical name they were resolved to."""


class TextSpan(Record):
    text: str
    start: int
    end: int
    """Character offsets in the document body."""


class PlaceMention(Record):
    """A place named in a sentence, with the preposition that introduces it, if any."""

    text: str
    start: int
    end: int
    preposition: str | None = None
    """``in``, ``at``, ``to``... — 'in Moscow' locates, 'to Moscow' directs."""
    label: str = "GPE"
    governor: int | None = None
    """Character offset of the verb the place's phrase belongs to ('urged X to stay in Syria':
    'stay'), when the parse gives one: a statement's place is not one inside what is said."""
    governor_lemma: str | None = None
    """That verb's lemma ('say' for 'said'): a speech verb's place is where the words were said."""
    attached_by: str | None = None
    """The preposition whose object the place is, when the parse attaches that phrase to a
    noun ('the offensive in Syria': 'in'); None when it belongs to a verb or to nothing."""
    attached_noun: int | None = None
    """Character offset of that noun ('offensive'): the place qualifies the noun, and says
    where a statement was made only if the noun is the event, a party to it or its occasion."""
    attached_noun_lemma: str | None = None
    """That noun's lemma ('conference' in 'told a conference in Geneva')."""


class Sentence(Record):
    """A sentence of the body with the time and place expressions found in it."""

    index: int
    text: str
    start: int
    end: int
    times: list[TextSpan] = Field(default_factory=list)
    places: list[PlaceMention] = Field(default_factory=list)


Tense = Literal["past", "present", "perfect", "future", "unknown"]


class EventCandidate(Record):
    """An event as the language stages found it, before date and place are resolved."""

    type: EventType
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    cameo: str | None = None
    actor: list[Entity] = Field(default_factory=list)
    recipient: list[Entity] = Field(default_factory=list)
    sentence: Sentence
    trigger: TextSpan
    tense: Tense = "unknown"
    confidence: float = 0.5
    rule: str | None = None
    """Identifier of the trigger pattern that fired, for explanations and debugging."""
    recipient_by_convention: bool = False
    """The recipient is PLOVER's default (the state where it happens), not one the text names."""


class EventDate(Record):
    """When an event happened: a day, or a range the text bounds it to."""

    date: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    is_publication: bool = False
    """True when nothing in the text dated the event and the publication date stands in."""
    expression: str | None = None
    """The words the date came from (``on Monday``, ``earlier this month``)."""


class Location(Record):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


class Evidence(Record):
    sentence: str
    start: int
    end: int
    """Character offsets of the sentence in the document body."""
    trigger: str | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None


class Event(Record):
    """A coded event, as stored and exported."""

    doc_id: str
    event_id: str
    source: str | None = None
    type: EventType
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    cameo: str | None = None
    plover_score: float | None = None
    quad_class: QuadClass
    actor: list[Entity] = Field(default_factory=list)
    recipient: list[Entity] = Field(default_factory=list)
    date: dt.date | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    date_is_publication: bool = False
    location: Location | None = None
    evidence: Evidence
    confidence: float = 0.5
    incident_id: str | None = None
    """The incident this report belongs to (#10): events of other documents reporting the
    same happening share it. Set by the store; None for events not (yet) stored."""
    n_mentions: int | None = None
    """Reports of the incident in the store (this one included)."""
    n_documents: int | None = None
    """Documents reporting the incident."""
    n_sources: int | None = None
    """Sources (``Document.source``) reporting the incident."""

    @classmethod
    def from_candidate(
        cls,
        candidate: EventCandidate,
        document: Document,
        when: EventDate,
        where: Location | None,
        *,
        plover_score: float | None,
        quad_class: QuadClass,
    ) -> Event:
        """The stored record of a candidate, with its date, place, score and evidence."""
        return cls(
            doc_id=document.id,
            event_id=event_id(document, candidate),
            source=document.source,
            type=candidate.type,
            mode=candidate.mode,
            context=list(candidate.context),
            cameo=candidate.cameo,
            plover_score=plover_score,
            quad_class=quad_class,
            actor=list(candidate.actor),
            recipient=list(candidate.recipient),
            date=when.date,
            date_start=when.start,
            date_end=when.end,
            date_is_publication=when.is_publication,
            location=where,
            evidence=Evidence(
                sentence=candidate.sentence.text,
                start=candidate.sentence.start,
                end=candidate.sentence.end,
                trigger=candidate.trigger.text,
                trigger_start=candidate.trigger.start,
                trigger_end=candidate.trigger.end,
            ),
            confidence=candidate.confidence,
        )


def event_id(document: Document, candidate: EventCandidate) -> str:
    """Stable id: the same event read from the same document always gets the same id."""
    parts = [
        document.source or "",
        document.id,
        f"{candidate.sentence.start}-{candidate.sentence.end}",
        f"{candidate.trigger.start}-{candidate.trigger.end}",
        candidate.type.value,
        candidate.cameo or "",
        ",".join(sorted(e.code or e.name or e.text for e in candidate.actor)),
        ",".join(sorted(e.code or e.name or e.text for e in candidate.recipient)),
    ]
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()
    return "ev-" + digest[:16]


class ReadFailure(Record):
    """A document (or one record of a feed) that could not be read; the run goes on."""

    origin: str
    """``path`` or ``path:line``."""
    problem: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.problem}"


DocumentStatus = Literal["coded", "skipped", "failed"]


class CodedDocument(Record):
    """What coding one document produced: the document, its events, and how it went."""

    document: Document
    events: list[Event] = Field(default_factory=list)
    status: DocumentStatus = "coded"
    message: str | None = None
    """Why a document was skipped or failed (``language 'de' is not English``)."""


# --------------------------------------------------------------------------- store records


class StoredDocument(BaseModel):
    """A document's row in the store: who it is, how its coding went (without the body)."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: str | None = None
    title: str | None = None
    published: datetime | date | None = None
    url: str | None = None
    language: str | None = None
    source_name: str | None = None
    status: DocumentStatus
    message: str | None = None
    coded_at: datetime
    n_events: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.source or "", self.id)


class StoreStats(BaseModel):
    """Counts for a store: documents by status, events by type."""

    model_config = ConfigDict(frozen=True)

    documents: int
    events: int
    documents_by_status: dict[str, int]
    """Every status, zero included."""
    events_by_type: dict[str, int]
    """Only the types present, in PLOVER order."""


ReviewVerdict = Literal["correct", "wrong", "unsure"]
"""An analyst's judgement of a coded event."""

REVIEW_VERDICTS: tuple[ReviewVerdict, ...] = get_args(ReviewVerdict)


class Review(BaseModel):
    """One analyst's verdict on one event; an event's latest review is its current verdict."""

    model_config = ConfigDict(frozen=True)

    id: int
    event_id: str
    verdict: ReviewVerdict
    note: str | None = None
    reviewer: str | None = None
    created_at: datetime


ActorSource = Literal["user", "import", "learned"]


class ActorRoleRecord(BaseModel):
    """One role of a named actor as stored: who, which codes, when, and where it came from."""

    model_config = ConfigDict(frozen=True)

    name: str
    name_key: str
    """Normalized name (``actorkb.normalize_name``), the lookup key."""
    variants: tuple[str, ...] = ()
    kind: Literal["person", "agent"] = "person"
    title: str | None = None
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    start: date | None = None
    end: date | None = None
    source: ActorSource
    origin: str = ""
    """What wrote the row: the dictionary file name, ``learn`` or ``edit``."""
    provenance: str = ""
    """``file:line`` for imports; the documents (``source/id``) a role was learned from."""
    first_seen: date | None = None
    last_seen: date | None = None
    n_documents: int = 0
    note: str | None = None
    id: int | None = None
    """Row id, set when read back."""


class ActorSighting(BaseModel):
    """A person introduced with a title in one document (what the learning pass collects)."""

    model_config = ConfigDict(frozen=True)

    doc_source: str
    doc_id: str
    name: str
    name_key: str
    title: str | None = None
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    published: date | None = None


class ActorTombstone(BaseModel):
    """A name the user told eventwire to forget."""

    model_config = ConfigDict(frozen=True)

    name_key: str
    name: str
    note: str | None = None
    created_at: datetime


class Story(BaseModel):
    """Documents telling one story (#10): near-duplicates, and reports of the same happenings
    published close together in similar words."""

    story_id: str
    doc_ids: list[str]
    """Each ``source/id`` (``/id`` when the document has no source), oldest first."""
    title: str | None = None
    """The title of the story's first document that has one."""
    first_seen: str | None = None
    last_seen: str | None = None
    """Publication date-times (or coding times, for undated documents), ISO."""
    n_documents: int
    n_events: int
    """Distinct incidents reported in the story's documents (one happening counts once)."""


RelationKind = Literal["duplicate", "story"]


class RelatedDocument(BaseModel):
    """Another document of the same story, and how it is related to the one shown."""

    source: str
    id: str
    title: str | None = None
    published: str | None = None
    relation: RelationKind | None = None
    """``duplicate``/``story`` when directly linked; None when related through others."""
    similarity: float | None = None
    """Estimated Jaccard similarity of the direct link (shingles, or content words)."""


WatchUrlState = Literal["pending", "stored", "failed", "gone", "refused"]
"""``failed``: tried again next round (up to a few attempts); ``gone``: never again (HTTP 4xx,
over the size limit, no article text); ``refused``: robots.txt says no."""


class FeedState(BaseModel):
    """What a watched feed answered last: for conditional GET and for the report."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    checked_at: str | None = None
    status: str | None = None
    n_items: int = 0


class WatchedUrl(BaseModel):
    """An article address ``watch`` has seen, and what became of it."""

    url: str
    feed_url: str
    state: WatchUrlState
    attempts: int = 0
    doc_source: str | None = None
    doc_id: str | None = None
    message: str | None = None
