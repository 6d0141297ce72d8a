"""The one place that knows the order of stages: Document -> CodedDocument.

Composition only: each stage lives in its own module. A document that breaks a stage is
reported as failed and the others go on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from itertools import islice
from typing import TYPE_CHECKING

from eventwire import actorkb, actors, dates, events, knowledge, nlp, places
from eventwire.models import CodedDocument, Document
from eventwire.settings import Settings

if TYPE_CHECKING:
    from eventwire.actorkb import ActorKnowledge

log = logging.getLogger(__name__)

CODED_LANGUAGES = frozenset({"en"})


def _skip_reason(document: Document) -> str | None:
    if document.language is not None and document.language not in CODED_LANGUAGES:
        return f"language {document.language!r} is not English; stored, not coded"
    if not document.body.strip():
        return "empty body"
    return None


def _code_parsed(parsed: nlp.ParsedDocument) -> CodedDocument:
    document = parsed.document
    if document.published is None:
        log.warning(
            "%s: no publication date; event dates come only from the text",
            document.origin or document.id,
        )
    mentions = actors.extract_actors(parsed)
    candidates = events.extract_events(parsed, mentions)
    event_dates = dates.resolve_dates(candidates, document.published_date)
    locations = places.resolve_places(candidates)
    coded = [
        events.to_event(candidate, document, when, where)
        for candidate, when, where in zip(candidates, event_dates, locations, strict=True)
    ]
    return CodedDocument(document=document, events=coded)


def _failed(document: Document, exc: Exception) -> CodedDocument:
    origin = document.origin or document.id
    log.error("%s: coding failed: %s: %s", origin, type(exc).__name__, exc)
    return CodedDocument(
        document=document, status="failed", message=f"coding failed: {type(exc).__name__}: {exc}"
    )


def code_document(
    document: Document, settings: Settings | None = None, *, kb: ActorKnowledge | None = None
) -> CodedDocument:
    """Code one document (skipping non-English or empty ones)."""
    return next(iter_code([document], settings or Settings(), kb=kb))


def iter_code(
    documents: Iterable[Document],
    settings: Settings | None = None,
    *,
    kb: ActorKnowledge | None = None,
) -> Iterator[CodedDocument]:
    """Code documents lazily, in order, batching them through spaCy for speed.

    ``kb`` is a fixed snapshot of actor knowledge (user edits, imports, learned roles) read
    once before coding, so results never depend on document order or on how work is split;
    None means the built-in knowledge files only.
    """
    settings = settings or Settings()
    if settings.knowledge_dir is not None:
        knowledge.use_user_dir(settings.knowledge_dir)
    iterator = iter(documents)
    while batch := list(islice(iterator, settings.batch_size)):
        with actorkb.use_knowledge(kb) if kb is not None else nullcontext():
            results = list(_code_batch(batch, settings))
        yield from results


def _code_batch(batch: list[Document], settings: Settings) -> Iterator[CodedDocument]:
    results: dict[int, CodedDocument] = {}
    to_parse: list[int] = []
    pipeline = None
    for i, document in enumerate(batch):
        reason = _skip_reason(document)
        if reason is not None:
            log.warning("%s: skipped: %s", document.origin or document.id, reason)
            results[i] = CodedDocument(document=document, status="skipped", message=reason)
            continue
        pipeline = pipeline or nlp.load_pipeline(settings.model)
        to_parse.append(i)  # a body beyond the pipeline's max_length is parsed in chunks
    parsed: dict[int, nlp.ParsedDocument] = {}
    if pipeline is not None and to_parse:
        docs = [batch[i] for i in to_parse]
        try:
            parsed = dict(
                zip(to_parse, nlp.parse_many(docs, pipeline, settings.batch_size), strict=True)
            )
        except Exception:  # find the culprit: parse one by one, the rest still get coded
            for i in to_parse:
                try:
                    parsed[i] = nlp.parse(batch[i], pipeline)
                except Exception as exc:
                    results[i] = _failed(batch[i], exc)
    for i, document in enumerate(batch):
        if i in results:
            yield results[i]
            continue
        try:
            yield _code_parsed(parsed[i])
        except Exception as exc:  # one bad document must never lose the others
            yield _failed(document, exc)


def code_documents(
    documents: Sequence[Document],
    settings: Settings | None = None,
    *,
    kb: ActorKnowledge | None = None,
) -> list[CodedDocument]:
    """Code a list of documents; results are in the same order."""
    return list(iter_code(documents, settings, kb=kb))
