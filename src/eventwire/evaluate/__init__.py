"""Score coded events against gold files, with one set of rules so numbers compare across tools.

Three gold formats are read into the same typed records (GoldDocument, GoldEvent, GoldEntity):
the PLOVER gold standard records (a JSON array, one sentence and one event per record), our own
JSON Lines gold (``tests/gold/eventwire_gold.jsonl``), and the seed reading of one article (a JSON
object with ``document`` and ``events`` next to the article's ``.txt``).

``score`` is a pure function over records; ``evaluate_file`` codes the gold texts with the
pipeline and scores them. The rules are written out in ``docs/evaluation.md``.

Modules: ``gold`` (readers), ``matching`` (which prediction is which gold event),
``scoring`` (``score``), ``records`` (the report's types), ``report`` (the text table),
``run`` (code gold texts with the pipeline, then score).
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
from eventwire.evaluate.matching import (
    date_is_right,
    dedupe_events,
    dyad_fits,
    match_events,
    place_is_right,
    same_evidence,
    type_fits,
)
from eventwire.evaluate.records import (
    ConfidenceBand,
    EvaluationReport,
    Explanation,
    PredictionOutcome,
    Scores,
    Share,
    TypeRow,
)
from eventwire.evaluate.report import format_report
from eventwire.evaluate.run import evaluate_documents, evaluate_file
from eventwire.evaluate.scoring import reliability_bands, score

__all__ = [
    "ConfidenceBand",
    "EvaluationReport",
    "Explanation",
    "GoldDocument",
    "GoldEntity",
    "GoldEvent",
    "PredictionOutcome",
    "Scores",
    "Share",
    "TypeRow",
    "date_is_right",
    "dedupe_events",
    "dyad_fits",
    "evaluate_documents",
    "evaluate_file",
    "format_report",
    "gold_to_document",
    "gsr_document",
    "match_events",
    "place_is_right",
    "read_gold",
    "read_gsr_gold",
    "read_jsonl_gold",
    "read_seed_gold",
    "reliability_bands",
    "same_evidence",
    "score",
    "type_fits",
]
