"""Coding gold texts with the pipeline (or reading events already coded) and scoring them."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from eventwire.errors import InputError
from eventwire.evaluate.gold import GoldDocument, gold_to_document, read_gold
from eventwire.evaluate.records import Coder, EvaluationReport
from eventwire.evaluate.scoring import score
from eventwire.evaluate.sentences import SentenceSpans
from eventwire.knowledge import BUILTIN_MODEL_DIR, Knowledge
from eventwire.models import Event

if TYPE_CHECKING:
    from eventwire.settings import Settings

log = logging.getLogger(__name__)


def read_predictions(path: Path) -> dict[str, list[Event]]:
    """Coded events, JSON Lines (one event a line, as ``eventwire code --format jsonl`` writes),
    by document id in the file's order; blank lines are skipped."""
    predictions: dict[str, list[Event]] = {}
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                event = Event.model_validate_json(line)
            except ValidationError as exc:
                raise InputError(f"{path}:{number}", f"not a coded event: {exc}") from exc
            predictions.setdefault(event.doc_id, []).append(event)
    return predictions


def gold_sentences(gold_docs: Sequence[GoldDocument], settings: Settings) -> SentenceSpans:
    """Each gold text's sentences as the coder splits them (the settings' spaCy pipeline)."""
    from eventwire.pipeline import sentence_spans  # loads spaCy lazily

    with_text = [g for g in gold_docs if g.text.strip()]
    spans = sentence_spans((g.text for g in with_text), settings)
    return {g.id: doc_spans for g, doc_spans in zip(with_text, spans, strict=True)}


def _model_name(directory: Path | None) -> str:
    if directory is None:
        return "off"
    return "builtin" if directory.resolve() == BUILTIN_MODEL_DIR.resolve() else str(directory)


def evaluate_documents(
    gold_docs: Sequence[GoldDocument],
    *,
    settings: Settings,
    knowledge: Knowledge | None = None,
    explain: bool = False,
    source: str | None = None,
    predictions: Mapping[str, Sequence[Event]] | None = None,
    sentences: bool = False,
) -> EvaluationReport:
    """Code the gold texts with the pipeline and score them; wall time covers both.

    ``knowledge`` defaults to the one ``settings`` points at, built here. With ``predictions``
    (events by document id, coded elsewhere) nothing is coded. With ``sentences`` the gold texts
    are split into sentences to report the no-event sentences left empty.
    """
    started = time.perf_counter()
    failed = 0
    coded_with: Coder | None = None
    if predictions is None:
        from eventwire.pipeline import code_documents  # loads spaCy lazily, only when evaluating

        knowledge = knowledge or Knowledge.from_settings(settings)
        coded_with = Coder(
            model=settings.model,
            event_model=_model_name(knowledge.event_model_dir),
            group_countries=knowledge.group_countries,
            knowledge_dir=str(knowledge.directory) if knowledge.directory else None,
            event_policy=knowledge.event_policy,
        )
        coded = code_documents([gold_to_document(g) for g in gold_docs], knowledge, settings)
        for c in coded:
            if c.status == "failed":
                failed += 1
                log.warning("%s: %s", c.document.id, c.message)
        predictions = {c.document.id: c.events for c in coded}
    spans = gold_sentences(gold_docs, settings) if sentences else None
    report = score(gold_docs, predictions, explain=explain, source=source, sentences=spans)
    return report.model_copy(
        update={
            "failed_documents": failed,
            "wall_seconds": round(time.perf_counter() - started, 3),
            "coded_with": coded_with,
        }
    )


def evaluate_file(
    path: Path,
    *,
    settings: Settings,
    explain: bool = False,
    predictions: Path | None = None,
) -> EvaluationReport:
    """Read a gold file (GSR JSON, our JSON Lines, or seed gold) and score it: its texts coded
    here, or the events of ``predictions`` (JSON Lines of coded events). For JSON Lines gold the
    report adds the no-event sentences left empty."""
    return evaluate_documents(
        read_gold(path),
        settings=settings,
        explain=explain,
        source=str(path),
        predictions=None if predictions is None else read_predictions(predictions),
        sentences=path.suffix == ".jsonl",
    )
