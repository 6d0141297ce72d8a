"""Who held which office when: the built-in actor knowledge base of named people.

A news sentence says "Lavrov" or "Erdoğan"; coding it needs the country and sector that person
stood for *on the event's date* (Erdoğan was Turkey's prime minister, then its president; a
former minister is no longer GOV). The facts live in ``knowledge/people_*.yaml``; this module
indexes them once per process and answers lookups by name and date.
"""

from __future__ import annotations

import calendar
import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from eventwire.errors import KnowledgeError
from eventwire.knowledge import load_yaml
from eventwire.petrarch_dict import ImportedActor

logger = logging.getLogger(__name__)

PEOPLE_FILES: tuple[tuple[str, str], ...] = (
    ("people_heads.yaml", "builtin"),
    ("people_ministers.yaml", "builtin"),
    ("people_igo.yaml", "builtin"),
    ("people_groups.yaml", "builtin"),
    ("people_local.yaml", "user"),
)
"""Files read, in order; a person in ``people_local.yaml`` (shipped empty, for the user's own
additions) replaces a built-in person of the same name."""
CODES_FILE = "actorkb_codes.yaml"
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_ROMAN = re.compile(r"^[ivx]+$")
_APOSTROPHES = "'’‘`ʼʻʿʾ´"


@dataclass(frozen=True)
class PersonRole:
    """One office a person held: what country/sector it codes to, and between which dates."""

    name: str
    title: str
    country: str | None
    sector: str | None
    org: str | None
    start: date | None
    end: date | None
    """Last day in office (month- or year-precision ends are stretched to the period's end)."""
    source: str = "builtin"
    """``builtin``, ``import`` (from a CAMEO dictionary), ``learned`` or ``user``."""

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class _Index:
    roles: dict[str, tuple[PersonRole, ...]]
    """Canonical name -> that person's roles, oldest first."""
    full: dict[str, frozenset[str]]
    """Normalized full name or multi-word variant -> canonical names."""
    short: dict[str, frozenset[str]]
    """Normalized one-word variant or declared ``surname`` -> canonical names."""
    auto: dict[str, frozenset[str]]
    """Last word of a name or variant (a guessed surname) -> canonical names."""
    rank: tuple[str, ...]


def normalize_name(text: str) -> str:
    """Case, diacritics, hyphens, apostrophes and 'al-' particles do not distinguish names."""
    text = text.strip()
    if len(text) > 2 and text[-2] in _APOSTROPHES and text[-1] in "sS":
        text = text[:-2]  # a possessive: Assad's
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("ı", "i").replace("ø", "o").replace("ł", "l").replace("đ", "d")
    plain = plain.replace("ß", "ss").casefold()
    for mark in _APOSTROPHES:
        plain = plain.replace(mark, "")
    plain = re.sub(r"[^\w]+", " ", plain).replace("_", " ")
    particles = _particles()
    tokens = [t for t in plain.split() if t not in particles]
    return " ".join(tokens)


@lru_cache(maxsize=1)
def _particles() -> frozenset[str]:
    return frozenset(load_yaml(CODES_FILE).get("name_particles", []))


def parse_kb_date(value: Any, *, end: bool = False) -> date | None:
    """YAML date, ``YYYY-MM`` or ``YYYY``: partial starts open the period, ends close it."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value).strip())
    if match is None:
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else (12 if end else 1)
    if match.group(3):
        return date(year, month, int(match.group(3)))
    day = calendar.monthrange(year, month)[1] if end else 1
    return date(year, month, day)


def _person_roles(entry: dict[str, Any], source: str, where: str) -> tuple[PersonRole, ...]:
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise KnowledgeError(f"{where}: a person without a name")
    roles = []
    for role in entry.get("roles") or []:
        try:
            roles.append(
                PersonRole(
                    name=name,
                    title=str(role.get("title") or ""),
                    country=role.get("country"),
                    sector=role.get("sector"),
                    org=role.get("org"),
                    start=parse_kb_date(role.get("start")),
                    end=parse_kb_date(role.get("end"), end=True),
                    source=source,
                )
            )
        except (ValueError, AttributeError) as exc:
            raise KnowledgeError(f"{where}: {name}: bad role {role!r}: {exc}") from exc
    return tuple(sorted(roles, key=lambda r: r.start or date.min))


@dataclass(frozen=True)
class Person:
    """A person of the knowledge base: spellings, family name if given, and offices held."""

    name: str
    variants: tuple[str, ...]
    surname: str | None
    """Family name when it is not the last word (Chinese, Korean names: 'Xi Jinping')."""
    roles: tuple[PersonRole, ...]


def load_people() -> dict[str, Person]:
    """All people of the knowledge files by canonical name (the user's file wins)."""
    people: dict[str, Person] = {}
    for filename, source in PEOPLE_FILES:
        for entry in load_yaml(filename) or []:
            roles = _person_roles(entry, source, filename)
            variants = tuple(str(v) for v in entry.get("variants") or [])
            surname = entry.get("surname")
            people[entry["name"]] = Person(entry["name"], variants, surname, roles)
    return people


def _surname(name: str, no_surname: frozenset[str]) -> str | None:
    """Last word of a name, unless the name is patronymic ('Mohammed bin Salman')."""
    tokens = normalize_name(name).split()
    if len(tokens) < 2 or no_surname.intersection(tokens[1:-1]) or _ROMAN.match(tokens[-1]):
        return None
    return tokens[-1]


@lru_cache(maxsize=1)
def _index() -> _Index:
    full: dict[str, set[str]] = defaultdict(set)
    short: dict[str, set[str]] = defaultdict(set)
    auto: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, tuple[PersonRole, ...]] = {}
    codes = load_yaml(CODES_FILE)
    no_surname = frozenset(codes.get("no_surname_markers", []))
    for name, person in load_people().items():
        roles[name] = person.roles
        if person.surname:
            short[normalize_name(person.surname)].add(name)
        for spelling in (name, *person.variants):
            key = normalize_name(spelling)
            if not key:
                continue
            (full if " " in key else short)[key].add(name)
            surname = None if person.surname else _surname(spelling, no_surname)
            if surname:
                auto[surname].add(name)
    rank = tuple(str(t).casefold() for t in codes.get("title_rank", []))
    logger.debug("actor KB indexed: %d people", len(roles))
    return _Index(
        roles=roles,
        full={k: frozenset(v) for k, v in full.items()},
        short={k: frozenset(v) for k, v in short.items()},
        auto={k: frozenset(v) for k, v in auto.items()},
        rank=rank,
    )


