"""Tests of the events stage: trigger knowledge, argument structure, scores and records.

Actor mentions are built by hand (``support.auto_mentions``, a small gazetteer) so these tests
do not depend on the actors stage. Tests that parse text use the session's spaCy model; every
trigger example is also coded on frozen parses, without the model (test_rules_frozen.py).
"""

from __future__ import annotations

import pytest

from eventwire import events
from eventwire.events import assembly
from eventwire.events.matching import _match
from eventwire.events.syntax import _forms
from eventwire.models import (
    Document,
    Entity,
    EventCandidate,
    EventType,
)
from eventwire.settings import Settings
from support import auto_mentions, builtin_knowledge, mention_for


@pytest.fixture(scope="module")
def code(nlp):
    from eventwire.nlp import parse

    def run(text: str, mentions=None) -> list[EventCandidate]:
        parsed = parse(Document(id="t", source="TEST", body=text), nlp)
        found = auto_mentions(parsed) if mentions is None else mentions(parsed)
        return events.extract_events(parsed, found, knowledge=builtin_knowledge())

    return run


def _codes(entities) -> list[str | None]:
    return sorted(e.code or e.text for e in entities)


# --------------------------------------------------------------------------- knowledge


def test_every_trigger_entry_has_examples():
    rules = events.trigger_rules(builtin_knowledge())
    assert len(rules) >= 60
    assert all(r.examples for r in rules), [r.id for r in rules if not r.examples]
    assert {r.type for r in rules} == set(EventType)


# --------------------------------------------------------------------------- argument structure


@pytest.mark.slow
def test_subject_is_actor_and_object_is_recipient(code):
    (event,) = code("Israel attacked Syria.")
    assert event.type is EventType.ASSAULT
    assert _codes(event.actor) == ["ISR"] and _codes(event.recipient) == ["SYR"]
    assert event.tense == "past"


@pytest.mark.slow
def test_passive_agent_is_actor(code):
    (event,) = code("Syria was attacked by Israel.")
    assert _codes(event.actor) == ["ISR"] and _codes(event.recipient) == ["SYR"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind", "actor"),
    [
        ("Iran is expected to hold talks with Egypt on Monday.", EventType.CONSULT, "IRN"),
        ("Iran was forced to release the Nigerian tanker.", EventType.RETREAT, "IRN"),
        ("Nigeria is said to have attacked Cameroon.", EventType.ASSAULT, "NGA"),
    ],
)
def test_a_passive_verbs_subject_does_its_complement(code, text, kind, actor):
    (event,) = [e for e in code(text) if e.type is kind]
    assert actor in _codes(event.actor)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Iraq sent water to Syria and asked if anybody was wounded.", False),
        ("When Iran asked what Iraq was planning, Iraq said nothing.", False),
        ("Asked about the talks with Iran, Russia said it would attend.", False),
        ("“Why are we still in Syria?” Iraq asked.", False),
        ("Syria asked Russia for help.", True),
        ("Egypt asked that Israel stop the operation.", True),
    ],
)
def test_a_question_is_no_request(code, text, asks):
    requests = [e for e in code(text) if e.type is EventType.REQUEST]
    assert bool(requests) is asks


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expels"),
    [
        ("The Egyptian army ousted President Mohamed Morsi in 2013.", False),
        ("Turkey helped Syrian rebels oust Islamic State from the town.", False),
        ("Russia expelled British diplomats from Moscow.", True),
    ],
)
def test_ousting_a_ruler_or_a_force_is_no_expulsion(code, text, expels):
    expulsions = [e for e in code(text) if e.mode == "expel"]
    assert bool(expulsions) is expels


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "sides"),
    [
        ("Egypt said in a meeting with Sudan that the border would reopen.", ["EGY", "SDN"]),
        ("Egypt confirmed a phone call with Sudan on Sunday.", ["EGY", "SDN"]),
        ("The talks between Russia and Turkey ended without agreement.", ["RUS", "TUR"]),
        ("Turkey answered calls for restraint with more attacks.", None),
        ("The meeting of the council was postponed.", None),
    ],
)
def test_a_meeting_named_by_its_noun_is_one(code, text, sides):
    """The noun's own phrase names the sides; a common noun before it ("phone") does not."""
    consults = [e for e in code(text) if e.type is EventType.CONSULT]
    if sides is None:
        assert consults == []
    else:
        (event,) = consults
        assert _codes(event.actor) == sides


@pytest.mark.slow
def test_coordinated_subjects_are_all_actors(code):
    (event,) = code("Iran and Russia have helped Syria.")
    assert event.type is EventType.AID
    assert _codes(event.actor) == ["IRN", "RUS"] and _codes(event.recipient) == ["SYR"]
    assert event.tense == "perfect"


