"""People of the knowledge files and their offices: names normalised, roles dated, one index
per Knowledge, lookups by name and date."""

from __future__ import annotations

import calendar
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from eventwire.errors import KnowledgeError
from eventwire.knowledge import Knowledge, read_builtin_yaml

if TYPE_CHECKING:
    pass


logger = logging.getLogger(__name__)

PEOPLE_FILES: tuple[tuple[str, str], ...] = (
    ("people_heads.yaml", "builtin"),
    ("people_ministers.yaml", "builtin"),
    ("people_igo.yaml", "builtin"),
    ("people_groups.yaml", "builtin"),
    ("people_officials.yaml", "builtin"),
    ("people_private.yaml", "builtin"),
    ("people_local.yaml", "user"),
)
"""Files read, in order; a person in ``people_local.yaml`` (shipped empty, for the user's own
additions) replaces a built-in person of the same name."""


CODES_FILE = "actorkb_codes.yaml"


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


_ROMAN = re.compile(r"^[ivx]+$")


APOSTROPHES = "'’‘`ʼʻʿʾ´"
"""Marks that write an apostrophe in names ("Sa'ar", "O’Brien", "Saʿar")."""


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
    documents: int = 0
    """For a learned role: how many documents introduced the person with it."""
    provenance: str = ""
    """Where the role comes from: a knowledge file, ``dictionary:line``, or document ids."""

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


@lru_cache(maxsize=1 << 17)
def normalize_name(text: str) -> str:
    """Case, diacritics, hyphens, apostrophes and 'al-' particles do not distinguish names.

    Cached: snapshots normalize tens of thousands of dictionary names, coding the same few.
    """
    text = text.strip()
    if len(text) > 2 and text[-2] in APOSTROPHES and text[-1] in "sS":
        text = text[:-2]  # a possessive: Assad's
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("ı", "i").replace("ø", "o").replace("ł", "l").replace("đ", "d")
    plain = plain.replace("ß", "ss").casefold()
    for mark in APOSTROPHES:
        plain = plain.replace(mark, "")
    plain = re.sub(r"[^\w]+", " ", plain).replace("_", " ")
    particles = _particles()
    tokens = [t for t in plain.split() if t not in particles]
    return " ".join(tokens)


@lru_cache(maxsize=1)
def _particles() -> frozenset[str]:
    # Names are the store's lookup keys, so they are normalised the same way whatever the
    # user's knowledge folder holds: the particles are read from the built-in file only.
    return frozenset(read_builtin_yaml(CODES_FILE).get("name_particles", []))


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
    by_surname: bool = True
    """Whether the bare last word of the name finds the person (``full_name_files``)."""


def _file_people(knowledge: Knowledge, filename: str, source: str) -> list[Person]:
    """The people of one knowledge file (``full_name_files`` decides ``by_surname``)."""
    full_only = knowledge.yaml(CODES_FILE).get("full_name_files") or []
    return [
        Person(
            entry["name"],
            tuple(str(v) for v in entry.get("variants") or []),
            entry.get("surname"),
            _person_roles(entry, source, filename),
            filename not in full_only,
        )
        for entry in knowledge.yaml(filename) or []
    ]


def load_people(knowledge: Knowledge) -> dict[str, Person]:
    """All people of the knowledge files by canonical name (the user's file wins)."""
    return {
        person.name: person
        for filename, source in PEOPLE_FILES
        for person in _file_people(knowledge, filename, source)
    }


def _surname(name: str, no_surname: frozenset[str], given: frozenset[str]) -> str | None:
    """Last word of a name, unless the name is patronymic ('Mohammed bin Salman') or the
    word is far more often a given name ('Jawar Mohammed': a bare 'Mohammed' is not him)."""
    tokens = normalize_name(name).split()
    if len(tokens) < 2 or no_surname.intersection(tokens[1:-1]) or _ROMAN.match(tokens[-1]):
        return None
    return None if tokens[-1] in given else tokens[-1]


def _build_index(people: Iterable[tuple[str, Person]], codes: Mapping[str, Any]) -> _Index:
    """Name tiers over people keyed by a unique id (the canonical name, for the files)."""
    full: dict[str, set[str]] = defaultdict(set)
    short: dict[str, set[str]] = defaultdict(set)
    auto: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, tuple[PersonRole, ...]] = {}
    no_surname = frozenset(codes.get("no_surname_markers", []))
    given = frozenset(normalize_name(w) for w in codes.get("given_names", []))
    for key, person in people:
        roles[key] = person.roles
        if person.surname:
            short[normalize_name(person.surname)].add(key)
        for spelling in (person.name, *person.variants):
            norm = normalize_name(spelling)
            if not norm:
                continue
            (full if " " in norm else short)[norm].add(key)
            guessed = person.by_surname and not person.surname
            surname = _surname(spelling, no_surname, given) if guessed else None
            if surname:
                auto[surname].add(key)
    rank = tuple(str(t).casefold() for t in codes.get("title_rank", []))
    return _Index(
        roles=roles,
        full={k: frozenset(v) for k, v in full.items()},
        short={k: frozenset(v) for k, v in short.items()},
        auto={k: frozenset(v) for k, v in auto.items()},
        rank=rank,
    )


