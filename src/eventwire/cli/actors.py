"""``eventwire actors``: learn, import, inspect and correct the actor knowledge base."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from eventwire.cli.errors import require_database
from eventwire.cli.main import main
from eventwire.cli.options import (
    EXIT_DOCUMENT_FAILED,
    db_option,
    parse_when,
    read_inputs,
    run_knowledge,
    settings_options,
)
from eventwire.models import ReadFailure
from eventwire.settings import Settings


@main.group(name="actors")
def actors_group() -> None:
    """Named people: learn, import, inspect and correct the actor knowledge base."""


def _kb_date(value: str | None, *, end: bool = False) -> date | None:
    from eventwire.actorkb import parse_kb_date

    try:
        return parse_kb_date(value, end=end)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@actors_group.command(name="learn")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--date", "published", help="Publication date for inputs that carry none.")
@settings_options
def actors_learn(
    files: tuple[Path, ...], db: Path | None, published: str | None, settings: Settings
) -> None:
    """Learn people introduced with titles, from FILES or (none given) every stored document."""
    from eventwire.learn import learn_documents, learn_store
    from eventwire.store import Store

    failures: list[ReadFailure] = []
    when = parse_when(published)
    if not files:
        require_database(settings.db)
    knowledge = run_knowledge(settings)
    with Store.open(settings.db) as store:
        if files:
            documents = read_inputs(files, settings, when, failures)
            report = learn_documents(store, documents, knowledge, settings)
        else:
            report = learn_store(store, knowledge, settings)
    click.echo(
        f"read {report.documents} documents, {report.sightings} titled introductions; "
        f"{report.roles} learned roles for {report.names} names in {settings.db}"
    )
    if failures:
        sys.exit(EXIT_DOCUMENT_FAILED)


def _role_line(record: Any) -> str:
    codes = f"{record.country or '-'}/{record.sector or '-'}" + (
        f" ({record.org})" if record.org else ""
    )
    period = f"{record.start or '…'}..{record.end or '…'}"
    extra = f"  {record.n_documents} doc(s)" if record.n_documents else ""
    return (
        f"{record.source:<8} {record.name}  {record.title or '-'}  {codes}  {period}{extra}"
        f"  [{record.provenance}]"
    )


@actors_group.command(name="list")
@db_option
@click.option(
    "--source",
    type=click.Choice(["user", "import", "learned"]),
    help="Only roles from this source.",
)
@click.option("--name", "contains", help="Only names containing this text.")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many roles.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines instead of text.")
@settings_options
def actors_list(
    db: Path | None,
    source: str | None,
    contains: str | None,
    limit: int | None,
    as_json: bool,
    settings: Settings,
) -> None:
    """List stored actor roles (user edits, imports, learned) and forgotten names."""
    import json

    from eventwire.actorkb import normalize_name
    from eventwire.store import Store

    require_database(settings.db)
    with Store.open(settings.db) as store:
        records = store.actor_roles(
            source=source,  # type: ignore[arg-type]
            contains=normalize_name(contains) if contains else None,
            limit=limit,
        )
        forgotten = store.actor_tombstones() if source is None else []
    for record in records:
        click.echo(record.model_dump_json() if as_json else _role_line(record))
    for tomb in forgotten:
        if as_json:
            click.echo(json.dumps({"forgotten": True, **tomb.model_dump(mode="json")}))
        else:
            click.echo(f"forgotten {tomb.name}  {tomb.note or ''}".rstrip())


@actors_group.command(name="show")
@click.argument("name")
@db_option
@click.option("--date", "on", help="Date of the question (YYYY-MM-DD); default: latest role.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of text.")
@settings_options
def actors_show(
    name: str, db: Path | None, on: str | None, as_json: bool, settings: Settings
) -> None:
    """Explain how NAME resolves on a date, which source decided, and every role known."""
    import json
    from dataclasses import asdict

    from eventwire.actorkb import ActorKnowledge, describe_role
    from eventwire.store import Store

    when = _kb_date(on)
    require_database(settings.db)
    with Store.open(settings.db) as store:
        kb = ActorKnowledge.from_store(store, run_knowledge(settings))
    resolution = kb.lookup(name, when, explain=True)
    roles = kb.roles(name)
    if as_json:
        payload = {
            "name": name,
            "date": when.isoformat() if when else None,
            "source": resolution.source,
            "role": asdict(resolution.role) if resolution.role else None,
            "explanation": list(resolution.explanation),
            "roles": {layer: [asdict(r) for r in found] for layer, found in roles.items()},
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    answer = describe_role(resolution.role) if resolution.role else "no role"
    click.echo(f"{name} on {when or 'latest'}: {answer}")
    click.echo(f"decided by: {resolution.source}")
    for line in resolution.explanation:
        click.echo(f"  {line}")
    for layer, found in roles.items():
        click.echo(f"{layer} roles:")
        for role in found:
            click.echo(f"  {describe_role(role)}")


@actors_group.command(name="edit")
@click.argument("name")
@db_option
@click.option("--country", help="ISO 3166 alpha-3 code (TUR), for a state role.")
@click.option("--sector", help="Sector code: GOV, MIL, REB, IGO, ...")
@click.option("--title", help="Title, e.g. 'Foreign Minister'.")
@click.option("--org", help="Organisation or group, e.g. 'UN', 'Hezbollah'.")
@click.option("--start", help="First day of the role: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--end", help="Last day of the role (YYYY and YYYY-MM mean the period's end).")
@click.option("--variant", "variants", multiple=True, help="Another spelling (repeatable).")
@click.option("--note", help="Why: kept with the correction.")
@click.option("--replace", is_flag=True, help="Delete this name's earlier user roles first.")
@settings_options
def actors_edit(
    name: str,
    db: Path | None,
    country: str | None,
    sector: str | None,
    title: str | None,
    org: str | None,
    start: str | None,
    end: str | None,
    variants: tuple[str, ...],
    note: str | None,
    replace: bool,
    settings: Settings,
) -> None:
    """Add a user role for NAME: it wins over every other source."""
    from eventwire.actorkb import add_user_role
    from eventwire.store import Store

    with Store.open(settings.db) as store:
        try:
            record = add_user_role(
                store,
                name,
                title=title,
                country=country,
                sector=sector,
                org=org,
                start=_kb_date(start),
                end=_kb_date(end, end=True),
                variants=variants,
                note=note,
                replace=replace,
            )
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    click.echo(_role_line(record))


@actors_group.command(name="forget")
@click.argument("name")
@db_option
@click.option("--note", help="Why: kept with the forgotten name.")
@click.option("--undo", is_flag=True, help="Remember the name again (lift the tombstone).")
@settings_options
def actors_forget(
    name: str, db: Path | None, note: str | None, undo: bool, settings: Settings
) -> None:
    """Forget NAME: drop its imported and learned roles; only user edits answer for it."""
    from eventwire.actorkb import forget_name, normalize_name
    from eventwire.store import Store

    with Store.open(settings.db) as store:
        if undo:
            lifted = store.unforget_actor(normalize_name(name))
            click.echo(f"{name}: {'remembered again' if lifted else 'was not forgotten'}")
            return
        deleted = forget_name(store, name, note)
    click.echo(f"{name}: forgotten ({deleted} stored role(s) deleted)")


@actors_group.command(name="import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@db_option
@click.option(
    "--kind",
    type=click.Choice(["auto", "actors", "agents"]),
    default="auto",
    show_default=True,
    help="Dictionary type; auto reads files named *agents* as agent dictionaries.",
)
@settings_options
def actors_import(files: tuple[Path, ...], db: Path | None, kind: str, settings: Settings) -> None:
    """Import PETRARCH/CAMEO actor or agent dictionaries (Phoenix format) with their dates.

    Importing a file again replaces its earlier import. Malformed lines are reported on
    stderr with their line numbers and skipped.
    """
    from eventwire.actorkb import import_dictionary
    from eventwire.store import Store

    with Store.open(settings.db) as store:
        for path in files:
            report = import_dictionary(store, path, kind=kind)  # type: ignore[arg-type]
            for problem in report.problems:
                click.echo(
                    f"{path}:{problem.line}: {problem.problem}: {problem.text.strip()}", err=True
                )
            click.echo(
                f"{path.name}: {report.entries} {report.kind}, {report.stored} rows stored, "
                f"{report.undated_only} without dated codes skipped, "
                f"{len(report.problems)} problem line(s), {report.seconds:.1f}s"
            )