@pytest.mark.slow
def test_symmetric_meeting_puts_every_party_in_actor(code):
    (event,) = code("The Iranian minister met with Russia.")
    assert event.type is EventType.CONSULT
    assert _codes(event.actor) == ["IRN", "RUS"] and event.recipient == []


@pytest.mark.slow
def test_met_and_held_talks_is_one_event(code):
    found = code("Iran met and held talks with Russia, and exchanged views on the crisis.")
    assert [c.type for c in found] == [EventType.CONSULT]
    assert _codes(found[0].actor) == ["IRN", "RUS"]


@pytest.mark.slow
def test_topic_country_is_not_a_party(code):
    (event,) = code("Iran met with Russia and discussed the latest developments in Yemen.")
    assert "YEM" not in _codes(event.actor) + _codes(event.recipient)


@pytest.mark.slow
def test_with_phrase_names_the_recipient(code):
    (event,) = code("Iran lodged a protest with Japan.")
    assert event.type is EventType.ACCUSE
    assert _codes(event.actor) == ["IRN"] and _codes(event.recipient) == ["JPN"]


@pytest.mark.slow
def test_visit_visitor_is_actor_host_recipient(code):
    (event,) = code("The Turkish president visited Iran.")
    assert event.mode == "visit"
    assert _codes(event.actor) == ["TUR"] and _codes(event.recipient) == ["IRN"]
    (hosted,) = code("Iran hosted the Turkish president.")
    assert _codes(hosted.actor) == ["TUR"] and _codes(hosted.recipient) == ["IRN"]
    # a visit is received only where a party is: not "received answers", "received funds"
    for text in ("Iran said it had received answers from Turkey.", "Iran received $5 billion."):
        assert not [e for e in code(text) if e.rule == "host"], text


@pytest.mark.slow
def test_meeting_in_one_partys_capital_is_a_visit(code):
    (event,) = code("The Iranian minister held meetings with Russian officials in Moscow.")
    assert event.mode == "visit"


@pytest.mark.slow
def test_reported_stance_is_the_speakers(code):
    def mentions(parsed):
        speaker = Entity(text="He", name="Ali Rezaei", country="IRN", sector="GOV", kind="person")
        found = [m for m in auto_mentions(parsed) if m.entity.text != "He"]
        return [mention_for(parsed, "He", speaker), *found]

    (event,) = code("He said that Iran and Russia will continue their cooperation.", mentions)
    assert event.type is EventType.AGREE
    assert event.actor[0].name == "Ali Rezaei"
    assert _codes(event.recipient) == ["RUS"]
    # the pledge happens when it is voiced: dated by "said", not by the future it promises
    assert event.tense == "past"


@pytest.mark.slow
def test_direct_pledge_is_voiced_now(code):
    (event,) = code("Iran will continue its cooperation with Russia.")
    assert event.type is EventType.AGREE
    assert event.tense == "present"


@pytest.mark.slow
def test_reported_material_event_keeps_its_doer(code):
    (event,) = code("Egypt said Israel attacked Syria.")
    assert event.type is EventType.ASSAULT
    assert _codes(event.actor) == ["ISR"] and _codes(event.recipient) == ["SYR"]
    # reported speech is never more reliable than the plain statement (the calibrated table
    # currently finds them about equal on the team gold)
    assert event.confidence <= code("Israel attacked Syria.")[0].confidence


@pytest.mark.slow
def test_quoted_partnership_is_support_to_the_partner(code):
    text = '"We (Iran and Russia) are partners with close cooperation on Syria," Tehran said.'
    (event,) = code(text)
    assert event.type is EventType.SUPPORT
    assert _codes(event.actor) == ["IRN"] and _codes(event.recipient) == ["RUS"]


def test_help_is_aid_only_to_someone(code_with_actors):
    """AID is help given to a party: helping a thing happen is no aid."""
    assert EventType.AID not in {
        c.type for c in code_with_actors("Germany helped fuel the growth of the economy.")
    }
    assert EventType.AID in {c.type for c in code_with_actors("Germany helped Ukraine.")}


