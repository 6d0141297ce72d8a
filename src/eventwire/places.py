"""Event places: where the text locates an event, and that place's coordinates.

A sentence names many places; few of them are where the event happened. "Met ... in
Moscow" locates; "sent advisers to Syria" names a destination and "discussed developments
in Syria" a topic. This stage reads our records only (no spaCy): the place mentions NER
found in the event's sentence, with the preposition before each. Rules:

1. a place introduced by a locating preposition ("in", "at", "near"...), not a topic, the
   nearest to the trigger (after it preferred); else a dateline opening the sentence;
2. a phrase that names the scene ("during the visit") inherits the scene's place;
3. an event in the perfect ("has sent") with no place of its own gets none: it is
   background, not part of the scene;
4. otherwise an event inherits the place the scene was last set at, if any.

Coordinates come from ``eventwire.gazetteer`` (offline GeoNames tables); ``geocode`` and
``name_key`` are re-exported here for the callers that knew them from this module.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire import knowledge
from eventwire.dates import scene_phrase
from eventwire.gazetteer import geocode, name_key
from eventwire.models import EventCandidate, Location, PlaceMention, Sentence

log = logging.getLogger(__name__)

__all__ = [
    "dateline_place",
    "geocode",
    "locates",
    "name_key",
    "resolve_event_place",
    "resolve_places",
]

KNOWLEDGE_FILE = "places.yaml"
SENTENCE_OPENING = 12
"""Characters from a sentence's start within which a place opens it ("In Moscow, ...")."""


# --- knowledge ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    locating: frozenset[str]
    inferred_preposition: re.Pattern[str]
    topic: re.Pattern[str]
    clause_break: re.Pattern[str]
    datelines: tuple[re.Pattern[str], ...]


def _words(words: Sequence[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@lru_cache(maxsize=4)
def _compile(path: Path, mtime: float) -> _Rules:
    """Build the rules once per version of the file (the path and mtime key the cache)."""
    data: dict[str, Any] = knowledge.load_yaml(KNOWLEDGE_FILE)
    locating = [str(p).lower() for p in data["locating_prepositions"]]
    # "in the Syrian capital Damascus", "near the town of Idlib", "in northern Syria": a
    # locating preposition, then only area words or capitalised words up to the place.
    inferred = re.compile(
        rf"(?i:\b(?P<prep>{_words(locating)}))\s+(?i:the\s+)?"
        rf"(?:(?:(?i:{_words(data['area_words'])})|[A-Z][\w'’.-]*)\s+){{0,3}}(?i:of\s+)?$"
    )
    topic = re.compile(rf"\b(?:{_words(data['topic_nouns'])})\s*$", re.IGNORECASE)
    return _Rules(
        locating=frozenset(locating),
        inferred_preposition=inferred,
        topic=topic,
        clause_break=re.compile(
            "|".join(f"(?:{p})" for p in data.get("clause_breaks", ())) or r"(?!x)x",
            re.IGNORECASE,
        ),
        datelines=tuple(re.compile(p) for p in data.get("datelines", ())),
    )


def _rules() -> _Rules:
    path = knowledge.knowledge_path(KNOWLEDGE_FILE)
    return _compile(path, path.stat().st_mtime)


# --- which place locates the event ---------------------------------------------------------


def _preposition(place: PlaceMention, sentence: Sentence, rules: _Rules) -> str | None:
    """The locating preposition before a place: NER's own, or read over area words."""
    if place.preposition and place.preposition.lower() in rules.locating:
        return place.preposition.lower()
    before = sentence.text[: max(place.start - sentence.start, 0)]
    match = rules.inferred_preposition.search(before)
    return match.group("prep").lower() if match else None


def locates(place: PlaceMention, sentence: Sentence) -> bool:
    """Whether the sentence says something happened at this place (not to, about, from it)."""
    rules = _rules()
    preposition = _preposition(place, sentence, rules)
    if preposition is None:
        return False
    before = sentence.text[: max(place.start - sentence.start, 0)]
    # the preposition is its last occurrence before the place; a topic noun comes just before
    occurrences = list(re.finditer(rf"\b{re.escape(preposition)}\b", before, re.IGNORECASE))
    if not occurrences:
        return True
    return rules.topic.search(before[: occurrences[-1].start()]) is None


def _rank(place: PlaceMention, candidate: EventCandidate, rules: _Rules) -> tuple[int, int]:
    """Order of preference among locating places: (group, distance to the trigger).

    After the trigger first ("met ... in Moscow"), then one opening the sentence ("In
    Moscow, ..."), then others before it; last, one after the trigger but across a relative
    clause ("..., who lives in Graz"), which is about someone else.
    """
    trigger, sentence = candidate.trigger, candidate.sentence
    if place.start >= trigger.end:
        between = sentence.text[trigger.end - sentence.start : place.start - sentence.start]
        breaks = list(rules.clause_break.finditer(between))
        # inside the clause unless a comma closed it ("..., who lives in Graz, at a ...")
        inside = bool(breaks) and "," not in between[breaks[-1].end() :]
        group = 3 if inside else 0
        return group, place.start - trigger.end
    if place.end <= trigger.start:
        group = 1 if place.start - sentence.start <= SENTENCE_OPENING else 2
        return group, trigger.start - place.end
    return 0, 0


def _located(name: str) -> Location:
    return geocode(name) or Location(name=name)


def dateline_place(sentence: Sentence) -> Location | None:
    """The place of a wire dateline opening the sentence ("KABUL (Reuters) -"), if known."""
    for pattern in _rules().datelines:
        match = pattern.match(sentence.text)
        if match:
            found = geocode(match.group("place").title(), alternates=False)
            if found is not None:
                return found
    return None


def resolve_event_place(
    candidate: EventCandidate, previous: Location | None = None
) -> Location | None:
    """The place of one event; ``previous`` is where the document's scene was last set."""
    sentence = candidate.sentence
    located = [p for p in sentence.places if locates(p, sentence)]
    if located:
        rules = _rules()
        nearest = min(located, key=lambda p: _rank(p, candidate, rules))
        return _located(nearest.text)
    dateline = dateline_place(sentence)
    if dateline is not None:
        return dateline
    if previous is not None and scene_phrase(sentence.text) == "anchoring":
        return previous
    if candidate.tense == "perfect":
        return None
    return previous


def resolve_places(candidates: Sequence[EventCandidate]) -> list[Location | None]:
    """Places for a document's candidates in order, carrying the scene from one to the next.

    Events in the perfect are background and never move the scene.
    """
    scene: Location | None = None
    out: list[Location | None] = []
    for candidate in candidates:
        place = resolve_event_place(candidate, scene)
        if candidate.tense != "perfect" and place is not None:
            scene = place
        out.append(place)
    return out
