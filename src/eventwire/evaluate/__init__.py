"""Score coded events against gold files, with one set of rules so numbers compare across tools.

Three gold formats are read into the same typed records (GoldDocument, GoldEvent, GoldEntity):
the PLOVER gold standard records (a JSON array, one sentence and one event per record), our own
JSON Lines gold (``tests/gold/eventwire_gold.jsonl``), and the seed reading of one article (a JSON
object with ``document`` and ``events`` next to the article's ``.txt``).

``score`` is a pure function over records; ``evaluate_file`` codes the gold texts with the
pipeline (or reads events coded elsewhere) and scores them. The rules are the reference
scorer's (``../shared/eval/score.py``), written out in ``docs/evaluation.md``.

Modules: ``gold`` (readers), ``matching`` (which prediction is which gold event),
``scoring`` (``score``), ``intervals`` (bootstrap intervals over documents, paired
comparisons), ``sentences`` (no-event sentences left empty), ``readings`` (per gold sentence:
the most confident event's type, the gold parties found), ``records`` (the report's types),
``report`` (the text table), ``run`` (code gold texts with the pipeline, or read coded events,
then score).
"""

from __future__ import annotations

from eventwire.evaluate.gold import (
    GoldDocument,
    GoldEntity,
    GoldEvent,
    gold_to_document,
    gsr_document,
    read_gold,
    read_gsr_gold,
    read_jsonl_gold,
    read_seed_gold,
)
from eventwire.evaluate.intervals import compare_reports, f1_intervals, paired_difference
from eventwire.evaluate.matching import (
    date_is_right,
    dedupe_events,
    dyad_fits,
    entity_code,
    fold,
    match_events,
    place_is_right,
    same_evidence,
    same_sentence,
    sides_fit,
    type_fits,
)
from eventwire.evaluate.readings import sentence_readings
from eventwire.evaluate.records import (
    ConfidenceBand,
    DocumentCounts,
    EvaluationReport,
    Explanation,
    Interval,
    PredictionOutcome,
    Scores,
    SentenceReadings,
    Share,
    TypeRow,
)
from eventwire.evaluate.report import format_comparison, format_report
from eventwire.evaluate.run import (
    evaluate_documents,
    evaluate_file,
    gold_sentences,
    read_predictions,
)
from eventwire.evaluate.scoring import reliability_bands, score
from eventwire.evaluate.sentences import no_event_sentences

__all__ = [
    "ConfidenceBand",
    "DocumentCounts",
    "EvaluationReport",
    "Explanation",
    "GoldDocument",
    "GoldEntity",
    "GoldEvent",
    "Interval",
    "PredictionOutcome",
    "Scores",
    "SentenceReadings",
    "Share",
    "TypeRow",
    "compare_reports",
    "date_is_right",
    "dedupe_events",
    "dyad_fits",
    "entity_code",
    "evaluate_documents",
    "evaluate_file",
    "f1_intervals",
    "fold",
    "format_comparison",
    "format_report",
    "gold_sentences",
    "gold_to_document",
    "gsr_document",
    "match_events",
    "no_event_sentences",
    "paired_difference",
    "place_is_right",
    "read_gold",
    "read_gsr_gold",
    "read_jsonl_gold",
    "read_predictions",
    "read_seed_gold",
    "reliability_bands",
    "same_evidence",
    "same_sentence",
    "score",
    "sentence_readings",
    "sides_fit",
    "type_fits",
]