@pytest.mark.parametrize(
    ("sentence", "control"),
    [
        (
            "The European court backed the UK in one such case in May.",
            "Instead, Trump caved in, informed Erdogan of the withdrawal.",
        ),
        ("The Kenyan president will give a briefing in Nairobi.", "Kenya finally gave in."),
        ("Syrian Kurdish groups gave thousands of lives to the fight.", "Kenya bowed to pressure."),
    ],
)
def test_a_phrasal_particle_stands_alone(code_with_actors, sentence, control):
    """ "Gave in" and "caved in" yield; "in" or "to" heading a phrase of its own ("backed the
    UK in one case", "gave a briefing in Nairobi") is no such particle, and a word the parse
    hangs on "in" across a comma ("caved in, informed Erdogan") is not its object."""
    assert EventType.CONCEDE not in {c.type for c in code_with_actors(sentence)}
    assert EventType.CONCEDE in {c.type for c in code_with_actors(control)}


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        '"Russia and its allies are aggressors," Washington said.',
        '"Germany and its allies must stop Russia," Washington said.',
        '"Britain, France and other European allies should act now," Washington said.',
    ],
)
def test_a_partnership_word_in_a_quote_declares_nothing_unless_predicated(code, text):
    """Only a quote saying the parties are partners is support; one that mentions allies or
    cooperation in passing is not (real news: 0 of 13 such events were right)."""
    assert [c for c in code(text) if c.type is EventType.SUPPORT] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "control"),
    [
        ("Iran did not meet Russia.", "Iran met Russia."),
        ("Israel never attacked Syria.", "Israel attacked Syria."),
        ("If Israel attacks Syria, Iran will respond.", "Israel attacks Syria."),
        ("Israel could attack Syria.", "Israel attacked Syria."),
        ("Israel may attack Syria.", "Israel attacked Syria."),
        ("Iran would meet Russia.", "Iran met Russia."),
        # wishes of the doer's own and habits are not events either (the guideline)
        ("Iran wants to meet Russia next week.", "Iran met Russia."),
        ("Iran hopes to meet Russia soon.", "Iran met Russia."),
        ("Israel often attacks Syria.", "Israel attacked Syria."),
        ("Israel has repeatedly attacked Syria.", "Israel attacked Syria."),
        ("Israel has attacked Syria over the years.", "Israel attacked Syria."),
    ],
)
def test_negated_and_hypothetical_events_are_dropped(code, sentence, control):
    kinds = (EventType.ASSAULT, EventType.CONSULT)
    # the control shows the trigger and the parties are read: only the clause drops the event
    assert [c for c in code(control) if c.type in kinds], control
    assert [c for c in code(sentence) if c.type in kinds] == []


@pytest.mark.slow
def test_refused_to_is_reject_not_negation(code):
    (event,) = code("Syria refused to meet Turkey.")
    assert event.type is EventType.REJECT and event.mode == "meet"
    assert _codes(event.actor) == ["SYR"] and _codes(event.recipient) == ["TUR"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "rejects"),
    [
        ("Iran declined to comment on the talks.", False),
        ("Turkey refused to confirm the deal with Syria.", False),
        ("Egypt declined to give details of the plan.", False),
        ("Iran declined to attend the talks.", True),
        ("Egypt declined to back the plan.", True),
        # responding to a demand is an act, not a comment
        ("Hamas refused to respond to a demand from Israel.", True),
    ],
)
def test_a_statement_withheld_is_no_rejection(code, sentence, rejects):
    """CAMEO's "decline comment" (011) is a statement: withholding one rejects nothing."""
    assert [c.type for c in code(sentence)] == ([EventType.REJECT] if rejects else [])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("She gave birth to a boy in the camp.", EventType.CONCEDE),
        ("Ancient Greeks called the others they encountered “barbarians”.", EventType.CONSULT),
        ("Iraq asked itself whether the deal with Iran was worth it.", EventType.REQUEST),
    ],
)
def test_idioms_and_naming_are_no_events(code_with_actors, sentence, kind):
    """ "Gave birth to" gives in to nobody, a call that names people reaches nobody, and
    whoever asks itself asks nobody."""
    assert [c for c in code_with_actors(sentence) if c.type is kind] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "consults"),
    [
        # an arrival is a visit only of an official party
        ("A Chinese delegation arrived in Pakistan on Monday.", True),
        ("The Iranian minister flew to Turkey.", True),
        ("Thousands of Somali refugees' relatives arrived in Kenya last year.", False),
        ("Four Saudi extremists arrived in Turkey in September.", False),
        # talks have two sides
        ("Iran talked with France about the deal.", True),
        ("Iran and Russia discussed the border.", True),
        ("The Iranian minister had been talking about leaving.", False),
        ("Turkey discussed the plan on Monday.", False),
    ],
)
def test_a_consultation_needs_an_official_visitor_or_two_sides(
    code_with_actors, sentence, consults
):
    found = [c for c in code_with_actors(sentence) if c.type is EventType.CONSULT]
    assert bool(found) is consults


@pytest.mark.slow
def test_agreement_absorbs_its_complement(code):
    (event,) = code("Iran agreed to expand cooperation with Iraq.")
    assert event.type is EventType.AGREE
    assert _codes(event.actor) == ["IRN"] and _codes(event.recipient) == ["IRQ"]


@pytest.mark.slow
def test_future_cooperation_is_agree(code):
    (event,) = code("China will provide aid to Pakistan.")
    assert event.type is EventType.AGREE and event.cameo == "033"


@pytest.mark.slow
def test_two_events_in_one_sentence(code):
    found = code(
        "Tehran has sent military advisors to Syria and has voiced readiness to help Iraq."
    )
    assert [c.type for c in found] == [EventType.AID, EventType.AGREE]
    assert _codes(found[0].recipient) == ["SYR"] and _codes(found[1].recipient) == ["IRQ"]
    assert "military" in found[0].context


