"""Learn which of a document's countries a mention without one of its own belongs to.

The actors stage gives "the government", "police" or an untitled person the country its
context is about (``actors.context``). Each country the document names is scored by a weighted
sum of what the text says of it around the mention; this fits those weights as a conditional
logit over the candidates, on every such mention of the train split that the annotators gave a
country (a gold event's party overlapping the mention), reports how many dev mentions each of
the learned and the built-in weights choose right, and writes a ``context_countries.yaml``
for a knowledge folder (``--knowledge-dir``). The built-in file keeps the fixed order (see its
comments and docs/learned.md, session 15). Needs numpy only; deterministic (full-batch
gradient descent from zero).

    python -m eventwire.training.context_country --corpus corpus --shared ../shared \\
        --out my-knowledge/context_countries.yaml
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from eventwire import actors
from eventwire.actors.context import ContextChoice, context_weights
from eventwire.knowledge import Knowledge
from eventwire.knowledge.schemas import CONTEXT_FEATURES
from eventwire.settings import Settings
from eventwire.training.corpus import parsed_split
from eventwire.training.roles import entity_span

log = logging.getLogger(__name__)
COMMAND = (
    "python -m eventwire.training.context_country --corpus corpus --shared ../shared"
    " --out my-knowledge/context_countries.yaml"
)


@dataclass(frozen=True)
class Example:
    """A context choice with the countries the annotators gave the mention."""

    choice: ContextChoice
    gold: frozenset[str]

    @property
    def matrix(self) -> np.ndarray:
        return np.array(self.choice.features, dtype=float)

    def targets(self) -> np.ndarray:
        hits = np.array([float(c in self.gold) for c in self.choice.candidates])
        return hits / hits.sum()


def gold_countries(choice: ContextChoice, events: Sequence[dict[str, Any]], text: str) -> set[str]:
    """Countries of the gold parties overlapping the mention, in events told where it stands."""
    found: set[str] = set()
    for event in events:
        if not event["evidence_start"] <= choice.start < event["evidence_end"]:
            continue
        for entity in (event.get("actor") or []) + (event.get("recipient") or []):
            span = entity_span(entity, event, text)
            if entity.get("country") and span and span[0] < choice.end and choice.start < span[1]:
                found.add(entity["country"])
    return found


def examples(split: str, corpus: Path, shared: Path, knowledge: Knowledge) -> list[Example]:
    """The split's context choices whose gold country is among the candidates."""
    out: list[Example] = []
    for article, parsed in parsed_split(split, corpus, shared, Settings().model):
        choices: list[ContextChoice] = []
        actors.extract_actors(parsed, knowledge=knowledge, choices=choices)
        for choice in choices:
            gold = gold_countries(choice, article.events, article.text)
            if gold & set(choice.candidates):
                out.append(Example(choice, frozenset(gold)))
    return out


def fit(
    data: Sequence[Example], l2: float = 1.0, steps: int = 1500, rate: float = 1.0
) -> np.ndarray:
    """Weights maximising the candidates' log-likelihood of the gold country, L2-penalised."""
    weights = np.zeros(len(CONTEXT_FEATURES))
    matrices = [e.matrix for e in data]
    targets = [e.targets() for e in data]
    for _ in range(steps):
        grad = l2 * weights / len(data)
        for x, y in zip(matrices, targets, strict=True):
            z = x @ weights
            p = np.exp(z - z.max())
            grad += x.T @ (p / p.sum() - y) / len(data)
        weights -= rate * grad
    return weights


def right(data: Sequence[Example], weights: np.ndarray) -> int:
    """Choices whose best-scored country (first named on ties) is a gold one."""
    return sum(e.choice.candidates[int(np.argmax(e.matrix @ weights))] in e.gold for e in data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, required=True, help="the YAML file to write")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--steps", type=int, default=1500)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    knowledge = Knowledge.from_settings(Settings(event_model="off"))
    train = examples("train", args.corpus, args.shared, knowledge)
    dev = examples("dev", args.corpus, args.shared, knowledge)
    weights = fit(train, args.l2, args.steps)
    current = np.array(context_weights(knowledge))  # the built-in file's, by default
    log.info(
        "train (in-sample): %d/%d right, current weights %d",
        right(train, weights),
        len(train),
        right(train, current),
    )
    dev_right, dev_current = right(dev, weights), right(dev, current)
    log.info("dev: %d/%d right, current weights %d", dev_right, len(dev), dev_current)
    header = (
        "# Which of a document's countries a mention without one of its own takes\n"
        "# (actors.context). Feature meanings: the built-in context_countries.yaml.\n"
        "# Each country is scored by the weighted sum of these features; the best is chosen.\n"
        "# Learned from the annotated corpus by the command below. Feature names are checked\n"
        "# on load (knowledge/schemas.py, CONTEXT_FEATURES).\n"
    )
    content = {
        "trained": {
            "command": COMMAND,
            "data": f"train split, {len(train)} mentions the annotators gave a country",
            "choices": len(train),
            "dev_right": f"{dev_right}/{len(dev)}",
            "dev_right_current": f"{dev_current}/{len(dev)}",
        },
        "weights": {n: round(float(w), 4) for n, w in zip(CONTEXT_FEATURES, weights, strict=True)},
    }
    args.out.write_text(header + yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    log.info("wrote %s", args.out)


if __name__ == "__main__":
    main()
