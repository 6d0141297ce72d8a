"""Accuracy gates: the coder must not fall below the floors pinned in tests/gold/floors.json.

Two gates, kept apart because they say different things:
- held-out: the frozen test split (corpus/test, 30 whole VOA stories annotated blind, never
  used to fit rules, model or thresholds), coded by the full coder;
- in-sample: the team's own gold (written beside the trigger rules), coded by the trigger rules
  alone (``event_model="off"``), so a rule regression cannot hide behind the classifier.
Each gold file is checked against its recorded checksum first: the gate never runs on an
edited gold and never skips. Slow: it loads the real spaCy model through the pipeline.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from eventwire.evaluate import EvaluationReport, evaluate_file, format_report
from eventwire.settings import Settings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "gold"
TEST_SPLIT = ROOT / "corpus" / "test" / "voa_test.jsonl"


def _checked(path: Path) -> Path:
    sums = path.parent / "SHA256SUMS"
    recorded = dict(
        reversed(line.split()) for line in sums.read_text(encoding="utf-8").splitlines()
    )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert recorded[path.name] == digest, f"{path} differs from its checksum in {sums}"
    return path


@pytest.fixture(scope="module")
def floors() -> dict[str, dict[str, float]]:
    data: dict[str, dict[str, float]] = json.loads(
        (GOLD_DIR / "floors.json").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture(scope="module")
def heldout_report() -> EvaluationReport:
    return evaluate_file(_checked(TEST_SPLIT), settings=Settings(), explain=True)


@pytest.fixture(scope="module")
def team_rules_report() -> EvaluationReport:
    gold = _checked(GOLD_DIR / "eventwire_gold.jsonl")
    # written with CAMEO's reading of groups (Al-Shabaab SOM), so scored with it
    settings = Settings(event_model="off", group_countries="cameo")
    return evaluate_file(gold, settings=settings, explain=True)


def test_every_gold_document_is_coded(
    heldout_report: EvaluationReport, team_rules_report: EvaluationReport
) -> None:
    assert heldout_report.documents >= 25 and heldout_report.failed_documents == 0
    assert team_rules_report.documents >= 100 and team_rules_report.failed_documents == 0


@pytest.mark.parametrize("level", ["type_f1", "dyad_f1", "date", "place"])
def test_heldout_split_does_not_fall_below_the_floor(
    heldout_report: EvaluationReport, floors: dict[str, dict[str, float]], level: str
) -> None:
    measured = {
        "type_f1": heldout_report.type_scores.f1,
        "dyad_f1": heldout_report.dyad_scores.f1,
        "date": heldout_report.date_on_type.share or 0.0,
        "place": heldout_report.place_on_type.share or 0.0,
    }[level]
    assert measured >= floors["heldout_test_split"][level], format_report(heldout_report)


@pytest.mark.parametrize("level", ["type_f1", "dyad_f1"])
def test_team_gold_rules_do_not_fall_below_the_floor(
    team_rules_report: EvaluationReport, floors: dict[str, dict[str, float]], level: str
) -> None:
    scores = team_rules_report.type_scores if level == "type_f1" else team_rules_report.dyad_scores
    assert scores.f1 >= floors["team_gold_rules"][level], format_report(team_rules_report)