@pytest.mark.slow
def test_background_event_is_not_coded(code):
    found = code("During his visit to meet with Russia, Iran signed an agreement with Russia.")
    # the meeting is background; the signing is mutual, so it is coded both ways (#7)
    assert [c.type for c in found] == [EventType.SUPPORT, EventType.SUPPORT]
    assert [(_codes(c.actor), _codes(c.recipient)) for c in found] == [
        (["IRN"], ["RUS"]),
        (["RUS"], ["IRN"]),
    ]


@pytest.mark.slow
def test_contexts_from_keywords_and_diplomatic_default(code):
    (event,) = code("Iran and Russia discussed the fight against terrorism.")
    assert "terrorism" in event.context and "diplomatic" in event.context
    (attack,) = code("Russian troops attacked Ukraine.")
    assert "military" in attack.context and "diplomatic" not in attack.context


@pytest.mark.slow
def test_assault_mode_from_weapon_words(code):
    (event,) = code("Russia carried out air strikes on Syria.")
    assert event.type is EventType.ASSAULT and event.mode == "aerial"
    assert _codes(event.recipient) == ["SYR"]


@pytest.mark.slow
def test_group_mention_gives_several_actors(code):
    def mentions(parsed):
        return [
            mention_for(parsed, "Both countries", Entity(text="Both countries", country="IRN")),
            mention_for(parsed, "Both countries", Entity(text="Both countries", country="RUS")),
        ]

    (event,) = code("Both countries have exchanged several delegations.", mentions)
    assert event.type is EventType.CONSULT and event.mode == "visit"
    assert _codes(event.actor) == ["IRN", "RUS"] and event.tense == "perfect"


# --------------------------------------------------------------------------- issue #3


def test_rule_index_offers_only_rules_sharing_a_form():
    kb = events.rules_of(builtin_knowledge())
    offered = kb.candidates({"attack", "attacked"})
    assert offered and all(r.lemmas & {"attack", "attacked"} for r in offered)
    order = {r.id: i for i, r in enumerate(kb.rules)}
    assert [order[r.id] for r in offered] == sorted(order[r.id] for r in offered)
    assert kb.candidates({"zzz-not-a-trigger"}) == []


@pytest.mark.slow
def test_rule_index_finds_what_trying_every_rule_finds(parse_text):
    """Regression for issue #3: indexing the rules by lemma must not change any match."""
    kb = events.rules_of(builtin_knowledge())
    for rule in kb.rules[::3]:
        for sentence in rule.examples:
            for token in parse_text(sentence).doc:
                indexed = next(
                    (r.id for r in kb.candidates(_forms(token)) if _match(r, token, kb)),
                    None,
                )
                scanned = next((r.id for r in kb.rules if _match(r, token, kb)), None)
                assert indexed == scanned, (sentence, token.text)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "kind", "actor", "recipient"),
    [
        ("Algeria rejected an offer from Morocco.", EventType.REJECT, ["DZA"], ["MAR"]),
        ("Kenya rejected Uganda's proposal.", EventType.REJECT, ["KEN"], ["UGA"]),
        ("Egypt called for sanctions against Israel.", EventType.REQUEST, ["EGY"], ["ISR"]),
        ("The minister said Ghana must repay the loan.", EventType.REQUEST, ["GOV"], ["GHA"]),
        ("Japan said it had halted aid to Ukraine.", EventType.SANCTION, ["JPN"], ["UKR"]),
        ("The Arab League suspended Syria's membership.", EventType.SANCTION, ["IGO"], ["SYR"]),
        ("Turkey threatened more measures against Greece.", EventType.THREATEN, ["TUR"], ["GRC"]),
        (
            "Algeria moved troops to its border with Morocco.",
            EventType.MOBILIZE,
            ["DZA"],
            ["MAR"],
        ),
        ("Israeli jets struck targets in southern Lebanon.", EventType.ASSAULT, ["ISR"], ["LBN"]),
    ],
)
def test_recipients_of_proposals_requests_and_reported_pronouns(
    code, sentence, kind, actor, recipient
):
    found = [c for c in code(sentence) if c.type is kind]
    assert len(found) == 1, code(sentence)
    assert _codes(found[0].actor) == actor and _codes(found[0].recipient) == recipient


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Kenya will cut aid to Somalia if the attacks continue.", EventType.THREATEN),
        ("Russia will attack Ukraine.", EventType.THREATEN),
        ("Hamas vowed to keep attacking Israel.", EventType.THREATEN),
        ("Cyprus is preparing to impose sanctions on Turkey.", EventType.THREATEN),
        ("Syria said it will not meet Iraq.", EventType.REJECT),
        ("Israel will withdraw its troops from Lebanon.", EventType.AGREE),
    ],
)
def test_announced_deeds_are_threats_or_promises(code, sentence, kind):
    assert [c.type for c in code(sentence)] == [kind]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "control"),
    [
        ("Analysts say Iran could attack Israel if tensions rise.", "Iran attacked Israel."),
        ("Argentina beat Colombia 1-0 in the final.", "Argentine police beat protesters."),
        ("Nigeria beat Ghana 2-1 on Saturday.", "Nigerian police beat protesters on Saturday."),
    ],
)
def test_speculation_and_sport_code_nothing(code, sentence, control):
    assert code(control), f"control {control!r} codes nothing: the test would be vacuous"
    assert code(sentence) == []


