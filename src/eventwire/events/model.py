"""The learned event-type classifier at run time: ONNX Runtime and a fast tokenizer, no torch.

The model (trained by ``eventwire.training.train``) reads one sentence and gives, for each
PLOVER type, the probability that the sentence reports an event of that type. Its files live
in ``eventwire/model/``: ``event_types.onnx``, ``tokenizer.json`` and ``event_types.json``
(labels, thresholds of the classify policy, training record).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from eventwire.knowledge import Knowledge

from eventwire.knowledge import BUILTIN_MODEL_DIR as MODEL_DIR
from eventwire.knowledge.policy import Policy, with_overrides


class OnnxEncoder:
    """An ONNX text classifier with its tokenizer: logits for texts, each read on its own.

    The int8 models quantize their activations per input tensor (dynamic quantization), so a
    text read in a padded batch takes its scale from its batch-mates: the same sentence read
    beside others moved by up to 0.2 in probability. Read alone, a text's reading is its own,
    whatever document, chunk or worker it comes with.
    """

    def __init__(
        self,
        model: Path,
        tokenizer: Path,
        max_tokens: int,
        *,
        threads: int | None = None,
    ):
        import onnxruntime
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_tokens)
        options = onnxruntime.SessionOptions()
        # one thread unless asked: a text read alone is a few dozen tokens, and waking a
        # second thread for each operator costs more than it saves (on 2 cores, 600 sentences
        # took 1.8 s on one thread, 2.3 s on two; the logits are the same), while the parser
        # keeps the other core. Set explicitly: ONNX Runtime's default spins on every core.
        options.intra_op_num_threads = threads or 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )

    @property
    def threads(self) -> int:
        """The intra-op threads the session runs on."""
        return int(self._session.get_session_options().intra_op_num_threads)

    def logits(self, texts: Sequence[str], width: int) -> np.ndarray:
        """One row of ``width`` logits per text, in the order given."""
        if not texts:
            return np.zeros((0, width), dtype=np.float32)
        rows = []
        for encoded in self._tokenizer.encode_batch(list(texts)):
            ids = np.array([encoded.ids], dtype=np.int64)
            mask = np.array([encoded.attention_mask], dtype=np.int64)
            (out,) = self._session.run(["logits"], {"input_ids": ids, "attention_mask": mask})
            rows.append(out)
        return np.concatenate(rows)


class EventTypeModel:
    """A loaded classifier; one per process (it holds an ONNX Runtime session)."""

    def __init__(self, directory: Path = MODEL_DIR, *, threads: int | None = None):
        meta_path = directory / "event_types.json"
        if not meta_path.is_file():
            raise FileNotFoundError(f"{directory}: no event_types.json: the classifier is missing")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        self.labels: tuple[str, ...] = tuple(meta["labels"])
        self.policy = Policy(**meta.get("policy", {}))
        self._encoder = OnnxEncoder(
            directory / "event_types.onnx",
            directory / "tokenizer.json",
            int(meta["max_tokens"]),
            threads=threads,
        )

    def with_policy(self, policy: Policy) -> EventTypeModel:
        """The same session with other thresholds (for tuning on the dev split)."""
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.policy = policy
        return other

    def predict(self, sentences: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per sentence and one column per label."""
        logits = self._encoder.logits(sentences, len(self.labels))
        return 1.0 / (1.0 + np.exp(-logits))


def event_model(knowledge: Knowledge) -> EventTypeModel | None:
    """The classifier the knowledge names (loaded once per Knowledge object), or None: off."""
    directory = knowledge.event_model_dir
    if directory is None:
        return None

    def build(k: Knowledge) -> EventTypeModel:
        model = EventTypeModel(directory)
        if not k.event_policy:
            return model
        return model.with_policy(with_overrides(model.policy, k.event_policy))

    return knowledge.derived("event_model", build)
