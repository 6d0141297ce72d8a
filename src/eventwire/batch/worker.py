"""What runs in a worker process: code one chunk with the run's knowledge; describe itself.

Kept small on purpose: a pool pickles ``_chunk_task`` (settings only, never a loaded model) and
each worker installs the run's knowledge once (``_install_knowledge``) or is sent it by Dask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from eventwire.batch.errors import BatchError
from eventwire.knowledge import Knowledge
from eventwire.models import CodedDocument, Document
from eventwire.pipeline import iter_code
from eventwire.settings import Settings

_worker_knowledge: Knowledge | None = None
"""In a pool's worker process: the run's knowledge, installed once when the process starts."""


def _install_knowledge(knowledge: Knowledge) -> None:
    """Pool initializer: the knowledge travels to each worker process once, not per task."""
    global _worker_knowledge
    _worker_knowledge = knowledge


def _code_chunk(
    documents: Sequence[Document],
    settings: Settings,
    knowledge: Knowledge | None = None,
) -> list[CodedDocument]:
    """Runs in a worker: code one chunk with the one pipeline, as the driver would.

    ``knowledge`` is the driver's, sent once per worker (scattered on Dask, installed by the
    pool's initializer otherwise): its derived tables are built once per worker and reused.
    """
    knowledge = knowledge or _worker_knowledge
    if knowledge is None:
        raise BatchError("worker started without the run's knowledge")
    return list(iter_code(documents, knowledge, settings))


def _chunk_task(settings: Settings) -> Callable[..., list[CodedDocument]]:
    """The function workers run: small to pickle (settings), never a loaded model."""
    return partial(_code_chunk, settings=settings)


def _describe_worker(model: str) -> dict[str, Any]:
    """Runs on each worker of a cluster: can it code? (eventwire version, model installed)."""
    import importlib.util

    from eventwire import __version__

    return {"eventwire": __version__, "model": importlib.util.find_spec(model) is not None}
