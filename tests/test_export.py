"""Export formats: each one written from hand-built events and read back."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from event_builders import event
from eventwire.export import (
    FLAT_COLUMNS,
    FORMATS,
    GDELT_COLUMNS,
    ExportError,
    _flat,
    format_for_path,
    write_events,
)
from eventwire.models import Entity, Event, EventType, Evidence, Location, QuadClass

IRN = Entity(text="Tehran", name="Iran", country="IRN", sector="GOV")
RUS = Entity(text="Lavrov", name="Sergei Lavrov", country="RUS", sector="GOV", kind="person")
POLICE = Entity(text="police", country="SYR", country_from_context=True, sector="COP", kind="group")
UN = Entity(text="the UN", name="United Nations", sector="IGO", org="UN", kind="organisation")

MEETING = event(
    EventType.CONSULT,
    [IRN],
    [RUS, UN],
    doc_id="ava-1",
    event_id="ava-1-e0",
    source="AVA",
    mode="visit",
    context=["diplomatic", "security"],
    cameo="042",
    plover_score=1.9,
    date=date(2024, 3, 5),
    location=Location(name="Moscow", country="RUS", lat=55.75, lon=37.62),
    evidence=Evidence(
        sentence="Iran's minister met\tLavrov and the UN envoy in Moscow, officials said.",
        start=120,
        end=190,
        trigger="met",
        trigger_start=136,
        trigger_end=139,
    ),
    confidence=0.8,
)
UNDATED = event(
    EventType.ASSAULT,
    doc_id="ava-2",
    event_id="ava-2-e0",
    date_start=date(2024, 2, 1),
    date_end=date(2024, 2, 29),
    sentence="Shelling hit the town.",
)
EVENTS = [MEETING, UNDATED]


def render(fmt: str, events: list[Event] = EVENTS) -> str:
    buffer = io.StringIO()
    assert write_events(iter(events), fmt, buffer) == len(events)
    return buffer.getvalue()


def test_formats_constant() -> None:
    assert FORMATS == ("jsonl", "csv", "tsv-gdelt", "parquet", "table")


def test_unknown_format() -> None:
    with pytest.raises(ExportError, match="jsonl"):
        write_events(EVENTS, "xml", io.StringIO())


def test_jsonl_round_trips() -> None:
    lines = render("jsonl").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["actor"][0]["country"] == "IRN"
    assert first["location"]["name"] == "Moscow"
    assert [Event.model_validate_json(line) for line in lines] == EVENTS


def test_csv_is_flat() -> None:
    rows = list(csv.DictReader(io.StringIO(render("csv"))))
    assert tuple(rows[0]) == FLAT_COLUMNS
    meeting, undated = rows
    assert meeting["recipient"] == "RUS;IGO"
    assert meeting["recipient_country_from_context"] == "false;false"
    assert meeting["recipient_name"] == "Sergei Lavrov;United Nations"
    assert meeting["context"] == "diplomatic;security"
    assert meeting["evidence"] == MEETING.evidence.sentence
    assert (meeting["evidence_start"], meeting["evidence_end"]) == ("120", "190")
    assert (meeting["location_lat"], meeting["date"]) == ("55.75", "2024-03-05")
    assert undated["actor"] == "" and undated["date"] == ""
    assert undated["date_start"] == "2024-02-01"
    assert undated["date_is_publication"] == "false"


def test_a_country_guessed_from_the_context_is_marked_in_flat_exports() -> None:
    guessed = MEETING.model_copy(update={"actor": [IRN, POLICE]})
    (row,) = csv.DictReader(io.StringIO(render("csv", [guessed])))
    assert (row["actor_country"], row["actor_country_from_context"]) == ("IRN;SYR", "false;true")


def test_flat_columns_match_the_builder() -> None:
    assert tuple(_flat(MEETING)) == FLAT_COLUMNS


def test_tsv_gdelt_is_dyadic() -> None:
    lines = render("tsv-gdelt").splitlines()
    assert lines[0].split("\t") == list(GDELT_COLUMNS)
    rows = [dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]
    # IRN with two recipients: two dyads; the undated assault: one row with no actors.
    assert [row["GLOBALEVENTID"] for row in rows] == ["ava-1-e0-1", "ava-1-e0-2", "ava-2-e0"]
    first, second, third = rows
    assert first["SQLDATE"] == "20240305"
    assert (first["Actor1Code"], first["Actor1CountryCode"], first["Actor1Type1Code"]) == (
        "IRNGOV",
        "IRN",
        "GOV",
    )
    assert first["Actor2Name"] == "Sergei Lavrov"
    assert (second["Actor2Code"], second["Actor2CountryCode"]) == ("IGO", "")
    assert (first["EventCode"], first["EventBaseCode"], first["EventRootCode"]) == (
        "042",
        "042",
        "04",
    )
    assert (first["QuadClass"], third["QuadClass"]) == ("1", "4")
    assert first["GoldsteinScale"] == "1.9"
    assert (first["ActionGeo_FullName"], first["ActionGeo_Lat"]) == ("Moscow", "55.75")
    assert first["SOURCEURL"] == "ava-1"
    assert third["SQLDATE"] == "20240201"
    assert third["Actor1Code"] == ""


def test_table_is_fixed_width() -> None:
    lines = render("table").splitlines()
    assert lines[0].startswith("TYPE")
    assert "CONSULT" in lines[2] and "IRN" in lines[2] and "RUS,IGO" in lines[2]
    assert "Moscow" in lines[2]
    # Long evidence is cut, tabs flattened; columns line up.
    assert "…" in lines[2] and "\t" not in lines[2]
    assert lines[2].index("2024-03-05") == lines[3].index("2024-02-01")


def test_streams_without_building_a_list() -> None:
    taken: list[int] = []

    def events() -> Iterator[Event]:
        for n in range(3):
            taken.append(n)
            yield MEETING

    class Probe(io.StringIO):
        def write(self, text: str) -> int:
            self.seen_at_first_write = self.__dict__.setdefault("seen_at_first_write", len(taken))
            return super().write(text)

    for fmt in ("jsonl", "csv"):
        taken.clear()
        probe = Probe()
        write_events(events(), fmt, probe)
        assert probe.seen_at_first_write <= 1, fmt


def test_writes_to_paths_and_binary_streams(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_events(EVENTS, "csv", path)
    assert path.read_text(encoding="utf-8").startswith("event_id,")
    binary = io.BytesIO()
    write_events(EVENTS, "jsonl", binary)
    assert not binary.closed
    assert binary.getvalue().decode("utf-8").count("\n") == 2


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.jsonl", "jsonl"), ("a.CSV", "csv"), ("a.tsv", "tsv-gdelt"), ("a.parquet", "parquet")],
)
def test_format_for_path(name: str, fmt: str) -> None:
    assert format_for_path(name) == fmt
    assert format_for_path("a.xml") is None


def test_parquet_round_trip(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    assert write_events(iter(EVENTS), "parquet", path) == 2
    table = pq.read_table(path)
    assert tuple(table.column_names) == FLAT_COLUMNS
    rows = table.to_pylist()
    assert rows[0]["recipient"] == ["RUS", "IGO"]
    assert rows[0]["date"] == date(2024, 3, 5)
    assert rows[1]["location_lat"] is None


def test_parquet_refuses_text_streams() -> None:
    pytest.importorskip("pyarrow")
    with pytest.raises(ExportError, match="binary"):
        write_events(EVENTS, "parquet", io.StringIO())


def test_parquet_without_pyarrow_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("pyarrow"):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    path = tmp_path / "x.parquet"
    with pytest.raises(ExportError, match=r"pip install 'eventwire\[parquet\]'"):
        write_events(EVENTS, "parquet", path)
    assert not path.exists()


def test_table_shows_days_ranges_open_ends_and_publication_fallback() -> None:
    import io
    from datetime import date as _d

    from eventwire.export import write_events
    from eventwire.models import Event, EventType, Evidence

    def make(**dates: object) -> Event:
        return Event(
            doc_id="t",
            event_id=f"ev-{len(dates)}{sorted(dates)}",
            type=EventType.CONSULT,
            quad_class=QuadClass.VERBAL_COOPERATION,
            evidence=Evidence(sentence="They met.", start=0, end=9),
            **dates,
        )

    out = io.StringIO()
    write_events(
        [
            make(date=_d(2020, 5, 4), date_start=_d(2020, 5, 4), date_end=_d(2020, 5, 4)),
            make(date=_d(2020, 5, 4), date_is_publication=True),
            make(date_start=_d(2020, 5, 1), date_end=_d(2020, 5, 4)),
            make(date_end=_d(2020, 5, 4)),
        ],
        "table",
        out,
    )
    rows = out.getvalue().splitlines()[2:]
    assert rows[0].split()[1] == "2020-05-04"
    assert rows[1].split()[1] == "2020-05-04*"
    assert rows[2].split()[1] == "2020-05-01..2020-05-04"
    assert rows[3].split()[1] == "..2020-05-04"
