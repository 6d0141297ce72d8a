"""The report as text: the table the CLI prints."""

from __future__ import annotations

from eventwire.evaluate.intervals import compare_reports
from eventwire.evaluate.records import ConfidenceBand, EvaluationReport, Scores, Share

# --- Formatting ----------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def _share_text(share: Share) -> str:
    return f"{share.counts()} ({_pct(share.share).strip()})"


def _band_label(band: ConfidenceBand, *, top: bool) -> str:
    if top:
        return f"conf >= {band.low:.2f}"
    if band.low <= 0.0:
        return f"conf < {band.high:.2f}"
    return f"{band.low:.2f} <= conf < {band.high:.2f}"


def format_report(report: EvaluationReport) -> str:
    """One plain-text table: overall and per-type figures, then shares and wall time."""
    header = (
        f"{'':<12} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} {'dyad F1':>8}"
    )
    lines = [
        f"evaluation of {report.source or 'gold'}: {report.documents} documents"
        f" ({report.failed_documents} failed), {report.gold_events} gold events"
        f" (+{report.optional_events} optional: background or repeat),"
        f" {report.predicted_events} predicted ({report.duplicates_removed} duplicates removed,"
        f" {report.neutral_predictions} on optional gold)",
        header,
        "-" * len(header),
    ]

    def row(label: str, t: Scores, d: Scores) -> str:
        return (
            f"{label:<12} {t.gold:>5} {t.predicted:>5} {t.matched_gold:>5} "
            f"{_pct(t.precision)} {_pct(t.recall)} {_pct(t.f1)} {_pct(d.f1):>8}"
        )

    lines.append(row("all (type)", report.type_scores, report.dyad_scores))
    d = report.dyad_scores
    lines.append(
        f"{'all (dyad)':<12} {d.gold:>5} {d.predicted:>5} {d.matched_gold:>5} "
        f"{_pct(d.precision)} {_pct(d.recall)} {_pct(d.f1)} {_pct(d.f1):>8}"
    )
    if report.intervals:
        spans = ", ".join(
            f"{name} F1 {i.low:.3f}-{i.high:.3f}" for name, i in report.intervals.items()
        )
        level = next(iter(report.intervals.values())).level
        lines.append(f"{level:.0%} interval over documents (bootstrap): {spans}")
    lines.append("-" * len(header))
    lines.extend(row(r.type.value, r.type_scores, r.dyad_scores) for r in report.per_type)
    lines.append("-" * len(header))
    lines.append(f"no-event documents left empty: {_share_text(report.no_event)}")
    if report.no_event_sentences is not None:
        lines.append(f"no-event sentences left empty: {_share_text(report.no_event_sentences)}")
    t_in, d_in = report.type_in_sentence, report.dyad_in_sentence
    if t_in is not None and d_in is not None:
        lines.append(
            f"matched in their own sentence only: type F1 {_pct(t_in.f1).strip()}"
            f" ({t_in.matched_gold} matches), dyad F1 {_pct(d_in.f1).strip()}"
            f" ({d_in.matched_gold})"
        )
    if (readings := report.sentence_readings) is not None and readings.top_type.checked:
        lines.append(
            "per gold sentence: most confident event of a gold type"
            f" {_share_text(readings.top_type)}; gold parties found (any type)"
            f" {_share_text(readings.pair_found)}"
        )
    lines.append(
        f"on dyad matches (same sentence): date right {_share_text(report.date)},"
        f" place right {_share_text(report.place)}; on type matches: date right"
        f" {_share_text(report.date_on_type)}, place right {_share_text(report.place_on_type)}"
    )
    if report.place_none_on_type.checked:
        lines.append(
            "on type matches whose gold names no place: left without one"
            f" {_share_text(report.place_none_on_type)}"
        )
    if report.unknown_documents:
        lines.append(f"predicted documents not in the gold (ignored): {report.unknown_documents}")
    bands = "; ".join(
        f"{_band_label(b, top=i == 0)}: {b.type_correct}/{b.events} type-correct"
        f" ({_pct(b.share_correct).strip()}), {_pct(b.share_of_all).strip()} of events"
        for i, b in enumerate(report.reliability)
    )
    lines.append(f"confidence bands: {bands}")
    if report.coded_with is not None:
        lines.append("coded with: " + report.coded_with.describe())
    if report.wall_seconds is not None:
        lines.append(f"wall time: {report.wall_seconds:.2f} s")
    if report.explanations:
        lines.append("")
        lines.append("misses and false events:")
        for item in report.explanations:
            dyad = f"{','.join(item.actor) or '-'} -> {','.join(item.recipient) or '-'}"
            lines.append(f"  {item.doc_id} {item.kind:<11} {item.type.value:<9} {dyad}")
            lines.append(f"      {item.sentence}")
    return "\n".join(lines)


def format_comparison(report: EvaluationReport, other: EvaluationReport, name: str) -> str:
    """Another coder's headline figures and the paired interval of the difference."""
    lines = [
        f"against {name}: type F1 {other.type_scores.f1:.3f}, dyad F1 {other.dyad_scores.f1:.3f}"
        f" ({other.predicted_events} predicted)"
    ]
    for kind, gap in compare_reports(report, other).items():
        mine = getattr(report, f"{kind}_scores").f1 - getattr(other, f"{kind}_scores").f1
        verdict = "more than" if gap.low > 0 or gap.high < 0 else "within"
        lines.append(
            f"  {kind} F1 difference (this minus that) {mine:+.3f}, {gap.level:.0%} interval"
            f" {gap.low:+.3f} to {gap.high:+.3f} over the same documents: {verdict} the spread"
        )
    return "\n".join(lines)
