"""The shape of every knowledge file, as pydantic models: checked when ``Knowledge`` loads.

Every model forbids unknown keys, so a misspelt key (which used to turn a rule off silently)
is an error naming the file and the key. Defaults live here, once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, model_validator

from eventwire.errors import KnowledgeError

EventTypeName = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]  # fmt: skip
Words = list[str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# --------------------------------------------------------------------------- triggers.yaml


class TriggerEntry(_Strict):
    id: str
    lemmas: Words
    type: EventTypeName
    examples: Words = Field(min_length=1)
    pos: Words | None = None
    mode: str | None = None
    cameo: str | None = None
    context: Words | None = None
    objects: Words | None = None
    objects_not: Words | None = None
    subjects: Words | None = None
    subjects_not: Words | None = None
    particle: Words | None = None
    particle_objects: Words | None = None
    bare_particle: bool | None = None
    recipient_preps: Words | None = None
    actor_preps: Words | None = None
    complement_recipient_preps: Words | None = None
    object_recipient: bool | None = None
    dative_recipient: bool | None = None
    mutual: bool | None = None
    swap: bool | None = None
    complement: bool | None = None
    needs_object: bool | None = None
    not_question: bool | None = None
    needs_object_party: bool | None = None
    needs_recipient: bool | None = None
    needs_recipient_or_plural: bool | None = None
    actor_sectors: Words | None = None
    needs_complement: bool | None = None
    needs_actor_prep: bool | None = None
    not_naming: bool | None = None
    specific: bool | None = None
    stative: bool | None = None


class DerivedEvent(_Strict):
    type: EventTypeName
    cameo: str


class Refusal(_Strict):
    types: list[EventTypeName]
    auxiliaries: Words
    verbs: Words
    cameo: str


class Confidence(_Strict):
    prior: float = Field(gt=0, lt=1)
    reliability: dict[str, dict[str, float]]


class TriggerSettings(_Strict):
    derived_events: dict[str, DerivedEvent]
    pronouns: Words
    speech_verbs: Words
    future_modals: Words
    hypothetical_modals: Words
    reported_future_modals: Words
    conditional_marks: Words
    question_marks: Words = Field(default_factory=list)
    question_preps: Words = Field(default_factory=list)
    wish_verbs: Words
    opening_quotes: Words
    habitual_adverbs: Words
    habitual_span_preps: Words
    habitual_span_nouns: Words
    background_preps: Words
    background_marks: Words
    manner_preps: Words
    quantity_nouns: Words
    negators: Words
    failure_verbs: Words
    no_comment_verbs: Words = Field(default_factory=list)
    no_comment_complements: Words = Field(default_factory=list)
    no_comment_objects: Words = Field(default_factory=list)
    speaker_types: list[EventTypeName]
    future_to_agree: dict[EventTypeName, str]
    future_to_threaten: dict[EventTypeName, str]
    threat_modes: dict[EventTypeName, str]
    conditional_threat_types: list[EventTypeName]
    conditional_threat_modals: Words
    hostile_complement_types: list[EventTypeName]
    sport_guard_types: list[EventTypeName]
    sport_words: Words
    conditional_threat_cameo: dict[EventTypeName, str]
    purpose_clause_types: list[EventTypeName]
    assembly_verbs: Words
    partnership_words: Words
    quote_recipient_preps: Words
    merge_groups: list[list[EventTypeName]]
    complement_modes: dict[EventTypeName, dict[EventTypeName, str]]
    obligation_modals: Words
    obligation_stance_verbs: Words
    attribution_preps: Words
    proposal_nouns: Words
    proposal_source_preps: Words
    request_object_preps: Words
    confidence: Confidence
    refusal: Refusal
    proposition_lemmas: Words
    statement_nouns: Words
    addressee_types: list[EventTypeName]
    content_only_rules: Words
    boundary_nouns: Words
    location_recipient_types: list[EventTypeName]
    location_recipient_preps: Words
    locative_preps: Words
    possessor_recipient_types: list[EventTypeName]
    fallback_recipient_preps: dict[EventTypeName, Words]
    scope_recipient_types: list[EventTypeName]
    scope_max_depth: int = Field(ge=1)
    threat_cameo: str
    partitive_preps: Words
    agent_preps: Words
    boundary_across_preps: Words
    boundary_preps: Words
    addressee_preps: Words
    first_person_plural: Words
    future_with_to: Words
    scope_skip_preps: Words
    domestic_recipient_types: list[EventTypeName]
    domestic_place_preps: Words
    generic_recipient_preps: Words
    domestic_fallback_skip: dict[EventTypeName, Words]


class TriggersFile(_Strict):
    settings: TriggerSettings
    mode_keywords: dict[EventTypeName, dict[str, Words]]
    triggers: list[TriggerEntry]


# --------------------------------------------------------------------------- events: codebook


class PloverType(_Strict):
    quad: Literal[
        "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"
    ]
    score: float = Field(ge=-10, le=10)
    modes: dict[str, float] = Field(default_factory=dict)


class PloverFile(_Strict):
    types: dict[EventTypeName, PloverType]
    cameo: dict[str, tuple[EventTypeName, str | None]]


class ContextsFile(_Strict):
    keywords: dict[str, Words]
    diplomatic_default_types: list[EventTypeName]
    government_sectors: Words


# --------------------------------------------------------------------------- actors


class AttachedPhrases(_Strict):
    location: Words
    membership: Words
    origin: Words = Field(default_factory=list)
    origin_verbs: Words = Field(default_factory=list)
    stationed_sectors: Words
    service: Words = Field(default_factory=list)
    serving_roles: Words = Field(default_factory=list)
    brief_roles: Words = Field(default_factory=list)


class PatronMarks(_Strict):
    after: Words
    before: Words
    unhyphenated: Words = Field(default_factory=list)
    leads: Words = Field(default_factory=list)


class ChannelMarks(_Strict):
    sectors: Words
    addressed_by: Words
    to_after: Words = Field(default_factory=list)
    with_after: Words = Field(default_factory=list)
    by_after: Words = Field(default_factory=list)


class SharedName(_Strict):
    names: Words
    countries: Words


class ActorReferencesFile(_Strict):
    person_pronouns: dict[str, str]
    gendered_words: dict[Literal["male", "female"], Words] = Field(default_factory=dict)
    honorifics: dict[Literal["male", "female", "none"], Words] = Field(default_factory=dict)
    plural_pronouns: Words
    quantifiers: dict[str, int]
    distributive: Words
    group_nouns: dict[str, Words]
    country_nouns: Words
    definite_determiners: Words
    speech_verbs: Words
    first_person_plural: Words
    first_person_possessives: Words
    first_person_country_nouns: Words
    title_connectors: Words
    coordinators: Words
    attached_phrases: AttachedPhrases
    patron_marks: PatronMarks = Field(default_factory=lambda: PatronMarks(after=[], before=[]))
    channel_marks: ChannelMarks | None = None
    placeless_sectors: Words
    stateless_sectors: Words
    minority_markers: Words
    stateless_peoples: Words = Field(default_factory=list)
    party_countries: dict[str, Words] = Field(default_factory=dict)
    party_role_sectors: Words = Field(default_factory=list)
    shared_names: list[SharedName]


class ActorKbCodesFile(_Strict):
    sectors: Words
    org_types: Words
    cameo_countries: Words
    cameo_sector_map: dict[str, str]
    title_rank: Words
    name_particles: Words
    no_surname_markers: Words
    given_names: Words = Field(default_factory=list)
    full_name_files: Words = Field(default_factory=list)


class Seat(_Strict):
    name: str
    country: str
    sector: str


class GovernmentSeatsFile(_Strict):
    seats: list[Seat]


class Governs(_Strict):
    """A group that became a state's government: from ``since`` on it acts for ``country``."""

    country: str
    since: date
    sector: str = "GOV"
    """What the group's own mentions become (its people keep their sector)."""


