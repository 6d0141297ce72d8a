"""The codebook: one definition of PLOVER types, symmetric types, scores, quad classes and
CAMEO<->PLOVER, read by events, query, store, evaluate and export."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from eventwire import codebook, events
from eventwire.codebook import QUAD_CLASS_NUMBERS, SYMMETRIC_TYPES
from eventwire.models import (
    Document,
    Entity,
    Event,
    EventCandidate,
    EventDate,
    EventType,
    QuadClass,
    Sentence,
    TextSpan,
    event_id,
)
from support import builtin_knowledge

SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"


def _book() -> codebook.Codebook:
    return codebook.of(builtin_knowledge())


def test_symmetric_types_are_the_joint_ones() -> None:
    assert {EventType.CONSULT, EventType.AGREE, EventType.COOPERATE} == SYMMETRIC_TYPES
    assert codebook.is_symmetric("AGREE") and not codebook.is_symmetric(EventType.SUPPORT)


@pytest.mark.skipif(not SCORER.is_file(), reason="the shared scorer is not checked out here")
def test_symmetric_types_are_the_shared_scorers() -> None:
    tree = ast.parse(SCORER.read_text(encoding="utf-8"))
    (value,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "SYMMETRIC" for t in node.targets)
    ]
    assert ast.literal_eval(value) == {t.value for t in SYMMETRIC_TYPES}


@pytest.mark.parametrize(
    ("event_type", "mode", "score"),
    [
        (EventType.ACCUSE, None, -3.0),
        (EventType.ACCUSE, "allege", -3.5),
        (EventType.CONSULT, "visit", 4.0),
        (EventType.CONSULT, None, 2.5),
        (EventType.CONSULT, "no-such-mode", 2.5),
        (EventType.AID, None, 10.0),
        (EventType.ASSAULT, "aerial", -9.5),
        (EventType.RETREAT, "disarm", 10.0),
    ],
)
def test_plover_score(event_type: EventType, mode: str | None, score: float) -> None:
    assert _book().score(event_type, mode) == score


@pytest.mark.parametrize(
    ("event_type", "quad"),
    [
        (EventType.AID, QuadClass.MATERIAL_COOPERATION),
        (EventType.THREATEN, QuadClass.VERBAL_CONFLICT),
        (EventType.AGREE, QuadClass.VERBAL_COOPERATION),
        (EventType.ASSAULT, QuadClass.MATERIAL_CONFLICT),
    ],
)
def test_quad_class(event_type: EventType, quad: QuadClass) -> None:
    assert _book().quad_class(event_type) is quad


def test_every_type_has_a_score_and_quad_class() -> None:
    for event_type in EventType:
        assert -10 <= _book().score(event_type) <= 10
        assert _book().quad_class(event_type) in QUAD_CLASS_NUMBERS


@pytest.mark.parametrize(
    ("cameo", "expected"),
    [
        ("057", (EventType.SUPPORT, None)),
        ("0871", (EventType.RETREAT, "ceasefire")),
        ("999", None),
    ],
)
def test_cameo_to_plover(cameo: str, expected: tuple[EventType, str | None] | None) -> None:
    assert _book().cameo_to_plover(cameo) == expected


def test_plover_to_cameo_finds_a_code_of_the_type() -> None:
    code = _book().plover_to_cameo(EventType.RETREAT, "ceasefire")
    assert code is not None and _book().cameo_to_plover(code) == (EventType.RETREAT, "ceasefire")


def test_trigger_cameo_codes_agree_with_the_cameo_table() -> None:
    for rule in events.trigger_rules(builtin_knowledge()):
        if rule.cameo is None:
            continue
        row = _book().cameo_to_plover(rule.cameo)
        assert row is not None, f"{rule.id}: CAMEO {rule.cameo} not in plover.yaml"
        assert row[0] is rule.type, f"{rule.id}: CAMEO {rule.cameo} is {row[0]}, not {rule.type}"


def test_trigger_modes_are_plover_modes() -> None:
    for rule in events.trigger_rules(builtin_knowledge()):
        if rule.mode is not None:
            assert rule.mode in _book().mode_scores[rule.type], rule.id


# --------------------------------------------------------------------------- records


def _candidate(**update) -> EventCandidate:
    sentence = Sentence(index=0, text="Iran met Russia.", start=0, end=16)
    values = dict(
        type=EventType.CONSULT,
        cameo="040",
        actor=[Entity(text="Iran", country="IRN", sector="GOV")],
        recipient=[Entity(text="Russia", country="RUS", sector="GOV")],
        sentence=sentence,
        trigger=TextSpan(text="met", start=5, end=8),
    )
    values.update(update)
    return EventCandidate(**values)


def test_event_id_is_stable_and_sensitive_to_content() -> None:
    doc = Document(id="1", source="AVA", body="Iran met Russia.")
    first = event_id(doc, _candidate())
    assert first == event_id(doc, _candidate())
    assert first.startswith("ev-") and len(first) == 19
    assert first != event_id(doc, _candidate(type=EventType.AGREE))
    assert first != event_id(Document(id="2", source="AVA"), _candidate())
    swapped = _candidate(
        actor=[Entity(text="Russia", country="RUS")], recipient=[Entity(text="Iran", country="IRN")]
    )
    assert first != event_id(doc, swapped)


def test_event_from_candidate_carries_scores_date_and_evidence() -> None:
    doc = Document(id="1", source="AVA", body="Iran met Russia.")
    when = EventDate(date=date(2019, 1, 28), is_publication=True)
    book = _book()
    event = Event.from_candidate(
        _candidate(mode="visit"),
        doc,
        when,
        None,
        plover_score=book.score(EventType.CONSULT, "visit"),
        quad_class=book.quad_class(EventType.CONSULT),
    )
    assert event.plover_score == 4.0
    assert event.quad_class is QuadClass.VERBAL_COOPERATION
    assert event.date == date(2019, 1, 28) and event.date_is_publication
    assert event.evidence.trigger == "met" and event.evidence.trigger_start == 5
    assert event.doc_id == "1" and event.source == "AVA"
    assert event.event_id == event_id(doc, _candidate(mode="visit"))
