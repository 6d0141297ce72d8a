"""Train the neural role model: who is actor, recipient or neither of an event, read from the
sentence with the trigger and the mention marked (``events.roles.pair_text``).

The same (gold event, mention) pairs as the logistic scorer (``training.roles``), read by a
fine-tuned MiniLM cut to its first layers (speed), exported to ONNX int8 as ``roles.onnx``.
Needs the ``train`` extra; fixed seeds.

    python -m eventwire.training.role_model --corpus corpus --shared ../shared \
        --out src/eventwire/model
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from eventwire.events.roles import ROLES
from eventwire.training.encoder import (
    BASE_MODEL,
    common_arguments,
    export_int8,
    load_base,
    optimiser_and_schedule,
    pooled_classifier,
    seeded,
    tokenizer_file,
)
from eventwire.training.roles import Pair, examples

log = logging.getLogger(__name__)
MAX_TOKENS = 128


def accuracy(probs: np.ndarray, pairs: list[Pair]) -> float:
    gold = np.array([ROLES.index(p.label) for p in pairs])
    return float((probs.argmax(1) == gold).mean()) if len(pairs) else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common_arguments(parser, epochs=5, lr=8e-5)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--window", type=int, default=12, help="words kept either side")
    parser.add_argument(
        "--mark",
        choices=("span", "head"),
        default="head",
        help="mark the annotated trigger phrase, or only its head word (as coded triggers are)",
    )
    parser.add_argument(
        "--save-epochs",
        type=Path,
        default=None,
        help="also write each epoch's model folder (int8) into this folder (epoch1/, ...): to"
        " choose an epoch by the coder's parties rather than by pair accuracy",
    )
    arguments = argv if argv is not None else sys.argv[1:]
    args = parser.parse_args(arguments)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import torch

    seeded(args.seed, args.threads)

    head = args.mark == "head"
    train = examples("train", args.corpus, args.shared, args.window, mark_head=head)
    dev = examples("dev", args.corpus, args.shared, args.window, mark_head=head)
    log.info("pairs: %d train, %d dev", len(train), len(dev))
    tokenizer, encoder, sha = load_base(args.layers)
    model = pooled_classifier(encoder, len(ROLES))
    y_train = torch.tensor([ROLES.index(p.label) for p in train])

    def encode(texts: list[str]) -> Any:
        return tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )

    def predict(pairs: list[Pair]) -> np.ndarray:
        model.eval()
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].text))
        out = np.zeros((len(pairs), len(ROLES)), dtype=np.float32)
        with torch.no_grad():
            for i in range(0, len(order), 64):
                chunk = order[i : i + 64]
                enc = encode([pairs[j].text for j in chunk])
                logits = model(enc["input_ids"], enc["attention_mask"])
                out[chunk] = torch.softmax(logits, -1).numpy()
        return out

    steps = args.epochs * (len(train) // args.batch_size + 1)
    optimiser, scheduler = optimiser_and_schedule(model, args.lr, steps)
    loss_fn = torch.nn.CrossEntropyLoss()
    history: list[dict[str, Any]] = []
    meta: dict[str, Any] = {
        "roles": list(ROLES),
        "max_tokens": MAX_TOKENS,
        "layers": args.layers,
        "window": args.window,
        "mark": args.mark,
        "base_model": BASE_MODEL,
        "base_weights_sha256": sha,
        "seed": args.seed,
        "epochs": args.epochs,
        "lr": args.lr,
        "train_pairs": len(train),
        "dev_pairs": len(dev),
        "history": history,
        "command": "python -m eventwire.training.role_model " + " ".join(arguments),
    }
    best: tuple[float, dict[str, Any]] | None = None
    started = time.monotonic()
    for epoch in range(args.epochs):
        model.train()
        # batches of similar length (short padding on two cores), in random order
        order = sorted(range(len(train)), key=lambda i: (len(train[i].text) // 40, random.random()))
        chunks = [order[i : i + args.batch_size] for i in range(0, len(order), args.batch_size)]
        random.shuffle(chunks)
        total = 0.0
        for chunk in chunks:
            enc = encode([train[i].text for i in chunk])
            loss = loss_fn(model(enc["input_ids"], enc["attention_mask"]), y_train[chunk])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            if scheduler.last_epoch + 1 < steps:
                scheduler.step()
            total += float(loss.detach())
        dev_accuracy = accuracy(predict(dev), dev)
        history.append({"epoch": epoch + 1, "loss": round(total, 2), "dev_accuracy": dev_accuracy})
        log.info("epoch %d loss %.2f dev accuracy %.3f", epoch + 1, total, dev_accuracy)
        if args.save_epochs is not None:
            saved = {**meta, "epoch_saved": epoch + 1, "dev_accuracy_torch": round(dev_accuracy, 3)}
            write_folder(args.save_epochs / f"epoch{epoch + 1}", model, tokenizer, dev, saved)
        if best is None or dev_accuracy > best[0]:
            best = (dev_accuracy, {k: v.clone() for k, v in model.state_dict().items()})
    assert best is not None
    model.load_state_dict(best[1])
    seconds = time.monotonic() - started
    torch_accuracy = round(accuracy(predict(dev), dev), 3)
    final = {**meta, "dev_accuracy_torch": torch_accuracy, "train_seconds": round(seconds)}
    write_folder(args.out, model, tokenizer, dev, final)


def write_folder(
    out: Path, model: Any, tokenizer: Any, dev: list[Pair], meta: dict[str, Any]
) -> None:
    """Export ``model`` as int8 ``roles.onnx`` with its tokenizer and card into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    if not (out / "tokenizer.json").is_file():
        shutil.copy(tokenizer_file(), out / "tokenizer.json")
    path = out / "roles.onnx"
    export_int8(model, tokenizer, path, "assault : [[ Israel ]] << struck >> Gaza.")
    from eventwire.events.role_model import RoleModel

    meta = dict(meta)
    int8 = RoleModel(out, meta).probabilities([p.text for p in dev])
    meta["dev_accuracy_int8"] = round(accuracy(int8, dev), 3)
    (out / "roles_model.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    log.info("wrote %s (%.1f MB); dev accuracy int8 %.3f", path, path.stat().st_size / 1e6,
             meta["dev_accuracy_int8"])  # fmt: skip


if __name__ == "__main__":
    main()