class Organisation(_Strict):
    name: str
    aliases: Words
    sector: str
    kind: str
    country: str | None = None
    based_in: str | None = None
    governs: Governs | None = None


class OrganisationsFile(_Strict):
    organisations: list[Organisation]


class SectorEntry(_Strict):
    plural_kind: Literal["group", "population"]
    person: Words
    body: Words


class ArmedGroupNames(_Strict):
    marks: Words
    heads: Words


class SectorsFile(_Strict):
    generic: Words
    sectors: dict[str, SectorEntry]
    neutral_person: Words
    title_modifiers: Words
    ranks: dict[str, Words]
    organisation_heads: dict[str, Words]
    armed_group_names: ArmedGroupNames | None = None


KbDate = date | int | str | None


class Role(_Strict):
    title: str
    sector: str
    country: str | None = None
    org: str | None = None
    start: KbDate = None
    end: KbDate = None


class PersonEntry(_Strict):
    name: str = Field(min_length=1)
    variants: Words = Field(default_factory=list)
    surname: str | None = None
    roles: list[Role]


class PeopleFile(RootModel[list[PersonEntry] | None]):
    pass


class CountryRow(_Strict):
    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    name: str = Field(min_length=1)
    aliases: str
    adjectives: str
    nationals: str
    capital: str


