"""Time expressions: the patterns of ``time_expressions.yaml``, compiled, and found in text.

What a sentence says about time, before any date is worked out: ``find_time_expressions``
reads a sentence (our patterns over its text, spaCy's DATE/TIME spans vouching for doubtful
words) and ``scene_phrase`` tells whether a text ties itself to the scene set before it.
``dates`` resolves what is found here against the publication date.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from eventwire.errors import KnowledgeError
from eventwire.knowledge import Knowledge
from eventwire.models import Sentence

log = logging.getLogger(__name__)

KNOWLEDGE_FILE = "time_expressions.yaml"

SceneStrength = Literal["anchoring", "continuing"]

_PLACEHOLDER = re.compile(r"\{([a-z][a-z_]*)\}")


@dataclass(frozen=True)
class _Pattern:
    name: str
    kind: str
    regex: re.Pattern[str]
    trust_spacy: bool
    future_only: bool
    requires_any: tuple[str, ...]
    params: Mapping[str, Any]


@dataclass(frozen=True)
class TimeKnowledge:
    """The data file compiled: patterns, vocabulary, scene phrases, bounds, portions."""

    patterns: tuple[_Pattern, ...]
    vocabulary: Mapping[str, Mapping[str, Any]]
    anchoring: tuple[re.Pattern[str], ...]
    continuing: tuple[re.Pattern[str], ...]
    bound: re.Pattern[str]
    portions: Mapping[str, Mapping[str, tuple[int, int]]]


@dataclass(frozen=True)
class TimeExpression:
    """A time expression found in a sentence (offsets in the document body)."""

    text: str
    start: int
    end: int
    kind: str
    pattern: str
    groups: Mapping[str, str]
    params: Mapping[str, Any]
    future_only: bool = False


# --- knowledge ----------------------------------------------------------------------------


def _alternation(words: Sequence[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


def _expand(regex: str, vocabulary: Mapping[str, Mapping[str, Any]]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in vocabulary:
            raise KnowledgeError(f"{KNOWLEDGE_FILE}: unknown placeholder {{{name}}} in {regex!r}")
        alternation = _alternation(list(vocabulary[name]))
        if name == "number":
            return rf"(?:\d{{1,3}}|{alternation})"
        return alternation

    return _PLACEHOLDER.sub(replace, regex)


def _compile(knowledge: Knowledge) -> TimeKnowledge:
    data = knowledge.yaml(KNOWLEDGE_FILE)
    vocabulary: dict[str, dict[str, Any]] = {}
    for name, words in data["vocabulary"].items():
        odd = [k for k in words if not isinstance(k, str)]
        if odd:
            # YAML reads a bare on/off/yes/no as a boolean: such words must be quoted
            raise KnowledgeError(f"{KNOWLEDGE_FILE}: vocabulary {name!r} has non-text keys {odd}")
        vocabulary[name] = {k.lower(): v for k, v in words.items()}
    patterns = []
    for entry in data["expressions"]:
        try:
            regex = re.compile(_expand(entry["regex"], vocabulary), re.IGNORECASE)
        except re.error as exc:
            raise KnowledgeError(
                f"{KNOWLEDGE_FILE}: bad regex in {entry['name']!r}: {exc}"
            ) from exc
        params = {
            k: v
            for k, v in entry.items()
            if k not in {"name", "kind", "regex", "trust", "tense", "requires_any"}
        }
        patterns.append(
            _Pattern(
                name=entry["name"],
                kind=entry["kind"],
                regex=regex,
                trust_spacy=entry.get("trust") == "spacy",
                future_only=entry.get("tense") == "future",
                requires_any=tuple(entry.get("requires_any", ())),
                params=params,
            )
        )
    scene = data.get("scene", {})
    bounds = [str(word) for word in data.get("bounds", ())]
    portions = {
        unit: {name: (int(v[0]), int(v[1])) for name, v in parts.items()}
        for unit, parts in data.get("portions", {}).items()
    }
    return TimeKnowledge(
        patterns=tuple(patterns),
        vocabulary=vocabulary,
        anchoring=tuple(re.compile(p, re.IGNORECASE) for p in scene.get("anchoring", ())),
        continuing=tuple(re.compile(p, re.IGNORECASE) for p in scene.get("continuing", ())),
        bound=re.compile(rf"\b{_alternation(bounds)}\s+$", re.IGNORECASE)
        if bounds
        else re.compile("(?!)"),
        portions=portions,
    )


def time_knowledge(knowledge: Knowledge) -> TimeKnowledge:
    """The compiled time expressions of ``knowledge`` (built once per Knowledge)."""
    return knowledge.derived("dates.expressions", _compile)


# --- finding expressions -----------------------------------------------------------------


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def find_time_expressions(sentence: Sentence, *, knowledge: Knowledge) -> list[TimeExpression]:
    """Time expressions in a sentence, non-overlapping, in text order.

    Our patterns run over the sentence text; spaCy's DATE/TIME spans vouch for matches of
    words that are often not dates ("May"). Where matches overlap the longest one wins.
    Deadlines and bounds ("by Friday", "until 2025") are left out.
    """
    kb = time_knowledge(knowledge)
    found: list[tuple[int, int, TimeExpression]] = []
    for order, pattern in enumerate(kb.patterns):
        for match in pattern.regex.finditer(sentence.text):
            if match.end() == match.start():
                continue
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            if pattern.requires_any and not any(g in groups for g in pattern.requires_any):
                continue
            if kb.bound.search(sentence.text[: match.start()]):
                continue
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if pattern.trust_spacy and not any(
                overlaps(start, end, t.start, t.end) for t in sentence.times
            ):
                continue
            expression = TimeExpression(
                text=match.group(0),
                start=start,
                end=end,
                kind=pattern.kind,
                pattern=pattern.name,
                groups={k: v.lower() for k, v in groups.items()},
                params=pattern.params,
                future_only=pattern.future_only,
            )
            found.append((end - start, order, expression))
    chosen: list[TimeExpression] = []
    for _, _, expression in sorted(found, key=lambda item: (-item[0], item[1])):
        if not any(overlaps(expression.start, expression.end, c.start, c.end) for c in chosen):
            chosen.append(expression)
    chosen.sort(key=lambda e: e.start)
    for span in sentence.times:
        if not any(overlaps(span.start, span.end, c.start, c.end) for c in chosen):
            log.debug("no pattern reads NER time span %r", span.text)
    return chosen


def scene_phrase(text: str, *, knowledge: Knowledge) -> SceneStrength | None:
    """Whether ``text`` ties itself to the scene set before it, and how strongly."""
    kb = time_knowledge(knowledge)
    if any(p.search(text) for p in kb.anchoring):
        return "anchoring"
    if any(p.search(text) for p in kb.continuing):
        return "continuing"
    return None
