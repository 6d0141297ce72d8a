"""Bootstrap intervals over documents: how far a score could move on other documents."""

from __future__ import annotations

import pytest

from eventwire.evaluate.intervals import f1_intervals, paired_difference
from eventwire.evaluate.records import DocumentCounts


def _doc(name: str, gold: int, predicted: int, typed: int, dyad: int) -> DocumentCounts:
    return DocumentCounts(
        document=name, gold=gold, predicted=predicted, type_matched=typed, dyad_matched=dyad
    )


def _f1(docs: list[DocumentCounts], level: str) -> float:
    matched = sum(getattr(d, f"{level}_matched") for d in docs)
    return 2 * matched / (sum(d.gold for d in docs) + sum(d.predicted for d in docs))


MIXED = [
    _doc("a", 4, 3, 3, 1),
    _doc("b", 2, 5, 1, 0),
    _doc("c", 6, 6, 5, 4),
    _doc("d", 0, 2, 0, 0),
    _doc("e", 3, 1, 1, 1),
    _doc("f", 5, 4, 2, 2),
]


def test_identical_documents_leave_no_room() -> None:
    docs = [_doc(str(i), 4, 2, 2, 1) for i in range(10)]
    spans = f1_intervals(docs)
    assert spans["type"].low == spans["type"].high == round(_f1(docs, "type"), 3)
    assert spans["dyad"].low == spans["dyad"].high == round(_f1(docs, "dyad"), 3)


def test_the_interval_holds_the_score_and_is_reproducible() -> None:
    spans = f1_intervals(MIXED)
    for level in ("type", "dyad"):
        assert spans[level].low < _f1(MIXED, level) < spans[level].high
        assert spans[level].level == 0.95
    assert f1_intervals(MIXED) == spans
    narrower = f1_intervals(MIXED, level=0.5)
    assert spans["type"].low <= narrower["type"].low <= narrower["type"].high
    assert narrower["type"].high <= spans["type"].high


def test_one_document_gives_no_interval() -> None:
    assert f1_intervals(MIXED[:1]) == {}
    assert f1_intervals(MIXED, rounds=0) == {}


def test_paired_difference_of_a_coder_with_itself_is_nil() -> None:
    gap = paired_difference(MIXED, MIXED)
    assert gap["type"].low == gap["type"].high == 0.0


def test_a_coder_better_on_every_document_is_shown_better() -> None:
    better = [
        _doc(d.document, d.gold, d.predicted, d.type_matched + 1, d.dyad_matched + 1) for d in MIXED
    ]
    gap = paired_difference(MIXED, better)
    assert gap["type"].low > 0 and gap["dyad"].low > 0


def test_paired_difference_needs_the_same_documents() -> None:
    with pytest.raises(ValueError, match="same documents"):
        paired_difference(MIXED, MIXED[::-1])
