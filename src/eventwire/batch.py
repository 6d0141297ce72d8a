"""Many documents at once: the same pipeline on local worker processes or a Dask cluster.

Why: coding is CPU-bound and documents are independent, so N processes code about N times as
fast. Each worker process runs ``pipeline.iter_code`` on chunks of documents and loads the spaCy
model once, by the name in ``Settings`` (``nlp.load_pipeline`` caches it per process): the model
is never pickled and shipped. The driver process reads documents, keeps a bounded number of
chunks in flight (a feed of any size never sits in memory at once) and is the only writer to
the store, so SQLite keeps its single writer.

Results equal a single-process run's: the pipeline is the same and knowledge is read-only
while coding, so a document's events do not depend on which worker codes it or with which
other documents. A document that fails comes back as ``status="failed"``; a worker that dies
loses no document: its chunk is retried, then split, until only the document that kills its
worker is reported failed.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
import uuid
from collections import deque
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import ProcessPoolExecutor
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from eventwire.errors import EventwireError
from eventwire.knowledge import Knowledge
from eventwire.models import CodedDocument, Document, ReadFailure
from eventwire.pipeline import iter_code
from eventwire.settings import Settings

if TYPE_CHECKING:
    from distributed import Client

    from eventwire.store import Store

log = logging.getLogger(__name__)

PROCESSES = "processes"
"""``scheduler`` value for a plain process pool (no Dask needed)."""

CHUNKS_PER_SLOT = 2
"""Chunks in flight per worker thread: one being coded, one waiting, so no worker idles."""

_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$|^[^\s:/]+:\d+$", re.IGNORECASE)


class BatchError(EventwireError):
    """A parallel run cannot start or go on: Dask missing, bad scheduler, unusable workers."""


@dataclass(frozen=True)
class BatchSummary:
    """What an ingest run did, in counts (each document is in exactly one of the first four)."""

    coded: int = 0
    skipped: int = 0
    """Not coded on purpose (not English, empty body); stored with the reason."""
    failed: int = 0
    read_failures: int = 0
    """Records that could not be read at all (nothing stored for them)."""
    already_stored: int = 0
    """Left out by ``resume`` because the store already has them."""
    events: int = 0

    @property
    def documents(self) -> int:
        """Documents coded and stored in this run, whatever their status."""
        return self.coded + self.skipped + self.failed

    @property
    def ok(self) -> bool:
        """True when nothing failed to be read or coded (the CLI's exit code)."""
        return self.failed == 0 and self.read_failures == 0


# --------------------------------------------------------------------------- worker side


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


# --------------------------------------------------------------------------- backends


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


# --------------------------------------------------------------------------- driver


def _chunks(documents: Iterable[Document], size: int) -> Iterator[_Chunk]:
    """Cut the input into chunks lazily: nothing is read before a chunk is needed."""
    iterator = iter(documents)
    start = 0
    while batch := tuple(islice(iterator, size)):
        yield _Chunk(start, batch)
        start += len(batch)


def _lost(document: Document, exc: BaseException) -> CodedDocument:
    origin = document.origin or document.id
    log.error("%s: coding failed in a worker: %s: %s", origin, type(exc).__name__, exc)
    return CodedDocument(
        document=document,
        status="failed",
        message=f"coding failed: worker lost it ({type(exc).__name__}: {exc})",
    )


def _run(
    chunks: Iterator[_Chunk],
    backend: _Backend,
    *,
    ordered: bool,
    max_buffered: int,
) -> Iterator[CodedDocument]:
    """Keep ``backend.slots`` chunks in flight and yield their results.

    A chunk that fails as a whole is retried: first alone if its failure may be collateral
    (a crashed process pool), then document by document; a document that still fails is
    reported failed. Errors of configuration (``EventwireError``: model or knowledge missing)
    stop the run: every document would fail the same way.
    """
    run = _Flight(chunks, backend, ordered=ordered, max_buffered=max_buffered)
    try:
        while True:
            run.fill()
            if not run.in_flight:
                break
            done = backend.wait_any(list(run.in_flight))
            for future in sorted(done, key=lambda f: run.in_flight[f].start):
                chunk = run.in_flight.pop(future)
                yield from run.deliver(run.collect(future, chunk))
    finally:
        backend.cancel(list(run.in_flight))
    if run.finished:
        raise BatchError(f"{len(run.finished)} results were left over: positions out of step")


class _Flight:
    """The chunks of one run: in flight, waiting for a retry, and results waiting their turn."""

    def __init__(
        self, chunks: Iterator[_Chunk], backend: _Backend, *, ordered: bool, max_buffered: int
    ) -> None:
        self.chunks = chunks
        self.backend = backend
        self.ordered = ordered
        self.max_buffered = max_buffered
        self.in_flight: dict[Any, _Chunk] = {}
        self.retry: deque[_Chunk] = deque()  # blamed chunks split up: run beside others
        self.quarantine: deque[_Chunk] = deque()  # maybe-collateral chunks: run alone
        self.finished: dict[int, CodedDocument] = {}  # ordered: results waiting for their turn
        self.next_position = 0
        self.exhausted = False

    def fill(self) -> None:
        while len(self.in_flight) < self.backend.slots:
            if self.quarantine:
                if not self.in_flight:
                    self._submit(self.quarantine.popleft())
                return
            chunk = self._next_chunk()
            if chunk is None:
                return
            self._submit(chunk)

    def _next_chunk(self) -> _Chunk | None:
        if self.retry:
            return self.retry.popleft()
        if self.exhausted or (self.ordered and len(self.finished) >= self.max_buffered):
            return None
        chunk = next(self.chunks, None)
        self.exhausted = chunk is None
        return chunk

    def _submit(self, chunk: _Chunk) -> None:
        self.in_flight[self.backend.submit(chunk)] = chunk

    def collect(self, future: Any, chunk: _Chunk) -> list[tuple[int, CodedDocument]]:
        try:
            results = future.result()
        except EventwireError:
            raise
        except Exception as exc:
            return self._failed(chunk, exc)
        if len(results) != len(chunk.documents):
            raise BatchError(
                f"a worker returned {len(results)} results for {len(chunk.documents)} documents"
            )
        return [(chunk.start + i, result) for i, result in enumerate(results)]

    def _failed(self, chunk: _Chunk, exc: Exception) -> list[tuple[int, CodedDocument]]:
        if not (chunk.alone or self.backend.blames(exc)):
            log.warning(
                "worker crashed; retrying %d document(s) from position %d alone",
                len(chunk.documents),
                chunk.start,
            )
            self.quarantine.append(replace(chunk, alone=True))
            return []
        if len(chunk.documents) == 1:
            return [(chunk.start, _lost(chunk.documents[0], exc))]
        log.warning(
            "chunk of %d documents failed (%s: %s); retrying them one by one",
            len(chunk.documents),
            type(exc).__name__,
            exc,
        )
        singles = (
            _Chunk(chunk.start + i, (document,), alone=chunk.alone)
            for i, document in enumerate(chunk.documents)
        )
        (self.quarantine if chunk.alone else self.retry).extend(singles)
        return []

    def deliver(self, results: list[tuple[int, CodedDocument]]) -> Iterator[CodedDocument]:
        """Results as they come, or (ordered) as soon as every earlier one has come."""
        for position, result in results:
            if self.ordered:
                self.finished[position] = result
            else:
                yield result
        while self.next_position in self.finished:
            yield self.finished.pop(self.next_position)
            self.next_position += 1


def code_in_parallel(
    documents: Iterable[Document],
    knowledge: Knowledge,
    settings: Settings,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    chunk_size: int = 16,
    ordered: bool = False,
) -> Generator[CodedDocument, None, None]:
    """Code documents on ``workers`` processes (or a Dask cluster); one result per document.

    ``scheduler``: None starts a local Dask cluster of ``workers`` single-threaded processes
    on 127.0.0.1 (a plain process pool when Dask is not installed); ``"processes"`` always
    uses the plain pool; an address (``"tcp://host:8786"``) uses that running cluster.
    Results come as chunks finish, so their order may differ from the input's unless
    ``ordered``; each result is the complete coding of its document and equals what
    ``pipeline.code_documents`` gives. The workers shut down when the iterator is exhausted
    or closed; nothing starts before the first document is asked for.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    _scheduler_kind(scheduler)  # refuse a bad value now, not at the first next()
    return _code_in_parallel(
        documents, knowledge, settings, workers, scheduler, chunk_size, ordered
    )


def _code_in_parallel(
    documents: Iterable[Document],
    knowledge: Knowledge,
    settings: Settings,
    workers: int,
    scheduler: str | None,
    chunk_size: int,
    ordered: bool,
) -> Generator[CodedDocument, None, None]:
    chunks = _chunks(documents, chunk_size)
    first = next(chunks, None)
    if first is None:
        return
    with _open_backend(scheduler, workers, settings, knowledge) as backend:
        yield from _run(
            chain([first], chunks),
            backend,
            ordered=ordered,
            max_buffered=backend.slots * chunk_size,
        )


@dataclass
class _Tally:
    coded: int = 0
    skipped: int = 0
    failed: int = 0
    read_failures: int = 0
    already_stored: int = 0
    events: int = 0

    def count(self, result: CodedDocument) -> None:
        if result.status == "coded":
            self.coded += 1
        elif result.status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1
        self.events += len(result.events)

    def summary(self) -> BatchSummary:
        return BatchSummary(**vars(self))


def ingest_files(
    paths: Iterable[Path | str],
    knowledge: Knowledge,
    settings: Settings,
    store: Store,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    published: date | datetime | None = None,
    chunk_size: int = 16,
    on_result: Callable[[CodedDocument], None] | None = None,
) -> BatchSummary:
    """Read files, code them, store each result: the one ingest path of the CLI and batch runs.

    Streaming: documents are read, coded and saved one batch at a time, and nothing is kept
    once saved, so memory stays flat however long the feed. ``workers=None`` (and no
    ``scheduler``) codes in this process; otherwise on worker processes or a Dask cluster,
    while this process stays the store's only writer. Results are saved in input order, so
    the store ends the same either way, even when a feed repeats a document. ``resume``
    leaves out documents already stored; ``published`` dates documents that carry no date;
    ``on_result`` is called after each save (a progress bar).
    """
    tally = _Tally()

    def documents() -> Iterator[Document]:
        from eventwire.ingest import read_documents

        for path in paths:
            for item in read_documents(Path(path), settings=settings, published=published):
                if isinstance(item, ReadFailure):
                    log.error("%s", item)
                    tally.read_failures += 1
                elif resume and store.has_document(item.source or "", item.id):
                    tally.already_stored += 1
                else:
                    yield item

    return ingest_documents(
        documents(),
        knowledge,
        settings,
        store,
        workers=workers,
        scheduler=scheduler,
        chunk_size=chunk_size,
        on_result=on_result,
        tally=tally,
    )


def ingest_documents(
    documents: Iterable[Document],
    knowledge: Knowledge,
    settings: Settings,
    store: Store,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_size: int = 16,
    on_result: Callable[[CodedDocument], None] | None = None,
    tally: _Tally | None = None,
) -> BatchSummary:
    """Code documents already read (files, or pages ``watch`` fetched) and store each result.

    The same streaming, ordering and worker rules as ``ingest_files``; ``on_result`` is
    called after each save, so a caller can record what is safely stored.
    """
    tally = tally or _Tally()
    if workers is None and scheduler is None:
        coded: Generator[CodedDocument, None, None] = iter_code(documents, knowledge, settings)
    else:
        coded = code_in_parallel(
            documents,
            knowledge,
            settings,
            workers=workers or 2,
            scheduler=scheduler,
            chunk_size=chunk_size,
            ordered=True,
        )
    with closing(coded):  # an error while saving shuts the workers down at once
        for result in coded:
            store.save(result)
            tally.count(result)
            if on_result is not None:
                on_result(result)
    summary = tally.summary()
    log.info(
        "stored %d documents (%d coded, %d skipped, %d failed), %d events",
        summary.documents,
        summary.coded,
        summary.skipped,
        summary.failed,
        summary.events,
    )
    return summary
