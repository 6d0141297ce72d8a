"""Check that ``eventwire evaluate`` scores exactly as the reference scorer (issue #8).

Codes the frozen test split once (``eventwire code ... --format jsonl``), scores the events with
``eventwire evaluate GOLD --predictions P --format json`` and with ``../shared/eval/score.py GOLD
P``, and fails on any difference in type and dyad P/R/F1, the date and place counts, the counts of
documents and events, the no-event documents and the per-type F1. Run by ``.ci/run``.

    python benchmarks/scorer_agreement.py [--gold corpus/test/voa_test.jsonl] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPARED = (
    "docs",
    "gold_events",
    "pred_events",
    "type",
    "dyad",
    "no_event_docs_kept_empty",
    "date_right_on_dyad_matches",
    "place_right_on_dyad_matches",
    "date_right_on_type_matches",
    "place_right_on_type_matches",
    "per_type_f1",
    "pred_docs_not_in_gold",
)


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "corpus" / "test" / "voa_test.jsonl")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--predictions", type=Path, help="score these events instead of coding")
    args = parser.parse_args(argv)
    scorer = args.shared / "eval" / "score.py"
    for needed in (args.gold, scorer):
        if not needed.is_file():
            print(f"scorer agreement: {needed} is missing", file=sys.stderr)
            return 2
    eventwire = [sys.executable, "-m", "eventwire"]
    with tempfile.TemporaryDirectory() as tmp:
        predictions = args.predictions or Path(tmp) / "predictions.jsonl"
        if args.predictions is None:
            predictions.write_text(
                _run(*eventwire, "code", str(args.gold), "--format", "jsonl"), encoding="utf-8"
            )
        ours = json.loads(
            _run(
                *eventwire,
                "evaluate",
                str(args.gold),
                "--predictions",
                str(predictions),
                "--format",
                "json",
            )
        )["reference"]
        reference = json.loads(_run(sys.executable, str(scorer), str(args.gold), str(predictions)))
    differences = [
        f"  {key}: eventwire {ours.get(key)!r} != reference {reference.get(key)!r}"
        for key in COMPARED
        if ours.get(key) != reference.get(key)
    ]
    summary = (
        f"type {reference['type']}, dyad {reference['dyad']},"
        f" date {reference['date_right_on_dyad_matches']} (dyad)"
        f" {reference['date_right_on_type_matches']} (type),"
        f" place {reference['place_right_on_dyad_matches']} (dyad)"
        f" {reference['place_right_on_type_matches']} (type)"
    )
    if differences:
        print(f"scorer agreement FAILED on {args.gold}:", *differences, sep="\n", file=sys.stderr)
        return 1
    print(f"scorer agreement: eventwire evaluate == score.py on {args.gold.name}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
