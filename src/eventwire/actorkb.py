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
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from eventwire.errors import KnowledgeError
from eventwire.knowledge import Knowledge, read_builtin_yaml
from eventwire.petrarch_dict import (
    ImportedActor,
    ImportedAgent,
    ParseProblem,
    parse_actor_dictionary,
    parse_agent_dictionary,
)

if TYPE_CHECKING:
    from eventwire.models import ActorRoleRecord
    from eventwire.store import Store

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


def load_people(knowledge: Knowledge) -> dict[str, Person]:
    """All people of the knowledge files by canonical name (the user's file wins)."""
    people: dict[str, Person] = {}
    for filename, source in PEOPLE_FILES:
        for entry in knowledge.yaml(filename) or []:
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


def _build_index(people: Iterable[tuple[str, Person]], codes: Mapping[str, Any]) -> _Index:
    """Name tiers over people keyed by a unique id (the canonical name, for the files)."""
    full: dict[str, set[str]] = defaultdict(set)
    short: dict[str, set[str]] = defaultdict(set)
    auto: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, tuple[PersonRole, ...]] = {}
    no_surname = frozenset(codes.get("no_surname_markers", []))
    for key, person in people:
        roles[key] = person.roles
        if person.surname:
            short[normalize_name(person.surname)].add(key)
        for spelling in (person.name, *person.variants):
            norm = normalize_name(spelling)
            if not norm:
                continue
            (full if " " in norm else short)[norm].add(key)
            surname = None if person.surname else _surname(spelling, no_surname)
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


def roles_from_imported(actor: ImportedActor, *, source: str = "import") -> list[PersonRole]:
    """Dated codes of a dictionary actor as roles (undated default codes are not offices)."""
    sector_map = read_builtin_yaml(CODES_FILE).get("cameo_sector_map", {})
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


# --------------------------------------------------------------------------- layered knowledge

Layer = Literal["user", "builtin", "import", "learned"]
LAYER_ORDER: tuple[Layer, ...] = ("user", "builtin", "import", "learned")
"""Precedence among knowledge sources, strongest first. The document's own titles sit between
``user`` and ``builtin``: actors.py applies them before any lookup and asks
``ActorKnowledge.user_override`` first."""
DECISIVE_WHEN_IDLE: frozenset[str] = frozenset({"builtin"})
"""Layers whose "known, but held no office that day" is final: the built-in files are curated
and current, while imported dictionaries stop in 2014 and user edits only add."""
LEARNED_MARGIN_DAYS = 365
"""A learned role was seen between two publication dates; it is also used this many days
before and after them (the nearest learned role wins), since corpus memory exists to code
mentions in *other* documents."""


@dataclass(frozen=True)
class Resolution:
    """The answer to "who is NAME on D", with the source that decided and why."""

    role: PersonRole | None
    source: str
    """The layer that decided (``user``, ``builtin``, ``import``, ``learned``), ``forgotten``
    (the user told eventwire to forget the name) or ``none``."""
    explanation: tuple[str, ...] = ()
    """One line per layer consulted, in precedence order."""


@dataclass(frozen=True)
class _Answer:
    status: Literal["unknown", "idle", "ambiguous", "found"]
    tier: str = ""
    role: PersonRole | None = None
    detail: str = ""


def _distance(role: PersonRole, on: date) -> int:
    """Days from ``on`` to the role's period (0 inside it)."""
    if role.start is not None and on < role.start:
        return (role.start - on).days
    if role.end is not None and on > role.end:
        return (on - role.end).days
    return 0


def _best_role(roles: list[PersonRole], rank: tuple[str, ...], by_evidence: bool) -> PersonRole:
    """Most senior (or, for corpus memory, best attested) role; then the latest start."""
    return min(
        roles,
        key=lambda r: (
            -r.documents if by_evidence else 0,
            _seniority(r, rank),
            -(r.start or date.min).toordinal(),
            r.country or "",
            r.sector or "",
            r.org or "",
        ),
    )


