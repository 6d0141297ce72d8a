"""Accuracy on the PLOVER gold standard records and on the seed article (reads ../shared).

    python benchmarks/accuracy.py [--gsr PATH] [--seed PATH] [--team] [--explain] [--json]

For each gold set: type and dyad precision/recall/F1, per-type figures, no-event share,
date and place shares, wall time (coding and scoring), and a reliability table by confidence
band: of the events coded with confidence >= 0.8, the share that got a type match, and how many
of all events have that confidence. Scoring rules: docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GSR = SHARED / "data" / "plover_gsr" / "PLOVER_GSR_CAMEO.json"
SEED = SHARED / "data" / "seed" / "ava-134776.gold.json"
TEAM = ROOT / "tests" / "gold" / "eventwire_gold.jsonl"


def _reliability_table(report) -> str:
    lines = [f"{'confidence':<16} {'events':>6} {'type-correct':>12} {'share':>7} {'of all':>7}"]
    for i, band in enumerate(report.reliability):
        label = f">= {band.low:.2f}" if i == 0 else f"[{band.low:.2f}, {band.high:.2f})"
        share = "-" if band.share_correct is None else f"{100 * band.share_correct:.1f}%"
        lines.append(
            f"{label:<16} {band.events:>6} {band.type_correct:>12} {share:>7}"
            f" {100 * band.share_of_all:>6.1f}%"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gsr", type=Path, default=GSR, help="PLOVER GSR JSON file")
    parser.add_argument("--seed", type=Path, default=SEED, help="seed gold (.gold.json)")
    parser.add_argument("--seed-text", type=Path, default=None, help="seed article text")
    parser.add_argument("--team", action="store_true", help="also evaluate the team gold")
    parser.add_argument("--explain", action="store_true", help="list misses and false events")
    parser.add_argument("--json", action="store_true", help="one JSON object per gold set")
    args = parser.parse_args()

    from eventwire.evaluate import (
        evaluate_documents,
        format_report,
        read_gsr_gold,
        read_jsonl_gold,
        read_seed_gold,
    )
    from eventwire.settings import Settings

    # the GSR was coded with CAMEO's conventions: groups carry the state they fight in
    cameo = Settings(group_countries="cameo")
    sets = [
        ("plover_gsr", lambda: read_gsr_gold(args.gsr), str(args.gsr), cameo),
        ("seed", lambda: read_seed_gold(args.seed, args.seed_text), str(args.seed), Settings()),
    ]
    if args.team:
        sets.append(("team", lambda: read_jsonl_gold(TEAM), str(TEAM), cameo))
    results = {}
    for name, read, source, settings in sets:
        try:
            gold = read()
        except (OSError, ValueError) as exc:
            print(f"{name}: cannot read gold: {exc}", file=sys.stderr)
            return 2
        report = evaluate_documents(gold, settings=settings, explain=args.explain, source=source)
        if args.json:
            results[name] = json.loads(report.model_dump_json(exclude={"outcomes"}))
        else:
            print(f"== {name}")
            print(format_report(report))
            print()
            print(_reliability_table(report))
            print()
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
