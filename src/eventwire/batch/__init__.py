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

Modules: ``worker`` (what a worker process runs), ``backends`` (process pool or Dask cluster,
scheduler value, worker checks), ``run`` (chunks in flight, retries; ``code_in_parallel``),
``ingest`` (``ingest_files``, ``ingest_documents`` and their ``BatchSummary``), ``errors``.
"""

from __future__ import annotations

from eventwire.batch.backends import CHUNKS_PER_SLOT, PROCESSES
from eventwire.batch.errors import BatchError
from eventwire.batch.ingest import BatchSummary, ingest_documents, ingest_files
from eventwire.batch.run import code_in_parallel

__all__ = [
    "CHUNKS_PER_SLOT",
    "PROCESSES",
    "BatchError",
    "BatchSummary",
    "code_in_parallel",
    "ingest_documents",
    "ingest_files",
]