def clear_cache() -> None:
    """Forget the index (after knowledge files change)."""
    _index.cache_clear()
    _particles.cache_clear()


def _seniority(role: PersonRole, rank: tuple[str, ...]) -> int:
    """Best position among rank words in the title, ignoring words inside longer matches.

    'Vice President' ranks as 'vice president', not 'president'; 'Prime Minister and
    Foreign Minister' ranks as 'prime minister'.
    """
    title = role.title.casefold()
    found = [word for word in rank if word in title]
    kept = [w for w in found if not any(w != other and w in other for other in found)]
    return min((rank.index(word) for word in kept), default=len(rank))


def _best(roles: list[PersonRole], rank: tuple[str, ...]) -> PersonRole:
    """The most senior role; among equals, the one that started last."""
    return min(roles, key=lambda r: (_seniority(r, rank), -(r.start or date.min).toordinal()))


def _candidates(name: str) -> frozenset[str]:
    index = _index()
    key = normalize_name(name)
    if not key:
        return frozenset()
    # The first tier that knows the key decides: a full name beats a declared one-word
    # variant ("Abbas" is Mahmoud Abbas), which beats a guessed surname.
    for tier in (index.full, index.short, index.auto):
        if key in tier:
            return tier[key]
    return frozenset()


def person_roles(name: str) -> list[PersonRole]:
    """Every role of the person a name (or unambiguous variant/surname) denotes, oldest first."""
    people = _candidates(name)
    if len(people) != 1:
        return []
    return list(_index().roles[next(iter(people))])


def lookup_person(name: str, on: date | None = None) -> PersonRole | None:
    """The role a named person held on ``on`` (latest role if no date); None if unknown or idle.

    A name shared by several people resolves only when exactly one of them held office on
    that date; otherwise None (we do not guess).
    """
    index = _index()
    active: dict[str, list[PersonRole]] = {}
    for person in _candidates(name):
        roles = [r for r in index.roles[person] if on is None or r.covers(on)]
        if roles:
            active[person] = roles
    if len(active) != 1:
        return None
    roles = next(iter(active.values()))
    if on is None:
        latest = max(r.start or date.min for r in roles)
        roles = [r for r in roles if (r.start or date.min) == latest]
    return _best(roles, index.rank)


def kb_stats() -> dict[str, int]:
    """Size of the knowledge base, for logs and benchmarks."""
    index = _index()
    all_roles = [r for roles in index.roles.values() for r in roles]
    return {
        "people": len(index.roles),
        "roles": len(all_roles),
        "igo_chiefs": len({r.name for r in all_roles if r.sector == "IGO"}),
        "group_leaders": len({r.name for r in all_roles if r.sector == "REB"}),
        "countries": len({r.country for r in all_roles if r.country}),
    }


def roles_from_imported(actor: ImportedActor, *, source: str = "import") -> list[PersonRole]:
    """Dated codes of a dictionary actor as roles (undated default codes are not offices)."""
    sector_map = load_yaml(CODES_FILE).get("cameo_sector_map", {})
    return [
        PersonRole(
            name=actor.name.title(),
            title=code.code,
            country=code.country,
            sector=sector_map.get(code.sector, code.sector),
            org=code.org,
            start=code.start,
            end=code.end,
            source=source,
        )
        for code in actor.dated_codes
    ]
