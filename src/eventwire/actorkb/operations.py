"""Changing the store's actor tables: importing CAMEO/PETRARCH dictionaries, the user's own
roles, forgetting a name."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from eventwire.knowledge import read_builtin_yaml
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

from eventwire.actorkb.people import CODES_FILE, PersonRole, normalize_name


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
