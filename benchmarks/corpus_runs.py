"""What the benchmarks reading the annotated corpus share: their command-line arguments, and
the corpus articles coded with the rules alone beside their gold events.

Imported by the scripts of this folder (``python benchmarks/x.py`` puts it on the path). The
articles' text is read from ../shared at run time.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventwire.evaluate.gold import GoldEvent
    from eventwire.models import Event
    from eventwire.training.corpus import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def corpus_arguments(description: str, splits: str) -> argparse.ArgumentParser:
    """A parser with the corpus splits, folders and the JSON switch."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--splits", default=splits, help="corpus splits, comma-separated")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--json", action="store_true")
    return parser


def rules_alone(
    corpus: Path, shared: Path, splits: str
) -> Iterator[tuple[str, Article, list[GoldEvent], list[Event]]]:
    """Per article of each split: the split, the article, its gold events and the events the
    rules alone code there (repeats of type, codes and sentence removed, as the scorer does)."""
    from eventwire.evaluate.matching import dedupe_events
    from eventwire.knowledge import Knowledge
    from eventwire.models import Document
    from eventwire.pipeline import iter_code
    from eventwire.settings import Settings
    from eventwire.training.corpus import published_dates, read_articles
    from eventwire.training.tune import gold_document

    settings = Settings(event_model="off")
    knowledge = Knowledge.from_settings(settings)
    published = published_dates(shared)
    for split in splits.split(","):
        articles = read_articles(corpus, shared, [split])
        documents = [
            Document(id=a.id, published=published[a.id][:10], body=a.text) for a in articles
        ]
        for article, coded in zip(articles, iter_code(documents, knowledge, settings), strict=True):
            gold = gold_document(article, published[article.id]).events
            yield split, article, gold, dedupe_events(coded.events)
