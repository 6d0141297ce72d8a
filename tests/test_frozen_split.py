"""The frozen test split: unchanged since it was frozen, whole stories, offsets that hold."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TEST = CORPUS / "test" / "voa_test.jsonl"


def test_checksum_matches_the_frozen_file() -> None:
    recorded = (CORPUS / "test" / "SHA256SUMS").read_text(encoding="utf-8").split()
    assert recorded[1] == TEST.name
    assert hashlib.sha256(TEST.read_bytes()).hexdigest() == recorded[0]


def test_split_is_whole_voa_stories_with_offsets_into_their_text() -> None:
    rows = [json.loads(line) for line in TEST.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 25
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert row["source"] == "VOA" and row["id"].startswith("voa-")
        for event in row["events"]:
            span = row["text"][event["evidence_start"] : event["evidence_end"]]
            assert span == event["evidence"], row["id"]
            if event["trigger_start"] is not None:
                trigger = row["text"][event["trigger_start"] : event["trigger_end"]]
                assert trigger == event["trigger"]


def test_no_test_story_is_in_training_or_dev() -> None:
    test_ids = {json.loads(line)["id"] for line in TEST.read_text(encoding="utf-8").splitlines()}
    for split in ("train", "dev"):
        path = CORPUS / f"{split}.jsonl"
        ids = {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()}
        assert not ids & test_ids, split
