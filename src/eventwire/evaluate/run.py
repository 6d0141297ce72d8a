"""Coding gold texts with the pipeline and scoring them."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from eventwire.knowledge import Knowledge  # types between equals: sides pooled for dyads

if TYPE_CHECKING:
    from eventwire.settings import Settings

from eventwire.evaluate.gold import GoldDocument, gold_to_document, read_gold
from eventwire.evaluate.records import EvaluationReport
from eventwire.evaluate.scoring import score

log = logging.getLogger(__name__)


def evaluate_documents(
    gold_docs: Sequence[GoldDocument],
    *,
    settings: Settings,
    knowledge: Knowledge | None = None,
    explain: bool = False,
    source: str | None = None,
) -> EvaluationReport:
    """Code the gold texts with the pipeline and score them; wall time covers both.

    ``knowledge`` defaults to the one ``settings`` points at, built here.
    """
    from eventwire.pipeline import code_documents  # loads spaCy lazily, only when evaluating

    started = time.perf_counter()
    knowledge = knowledge or Knowledge.from_settings(settings)
    coded = code_documents([gold_to_document(g) for g in gold_docs], knowledge, settings)
    failed = [c for c in coded if c.status == "failed"]
    for c in failed:
        log.warning("%s: %s", c.document.id, c.message)
    predictions = {c.document.id: c.events for c in coded}
    report = score(gold_docs, predictions, explain=explain, source=source)
    return report.model_copy(
        update={
            "failed_documents": len(failed),
            "wall_seconds": round(time.perf_counter() - started, 3),
        }
    )


def evaluate_file(path: Path, *, settings: Settings, explain: bool = False) -> EvaluationReport:
    """Read a gold file (GSR JSON, our JSON Lines, or seed gold), code its texts, score them."""
    return evaluate_documents(read_gold(path), settings=settings, explain=explain, source=str(path))