class CountriesFile(RootModel[list[CountryRow]]):
    pass


# --------------------------------------------------------------------------- places, dates, ingest


class Region(_Strict):
    name: str
    aliases: Words
    country: str | None
    lat: float | None
    lon: float | None


class StruckPlaces(_Strict):
    types: list[EventTypeName]
    words: Words
    by_type: dict[EventTypeName, Words] = Field(default_factory=dict)
    followers: Words


class Divisions(_Strict):
    generic_words: Words
    water_words: Words
    articles: Words = Field(default_factory=list)


CONTEXT_FEATURES: tuple[str, ...] = (
    "place_alone", "placed_here", "named_alone", "named_here", "most_named",
    "second_most_named", "share", "log_count", "other_party_here", "recency_before",
    "recency_after", "in_lead", "first_named", "nationality_share", "nationality_here",
    "person_place_alone", "person_most_named", "person_recency_before",
    "person_nationality_share", "person_other_party_here",
)  # fmt: skip
"""What the context chooser reads of each country a document names (``actors.context``)."""


class ContextTraining(_Strict):
    command: str
    data: str
    choices: int = Field(ge=0)
    dev_right: str
    dev_right_current: str


class ContextCountriesFile(_Strict):
    trained: ContextTraining | None = None
    weights: dict[str, float]

    @model_validator(mode="after")
    def _every_feature_once(self) -> ContextCountriesFile:
        missing = [n for n in CONTEXT_FEATURES if n not in self.weights]
        unknown = [n for n in self.weights if n not in CONTEXT_FEATURES]
        if missing or unknown:
            raise ValueError(
                f"weights must name each feature once: missing {missing}, unknown {unknown}"
            )
        return self


class PlacesFile(_Strict):
    locating_prepositions: Words
    spreading_prepositions: Words
    visiting_verbs: Words
    admin_words: Words
    area_words: Words
    naming_words: Words = Field(default_factory=list)
    topic_nouns: Words
    clause_breaks: Words
    statement_types: Words = Field(default_factory=list)
    occasion_nouns: Words = Field(default_factory=list)
    datelines: Words
    struck_places: StruckPlaces | None = None
    aliases: dict[str, str]
    prefer: dict[str, str]
    capital_weight: int
    regions: list[Region]
    divisions: Divisions | None = None


class TimeExpressionEntry(_Strict):
    name: str
    kind: str
    regex: str
    offset: int | None = None
    days: int | None = None
    tense: str | None = None
    trust: str | None = None
    requires_any: Words | None = None


class SceneWords(_Strict):
    anchoring: Words
    continuing: Words


