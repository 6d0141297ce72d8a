"""How the CLI reports mistakes: one line on stderr and a non-zero exit, never a traceback (#9).

``OneLineErrorGroup`` is the class of the ``eventwire`` command group. It turns every
error a command raises into one line, ``Error: <what is wrong>``, and an exit code:

- 2 for a usage mistake (a bad option value, a missing database given to a read command);
- 1 for anything else (an unreadable database, a folder that does not exist, ...).

Unexpected exceptions are reported the same way, with their traceback in the debug log
(``eventwire -vv``) for a bug report.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click
from pydantic import ValidationError

from eventwire.errors import EventwireError
from eventwire.normalize import printable

log = logging.getLogger("eventwire")

EXIT_ERROR = 1
EXIT_USAGE = 2


class MissingDatabase(click.ClickException):
    """A read command was pointed at a database file that does not exist."""

    exit_code = EXIT_USAGE


def require_database(path: Path | str) -> None:
    """Refuse to go on unless ``path`` is an existing file: read commands never create one."""
    path = Path(path)
    if path.is_dir():
        raise MissingDatabase(f"{path} is a folder, not a database file")
    if not path.exists():
        raise MissingDatabase(f"no database at {path}: run 'eventwire ingest' first")


def require_folder(path: Path | None) -> None:
    """Refuse an output file whose folder does not exist, before any work is done."""
    if path is not None and not path.parent.is_dir():
        raise click.UsageError(f"cannot write {path}: folder {path.parent} does not exist")


def one_line(message: str) -> str:
    """A message as one printable line."""
    return " ".join(printable(message).split())


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(p) for p in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{field}: {message}" if field else message)
    return "; ".join(parts)


def _as_click_error(exc: Exception) -> click.ClickException:
    if isinstance(exc, ValidationError):
        return click.UsageError(_validation_message(exc))
    if isinstance(exc, EventwireError):
        return click.ClickException(str(exc))
    if isinstance(exc, sqlite3.Error):
        return click.ClickException(f"database error: {exc}")
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return click.ClickException(f"{where}{exc.strerror or exc}")
    log.debug("unexpected error", exc_info=exc)
    return click.ClickException(
        f"unexpected {type(exc).__name__}: {exc} (run with -vv for the traceback)"
    )


def _fail(exc: click.ClickException) -> NoReturn:
    click.echo(f"Error: {one_line(exc.format_message())}", err=True)
    raise SystemExit(exc.exit_code)


class OneLineErrorGroup(click.Group):
    """A click group whose every error is one line on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as exc:
            raise _as_click_error(exc) from exc

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        run: Callable[..., Any] = super().main  # click's overloads hide the passthrough
        if not standalone_mode:
            return run(*args, standalone_mode=False, **kwargs)
        try:
            result = run(*args, standalone_mode=False, **kwargs)
        except click.ClickException as exc:
            _fail(exc)
        except click.Abort:
            click.echo("Aborted.", err=True)
            raise SystemExit(EXIT_ERROR) from None
        except BrokenPipeError:
            raise SystemExit(EXIT_ERROR) from None
        raise SystemExit(result if isinstance(result, int) else 0)