def _layer_answer(index: _Index, key: str, on: date | None, *, margin_days: int = 0) -> _Answer:
    """What one layer says about a normalized name on a date."""
    tier, people = _tiered(index, key)
    if not people:
        return _Answer("unknown")
    by_evidence = margin_days > 0
    picks: dict[str, PersonRole] = {}
    for person in sorted(people):
        roles = list(index.roles[person])
        if not roles:
            continue
        if on is None:
            latest = max(r.start or date.min for r in roles)
            chosen = [r for r in roles if (r.start or date.min) == latest]
        else:
            chosen = [r for r in roles if r.covers(on)]
            if not chosen and margin_days:
                near = [(d, r) for r in roles if (d := _distance(r, on)) <= margin_days]
                if near:
                    closest = min(d for d, _ in near)
                    chosen = [r for d, r in near if d == closest]
        if chosen:
            picks[person] = _best_role(chosen, index.rank, by_evidence)
    if not picks:
        when = f"on {on}" if on else "at any date"
        return _Answer("idle", tier, detail=f"{len(people)} known by that name, no role {when}")
    codes = {(r.country, r.sector, r.org) for r in picks.values()}
    if len(codes) > 1:
        names = ", ".join(sorted({r.name for r in picks.values()}))
        return _Answer("ambiguous", tier, detail=f"several people in office: {names}")
    return _Answer("found", tier, _best_role(list(picks.values()), index.rank, by_evidence))


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
    user: list[tuple[str, Person]] = []
    for filename in sorted(user_files):
        for entry in knowledge.yaml(filename) or []:
            roles = _person_roles(entry, "user", filename)
            variants = tuple(str(v) for v in entry.get("variants") or [])
            user.append(
                (entry["name"], Person(entry["name"], variants, entry.get("surname"), roles))
            )
    replaced = {name for name, _ in user}
    builtin = tuple(
        (name, person)
        for name, person in load_people(knowledge).items()
        if name not in replaced and all(r.source == "builtin" for r in person.roles)
    )
    return tuple(user), builtin


def _record_role(record: ActorRoleRecord) -> PersonRole:
    return PersonRole(
        name=record.name,
        title=record.title or "",
        country=record.country,
        sector=record.sector,
        org=record.org,
        start=record.start,
        end=record.end,
        source=record.source,
        documents=record.n_documents,
        provenance=record.provenance,
    )


