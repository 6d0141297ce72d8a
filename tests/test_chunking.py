"""Documents longer than the spaCy pipeline's max_length are coded in chunks (#9)."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.chunking import chunk_bounds
from eventwire.knowledge import Knowledge

if TYPE_CHECKING:
    from spacy.language import Language

PARAGRAPH = (
    "Iran and Russia signed an agreement on energy cooperation in Tehran on Monday. "
    "The Turkish foreign minister met his Greek counterpart in Athens.\n\n"
)


def test_chunks_are_cut_after_paragraphs_and_cover_the_text() -> None:
    text = PARAGRAPH * 10
    bounds = chunk_bounds(text, 400)
    assert "".join(text[s:e] for s, e in bounds) == text
    assert all(e - s <= 400 for s, e in bounds)
    assert all(text[:e].endswith("\n\n") for _, e in bounds[:-1])


def test_without_paragraphs_cuts_fall_after_sentences() -> None:
    text = PARAGRAPH.replace("\n\n", " ") * 10
    bounds = chunk_bounds(text, 300)
    assert all(text[:e].endswith(". ") for _, e in bounds[:-1])


def test_a_text_without_any_boundary_is_cut_hard() -> None:
    assert chunk_bounds("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]
    assert chunk_bounds("", 10) == [(0, 0)]
    with pytest.raises(ValueError, match="positive"):
        chunk_bounds("text", 0)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab .!?\n\"'"), max_size=400),
    size=st.integers(min_value=1, max_value=60),
)
def test_chunks_always_cover_the_text_within_the_limit(text: str, size: int) -> None:
    bounds = chunk_bounds(text, size)
    assert "".join(text[s:e] for s, e in bounds) == text
    assert all(0 < e - s <= size for s, e in bounds) or text == ""
    assert all(a[1] == b[0] for a, b in pairwise(bounds))


@pytest.mark.slow
def test_a_body_beyond_max_length_is_coded_with_offsets_into_the_whole_body(
    nlp: Language, knowledge: Knowledge
) -> None:
    # Regression (#9): a 1.5 MB text failed with spaCy's max_length. The real pipeline's
    # limit is lowered here so the test stays fast; the code path is the same (``nlp`` is
    # the pipeline the default settings code with).
    from eventwire.models import Document
    from eventwire.pipeline import code_document
    from eventwire.settings import Settings

    settings = Settings()
    body = (PARAGRAPH * 20).strip()
    document = Document(id="long", source="T", body=body, published="2019-01-28")
    whole = code_document(document, knowledge, settings)
    saved = nlp.max_length
    nlp.max_length = 1000
    try:
        chunked = code_document(document, knowledge, settings)
    finally:
        nlp.max_length = saved
    assert chunked.status == "coded", chunked.message
    assert len(body) > 2 * 1000
    assert len(chunked.events) == len(whole.events) >= 20
    for event in chunked.events:
        assert body[event.evidence.start : event.evidence.end] == event.evidence.sentence
    assert max(e.evidence.start for e in chunked.events) > 2000
    assert [e.event_id for e in chunked.events] == [e.event_id for e in whole.events]
