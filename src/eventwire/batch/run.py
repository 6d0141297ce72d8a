"""The driver: cut the input into chunks, keep a bounded number in flight, retry failures.

A chunk that fails as a whole is retried alone (its failure may be collateral of a crashed
pool), then document by document, until only the document that kills its worker is reported
failed. ``code_in_parallel`` is the public entry point.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from dataclasses import replace
from itertools import chain, islice
from typing import Any

from eventwire.batch.backends import _Backend, _Chunk, _open_backend, _scheduler_kind
from eventwire.batch.errors import BatchError
from eventwire.errors import EventwireError
from eventwire.knowledge import Knowledge
from eventwire.models import CodedDocument, Document
from eventwire.settings import Settings

log = logging.getLogger(__name__)


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
