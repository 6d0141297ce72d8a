"""Corpus memory (issue #4): people introduced with titles are learned in a pass of their own."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

import pytest

from eventwire import actors, nlp
from eventwire.actorkb import ActorKnowledge, normalize_name
from eventwire.learn import (
    aggregate_sightings,
    learn_documents,
    learn_store,
    refresh_learned,
    sightings_in,
)
from eventwire.models import ActorMention, CodedDocument, Document, Entity
from eventwire.settings import Settings
from eventwire.store import ActorSighting, Store
from support import builtin_knowledge


def _mention(**entity: object) -> ActorMention:
    values = {"text": str(entity.get("name", "x")), **entity}
    return ActorMention(
        entity=Entity.model_validate(values), sentence=0, token_start=0, token_end=1, head=0
    )


def _sighting(
    doc: str, name: str, country: str, sector: str, when: date, title: str = "Minister"
) -> ActorSighting:
    return ActorSighting(
        doc_source="T",
        doc_id=doc,
        name=name,
        name_key=normalize_name(name),
        title=title,
        country=country,
        sector=sector,
        published=when,
    )


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as opened:
        yield opened


def test_sightings_keep_only_titled_people_with_a_country_or_org() -> None:
    document = Document(id="d1", source="T", published=date(2018, 4, 2), body="...")
    mentions = [
        _mention(name="Halvard Prestmoen", kind="person", country="NOR", sector="GOV", role="FM"),
        _mention(name="Halvard Prestmoen", kind="person", country="NOR", sector="GOV", role="FM"),
        _mention(name="Ines Valcourt", kind="person"),  # bare: nothing to learn
        _mention(name="Abu Tarek", kind="person", sector="REB", org="Shadow Front", role="leader"),
        _mention(name="Norway", kind="state", country="NOR", sector="GOV"),
        _mention(name="Olaf Brede", kind="person", country="NOR"),  # a nationality, no title
    ]
    found = sightings_in(document, mentions)
    assert [(s.name, s.country, s.org) for s in found] == [
        ("Abu Tarek", None, "Shadow Front"),
        ("Halvard Prestmoen", "NOR", None),
    ]
    assert found[1].published == date(2018, 4, 2) and found[1].doc_id == "d1"


def test_aggregation_is_the_same_in_any_order() -> None:
    sightings = [
        _sighting(f"d{i}", name, country, sector, date(2018, 1 + i % 12, 1 + i % 27))
        for i, (name, country, sector) in enumerate(
            [("Halvard Prestmoen", "NOR", "GOV"), ("Kaarel Tammsaare", "EST", "GOV")] * 10
            + [("Kaarel Tammsaare", "EST", "MIL"), ("Halvard  Prestmoen", "NOR", "GOV")]
        )
    ]
    expected = aggregate_sightings(sightings)
    rng = random.Random(4)
    for _ in range(5):
        shuffled = sightings[:]
        rng.shuffle(shuffled)
        assert aggregate_sightings(shuffled) == expected
    assert len(expected) == 3


def test_conflicting_codes_keep_their_own_dates_and_counts() -> None:
    sightings = [
        _sighting("a", "Kaarel Tammsaare", "EST", "GOV", date(2017, 2, 1), "Foreign Minister"),
        _sighting("b", "Kaarel Tammsaare", "EST", "GOV", date(2017, 9, 1), "Foreign Minister"),
        _sighting("c", "Kaarel Tammsaare", "EST", "GOV", date(2017, 5, 1), "minister"),
        _sighting("d", "Kaarel Tammsaare", "EST", "MIL", date(2019, 3, 1), "army chief"),
    ]
    gov, mil = aggregate_sightings(sightings)
    assert (gov.sector, gov.start, gov.end, gov.n_documents) == (
        "GOV",
        date(2017, 2, 1),
        date(2017, 9, 1),
        3,
    )
    assert gov.title == "Foreign Minister" and gov.provenance == "T/a, T/b, T/c"
    assert (mil.sector, mil.start, mil.end, mil.n_documents) == (
        "MIL",
        date(2019, 3, 1),
        date(2019, 3, 1),
        1,
    )
    assert aggregate_sightings(sightings, forgotten=["KAAREL TAMMSAARE"]) == []


def test_relearning_a_document_replaces_its_sightings(store: Store) -> None:
    first = [_sighting("a", "Kaarel Tammsaare", "EST", "GOV", date(2017, 2, 1))]
    store.replace_actor_sightings([("T", "a")], first)
    store.replace_actor_sightings([("T", "a")], first)
    (record,) = refresh_learned(store)
    assert record.n_documents == 1 and record.source == "learned"
    assert len(store.actor_roles(source="learned")) == 1
    store.forget_actor("Kaarel Tammsaare", "kaarel tammsaare")
    assert refresh_learned(store) == []


# ---------------------------------------------------------------- with the real model

DOCUMENTS = [
    Document(
        id="a",
        source="T",
        published=date(2018, 3, 1),
        body="Norwegian Foreign Minister Halvard Prestmoen said on Monday that Oslo would "
        "send aid to Yemen.",
    ),
    Document(
        id="b",
        source="T",
        published=date(2018, 4, 2),
        body="Halvard Prestmoen met Iraqi officials in Baghdad on Tuesday to discuss aid.",
    ),
    Document(
        id="c",
        source="T",
        published=date(2018, 5, 2),
        body="The Estonian foreign minister, Kaarel Tammsaare, criticised Moscow on Friday.",
    ),
]


@pytest.fixture
def pipeline(nlp):  # the session's model (conftest), under the name these tests use
    return nlp


@pytest.mark.slow
def test_learning_pass_is_order_free_and_codes_bare_mentions(pipeline) -> None:
    tables = []
    for order in (DOCUMENTS, DOCUMENTS[::-1], [DOCUMENTS[1], DOCUMENTS[2], DOCUMENTS[0]]):
        with Store.open(":memory:") as store:
            report = learn_documents(store, order, builtin_knowledge(), Settings(batch_size=2))
            rows = [r.model_dump(exclude={"id"}) for r in store.actor_roles()]
            tables.append(rows)
            kb = ActorKnowledge.from_store(store, builtin_knowledge())
    assert tables[0] == tables[1] == tables[2]
    assert report.documents == 3 and report.names == 2
    # document b names Prestmoen bare: only the story's country (Iraq, where he is) without
    # corpus memory, Norway's GOV with it
    bare = nlp.parse(DOCUMENTS[1], pipeline)

    def person(mentions: list[ActorMention]) -> Entity:
        return next(m.entity for m in mentions if m.entity.name == "Halvard Prestmoen")

    alone = person(actors.extract_actors(bare, knowledge=builtin_knowledge()))
    assert (alone.country, alone.sector) == ("IRQ", None)
    coded = person(actors.extract_actors(bare, knowledge=builtin_knowledge().with_actors(kb)))
    assert (coded.country, coded.sector) == ("NOR", "GOV")


@pytest.mark.slow
def test_learn_store_reads_stored_documents(store: Store) -> None:
    for document in DOCUMENTS:
        store.save(CodedDocument(document=document))
    report = learn_store(store, builtin_knowledge())
    assert report.documents == 3
    names = {r.name for r in store.actor_roles(source="learned")}
    assert names == {"Halvard Prestmoen", "Kaarel Tammsaare"}
