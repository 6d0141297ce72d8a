"""The learned classify step: the shipped ONNX model, its policy, and the role scorer."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from eventwire.events.classify import _by_convention, _split_sides
from eventwire.events.model import MODEL_DIR, EventTypeModel, Policy, event_model
from eventwire.events.role_model import RoleModel, load_roles
from eventwire.events.roles import RoleScorer
from eventwire.events.rules import rules_of
from eventwire.knowledge import Knowledge, KnowledgeError
from eventwire.models import (
    ActorMention,
    Document,
    Entity,
    EventCandidate,
    EventType,
    Sentence,
    TextSpan,
)
from eventwire.pipeline import code_document
from eventwire.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def with_model() -> Knowledge:
    return Knowledge()


@pytest.fixture(scope="module")
def rules_only() -> Knowledge:
    return Knowledge(event_model=None)


def _events(text: str, knowledge: Knowledge) -> list[tuple[str, list[str], list[str]]]:
    coded = code_document(Document(id="t", body=text, published="2019-01-28"), knowledge)
    return [
        (
            e.type.value,
            sorted(x.code or "" for x in e.actor),
            sorted(x.code or "" for x in e.recipient),
        )
        for e in coded.events
    ]


def test_the_model_finds_an_event_no_trigger_rule_knows(
    with_model: Knowledge, rules_only: Knowledge
) -> None:
    text = "Turkey lashed out at Germany over the arrest of a journalist."
    assert _events(text, rules_only) == []
    assert ("ACCUSE", ["TUR"], ["DEU"]) in _events(text, with_model)


@pytest.mark.parametrize(
    "text",
    [
        "Russia slapped tariffs on Turkish tomatoes.",
        "Egypt pressed Ethiopia to share data on the dam.",
        "Iran and Russia signed an agreement on Monday.",
    ],
)
def test_rules_first_the_model_leaves_rule_events_as_they_are(
    text: str, with_model: Knowledge, rules_only: Knowledge
) -> None:
    rules = _events(text, rules_only)
    assert rules, "the trigger rules code this sentence"
    assert _events(text, with_model) == rules


def test_no_event_where_neither_finds_one(with_model: Knowledge) -> None:
    assert _events("The weather in Paris was mild on Monday.", with_model) == []


def test_settings_switch_the_model_off() -> None:
    assert Knowledge.from_settings(Settings(event_model="off")).event_model_dir is None
    assert Knowledge.from_settings(Settings()).event_model_dir == MODEL_DIR


def test_a_missing_model_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="nowhere"):
        Knowledge(event_model=tmp_path / "nowhere")


def test_probabilities_do_not_depend_on_batch_order() -> None:
    model = EventTypeModel()
    texts = [
        "Israeli jets struck targets in Gaza overnight.",
        "The two leaders met in Moscow.",
        "It rained in the capital.",
    ]
    forward = model.predict(texts)
    backward = model.predict(texts[::-1])[::-1]
    assert forward.shape == (3, len(EventType))
    assert np.all((forward >= 0) & (forward <= 1))
    assert np.allclose(forward, backward, atol=1e-5)
    assert model.labels[int(forward[0].argmax())] == "ASSAULT"
    assert forward[2].max() < model.policy.add


def _with_policy(folder: Path, **policy: float) -> Knowledge:
    for name in ("event_types.onnx", "tokenizer.json", "roles.onnx", "roles_model.json"):
        (folder / name).symlink_to(MODEL_DIR / name)
    meta = json.loads((MODEL_DIR / "event_types.json").read_text(encoding="utf-8"))
    meta["policy"].update(policy)
    (folder / "event_types.json").write_text(json.dumps(meta), encoding="utf-8")
    return Knowledge(event_model=folder)


def test_the_policy_comes_from_the_model_file(tmp_path: Path, rules_only: Knowledge) -> None:
    text = "Turkey lashed out at Germany over the arrest of a journalist."
    # the model may add nothing
    assert _events(text, _with_policy(tmp_path, add=1.01)) == _events(text, rules_only) == []


def test_the_veto_drops_rule_events_only_where_the_model_reads_no_event(
    tmp_path: Path, rules_only: Knowledge
) -> None:
    event = "Iran and Russia signed an agreement on Monday."
    rules = _events(event, rules_only)
    assert rules, "the trigger rules code this sentence"
    (tmp_path / "all").mkdir()
    (tmp_path / "some").mkdir()
    # no reading reaches 1.01: every sentence reads as eventless and loses its rule events
    assert _events(event, _with_policy(tmp_path / "all", veto=1.01, add=1.01)) == []
    # an agreement the model reads as one keeps the rules' coding under a moderate veto
    probs = EventTypeModel().predict([event])[0]
    assert probs.max() >= 0.2
    assert _events(event, _with_policy(tmp_path / "some", veto=0.2, add=1.01)) == rules


def test_rule_events_inside_a_quotation_need_the_models_word(
    tmp_path: Path, rules_only: Knowledge
) -> None:
    quote = "“Turkey attacked our villages,” a Kurdish commander said."
    narration = "Iran and Russia signed an agreement on Monday."
    text = f"{quote} {narration}"
    rules = _events(text, rules_only)
    assert len(rules) == 2 and rules[0][0] == "ASSAULT", "a rule fires inside the quote"
    for name in ("off", "strict", "lenient"):
        (tmp_path / name).mkdir()
    # by default the rules are trusted inside quotations as elsewhere
    assert _events(text, _with_policy(tmp_path / "off", add=1.01)) == rules
    # a threshold no reading reaches drops the quoted event, never the narrated one
    strict = _with_policy(tmp_path / "strict", quoted_keep=1.01, add=1.01)
    assert _events(text, strict) == rules[1:]
    # one the model's reading of the quoted sentence reaches keeps it
    model = EventTypeModel()
    p_assault = model.predict([quote])[0][model.labels.index("ASSAULT")]
    lenient = _with_policy(tmp_path / "lenient", quoted_keep=float(p_assault) / 2, add=1.01)
    assert _events(text, lenient) == rules


def test_sentences_whose_predicate_names_no_actor_are_read_where_the_policy_says(
    tmp_path: Path,
) -> None:
    """A passive whose doer is a noun phrase ("killed in the Turkish bombardment") has no
    actor at its predicate: with ``add_without_actor`` off the model does not read it; with
    it, it does, and the role model finds the doer among the mentions."""
    text = (
        "At least 250 civilians have been killed in the Turkish bombardment of Afrin, "
        "the Syrian Observatory for Human Rights said."
    )
    model = EventTypeModel()
    p_assault = float(model.predict([text])[0][model.labels.index("ASSAULT")])
    for name in ("off", "asked"):
        (tmp_path / name).mkdir()
    off = _with_policy(tmp_path / "off", add=p_assault / 2, add_without_actor=1.01)
    assert _events(text, off) == []
    asked = _with_policy(tmp_path / "asked", add_without_actor=p_assault / 2)
    assert [(kind, actor) for kind, actor, *_ in _events(text, asked)] == [("ASSAULT", ["TUR"])]
    # the shipped policy reads such sentences (session 19), at its own threshold
    shipped = event_model(Knowledge())
    assert shipped is not None and shipped.policy.add_without_actor <= 1
    by_default = [(kind, actor) for kind, actor, *_ in _events(text, Knowledge())]
    assert by_default == (
        [("ASSAULT", ["TUR"])] if p_assault >= shipped.policy.add_without_actor else []
    )


def test_an_added_event_is_shown_by_the_word_of_its_type(tmp_path: Path) -> None:
    """No rule fires ("shelling" needs a by-phrase doer), the model adds the event: its
    trigger is the word the lexicon gives its type, not the sentence's verb "was"."""
    text = "Turkey's shelling of Afrin was the heaviest in weeks."
    model = EventTypeModel()
    p_assault = float(model.predict([text])[0][model.labels.index("ASSAULT")])
    knowledge = _with_policy(tmp_path, add=p_assault / 2, add_without_actor=p_assault / 2)
    coded = code_document(Document(id="t", body=text, published="2019-01-28"), knowledge)
    (event,) = [e for e in coded.events if e.type.value == "ASSAULT"]
    assert event.evidence.trigger == "shelling"
    start = event.evidence.trigger_start
    assert start is not None and text[start : event.evidence.trigger_end] == "shelling"


