"""CI gate on the public PLOVER GSR (read from ../shared): held-out floors that never skip.

Scored with ``group_countries = "cameo"``, the convention the GSR was coded with.

    python benchmarks/gate.py [--shared ../shared]

The GSR is only measured, never trained or tuned on. Floors live in tests/gold/floors.json
("gsr"); a drop below any of them fails CI. The file's checksum is pinned there too, so an
edited gold is caught rather than scored.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    floors = json.loads((ROOT / "tests/gold/floors.json").read_text(encoding="utf-8"))["gsr"]
    gsr = args.shared / "data/plover_gsr/PLOVER_GSR_CAMEO.json"
    if not gsr.is_file():
        print(f"gate: {gsr} not found: the GSR gate cannot run", file=sys.stderr)
        return 2
    digest = hashlib.sha256(gsr.read_bytes()).hexdigest()
    if digest != floors["sha256"]:
        print(f"gate: {gsr} changed (sha256 {digest}), floors were pinned on another file")
        return 1

    from eventwire.evaluate import evaluate_file
    from eventwire.settings import Settings

    # The GSR was coded with CAMEO's conventions (Hamas is PSE, "Darfur rebels" SDN): it is
    # scored with the coder reading groups that way; the guideline reading is printed beside.
    report = evaluate_file(gsr, settings=Settings(group_countries="cameo"))
    guideline = evaluate_file(gsr, settings=Settings())
    print(
        f"GSR with group_countries=guideline (not gated): type {guideline.type_scores.f1:.3f},"
        f" dyad {guideline.dyad_scores.f1:.3f}"
    )
    measured = {"type_f1": report.type_scores.f1, "dyad_f1": report.dyad_scores.f1}
    failed = [k for k, v in measured.items() if v < floors[k]]
    for k, v in measured.items():
        print(f"GSR {k}: {v:.3f} (floor {floors[k]:.2f}){'  BELOW' if k in failed else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
