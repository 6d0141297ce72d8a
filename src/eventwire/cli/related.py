"""Related coverage (#10): ``stories`` (documents telling the same story)."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

import click

from eventwire.cli.errors import require_database
from eventwire.cli.main import main
from eventwire.cli.options import db_option, default_format, parse_when, settings_options
from eventwire.models import Story
from eventwire.settings import Settings


def _day(value: str | None, option: str) -> date | None:
    when = parse_when(value, option)
    return when.date() if isinstance(when, datetime) else when


@main.command()
@db_option
@click.option("--since", help="Only stories seen on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only stories seen on or before this date (YYYY-MM-DD).")
@click.option(
    "--min-documents",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Only stories of at least N documents (1 lists every document's story).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table"]),
    help="Output format (default: table on a terminal, else jsonl).",
)
@settings_options
def stories(
    since: str | None,
    until: str | None,
    min_documents: int,
    fmt: str | None,
    settings: Settings,
    db: Path | None,
) -> None:
    """List stories: near-duplicate documents and reports of the same events, one a line."""
    from eventwire.store import Store

    require_database(settings.db)
    first, last = _day(since, "--since"), _day(until, "--until")
    with Store.open(settings.db) as store:
        found = store.stories(since=first, until=last, min_documents=min_documents)
    if (fmt or default_format()) == "jsonl":
        for story in found:
            sys.stdout.write(json.dumps(story.model_dump(mode="json"), ensure_ascii=False) + "\n")
        return
    click.echo(_table(found))


def _table(found: list[Story]) -> str:
    lines = [f"{'STORY':<15} {'DOCS':>4} {'EVENTS':>6} {'FIRST':<10} {'LAST':<10} TITLE"]
    for story in found:
        title = " ".join((story.title or "(no title)").split())
        title = title if len(title) <= 60 else title[:59] + "…"
        lines.append(
            f"{story.story_id:<15} {story.n_documents:>4} {story.n_events:>6} "
            f"{(story.first_seen or '')[:10]:<10} {(story.last_seen or '')[:10]:<10} {title}"
        )
        lines.append(f"{'':<15} {', '.join(story.doc_ids)}")
    return "\n".join(lines)
