"""``watch``: poll feeds and sitemaps, fetch new articles, code and store them (#10)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from eventwire.cli.main import main
from eventwire.cli.options import db_option, log, run_knowledge, settings_options
from eventwire.settings import Settings

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str) -> float:
    """Seconds in ``90``, ``30s``, ``15m``, ``2h`` or ``1d``."""
    match = _DURATION.match(value)
    if match is None:
        raise click.BadParameter(f"{value!r} is not a duration such as 30s, 15m or 2h")
    return float(match.group(1)) * _UNITS[match.group(2).lower()]


@main.command()
@click.argument("urls", nargs=-1, required=True)
@db_option
@click.option("--once", is_flag=True, help="One round, then exit (for cron).")
@click.option(
    "--interval", default="15m", show_default=True, help="Time between rounds (30s, 15m, 2h)."
)
@click.option(
    "--delay",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.0),
    help="Seconds between two requests to one host (robots.txt may ask for more).",
)
@click.option(
    "--max-bytes",
    default=5_000_000,
    show_default=True,
    type=click.IntRange(min=1000),
    help="Largest feed or page accepted.",
)
@click.option("--timeout", default=20.0, show_default=True, type=float, help="Seconds.")
@click.option(
    "--allow-private-addresses",
    is_flag=True,
    help="Also fetch from hosts that resolve to loopback, private, link-local or other "
    "non-global addresses (intranet feeds). Off by default: a feed cannot point eventwire at "
    "internal services.",
)
@settings_options
def watch(
    urls: tuple[str, ...],
    db: Path | None,
    once: bool,
    interval: str,
    delay: float,
    max_bytes: int,
    timeout: float,
    allow_private_addresses: bool,
    settings: Settings,
) -> None:
    """Poll RSS/Atom feeds and sitemaps at URLS; fetch, code and store new articles.

    Polite: robots.txt, one request at a time per host with a delay, conditional GET. What
    was seen is kept in the database, so a restart fetches no article twice and loses none.
    Feeds, pages and redirects to hosts on non-global addresses (127.0.0.1, 10.x,
    169.254.169.254, ::1, ...) are refused unless --allow-private-addresses is given.
    """
    from eventwire.store import Store
    from eventwire.watch import Fetcher, FetchError, FetchPolicy, watch_forever
    from eventwire.watch.fetch import check_url

    seconds = parse_duration(interval)
    try:
        feeds = [check_url(url) for url in urls]
    except FetchError as exc:
        raise click.BadParameter(str(exc), param_hint="URLS") from exc
    knowledge = run_knowledge(settings)
    policy = FetchPolicy(
        delay=delay,
        max_bytes=max_bytes,
        timeout=timeout,
        allow_private_addresses=allow_private_addresses,
    )

    def report_round(report: object) -> None:
        from eventwire.watch import WatchReport

        assert isinstance(report, WatchReport)
        for problem in report.problems:
            click.echo(f"eventwire: {problem}", err=True)
        click.echo(
            f"eventwire: {report.feeds_polled} feeds ({report.feeds_not_modified} unchanged), "
            f"{report.new_urls} new addresses, {report.pages_fetched} pages fetched, "
            f"{report.documents_stored} documents and {report.events} events stored",
            err=True,
        )

    with Store.open(settings.db) as store, Fetcher(policy) as fetcher:
        try:
            total = watch_forever(
                feeds,
                store,
                knowledge,
                settings,
                fetcher,
                interval=seconds,
                rounds=1 if once else None,
                on_round=report_round,
            )
        except KeyboardInterrupt:
            log.warning("interrupted; pending addresses are fetched next time")
            return
    if once and total.feeds_polled == 0:
        raise click.ClickException("no feed could be fetched")
