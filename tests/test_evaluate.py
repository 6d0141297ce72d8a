"""Scoring rules (the reference scorer's, ../shared/eval/score.py) and gold readers, on
hand-built events and gold (no ../shared; the few tests that need spaCy are marked slow)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from event_builders import event as build_event
from eventwire.cli import main
from eventwire.errors import InputError
from eventwire.evaluate import (
    EvaluationReport,
    GoldDocument,
    GoldEntity,
    GoldEvent,
    Share,
    date_is_right,
    dedupe_events,
    dyad_fits,
    entity_code,
    evaluate_file,
    format_report,
    gold_sentences,
    match_events,
    no_event_sentences,
    place_is_right,
    read_gold,
    read_gsr_gold,
    read_jsonl_gold,
    read_predictions,
    read_seed_gold,
    reliability_bands,
    same_evidence,
    score,
    sentence_readings,
    sides_fit,
    type_fits,
)
from eventwire.evaluate.records import reference_prf
from eventwire.models import (
    Entity,
    Event,
    EventType,
    Location,
    QuadClass,
)
from eventwire.settings import Settings

GOLD_DIR = Path(__file__).resolve().parent / "gold"
SECTOR_CODES = {"IGO", "NGO", "REB", "GOV", "MIL", "COP", "CVL", "OPP", "BUS", "JUD", "LEG"}

SENTENCE_A = "Rebels shelled the northern town of Kadara on Sunday."
SENTENCE_B = "Government troops bombed rebel positions near the border on Monday."


def entity(code: str) -> Entity:
    """A predicted entity whose scoring code is ``code`` (a sector for non-state codes)."""
    if code in SECTOR_CODES:
        return Entity(text=code, sector=code, kind="organisation")
    return Entity(text=code, country=code)


def gold_entity(code: str) -> GoldEntity:
    if code in SECTOR_CODES:
        return GoldEntity(text=code, sector=code)
    return GoldEntity(text=code, country=code, sector="GOV")


_counter = iter(range(10_000))


def event(
    kind: str,
    actor: tuple[str, ...] = (),
    recipient: tuple[str, ...] = (),
    *,
    sentence: str = SENTENCE_A,
    start: int = 0,
    doc_id: str = "d1",
    confidence: float = 0.5,
    when: date | None = None,
    date_start: date | None = None,
    date_end: date | None = None,
    place: str | None = None,
) -> Event:
    return build_event(
        kind,
        [entity(c) for c in actor],
        [entity(c) for c in recipient],
        doc_id=doc_id,
        event_id=f"e{next(_counter)}",
        quad_class=QuadClass.MATERIAL_CONFLICT,
        sentence=sentence,
        start=start,
        date=when,
        date_start=date_start,
        date_end=date_end,
        location=Location(name=place) if place else None,
        confidence=confidence,
    )


def gold_event(
    kind: str,
    actor: tuple[str, ...] = (),
    recipient: tuple[str, ...] = (),
    *,
    alt: tuple[str, ...] = (),
    evidence: str | None = None,
    background: bool = False,
    when: date | None = None,
    date_range: tuple[date | None, date | None] | None = None,
    place: str | None = None,
) -> GoldEvent:
    return GoldEvent(
        type=EventType(kind),
        alt_types=[EventType(a) for a in alt],
        actor=[gold_entity(c) for c in actor],
        recipient=[gold_entity(c) for c in recipient],
        evidence=evidence,
        background=background,
        date=when,
        date_range=date_range,
        location=place,
    )


def doc(*events: GoldEvent, doc_id: str = "d1") -> GoldDocument:
    return GoldDocument(id=doc_id, date=date(2024, 3, 4), text="text", events=list(events))


# --- type and dyad fit -----------------------------------------------------------------


def test_type_fits_gold_type_or_alt_types() -> None:
    gold = gold_event("AGREE", alt=("SUPPORT",))
    assert type_fits(event("AGREE"), gold)
    assert type_fits(event("SUPPORT"), gold)
    assert not type_fits(event("REJECT"), gold)


def test_entity_code_is_country_else_sector() -> None:
    assert Entity(text="x", country="FRA", sector="GOV").code == "FRA"
    assert Entity(text="x", sector="IGO").code == "IGO"
    assert GoldEntity(text="x", country="FRA", sector="MIL").code == "FRA"
    assert GoldEntity(text="x", sector="REB").code == "REB"
    # A predicted IGO matches a gold IGO; a country does not stand in for it.
    gold = gold_event("REQUEST", ("IGO",), ("SDN",))
    assert dyad_fits(event("REQUEST", ("IGO",), ("SDN",)), gold)
    assert not dyad_fits(event("REQUEST", ("USA",), ("SDN",)), gold)


@pytest.mark.parametrize(
    ("actor", "recipient", "expected"),
    [
        (("USA",), ("IRN",), True),
        (("USA", "GBR"), ("IRN",), True),  # one shared code per side is enough
        (("IRN",), ("USA",), False),  # directed: swapped sides do not match
        (("USA",), ("IRQ",), False),
        (("USA",), (), False),
    ],
)
def test_directed_dyad_needs_a_shared_code_on_each_side(
    actor: tuple[str, ...], recipient: tuple[str, ...], expected: bool
) -> None:
    gold = gold_event("ACCUSE", ("USA",), ("IRN",))
    assert dyad_fits(event("ACCUSE", actor, recipient), gold) is expected


def test_dyad_ignores_a_gold_side_without_codes() -> None:
    gold = gold_event("ASSAULT", (), ("IRQ",))
    assert dyad_fits(event("ASSAULT", ("REB",), ("IRQ",)), gold)
    assert dyad_fits(event("ASSAULT", (), ("IRQ",)), gold)
    assert not dyad_fits(event("ASSAULT", ("IRQ",), ()), gold)


def test_dyad_requires_type_match() -> None:
    gold = gold_event("ACCUSE", ("USA",), ("IRN",))
    assert not dyad_fits(event("THREATEN", ("USA",), ("IRN",)), gold)


@pytest.mark.parametrize("kind", ["CONSULT", "AGREE", "COOPERATE"])
def test_symmetric_types_pool_actor_and_recipient(kind: str) -> None:
    gold = gold_event(kind, ("IRN", "RUS"))
    assert dyad_fits(event(kind, ("IRN",), ("RUS",)), gold)
    assert dyad_fits(event(kind, ("RUS",), ("IRN",)), gold)
    assert dyad_fits(event(kind, ("RUS", "IRN")), gold)
    assert not dyad_fits(event(kind, ("IRN",)), gold)  # needs min(2, 2) shared codes
    assert not dyad_fits(event(kind, ("IRN",), ("TUR",)), gold)


def test_symmetric_pooling_with_one_gold_code_needs_one() -> None:
    gold = gold_event("CONSULT", ("FRA",))
    assert dyad_fits(event("CONSULT", ("DEU",), ("FRA",)), gold)
    assert not dyad_fits(event("CONSULT", ("DEU",), ("ITA",)), gold)


def test_three_gold_codes_pool_needs_two() -> None:
    gold = gold_event("CONSULT", ("IRN", "RUS"), ("TUR",))
    assert dyad_fits(event("CONSULT", ("TUR",), ("IRN",)), gold)
    assert not dyad_fits(event("CONSULT", ("TUR",), ("USA",)), gold)


def test_pooling_follows_the_gold_type() -> None:
    # Gold SUPPORT (directed) with AGREE as an alternative: an AGREE prediction is not pooled.
    directed = gold_event("SUPPORT", ("IRN",), ("RUS",), alt=("AGREE",))
    assert not dyad_fits(event("AGREE", ("RUS", "IRN")), directed)
    assert dyad_fits(event("AGREE", ("IRN",), ("RUS",)), directed)
    # Gold CONSULT with SUPPORT as an alternative: a SUPPORT prediction is pooled.
    between_equals = gold_event("CONSULT", ("IRN",), ("RUS",), alt=("SUPPORT",))
    assert dyad_fits(event("SUPPORT", ("RUS",), ("IRN",)), between_equals)


# --- matching ----------------------------------------------------------------------------


def test_duplicates_from_the_same_sentence_count_once() -> None:
    a = event("ASSAULT", ("REB",), ("NGA",))
    repeat = event("ASSAULT", ("REB",), ("NGA",))
    other_sentence = event("ASSAULT", ("REB",), ("NGA",), sentence=SENTENCE_B, start=60)
    assert dedupe_events([a, repeat, other_sentence]) == [a, other_sentence]
    report = score([doc(gold_event("ASSAULT", ("REB",), ("NGA",)))], {"d1": [a, repeat]})
    assert report.predicted_events == 1
    assert report.duplicates_removed == 1
    assert report.type_scores.precision == 1.0


def test_dedupe_reads_the_sentence_text_not_its_place() -> None:
    # The same sentence twice in a text, same type and codes: one event, as the reference counts.
    a = event("ASSAULT", ("REB",), ("NGA",), start=0)
    again = event("ASSAULT", ("REB",), ("NGA",), start=300, sentence=SENTENCE_A.upper())
    assert dedupe_events([a, again]) == [a]


def test_entity_codes_as_the_reference_reads_them() -> None:
    def code(**fields: str) -> str | None:
        return entity_code(Entity(text="x", **fields))

    assert code(country="JAP", sector="GOV") == "JPN"  # CAMEO country codes fixed
    assert code(country="itl") == "ITA"
    assert code(country="IGO", sector="GOV") == "IGO"  # non-state codes are not countries
    assert code(country="IMG") == "REB"
    assert code(country="UAF") == "REB"
    assert code(sector="rebalb") == "REB"  # a sector is cut to three letters
    assert code(country="XK", sector="GOV") == "GOV"  # not three letters: the sector
    assert code(country="") is None
    gold = gold_event("REQUEST", ("JPN",), ("ITA",))
    assert dyad_fits(event("REQUEST", ("JAP",), ("ITL",)), gold)


def test_dedupe_keeps_events_with_different_codes() -> None:
    a = event("ASSAULT", ("REB",), ("NGA",))
    b = event("ASSAULT", ("REB",), ("CMR",))
    assert dedupe_events([a, b]) == [a, b]


def test_matching_is_one_to_one() -> None:
    gold = [doc(gold_event("PROTEST", ("KEN",)))]
    report = score(gold, {"d1": [event("PROTEST", ("KEN",)), event("PROTEST", ("UGA",))]})
    assert report.type_scores.matched_predicted == 1
    assert report.type_scores.precision == 0.5
    assert report.type_scores.recall == 1.0
    assert report.type_scores.f1 == pytest.approx(2 / 3)


def test_background_gold_is_optional_both_ways() -> None:
    gold = [
        doc(
            gold_event("AID", ("IRN",), ("SYR",), background=True, evidence=SENTENCE_B),
            gold_event("ASSAULT", ("REB",), (), evidence=SENTENCE_A),
        )
    ]
    hit_background = event("AID", ("IRN",), ("SYR",), sentence=SENTENCE_B, start=60)
    found = score(gold, {"d1": [event("ASSAULT", ("REB",)), hit_background]})
    assert found.type_scores.predicted == 1  # the background match is removed
    assert found.type_scores.gold == 1
    assert found.type_scores.precision == 1.0
    assert found.optional_events == 1
    assert found.neutral_predictions == 1
    assert [o.type_match for o in found.outcomes] == [True, None]
    skipped = score(gold, {"d1": [event("ASSAULT", ("REB",))]})
    assert skipped.type_scores.recall == 1.0  # missing the background costs nothing


def test_optional_gold_takes_predictions_first() -> None:
    gold = [
        doc(
            gold_event("AID", ("IRN",), ("SYR",), background=True, evidence=SENTENCE_A),
            gold_event("AID", ("IRN",), ("SYR",), evidence=SENTENCE_A),
        )
    ]
    preds = [event("AID", ("IRN",), ("SYR",)), event("AID", ("IRN",), ("LBN",))]
    report = score(gold, {"d1": preds})
    # The background event takes the prediction that fits its dyad before the required one
    # is matched: the other prediction is left for the required event, a type match only.
    assert report.neutral_predictions == 1
    assert report.type_scores.matched_gold == 1
    assert report.type_scores.predicted == 1
    assert report.dyad_scores.matched_gold == 0
    assert [o.type_match for o in report.outcomes] == [None, True]


def test_optional_gold_takes_only_predictions_that_fit_its_dyad() -> None:
    gold = [doc(gold_event("AID", ("IRN",), ("SYR",), background=True))]
    wrong_dyad = event("AID", ("USA",), ("SYR",))
    report = score(gold, {"d1": [wrong_dyad]})
    assert report.neutral_predictions == 0
    assert report.type_scores.predicted == 1  # a false event at both levels
    assert report.dyad_scores.predicted == 1
    assert report.type_scores.precision == 0.0


def test_repeat_gold_is_optional_like_background() -> None:
    repeat = GoldEvent(
        type=EventType.ASSAULT,
        actor=[gold_entity("MIL")],
        evidence=SENTENCE_B,
        repeat=True,
    )
    gold = [doc(gold_event("ASSAULT", ("REB",), evidence=SENTENCE_A), repeat)]
    both = [event("ASSAULT", ("REB",)), event("ASSAULT", ("MIL",), sentence=SENTENCE_B, start=60)]
    found = score(gold, {"d1": both})
    assert found.gold_events == 1 and found.optional_events == 1
    assert found.neutral_predictions == 1  # matching the repeat is neither right nor wrong
    assert (found.type_scores.predicted, found.type_scores.precision) == (1, 1.0)
    missed = score(gold, {"d1": both[:1]})
    assert missed.type_scores.recall == 1.0  # missing the repeat costs nothing
    assert missed.dyad_scores.f1 == 1.0


def test_same_sentence_pairs_first_for_all_predictions() -> None:
    # The ASSAULT from sentence B shares no sentence with any gold event; read alone it would
    # take the first gold event, the only one the COERCE (sentence A) can match. Same-sentence
    # pairs are made first for every prediction, so both match.
    gold = [
        doc(
            gold_event("ASSAULT", alt=("COERCE",), evidence=SENTENCE_A),
            gold_event("ASSAULT", evidence="Troops fired on a convoy."),
        )
    ]
    preds = [event("ASSAULT", sentence=SENTENCE_B, start=60), event("COERCE")]
    assert match_events(preds, gold[0].events, type_fits) == [(1, 0), (0, 1)]
    report = score(gold, {"d1": preds})
    assert report.type_scores.matched_gold == 2


def test_matches_in_their_own_sentence_are_counted_apart() -> None:
    # The ASSAULT of sentence B matches the gold ASSAULT of sentence A only in the second pass:
    # the reference F1 credits it, the in-sentence reading does not; the COERCE shares its
    # sentence with its gold event and counts in both.
    gold = [
        doc(
            gold_event("ASSAULT", evidence=SENTENCE_A),
            gold_event("COERCE", evidence="Troops fired on a convoy."),
        )
    ]
    preds = [
        event("ASSAULT", sentence=SENTENCE_B, start=60),
        event("COERCE", sentence="Troops fired on a convoy.", start=90),
    ]
    report = score(gold, {"d1": preds})
    assert report.type_scores.matched_gold == 2
    assert report.type_in_sentence is not None and report.dyad_in_sentence is not None
    assert report.type_in_sentence.matched_gold == 1
    assert (report.type_in_sentence.predicted, report.type_in_sentence.gold) == (2, 2)
    assert report.type_in_sentence.f1 == 0.5
    assert "matched in their own sentence only: type F1" in format_report(report)


def test_evidence_sentence_is_preferred() -> None:
    first = gold_event("ASSAULT", alt=("COERCE",), evidence=SENTENCE_A)
    second = gold_event("ASSAULT", evidence=SENTENCE_B)
    preds = [
        event("ASSAULT", sentence=SENTENCE_B, start=60),
        event("COERCE", sentence=SENTENCE_A),
    ]
    report = score([doc(first, second)], {"d1": preds})
    assert report.type_scores.matched_gold == 2
    # Without evidence, the first prediction takes the first gold event and the COERCE misses.
    bare = score(
        [doc(gold_event("ASSAULT", alt=("COERCE",)), gold_event("ASSAULT"))], {"d1": preds}
    )
    assert bare.type_scores.matched_gold == 1


def test_predictions_are_matched_in_the_coders_order() -> None:
    gold = [doc(gold_event("ASSAULT", alt=("COERCE",)), gold_event("ASSAULT"))]
    coerce_first = score(gold, {"d1": [event("COERCE"), event("ASSAULT", start=1)]})
    assault_first = score(gold, {"d1": [event("ASSAULT", start=1), event("COERCE")]})
    assert coerce_first.type_scores.matched_gold == 2
    assert assault_first.type_scores.matched_gold == 1


def test_type_and_dyad_are_separate_matchings() -> None:
    gold = [doc(gold_event("THREATEN", ("PRK",), ("KOR",)), gold_event("THREATEN", ("USA",)))]
    preds = [event("THREATEN", ("USA",), start=0), event("THREATEN", ("PRK",), ("KOR",), start=1)]
    report = score(gold, {"d1": preds})
    assert report.type_scores.matched_gold == 2
    assert report.dyad_scores.matched_gold == 2  # the dyad matching pairs them differently


def test_per_type_matches_count_for_the_gold_type() -> None:
    gold = [doc(gold_event("AGREE", ("FRA",), ("DEU",), alt=("SUPPORT",)))]
    report = score(gold, {"d1": [event("SUPPORT", ("FRA",), ("DEU",))]})
    rows = {row.type: row.type_scores for row in report.per_type}
    assert (rows[EventType.AGREE].gold, rows[EventType.AGREE].predicted) == (1, 0)
    assert rows[EventType.AGREE].matched_gold == rows[EventType.AGREE].matched_predicted == 1
    assert (rows[EventType.SUPPORT].predicted, rows[EventType.SUPPORT].matched_predicted) == (1, 0)
    assert rows[EventType.SUPPORT].precision == 0.0
    assert report.type_scores.f1 == 1.0
    # The reference scorer's per-type F1: the match is AGREE's, over AGREE's (no) predictions.
    assert report.reference_figures()["per_type_f1"] == {"AGREE": 0.0, "SUPPORT": 0.0}


def test_a_document_with_only_optional_gold_is_not_a_no_event_document() -> None:
    gold = [doc(gold_event("AID", ("IRN",), ("SYR",), background=True)), doc(doc_id="quiet")]
    report = score(gold, {})
    assert (report.no_event.checked, report.no_event.correct) == (1, 1)


def test_no_event_share_and_false_events() -> None:
    gold = [doc(doc_id="quiet"), doc(doc_id="noisy"), doc(gold_event("PROTEST"), doc_id="busy")]
    report = score(gold, {"noisy": [event("PROTEST", doc_id="noisy")]})
    assert report.no_event.checked == 2
    assert report.no_event.correct == 1
    assert report.no_event.share == 0.5
    assert report.type_scores.predicted == 1
    assert report.type_scores.precision == 0.0
    assert report.type_scores.recall == 0.0


def test_predictions_for_unknown_documents_are_ignored() -> None:
    report = score([doc(gold_event("PROTEST"))], {"other": [event("PROTEST", doc_id="other")]})
    assert report.predicted_events == 0
    assert report.unknown_documents == 1
    assert report.type_scores.recall == 0.0


def test_empty_input_gives_zero_not_an_error() -> None:
    report = score([], {})
    assert report.documents == 0
    assert report.type_scores.f1 == 0.0
    assert report.no_event.share is None


# --- dates and places ---------------------------------------------------------------------

DAY = date(2024, 3, 4)


@pytest.mark.parametrize(
    ("when", "start", "end", "expected"),
    [
        (DAY, None, None, True),
        (date(2024, 3, 5), None, None, True),  # a day off is tolerated
        (date(2024, 3, 6), None, None, False),
        (None, date(2024, 3, 1), date(2024, 3, 7), True),  # a week holding the day
        (None, date(2024, 2, 25), date(2024, 3, 7), False),  # too wide
        (None, date(2024, 3, 5), date(2024, 3, 8), False),  # does not hold it
        (None, None, DAY, False),  # open range
        (None, None, None, False),
    ],
)
def test_date_against_a_gold_day(
    when: date | None, start: date | None, end: date | None, expected: bool
) -> None:
    predicted = event("ASSAULT", when=when, date_start=start, date_end=end)
    assert date_is_right(predicted, gold_event("ASSAULT", when=DAY)) is expected


@pytest.mark.parametrize(
    ("when", "start", "end", "expected"),
    [
        (date(2024, 1, 10), None, None, True),
        (date(2023, 12, 31), None, None, False),  # before the gold start
        (date(2030, 1, 1), None, None, True),  # the gold end is open
        (None, date(2024, 1, 2), date(2024, 5, 20), True),
        (None, date(2023, 12, 2), date(2024, 2, 2), False),  # starts before the gold start
        (None, date(2024, 1, 2), None, False),  # an open predicted range is not inside
        (None, None, None, False),
    ],
)
def test_date_against_a_gold_range_with_an_open_end(
    when: date | None, start: date | None, end: date | None, expected: bool
) -> None:
    gold = gold_event("ASSAULT", date_range=(date(2024, 1, 1), None))
    predicted = event("ASSAULT", when=when, date_start=start, date_end=end)
    assert date_is_right(predicted, gold) is expected


def test_a_gold_range_without_a_start_fixes_no_date() -> None:
    gold = gold_event("ASSAULT", date_range=(None, date(2024, 1, 31)))
    assert date_is_right(event("ASSAULT", when=date(2024, 1, 10)), gold) is None


def test_date_against_a_closed_gold_range() -> None:
    gold = gold_event("CONSULT", date_range=(date(2024, 1, 1), date(2024, 1, 31)))
    assert date_is_right(event("CONSULT", when=date(2024, 1, 1)), gold) is True
    assert date_is_right(event("CONSULT", when=date(2023, 12, 31)), gold) is False
    open_start = event("CONSULT", date_end=date(2024, 1, 20))
    assert date_is_right(open_start, gold) is False


def test_gold_without_date_or_place_is_not_checked() -> None:
    assert date_is_right(event("ASSAULT", when=DAY), gold_event("ASSAULT")) is None
    assert date_is_right(event("ASSAULT"), gold_event("ASSAULT", date_range=(None, None))) is None
    assert place_is_right(event("ASSAULT", place="Kabul"), gold_event("ASSAULT")) is None


def test_place_is_the_same_name_folded_or_one_inside_the_other() -> None:
    gold = gold_event("ASSAULT", place="Kabul")
    assert place_is_right(event("ASSAULT", place="KABUL"), gold) is True
    assert place_is_right(event("ASSAULT", place="Kabul province"), gold) is True
    assert place_is_right(event("ASSAULT", place="Kābul"), gold) is True
    assert place_is_right(event("ASSAULT", place="Kandahar"), gold) is False
    assert place_is_right(event("ASSAULT"), gold) is False


def test_date_and_place_shares_count_dyad_matches_only() -> None:
    gold = [
        doc(
            gold_event("ASSAULT", ("REB",), when=DAY, place="Kadara", evidence=SENTENCE_A),
            gold_event("ASSAULT", ("MIL",), when=DAY, place="Zinder", evidence=SENTENCE_B),
            gold_event("PROTEST", ("KEN",), when=DAY),
        )
    ]
    preds = [
        event("ASSAULT", ("REB",), when=DAY, place="kadara"),
        event("ASSAULT", ("MIL",), sentence=SENTENCE_B, start=60, when=date(2024, 3, 9)),
        event("PROTEST", ("UGA",), when=DAY, start=2),  # type match only: not checked
    ]
    report = score(gold, {"d1": preds})
    assert report.date.checked == 2
    assert report.date.correct == 1
    assert report.place.checked == 2
    assert report.place.correct == 1
    assert report.place.share == 0.5
    assert (report.date_on_type.checked, report.date_on_type.correct) == (3, 2)


def test_date_and_place_are_judged_only_where_the_sentence_is_shared() -> None:
    gold = [doc(gold_event("ASSAULT", ("REB",), when=DAY, place="Kadara", evidence=SENTENCE_A))]
    elsewhere = event("ASSAULT", ("REB",), sentence=SENTENCE_B, start=60, when=DAY, place="Kadara")
    report = score(gold, {"d1": [elsewhere]})
    assert report.dyad_scores.matched_gold == 1
    assert (report.date.checked, report.place.checked) == (0, 0)
    assert (report.date_on_type.checked, report.place_on_type.checked) == (0, 0)
    here = event("ASSAULT", ("REB",), when=DAY, place="Kadara")
    shared = score(gold, {"d1": [here]})
    assert (shared.date.correct, shared.date.checked) == (1, 1)
    assert (shared.place_on_type.correct, shared.place_on_type.checked) == (1, 1)
    # A gold event without evidence is judged wherever its match comes from.
    bare = [doc(gold_event("ASSAULT", ("REB",), when=DAY))]
    assert score(bare, {"d1": [elsewhere]}).date.checked == 1


def test_places_given_where_the_gold_names_none_are_counted_apart() -> None:
    gold = [
        doc(
            gold_event("ASSAULT", ("REB",), evidence=SENTENCE_A),
            gold_event("PROTEST", ("KEN",), evidence=SENTENCE_B),
        )
    ]
    preds = [
        event("ASSAULT", ("REB",), place="Kadara"),  # a place the text does not give
        event("PROTEST", ("KEN",), sentence=SENTENCE_B, start=60),  # none, as the gold
    ]
    report = score(gold, {"d1": preds})
    assert report.place_on_type.checked == 0  # the reference judges neither
    assert (report.place_none_on_type.correct, report.place_none_on_type.checked) == (1, 2)
    assert "left without one 1/2" in format_report(report)


# --- evidence overlap, reliability, explanations -----------------------------------------


def test_same_evidence_containment_and_overlap() -> None:
    assert same_evidence("shelled the northern town", SENTENCE_A)
    assert same_evidence(SENTENCE_A + " More words follow here.", SENTENCE_A)
    assert same_evidence("“Quoted” words said", '"quoted"   WORDS said.')
    overlap = "the northern town of Kadara on Sunday. Officials said nine died."
    assert same_evidence(overlap, SENTENCE_A)
    assert not same_evidence(SENTENCE_B, SENTENCE_A)
    assert not same_evidence(None, SENTENCE_A)


def test_reliability_bands_by_confidence() -> None:
    gold = [doc(gold_event("PROTEST"), gold_event("ASSAULT"))]
    preds = [
        event("PROTEST", confidence=0.9),
        event("REJECT", confidence=0.85, start=1),
        event("ASSAULT", confidence=0.6, start=2),
        event("AID", confidence=0.2, start=3),
    ]
    report = score(gold, {"d1": preds})
    top, middle, low = report.reliability
    assert (top.low, top.events, top.type_correct) == (0.8, 2, 1)
    assert top.share_correct == 0.5
    assert top.share_of_all == 0.5
    assert (middle.events, middle.type_correct) == (1, 1)
    assert (low.events, low.type_correct, low.high) == (1, 0, 0.5)
    assert reliability_bands([])[0].share_correct is None


def test_explain_lists_misses_and_false_events_with_sentences() -> None:
    gold = [
        doc(
            gold_event("ACCUSE", ("USA",), ("IRN",), evidence=SENTENCE_A),
            gold_event("PROTEST", ("KEN",), evidence=SENTENCE_B),
        )
    ]
    preds = [event("ACCUSE", ("IRN",), ("USA",)), event("AID", ("FRA",), start=1)]
    report = score(gold, {"d1": preds}, explain=True)
    kinds = sorted((e.kind, e.type.value) for e in report.explanations)
    assert kinds == [
        ("dyad_false", "ACCUSE"),
        ("dyad_missed", "ACCUSE"),
        ("false", "AID"),
        ("missed", "PROTEST"),
    ]
    missed = next(e for e in report.explanations if e.kind == "missed")
    assert missed.sentence == SENTENCE_B
    assert score(gold, {"d1": preds}).explanations == []
    text = format_report(report)
    assert "misses and false events" in text
    assert SENTENCE_B in text


def test_the_report_carries_document_counts_and_intervals_over_them() -> None:
    gold = [
        doc(gold_event("PROTEST", ("KEN",)), doc_id="hit"),
        doc(gold_event("ACCUSE", ("USA",), ("IRN",)), doc_id="miss"),
        doc(gold_event("AID", ("FRA",), ("MLI",)), doc_id="half"),
    ]
    preds = {
        "hit": [event("PROTEST", ("KEN",), doc_id="hit")],
        "half": [event("AID", ("DEU",), ("MLI",), doc_id="half")],
    }
    report = score(gold, preds)
    counts = {
        c.document: (c.gold, c.predicted, c.type_matched, c.dyad_matched)
        for c in report.document_counts
    }
    assert counts == {"hit": (1, 1, 1, 1), "miss": (1, 0, 0, 0), "half": (1, 1, 1, 0)}
    spans = report.intervals
    assert spans["type"].low <= report.type_scores.f1 <= spans["type"].high
    assert spans["dyad"].low < spans["dyad"].high
    assert "95% interval over documents (bootstrap): type F1" in format_report(report)
    assert score(gold, preds, bootstrap=0).intervals == {}


def test_format_report_is_one_table_and_json_round_trips() -> None:
    gold = [doc(gold_event("PROTEST", ("KEN",)))]
    report = score(gold, {"d1": [event("PROTEST", ("KEN",))]}, source="g.jsonl")
    text = format_report(report)
    assert "all (type)" in text
    assert "PROTEST" in text
    assert "100.0%" in text
    again = EvaluationReport.model_validate_json(report.model_dump_json())
    assert again.type_scores.f1 == 1.0
    assert json.loads(report.model_dump_json())["dyad_scores"]["f1"] == 1.0


# --- gold readers ------------------------------------------------------------------------


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_read_jsonl_gold(tmp_path: Path) -> None:
    record = {
        "id": "x1",
        "date": "2024-03-04",
        "text": "Kenya recalled its envoy from Uganda on Monday.",
        "events": [
            {
                "type": "RETREAT",
                "alt_types": ["REJECT"],
                "actor": [{"text": "Kenya", "country": "KEN", "sector": "GOV"}],
                "recipient": [{"text": "Uganda", "country": "UGA", "sector": "GOV"}],
                "evidence": "Kenya recalled its envoy",
                "date": "2024-03-04",
                "location": None,
            }
        ],
    }
    path = _write_jsonl(tmp_path / "g.jsonl", [record, {"id": "x2", "text": "Rain fell."}])
    docs = read_jsonl_gold(path)
    assert [d.id for d in docs] == ["x1", "x2"]
    assert docs[0].date == date(2024, 3, 4)
    gold = docs[0].events[0]
    assert gold.alt_types == [EventType.REJECT]
    assert gold.actor[0].code == "KEN"
    assert docs[1].events == []
    assert read_gold(path) == docs


def test_read_jsonl_gold_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "a", "text": "t"}\n{"id": "b", "text": "t", "events": [{}]}\n')
    with pytest.raises(InputError, match=r"g\.jsonl:2"):
        read_jsonl_gold(path)


def test_read_jsonl_gold_refuses_repeated_ids(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "g.jsonl", [{"id": "a", "text": "t"}] * 2)
    with pytest.raises(InputError, match="repeat"):
        read_jsonl_gold(path)


def _gsr_records() -> list[dict]:
    return [
        {"id": "GSR-DOC", "event": "DOCUMENT", "eventText": "notes"},
        {
            "id": "GSR-1",
            "date": "2000-01-01",
            "event": "DEMAND",
            "text": "The relief coordinator demanded access to Tokyo.",
            "source": [{"actorText": "relief coordinator", "code": "IGO", "sector": "REF"}],
            "target": [{"actorText": "Tokyo", "code": "JAP", "sector": "***"}],
            "context": "humanitarian, diplomatic",
            "eventLoc": {"name": "Geneva"},
        },
        {
            "id": "GSR-4",
            "date": "2000-01-01",
            "event": "INVESTIGATE",
            "text": "Rome investigated the network.",
            "source": [{"actorText": "Rome", "code": "ITL", "sector": "GOVxyz"}],
            "target": [{"actorText": "network", "code": "IMG"}],
        },
        {"id": "GSR-2", "date": "2000-01-01", "event": "PROTEST", "text": "Crowds marched."},
        {
            "id": "GSR-2",
            "date": "2000-01-01",
            "event": "FIGHT",
            "text": "Troops fought.",
            "source": None,
            "target": "",
        },
        {"id": "GSR-3", "date": "2000-01-01", "event": "NONE", "text": "Nothing happened."},
    ]


def test_read_gsr_gold_maps_old_names_and_codes(tmp_path: Path) -> None:
    path = tmp_path / "gsr.json"
    path.write_text(json.dumps(_gsr_records()), encoding="utf-8")
    docs = read_gsr_gold(path)
    # A repeated id: the later record replaces the earlier one, as in the reference scorer.
    assert [d.id for d in docs] == ["GSR-1", "GSR-4", "GSR-2", "GSR-3"]
    demand = docs[0].events[0]
    assert demand.type is EventType.REQUEST
    assert demand.actor == [GoldEntity(text="relief coordinator", sector="IGO")]
    assert demand.recipient[0].country == "JPN"
    assert entity_code(demand.recipient[0]) == "JPN"
    assert demand.context == ["humanitarian", "diplomatic"]
    # As the reference scorer reads the file: no evidence and no place from a GSR record.
    assert (demand.location, demand.evidence) == (None, None)
    investigate = docs[1].events[0]
    assert investigate.type is EventType.ACCUSE
    assert investigate.mode == "investigate"
    assert investigate.actor[0].country == "ITA"
    assert investigate.actor[0].sector == "GOV"
    assert investigate.recipient[0].code == "REB"
    fight = docs[2].events[0]
    assert fight.type is EventType.ASSAULT
    assert (fight.actor, fight.recipient) == ([], [])
    assert docs[3].events == []
    assert read_gold(path) == docs


def test_read_seed_gold_cuts_the_body(tmp_path: Path) -> None:
    (tmp_path / "x-1.txt").write_text(
        "Code 1\nMenu\n\nAVA- Ghana and Togo signed a border accord. They met in Accra.\n\n"
        "Your comment\n",
        encoding="utf-8",
    )
    seed = {
        "document": {
            "id": "1",
            "source": "AVA",
            "published": "2019-01-28T20:43:00",
            "title": "Accord signed",
            "body_first_words": "Ghana and Togo",
            "body_last_words": "in Accra.",
        },
        "events": [
            {
                "id": "E1",
                "type": "AGREE",
                "alt_types": [],
                "mode": "",
                "actor": [{"text": "Ghana", "country": "GHA", "sector": "GOV"}],
                "recipient": [{"text": "Togo", "country": "TGO", "sector": "GOV"}],
                "date": None,
                "date_range": [None, "2019-01-28"],
                "location": "Accra",
                "context": ["diplomatic"],
                "background": True,
                "evidence": "Ghana and Togo signed a border accord.",
            }
        ],
    }
    path = tmp_path / "x-1.gold.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    (gold,) = read_seed_gold(path)
    assert gold.text == "Ghana and Togo signed a border accord. They met in Accra."
    assert gold.source == "AVA"
    assert gold.title == "Accord signed"
    event_ = gold.events[0]
    assert event_.background
    assert event_.mode is None
    assert event_.date_range == (None, date(2019, 1, 28))
    assert read_gold(path) == [gold]
    (tmp_path / "x-1.txt").unlink()
    with pytest.raises(InputError, match="missing"):
        read_seed_gold(path)


def test_read_gold_refuses_other_json(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(InputError, match="not a gold file"):
        read_gold(path)


# --- predictions files, sentences, the command --------------------------------------------


def _gsr_gold(tmp_path: Path) -> Path:
    """A GSR-format gold (no sentence split needed, so no model)."""
    records = [
        {
            "id": "a",
            "date": "2024-03-04",
            "event": "FIGHT",
            "text": SENTENCE_A,
            "source": [{"actorText": "Rebels", "code": "", "sector": "REB"}],
            "target": [],
        },
        {
            "id": "b",
            "date": "2024-03-04",
            "event": "DEMAND",
            "text": "Japan demanded talks with Italy.",
            "source": [{"actorText": "Japan", "code": "JAP", "sector": "GOV"}],
            "target": [{"actorText": "Italy", "code": "ITL", "sector": "GOV"}],
        },
    ]
    path = tmp_path / "gsr.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def _predictions(tmp_path: Path) -> Path:
    events = [
        event("ASSAULT", ("REB",), doc_id="a"),
        event("REQUEST", ("JPN",), ("ITA",), doc_id="b", sentence="Japan demanded talks."),
        event("REQUEST", ("JPN",), ("FRA",), doc_id="b", sentence="Japan demanded more."),
    ]
    path = tmp_path / "pred.jsonl"
    path.write_text("".join(e.model_dump_json() + "\n" for e in events), encoding="utf-8")
    return path


def test_evaluate_compares_two_coders_paired_over_the_gold(tmp_path: Path) -> None:
    gold = _gsr_gold(tmp_path)
    worse = tmp_path / "worse.jsonl"
    worse.write_text(event("ACCUSE", ("REB",), doc_id="a").model_dump_json() + "\n", "utf-8")
    args = ["evaluate", str(gold), "--predictions", str(_predictions(tmp_path))]
    result = CliRunner().invoke(main, [*args, "--against", str(worse), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["against"]["reference"]["type"]["f1"] == 0.0
    gap = data["against"]["difference"]["type"]
    # the first coder finds both gold events, the other none: better on every resampling
    assert 0.6 < gap["low"] <= 0.8 <= gap["high"] <= 1.0
    table = CliRunner().invoke(main, [*args, "--against", str(worse)])
    assert table.exit_code == 0, table.output
    assert f"against {worse}: type F1 0.000" in table.output
    assert "type F1 difference (this minus that) +0.800" in table.output
    same = CliRunner().invoke(main, [*args, "--against", str(_predictions(tmp_path))])
    assert "+0.000 to +0.000 over the same documents: within the spread" in same.output


def test_read_predictions_keeps_the_coders_order(tmp_path: Path) -> None:
    predictions = read_predictions(_predictions(tmp_path))
    assert list(predictions) == ["a", "b"]
    assert [e.recipient[0].country for e in predictions["b"]] == ["ITA", "FRA"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "a"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:1"):
        read_predictions(bad)


def test_evaluate_scores_a_predictions_file_without_coding(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "evaluate",
            str(_gsr_gold(tmp_path)),
            "--predictions",
            str(_predictions(tmp_path)),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["reference"]["type"] == {"p": 0.667, "r": 1.0, "f1": 0.8}
    assert data["reference"]["dyad"] == {"p": 0.667, "r": 1.0, "f1": 0.8}
    assert data["reference"]["docs"] == 2
    assert data["no_event_sentences"] is None  # a GSR file gives no article text


def test_reference_figures_round_as_the_reference_scorer() -> None:
    # F1 comes from the unrounded precision and recall: 44/73 and 44/53 give 0.698, not the
    # 0.699 the rounded 0.603 and 0.83 would give.
    assert reference_prf(44, 73, 53) == {"p": 0.603, "r": 0.83, "f1": 0.698}
    assert reference_prf(0, 0, 0) == {"p": 0.0, "r": 0.0, "f1": 0.0}
    report = score([doc(gold_event("PROTEST", ("KEN",)))], {"d1": [event("PROTEST", ("KEN",))]})
    figures = report.reference_figures()
    assert figures["type"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert figures["no_event_docs_kept_empty"] == "0/0"
    assert figures["date_right_on_type_matches"] == "0/0"


TEXT = f"{SENTENCE_A} Officials met in the capital. {SENTENCE_B} It rained."


def _spans(text: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for sentence in (SENTENCE_A, "Officials met in the capital.", SENTENCE_B, "It rained."):
        at = text.index(sentence, at)
        spans.append((at, at + len(sentence)))
    return spans


def test_no_event_sentences_left_empty() -> None:
    gold = GoldDocument(
        id="d1",
        text=TEXT,
        events=[
            gold_event("ASSAULT", ("REB",), evidence=SENTENCE_A),
            GoldEvent(type=EventType.ASSAULT, evidence=SENTENCE_B, repeat=True),
        ],
    )
    spans = _spans(TEXT)
    meeting = event("CONSULT", sentence="Officials met in the capital.", start=spans[1][0])
    on_gold = event("ASSAULT", ("REB",), start=0)
    share = no_event_sentences([gold], {"d1": [on_gold, meeting]}, {"d1": spans})
    # Sentences 1 and 3 hold gold evidence (required, optional): 2 and 4 are checked.
    assert (share.checked, share.correct) == (2, 1)
    report = score([gold], {"d1": [on_gold]}, sentences={"d1": spans})
    assert report.no_event_sentences == Share(checked=2, correct=2)
    assert score([gold], {"d1": [on_gold]}).no_event_sentences is None


def test_gold_evidence_offsets_place_it_in_its_sentence() -> None:
    # The same words twice: the offsets say which sentence holds the gold event.
    text = "Talks went on. Talks went on."
    gold = GoldDocument(
        id="d1",
        text=text,
        events=[
            GoldEvent(
                type=EventType.CONSULT,
                evidence="Talks went on.",
                evidence_start=15,
                evidence_end=29,
            )
        ],
    )
    share = no_event_sentences([gold], {}, {"d1": [(0, 14), (15, 29)]})
    assert (share.checked, share.correct) == (1, 1)
    coded = event("CONSULT", sentence="Talks went on.", start=0)
    assert no_event_sentences([gold], {"d1": [coded]}, {"d1": [(0, 14), (15, 29)]}).correct == 0


@pytest.mark.slow
def test_gold_sentences_are_the_pipelines_split() -> None:
    gold = GoldDocument(id="d1", text=TEXT)
    spans = gold_sentences([gold], Settings())["d1"]
    assert [TEXT[a:b] for a, b in spans] == [
        SENTENCE_A,
        "Officials met in the capital.",
        SENTENCE_B,
        "It rained.",
    ]


@pytest.mark.slow
def test_evaluate_file_codes_gold_texts_through_the_pipeline(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "g.jsonl",
        [
            {
                "id": "a",
                "date": "2024-03-04",
                "text": "Iran and Russia signed a trade agreement in Moscow on Monday.",
                "events": [
                    {
                        "type": "AGREE",
                        "alt_types": ["SUPPORT"],  # the manual codes signing as SUPPORT
                        "actor": [
                            {"text": "Iran", "country": "IRN"},
                            {"text": "Russia", "country": "RUS"},
                        ],
                        "evidence": "Iran and Russia signed a trade agreement",
                    }
                ],
            },
            {"id": "b", "date": "2024-03-04", "text": "Rain fell in the capital."},
        ],
    )
    report = evaluate_file(path, settings=Settings(), explain=True)
    assert report.documents == 2 and report.failed_documents == 0
    assert report.type_scores.f1 == 1.0, format_report(report)
    assert report.dyad_scores.f1 == 1.0, format_report(report)
    assert report.no_event.share == 1.0
    assert report.no_event_sentences == Share(checked=1, correct=1)
    assert report.wall_seconds is not None
    assert report.source == str(path)


@pytest.mark.slow
def test_a_report_says_what_coded_the_gold_texts(tmp_path: Path) -> None:
    """Figures coded here name the coder (pipeline, event model, groups, knowledge, policy
    overrides), so they can be reproduced; scored predictions name none."""
    gold = _gsr_gold(tmp_path)
    settings = Settings(event_policy={"add_without_actor": 0.8}, knowledge_dir=tmp_path)
    report = evaluate_file(gold, settings=settings)
    assert report.coded_with is not None
    assert report.coded_with.model_dump() == {
        "model": settings.model,
        "event_model": "builtin",
        "group_countries": "guideline",
        "knowledge_dir": str(tmp_path),
        "event_policy": {"add_without_actor": 0.8},
    }
    text = format_report(report)
    assert "event model builtin" in text and "policy overridden: add_without_actor=0.8" in text
    rules = evaluate_file(gold, settings=Settings(event_model="off"))
    assert rules.coded_with is not None and rules.coded_with.event_model == "off"
    assert "policy as the model folder sets it" in format_report(rules)
    scored = evaluate_file(gold, settings=Settings(), predictions=_predictions(tmp_path))
    assert scored.coded_with is None and "coded with" not in format_report(scored)


# --- the team's gold file ----------------------------------------------------------------

ISO3_PATTERN = r"^[A-Z]{3}$"
KNOWN_SECTORS = {
    "GOV", "MIL", "COP", "REB", "IGO", "NGO", "OPP", "CVL", "BUS", "JUD", "LEG", "MED",
    "EDU", "LAB", "REF", "ELI", "PTY", "CRM", "SPY", "JRN", "HLH", "AGR", "REL", "UAF",
}  # fmt: skip


@pytest.fixture(scope="module")
def team_gold() -> list[GoldDocument]:
    return read_jsonl_gold(GOLD_DIR / "eventwire_gold.jsonl")


def test_team_gold_covers_every_type(team_gold: list[GoldDocument]) -> None:
    types_ = {e.type for d in team_gold for e in d.events}
    assert types_ == set(EventType)
    assert len(team_gold) >= 100


def test_team_gold_has_about_a_quarter_no_event_documents(
    team_gold: list[GoldDocument],
) -> None:
    empty = sum(1 for d in team_gold if not d.events)
    assert 0.18 <= empty / len(team_gold) <= 0.32


def test_team_gold_records_are_well_formed(team_gold: list[GoldDocument]) -> None:
    import re

    for d in team_gold:
        assert d.date is not None, d.id
        for e in d.events:
            assert e.type not in e.alt_types, d.id
            if e.evidence:
                assert e.evidence in d.text, f"{d.id}: evidence not in text"
            for side in (e.actor, e.recipient):
                for ent in side:
                    assert ent.code, f"{d.id}: {ent.text} has no code"
                    if ent.country:
                        assert re.match(ISO3_PATTERN, ent.country), d.id
                    if ent.sector:
                        assert ent.sector in KNOWN_SECTORS, f"{d.id}: {ent.sector}"
                    if ent.text:
                        assert ent.text.casefold() in d.text.casefold(), f"{d.id}: {ent.text}"
    multi = [d for d in team_gold if any(e.background for e in d.events)]
    assert len(multi) >= 2


def test_floors_file_is_valid() -> None:
    floors = json.loads((GOLD_DIR / "floors.json").read_text(encoding="utf-8"))
    assert set(floors) >= {"heldout_test_split", "team_gold_rules", "gsr", "note"}
    for gate in ("heldout_test_split", "team_gold_rules", "gsr"):
        assert 0.0 < floors[gate]["type_f1"] <= 1.0 and 0.0 < floors[gate]["dyad_f1"] <= 1.0
    assert len(floors["gsr"]["sha256"]) == 64


def test_dev_figures_are_split_by_collection_so_a_shift_in_one_shows() -> None:
    """tune reports VOA and Guardian apart: the same events right in one collection and of the
    wrong type in the other give 1.0 and 0.0, not a blended 0.5."""
    from eventwire.training.tune import by_collection

    gold = [
        doc(gold_event("ASSAULT", ("TUR",), ("SYR",)), doc_id="voa-1"),
        doc(gold_event("ASSAULT", ("TUR",), ("SYR",)), doc_id="guardian-2"),
    ]
    predicted = {
        "voa-1": [event("ASSAULT", ("TUR",), ("SYR",), doc_id="voa-1")],
        "guardian-2": [event("PROTEST", ("TUR",), ("SYR",), doc_id="guardian-2")],
    }
    collection_of = {"voa-1": "voa", "guardian-2": "guardian"}
    figures = by_collection(gold, predicted, {}, collection_of)
    assert figures == {"guardian": (0.0, 0.0), "voa": (1.0, 1.0)}


def test_sides_fit_is_the_dyad_rule_without_the_type() -> None:
    gold = gold_event("ASSAULT", ("TUR",), ("SYR",))
    assert sides_fit(event("THREATEN", ("TUR",), ("SYR",)), gold)
    assert not dyad_fits(event("THREATEN", ("TUR",), ("SYR",)), gold)
    assert not sides_fit(event("ASSAULT", ("SYR",), ("TUR",)), gold)  # direction counts
    equals = gold_event("CONSULT", ("IRN", "RUS"))
    assert sides_fit(event("SUPPORT", ("RUS",), ("IRN",)), equals)  # pooled between equals


def test_sentence_readings_judge_the_most_confident_event_and_the_parties_found() -> None:
    gold = GoldDocument(
        id="d1",
        text=TEXT,
        events=[
            gold_event("ASSAULT", ("REB",), evidence=SENTENCE_A),
            gold_event("ASSAULT", ("MIL",), ("REB",), evidence=SENTENCE_B),
            GoldEvent(type=EventType.CONSULT, evidence="It rained.", repeat=True),  # optional
        ],
    )
    spans = _spans(TEXT)
    b = spans[2][0]
    predicted = [
        # sentence A: the surer event has the wrong type; the parties are found all the same
        event("ASSAULT", ("REB",), start=0, confidence=0.6),
        event("THREATEN", ("REB",), start=0, confidence=0.9),
        # sentence B: right type, parties reversed
        event("ASSAULT", ("REB",), ("MIL",), sentence=SENTENCE_B, start=b, confidence=0.8),
    ]
    readings = sentence_readings([gold], {"d1": predicted})
    assert readings.top_type == Share(checked=2, correct=1)
    assert readings.pair_found == Share(checked=2, correct=1)
    predicted[1] = event("THREATEN", ("REB",), start=0, confidence=0.3)
    assert sentence_readings([gold], {"d1": predicted}).top_type == Share(checked=2, correct=2)
    assert sentence_readings([gold], {}).top_type == Share(checked=2, correct=0)
    assert score([gold], {"d1": predicted}).sentence_readings == sentence_readings(
        [gold], {"d1": predicted}
    )


def test_a_sentence_record_without_evidence_is_read_from_its_text() -> None:
    gold = GoldDocument(id="g1", text=SENTENCE_A, events=[gold_event("ASSAULT", ("REB",))])
    readings = sentence_readings([gold], {"g1": [event("ASSAULT", ("REB",), doc_id="g1")]})
    assert (readings.top_type.correct, readings.pair_found.correct) == (1, 1)
    report = format_report(score([gold], {"g1": [event("ASSAULT", ("REB",), doc_id="g1")]}))
    assert "most confident event of a gold type 1/1" in report