class ActorKnowledge:
    """A read-only snapshot of what is known about named people, in layers of precedence.

    Build it ONCE before coding (``from_store``) and hand the same snapshot to every document
    and worker: coding then never depends on document order or on how work is split.
    Precedence: user edits > (the document's own titles, applied by actors.py) > built-in
    files > imported dictionaries > corpus memory; a role counts only inside its dates.
    """

    def __init__(
        self,
        layers: Mapping[str, Iterable[tuple[str, Person]]],
        *,
        forgotten: Iterable[str] = (),
        agents: Mapping[str, str] | None = None,
        learned_margin_days: int = LEARNED_MARGIN_DAYS,
        codes: Mapping[str, Any] | None = None,
    ) -> None:
        """``layers`` maps a layer name to (unique id, person) pairs; ``forgotten`` are names
        the user told eventwire to forget: no layer but ``user`` answers for them."""
        unknown = set(layers) - set(LAYER_ORDER)
        if unknown:
            raise ValueError(f"unknown knowledge layers {sorted(unknown)}; use {LAYER_ORDER}")
        if codes is None:
            codes = read_builtin_yaml(CODES_FILE)
        self._forgotten = frozenset(k for k in (normalize_name(n) for n in forgotten) if k)
        self._layers: dict[str, _Index] = {}
        for layer in LAYER_ORDER:
            if layer not in layers:
                continue
            people = [
                (key, person)
                for key, person in layers[layer]
                if layer == "user" or not self._mentions_forgotten(person)
            ]
            self._layers[layer] = _build_index(people, codes)
        self._agents = {normalize_name(k): v for k, v in (agents or {}).items()}
        self.learned_margin_days = learned_margin_days

    def _mentions_forgotten(self, person: Person) -> bool:
        if not self._forgotten:
            return False
        spellings = (person.name, *person.variants, person.surname or "")
        return any(normalize_name(s) in self._forgotten for s in spellings if s)

    # -- construction

    @classmethod
    def empty(cls) -> ActorKnowledge:
        """Knows nobody: the learning pass codes with it so only a document's own titles count."""
        return cls({})

    @classmethod
    def from_files(cls, knowledge: Knowledge) -> ActorKnowledge:
        """The built-in files and the user's ``people_local.yaml``, nothing from a store."""
        user, builtin = file_layers(knowledge)
        return cls({"user": user, "builtin": builtin}, codes=knowledge.yaml(CODES_FILE))

    @classmethod
    def from_records(
        cls,
        records: Iterable[ActorRoleRecord],
        *,
        knowledge: Knowledge,
        forgotten: Iterable[str] = (),
        files: bool = True,
        learned_margin_days: int = LEARNED_MARGIN_DAYS,
    ) -> ActorKnowledge:
        """Store rows (user edits, imports, learned roles) on top of the knowledge files."""
        groups: dict[tuple[str, str], list[ActorRoleRecord]] = defaultdict(list)
        agents: dict[str, str] = {}
        for record in sorted(records, key=_record_order):
            if record.kind == "agent":
                if record.sector:
                    agents.setdefault(record.name_key, record.sector)
                continue
            # an imported entry is one person (two dictionary entries may share a name);
            # user edits and learned roles are grouped by name
            group = record.provenance if record.source == "import" else record.name_key
            groups[(record.source, group)].append(record)
        layers: dict[str, list[tuple[str, Person]]] = defaultdict(list)
        if files:
            user, builtin = file_layers(knowledge)
            layers["user"].extend(user)
            layers["builtin"].extend(builtin)
        for (source, group), rows in sorted(groups.items()):
            variants = sorted({v for r in rows for v in r.variants} - {rows[0].name})
            roles = tuple(sorted((_record_role(r) for r in rows), key=_role_order))
            person = Person(rows[0].name, tuple(variants), None, roles)
            layers[source].append((f"{source}:{group}", person))
        return cls(
            layers,
            forgotten=forgotten,
            agents=agents,
            learned_margin_days=learned_margin_days,
            codes=knowledge.yaml(CODES_FILE),
        )

    @classmethod
    def from_store(
        cls,
        store: Store,
        knowledge: Knowledge,
        *,
        files: bool = True,
        learned_margin_days: int = LEARNED_MARGIN_DAYS,
    ) -> ActorKnowledge:
        """Snapshot of a store's actor tables (plus the knowledge files), read once."""
        return cls.from_records(
            store.actor_roles(),
            knowledge=knowledge,
            forgotten=[t.name_key for t in store.actor_tombstones()],
            files=files,
            learned_margin_days=learned_margin_days,
        )

    # -- questions

    def _answer(self, layer: str, key: str, on: date | None) -> _Answer:
        index = self._layers.get(layer)
        if index is None:
            return _Answer("unknown", detail="layer not loaded")
        margin = self.learned_margin_days if layer == "learned" else 0
        return _layer_answer(index, key, on, margin_days=margin)

    def user_override(self, name: str, on: date | None = None) -> PersonRole | None:
        """The user's own correction for this name on that date, if any.

        actors.py asks this BEFORE reading the document's titles: user edits win over all.
        """
        answer = self._answer("user", normalize_name(name), on)
        return answer.role if answer.status == "found" else None

    def lookup(self, name: str, on: date | None = None, *, explain: bool = False) -> Resolution:
        """The role NAME held on ``on``, from the strongest layer that knows; None if unknown.

        With ``explain``, every layer is consulted and described (slower; for ``actors show``).
        """
        key = normalize_name(name)
        if not key:
            return Resolution(None, "none", ("empty name",))
        notes: list[str] = []
        decided: Resolution | None = None
        for layer in LAYER_ORDER:
            if layer not in self._layers:
                continue
            if decided is not None and not explain:
                break
            if layer != "user" and key in self._forgotten:
                if decided is None:
                    notes.append(f"{name!r} was forgotten by the user: no other layer answers")
                    decided = Resolution(None, "forgotten")
                break
            answer = self._answer(layer, key, on)
            shadow = " (shadowed)" if decided is not None else ""
            if answer.status == "found" and answer.role is not None:
                notes.append(f"{layer}: {describe_role(answer.role)}{shadow}")
                if decided is None:
                    decided = Resolution(answer.role, layer)
            elif answer.status == "idle" and layer in DECISIVE_WHEN_IDLE and answer.tier != "auto":
                notes.append(f"{layer}: {answer.detail}{shadow or ': final'}")
                if decided is None:
                    decided = Resolution(None, layer)
            else:
                notes.append(
                    f"{layer}: {answer.status}{': ' + answer.detail if answer.detail else ''}"
                )
        if decided is None:
            decided = Resolution(None, "none")
        return Resolution(decided.role, decided.source, tuple(notes))

    def lookup_person(self, name: str, on: date | None = None) -> PersonRole | None:
        """Same contract as the module's ``lookup_person``, answered from this snapshot."""
        return self.lookup(name, on).role

    def roles(self, name: str) -> dict[str, list[PersonRole]]:
        """Every role each layer knows for a name (all dates), for inspection."""
        key = normalize_name(name)
        found: dict[str, list[PersonRole]] = {}
        for layer in LAYER_ORDER:
            index = self._layers.get(layer)
            if index is None or (layer != "user" and key in self._forgotten):
                continue
            _tier, people = _tiered(index, key)
            roles = [r for person in sorted(people) for r in index.roles[person]]
            if roles:
                found[layer] = sorted(roles, key=_role_order)
        return found

    def is_known_name(self, text: str) -> bool:
        """Whether any layer knows these words as a person's name or surname.

        For the coder's name finder: the small spaCy model tags many bare surnames as ORG or
        not at all ("Lavrov met...", "Merkel promised..."); a span this returns True for can
        be treated as a person and looked up.
        """
        key = normalize_name(text)
        if not key:
            return False
        for layer, index in self._layers.items():
            if layer != "user" and key in self._forgotten:
                continue
            if _tiered(index, key)[1]:
                return True
        return False

    def agent_sector(self, phrase: str) -> str | None:
        """Sector of a generic agent phrase from an imported agents dictionary (``riot police``)."""
        return self._agents.get(normalize_name(phrase))

    def is_forgotten(self, name: str) -> bool:
        return normalize_name(name) in self._forgotten

    def stats(self) -> dict[str, int]:
        """People and roles per layer, forgotten names and agent phrases."""
        out: dict[str, int] = {}
        for layer, index in self._layers.items():
            out[f"{layer}_people"] = len(index.roles)
            out[f"{layer}_roles"] = sum(len(r) for r in index.roles.values())
        out["forgotten"] = len(self._forgotten)
        out["agents"] = len(self._agents)
        return out

    def __repr__(self) -> str:
        sizes = ", ".join(f"{layer}={len(index.roles)}" for layer, index in self._layers.items())
        return f"ActorKnowledge({sizes})"


