"""The tuning tool: its ``--variants`` file is checked before the corpus is coded, and what it
reports of each variant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from event_builders import event
from eventwire.evaluate import GoldDocument, GoldEntity, GoldEvent, score
from eventwire.models import Entity, EventType
from eventwire.training.tune import main, per_sentence, read_variants


def test_named_policies_are_read(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"shipped": {"add": 0.7}, "other": {"add": 0.6, "model": "m"}}))
    assert read_variants(path) == {"shipped": {"add": 0.7}, "other": {"add": 0.6, "model": "m"}}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[{"add": 0.7}]', "expected an object of named policies"),
        ('{"a": 0.7}', "variant 'a' is not an object"),
        ('{"a": {"ad": 0.7}}', "unknown fields ['ad']"),
        ("{not json", "cannot read the variants"),
    ],
)
def test_a_bad_variants_file_names_the_file_and_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "variants.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=r"variants\.json") as caught:
        read_variants(path)
    assert problem in str(caught.value)


def test_the_tool_stops_before_coding_on_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "variants.json"
    path.write_text("[]")
    with pytest.raises(SystemExit) as stopped:
        main(["--variants", str(path), "--corpus", str(tmp_path / "none")])
    assert stopped.value.code == 2
    assert "expected an object of named policies" in capsys.readouterr().err


def test_a_variant_reports_its_per_sentence_readings_as_counts() -> None:
    sentence = "Rebels shelled the town of Kadara on Sunday."
    gold = GoldDocument(
        id="d1",
        text=sentence,
        events=[
            GoldEvent(
                type=EventType.ASSAULT,
                actor=[GoldEntity(sector="REB")],
                evidence=sentence,
            )
        ],
    )
    rebels = Entity(text="Rebels", sector="REB", kind="organisation")
    wrong_type = event("THREATEN", [rebels], [], doc_id="d1", sentence=sentence)
    assert per_sentence(score([gold], {"d1": [wrong_type]})) == {
        "in_sentence_f1": "0.0000 / 0.0000",
        "top_type": "0/1",
        "pair_found": "1/1",
    }
    right = event("ASSAULT", [rebels], [], doc_id="d1", sentence=sentence)
    assert per_sentence(score([gold], {"d1": [right]}))["in_sentence_f1"] == "1.0000 / 1.0000"