def test_a_run_can_replace_single_thresholds_of_the_policy() -> None:
    """``event_policy`` (``--event-policy NAME=VALUE``) replaces the named thresholds only; the
    others stay the model folder's."""
    text = "Turkey lashed out at Germany over the arrest of a journalist."
    shipped = event_model(Knowledge())
    assert shipped is not None and _events(text, Knowledge()) != []  # the model adds one
    strict = Knowledge(event_policy={"add": 1.01})
    model = event_model(strict)
    assert model is not None
    assert model.policy == replace(shipped.policy, add=1.01)
    assert _events(text, strict) == []
    copy = pickle.loads(pickle.dumps(strict))  # workers receive the overrides too
    assert copy.event_policy == {"add": 1.01} and _events(text, copy) == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ad": 0.8}, "unknown field 'ad'"),
        ({"add": True}, "add must be a finite number"),
        ({"add": float("nan")}, "add must be a finite number"),
        ({"add_where_rules_silent": 1.0}, "add_where_rules_silent must be true or false"),
    ],
)
def test_a_bad_policy_override_stops_the_run_before_coding(
    overrides: dict[str, float | bool], message: str
) -> None:
    with pytest.raises(KnowledgeError, match=message):
        Knowledge(event_policy=overrides)


def test_a_policy_override_needs_the_learned_model() -> None:
    with pytest.raises(KnowledgeError, match="needs the learned event classifier"):
        Knowledge(event_model=None, event_policy={"add": 0.8})


