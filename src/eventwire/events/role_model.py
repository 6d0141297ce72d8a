"""The neural role model at run time: P(actor), P(recipient), P(neither) of each mention of an
event's sentence, read by a fine-tuned MiniLM (ONNX int8, ``roles.onnx``) from the sentence with
the trigger and the mention marked. Trained by ``eventwire.training.role_model``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from eventwire.events.model import OnnxEncoder
from eventwire.events.roles import Roles, RoleScorer, pair_text
from eventwire.models import ActorMention, EventCandidate

if TYPE_CHECKING:
    from spacy.tokens import Span

    from eventwire.knowledge import Knowledge


class RoleModel:
    """A loaded role model; one per process (it holds an ONNX Runtime session)."""

    def __init__(self, directory: Path, meta: dict[str, Any] | None = None):
        if meta is None:
            meta = json.loads((directory / "roles_model.json").read_text(encoding="utf-8"))
        self.roles: tuple[str, ...] = tuple(meta["roles"])
        self.thresholds: dict[str, float] = meta.get("thresholds", {"actor": 0.5, "recipient": 0.5})
        self._encoder = OnnxEncoder(
            directory / "roles.onnx", directory / "tokenizer.json", int(meta["max_tokens"])
        )

    def with_thresholds(self, actor: float, recipient: float) -> RoleModel:
        """The same session with other thresholds (for tuning on the dev split)."""
        other = object.__new__(RoleModel)
        other.__dict__.update(self.__dict__)
        other.thresholds = {"actor": actor, "recipient": recipient}
        return other

    def read(
        self,
        candidate: EventCandidate,
        sent: Span,
        mentions: Sequence[ActorMention],
        from_rules: bool,
        speech_verbs: frozenset[str],
    ) -> list[dict[str, float]] | None:
        """Role probabilities of each mention for the event, read from the marked sentence
        (the rules' own choice is not an input here)."""
        if not mentions:
            return []
        span = (candidate.trigger.start, candidate.trigger.end)
        probs = self.probabilities(
            [pair_text(candidate.type.value, sent, span, m) for m in mentions]
        )
        return [dict(zip(self.roles, map(float, row), strict=True)) for row in probs]

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row per pair text (``roles.pair_text``): a distribution over ``roles``."""
        logits = self._encoder.logits(texts, len(self.roles))
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)


def load_roles(directory: Path) -> Roles | None:
    """The role reader of a model folder: the neural model where there is one, else the
    logistic scorer (``roles.json``), else None."""
    if (directory / "roles_model.json").is_file():
        return RoleModel(directory)
    if (directory / "roles.json").is_file():
        return RoleScorer(directory / "roles.json")
    return None


def role_scorer(knowledge: Knowledge) -> Roles | None:
    """The role reader shipped with the knowledge's classifier, if there is one."""
    directory = knowledge.event_model_dir
    if directory is None:
        return None
    return knowledge.derived("role_scorer", lambda k: load_roles(directory))