def _role_order(role: PersonRole) -> tuple[Any, ...]:
    return (role.start or date.min, role.end or date.max, role.country or "", role.sector or "")


def _record_order(record: ActorRoleRecord) -> tuple[Any, ...]:
    return (record.source, record.name_key, record.provenance, record.name, record.id or 0)


# --------------------------------------------------------------------------- store operations


@dataclass(frozen=True)
class ImportReport:
    """What ``import_dictionary`` read and stored."""

    path: str
    kind: Literal["actors", "agents"]
    entries: int
    """Actors (or agent phrases) parsed."""
    stored: int
    """Rows stored: one per dated code of an actor, one per agent phrase."""
    undated_only: int
    """Actors with only undated default codes: not offices, so not stored."""
    problems: tuple[ParseProblem, ...]
    seconds: float


def imported_records(actors: Iterable[ImportedActor], origin: str) -> list[ActorRoleRecord]:
    """Store rows for the dated codes of dictionary actors (``origin``: the file's name)."""
    from eventwire.models import ActorRoleRecord

    records: list[ActorRoleRecord] = []
    for actor in actors:
        roles = roles_from_imported(actor)
        if not roles:
            continue
        variants = tuple(clean.title() for clean in actor.synonyms)
        key = normalize_name(roles[0].name)
        for role in roles:
            records.append(
                ActorRoleRecord(
                    name=role.name,
                    name_key=key,
                    variants=variants,
                    title=role.title,
                    country=role.country,
                    sector=role.sector,
                    org=role.org,
                    start=role.start,
                    end=role.end,
                    source="import",
                    origin=origin,
                    provenance=f"{origin}:{actor.line}",
                )
            )
    return records