def test_knowledge_pickles_the_model_folder_not_the_session(with_model: Knowledge) -> None:
    _events("Turkey lashed out at Germany.", with_model)  # loads the session
    copy = pickle.loads(pickle.dumps(with_model))
    assert copy.event_model_dir == with_model.event_model_dir
    assert copy._derived == {}


def test_the_shipped_role_model_reads_who_acts_and_who_is_acted_on() -> None:
    model = load_roles(MODEL_DIR)
    assert isinstance(model, RoleModel)
    texts = [
        "assault : [[ Israeli jets ]] << struck >> targets in Gaza overnight.",
        "assault : Israeli jets << struck >> targets in [[ Gaza ]] overnight.",
        "request : [[ Egypt ]] << urged >> Ethiopia to share data on the dam.",
        "request : Egypt << urged >> [[ Ethiopia ]] to share data on the dam.",
    ]
    probs = model.probabilities(texts)
    assert probs.shape == (4, 3) and np.allclose(probs.sum(1), 1.0, atol=1e-5)
    actor, recipient = model.roles.index("actor"), model.roles.index("recipient")
    for row in (0, 2):
        assert probs[row, actor] > probs[row, recipient]
    for row in (1, 3):
        assert probs[row, recipient] > probs[row, actor]


def test_a_model_folder_without_the_role_model_falls_back_to_the_logistic_scorer(
    tmp_path: Path,
) -> None:
    weights = {"path=nsubj": [2.0, -1.0, 0.0]}
    record = {"roles": ["actor", "recipient", "none"], "bias": [0, 0, 0], "weights": weights}
    (tmp_path / "roles.json").write_text(json.dumps(record), encoding="utf-8")
    scorer = load_roles(tmp_path)
    assert isinstance(scorer, RoleScorer)
    p = scorer.probabilities(["path=nsubj", "rule=none", "kind=state"])
    assert set(p) == {"actor", "recipient", "none"}
    assert abs(sum(p.values()) - 1.0) < 1e-9
    assert p["actor"] > p["recipient"]  # a subject of the trigger acts
    assert load_roles(tmp_path / "nowhere") is None


def _model_folder(tmp_path: Path, policy: dict[str, object], roles: dict[str, object]) -> Path:
    for name in ("event_types.onnx", "tokenizer.json"):
        (tmp_path / name).symlink_to(MODEL_DIR / name)
    meta = json.loads((MODEL_DIR / "event_types.json").read_text(encoding="utf-8"))
    meta["policy"].update(policy)
    (tmp_path / "event_types.json").write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "roles.json").write_text(json.dumps(roles), encoding="utf-8")
    return tmp_path


