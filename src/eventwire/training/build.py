"""Assemble the committed corpus from blind annotators' files (a one-off, reproducible step).

Annotators write one JSON object per article (../shared/annotation/GUIDELINE.md format) with the
evidence sentence as text. Here every evidence and trigger becomes character offsets into the
article body, so Guardian annotations are stand-off (the text stays in ../shared) while the
public-domain VOA test split is written with its text and a checksum.

    python -m eventwire.training.build --annotations /work/annot --shared ../shared --out corpus
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

COLLECTIONS = {
    "voa": "data/voa/stories.jsonl",
    "guardian_2017_2019": "data/guardian_2017_2019/articles.jsonl",
}
EVENT_KEYS = (
    "type", "alt_types", "mode", "actor", "recipient", "date", "date_range",
    "location", "background", "repeat", "note",
)  # fmt: skip


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_articles(shared: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """Article id -> (collection, record) for every collection in ../shared."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for collection, rel in COLLECTIONS.items():
        with (shared / rel).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                found[record["id"]] = (collection, record)
    return found


def in_dev(article_id: str, share: float) -> bool:
    """A fixed, order-free choice of dev articles: the same article is always on the same side."""
    return int(sha256(article_id)[:8], 16) / 0xFFFFFFFF < share


def locate(event: dict[str, Any], text: str, where: str) -> dict[str, Any]:
    """Turn an event's evidence and trigger strings into offsets into `text`."""
    evidence = event["evidence"]
    start = text.find(evidence)
    if start < 0:
        raise ValueError(f"{where}: evidence not in the text: {evidence[:60]!r}")
    out = {key: event.get(key) for key in EVENT_KEYS}
    out["evidence_start"], out["evidence_end"] = start, start + len(evidence)
    trigger = (event.get("trigger") or "").strip()
    t = evidence.find(trigger) if trigger else -1
    out["trigger_start"] = start + t if t >= 0 else None
    out["trigger_end"] = start + t + len(trigger) if t >= 0 else None
    return out


def annotation_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(pass name, file) for every annotator batch folder and the adjudicated folder."""
    for folder in sorted((root / "out").iterdir()):
        for path in sorted(folder.glob("*.json")):
            yield folder.name, path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, required=True)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("corpus"))
    parser.add_argument("--dev-share", type=float, default=0.15)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    plan = json.loads((args.annotations / "split_plan.json").read_text())
    articles = read_articles(args.shared)
    passes: dict[str, dict[str, dict[str, Any]]] = {}
    for name, path in annotation_files(args.annotations):
        record = json.loads(path.read_text(encoding="utf-8"))
        passes.setdefault(record["id"], {})[name] = record

    def final(article_id: str) -> tuple[dict[str, Any], list[str]]:
        versions = passes[article_id]
        chosen = "adjudicated" if "adjudicated" in versions else sorted(versions)[0]
        return versions[chosen], sorted(v for v in versions if v != "adjudicated")

    def standoff(article_id: str, split: str) -> dict[str, Any]:
        collection, record = articles[article_id]
        annotation, annotators = final(article_id)
        text = record["text"]
        return {
            "id": article_id,
            "collection": collection,
            "split": split,
            "published": record["published"],
            "text_sha256": sha256(text),
            "annotators": annotators,
            "adjudicated": "adjudicated" in passes[article_id],
            "events": [
                locate(e, text, f"{article_id} event {i}")
                for i, e in enumerate(annotation.get("events", []))
            ],
            "note": annotation.get("note", ""),
        }

    args.out.mkdir(parents=True, exist_ok=True)
    # Frozen test split: whole VOA stories, public domain, written with their text.
    test_dir = args.out / "test"
    test_dir.mkdir(exist_ok=True)
    test_path = test_dir / "voa_test.jsonl"
    missing = [a for a in plan["test"] if a not in passes]
    if missing:
        raise SystemExit(f"test split incomplete: {len(missing)} stories not annotated: {missing}")
    with test_path.open("w", encoding="utf-8") as handle:
        for article_id in plan["test"]:
            _, record = articles[article_id]
            stand = standoff(article_id, "test")
            text = record["text"]
            for event in stand["events"]:
                event["evidence"] = text[event["evidence_start"] : event["evidence_end"]]
                if event["trigger_start"] is not None:
                    event["trigger"] = text[event["trigger_start"] : event["trigger_end"]]
            row = {
                "id": article_id,
                "date": record["published"],
                "title": record.get("title"),
                "source": "VOA",
                "url": record.get("url"),
                "text": text,
                **{k: stand[k] for k in ("annotators", "adjudicated", "events", "note")},
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    digest = hashlib.sha256(test_path.read_bytes()).hexdigest()
    (test_dir / "SHA256SUMS").write_text(f"{digest}  voa_test.jsonl\n", encoding="utf-8")
    log.info("test split: %d stories, sha256 %s", len(plan["test"]), digest)

    # Train and dev: stand-off; dev is a fixed share of whole articles.
    pool = [a for a in plan["vtrain"] + plan["gtrain"] if a in passes]
    dev = {a for a in pool if in_dev(a, args.dev_share)}
    for split in ("train", "dev"):
        chosen = [a for a in pool if (a in dev) == (split == "dev")]
        with (args.out / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
            for article_id in chosen:
                handle.write(json.dumps(standoff(article_id, split), ensure_ascii=False) + "\n")
        log.info("%s: %d articles", split, len(chosen))

    # Every pass of a doubly annotated article, stand-off, for the agreement figures.
    with (args.out / "double_annotation.jsonl").open("w", encoding="utf-8") as handle:
        for article_id in plan["double"]:
            versions = passes.get(article_id, {})
            if len([v for v in versions if v != "adjudicated"]) < 2:
                continue
            text = articles[article_id][1]["text"]
            for name, annotation in sorted(versions.items()):
                row = {
                    "id": article_id,
                    "pass": name,
                    "text_sha256": sha256(text),
                    "events": [
                        locate(e, text, f"{article_id}/{name} event {i}")
                        for i, e in enumerate(annotation.get("events", []))
                    ],
                }
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