def agent_records(agents: Iterable[ImportedAgent], origin: str) -> list[ActorRoleRecord]:
    """Store rows for generic agent phrases (kind ``agent``: never matched as people)."""
    from eventwire.models import ActorRoleRecord

    sector_map = read_builtin_yaml(CODES_FILE).get("cameo_sector_map", {})
    return [
        ActorRoleRecord(
            name=agent.phrase.lower(),
            name_key=normalize_name(agent.phrase),
            variants=tuple(p.lower() for p in agent.plurals),
            kind="agent",
            title=agent.code,
            sector=sector_map.get(agent.code[:3], agent.code[:3]),
            source="import",
            origin=origin,
            provenance=f"{origin}:{agent.line}",
        )
        for agent in agents
        if normalize_name(agent.phrase)
    ]


def import_dictionary(
    store: Store, path: Path, *, kind: Literal["auto", "actors", "agents"] = "auto"
) -> ImportReport:
    """Read a PETRARCH/CAMEO dictionary into the store (replacing an earlier import of it).

    ``auto`` reads files whose name contains ``agents`` as agent dictionaries. All rows go in
    one transaction; malformed lines are returned in the report, never fatal.
    """
    started = time.perf_counter()
    is_agents = kind == "agents" or (kind == "auto" and "agents" in path.name.lower())
    origin = path.name
    if is_agents:
        agents, problems = parse_agent_dictionary(path)
        records = agent_records(agents, origin)
        entries, undated = len(agents), 0
    else:
        actors, problems = parse_actor_dictionary(path)
        records = imported_records(actors, origin)
        entries = len(actors)
        undated = sum(1 for a in actors if not a.dated_codes)
    stored = store.replace_actor_roles(records, source="import", origin=origin)
    return ImportReport(
        path=str(path),
        kind="agents" if is_agents else "actors",
        entries=entries,
        stored=stored,
        undated_only=undated,
        problems=tuple(problems),
        seconds=time.perf_counter() - started,
    )


def add_user_role(
    store: Store,
    name: str,
    *,
    title: str | None = None,
    country: str | None = None,
    sector: str | None = None,
    org: str | None = None,
    start: date | None = None,
    end: date | None = None,
    variants: Iterable[str] = (),
    note: str | None = None,
    replace: bool = False,
) -> ActorRoleRecord:
    """Record a user's correction: NAME held this role between these dates.

    User roles win over every other source and over the document's own titles. With
    ``replace``, the name's earlier user roles are deleted first. Raises ``ValueError`` for a
    role without country, sector or org, or one that ends before it starts.
    """
    from eventwire.models import ActorRoleRecord

    key = normalize_name(name)
    if not key:
        raise ValueError("a name is needed")
    if not (country or sector or org):
        raise ValueError("give at least a country, a sector or an organisation")
    if start and end and start > end:
        raise ValueError(f"the role ends ({end}) before it starts ({start})")
    record = ActorRoleRecord(
        name=name.strip(),
        name_key=key,
        variants=tuple(v.strip() for v in variants if v.strip()),
        title=title,
        country=country.upper() if country else None,
        sector=sector.upper() if sector else None,
        org=org,
        start=start,
        end=end,
        source="user",
        origin="edit",
        provenance="eventwire actors edit",
        note=note,
    )
    if replace:
        store.delete_actor_roles(key, source="user")
    store.add_actor_roles([record])
    return record


def forget_name(store: Store, name: str, note: str | None = None) -> int:
    """Forget a name: drop its imported and learned roles and stop every layer but the
    user's from answering for it (learning will not bring it back). Returns rows deleted."""
    key = normalize_name(name)
    if not key:
        raise ValueError("a name is needed")
    return store.forget_actor(name.strip(), key, note)
