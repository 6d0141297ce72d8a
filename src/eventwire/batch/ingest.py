"""The one ingest path of the CLI, batch runs and ``watch``: read, code, store, count.

Streaming: documents are read, coded and saved one batch at a time and nothing is kept once
saved. This process is the store's only writer, whether coding runs here or on workers.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from eventwire.batch.run import code_in_parallel
from eventwire.knowledge import Knowledge
from eventwire.models import CodedDocument, Document, ReadFailure
from eventwire.pipeline import iter_code
from eventwire.settings import Settings

if TYPE_CHECKING:
    from eventwire.store import Store

log = logging.getLogger(__name__)


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


class _Tally:
    """Running counts of an ingest run; its fields are BatchSummary's."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, field: str, n: int = 1) -> None:
        self.counts[field] += n

    def count(self, result: CodedDocument) -> None:
        status = result.status if result.status in ("coded", "skipped") else "failed"
        self.counts[status] += 1
        self.counts["events"] += len(result.events)

    def summary(self) -> BatchSummary:
        return BatchSummary(**self.counts)


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
                    tally.add("read_failures")
                elif resume and store.has_document(item.source or "", item.id):
                    tally.add("already_stored")
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
