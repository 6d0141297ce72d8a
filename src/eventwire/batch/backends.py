"""Where chunks are coded: a process pool or a Dask cluster (local or at an address).

``_open_backend`` picks and starts one from the ``scheduler`` value, checks a running cluster's
workers, and shuts it down afterwards. A backend keeps no results: ``run`` drives it.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from eventwire.batch.errors import BatchError
from eventwire.batch.worker import _chunk_task, _describe_worker, _install_knowledge
from eventwire.knowledge import Knowledge
from eventwire.models import CodedDocument, Document
from eventwire.settings import Settings

if TYPE_CHECKING:
    from distributed import Client

log = logging.getLogger(__name__)

PROCESSES = "processes"
"""``scheduler`` value for a plain process pool (no Dask needed)."""

CHUNKS_PER_SLOT = 2
"""Chunks in flight per worker thread: one being coded, one waiting, so no worker idles."""

_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$|^[^\s:/]+:\d+$", re.IGNORECASE)


@dataclass(frozen=True)
class _Chunk:
    start: int
    """Position of the chunk's first document in the input."""
    documents: tuple[Document, ...]
    alone: bool = False
    """Run with nothing else in flight, so that a crash can be blamed on this chunk."""


class _Backend(Protocol):
    slots: int
    """How many chunks to keep in flight."""

    def submit(self, chunk: _Chunk) -> Any: ...

    def wait_any(self, futures: Collection[Any]) -> Collection[Any]: ...

    def blames(self, exc: BaseException) -> bool:
        """Whether a chunk's failure is its own (not collateral of a crash beside it)."""
        ...

    def cancel(self, futures: Collection[Any]) -> None: ...


class _PoolBackend:
    """A ``concurrent.futures`` executor; a crashed process pool is replaced with a new one."""

    def __init__(
        self,
        make_executor: Callable[[], Executor],
        task: Callable[[Sequence[Document]], list[CodedDocument]],
        *,
        slots: int,
    ) -> None:
        self._make_executor = make_executor
        self._task = task
        self._executor = make_executor()
        self.slots = slots

    def submit(self, chunk: _Chunk) -> Future[list[CodedDocument]]:
        try:
            return self._executor.submit(self._task, list(chunk.documents))
        except BrokenExecutor:
            log.warning("worker pool crashed; starting a new one")
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = self._make_executor()
            return self._executor.submit(self._task, list(chunk.documents))

    def wait_any(self, futures: Collection[Future[Any]]) -> Collection[Future[Any]]:
        return wait_futures(futures, return_when=FIRST_COMPLETED).done

    def blames(self, exc: BaseException) -> bool:
        # A dead process breaks the whole pool: every chunk in flight fails, only one is guilty.
        return not isinstance(exc, BrokenExecutor)

    def cancel(self, futures: Collection[Future[Any]]) -> None:
        for future in futures:
            future.cancel()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


class _DaskBackend:
    """A ``distributed`` client; Dask itself reschedules the tasks of a worker that died."""

    def __init__(
        self,
        client: Client,
        task: Callable[..., list[CodedDocument]],
        *,
        slots: int,
        knowledge: Knowledge,
    ) -> None:
        self._client = client
        self._task = task
        # One copy of the knowledge per worker, not one per task.
        self._extra = {"knowledge": client.scatter(knowledge, broadcast=True)}
        self._run = uuid.uuid4().hex[:12]
        self._count = 0
        self.slots = slots

    def submit(self, chunk: _Chunk) -> Any:
        self._count += 1
        key = f"eventwire-code-{self._run}-{self._count}"
        return self._client.submit(
            self._task, list(chunk.documents), key=key, pure=False, **self._extra
        )

    def wait_any(self, futures: Collection[Any]) -> Collection[Any]:
        from distributed import wait

        with self._client.as_current():  # not the default client: wait() must be told
            return wait(list(futures), return_when="FIRST_COMPLETED").done

    def blames(self, exc: BaseException) -> bool:
        # Dask knows which tasks ran on a dead worker and gives up on one (KilledWorker) only
        # after it took down several workers.
        return True

    def cancel(self, futures: Collection[Any]) -> None:
        if futures:
            self._client.cancel(list(futures))