class TimeExpressionsFile(_Strict):
    vocabulary: dict[str, dict[str, Any]]
    expressions: list[TimeExpressionEntry]
    bounds: Words
    scene: SceneWords
    portions: dict[str, dict[str, tuple[int, int]]]


class Normalise(_Strict):
    pattern: str
    replace: str = ""


class Published(_Strict):
    normalise: list[Normalise] = Field(default_factory=list)
    formats: Words = Field(default_factory=list)


class Layout(_Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    header: Words = Field(min_length=1)
    title_line: bool = True
    source: str | None = None
    datelines: Words | None = None
    furniture: Words | None = None


class HeaderShapes(_Strict):
    """Header lines of pages of unknown layouts, by shape (#9)."""

    max_lines: int = Field(default=8, ge=1)
    title_max_words: int = Field(default=25, ge=1)
    id: Words = Field(default_factory=list)
    date: Words = Field(default_factory=list)
    dateline: Words = Field(default_factory=list)
    furniture: Words = Field(default_factory=list)


class PageLayoutsFile(_Strict):
    sources: dict[str, str] = Field(default_factory=dict)
    published: Published = Field(default_factory=Published)
    datelines: Words = Field(default_factory=list)
    furniture: Words = Field(default_factory=list)
    layouts: list[Layout] = Field(default_factory=list)
    header_shapes: HeaderShapes | None = None


SCHEMAS: dict[str, type[BaseModel]] = {
    "actor_references.yaml": ActorReferencesFile,
    "actorkb_codes.yaml": ActorKbCodesFile,
    "context_countries.yaml": ContextCountriesFile,
    "contexts.yaml": ContextsFile,
    "countries.csv": CountriesFile,
    "government_seats.yaml": GovernmentSeatsFile,
    "organisations.yaml": OrganisationsFile,
    "page_layouts.yaml": PageLayoutsFile,
    "people_groups.yaml": PeopleFile,
    "people_heads.yaml": PeopleFile,
    "people_igo.yaml": PeopleFile,
    "people_local.yaml": PeopleFile,
    "people_ministers.yaml": PeopleFile,
    "people_officials.yaml": PeopleFile,
    "people_private.yaml": PeopleFile,
    "places.yaml": PlacesFile,
    "plover.yaml": PloverFile,
    "sectors.yaml": SectorsFile,
    "time_expressions.yaml": TimeExpressionsFile,
    "triggers.yaml": TriggersFile,
}
"""Every knowledge file and its schema: a file not listed here cannot be loaded."""


def _where(loc: tuple[int | str, ...], data: Any) -> str:
    """A readable key path, naming entries by their id or name where they have one."""
    parts: list[str] = []
    node = data
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
            label = node.get("id") or node.get("name") if isinstance(node, dict) else None
            parts.append(f"[{step}]" + (f" ({label})" if label else ""))
        else:
            node = node.get(step) if isinstance(node, dict) else None
            parts.append(f".{step}" if parts else str(step))
    return "".join(parts) or "(top level)"


def check(name: str, data: Any, path: Path) -> Any:
    """``data`` as parsed from ``path`` if it fits the schema of ``name``; else KnowledgeError.

    Returns the parsed data unchanged (plain dicts and lists, as the stages read them): the
    schema is a check, not a conversion.
    """
    schema = SCHEMAS.get(name)
    if schema is None:
        raise KnowledgeError(f"{path}: unknown knowledge file {name!r}")
    try:
        schema.model_validate(data)
    except ValidationError as exc:
        problems = []
        # an unknown key first: it is the likely cause of a "field required" beside it
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        for error in errors[:5]:
            key = _where(tuple(error["loc"]), data)
            if error["type"] == "extra_forbidden":
                problems.append(f"unknown key {key!r}")
            else:
                problems.append(f"{key}: {error['msg']}")
        more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise KnowledgeError(f"{path}: " + "; ".join(problems) + more) from None
    return data