RULE_ACTOR_OTHERS_RECIPIENT = {
    "roles": ["actor", "recipient", "none"],
    "bias": [0.0, 0.0, 0.0],
    "weights": {"rule=actor": [6.0, -6.0, 0.0], "rule=no": [-6.0, 6.0, 0.0]},
    "thresholds": {"actor": 0.5, "recipient": 0.5},
}
"""A logistic role scorer that reads the rule's actor as actor and every other mention as
recipient."""


@pytest.mark.parametrize("fill", [True, False])
def test_a_rule_event_without_recipient_takes_the_role_scorers_one(
    tmp_path: Path, rules_only: Knowledge, fill: bool
) -> None:
    folder = _model_folder(tmp_path, {"roles_fill_recipient": fill}, RULE_ACTOR_OTHERS_RECIPIENT)
    text = "Nigeria's president apologised on Friday during a call with Niger's leader."
    rules = _events(text, rules_only)
    assert rules == [("SUPPORT", ["NGA"], [])], "the trigger rules find no recipient here"
    expected = [("SUPPORT", ["NGA"], ["NER"])] if fill else rules
    assert _events(text, Knowledge(event_model=folder)) == expected


def test_a_meeting_with_one_side_takes_the_other_from_the_role_scorer(
    tmp_path: Path, rules_only: Knowledge
) -> None:
    folder = _model_folder(tmp_path, {"roles_fill_recipient": True}, RULE_ACTOR_OTHERS_RECIPIENT)
    text = "Nigeria's president held talks on Friday in a call with Niger's leader."
    assert _events(text, rules_only) == [("CONSULT", ["NGA"], [])], "one side only"
    assert _events(text, Knowledge(event_model=folder)) == [("CONSULT", ["NGA"], ["NER"])]


def test_the_role_models_input_marks_the_trigger_and_the_mention(nlp) -> None:  # type: ignore[no-untyped-def]
    from eventwire.actors import extract_actors
    from eventwire.events.roles import pair_text
    from eventwire.nlp import parse

    body = "Talks ended. Nigeria's president apologised on Friday in a call with Niger's leader."
    parsed = parse(Document(id="t", body=body, published="2019-01-28"), nlp)
    sentence = list(parsed.doc.sents)[1]
    start = body.index("apologised")
    found = extract_actors(parsed, knowledge=Knowledge(event_model=None))
    texts = {
        m.entity.text: pair_text("SUPPORT", sentence, (start, start + 10), m)
        for m in found
        if m.sentence == 1
    }
    assert texts["Niger's leader"] == (
        "support : Nigeria's president << apologised >> on Friday in a call with"
        " [[ Niger's leader ]]."
    )
    # a mention before the trigger, and the sentence's own offsets (not the document's)
    assert texts["Nigeria's president"].startswith("support : [[ Nigeria's president ]] << apol")
    # a window keeps that many words either side of the marked stretch, marks glued or not
    leader = next(m for m in found if m.entity.text == "Niger's leader")
    assert pair_text("SUPPORT", sentence, (start, start + 10), leader, window=1) == (
        "support : president << apologised >> on Friday in a call with [[ Niger's leader ]]."
    )


def _party(text: str, country: str, start: int) -> ActorMention:
    entity = Entity(text=text, country=country, sector="GOV", start=start, end=start + len(text))
    return ActorMention(
        entity=entity, sentence=0, token_start=start, token_end=start + 1, head=start
    )


