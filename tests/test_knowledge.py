"""Knowledge: built once from Settings, every file checked on load, user files replace built-in
ones, derived tables belong to the object (no module caches), and a user folder reaches every
stage through the Python API (#7)."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest
import yaml

from eventwire import actors, codebook, events
from eventwire.errors import KnowledgeError
from eventwire.knowledge import BUILTIN_DIR, Knowledge
from eventwire.knowledge.schemas import SCHEMAS
from eventwire.models import Document
from eventwire.pipeline import code_document
from eventwire.settings import Settings
from support import builtin_knowledge


def _copy_with(tmp_path: Path, name: str, edit: str, replacement: str) -> Path:
    """A user folder holding the built-in ``name`` with ``edit`` replaced (which must occur)."""
    text = (BUILTIN_DIR / name).read_text(encoding="utf-8")
    assert edit in text, f"{name} no longer holds {edit!r}: update the test"
    (tmp_path / name).write_text(text.replace(edit, replacement, 1), encoding="utf-8")
    return tmp_path


def test_every_shipped_file_has_a_schema_and_passes_it() -> None:
    shipped = {p.name for p in BUILTIN_DIR.iterdir() if p.suffix in (".yaml", ".csv")}
    assert shipped == set(SCHEMAS)
    knowledge = Knowledge()
    for name in shipped:
        assert knowledge.yaml(name) is not None or name == "people_local.yaml", name


def test_every_builtin_csv_file_has_rows() -> None:
    rows = builtin_knowledge().csv("countries.csv")
    assert len(rows) > 190
    assert all(None not in row for row in rows)


def test_from_settings_reads_the_settings_folder(tmp_path: Path) -> None:
    _copy_with(
        tmp_path,
        "plover.yaml",
        "CONSULT:\n    quad: verbal_cooperation\n    score: 2.5",
        "CONSULT:\n    quad: verbal_cooperation\n    score: 3.25",
    )
    knowledge = Knowledge.from_settings(Settings(knowledge_dir=tmp_path))
    assert knowledge.directory == tmp_path
    assert knowledge.path("plover.yaml") == tmp_path / "plover.yaml"
    assert knowledge.path("triggers.yaml") == BUILTIN_DIR / "triggers.yaml"
    assert Knowledge.from_settings(Settings()).directory is None


@pytest.mark.parametrize(
    ("name", "edit", "replacement", "message"),
    [
        # an unknown key used to switch a trigger off silently
        (
            "triggers.yaml",
            "    recipient_preps: [with, between]\n    examples:\n      - The Iranian",
            "    recipient_prep: [with, between]\n    examples:\n      - The Iranian",
            r"triggers\.yaml: unknown key 'triggers\[\d+\] \(meet\)\.recipient_prep'",
        ),
        (
            "triggers.yaml",
            '    type: CONSULT\n    cameo: "040"',
            '    type: CONSUL\n    cameo: "040"',
            r"triggers\.yaml: triggers\[\d+\] \(meet\)\.type: Input should be 'AGREE'",
        ),
        (
            "triggers.yaml",
            "  scope_max_depth: 5",
            "  scope_max_depth: deep",
            r"triggers\.yaml: settings\.scope_max_depth: Input should be a valid integer",
        ),
        (
            "plover.yaml",
            "CONSULT:\n    quad: verbal_cooperation\n    score: 2.5",
            "CONSULT:\n    quad: verbal_cooperation\n    score: 25",
            r"plover\.yaml: types\.CONSULT\.score: Input should be less than or equal to 10",
        ),
        (
            "organisations.yaml",
            "{name: United Nations, aliases:",
            "{name: United Nations, alias:",
            r"organisations\.yaml: unknown key 'organisations\[0\] \(United Nations\)\.alias'",
        ),
        (
            "people_heads.yaml",
            "  roles:\n",
            "  role:\n",
            r"people_heads\.yaml: unknown key '\[0\] \(Barack Obama\)\.role'",
        ),
    ],
)
def test_a_bad_key_or_value_names_the_file_and_the_key(
    tmp_path: Path, name: str, edit: str, replacement: str, message: str
) -> None:
    _copy_with(tmp_path, name, edit, replacement)
    with pytest.raises(KnowledgeError, match=message):
        Knowledge(tmp_path)


def test_malformed_yaml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "sectors.yaml").write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"sectors\.yaml: not valid YAML"):
        Knowledge(tmp_path)


def test_csv_with_extra_field_names_the_row(tmp_path: Path) -> None:
    text = (BUILTIN_DIR / "countries.csv").read_text(encoding="utf-8")
    (tmp_path / "countries.csv").write_text(text + "XXX,Nowhere,,,,,extra\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"countries\.csv: row \d+ has more fields"):
        Knowledge(tmp_path)


def test_a_file_without_a_schema_cannot_be_read() -> None:
    with pytest.raises(KnowledgeError, match=r"no-such-file\.yaml"):
        builtin_knowledge().yaml("no-such-file.yaml")


def test_derived_tables_belong_to_their_knowledge(tmp_path: Path) -> None:
    first, second = Knowledge(), Knowledge()
    assert events.rules_of(first) is events.rules_of(first)
    assert events.rules_of(first) is not events.rules_of(second)
    assert actors.lexicon_of(first) is actors.lexicon_of(first)
    # a changed file in another folder is seen by a new Knowledge, the old one is untouched
    _copy_with(
        tmp_path,
        "plover.yaml",
        "CONSULT:\n    quad: verbal_cooperation\n    score: 2.5",
        "CONSULT:\n    quad: verbal_cooperation\n    score: 3.25",
    )
    edited = Knowledge(tmp_path)
    assert codebook.of(edited).score(events.EventType.CONSULT) == 3.25
    assert codebook.of(first).score(events.EventType.CONSULT) == 2.5


def test_knowledge_pickles_with_its_files_and_rebuilds_derived_tables(tmp_path: Path) -> None:
    _copy_with(
        tmp_path,
        "plover.yaml",
        "CONSULT:\n    quad: verbal_cooperation\n    score: 2.5",
        "CONSULT:\n    quad: verbal_cooperation\n    score: 3.25",
    )
    knowledge = Knowledge(tmp_path)
    events.rules_of(knowledge)
    copy = pickle.loads(pickle.dumps(knowledge))
    assert copy.directory == tmp_path
    assert copy.yaml("plover.yaml") == knowledge.yaml("plover.yaml")
    assert codebook.of(copy).score(events.EventType.CONSULT) == 3.25
    assert events.rules_of(copy).rules == events.rules_of(knowledge).rules


def _user_folder(tmp_path: Path) -> Path:
    """A knowledge folder that changes what every stage knows, with invented names."""
    _copy_with(
        tmp_path,
        "organisations.yaml",
        "organisations:\n",
        "organisations:\n  - {name: Quorvak Council, aliases: [QC], sector: IGO,"
        " kind: organisation, country: null}\n",
    )
    _copy_with(
        tmp_path, "triggers.yaml", "lemmas: [meet, confer]", "lemmas: [meet, confer, parley]"
    )
    _copy_with(
        tmp_path,
        "plover.yaml",
        "CONSULT:\n    quad: verbal_cooperation\n    score: 2.5",
        "CONSULT:\n    quad: verbal_cooperation\n    score: 3.25",
    )
    _copy_with(
        tmp_path,
        "places.yaml",
        "regions:\n",
        "regions:\n  - {name: Vexmoor, aliases: [vexmoor], country: NOR, lat: 60.5, lon: 8.25}\n",
    )
    _copy_with(tmp_path, "time_expressions.yaml", "  weekday:\n", "  weekday:\n    quorsday: 2\n")
    people = [
        {
            "name": "Ilvar Tostrup",
            "variants": ["Tostrup"],
            "roles": [{"title": "Foreign Minister", "country": "NOR", "sector": "GOV",
                       "start": date(2018, 1, 1), "end": None}],
        }
    ]  # fmt: skip
    (tmp_path / "people_local.yaml").write_text(yaml.safe_dump(people), encoding="utf-8")
    return tmp_path


@pytest.mark.slow
def test_a_knowledge_folder_reaches_every_stage_through_the_python_api(tmp_path: Path) -> None:
    """Settings(knowledge_dir=...) -> Knowledge -> code_document: actors, events, codebook,
    places and the people index all read the user's files; the built-in knowledge, used in
    the same process before and after, is not touched (no hidden state)."""
    text = "Tostrup parleyed with the Quorvak Council in Vexmoor on Quorsday."
    document = Document(id="k", body=text, published=date(2019, 3, 9))  # a Saturday
    settings = Settings(knowledge_dir=_user_folder(tmp_path))

    before = code_document(document, builtin_knowledge(), Settings())
    assert before.events == []  # nothing here is known to the built-in files

    coded = code_document(document, Knowledge.from_settings(settings), settings)
    (event,) = coded.events
    assert event.type is events.EventType.CONSULT  # events: the user's trigger
    assert event.plover_score == 3.25  # codebook: the user's score
    # a meeting is between equals: both parties are actors
    coded_actors = {(e.text, e.country, e.sector) for e in event.actor}
    assert ("Tostrup", "NOR", "GOV") in coded_actors  # the people index: the user's person
    assert ("Quorvak Council", None, "IGO") in coded_actors  # actors: the user's organisation
    assert event.location is not None and event.location.name == "Vexmoor"  # places
    assert (event.location.lat, event.location.lon) == (60.5, 8.25)
    assert event.date == date(2019, 3, 6)  # dates: the user's weekday (Wednesday, 2)

    after = code_document(document, builtin_knowledge(), Settings())
    assert after.events == []
