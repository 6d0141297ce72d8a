"""Accuracy gate: the coder must not fall below the floors pinned in tests/gold/floors.json.

Like trafilatura's evaluation gate, the floors live in a file next to the gold so that a drop
shows up as a failing test and raising (or, with a recorded reason, lowering) them is a
reviewed change. Slow: it loads the real spaCy model through the pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.evaluate import EvaluationReport, evaluate_file, format_report
from eventwire.settings import Settings

pytestmark = pytest.mark.slow

GOLD_DIR = Path(__file__).resolve().parent / "gold"


@pytest.fixture(scope="module")
def team_report() -> EvaluationReport:
    pytest.importorskip(
        "eventwire.pipeline", reason="eventwire.pipeline is not importable: nothing to evaluate"
    )
    return evaluate_file(GOLD_DIR / "eventwire_gold.jsonl", settings=Settings(), explain=True)


@pytest.fixture(scope="module")
def floors() -> dict[str, float]:
    return json.loads((GOLD_DIR / "floors.json").read_text(encoding="utf-8"))


def test_every_gold_document_is_coded(team_report: EvaluationReport) -> None:
    assert team_report.documents >= 100
    assert team_report.failed_documents == 0


def test_type_f1_does_not_fall_below_the_floor(
    team_report: EvaluationReport, floors: dict[str, float]
) -> None:
    assert team_report.type_scores.f1 >= floors["type_f1"], format_report(team_report)


def test_dyad_f1_does_not_fall_below_the_floor(
    team_report: EvaluationReport, floors: dict[str, float]
) -> None:
    assert team_report.dyad_scores.f1 >= floors["dyad_f1"], format_report(team_report)