@pytest.mark.slow
def test_framing_verb_without_an_event_codes_nothing(code):
    assert code("Israel plans to build homes.") == []
    assert code("Israel plans to attack Syria.")  # the framing verb itself is not the filter
    assert code("Iran did not meet Russia.") == []
    assert code("Iran met Russia.")


@pytest.mark.slow
def test_demand_noun_names_the_party_asked(code):
    (event,) = code("Qatar renewed its demand that Israel open the crossing.")
    assert event.type is EventType.REQUEST
    assert _codes(event.actor) == ["QAT"] and _codes(event.recipient) == ["ISR"]


@pytest.mark.slow
def test_temporal_clause_is_background(code):
    found = code("Egypt attacked Israel before Syria withdrew from Lebanon.")
    assert [c.type for c in found] == [EventType.ASSAULT]


@pytest.mark.slow
def test_purpose_of_a_protest_is_part_of_it(code):
    found = code("Protesters staged a rally in Cairo to demand reforms from Egypt.")
    assert [c.type for c in found] == [EventType.PROTEST]


def test_feature_reliability_shrinks_rare_values_toward_the_prior():
    records = [({"arguments": "dyad"}, True)] * 8 + [({"arguments": "actor"}, False)] * 2
    table = events.feature_reliability(records, strength=4.0)
    assert table["prior"] == 0.8
    assert table["reliability"]["arguments"]["dyad"] == pytest.approx((8 + 3.2) / 12, abs=1e-3)
    assert 0.0 < table["reliability"]["arguments"]["actor"] < 0.8
    with pytest.raises(ValueError):
        events.feature_reliability([])


@pytest.mark.slow
def test_confidence_ranks_a_full_dyad_above_a_lone_actor(code):
    (dyad,) = code("Israel attacked Syria.")
    (lone,) = code("Israel attacked the town.")
    # the lone actor gets the domestic recipient by convention (issue #3); that is not
    # evidence of a named target, so it still ranks below a full dyad
    assert dyad.confidence >= 0.8
    assert dyad.confidence > lone.confidence


@pytest.mark.slow
def test_confidence_table_matches_the_team_gold():
    """The stored reliabilities were estimated on tests/gold; re-estimate when this fails."""
    from pathlib import Path

    from eventwire import actors, nlp
    from eventwire.evaluate import dyad_fits, gold_to_document, read_jsonl_gold, same_evidence

    model = nlp.load_pipeline(Settings().model)
    records: list[tuple[dict[str, str], bool]] = []
    original = assembly._candidate

    def spy(found, sentence, sentence_mentions, kb):
        candidate = original(found, sentence, sentence_mentions, kb)
        captured.append((candidate, events.confidence_features(found, kb)))
        return candidate

    gold_path = Path(__file__).parent / "gold" / "eventwire_gold.jsonl"
    assembly._candidate = spy
    try:
        for gold in read_jsonl_gold(gold_path):
            captured: list = []
            parsed = nlp.parse(gold_to_document(gold), model)
            events.extract_events(
                parsed,
                actors.extract_actors(parsed, knowledge=builtin_knowledge()),
                knowledge=builtin_knowledge(),
            )
            for candidate, features in captured:
                fits = [
                    e
                    for e in gold.events
                    if candidate.type in {e.type, *e.alt_types}
                    and (e.evidence is None or same_evidence(e.evidence, candidate.sentence.text))
                ]
                if fits and all(e.background for e in fits):
                    continue
                records.append((features, any(dyad_fits(candidate, e) for e in fits)))
    finally:
        assembly._candidate = original
    fresh = events.feature_reliability(records)
    stored = builtin_knowledge().yaml("triggers.yaml")["settings"]["confidence"]
    assert abs(fresh["prior"] - stored["prior"]) <= 0.1
    for name in ("dyad", "actor"):
        assert (
            abs(fresh["reliability"]["arguments"][name] - stored["reliability"]["arguments"][name])
            <= 0.15
        )


# --------------------------------------------------------------------------- issue #3: recipients


@pytest.mark.slow
def test_protest_with_no_named_target_is_aimed_at_the_state_where_it_happens(code):
    """Issue #3 (PLOVER convention): a domestic protest is directed at its own state."""
    (event,) = code("Kenyan doctors staged a strike in Nairobi.")
    assert event.type is EventType.PROTEST
    assert _codes(event.actor) == ["KEN"] and _codes(event.recipient) == ["KEN"]


