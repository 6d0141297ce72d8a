"""The corpus tools: stand-off without copied prose, fixed dev split, sentence labels."""

from __future__ import annotations

import pytest

from eventwire.training.build import in_dev, locate, redact, standoff_entities
from eventwire.training.corpus import Article, sentences

TEXT = (
    "The foreign minister of Atlantis condemned the raid on Tuesday. "
    "Officials said nothing else. Later the navy shelled the port."
)


def test_redact_replaces_copied_stretches_by_offsets() -> None:
    note = "A says 'foreign minister of Atlantis condemned the raid' is ACCUSE."
    out = redact(note, TEXT)
    assert "condemned the raid" not in out
    assert "⟨4-" in out and out.startswith("A says '") and out.endswith("' is ACCUSE.")


def test_redact_leaves_short_quotes() -> None:
    assert redact("trigger 'condemned'", TEXT) == "trigger 'condemned'"


def test_standoff_entities_are_offsets_into_the_text() -> None:
    event = locate(
        {
            "type": "ACCUSE",
            "trigger": "condemned",
            "evidence": TEXT[: TEXT.index(" Officials")],
            "actor": [{"text": "foreign minister of Atlantis", "country": None, "sector": "GOV"}],
            "recipient": [],
            "note": "",
        },
        TEXT,
        "t",
    )
    out = standoff_entities(event, TEXT)
    entity = out["actor"][0]
    assert "text" not in entity
    assert TEXT[entity["start"] : entity["end"]] == "foreign minister of Atlantis"
    assert TEXT[event["trigger_start"] : event["trigger_end"]] == "condemned"


def test_dev_membership_is_fixed_by_the_id() -> None:
    ids = [f"doc-{i}" for i in range(400)]
    first = [in_dev(i, 0.15) for i in ids]
    assert first == [in_dev(i, 0.15) for i in reversed(ids)][::-1]
    assert 0.08 < sum(first) / len(ids) < 0.22


def test_sentences_are_labelled_by_their_trigger() -> None:
    trigger = TEXT.index("shelled")
    article = Article(
        "t",
        "train",
        TEXT,
        [{"type": "ASSAULT", "trigger_start": trigger, "evidence_start": trigger - 15}],
    )

    def split(text: str) -> list[tuple[int, int]]:
        a = text.index("Officials")
        b = text.index("Later")
        return [(0, a), (a, b), (b, len(text))]

    labelled = list(sentences([article], split))
    assert [sorted(s.types) for s in labelled] == [[], [], ["ASSAULT"]]


def test_background_events_can_be_left_out_of_the_labels() -> None:
    condemned, shelled = TEXT.index("condemned"), TEXT.index("shelled")
    events = [
        {"type": "ACCUSE", "trigger_start": condemned, "evidence_start": 0},
        {
            "type": "ASSAULT",
            "trigger_start": shelled,
            "evidence_start": shelled,
            "background": True,
        },
    ]
    article = Article("t", "train", TEXT, events)

    def split(text: str) -> list[tuple[int, int]]:
        a = text.index("Officials")
        return [(0, a), (a, len(text))]

    every = [sorted(s.types) for s in sentences([article], split)]
    news = [sorted(s.types) for s in sentences([article], split, background=False)]
    assert every == [["ACCUSE"], ["ASSAULT"]]
    assert news == [["ACCUSE"], []]


def test_articles_carry_the_collection_the_corpus_records(tmp_path) -> None:
    """Dev figures are split by collection as built (``collection``; the frozen split names its
    ``source``), not guessed from ids."""
    import json

    from eventwire.training.corpus import read_articles

    (tmp_path / "test").mkdir()
    rows = [{"id": "voa-1", "source": "VOA", "text": TEXT, "events": []}]
    (tmp_path / "test" / "voa_test.jsonl").write_text(json.dumps(rows[0]) + "\n")
    (tmp_path / "dev.jsonl").write_text(
        json.dumps({"id": "x-2", "collection": "guardian_2017_2019", "text": TEXT, "events": []})
        + "\n"
    )
    found = {a.id: a.collection for a in read_articles(tmp_path, None, ["test", "dev"])}
    assert found == {"voa-1": "voa", "x-2": "guardian_2017_2019"}


def test_oversampling_options_are_read_and_checked() -> None:
    from eventwire.training.train import oversampling

    assert oversampling(["voa=3", "guardian_2017_2019=1"]) == {"voa": 3, "guardian_2017_2019": 1}
    assert oversampling([]) == {}
    for bad in ("voa", "voa=0", "=2", "voa=two"):
        with pytest.raises(SystemExit, match="COLLECTION=N"):
            oversampling([bad])
