"""The one place that knows the order of stages: Document -> CodedDocument.

Composition only: each stage lives in its own module. A document that breaks a stage is
reported as failed and the others go on.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice

from eventwire import actors, codebook, dates, events, nlp, places
from eventwire.knowledge import Knowledge
from eventwire.models import ActorMention, CodedDocument, Document, Event
from eventwire.settings import Settings

log = logging.getLogger(__name__)

CODED_LANGUAGES = frozenset({"en"})


def _skip_reason(document: Document) -> str | None:
    if document.language is not None and document.language not in CODED_LANGUAGES:
        return f"language {document.language!r} is not English; stored, not coded"
    if not document.body.strip():
        return "empty body"
    return None


def _code_parsed(parsed: nlp.ParsedDocument, knowledge: Knowledge) -> CodedDocument:
    document = parsed.document
    if document.published is None:
        log.warning(
            "%s: no publication date; event dates come only from the text",
            document.origin or document.id,
        )
    mentions = actors.extract_actors(parsed, knowledge=knowledge)
    candidates = events.extract_events(parsed, mentions, knowledge=knowledge)
    event_dates = dates.resolve_dates(candidates, document.published_date, knowledge=knowledge)
    locations = places.resolve_places(candidates, knowledge=knowledge)
    book = codebook.of(knowledge)
    coded = [
        Event.from_candidate(
            candidate,
            document,
            when,
            where,
            plover_score=book.score(candidate.type, candidate.mode),
            quad_class=book.quad_class(candidate.type),
        )
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
    document: Document, knowledge: Knowledge, settings: Settings | None = None
) -> CodedDocument:
    """Code one document (skipping non-English or empty ones) with ``knowledge``."""
    return next(iter_code([document], knowledge, settings))


def iter_code(
    documents: Iterable[Document],
    knowledge: Knowledge,
    settings: Settings | None = None,
) -> Generator[CodedDocument, None, None]:
    """Code documents lazily, in order, batching them through spaCy for speed.

    ``knowledge`` is read-only while coding (its actor snapshot, ``knowledge.actors``, is read
    once before), so results never depend on document order or on how work is split.
    ``settings`` gives the spaCy model and the batch size. While one batch is coded on a
    second thread, the next is parsed (spaCy and ONNX Runtime release the interpreter lock
    for their heavy parts), so two cores share the work; the results are the same either
    way. Parsing stays on the calling thread, whose memory spaCy has already grown.
    """
    settings = settings or Settings()
    iterator = iter(documents)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="eventwire-code") as coder:
        coding: Future[list[CodedDocument]] | None = None
        while batch := list(islice(iterator, settings.batch_size)):
            parsing = _parse_batch(batch, settings)  # while the batch before is being coded
            done = coding.result() if coding is not None else []
            coding = coder.submit(_code_batch, batch, parsing, knowledge)
            yield from done
        if coding is not None:
            yield from coding.result()


_Parsed = tuple[dict[int, CodedDocument], dict[int, nlp.ParsedDocument]]
"""A batch after parsing: documents already settled (skipped, failed), and the parses."""


def _parse_batch(batch: list[Document], settings: Settings) -> _Parsed:
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
    return results, parsed


def _code_batch(
    batch: list[Document], parsing: _Parsed, knowledge: Knowledge
) -> list[CodedDocument]:
    results, parsed = parsing
    coded = []
    for i, document in enumerate(batch):
        if i in results:
            coded.append(results[i])
            continue
        try:
            coded.append(_code_parsed(parsed[i], knowledge))
        except Exception as exc:  # one bad document must never lose the others
            coded.append(_failed(document, exc))
    return coded


def code_documents(
    documents: Sequence[Document], knowledge: Knowledge, settings: Settings | None = None
) -> list[CodedDocument]:
    """Code a list of documents; results are in the same order."""
    return list(iter_code(documents, knowledge, settings))


def sentence_spans(
    texts: Iterable[str], settings: Settings | None = None
) -> list[list[tuple[int, int]]]:
    """The sentences the coder reads in each text (the settings' spaCy pipeline), as (start,
    end) character offsets: for measures over sentences without coding (``evaluate``)."""
    settings = settings or Settings()
    pipeline = nlp.load_pipeline(settings.model)
    return [
        [(sent.start_char, sent.end_char) for sent in doc.sents]
        for doc in pipeline.pipe(texts, batch_size=settings.batch_size)
    ]


def iter_mentions(
    documents: Iterable[Document], knowledge: Knowledge, settings: Settings | None = None
) -> Iterator[tuple[Document, list[ActorMention]]]:
    """The first stages only (nlp, then actors): each codable document with its actor mentions.

    For the learning pass (``learn``), which must see the document's own words only: pass a
    ``knowledge`` whose actor snapshot knows nobody (``ActorKnowledge.empty()``). Documents
    that would be skipped or are too long to parse are left out.
    """
    settings = settings or Settings()
    pipeline = nlp.load_pipeline(settings.model)
    iterator = iter(documents)
    while batch := list(islice(iterator, settings.batch_size)):
        usable = [
            d for d in batch if _skip_reason(d) is None and len(d.body) <= pipeline.max_length
        ]
        for parsed in nlp.parse_many(usable, pipeline):
            yield parsed.document, actors.extract_actors(parsed, knowledge=knowledge)