@pytest.mark.slow
def test_domestic_default_falls_back_to_the_doers_state(code):
    (event,) = code("Egyptian police arrested twelve men.")
    assert event.type is EventType.COERCE
    assert _codes(event.recipient) == ["EGY"]
    assert event.recipient[0].start is None  # not a party named in the text


@pytest.mark.slow
def test_conventional_recipient_does_not_count_as_a_dyad_for_confidence(code):
    (named,) = code("Egyptian police arrested Israeli students.")
    (conventional,) = code("Egyptian police arrested twelve men.")
    assert _codes(named.recipient) == ["ISR"]
    assert named.confidence > conventional.confidence


@pytest.mark.slow
def test_owner_of_the_object_is_the_recipient(code):
    (event,) = code("Turkey denounced Israel's blockade.")
    assert event.type is EventType.ACCUSE
    assert _codes(event.actor) == ["TUR"] and _codes(event.recipient) == ["ISR"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "expected", "recipient"),
    [
        ("Kurdish leaders demanded autonomy from Iraq.", EventType.REQUEST, ["IRQ"]),
        ("Turkey handed over medicine to Syria.", EventType.AID, ["SYR"]),
        ("Kenya closed its border with Somalia.", EventType.COERCE, ["SOM"]),
    ],
)
def test_source_and_goal_phrases_name_the_recipient(code, sentence, expected, recipient):
    found = [c for c in code(sentence) if c.type is expected]
    assert found, code(sentence)
    assert _codes(found[0].recipient) == recipient


@pytest.mark.slow
def test_arriving_troops_are_a_deployment_not_a_visit(code):
    (event,) = code("Kenyan peacekeeping troops arrived in Somalia.")
    assert event.type is EventType.AID
    assert _codes(event.actor) == ["KEN"] and _codes(event.recipient) == ["SOM"]
    (visit,) = code("The Kenyan minister arrived in Somalia.")
    assert visit.type is EventType.CONSULT


@pytest.mark.slow
def test_an_offer_of_aid_is_a_commitment(code):
    (event,) = code("Japan offered food aid to Pakistan.")
    assert event.type is EventType.AGREE and _codes(event.recipient) == ["PAK"]


@pytest.mark.slow
def test_stative_opposed_to_is_a_rejection_by_its_subject(code):
    (event,) = code("Egypt is opposed to Israel's plan.")
    assert event.type is EventType.REJECT
    assert _codes(event.actor) == ["EGY"] and _codes(event.recipient) == ["ISR"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Israel and Egypt failed to reach an agreement on water.",
        "Turkey sent troops to Syria to help the rebels attack Damascus.",
    ],
)
def test_failed_and_purposed_steps_are_not_events(code, sentence):
    # the same steps, reported as done, are events: the failure or purpose is the filter
    done = {
        c.type
        for c in code(
            "Israel and Egypt reached an agreement on water. The rebels attacked Damascus."
        )
    }
    assert EventType.ASSAULT in done and done & {EventType.AGREE, EventType.SUPPORT}
    types = {c.type for c in code(sentence)}
    assert EventType.AGREE not in types and EventType.SUPPORT not in types
    assert EventType.ASSAULT not in types


# --------------------------------------------------------------------------- issue #3: no event

NO_EVENT_SENTENCES = [
    "The organisation was founded in 1948 to promote public health.",
    "Unemployment in Spain fell to 11.7 percent in the second quarter, the statistics office said.",
    "Kenya has a population of about 54 million people.",
    "The museum attracts more than two million visitors a year.",
    "Inflation in Turkey has averaged above 40 percent since 2022.",
    "The bridge across the Danube was built in 1896.",
    "Analysts say the policy has had mixed results.",
    "The river forms much of the border between the two countries.",
    "Nigeria is Africa's largest oil producer.",
    "Exports of coffee rose by 8 percent last year.",
    "Many economists believe interest rates will stay high for some time.",
    "Brazil's economy grew 2.9 percent in 2023.",
    "The conflict began in 2011 and has displaced millions.",
    "Germany became a member of the United Nations in 1973.",
    "The talks are scheduled to resume next month.",
    "India's monsoon rains were 6 percent below average this year.",
    "Critics argue that the reforms go too far.",
    "Tourism accounts for a tenth of Thailand's economy.",
    "The treaty was signed in 1951 and entered into force two years later.",
    "The alliance was founded in 1949 by twelve countries including France and Canada.",
    "France has long been one of Germany's closest trading partners.",
    "Japan imports most of its energy from abroad.",
    "Iran's currency has lost half its value against the dollar since January.",
    "Canada and Mexico share a long history of trade.",
    "Kenya's tea exports to Pakistan were worth 500 million dollars last year.",
    "Analysts in Brazil believe the central bank will keep rates unchanged.",
    "The Turkish lira weakened to a record low on Monday.",
    "Chile is the world's largest copper producer.",
    "The Chinese embassy in Nairobi opened in 1964.",
    "Israel and Egypt failed to reach an agreement on water.",
    "Brazil and Argentina played a friendly game in Rio on Sunday.",
    "The new bridge across the border river opened to traffic in 2019.",
    "The senator campaigned for a second term in office.",
]


