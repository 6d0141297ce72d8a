"""The ``eventwire`` command group."""

from __future__ import annotations

import click

from eventwire import __version__
from eventwire.cli.errors import OneLineErrorGroup
from eventwire.cli.options import setup_logging


@click.group(cls=OneLineErrorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventwire")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def main(verbose: int, quiet: bool) -> None:
    """Turn news into political event data: who did what to whom, when and where."""
    setup_logging(verbose, quiet)