def test_two_doers_of_different_states_become_doer_and_target() -> None:
    # "Barham Salih, Iraq's president, told Trump": the scorer reads all three as doers
    salih, iraq, trump = (
        _party("Barham Salih", "IRQ", 0),
        _party("Iraq", "IRQ", 14),
        _party("Trump", "USA", 40),
    )
    read = {
        id(salih): {"actor": 0.9, "recipient": 0.05, "none": 0.05},
        id(iraq): {"actor": 0.6, "recipient": 0.1, "none": 0.3},
        id(trump): {"actor": 0.5, "recipient": 0.45, "none": 0.05},
    }
    actor, recipient = _split_sides([salih, iraq, trump], read)
    assert [m.entity.text for m in actor] == ["Barham Salih", "Iraq"]
    assert [m.entity.text for m in recipient] == ["Trump"]
    # doers of one state stay doers: nobody is the target
    assert _split_sides([salih, iraq], read) == ([salih, iraq], [])


def test_a_model_event_without_target_takes_plovers_default_like_a_rule_event() -> None:
    kb = rules_of(Knowledge(event_model=None))
    sentence = Sentence(index=0, text="Police arrested dozens.", start=0, end=23)
    police = Entity(text="Police", country="KEN", sector="COP", kind="group", start=0, end=6)
    arrest = EventCandidate(
        type=EventType.COERCE,
        actor=[police],
        sentence=sentence,
        trigger=TextSpan(text="arrested", start=7, end=15),
        rule="model",
    )
    coded = _by_convention(arrest, kb)
    assert [(e.country, e.sector) for e in coded.recipient] == [("KEN", "GOV")]
    assert coded.recipient_by_convention
    # a meeting has no default target, and a named target stays
    meeting = arrest.model_copy(update={"type": EventType.CONSULT})
    assert _by_convention(meeting, kb).recipient == []
    named = arrest.model_copy(update={"recipient": [police]})
    assert _by_convention(named, kb).recipient == [police]


def test_a_policy_copy_keeps_the_models_own_class() -> None:
    """Tuning reads every policy through a subclass that remembers answers: the copy must
    stay that subclass, or each policy would run the model again."""

    class Remembering(EventTypeModel):
        pass

    model = object.__new__(Remembering)
    model.__dict__.update(labels=("ASSAULT",), policy=Policy(add=0.7))
    other = model.with_policy(Policy(add=0.5))
    assert type(other) is Remembering
    assert other.policy.add == 0.5
    assert model.policy.add == 0.7


def test_a_sentence_reads_the_same_whatever_is_read_beside_it() -> None:
    """The int8 models scale their activations per input: read in a batch, a sentence took
    part of its reading from its neighbours. Each text is now its own input."""
    sentence = "Turkey warned it would launch a military operation against the Kurds within days."
    neighbours = [
        "Talks resumed.",
        "The minister, speaking at a long news conference in the capital on Monday evening after "
        "a week of meetings with officials from a dozen countries, said the plan had failed.",
    ]
    model = EventTypeModel()
    alone = model.predict([sentence])[0]
    for other in neighbours:
        assert np.array_equal(model.predict([other, sentence, other])[1], alone)
    roles = load_roles(MODEL_DIR)
    assert isinstance(roles, RoleModel)
    pair = "THREATEN [[Turkey]] <<warned>> it would launch a military operation against the Kurds."
    single = roles.probabilities([pair])[0]
    assert np.array_equal(roles.probabilities([neighbours[1], pair])[1], single)


def test_the_models_run_on_one_thread_unless_asked_and_read_the_same_on_two() -> None:
    """One thread is the faster for texts read one at a time (benchmarks/speed.py); a second
    thread must not change a reading."""
    texts = [
        "Turkey warned it would launch a military operation against the Kurds within days.",
        "The two leaders met in Moscow.",
    ]
    one, two = EventTypeModel(), EventTypeModel(threads=2)
    assert one._encoder.threads == 1
    assert two._encoder.threads == 2
    assert np.array_equal(one.predict(texts), two.predict(texts))


def test_the_role_model_reading_a_rules_co_doers_keeps_them_one_side() -> None:
    """With the role model reading rule events' parties (an option), doers the rule found
    coordinated stay together; the role model's two-sides rule once made them doer and target."""
    text = "Iran and Russia signed an agreement on Monday."
    reread = Knowledge(event_policy={"roles_for_rule_events": True})
    assert _events(text, reread) == _events(text, Knowledge(event_model=None))
    assert _events(text, reread)[0][1:] == (["IRN", "RUS"], [])
