"""The pipeline's batching: parsing the next batch while coding this one must change nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eventwire.models import Document
from eventwire.pipeline import code_document, iter_code
from eventwire.settings import Settings
from support import builtin_knowledge, news_documents

TEXTS = [
    "The Turkish foreign minister met his Greek counterpart in Athens on Tuesday.",
    "Police in Kenya arrested twelve opposition supporters in Nairobi on Friday.",
    "",
    "Iran accused the United States of violating the nuclear agreement.",
    "Der Außenminister traf gestern seinen Amtskollegen in Berlin.",
    "Russian troops shelled villages in eastern Ukraine overnight, officials said.",
    "The United Nations called on Myanmar to release detained journalists.",
]


def _documents() -> list[Document]:
    return news_documents(TEXTS, "p")


@pytest.mark.slow
def test_batches_parsed_ahead_give_each_document_its_own_result_in_order() -> None:
    knowledge = builtin_knowledge()
    documents = _documents()
    batched = list(iter_code(documents, knowledge, Settings(batch_size=2)))
    alone = [code_document(d, knowledge) for d in documents]
    assert [c.document.id for c in batched] == [d.id for d in documents]
    assert [c.status for c in batched] == [
        "coded",
        "coded",
        "skipped",
        "coded",
        "skipped",
        "coded",
        "coded",
    ]
    assert sum(len(c.events) for c in batched) >= 5  # the comparison below means something
    assert [c.model_dump() for c in batched] == [c.model_dump() for c in alone]


@pytest.mark.slow
def test_reading_ahead_is_bounded_to_one_batch() -> None:
    """A feed is read at most one batch beyond what has been handed back."""
    taken: list[str] = []

    def feed() -> Iterator[Document]:
        for document in _documents():
            taken.append(document.id)
            yield document

    coded = iter_code(feed(), builtin_knowledge(), Settings(batch_size=2))
    first = next(coded)
    assert first.document.id == "p0"
    assert len(taken) <= 4
    assert [c.document.id for c in coded] == [f"p{i}" for i in range(1, len(TEXTS))]
    coded.close()
