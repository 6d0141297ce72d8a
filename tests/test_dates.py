"""Event dates from hand-built candidates: expressions, perfect aspect, scene carry-over."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventwire.dates import (
    find_time_expressions,
    resolve_dates,
    resolve_event_date,
    scene_phrase,
)
from eventwire.errors import KnowledgeError
from eventwire.knowledge import Knowledge
from eventwire.models import (
    EventCandidate,
    EventDate,
    EventType,
    Sentence,
    Tense,
    TextSpan,
)
from support import builtin_knowledge

PUBLISHED = date(2021, 3, 10)  # a Wednesday
OFFSET = 500  # sentences sit somewhere inside a body, not at offset 0


def candidate(
    text: str,
    trigger: str,
    tense: Tense = "past",
    *,
    times: tuple[str, ...] = (),
    index: int = 0,
) -> EventCandidate:
    """An event candidate whose sentence starts at OFFSET; ``times`` are NER time spans."""
    position = text.index(trigger)
    spans = []
    for words in times:
        at = text.index(words)
        spans.append(TextSpan(text=words, start=OFFSET + at, end=OFFSET + at + len(words)))
    sentence = Sentence(index=index, text=text, start=OFFSET, end=OFFSET + len(text), times=spans)
    return EventCandidate(
        type=EventType.CONSULT,
        sentence=sentence,
        trigger=TextSpan(
            text=trigger, start=OFFSET + position, end=OFFSET + position + len(trigger)
        ),
        tense=tense,
    )


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "trigger", "tense", "start", "end"),
    [
        # weekdays: the latest one on or before publication, forward when future
        (
            "The envoy briefed journalists in Ankara on Wednesday.",
            "briefed",
            "past",
            "2021-03-10",
            None,
        ),
        (
            "The envoy briefed journalists in Ankara on Monday.",
            "briefed",
            "past",
            "2021-03-08",
            None,
        ),
        ("Ministers gathered in Oslo Thursday.", "gathered", "past", "2021-03-04", None),
        ("The talks will resume on Thursday.", "resume", "future", "2021-03-11", None),
        ("Gunmen struck a convoy on Sunday night.", "struck", "past", "2021-03-07", None),
        ("Villagers fled last Wednesday.", "fled", "past", "2021-03-03", None),
        ("The delegates will fly home next Monday.", "fly", "future", "2021-03-15", None),
        # days around publication
        ("Rebels shelled the town yesterday.", "shelled", "past", "2021-03-09", None),
        ("The premier spoke to parliament today.", "spoke", "present", "2021-03-10", None),
        ("Troops withdrew from the bridge last night.", "withdrew", "past", "2021-03-09", None),
        ("The envoy will arrive tomorrow.", "arrive", "future", "2021-03-11", None),
        ("Fighting erupted three days ago.", "erupted", "past", "2021-03-07", None),
        # weeks, months, years around publication
        ("Talks collapsed last week.", "collapsed", "past", "2021-03-01", "2021-03-07"),
        ("Protests spread this week.", "spread", "past", "2021-03-08", "2021-03-10"),
        ("The committee will meet next week.", "meet", "future", "2021-03-15", "2021-03-21"),
        ("Envoys met earlier this month.", "met", "past", "2021-03-01", "2021-03-10"),
        ("Prices rose sharply last month.", "rose", "past", "2021-02-01", "2021-02-28"),
        ("Inflation climbed earlier this year.", "climbed", "past", "2021-01-01", "2021-03-10"),
        ("The accord was signed last year.", "signed", "past", "2020-01-01", "2020-12-31"),
        ("Unrest flared two weeks ago.", "flared", "past", "2021-02-22", "2021-02-28"),
        (
            "The ministers will hold a summit later this month.",
            "hold",
            "future",
            "2021-03-10",
            "2021-03-31",
        ),
        # spans back from publication, day for day
        (
            "The sides have over the past two months exchanged notes.",
            "exchanged",
            "perfect",
            "2021-01-10",
            "2021-03-10",
        ),
        (
            "Both capitals have in the past few months swapped envoys.",
            "swapped",
            "perfect",
            "2020-12-10",
            "2021-03-10",
        ),
        (
            "Clashes intensified in the past few weeks.",
            "intensified",
            "past",
            "2021-02-17",
            "2021-03-10",
        ),
        ("Raids multiplied in recent days.", "multiplied", "past", "2021-03-07", "2021-03-10"),
        (
            "The ministry recently reported new arrests.",
            "reported",
            "past",
            "2021-02-08",
            "2021-03-10",
        ),
        # calendar dates and months
        ("The treaty was signed on February 14.", "signed", "past", "2021-02-14", None),
        ("Ministers met on 3 December.", "met", "past", "2020-12-03", None),
        ("Ministers will meet on 3 December.", "meet", "future", "2021-12-03", None),
        ("The vote took place on Oct. 12, 2019.", "took", "past", "2019-10-12", None),
        ("The deal was signed on the 2nd of April 2018.", "signed", "past", "2018-04-02", None),
        (
            "The decree was published 2020-06-30 by the cabinet.",
            "published",
            "past",
            "2020-06-30",
            None,
        ),
        ("Elections were held in November.", "held", "past", "2020-11-01", "2020-11-30"),
        ("Exercises began in March.", "began", "past", "2021-03-01", "2021-03-10"),
        ("Officials met in late January.", "met", "past", "2021-01-21", "2021-01-31"),
        ("The talks stalled in mid-February.", "stalled", "past", "2021-02-11", "2021-02-20"),
        ("The embassy closed in 2018.", "closed", "past", "2018-01-01", "2018-12-31"),
        ("Ties were cut in September 2017.", "cut", "past", "2017-09-01", "2017-09-30"),
        ("Prices have risen since January.", "risen", "perfect", "2021-01-01", "2021-03-10"),
        ("They will hold a summit in two weeks.", "hold", "future", "2021-03-24", None),
    ],
)
def test_expression_in_sentence(
    text: str, trigger: str, tense: Tense, start: str, end: str | None
) -> None:
    result = resolve_event_date(
        candidate(text, trigger, tense), PUBLISHED, knowledge=builtin_knowledge()
    )
    assert not result.is_publication
    assert result.start == d(start)
    assert result.end == d(end or start)
    assert result.date == (d(start) if end is None else None)
    assert result.expression is not None and result.expression.lower() in text.lower()


def test_expression_keeps_its_preposition() -> None:
    result = resolve_event_date(
        candidate("The envoy briefed journalists in Ankara on Monday.", "briefed"),
        PUBLISHED,
        knowledge=builtin_knowledge(),
    )
    assert result.expression == "on Monday"


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("The minister said on Tuesday that troops had withdrawn last week.", "said", "2021-03-09"),
        (
            "The minister said on Tuesday that troops had withdrawn last week.",
            "withdrawn",
            "2021-03-01",
        ),
        ("On Monday, the mayor said the army had left the city in 2019.", "said", "2021-03-08"),
        ("On Monday, the mayor said the army had left the city in 2019.", "left", "2019-01-01"),
    ],
)
def test_expression_nearest_to_the_trigger(text: str, trigger: str, expected: str) -> None:
    assert resolve_event_date(
        candidate(text, trigger), PUBLISHED, knowledge=builtin_knowledge()
    ).start == d(expected)


def _resolve(text: str, trigger: str, tense: Tense = "past", **kwargs: object) -> EventDate:
    return resolve_event_date(
        candidate(text, trigger, tense, **kwargs),  # type: ignore[arg-type]
        PUBLISHED,
        knowledge=builtin_knowledge(),
    )


def test_in_n_weeks_is_no_date_for_a_past_event() -> None:
    assert _resolve("He made his second trip in a month to the region.", "made").is_publication
    # the same words do date a future event: only the tense keeps them out
    assert not _resolve("He will make a trip in a month.", "make", "future").is_publication


def test_month_name_that_is_also_a_verb_needs_ner() -> None:
    text = "The ceasefire held through May, officials said."
    without_ner = resolve_event_date(
        candidate(text, "held"), PUBLISHED, knowledge=builtin_knowledge()
    )
    with_ner = resolve_event_date(
        candidate(text, "held", times=("May",)), PUBLISHED, knowledge=builtin_knowledge()
    )
    assert without_ner.is_publication
    assert (with_ner.start, with_ner.end) == (d("2020-05-01"), d("2020-05-31"))


@pytest.mark.parametrize(
    ("text", "control"),
    [
        ("The government pledged to cut emissions by 2030.", "The government pledged in 2019."),
        ("Troops will stay until Friday, officials said.", "Troops stayed on Friday."),
        ("The agency reported a budget of 2020 million.", "The agency reported in 2020."),
    ],
)
def test_deadlines_and_numbers_do_not_date_the_event(text: str, control: str) -> None:
    assert _resolve(text, text.split()[1]).is_publication
    # the control dates its event: the year or day is read, the deadline or number is not
    assert not _resolve(control, control.split()[1]).is_publication


def test_modal_may_is_not_a_month() -> None:
    assert _resolve("Talks may resume soon.", "resume").is_publication
    assert not _resolve("Talks resumed in May.", "resumed", times=("May",)).is_publication


def test_perfect_without_expression_is_open_range() -> None:
    result = resolve_event_date(
        candidate("France has sent troops to the region.", "sent", "perfect"),
        PUBLISHED,
        knowledge=builtin_knowledge(),
    )
    assert result == EventDate(start=None, end=PUBLISHED, date=None, is_publication=False)


def test_fallback_is_the_publication_date() -> None:
    result = resolve_event_date(
        candidate("Officials condemned the attack.", "condemned"),
        PUBLISHED,
        knowledge=builtin_knowledge(),
    )
    assert result.is_publication
    assert result.date == result.start == result.end == PUBLISHED


def test_no_publication_date() -> None:
    relative = resolve_event_date(
        candidate("Leaders met on Monday.", "met"), None, knowledge=builtin_knowledge()
    )
    absolute = resolve_event_date(
        candidate("Leaders met on 5 May 2019.", "met"), None, knowledge=builtin_knowledge()
    )
    perfect = resolve_event_date(
        candidate("Leaders have met.", "met", "perfect"), None, knowledge=builtin_knowledge()
    )
    assert relative == EventDate()
    assert perfect == EventDate()
    assert absolute.date == d("2019-05-05")


def test_scene_carries_over_until_a_new_one() -> None:
    document = [
        candidate(
            "The premier hosted his Irish counterpart in Athens on Monday.", "hosted", index=0
        ),
        candidate("The two leaders signed a trade accord.", "signed", index=1),
        candidate("Greece has long sought closer ties with Dublin.", "sought", "perfect", index=2),
        candidate("They also discussed migration.", "discussed", index=3),
        candidate("A week ago, the premier visited Rome.", "visited", index=4),
        candidate("He toured the port.", "toured", index=5),
    ]
    dates = resolve_dates(document, PUBLISHED, knowledge=builtin_knowledge())
    assert [x.date for x in dates[:2]] == [d("2021-03-08"), d("2021-03-08")]
    assert not dates[1].is_publication
    assert dates[1].expression == "on Monday"
    assert (dates[2].start, dates[2].end) == (None, PUBLISHED)
    assert dates[3].date == d("2021-03-08")  # the perfect event did not change the scene
    assert dates[4].start == d("2021-03-01") and dates[4].end == d("2021-03-07")
    assert dates[5] == dates[4]


def test_a_scene_fades_three_sentences_after_it_was_last_set_or_carried() -> None:
    document = [
        candidate("The envoy met rebel leaders on Monday.", "met", index=0),
        candidate("He then met tribal elders.", "met", index=2),  # carried: refreshes the scene
        candidate("Officials later held talks.", "held", index=5),  # three sentences on
        candidate("They signed a deal.", "signed", index=9),  # four past the last one
        candidate("During the visit, he also toured a school.", "toured", index=15),
    ]
    dates = resolve_dates(document, PUBLISHED, knowledge=builtin_knowledge())
    monday = d("2021-03-08")
    assert [x.date for x in dates[:3]] == [monday, monday, monday]
    assert not dates[2].is_publication
    assert dates[3].is_publication
    assert dates[4].date == monday  # a phrase naming the scene reaches it however far


def test_a_year_named_for_one_event_does_not_date_the_next_sentence() -> None:
    document = [
        candidate("Militants attacked New York and Washington in 2001.", "attacked"),
        candidate("Officials condemned the new bombing.", "condemned", index=1),
        candidate("Later the envoy also met the rebels.", "met", index=2),
    ]
    dates = resolve_dates(document, PUBLISHED, knowledge=builtin_knowledge())
    assert (dates[0].start, dates[0].end) == (d("2001-01-01"), d("2001-12-31"))
    assert dates[1].is_publication  # a year is that event's time, not a scene
    assert dates[2] == dates[0]  # an explicit continuation still carries it


def test_anchoring_phrase_carries_a_range_even_into_the_perfect() -> None:
    document = [
        candidate("Earlier this month, the envoy held talks with rebel leaders.", "held"),
        candidate("During the visit, he has met tribal elders.", "met", "perfect", index=1),
        candidate("Tribal elders have welcomed the plan.", "welcomed", "perfect", index=2),
    ]
    dates = resolve_dates(document, PUBLISHED, knowledge=builtin_knowledge())
    assert (dates[1].start, dates[1].end) == (d("2021-03-01"), PUBLISHED)
    assert dates[2].start is None  # no scene phrase: a perfect event is background


def test_future_scene_does_not_date_a_past_report() -> None:
    document = [
        candidate("The ministers will meet next week.", "meet", "future"),
        candidate("They will discuss fishing rights.", "discuss", "future", index=1),
        candidate("The ministry said the preparations were useful.", "said", index=2),
    ]
    dates = resolve_dates(document, PUBLISHED, knowledge=builtin_knowledge())
    assert dates[1] == dates[0]
    assert dates[2].is_publication


def test_undated_document_stays_on_publication() -> None:
    document = [
        candidate("Officials condemned the bombing.", "condemned"),
        candidate("They also called for calm.", "called", index=1),
    ]
    assert all(
        x.is_publication and x.date == PUBLISHED
        for x in resolve_dates(document, PUBLISHED, knowledge=builtin_knowledge())
    )


def test_previous_is_used_by_the_single_event_api() -> None:
    scene = EventDate(start=d("2021-02-01"), end=d("2021-02-05"), expression="early February")
    result = resolve_event_date(
        candidate("On the sidelines, the two leaders spoke.", "spoke"),
        PUBLISHED,
        scene,
        knowledge=builtin_knowledge(),
    )
    assert result == scene


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("During his second visit in a month, he spoke.", "anchoring"),
        ("At the summit, leaders agreed.", "anchoring"),
        ("On the sidelines of the forum, they met.", "anchoring"),
        ("He also met the mayor.", "continuing"),
        ("Later, police arrived.", "continuing"),
        ("Police arrived.", None),
    ],
)
def test_scene_phrase(text: str, expected: str | None) -> None:
    assert scene_phrase(text, knowledge=builtin_knowledge()) == expected


def test_longest_overlapping_expression_wins() -> None:
    found = find_time_expressions(
        candidate("Earlier this month and on Friday, March 5, envoys met.", "met").sentence,
        knowledge=builtin_knowledge(),
    )
    assert [e.text for e in found] == ["Earlier this month", "on Friday, March 5"]
    assert found[0].start == OFFSET


def test_unquoted_yaml_boolean_in_vocabulary_is_reported(tmp_path: Path) -> None:
    builtin = builtin_knowledge().path("time_expressions.yaml").read_text(encoding="utf-8")
    broken = builtin.replace("vocabulary:\n", "vocabulary:\n  extra_words:\n    on: plain\n", 1)
    assert broken != builtin
    (tmp_path / "time_expressions.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"time_expressions\.yaml: vocabulary\.extra_words"):
        Knowledge(tmp_path)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Talks collapsed last week.", "2021-03-08", "2021-03-13"),  # Monday to Saturday
        ("Talks collapsed late last week.", "2021-03-12", "2021-03-13"),
        ("Talks collapsed this week.", "2021-03-08", "2021-03-14"),
    ],
)
def test_last_week_written_on_a_sunday_is_the_week_just_ending(
    text: str, start: str, end: str
) -> None:
    sunday = date(2021, 3, 14)
    result = resolve_event_date(candidate(text, "collapsed"), sunday, knowledge=builtin_knowledge())
    assert (result.start, result.end) == (d(start), d(end))


@pytest.mark.parametrize(
    ("text", "trigger", "tense", "expected"),
    [
        # the present tense of a schedule: the nearest such weekday, ahead or back
        ("The envoy meets the rebels on Friday.", "meets", "present", "2021-03-12"),
        ("The envoy meets the rebels on Monday.", "meets", "present", "2021-03-08"),
        # the past tense still looks back
        ("The envoy met the rebels on Friday.", "met", "past", "2021-03-05"),
    ],
)
def test_a_weekday_in_the_present_tense_is_the_nearest_one(
    text: str, trigger: str, tense: Tense, expected: str
) -> None:
    result = resolve_event_date(
        candidate(text, trigger, tense), PUBLISHED, knowledge=builtin_knowledge()
    )
    assert result.date == d(expected)
