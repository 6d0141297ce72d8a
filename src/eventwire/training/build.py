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


def redact(note: str, text: str, run: int = 30) -> str:
    """Replace every stretch of `note` of `run`+ characters copied from `text` by its offsets.

    Stand-off files keep the annotators' reasoning but never the publisher's prose.
    """
    out, i = [], 0
    while i < len(note):
        k = text.find(note[i : i + run]) if len(note) - i >= run else -1
        if k < 0:
            out.append(note[i])
            i += 1
            continue
        n = run
        while i + n < len(note) and text.startswith(note[i : i + n + 1], k):
            n += 1
        out.append(f"⟨{k}-{k + n}⟩")
        i += n
    return "".join(out)


def standoff_entities(event: dict[str, Any], text: str) -> dict[str, Any]:
    """Entities as offsets into the article (searched in the evidence first), text dropped."""
    start, end = event["evidence_start"], event["evidence_end"]
    for role in ("actor", "recipient"):
        entities = []
        for entity in event.get(role) or []:
            words = entity.get("text") or ""
            at = text.find(words, start, end) if words else -1
            at = at if at >= 0 else (text.find(words) if words else -1)
            rest = {k: v for k, v in entity.items() if k != "text"}
            span = (
                {"start": at, "end": at + len(words)} if at >= 0 else {"start": None, "end": None}
            )
            entities.append({**rest, **span})
        event[role] = entities
    event["note"] = redact(event.get("note") or "", text)
    return event


def annotation_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(pass name, file) for every annotator batch folder and the adjudicated folder."""
    for folder in sorted((root / "out").iterdir()):
        for path in sorted(folder.glob("*.json")):
            yield folder.name, path


def main(argv: list[str] | None = None) -> None:  # noqa: C901 - a script's argument handling
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
        row: dict[str, Any] = {
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
        if collection != "voa":  # not public domain: offsets only, no copied prose
            row["events"] = [standoff_entities(e, text) for e in row["events"]]
            row["note"] = redact(row["note"], text)
        return row

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
    # Articles picked by keyword to raise rare types always train: dev stays a plain sample.
    sampled = [a for a in plan["vtrain"] + plan["gtrain"] if a in passes]
    # Articles annotated after the classifier was trained ("gdev") are all dev: a larger
    # sample for the coder's policy choices that no model has seen.
    later = [a for a in plan.get("gdev", []) if a in passes]
    # The rest of the Guardian collection, annotated last ("gtrain2"), all trains: dev stays
    # the same articles, so coder figures before and after compare.
    rest = [a for a in plan.get("gtrain2", []) if a in passes]
    pool = sampled + [a for a in plan.get("gtrain_rare", []) if a in passes] + later + rest
    dev = {a for a in sampled if in_dev(a, args.dev_share)} | set(later)
    for split in ("train", "dev"):
        chosen = [a for a in pool if (a in dev) == (split == "dev")]
        with (args.out / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
            for article_id in chosen:
                handle.write(json.dumps(standoff(article_id, split), ensure_ascii=False) + "\n")
        log.info("%s: %d articles", split, len(chosen))

    # The adjudicator's decision records, with copied prose of non-public-domain text redacted.
    logs = args.out / "adjudication"
    logs.mkdir(exist_ok=True)
    for path in sorted((args.annotations / "adjudication").glob("*.md")):
        collection, record = articles[path.stem]
        note = path.read_text(encoding="utf-8")
        if collection != "voa":
            note = redact(note, record["text"])
        (logs / path.name).write_text(note, encoding="utf-8")

    # Every pass of a doubly annotated article, stand-off, for the agreement figures.
    with (args.out / "double_annotation.jsonl").open("w", encoding="utf-8") as handle:
        for article_id in plan["double"]:
            versions = passes.get(article_id, {})
            if len([v for v in versions if v != "adjudicated"]) < 2:
                continue
            collection, record = articles[article_id]
            text = record["text"]
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
                if collection != "voa":
                    row["events"] = [standoff_entities(e, text) for e in row["events"]]
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