@pytest.fixture(scope="module")
def code_with_actors(nlp):
    """The events stage behind the real actors stage, as in the pipeline."""
    from eventwire import actors
    from eventwire.nlp import parse

    def run(text: str) -> list[EventCandidate]:
        parsed = parse(Document(id="t", source="TEST", body=text), nlp)
        return events.extract_events(
            parsed,
            actors.extract_actors(parsed, knowledge=builtin_knowledge()),
            knowledge=builtin_knowledge(),
        )

    return run


@pytest.mark.slow
@pytest.mark.parametrize("sentence", NO_EVENT_SENTENCES)
def test_background_and_descriptive_sentences_code_no_event(code, code_with_actors, sentence):
    """Issue #3: statistics, history and opinion must stay empty (held-out news is mostly so)."""
    assert code(sentence) == []
    assert code_with_actors(sentence) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("background", "news"),
    [
        ("The treaty was signed in 1951 and entered into force two years later.",
         "Kenya signed a treaty with Uganda on Monday."),
        ("The conflict began in 2011 and has displaced millions.",
         "Rebels attacked the army in Aleppo on Monday."),
        ("Israel and Egypt failed to reach an agreement on water.",
         "Israel and Egypt reached an agreement on water."),
    ],
)  # fmt: skip
def test_the_no_event_sentences_fail_without_their_filters(code_with_actors, background, news):
    """Controls for the test above: the same kinds of words in news code events, so the empty
    results come from the filters (history, failure), not from a coder that codes nothing."""
    assert code_with_actors(news), news
    assert code_with_actors(background) == []


@pytest.mark.slow
def test_restoring_diplomatic_ties_is_support_not_cooperation(code):
    (event,) = code("Greece and Cyprus restored diplomatic ties last week.")
    assert event.type is EventType.SUPPORT and event.cameo == "054"
    assert sorted(_codes(event.actor)) == ["CYP", "GRC"]
    (other,) = code("Russia has strengthened its ties with China.")
    assert other.type is EventType.COOPERATE


@pytest.mark.slow
def test_agreeing_with_a_proposition_is_not_a_pledge(code):
    assert code("France agreed that the crisis in Mali was serious.") == []
    (pledge,) = code("France agreed that it would send aid to Mali.")
    assert pledge.type is EventType.AGREE


@pytest.mark.slow
def test_negated_acceptance_is_a_refusal(code):
    (event,) = code("Egypt did not accept the offer from Israel.")
    assert event.type is EventType.REJECT
    assert _codes(event.actor) == ["EGY"] and _codes(event.recipient) == ["ISR"]
    (author,) = code("Egypt did not agree to the plan proposed by Israel.")
    assert author.type is EventType.REJECT and _codes(author.recipient) == ["ISR"]
    assert code("Egypt did not meet Israel.") == []


@pytest.mark.slow
def test_of_phrase_of_an_attack_noun_with_a_doer_is_the_target(code):
    (event,) = code("The invasion of Kuwait by Iraq shocked the region.")
    assert event.type is EventType.ASSAULT
    assert _codes(event.actor) == ["IRQ"] and _codes(event.recipient) == ["KWT"]


@pytest.mark.slow
def test_protest_in_the_purpose_clause_of_a_gathering_is_the_deed(code):
    events_ = code("Students in Kenya gathered to protest against the government.")
    assert [e.type for e in events_] == [EventType.PROTEST]
    assert not [
        e
        for e in code("Egypt sent troops to help Sudan attack Yemen.")
        if e.type is EventType.ASSAULT
    ]


@pytest.mark.slow
def test_protest_addressed_to_a_party_is_a_verbal_complaint(code):
    (event,) = code("Japan protested to China over the incursion.")
    assert event.type is EventType.ACCUSE and event.mode == "disapprove"
    assert _codes(event.actor) == ["JPN"] and _codes(event.recipient) == ["CHN"]
    (street,) = code("Thousands of protesters demonstrated against Israel.")
    assert street.type is EventType.PROTEST


@pytest.mark.slow
def test_a_deed_describing_a_noun_in_a_pledge_does_not_make_it_a_threat(code):
    (event,) = code("Iran offered to hand over two men suspected of blowing up a bridge to Iraq.")
    assert event.type is EventType.AGREE
    (threat,) = code("Yemen vowed to keep attacking Israel.")
    assert threat.type is EventType.THREATEN


