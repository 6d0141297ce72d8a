"""The layered actor knowledge of one run: user edits, built-in files, imported dictionaries
and corpus memory, in that order of precedence, as a read-only snapshot."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from eventwire.knowledge import Knowledge, read_builtin_yaml

if TYPE_CHECKING:
    from eventwire.models import ActorRoleRecord
    from eventwire.store import Store

from eventwire.actorkb.people import (
    CODES_FILE,
    Person,
    PersonRole,
    _build_index,
    _Index,
    _seniority,
    _tiered,
    describe_role,
    file_layers,
    normalize_name,
)

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

    def tier(self, key: str) -> str:
        """The strongest way any layer knows the normalized name: ``full`` (a full name or
        multi-word variant), ``short`` (a declared one-word name), ``auto`` (only the last
        word of a name), or "" (unknown)."""
        found = {
            _tiered(index, key)[0]
            for layer, index in self._layers.items()
            if layer == "user" or key not in self._forgotten
        }
        return next((t for t in ("full", "short", "auto") if t in found), "")

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
