"""The ``eventwire`` command: a thin click layer over the Python API.

Data goes to stdout, logs and progress to stderr; the exit code is non-zero when any
document failed.

Each command is a few lines calling the library: ``coding`` (code, ingest, evaluate),
``browse`` (events, show, export, serve), ``actors`` (the actors group), ``related``
(stories), ``watch`` (feeds); shared options are in ``options``; ``errors`` makes every
error one line on stderr and a non-zero exit (#9).
"""

from eventwire.cli import actors, browse, coding, related, watch  # noqa: F401  (they register the commands)
from eventwire.cli.main import main

__all__ = ["main"]