def index_of(knowledge: Knowledge) -> _Index:
    """The people of ``knowledge``'s files, indexed by name (built once per Knowledge)."""
    return knowledge.derived("actorkb.index", _build_file_index)


def _build_file_index(knowledge: Knowledge) -> _Index:
    index = _build_index(load_people(knowledge).items(), knowledge.yaml(CODES_FILE))
    logger.debug("actor KB indexed: %d people", len(index.roles))
    return index


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


def _tiered(index: _Index, key: str) -> tuple[str, frozenset[str]]:
    """Which tier knows the normalized name (``full``/``short``/``auto``) and its people."""
    if not key:
        return "", frozenset()
    # The first tier that knows the key decides: a full name beats a declared one-word
    # variant ("Abbas" is Mahmoud Abbas), which beats a guessed surname.
    for tier, table in (("full", index.full), ("short", index.short), ("auto", index.auto)):
        if key in table:
            return tier, table[key]
    return "", frozenset()


def _candidates(index: _Index, name: str) -> frozenset[str]:
    return _tiered(index, normalize_name(name))[1]


def known_only_as_surname(knowledge: Knowledge, name: str) -> bool:
    """Whether ``name`` is known only as the last word of someone's name (a guessed surname,
    not a full name or a declared variant): after a given name the text does not share with
    that person, it is someone else's surname ("Kenzo Oshima" is not Tadamori Oshima).
    Reads ``knowledge.actors`` where a store's snapshot is active."""
    key = normalize_name(name)
    if knowledge.actors is not None:
        return knowledge.actors.tier(key) == "auto"
    return _tiered(index_of(knowledge), key)[0] == "auto"


def person_roles(knowledge: Knowledge, name: str) -> list[PersonRole]:
    """Every role of the person a name (or unambiguous variant/surname) denotes, oldest first."""
    index = index_of(knowledge)
    people = _candidates(index, name)
    if len(people) != 1:
        return []
    return list(index.roles[next(iter(people))])


def lookup_person(knowledge: Knowledge, name: str, on: date | None = None) -> PersonRole | None:
    """The role a named person held on ``on`` (latest role if no date); None if unknown or idle.

    A name shared by several people resolves only when exactly one of them held office on
    that date; otherwise None (we do not guess).

    When ``knowledge.actors`` holds a store's snapshot, the answer comes from that layered
    knowledge instead (user edits, built-in files, imported dictionaries, corpus memory).
    """
    if knowledge.actors is not None:
        return knowledge.actors.lookup(name, on).role
    index = index_of(knowledge)
    active: dict[str, list[PersonRole]] = {}
    for person in _candidates(index, name):
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


def took_office_by(knowledge: Knowledge, name: str, on: date) -> bool:
    """Whether ``name`` is one known person whose first office began on or before ``on``: a
    former president is still that person ("Trump" in 2023); before any office the name may
    be someone else's. Reads ``knowledge.actors`` where a store's snapshot is active."""
    if lookup_person(knowledge, name) is None:
        return False  # unknown, or shared by several people
    if knowledge.actors is not None:
        roles = [r for found in knowledge.actors.roles(name).values() for r in found]
    else:
        roles = person_roles(knowledge, name)
    return any(r.start is not None and r.start <= on for r in roles)


def kb_stats(knowledge: Knowledge) -> dict[str, int]:
    """Size of the knowledge base, for logs and benchmarks."""
    index = index_of(knowledge)
    all_roles = [r for roles in index.roles.values() for r in roles]
    return {
        "people": len(index.roles),
        "roles": len(all_roles),
        "igo_chiefs": len({r.name for r in all_roles if r.sector == "IGO"}),
        "group_leaders": len({r.name for r in all_roles if r.sector == "REB"}),
        "countries": len({r.country for r in all_roles if r.country}),
    }


def describe_role(role: PersonRole) -> str:
    """One line for a role: who, title, codes, period, and where it comes from."""
    codes = f"{role.country or '-'}/{role.sector or '-'}" + (f" ({role.org})" if role.org else "")
    period = f"{role.start or '…'}..{role.end or '…'}"
    text = f"{role.name}: {role.title or '(no title)'} {codes} {period}"
    if role.documents:
        text += f", {role.documents} document(s)"
    if role.provenance:
        text += f" [{role.provenance}]"
    return text


_Layer = tuple[tuple[str, Person], ...]


def file_layers(knowledge: Knowledge) -> tuple[_Layer, _Layer]:
    """People of the knowledge files: the user's file and the built-in ones (once per Knowledge)."""
    return knowledge.derived("actorkb.file_layers", _build_file_layers)


def _build_file_layers(knowledge: Knowledge) -> tuple[_Layer, _Layer]:
    """People of the knowledge files split into the user's file and the built-in ones.

    A person in the user's file replaces the built-in person of the same name.
    """
    user_files = {filename for filename, source in PEOPLE_FILES if source == "user"}
    user = [
        (person.name, person)
        for filename in sorted(user_files)
        for person in _file_people(knowledge, filename, "user")
    ]
    replaced = {name for name, _ in user}
    builtin = tuple(
        (name, person)
        for name, person in load_people(knowledge).items()
        if name not in replaced and all(r.source == "builtin" for r in person.roles)
    )
    return tuple(user), builtin
