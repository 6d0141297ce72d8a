"""An ``EventFilter`` as SQL: participant terms, directed and symmetric dyads (the codebook's
symmetric types match both ways), dates, paging."""

from __future__ import annotations

from typing import Any

from eventwire.codebook import SYMMETRIC_TYPES
from eventwire.query import (
    EventFilter,
    ParticipantTerm,
)

# --------------------------------------------------------------------------- filter -> SQL

Clause = tuple[str, list[Any]]


def _term_sql(term: ParticipantTerm, alias: str) -> Clause:
    """SQL for ``ParticipantTerm.matches`` on the entity row ``alias`` (same rules)."""
    # country/sector/org are COLLATE NOCASE columns: '=' folds ASCII case like fold_code.
    parts = [f"{alias}.country = ?", f"{alias}.sector = ?", f"{alias}.org = ?"]
    params: list[Any] = [term.code, term.code, term.code]
    if term.compound is not None:
        parts.append(f"({alias}.country = ? AND {alias}.sector = ?)")
        params.extend(term.compound)
    if term.name is not None:
        for column in ("name", "org", "text"):
            parts.append(f"instr(ew_fold({alias}.{column}), ?) > 0")
            params.append(term.name)
    return "(" + " OR ".join(parts) + ")", params


def _directed_sql(actor: ParticipantTerm | None, recipient: ParticipantTerm | None) -> Clause:
    clauses: list[str] = []
    params: list[Any] = []
    for role, term in (("actor", actor), ("recipient", recipient)):
        if term is None:
            continue
        sql, term_params = _term_sql(term, "x")
        clauses.append(
            f"e.event_id IN (SELECT x.event_id FROM entities x WHERE x.role = ? AND {sql})"
        )
        params.extend([role, *term_params])
    return " AND ".join(clauses), params


def _symmetric_sql(actor: ParticipantTerm | None, recipient: ParticipantTerm | None) -> Clause:
    if actor is not None and recipient is not None:
        first, first_params = _term_sql(actor, "x")
        second, second_params = _term_sql(recipient, "y")
        sql = (
            "e.event_id IN (SELECT x.event_id FROM entities x JOIN entities y"
            " ON y.event_id = x.event_id AND NOT (y.role = x.role AND y.position = x.position)"
            f" WHERE {first} AND {second})"
        )
        return sql, [*first_params, *second_params]
    term = actor if actor is not None else recipient
    assert term is not None, "called with at least one term"
    sql, params = _term_sql(term, "x")
    return f"e.event_id IN (SELECT x.event_id FROM entities x WHERE {sql})", params


def _dyad_sql(query: EventFilter) -> Clause | None:
    actor, recipient = query.actor_term, query.recipient_term
    if actor is None and recipient is None:
        return None
    if query.type is not None:
        if query.type in SYMMETRIC_TYPES:
            return _symmetric_sql(actor, recipient)
        return _directed_sql(actor, recipient)
    symmetric = sorted(t.value for t in SYMMETRIC_TYPES)
    marks = ", ".join("?" for _ in symmetric)
    sym_sql, sym_params = _symmetric_sql(actor, recipient)
    dir_sql, dir_params = _directed_sql(actor, recipient)
    sql = f"((e.type IN ({marks}) AND {sym_sql}) OR (e.type NOT IN ({marks}) AND {dir_sql}))"
    return sql, [*symmetric, *sym_params, *symmetric, *dir_params]


def _where(query: EventFilter | None) -> Clause:
    """The WHERE clause (or '') for ``query``; mirrors ``EventFilter.matches``."""
    if query is None:
        return "", []
    clauses: list[str] = []
    params: list[Any] = []
    if query.type is not None:
        clauses.append("e.type = ?")
        params.append(query.type.value)
    if query.types:
        clauses.append(f"e.type IN ({', '.join('?' for _ in query.types)})")
        params.extend(t.value for t in query.types)
    if query.doc_id is not None:
        clauses.append("e.doc_id = ?")
        params.append(query.doc_id)
    if query.source is not None:
        clauses.append("e.source = ?")
        params.append(query.source)
    if query.min_confidence is not None:
        clauses.append("e.confidence >= ?")
        params.append(query.min_confidence)
    if query.since is not None or query.until is not None:
        clauses.append("(e.date_low IS NOT NULL OR e.date_high IS NOT NULL)")
    if query.since is not None:
        clauses.append("(e.date_high IS NULL OR e.date_high >= ?)")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("(e.date_low IS NULL OR e.date_low <= ?)")
        params.append(query.until.isoformat())
    if query.min_sources is not None:
        clauses.append("COALESCE(i.n_sources, 1) >= ?")
        params.append(query.min_sources)
    dyad = _dyad_sql(query)
    if dyad is not None:
        clauses.append(dyad[0])
        params.extend(dyad[1])
    if not clauses:
        return "", []
    return " WHERE " + " AND ".join(clauses), params


def _page(query: EventFilter | None) -> Clause:
    if query is None or (query.limit is None and not query.offset):
        return "", []
    limit = -1 if query.limit is None else query.limit
    return " LIMIT ? OFFSET ?", [limit, query.offset]
