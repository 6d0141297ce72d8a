"""Events per period and quad class, with mean PLOVER scores: "is this relation warming?".

Counting happens in Python over ``Store.iter_events`` (streamed) so it follows exactly the
same filter rules as every other view; SQL stays in ``store.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from eventwire.api.schemas import TimelineInterval, TimelinePeriod, TimelinePublic
from eventwire.models import Event, QuadClass


def event_day(event: Event) -> date | None:
    """The day an event is counted on: its date, else the start of its range, else the end."""
    return event.date or event.date_start or event.date_end


def period_start(day: date, interval: TimelineInterval) -> date:
    """The first day of the period holding ``day``; weeks start on Monday (ISO)."""
    if interval == "day":
        return day
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def next_period(start: date, interval: TimelineInterval) -> date:
    """The first day of the period after the one starting on ``start``."""
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        if start.month == 12:
            return start.replace(year=start.year + 1, month=1)
        return start.replace(month=start.month + 1)
    return start.replace(year=start.year + 1)


def period_label(start: date, interval: TimelineInterval) -> str:
    if interval == "day":
        return start.isoformat()
    if interval == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if interval == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def _per_quad(value: float) -> dict[QuadClass, float]:
    return dict.fromkeys(QuadClass, value)


@dataclass
class _Bucket:
    counts: dict[QuadClass, int] = field(default_factory=lambda: dict.fromkeys(QuadClass, 0))
    score_sums: dict[QuadClass, float] = field(default_factory=lambda: _per_quad(0.0))
    scored: dict[QuadClass, int] = field(default_factory=lambda: dict.fromkeys(QuadClass, 0))

    def add(self, event: Event) -> None:
        self.counts[event.quad_class] += 1
        if event.plover_score is not None:
            self.score_sums[event.quad_class] += event.plover_score
            self.scored[event.quad_class] += 1

    def to_period(self, start: date, interval: TimelineInterval) -> TimelinePeriod:
        scored = sum(self.scored.values())
        return TimelinePeriod(
            period=period_label(start, interval),
            start=start,
            end=next_period(start, interval) - timedelta(days=1),
            total=sum(self.counts.values()),
            mean_score=sum(self.score_sums.values()) / scored if scored else None,
            counts=dict(self.counts),
            mean_scores={
                quad: self.score_sums[quad] / self.scored[quad] if self.scored[quad] else None
                for quad in QuadClass
            },
        )


MAX_PERIODS = 5000
"""Gaps are filled with empty periods only up to this many periods in all (a bad date in
the data, such as year 1, must not make the response enormous)."""


def build_timeline(events: Iterable[Event], interval: TimelineInterval = "month") -> TimelinePublic:
    """Count ``events`` per period and quad class; empty periods between the first and last
    are filled in so a chart's time axis has no holes."""
    buckets: dict[date, _Bucket] = {}
    undated = 0
    total = 0
    for event in events:
        total += 1
        day = event_day(event)
        if day is None:
            undated += 1
            continue
        start = period_start(day, interval)
        buckets.setdefault(start, _Bucket()).add(event)
    starts = sorted(buckets)
    if starts:
        filled: list[date] = []
        current = starts[0]
        while current <= starts[-1] and len(filled) < MAX_PERIODS:
            filled.append(current)
            current = next_period(current, interval)
        if len(filled) < MAX_PERIODS:
            starts = filled
    periods = [buckets.get(start, _Bucket()).to_period(start, interval) for start in starts]
    return TimelinePublic(interval=interval, total=total, undated=undated, periods=periods)
