"""Commands that code: ``code`` (print events), ``ingest`` (store them), ``evaluate``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from eventwire.cli.main import main
from eventwire.cli.options import (
    db_option,
    default_format,
    finish,
    log,
    parse_when,
    read_inputs,
    run_knowledge,
    settings_options,
)
from eventwire.models import Event, ReadFailure
from eventwire.settings import Settings


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
    from eventwire.knowledge import Knowledge
    from eventwire.pipeline import iter_code

    failures: list[ReadFailure] = []
    documents = read_inputs(files, settings, parse_when(published), failures)
    failed = 0

    def stream() -> Iterator[Event]:  # events go out as each document is coded; none is kept
        nonlocal failed
        for result in iter_code(documents, Knowledge.from_settings(settings), settings):
            failed += result.status == "failed"
            yield from result.events

    write_events(stream(), fmt or default_format(), sys.stdout)
    finish(failed + len(failures))


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
    from eventwire.batch import BatchError, ingest_files
    from eventwire.store import Store

    when = parse_when(published)  # a bad --date is an error before the database is opened
    knowledge = run_knowledge(settings)
    with Store.open(settings.db) as store:
        if learn_actors:
            from eventwire.learn import learn_documents

            # a first pass over the files (read again below): nothing is held in memory
            documents = read_inputs(files, settings, when, [])
            report = learn_documents(store, documents, knowledge, settings)
            log.info("learned %d roles (%d names) in all", report.roles, report.names)
        if store.has_actor_knowledge():
            knowledge = knowledge.with_actors(ActorKnowledge.from_store(store, knowledge))
        bar = tqdm(desc="documents", unit="doc", disable=not progress, file=sys.stderr)
        try:
            summary = ingest_files(
                files,
                knowledge,
                settings,
                store,
                workers=workers,
                scheduler=scheduler,
                resume=resume,
                published=when,
                on_result=lambda result: bar.update(1),
            )
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        except BatchError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            bar.close()
    log.info("stored %d documents in %s", summary.documents, settings.db)
    finish(summary.failed + summary.read_failures)


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--predictions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score these coded events (JSON Lines, as 'code --format jsonl' writes) without coding.",
)
@click.option(
    "--against",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Another coder's events (JSON Lines) to compare with, paired over the gold documents.",
)
@click.option("--explain", is_flag=True, help="List every miss and false event with its sentence.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="json: one object, the report with the reference scorer's figures under 'reference'.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@settings_options
def evaluate(
    gold: Path,
    predictions: Path | None,
    against: Path | None,
    explain: bool,
    fmt: str,
    as_json: bool,
    settings: Settings,
) -> None:
    """Score coded events against a gold file (PLOVER GSR JSON or eventwire JSON Lines): the
    gold texts coded here, or the events of --predictions; with --against, also another
    coder's events and the interval of the difference between the two."""
    import json

    from eventwire.evaluate import compare_reports, evaluate_file, format_comparison, format_report

    report = evaluate_file(gold, settings=settings, explain=explain, predictions=predictions)
    other = None if against is None else evaluate_file(gold, settings=settings, predictions=against)
    if as_json or fmt == "json":
        data = report.model_dump(mode="json")
        data["reference"] = report.reference_figures()
        if other is not None:
            data["against"] = {
                "predictions": str(against),
                "reference": other.reference_figures(),
                "intervals": {k: v.model_dump() for k, v in other.intervals.items()},
                "difference": {
                    k: v.model_dump() for k, v in compare_reports(report, other).items()
                },
            }
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(format_report(report))
        if other is not None:
            click.echo(format_comparison(report, other, str(against)))
