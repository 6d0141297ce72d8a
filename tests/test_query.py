"""EventFilter: participant terms, dyad symmetry, date overlap, and SQL == in-memory."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest
from pydantic import ValidationError

from event_builders import event as build_event
from eventwire.models import CodedDocument, Document, Entity, Event, EventType, QuadClass
from eventwire.query import SYMMETRIC_TYPES, EventFilter, ParticipantTerm, event_interval
from eventwire.store import Store

IRN_GOV = Entity(text="Tehran", name="Iran", country="IRN", sector="GOV")
RUS_GOV = Entity(text="Lavrov", name="Sergei Lavrov", country="RUS", sector="GOV", kind="person")
USA_MIL = Entity(text="the Pentagon", name="Pentagon", country="USA", sector="MIL")
UN_IGO = Entity(text="the UN", name="United Nations", sector="IGO", org="UN", kind="organisation")
TURKEY = Entity(text="Özdağ", name="Ümit Özdağ", country="tur", sector="gov", kind="person")

QUAD = {
    EventType.CONSULT: QuadClass.VERBAL_COOPERATION,
    EventType.AGREE: QuadClass.VERBAL_COOPERATION,
    EventType.COOPERATE: QuadClass.MATERIAL_COOPERATION,
    EventType.ACCUSE: QuadClass.VERBAL_CONFLICT,
    EventType.ASSAULT: QuadClass.MATERIAL_CONFLICT,
}


def make_event(
    event_id: str,
    type: EventType,
    actor: list[Entity],
    recipient: list[Entity] | None = None,
    *,
    doc_id: str = "d1",
    start: int = 0,
    confidence: float = 0.5,
    **dates: date | None,
) -> Event:
    return build_event(
        type,
        actor,
        recipient or [],
        doc_id=doc_id,
        event_id=event_id,
        source="SRC",
        quad_class=QUAD[type],
        sentence=f"sentence {event_id}",
        start=start,
        end=start + 10,
        confidence=confidence,
        **dates,
    )


EVENTS = [
    # A meeting where both sides were written as subjects ("Iran and Russia met").
    make_event("meet", EventType.CONSULT, [IRN_GOV, RUS_GOV], date=date(2024, 3, 5)),
    make_event("consult", EventType.CONSULT, [IRN_GOV], [RUS_GOV], date=date(2024, 3, 6)),
    make_event("accuse", EventType.ACCUSE, [IRN_GOV], [USA_MIL], date=date(2024, 3, 7)),
    make_event("assault", EventType.ASSAULT, [USA_MIL], [IRN_GOV], confidence=0.9),
    make_event(
        "agree-range",
        EventType.AGREE,
        [UN_IGO],
        [IRN_GOV],
        date_start=date(2024, 2, 1),
        date_end=date(2024, 2, 29),
        doc_id="d2",
    ),
    make_event(
        "coop-open",
        EventType.COOPERATE,
        [RUS_GOV, USA_MIL],
        date_start=date(2024, 4, 1),
        doc_id="d2",
        start=50,
    ),
    make_event("lone-agree", EventType.AGREE, [IRN_GOV], doc_id="d2", start=90),
    make_event("turkey", EventType.ACCUSE, [TURKEY], [RUS_GOV], doc_id="d3", confidence=0.2),
]


def ids(events: list[Event]) -> set[str]:
    return {event.event_id for event in events}


def select(query: EventFilter) -> set[str]:
    return ids([event for event in EVENTS if query.matches(event)])


# ---------------------------------------------------------------- participant terms


def test_symmetric_types_are_the_joint_ones() -> None:
    assert {EventType.CONSULT, EventType.AGREE, EventType.COOPERATE} == SYMMETRIC_TYPES


@pytest.mark.parametrize(
    ("term", "entity", "expected"),
    [
        ("IRN", IRN_GOV, True),
        ("irn", IRN_GOV, True),
        ("GOV", IRN_GOV, True),
        ("IRNGOV", IRN_GOV, True),
        ("IRNMIL", IRN_GOV, False),
        ("UN", UN_IGO, True),
        ("IGO", UN_IGO, True),
        ("Lavrov", RUS_GOV, True),
        ("sergei", RUS_GOV, True),
        # All caps: a code only, never a name substring.
        ("LAVROV", RUS_GOV, False),
        ("RUS", IRN_GOV, False),
        ("United", UN_IGO, True),
        ("TUR", TURKEY, True),
        ("özdağ", TURKEY, True),
    ],
)
def test_participant_term(term: str, entity: Entity, expected: bool) -> None:
    assert ParticipantTerm.parse(term).matches(entity) is expected


# ---------------------------------------------------------------- dyads


def test_meeting_answers_both_directions() -> None:
    forward = EventFilter(actor="IRN", recipient="RUS")
    backward = EventFilter(actor="RUS", recipient="IRN")
    assert select(forward) == {"meet", "consult"}
    assert select(backward) == {"meet", "consult"}


def test_directed_types_keep_direction() -> None:
    assert select(EventFilter(actor="IRN", recipient="USA")) == {"accuse"}
    assert select(EventFilter(actor="USA", recipient="IRN")) == {"assault"}


def test_symmetric_pair_needs_two_participants() -> None:
    # 'lone-agree' has Iran alone: it is not an Iran-Iran event.
    assert "lone-agree" not in select(EventFilter(actor="IRN", recipient="IRN"))
    assert "lone-agree" in select(EventFilter(actor="IRN"))


def test_symmetric_single_term_matches_recipient_side() -> None:
    # In a joint event the recipient is a participant like the actor.
    assert "agree-range" in select(EventFilter(actor="IRN"))
    assert "assault" not in select(EventFilter(actor="IRN"))


def test_type_filter_accepts_any_case() -> None:
    assert EventFilter(type="consult").type is EventType.CONSULT
    assert select(EventFilter(type="accuse")) == {"accuse", "turkey"}


# ---------------------------------------------------------------- dates and others


def test_event_interval_prefers_range() -> None:
    assert event_interval(EVENTS[4]) == (date(2024, 2, 1), date(2024, 2, 29))
    assert event_interval(EVENTS[0]) == (date(2024, 3, 5), date(2024, 3, 5))


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (date(2024, 3, 6), None, {"consult", "accuse", "coop-open"}),
        (None, date(2024, 2, 10), {"agree-range"}),
        (date(2024, 2, 28), date(2024, 3, 5), {"agree-range", "meet"}),
        (date(2030, 1, 1), None, {"coop-open"}),
    ],
)
def test_dates_overlap(since: date | None, until: date | None, expected: set[str]) -> None:
    assert select(EventFilter(since=since, until=until)) == expected


def test_min_confidence_doc_and_source() -> None:
    assert select(EventFilter(min_confidence=0.8)) == {"assault"}
    assert select(EventFilter(doc_id="d3")) == {"turkey"}
    assert select(EventFilter(source="OTHER")) == set()
    assert len(select(EventFilter(source="SRC"))) == len(EVENTS)


def test_blank_strings_mean_any() -> None:
    query = EventFilter(actor="  ", source="", type="")
    assert query.actor is None and query.source is None and query.type is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"type": "PARTY"},
        {"since": date(2024, 2, 1), "until": date(2024, 1, 1)},
        {"min_confidence": 1.5},
        {"limit": -1},
        {"colour": "red"},
    ],
)
def test_invalid_filters_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        EventFilter(**kwargs)


def test_apply_pages_in_input_order() -> None:
    page = list(EventFilter(type="CONSULT", offset=1, limit=5).apply(EVENTS))
    assert [event.event_id for event in page] == ["consult"]
    assert [e.event_id for e in EventFilter(limit=2).apply(EVENTS)] == ["meet", "consult"]


# ---------------------------------------------------------------- SQL agrees with matches()


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store.open(":memory:")
    for doc_id in sorted({event.doc_id for event in EVENTS}):
        document = Document(id=doc_id, source="SRC", body="x" * 200)
        store.save(
            CodedDocument(document=document, events=[e for e in EVENTS if e.doc_id == doc_id])
        )
    return store


TERMS = [None, "IRN", "RUS", "USA", "GOV", "IGO", "UN", "IRNGOV", "Lavrov", "LAVROV", "özdağ"]
FILTERS = (
    [
        EventFilter(actor=actor, recipient=recipient, type=kind)
        for actor, recipient, kind in product(TERMS, TERMS, [None, "CONSULT", "ACCUSE", "AGREE"])
    ]
    + [
        # several types at once (the API's repeated type, #9): symmetric, directed and mixed
        EventFilter(actor=actor, recipient=recipient, types=kinds)
        for actor, recipient, kinds in product(
            TERMS[:6], TERMS[:6], [("CONSULT", "AGREE"), ("ACCUSE", "CONSULT"), ("ACCUSE",)]
        )
    ]
    + [
        EventFilter(since=since, until=until, min_confidence=confidence, doc_id=doc_id)
        for since, until, confidence, doc_id in product(
            [None, date(2024, 2, 15), date(2024, 3, 6), date(2024, 5, 1)],
            [None, date(2024, 2, 15), date(2024, 3, 6), date(2024, 5, 1)],
            [None, 0.5, 0.9],
            [None, "d2"],
        )
        if not (since and until and since > until)
    ]
)


def test_store_and_matches_agree(store: Store) -> None:
    disagreements = []
    for query in FILTERS:
        in_sql = ids(store.events(query))
        in_memory = select(query)
        if in_sql != in_memory:
            disagreements.append((query, in_sql, in_memory))
        assert store.count_events(query) == len(in_memory)
    assert disagreements == []
    # The grid is not vacuous: it selects different things.
    assert len({frozenset(select(query)) for query in FILTERS}) > 20
