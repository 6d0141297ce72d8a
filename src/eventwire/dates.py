"""Event dates: when the text says an event happened, relative to the publication date.

News rarely gives calendar dates; it says "on Monday", "earlier this month", "in the past
few months", or nothing at all and lets a paragraph continue the scene the previous one set.
This stage reads our records only (no spaCy): each candidate's sentence with the DATE/TIME
spans NER found, plus our own patterns (``knowledge/time_expressions.yaml``) because NER
misses some. Resolution rules, in priority order:

1. a time expression in the event's sentence (the one nearest the trigger), resolved
   against the publication date, backwards unless the event is in the future tense;
2. a phrase that names the scene ("during the visit") inherits the scene's date;
3. perfect aspect ("has sent") with no expression: an open range ending at publication;
4. a sentence that continues the scene (a past/present event after an explicitly dated
   one, or one with "also", "later"...) up to three sentences after it was last set or
   carried (``SCENE_SENTENCES``) inherits the scene's date or range;
5. otherwise the publication date, flagged ``is_publication``.

Finding the expressions (the patterns of the data file, compiled) is ``time_expressions``;
this module works out the dates they mean and picks one per event.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Literal

from eventwire.errors import KnowledgeError
from eventwire.knowledge import Knowledge
from eventwire.models import EventCandidate, EventDate, Tense
from eventwire.time_expressions import (
    KNOWLEDGE_FILE,
    SceneStrength,
    TimeExpression,
    TimeKnowledge,
    find_time_expressions,
    overlaps,
    scene_phrase,
    time_knowledge,
)

__all__ = [
    "KNOWLEDGE_FILE",
    "Direction",
    "Range",
    "SceneStrength",
    "TimeExpression",
    "find_time_expressions",
    "resolve_dates",
    "resolve_event_date",
    "resolve_expression",
    "scene_phrase",
]

Direction = Literal["past", "future"]
Range = tuple[date, date]


# --- calendar arithmetic -----------------------------------------------------------------


def _month_range(year: int, month: int) -> Range:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _week_range(day: date) -> Range:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _valid_day(year: int, month: int, day: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return date(year, month, day)


def _portion(span: Range, portion: str | None, unit: str, kb: TimeKnowledge) -> Range:
    """Early / mid / late part of a week, month or year, as the data file cuts them."""
    bounds = kb.portions.get(unit, {}).get(portion or "")
    if bounds is None:
        return span
    first, last = bounds
    if unit == "year":
        start = date(span[0].year, first, 1)
        return start, _month_range(span[0].year, last)[1]
    start = span[0] + timedelta(days=first - 1)
    return start, min(span[0] + timedelta(days=last - 1), span[1])


# --- resolvers: one per kind in the data file ---------------------------------------------

_Resolver = Callable[[TimeExpression, date | None, Direction, TimeKnowledge], Range | None]


def _number(expression: TimeExpression, kb: TimeKnowledge) -> int:
    raw = expression.groups.get("number")
    if raw is None:
        # "the past week" is one week; "in recent months" or "the past months" are a few
        unit = expression.groups.get("unit", "")
        return 1 if not unit.endswith("s") else int(kb.vocabulary["number"].get("few", 3))
    if raw.isdigit():
        return int(raw)
    return int(kb.vocabulary["number"][re.sub(r"\s+", " ", raw)])


def _unit(expression: TimeExpression, kb: TimeKnowledge) -> str:
    return str(kb.vocabulary["unit"][expression.groups["unit"]])


def _anchor(expression: TimeExpression, kb: TimeKnowledge) -> str:
    raw = expression.groups.get("anchor")
    if raw is None:
        return "plain"
    return str(kb.vocabulary["anchor"].get(re.sub(r"\s+", " ", raw), "plain"))


def _since(span: Range, anchor: str, published: date | None) -> Range:
    """'since March': from the start of what is named up to publication."""
    if anchor == "since" and published is not None and span[0] <= published:
        return span[0], published
    return span


def _calendar_date(
    expression: TimeExpression, published: date | None, direction: Direction, kb: TimeKnowledge
) -> Range | None:
    groups = expression.groups
    month = (
        int(groups["month_num"])
        if "month_num" in groups
        else kb.vocabulary["month"].get(groups.get("month", ""), 0)
    )
    day_number = int(groups["day"])
    if "year" in groups:
        day = _valid_day(int(groups["year"]), month, day_number)
    elif published is None:
        return None
    else:
        day = _valid_day(published.year, month, day_number)
        if day is None:
            # 29 February: look in the neighbouring years for one that has it
            step = -1 if direction == "past" else 1
            day = _valid_day(published.year + step, month, day_number)
        elif direction == "past" and day > published:
            day = _valid_day(published.year - 1, month, day_number)
        elif direction == "future" and day < published:
            day = _valid_day(published.year + 1, month, day_number)
    if day is None:
        return None
    return _since((day, day), _anchor(expression, kb), published)


def _month(
    expression: TimeExpression, published: date | None, direction: Direction, kb: TimeKnowledge
) -> Range | None:
    groups = expression.groups
    month = int(kb.vocabulary["month"][groups["month"]])
    anchor = _anchor(expression, kb)
    if "year" in groups:
        year = int(groups["year"])
    elif published is None:
        return None
    elif anchor == "before":
        year = published.year if month < published.month else published.year - 1
    elif anchor == "after":
        year = published.year if month > published.month else published.year + 1
    elif anchor == "this" or month == published.month:
        year = published.year
    elif direction == "past":
        year = published.year if month < published.month else published.year - 1
    else:
        year = published.year if month > published.month else published.year + 1
    portion = kb.vocabulary["portion"].get(re.sub(r"\s+", " ", groups.get("portion", "")))
    span = _portion(_month_range(year, month), portion, "month", kb)
    return _since(span, anchor, published)


def _year(
    expression: TimeExpression, published: date | None, direction: Direction, kb: TimeKnowledge
) -> Range | None:
    year = int(expression.groups["year"])
    span = (date(year, 1, 1), date(year, 12, 31))
    portion = kb.vocabulary["portion"].get(
        re.sub(r"\s+", " ", expression.groups.get("portion", ""))
    )
    return _since(_portion(span, portion, "year", kb), _anchor(expression, kb), published)


def _day_offset(
    expression: TimeExpression, published: date | None, direction: Direction, kb: TimeKnowledge
) -> Range | None:
    if published is None:
        return None
    day = published + timedelta(days=int(expression.params.get("offset", 0)))
    return day, day


def _weekday(
    expression: TimeExpression, published: date | None, direction: Direction, kb: TimeKnowledge
) -> Range | None:
    if published is None:
        return None
    target = int(kb.vocabulary["weekday"][expression.groups["weekday"]])
    anchor = _anchor(expression, kb)
    back = (published.weekday() - target) % 7
    ahead = (target - published.weekday()) % 7
    if anchor == "before":
        day = published - timedelta(days=back or 7)
    elif anchor == "after":
        day = published + timedelta(days=ahead or 7)
    elif anchor == "this":
        day = _week_range(published)[0] + timedelta(days=target)
    elif direction == "future":
        day = published + timedelta(days=ahead)
    else:
        day = published - timedelta(days=back)
    return _since((day, day), anchor, published)


def _period(unit: str, day: date) -> Range:
    if unit == "week":
        return _week_range(day)
    if unit == "weekend":
        monday = _week_range(day)[0]
        return monday + timedelta(days=5), monday + timedelta(days=6)
    if unit == "month":
        return _month_range(day.year, day.month)
    return date(day.year, 1, 1), date(day.year, 12, 31)


def _shifted(unit: str, day: date, shift: int) -> date:
    if unit in {"week", "weekend"}:
        return day + timedelta(weeks=shift)
    if unit == "month":
        year, month = _add_months(day.year, day.month, shift)
        return date(year, month, 1)
    return date(day.year + shift, 1, 1)


def _relative_period(
    expression: TimeExpression, published: date | None, direction: Direction, kb: TimeKnowledge
) -> Range | None:
    if published is None:
        return None
    modifier = kb.vocabulary["period_modifier"][re.sub(r"\s+", " ", expression.groups["modifier"])]
    unit = expression.groups["unit"]
    shift = int(modifier["shift"])
    if unit == "week" and shift < 0 and published.weekday() == 6:
        # written on a Sunday, "last week" is the week just ending, not the one before it
        # (Monday-first weeks would put the Sunday itself in a new week already)
        monday, _ = _week_range(published + timedelta(weeks=shift + 1))
        span = monday, min(monday + timedelta(days=5), published - timedelta(days=1))
    else:
        span = _period(unit, _shifted(unit, published, shift))
    portion = modifier.get("portion", "whole")
    if portion == "to_date":
        return span[0], min(published, span[1])
    if portion == "from_date":
        return max(published, span[0]), span[1]
    return _portion(span, portion, unit, kb)


def _past_span(
    expression: TimeExpression, published: date | None, direction: Direction, kb: TimeKnowledge
) -> Range | None:
    """'over the past three months': back N units from publication, day for day (the 7th of
    July to the 7th of October, not from the 1st of July: the words count back from today)."""
    if published is None:
        return None
    count, unit = _number(expression, kb), _unit(expression, kb)
    if unit == "day":
        start = published - timedelta(days=count)
    elif unit in {"week", "weekend"}:
        start = published - timedelta(weeks=count)
    else:
        months = count if unit == "month" else 12 * count
        year, month = _add_months(published.year, published.month, -months)
        start = date(year, month, min(published.day, calendar.monthrange(year, month)[1]))
    return start, published


def _ago(
    expression: TimeExpression, published: date | None, direction: Direction, kb: TimeKnowledge
) -> Range | None:
    if published is None:
        return None
    count, unit = _number(expression, kb), _unit(expression, kb)
    if unit == "day":
        day = published - timedelta(days=count)
        return day, day
    return _period(unit, _shifted(unit, published, -count))


def _recent(
    expression: TimeExpression, published: date | None, direction: Direction, kb: TimeKnowledge
) -> Range | None:
    if published is None:
        return None
    return published - timedelta(days=int(expression.params.get("days", 30))), published


def _ahead(
    expression: TimeExpression, published: date | None, direction: Direction, kb: TimeKnowledge
) -> Range | None:
    if published is None:
        return None
    count, unit = _number(expression, kb), _unit(expression, kb)
    if unit == "day":
        day = published + timedelta(days=count)
        return day, day
    if unit in {"week", "weekend"}:
        day = published + timedelta(weeks=count)
        return day, day
    return _period(unit, _shifted(unit, published, count))


_RESOLVERS: dict[str, _Resolver] = {
    "calendar_date": _calendar_date,
    "month": _month,
    "year": _year,
    "day_offset": _day_offset,
    "weekday": _weekday,
    "relative_period": _relative_period,
    "past_span": _past_span,
    "ago": _ago,
    "recent": _recent,
    "ahead": _ahead,
}


def resolve_expression(
    expression: TimeExpression,
    published: date | None,
    tense: Tense = "past",
    *,
    knowledge: Knowledge,
) -> Range | None:
    """The day range an expression names, or None when it cannot be placed in time.

    A range that contains the publication date is cut at it: a past event cannot have
    happened after the report, a future one not before it. A weekday in the present tense is
    the nearest one, ahead or back: news tells schedules in the present ("meets on Friday");
    on the annotated corpus that dated 8 more of 320 train type matches right (dev 1 of 71).
    """
    direction: Direction = "future" if tense == "future" else "past"
    if expression.future_only and direction != "future":
        return None
    resolver = _RESOLVERS.get(expression.kind)
    if resolver is None:
        raise KnowledgeError(f"{KNOWLEDGE_FILE}: unknown kind {expression.kind!r}")
    kb = time_knowledge(knowledge)
    span = resolver(expression, published, direction, kb)
    if (
        tense == "present"
        and expression.kind == "weekday"
        and span is not None
        and published is not None
    ):
        ahead = resolver(expression, published, "future", kb)
        if ahead is not None and (ahead[0] - published) < (published - span[0]):
            return ahead
    if span is None or published is None or span[0] == span[1]:
        return span
    if span[0] <= published <= span[1]:
        return (span[0], published) if direction == "past" else (published, span[1])
    return span


# --- choosing and carrying over -----------------------------------------------------------


def _distance(start: int, end: int, candidate: EventCandidate) -> float:
    """Distance to the trigger; words before it count a little more, except at sentence start.

    Time adverbials follow the verb or open the sentence; one in between usually belongs to
    a relative clause about something else ("X, who took office in 2018, met Y on Monday").
    """
    trigger = candidate.trigger
    if overlaps(start, end, trigger.start, trigger.end):
        return 0.0
    if start >= trigger.end:
        return float(start - trigger.end)
    gap = float(trigger.start - end)
    opens_sentence = start - candidate.sentence.start <= 3
    return gap if opens_sentence else gap * 1.5


def _make(span: Range, expression: str | None) -> EventDate:
    start, end = span
    return EventDate(
        date=start if start == end else None, start=start, end=end, expression=expression
    )


def _is_explicit(scene: EventDate | None) -> bool:
    return (
        scene is not None
        and not scene.is_publication
        and (scene.date is not None or scene.start is not None or scene.end is not None)
    )


SCENE_SENTENCES = 3
"""How many sentences a date scene reaches past the last one that set or continued it. News
stories jump in time: on the annotated corpus (train, type matches) a scene carried without
limit dated 241 of 320 events right, none at all 250 (Guardian articles gain, short VOA wire
stories lose: 87 -> 82 of 104), three sentences 248 with VOA kept at 87; dev 54, 54, 55 of 71."""

SCENE_MAX_DAYS = 31
"""A date or range up to a month sets a scene the next sentences continue; a year or a decade
named for one event ("attacks in 2001") is that event's time, not the paragraph's (#8)."""


def _is_scene(previous: EventDate | None) -> bool:
    """An explicit date narrow enough that an undated next sentence is read inside it."""
    if not _is_explicit(previous) or previous is None:
        return False
    if previous.date is not None:
        return True
    if previous.start is None or previous.end is None:
        return False
    return (previous.end - previous.start).days <= SCENE_MAX_DAYS


def _scene_in_future(scene: EventDate, published: date | None) -> bool:
    first = scene.start or scene.date
    return published is not None and first is not None and first > published


def _continues(candidate: EventCandidate, scene: EventDate, published: date | None) -> bool:
    """A past or present event goes on in a past scene; a future one only in a future scene."""
    if candidate.tense == "perfect":
        return False
    if candidate.tense == "future":
        return _scene_in_future(scene, published)
    return not _scene_in_future(scene, published)


def resolve_event_date(
    candidate: EventCandidate,
    published: date | None,
    previous: EventDate | None = None,
    *,
    knowledge: Knowledge,
) -> EventDate:
    """The date or range of one event; ``previous`` is the scene the document set before it."""
    sentence = candidate.sentence
    expressions = sorted(
        find_time_expressions(sentence, knowledge=knowledge),
        key=lambda e: _distance(e.start, e.end, candidate),
    )
    for expression in expressions:
        span = resolve_expression(expression, published, candidate.tense, knowledge=knowledge)
        if span is not None:
            return _make(span, expression.text)

    strength = scene_phrase(sentence.text, knowledge=knowledge)
    if previous is not None and strength == "anchoring":
        return previous
    if candidate.tense == "perfect":
        return EventDate(end=published) if published is not None else EventDate()
    carries = (strength == "continuing" and _is_explicit(previous)) or _is_scene(previous)
    if previous is not None and carries and _continues(candidate, previous, published):
        return previous
    if published is None:
        return EventDate()
    return EventDate(date=published, start=published, end=published, is_publication=True)


def resolve_dates(
    candidates: Sequence[EventCandidate], published: date | None, *, knowledge: Knowledge
) -> list[EventDate]:
    """Dates for a document's candidates in order, carrying the scene from one to the next
    for up to ``SCENE_SENTENCES`` sentences.

    The scene is the last date the text set explicitly (or inherited) for an event not in
    the perfect: background events ("has sent") and undated ones don't move it.
    """
    scene: EventDate | None = None
    scene_at = -1
    out: list[EventDate] = []
    for candidate in candidates:
        here = candidate.sentence.index
        # beyond the span only a phrase naming the scene reaches it (checked only then)
        alive = (
            scene
            if here - scene_at <= SCENE_SENTENCES
            or scene_phrase(candidate.sentence.text, knowledge=knowledge) == "anchoring"
            else None
        )
        resolved = resolve_event_date(candidate, published, alive, knowledge=knowledge)
        if candidate.tense != "perfect" and _is_explicit(resolved):
            scene, scene_at = resolved, here
        out.append(resolved)
    return out