@pytest.mark.slow
def test_agreeing_on_a_course_of_action_is_agree_and_suicide_blast_is_not_doubled(code):
    (event,) = code("Hungary and Greece agreed that their countries should cooperate.")
    assert event.type is EventType.AGREE
    assert code("Two bombers of Yemen blew themselves up in Kabul.") == []


@pytest.mark.slow
def test_rally_without_a_target_does_not_swallow_the_protest_beside_it(code):
    """Issue #3: in "gathered for a rally ... to protest X" the purpose clause is the protest."""
    (event,) = code("Thousands of farmers gathered for a rally in Nairobi to protest the tax law.")
    assert event.type is EventType.PROTEST and event.rule == "protest"
    assert _codes(event.actor) == ["AGR"]


@pytest.mark.slow
def test_engaged_in_a_practice_takes_its_subject_as_doer(code):
    (event,) = code("Soldiers of Sudan were engaged in genocide against villagers of Ethiopia.")
    assert event.type is EventType.ASSAULT and event.rule == "mass_violence"
    assert _codes(event.recipient) == ["ETH"]
    talks = code("Soldiers of Sudan were engaged in talks.")
    assert all(e.type is not EventType.ASSAULT for e in talks)


# ------------------------------------------------------------- issue #3: scope recipient


@pytest.mark.slow
def test_threat_target_in_a_conditional_clause_is_recipient(code):
    found = code("Egypt threatened to close the canal unless Turkey withdrew its ships.")
    (event,) = [e for e in found if e.type is EventType.THREATEN]
    assert _codes(event.actor) == ["EGY"] and _codes(event.recipient) == ["TUR"]


@pytest.mark.slow
def test_target_deep_in_the_object_phrase_is_recipient(code):
    found = code("Kenya refused to comply with the demands of the Ugandan minister.")
    (event,) = [e for e in found if e.type is EventType.REJECT]
    assert _codes(event.actor) == ["KEN"] and _codes(event.recipient) == ["UGA"]


@pytest.mark.slow
def test_a_separate_as_clause_does_not_give_the_recipient(code):
    found = code("Ghana lifted the curfew in Accra as police in Togo arrested students.")
    lifted = [e for e in found if e.type is EventType.CONCEDE]
    assert lifted and "TGO" not in _codes(lifted[0].recipient)


@pytest.mark.slow
def test_a_despite_phrase_does_not_give_the_recipient(code):
    found = code("Kenya rejected the plan despite strong pressure from Uganda.")
    (event,) = [e for e in found if e.type is EventType.REJECT]
    assert "UGA" not in _codes(event.recipient)


@pytest.mark.slow
def test_sending_inspectors_is_an_investigation_of_the_host(code):
    (event,) = code("Norway dispatched inspectors to Sudan.")
    assert event.type is EventType.ACCUSE and event.mode == "investigate"
    assert _codes(event.actor) == ["NOR"] and _codes(event.recipient) == ["SDN"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Norway did not send inspectors to Sudan.",
        "The inspectors were sent home after the storm.",
    ],
)
def test_inspectors_not_sent_by_a_party_code_nothing(code, sentence):
    assert [c for c in code(sentence) if c.type is EventType.ACCUSE] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Nigeria believes Ghana must release the detainees.",
        "Ghana must release the detainees, according to Nigeria.",
    ],
)
def test_obligation_stated_without_a_verb_of_saying_is_a_request(code, sentence):
    requests = [c for c in code(sentence) if c.type is EventType.REQUEST]
    assert len(requests) == 1
    assert _codes(requests[0].actor) == ["NGA"] and _codes(requests[0].recipient) == ["GHA"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Nigeria does not believe Ghana must release the detainees.",
        "Ghana must release the detainees, according to the report.",
    ],
)
def test_obligation_without_a_stating_party_codes_no_request(code, sentence):
    assert [c for c in code(sentence) if c.type is EventType.REQUEST] == []


@pytest.mark.slow
def test_passive_under_investigation_takes_the_agent_on_the_noun(code):
    (event,) = code("A Swiss banker was put under investigation by Italian prosecutors.")
    assert event.type is EventType.ACCUSE and event.mode == "investigate"
    assert _codes(event.actor) == ["ITA"] and _codes(event.recipient) == ["CHE"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Italian police placed the Swiss banker under house arrest.",
        "The Swiss banker was placed under investigation.",
    ],
)
def test_under_without_an_inquiry_or_a_doer_is_no_investigation(code, sentence):
    assert [c for c in code(sentence) if c.mode == "investigate"] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    ["The Kremlin called Ukraine a terrorist state.", "Iran called the plan “reckless”."],
)
def test_a_call_that_names_its_object_is_no_phone_call(code, sentence):
    # control: the same verb reaching a party is a call
    assert [e.type for e in code("Russia called Turkey on Monday.")] == [EventType.CONSULT]
    assert EventType.CONSULT not in [e.type for e in code(sentence)]
