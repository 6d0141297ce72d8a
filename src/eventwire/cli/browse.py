"""Commands over a store: ``events``, ``show``, ``export``, ``serve``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from eventwire.cli.errors import require_database, require_folder
from eventwire.cli.main import main
from eventwire.cli.options import (
    db_option,
    default_format,
    event_filter,
    filter_options,
    settings_options,
)
from eventwire.models import Document
from eventwire.normalize import printable
from eventwire.settings import Settings


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
    query = event_filter(**filters)
    require_database(settings.db)
    with Store.open(settings.db) as store:
        write_events(store.iter_events(query), fmt or default_format(), sys.stdout)


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
    query = event_filter(**filters)
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
