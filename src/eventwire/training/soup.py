"""Average classifier runs weight by weight ("model soup") into one model of the same size.

Runs trained with the same ``--init-seed`` start from the same weights and differ in data order
and dropout (``--seed``); their average keeps the runtime cost of one model while smoothing
the run-to-run spread that dominates the dev figures (docs/learned.md, sessions 6-7).

    python -m eventwire.training.soup --out DIR RUN.pt RUN.pt ...

Each ``RUN.pt`` is the ``--save-state`` file of a training run whose output folder is
``RUN`` (same name without ``.pt``): the first run's ``event_types.json`` is the template of the
soup's (labels, threshold), with the members' records and commands kept in it.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from eventwire.training.corpus import EVENT_TYPES
from eventwire.training.encoder import load_base, pooled_classifier
from eventwire.training.train import export_classifier

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("states", type=Path, nargs="+", help="--save-state files of the runs")
    arguments = argv if argv is not None else sys.argv[1:]
    args = parser.parse_args(arguments)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    import torch

    records: list[dict[str, Any]] = []
    for state in args.states:
        meta_path = state.with_suffix("") / "event_types.json"
        if not meta_path.is_file():
            raise SystemExit(f"{state}: no {meta_path} next to it (the run's output folder)")
        records.append(json.loads(meta_path.read_text(encoding="utf-8")))
    starts = {r.get("init_seed") for r in records}
    if len(starts) != 1 or None in starts:
        raise SystemExit(f"runs must share one --init-seed to be averaged (found {starts})")

    tokenizer, encoder, _ = load_base()
    model = pooled_classifier(encoder, len(EVENT_TYPES))
    weights = [torch.load(s, map_location="cpu") for s in args.states]
    average = {
        key: (
            sum(w[key].float() for w in weights) / len(weights)
            if weights[0][key].is_floating_point()
            else weights[0][key]
        )
        for key in weights[0]
    }
    model.load_state_dict(average)
    export_classifier(model, tokenizer, args.out)
    meta = dict(records[0])
    meta["soup"] = {
        "members": [
            {"seed": r["seed"], "command": r["command"], "history": r["history"]} for r in records
        ],
        "command": "python -m eventwire.training.soup " + " ".join(arguments),
    }
    for key in ("history", "dev_torch", "dev_onnx_int8", "int8_top_label_agreement", "command"):
        meta.pop(key, None)
    (args.out / "event_types.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    log.info("wrote %s: the average of %d runs", args.out, len(weights))


if __name__ == "__main__":
    main()
