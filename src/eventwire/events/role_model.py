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
from eventwire.events.roles import (
    Reading,
    ReadRequest,
    Roles,
    RoleScorer,
    Thresholded,
    pair_text,
)
from eventwire.models import ActorMention

if TYPE_CHECKING:
    from eventwire.knowledge import Knowledge


class RoleModel(Thresholded):
    """A loaded role model; one per process (it holds an ONNX Runtime session)."""

    def __init__(self, directory: Path, meta: dict[str, Any] | None = None):
        if meta is None:
            meta = json.loads((directory / "roles_model.json").read_text(encoding="utf-8"))
        self.roles: tuple[str, ...] = tuple(meta["roles"])
        self.window: int | None = meta.get("window")
        self.thresholds: dict[str, float] = meta.get("thresholds", {"actor": 0.5, "recipient": 0.5})
        self._encoder = OnnxEncoder(
            directory / "roles.onnx", directory / "tokenizer.json", int(meta["max_tokens"])
        )

    def read_many(
        self, requests: Sequence[ReadRequest], speech_verbs: frozenset[str]
    ) -> list[Reading]:
        """All the pairs of a document's events, each pair text read on its own."""
        texts: list[str] = []
        rows: list[list[int]] = []  # for each request, the text row of each mention
        for candidate, sent, mentions, _ in requests:
            span = (candidate.trigger.start, candidate.trigger.end)
            outer = _outermost(mentions)
            first = len(texts)
            texts += [
                pair_text(candidate.type.value, sent, span, mentions[i], self.window) for i in outer
            ]
            at = {i: first + k for k, i in enumerate(outer)}
            rows.append([at[_enclosing(i, outer, mentions)] for i in range(len(mentions))])
        probs = self.probabilities(texts) if texts else np.zeros((0, len(self.roles)))
        return [
            [dict(zip(self.roles, map(float, probs[r]), strict=True)) for r in row] for row in rows
        ]

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row per pair text (``roles.pair_text``): a distribution over ``roles``."""
        logits = self._encoder.logits(texts, len(self.roles))
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)


def _span(m: ActorMention) -> tuple[int, int]:
    return (m.token_start, m.token_end)


def _outermost(mentions: Sequence[ActorMention]) -> list[int]:
    """Mentions not inside another ("Nigeria" in "Nigeria's president"): only these are read,
    a nested one takes the reading of the mention around it (half the pairs, same parties)."""
    spans = [_span(m) for m in mentions]
    return [
        i
        for i, (a, b) in enumerate(spans)
        if not any(
            j != i and c <= a and b <= d and (c, d) != (a, b) for j, (c, d) in enumerate(spans)
        )
    ]


def _enclosing(i: int, outer: list[int], mentions: Sequence[ActorMention]) -> int:
    if i in outer:
        return i
    a, b = _span(mentions[i])
    around = [j for j in outer if _span(mentions[j])[0] <= a and b <= _span(mentions[j])[1]]
    return min(around, key=lambda j: _span(mentions[j])[1] - _span(mentions[j])[0])


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
