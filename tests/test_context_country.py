"""The country a mention without one of its own takes from its context: a weighted choice
among the document's countries (``actors.context``), its weights file and their training."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from eventwire.actors import extract_actors
from eventwire.actors.context import ContextChoice
from eventwire.errors import KnowledgeError
from eventwire.knowledge import Knowledge
from eventwire.knowledge.schemas import CONTEXT_FEATURES
from eventwire.models import Document, Entity
from eventwire.nlp import parse
from eventwire.settings import Settings
from eventwire.training.context_country import Example, fit, gold_countries, right

BODY = (
    "Syria's army shelled Idlib on Monday. Syria said the rebels had fired first. "
    "Turkey closed its border crossings. The government said it would send aid."
)


def _weights_folder(tmp_path: Path, weights: dict[str, float]) -> Path:
    table = {name: weights.get(name, 0.0) for name in CONTEXT_FEATURES}
    (tmp_path / "context_countries.yaml").write_text(
        yaml.safe_dump({"weights": table}), encoding="utf-8"
    )
    return tmp_path


def _government(nlp, knowledge: Knowledge, choices: list[ContextChoice] | None = None):  # type: ignore[no-untyped-def]
    found = extract_actors(
        parse(Document(id="t", body=BODY), nlp), knowledge=knowledge, choices=choices
    )
    (government,) = [m for m in found if m.entity.text == "The government"]
    return government


@pytest.mark.slow
@pytest.mark.parametrize(
    ("weights", "country"),
    [
        ({"recency_before": 1.0}, "TUR"),  # named last before the mention
        ({"most_named": 1.0}, "SYR"),  # named most in the document
        ({"first_named": 1.0}, "SYR"),
    ],
)
def test_the_weights_decide_which_country_the_context_gives(nlp, tmp_path, weights, country):
    knowledge = Knowledge.from_settings(
        Settings(knowledge_dir=_weights_folder(tmp_path, weights), event_model="off")
    )
    assert _government(nlp, knowledge).entity.country == country


@pytest.mark.slow
def test_each_choice_is_recorded_with_every_country_and_its_features(nlp, knowledge):
    choices: list[ContextChoice] = []
    government = _government(nlp, knowledge, choices)
    (choice,) = [c for c in choices if c.start == government.entity.start]
    assert set(choice.candidates) == {"SYR", "TUR"}
    assert choice.chosen == government.entity.country
    assert all(len(row) == len(CONTEXT_FEATURES) for row in choice.features)
    pairs = zip(choice.candidates, choice.features, strict=True)
    row = {c: dict(zip(CONTEXT_FEATURES, f, strict=True)) for c, f in pairs}
    turkey, syria = row["TUR"], row["SYR"]
    assert turkey["recency_before"] > syria["recency_before"]
    assert syria["most_named"] == 1.0 and turkey["most_named"] == 0.0


@pytest.mark.slow
def test_a_country_taken_from_the_context_is_marked_as_such(nlp, knowledge):
    """The text says whose "the government" is nowhere; "Syria's army" says it."""
    found = extract_actors(parse(Document(id="t", body=BODY), nlp), knowledge=knowledge)
    by_text = {m.entity.text: m.entity for m in found}
    assert by_text["The government"].country is not None
    assert by_text["The government"].country_from_context
    assert not by_text["Syria's army"].country_from_context


def test_a_guessed_country_does_not_make_another_party():
    """A pronoun standing for two parties of one code ("they": Turkish troops and the forces
    they sponsor, one read from the context) codes one party, as before the mark."""
    said = Entity(text="they", country="TUR", sector="MIL", kind="group", start=9, end=13)
    guessed = said.model_copy(update={"country_from_context": True})
    assert guessed == said and hash(guessed) == hash(said)
    assert len({said, guessed}) == 1
    assert guessed != said.model_copy(update={"country": "SYR"})


@pytest.mark.parametrize(
    ("weights", "problem"),
    [
        ({name: 0.0 for name in CONTEXT_FEATURES[1:]}, CONTEXT_FEATURES[0]),
        ({**{name: 0.0 for name in CONTEXT_FEATURES}, "loudness": 1.0}, "loudness"),
    ],
)
def test_a_weights_file_must_name_every_feature_once(tmp_path, weights, problem):
    (tmp_path / "context_countries.yaml").write_text(
        yaml.safe_dump({"weights": weights}), encoding="utf-8"
    )
    with pytest.raises(KnowledgeError, match=r"context_countries\.yaml") as caught:
        Knowledge.from_settings(Settings(knowledge_dir=tmp_path, event_model="off"))
    assert problem in str(caught.value)


def _example(rows: list[list[float]], gold: int) -> Example:
    candidates = tuple(f"C{i:02d}" for i in range(len(rows)))
    choice = ContextChoice(0, 1, 0, candidates[0], candidates, tuple(map(tuple, rows)))
    return Example(choice, frozenset({candidates[gold]}))


def test_fitting_learns_the_feature_that_marks_the_gold_country():
    rng = np.random.default_rng(3)
    marker = CONTEXT_FEATURES.index("recency_before")
    data = []
    for _ in range(60):
        rows = rng.random((3, len(CONTEXT_FEATURES)))
        gold = int(rng.integers(3))
        rows[:, marker] = 0.1
        rows[gold, marker] = 0.9
        data.append(_example(rows.tolist(), gold))
    weights = fit(data, steps=300)
    assert int(np.argmax(weights)) == marker
    assert right(data, weights) == len(data)
    assert right(data, np.zeros(len(CONTEXT_FEATURES))) < len(data)  # ties take the first


def test_the_gold_country_is_read_from_the_parties_over_the_mention():
    text = "Police in Kano arrested two men. The police said they had confessed."
    choice = ContextChoice(33, 43, 1, "NGA", ("NGA",), ((0.0,) * len(CONTEXT_FEATURES),))
    events = [
        {  # offsets, as the Guardian annotations give them
            "evidence_start": 33, "evidence_end": len(text),
            "actor": [{"country": "NGA", "sector": "COP", "start": 33, "end": 43}],
            "recipient": [{"country": "GHA", "sector": "CVL", "start": 59, "end": 63}],
        },
        {  # text, as the VOA annotations give it; another sentence: not read
            "evidence_start": 0, "evidence_end": 32,
            "actor": [{"text": "Police", "country": "NER", "sector": "COP"}],
            "recipient": [],
        },
        {
            "evidence_start": 33, "evidence_end": len(text),
            "actor": [{"text": "The police", "country": "CMR", "sector": "COP"}],
            "recipient": [],
        },
    ]  # fmt: skip
    assert gold_countries(choice, events, text) == {"NGA", "CMR"}
