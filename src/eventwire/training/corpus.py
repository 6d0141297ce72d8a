"""The annotated corpus as sentences with event-type labels, for training and measuring.

The committed files under ``corpus/`` carry offsets only (plus the text of the public-domain
VOA test split); article text is read from ../shared and checked against the recorded hash, so
an edited source is caught rather than silently mislabelled.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwire.models import Document, EventType
from eventwire.training.build import read_articles as read_sources

if TYPE_CHECKING:
    from eventwire.nlp import ParsedDocument

EVENT_TYPES = tuple(t.value for t in EventType)
"""The classifier's labels, in the codebook's order (the model file records them too)."""


@dataclass(frozen=True)
class Article:
    id: str
    split: str
    text: str
    events: list[dict[str, Any]]
    collection: str = ""
    """The ../shared collection it comes from (``voa``, ``guardian_2017_2019``), as built."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of an annotated article and the types of the events it reports."""

    article_id: str
    split: str
    start: int
    end: int
    text: str
    types: frozenset[str] = field(default_factory=frozenset)


def article_texts(shared: Path) -> dict[str, str]:
    """Article id -> body text, for every collection in ../shared."""
    return {i: record["text"] for i, (_, record) in read_sources(shared).items()}


def read_articles(corpus: Path, shared: Path | None, splits: Iterable[str]) -> list[Article]:
    """Articles of the named splits; train and dev need ../shared for their text."""
    articles: list[Article] = []
    texts: dict[str, str] | None = None
    for split in splits:
        path = corpus / "test" / "voa_test.jsonl" if split == "test" else corpus / f"{split}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "text" in row:
                text = row["text"]
            else:
                if shared is None:
                    raise ValueError(f"{path}: split {split!r} needs ../shared for its text")
                texts = texts if texts is not None else article_texts(shared)
                text = texts[row["id"]]
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                if digest != row["text_sha256"]:
                    raise ValueError(f"{path}: text of {row['id']} changed since annotation")
            # the frozen test split holds VOA stories only and names its source instead
            collection = row.get("collection") or str(row.get("source", "")).lower()
            articles.append(Article(row["id"], split, text, row["events"], collection))
    return articles


Splitter = Callable[[str], Iterable[tuple[int, int]]]


def parsed_split(
    split: str, corpus: Path, shared: Path, model: str
) -> Iterator[tuple[Article, ParsedDocument]]:
    """The split's articles in order, each with its parse by the spaCy pipeline ``model``
    (dated as published, as the coder reads them)."""
    from eventwire import nlp

    published = published_dates(shared)
    articles = read_articles(corpus, shared, [split])
    documents = [Document(id=a.id, published=published[a.id][:10], body=a.text) for a in articles]
    parsed = nlp.parse_many(documents, nlp.load_pipeline(model))
    yield from zip(articles, parsed, strict=True)


def published_dates(shared: Path) -> dict[str, str]:
    """Article id -> publication date (or time) as the source gives it."""
    return {i: record["published"] for i, (_, record) in read_sources(shared).items()}


def sentences(
    articles: Iterable[Article], split_sentences: Splitter, *, background: bool = True
) -> Iterator[Sentence]:
    """Each sentence with the types of events whose trigger (or evidence) starts inside it.

    ``background=False`` leaves out events the annotators marked as background (past facts the
    text states): the scorer treats them as optional, so a reader need not learn to report them.
    """
    for article in articles:
        spans = list(split_sentences(article.text))
        labels: list[set[str]] = [set() for _ in spans]
        for event in article.events:
            if not background and event.get("background"):
                continue
            anchor = event.get("trigger_start")
            if anchor is None:
                anchor = event["evidence_start"]
            for i, (start, end) in enumerate(spans):
                if start <= anchor < end:
                    labels[i].add(event["type"])
                    break
        for (start, end), types in zip(spans, labels, strict=True):
            text = article.text[start:end].strip()
            if text:
                yield Sentence(article.id, article.split, start, end, text, frozenset(types))


def counts(items: Iterable[Sentence]) -> dict[str, Any]:
    """Sentence, event-sentence and per-type counts, for the corpus card."""
    per_type: Counter[str] = Counter()
    total = with_event = 0
    for sentence in items:
        total += 1
        with_event += bool(sentence.types)
        per_type.update(sentence.types)
    return {"sentences": total, "event_sentences": with_event, "per_type": dict(per_type)}


def spacy_splitter(model: str) -> Splitter:
    """Sentence spans from the coder's own spaCy pipeline, so training sees run-time sentences."""
    import spacy

    nlp = spacy.load(model, disable=["ner", "lemmatizer"])

    def split(text: str) -> Iterator[tuple[int, int]]:
        for sent in nlp(text).sents:
            yield sent.start_char, sent.end_char

    return split