def _scheduler_kind(scheduler: str | None) -> str:
    if scheduler is None:
        return "local"
    if scheduler == PROCESSES:
        return PROCESSES
    if _ADDRESS.match(scheduler):
        return "address"
    raise ValueError(
        f"scheduler must be None (local cluster), {PROCESSES!r} or a Dask scheduler address "
        f"such as 'tcp://10.0.0.5:8786', not {scheduler!r}"
    )


def _have_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


@contextmanager
def _open_backend(
    scheduler: str | None, workers: int, settings: Settings, knowledge: Knowledge
) -> Iterator[_PoolBackend | _DaskBackend]:
    kind = _scheduler_kind(scheduler)
    task = _chunk_task(settings)
    if kind == "local" and not _have_dask():
        log.info("dask is not installed; coding on a plain pool of %d processes", workers)
        kind = PROCESSES
    if kind == PROCESSES:
        # spawn, not fork: a forked child inherits the driver's threads and locks mid-flight.
        context = multiprocessing.get_context("spawn")
        backend = _PoolBackend(
            lambda: ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_install_knowledge,
                initargs=(knowledge,),
            ),
            task,
            slots=CHUNKS_PER_SLOT * workers,
        )
        try:
            yield backend
        finally:
            backend.shutdown()
        return
    if not _have_dask():
        raise BatchError(
            f"a Dask scheduler ({scheduler}) needs dask.distributed: "
            "pip install 'eventwire[dask]' (or scheduler='processes' for local processes)"
        )
    import dask
    from distributed import Client, LocalCluster

    # Dask's own loggers speak at INFO; our stderr carries them only when we are verbose.
    quiet = max(logging.WARNING, logging.getLogger("eventwire").getEffectiveLevel())
    for name in ("distributed", "dask"):
        logging.getLogger(name).setLevel(quiet)

    if kind == "local":
        with ExitStack() as stack:
            # One task per single-threaded worker at a time: a worker that dies takes down
            # only the chunk it was coding. (Read when the scheduler starts; set only then.)
            with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                        # The scheduler serves HTTP even without a dashboard: local, any port.
                        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                        silence_logs=logging.WARNING,
                    )
                )
            client = stack.enter_context(Client(cluster, set_as_default=False))
            log.info("local Dask cluster with %d worker processes", workers)
            yield _DaskBackend(
                client, _chunk_task(settings), slots=CHUNKS_PER_SLOT * workers, knowledge=knowledge
            )
        return
    try:
        client = Client(scheduler, set_as_default=False, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    with client:
        threads = _check_workers(client, settings.model, scheduler or "")
        yield _DaskBackend(
            client,
            _chunk_task(settings),
            slots=CHUNKS_PER_SLOT * max(workers, threads),
            knowledge=knowledge,
        )


def _check_workers(client: Client, model: str, address: str) -> int:
    """Refuse a cluster whose workers cannot code; return how many threads it has."""
    from eventwire import __version__

    try:
        found: dict[str, dict[str, Any]] = client.run(_describe_worker, model)
    except Exception as exc:  # a worker without eventwire cannot even unpickle the check
        raise BatchError(
            f"workers of {address} cannot run eventwire ({type(exc).__name__}: {exc}); "
            f"install eventwire and the spaCy model {model!r} on every worker"
        ) from exc
    if not found:
        raise BatchError(f"the Dask cluster at {address} has no workers")
    missing = sorted(worker for worker, info in found.items() if not info["model"])
    if missing:
        raise BatchError(
            f"spaCy model {model!r} is not installed on worker(s) {', '.join(missing)}"
        )
    versions = {info["eventwire"] for info in found.values()}
    if versions != {__version__}:
        log.warning(
            "workers run eventwire %s, this process %s: results may differ from a local run",
            ", ".join(sorted(versions)),
            __version__,
        )
    return sum(client.nthreads().values())
