"""Actor mentions: who in the body is a state, person, organisation, group or population.

Finds countries (names, aliases, capitals, seats of government), organisations and armed
groups, named people with the titles the text gives them, role noun phrases ("Russian military
officials", "Hungarian and Romanian officials" -> one actor per country), other noun phrases
a country or role word modifies ("Israeli tanks", "opposition groups"), demonyms used as nouns
("the Chinese"), towns the gazetteer knows, and references back to them (surnames, "the Iranian
diplomat", "he", "the two countries"), and codes each as an ``Entity`` (ISO alpha-3 country,
PLOVER sector). Actors with a sector but no country ("police", "rebels") take the country the
sentence or document is about (see ``_context_country``).

Every word list lives in ``knowledge/`` (countries.csv, government_seats.yaml, sectors.yaml,
organisations.yaml, actor_references.yaml); this module holds only the mechanism. Matchers are
built once per vocabulary and cached. All mentions are returned, locations included: deciding who
acts is the events stage's job.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from eventwire import actorkb, knowledge
from eventwire.errors import EventwireError
from eventwire.gazetteer import geocode
from eventwire.models import ActorMention, Entity, EntityKind

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

    from eventwire.nlp import ParsedDocument

log = logging.getLogger(__name__)

REFERENCE_WINDOW = 12
"""How many sentences back a description or pronoun looks for its antecedent."""
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
NOUN_POS = frozenset({"NOUN", "PROPN"})
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
POSSESSIVE = frozenset({"'s", "’s", "'"})
QUOTES = frozenset({'"', "“", "”", "``", "''"})
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj"})
HYPHENS = frozenset({"-", "‐", "–"})
NOT_NAMES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
"""Entity labels whose words are never a person's name ("in May", "March 8")."""
MAX_NAME_WORDS = 6
"""Longest run of words (hyphens included) read as one known person's name."""
MAX_TITLE_WORDS_BEFORE_NAME = 2
"""Capitalised words the knowledge may skip before a name ("Sheikh", "Emir")."""


# --------------------------------------------------------------------------- knowledge


@dataclass(frozen=True)
class _Proper:
    """What a proper-name match stands for (country, capital, demonym, seat, organisation)."""

    kind: str  # country | capital | adjective | nationals | seat | org
    country: str | None
    name: str
    sector: str | None = None
    entity_kind: EntityKind = "state"
    org: str | None = None


@dataclass(frozen=True)
class _Role:
    """What a role-word match stands for."""

    sector: str | None
    cls: str  # person | body | neutral | rank
    plural_kind: EntityKind = "group"
    plural_form: bool = False


@dataclass(frozen=True)
class _References:
    person_pronouns: dict[str, str]
    plural_pronouns: frozenset[str]
    quantifiers: dict[str, int]
    distributive: frozenset[str]
    state_group_nouns: frozenset[str]
    any_group_nouns: frozenset[str]
    country_nouns: frozenset[str]
    definite: frozenset[str]
    speech_verbs: frozenset[str]
    first_person: frozenset[str]
    first_person_country_nouns: frozenset[str]
    connectors: frozenset[str]
    coordinators: frozenset[str]
    location_preps: frozenset[str]
    membership_preps: frozenset[str]
    stationed_sectors: frozenset[str]
    placeless_sectors: frozenset[str]
    minority_markers: frozenset[str]
    shared_names: dict[str, tuple[str, ...]]
    """A name several states share ("Congo") -> those states, the usual reading first."""


@dataclass(frozen=True)
class _Lexicon:
    proper: dict[str, _Proper]
    roles: dict[str, _Role]
    country_names: dict[str, str]
    generic: frozenset[str]
    title_modifiers: frozenset[str]
    refs: _References
    proper_patterns: dict[str, tuple[str, ...]]
    role_patterns: dict[str, tuple[str, ...]]
    organisation_heads: dict[str, str]
    known_orgs: frozenset[str]


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _plural(phrase: str) -> str:
    """English plural of a role phrase: the head word before 'of', else the last word."""
    words = phrase.split(" ")
    index = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    word = words[index]
    if word.endswith("man"):
        word = word[:-3] + "men"
    elif re.search(r"[^aeiou]y$", word):
        word = word[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", word):
        word = word + "es"
    else:
        word = word + "s"
    words[index] = word
    return " ".join(words)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Read the knowledge files once per process into lookup tables and pattern lists."""
    proper: dict[str, _Proper] = {}
    proper_patterns: dict[str, list[str]] = {}
    country_names: dict[str, str] = {}

    def add(key: str, info: _Proper, phrases: Iterable[str]) -> None:
        proper[key] = info
        proper_patterns.setdefault(key, []).extend(p for p in phrases if p)

    for row in knowledge.load_csv("countries.csv"):
        iso3, name = row["iso3"], row["name"]
        country_names[iso3] = name
        add(
            f"country:{iso3}",
            _Proper("country", iso3, name, "GOV"),
            [name, *_split(row["aliases"])],
        )
        add(f"capital:{iso3}", _Proper("capital", iso3, name, "GOV"), _split(row["capital"]))
        add(f"adjective:{iso3}", _Proper("adjective", iso3, name), _split(row["adjectives"]))
        add(
            f"nationals:{iso3}",
            _Proper("nationals", iso3, name, "CVL", "population"),
            _split(row["nationals"]),
        )
    for seat in knowledge.load_yaml("government_seats.yaml")["seats"]:
        add(
            f"seat:{seat['name']}",
            _Proper(
                "seat",
                seat["country"],
                country_names.get(seat["country"], seat["country"]),
                seat["sector"],
                "state",
                seat["name"],
            ),
            [seat["name"]],
        )
    for org in knowledge.load_yaml("organisations.yaml")["organisations"]:
        add(
            f"org:{org['name']}",
            _Proper(
                "org",
                org.get("country"),
                org["name"],
                org["sector"],
                org.get("kind", "organisation"),
                org["name"],
            ),
            [org["name"], *(org.get("aliases") or [])],
        )

    data = knowledge.load_yaml("sectors.yaml")
    ref = knowledge.load_yaml("actor_references.yaml")
    group_nouns = {*ref["group_nouns"]["states"], *ref["group_nouns"]["any"]}
    roles: dict[str, _Role] = {}
    role_patterns: dict[str, list[str]] = {}

    def add_role(key: str, role: _Role, phrase: str) -> None:
        roles[key] = role
        # matched on lower case; tokenised as written, so that "Lt. Gen." splits as in text
        role_patterns.setdefault(key, []).append(phrase)

    for sector, entry in data["sectors"].items():
        plural_kind = entry.get("plural_kind", "group")
        for word in entry.get("person") or []:
            add_role(f"person:{sector}:{word}", _Role(sector, "person", plural_kind), word)
            add_role(
                f"person+:{sector}:{word}",
                _Role(sector, "person", plural_kind, plural_form=True),
                _plural(word),
            )
        for word in entry.get("body") or []:
            add_role(f"body:{sector}:{word}", _Role(sector, "body", plural_kind), word)
            plural = _plural(word)
            if not word.endswith("s") and plural not in group_nouns:
                # "opposition parties", "rival militias": several bodies of the sector
                add_role(
                    f"body+:{sector}:{word}",
                    _Role(sector, "body", plural_kind, plural_form=True),
                    plural,
                )
    for word in data.get("neutral_person") or []:
        add_role(f"neutral:{word}", _Role(None, "neutral"), word)
        add_role(f"neutral+:{word}", _Role(None, "neutral", plural_form=True), _plural(word))
    for sector, words in (data.get("ranks") or {}).items():
        for word in words:
            add_role(f"rank:{sector}:{word}", _Role(sector, "rank"), word)

    refs = _References(
        person_pronouns={k.lower(): v for k, v in ref["person_pronouns"].items()},
        plural_pronouns=frozenset(w.lower() for w in ref["plural_pronouns"]),
        quantifiers={k.lower(): int(v) for k, v in ref["quantifiers"].items()},
        distributive=frozenset(w.lower() for w in ref["distributive"]),
        state_group_nouns=frozenset(ref["group_nouns"]["states"]),
        any_group_nouns=frozenset(ref["group_nouns"]["any"]),
        country_nouns=frozenset(ref["country_nouns"]),
        definite=frozenset(ref["definite_determiners"]),
        speech_verbs=frozenset(ref["speech_verbs"]),
        first_person=frozenset(ref["first_person_plural"]),
        first_person_country_nouns=frozenset(ref["first_person_country_nouns"]),
        connectors=frozenset(ref["title_connectors"]),
        coordinators=frozenset(ref["coordinators"]),
        location_preps=frozenset(ref["attached_phrases"]["location"]),
        membership_preps=frozenset(ref["attached_phrases"]["membership"]),
        stationed_sectors=frozenset(ref["attached_phrases"]["stationed_sectors"]),
        placeless_sectors=frozenset(ref["placeless_sectors"]),
        minority_markers=frozenset(w.lower() for w in ref["minority_markers"]),
        shared_names={
            name: tuple(entry["countries"])
            for entry in ref.get("shared_names") or []
            for name in entry["names"]
        },
    )
    return _Lexicon(
        proper=proper,
        roles=roles,
        country_names=country_names,
        generic=frozenset(data.get("generic") or []),
        title_modifiers=frozenset(w.lower() for w in data.get("title_modifiers") or []),
        refs=refs,
        proper_patterns={k: tuple(v) for k, v in proper_patterns.items() if v},
        role_patterns={k: tuple(v) for k, v in role_patterns.items()},
        organisation_heads={
            word: sector
            for sector, words in (data.get("organisation_heads") or {}).items()
            for word in words
        },
        known_orgs=frozenset(info.org for info in proper.values() if info.org),
    )


@lru_cache(maxsize=4)
def _tokenizer(vocab: Vocab) -> Callable[[str], Doc]:
    """A tokenizer sharing ``vocab``, to turn pattern phrases into Docs."""
    import spacy

    return spacy.blank("en", vocab=vocab).make_doc


@lru_cache(maxsize=4)
def _matchers(vocab: Vocab) -> tuple[PhraseMatcher, PhraseMatcher]:
    """Phrase matchers for proper names (as written) and role words (any case), per vocab."""
    from spacy.matcher import PhraseMatcher

    lex = _lexicon()
    make_doc = _tokenizer(vocab)
    proper = PhraseMatcher(vocab, attr="ORTH")
    for key, phrases in lex.proper_patterns.items():
        proper.add(key, [make_doc(p) for p in phrases])
    roles = PhraseMatcher(vocab, attr="LOWER")
    for key, phrases in lex.role_patterns.items():
        roles.add(key, [make_doc(p) for p in phrases])
    log.debug("built actor matchers: %d proper keys, %d role keys", len(proper), len(roles))
    return proper, roles


def clear_cache() -> None:
    """Forget the lexicon and matchers (after knowledge files change)."""
    _lexicon.cache_clear()
    _matchers.cache_clear()
    _tokenizer.cache_clear()


# --------------------------------------------------------------------------- token tables


@dataclass
class _Tables:
    """Per-document lookups: which tokens are covered by which match."""

    doc: Doc
    proper: dict[int, tuple[int, int, _Proper]] = field(default_factory=dict)
    roles: dict[int, tuple[int, int, _Role]] = field(default_factory=dict)
    proper_spans: list[tuple[int, int, _Proper]] = field(default_factory=list)
    role_spans: list[tuple[int, int, _Role]] = field(default_factory=list)
    towns: list[tuple[int, int, str]] | None = None
    """Gazetteer places (start, end, country), looked up on first use."""
    other_parties: dict[int, set[str]] = field(default_factory=dict)
    """Per sentence: countries named as the object or recipient (see ``_other_party``)."""


def _longest(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping matches, longest first (like spacy.util.filter_spans)."""
    chosen: list[tuple[int, int, int]] = []
    taken: set[int] = set()
    for key, start, end in sorted(matches, key=lambda m: (-(m[2] - m[1]), m[1])):
        if any(i in taken for i in range(start, end)):
            continue
        chosen.append((key, start, end))
        taken.update(range(start, end))
    return sorted(chosen, key=lambda m: m[1])


def _tables(doc: Doc) -> _Tables:
    lex = _lexicon()
    proper_matcher, role_matcher = _matchers(doc.vocab)
    strings = doc.vocab.strings
    tables = _Tables(doc)
    covering: dict[int, list[tuple[int, int]]] = {}  # token -> blocking spans over it
    for s, e in _blocking_entities(doc):
        covering.setdefault(s, []).append((s, e))
        for i in range(s + 1, e):
            covering.setdefault(i, []).append((s, e))
    for key, start, end in _longest(list(proper_matcher(doc))):
        spans = covering.get(start, ())
        if any(s <= start and end <= e and (e - s) > (end - start) for s, e in spans):
            continue  # "Latin America", "New Mexico": part of a longer place name
        info = lex.proper[strings[key]]
        tables.proper_spans.append((start, end, info))
        for i in range(start, end):
            tables.proper[i] = (start, end, info)
    # a role phrase that holds a known name ("UN envoy") yields to the name, and the shorter
    # role inside it ("envoy") still counts: drop the overlaps before taking the longest
    role_matches = [
        m for m in role_matcher(doc) if not any(i in tables.proper for i in range(m[1], m[2]))
    ]
    for key, start, end in _longest(role_matches):
        role = lex.roles[strings[key]]
        tables.role_spans.append((start, end, role))
        for i in range(start, end):
            tables.roles[i] = (start, end, role)
    if any(doc[s:e].text in lex.refs.shared_names for s, e, _ in tables.proper_spans):
        _resolve_shared_names(doc, tables)
    return tables


def _resolve_shared_names(doc: Doc, tables: _Tables) -> None:
    """Give a name several states share ("Congo", "Congolese") the one the document's
    unambiguous cues point to: other names, capitals and towns of one of those states
    ("Kinshasa", "the DRC", "Goma"); with no cue or a tie, the usual reading (listed first)."""
    lex = _lexicon()
    shared = lex.refs.shared_names
    cues: dict[str, int] = {}
    for start, end, info in tables.proper_spans:
        if doc[start:end].text not in shared and info.country:
            cues[info.country] = cues.get(info.country, 0) + 1
    for _, _, country in _gazetteer_places(doc, tables):
        cues[country] = cues.get(country, 0) + 1
    spans = []
    for start, end, info in tables.proper_spans:
        options = shared.get(doc[start:end].text)
        if options:
            best = max(options, key=lambda c: (cues.get(c, 0), -options.index(c)))
            name = info.name if info.kind == "org" else lex.country_names.get(best, best)
            info = replace(info, country=best, name=name)
            for i in range(start, end):
                tables.proper[i] = (start, end, info)
        spans.append((start, end, info))
    tables.proper_spans = spans


def _blocking_entities(doc: Doc) -> list[tuple[int, int]]:
    """Place names that may hold a country name as a part ("Latin America", "New Mexico").

    A leading determiner is not part of the name: "the United States" must not block
    "United States", nor "the African Union" block "African Union".
    """
    spans = []
    for ent in doc.ents:
        if ent.label_ not in ("LOC", "GPE"):
            continue
        start = ent.start
        while start < ent.end - 1 and doc[start].pos_ == "DET":
            start += 1
        spans.append((start, ent.end))
    return spans


# --------------------------------------------------------------------------- titles


@dataclass(frozen=True)
class _Title:
    """A title parsed from the words around a name or in a role phrase."""

    start: int
    end: int
    role: str | None
    sector: str | None
    country: str | None
    org: str | None = None
    has_role: bool = False
    coordinated: tuple[str, ...] = ()
    """Countries joined by coordinators ("Hungarian and Romanian officials"): one actor each."""


def _is_title_word(tok: Token, tables: _Tables, lex: _Lexicon) -> bool:
    """A word that can carry a title on its own: role word, modifier, country or organisation."""
    return tok.i in tables.roles or tok.i in tables.proper or tok.lower_ in lex.title_modifiers


def _scan_title_left(
    doc: Doc, end: int, stop: int, tables: _Tables, person_tokens: set[int]
) -> int:
    """Leftmost token of the title words that run up to ``end`` (exclusive); ``end`` if none."""
    lex = _lexicon()
    refs = lex.refs
    i = end - 1
    start = end
    while i >= stop:
        tok = doc[i]
        if i in person_tokens:
            break
        capitalised = (tok.is_title or tok.is_upper) and tok.is_alpha
        if (
            i == end - 1
            and not capitalised
            and tok.text != ")"
            and not _is_title_word(tok, tables, lex)
        ):
            break  # "children in al-Hawl": a title ends in a title word, not "in"
        if (
            not capitalised
            and i in tables.roles
            and tables.roles[i][2].cls == "body"
            and (i + 1 >= end or not _is_title_word(doc[i + 1], tables, lex))
        ):
            break  # a lower-case institution word only modifies a title ("army chief")
        if _is_title_word(tok, tables, lex) or capitalised:
            start = i
        elif tok.text in refs.connectors or tok.lower_ in refs.connectors:
            pass  # kept only if a title word stands further left (trimmed below)
        elif _adjectives_after_possessor(doc, i, stop, tables):
            pass  # "Iran's religious leader", "Egypt's powerful army chief"
        else:
            break
        i -= 1
    # trim: the title begins at its first real title word
    while start < end and not _is_title_word(doc[start], tables, lex):
        start += 1
    return start


def _adjectives_after_possessor(doc: Doc, i: int, stop: int, tables: _Tables) -> bool:
    """``doc[i]`` is one of the plain adjectives between a possessive country or organisation
    and a title ("Iran's religious leader"): they belong to the title."""
    j = i
    while j >= stop and doc[j].pos_ == "ADJ" and doc[j].is_lower:
        j -= 1
    return (
        j - 1 >= stop
        and doc[j].text in POSSESSIVE
        and (j - 1) in tables.proper
        and doc[i].pos_ == "ADJ"
    )


def _parse_title(doc: Doc, start: int, end: int, tables: _Tables) -> _Title | None:
    """Role text, sector and country from the title words ``doc[start:end]``."""
    if start >= end:
        return None
    lex = _lexicon()
    sectors: list[str] = []
    rank: str | None = None
    has_role = False
    org: _Proper | None = None
    country: str | None = None
    adjective_runs: list[tuple[int, int, str]] = []  # country modifiers, for coordination
    while start < end and doc[start].pos_ in ("DET", "PUNCT"):
        start += 1  # "the minister": the role is "minister"
    strip_to = start
    i = start
    while i < end:
        if i in tables.roles:
            s, e, role = tables.roles[i]
            has_role = True
            if role.cls == "rank":
                rank = rank or role.sector
            elif role.sector:
                sectors.append(role.sector)
            i = max(e, i + 1)
            continue
        if i in tables.proper:
            s, e, info = tables.proper[i]
            possessive = e < len(doc) and doc[e].text in POSSESSIVE
            prev = doc[s - 1].lower_ if s > start else ""
            if info.kind == "org":
                org = org or info
                country = country or info.country
            elif info.kind in ("adjective", "country", "capital", "seat") and (
                possessive or prev not in ("for", "to", "in", "on", "with", "against")
            ):
                country = country or info.country
                if info.country and not possessive:
                    adjective_runs.append((s, e, info.country))
                if s == strip_to and (info.kind == "adjective" or possessive):
                    strip_to = e + (1 if possessive else 0)
            i = max(e, i + 1)
            continue
        i += 1
    sector = rank
    if sector is None and org is not None:
        sector = org.sector
    if sector is None:
        specific = [s for s in sectors if s not in lex.generic]
        sector = specific[0] if specific else (sectors[0] if sectors else None)
    role_text = doc[strip_to:end].text.strip() if has_role and strip_to < end else None
    return _Title(
        start,
        end,
        role_text,
        sector,
        country,
        org.org if org else None,
        has_role,
        _coordinated_countries(doc, adjective_runs),
    )


def _coordinated_countries(doc: Doc, runs: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """Distinct countries of modifiers joined only by coordinators ("Hungarian and Romanian",
    "U.S.-Russian"); empty unless there are at least two."""
    coords = _lexicon().refs.coordinators
    chain: list[str] = []
    for (_, prev_end, prev_country), (start, _, country) in pairwise(runs):
        gap = doc[prev_end:start]
        if not all(t.lower_ in coords or t.text in coords for t in gap):
            return ()
        if not chain:
            chain.append(prev_country)
        if country not in chain:
            chain.append(country)
    return tuple(chain) if len(chain) >= 2 else ()


# --------------------------------------------------------------------------- people


@dataclass
class _Person:
    """One person across the document: canonical name and what the text says about them."""

    name: str
    tokens: tuple[str, ...]
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    org: str | None = None
    gender: str | None = None
    known: bool = False
    """Coded from the actor knowledge, whose 'no country' (UN staff, rebel leaders) stands."""

    def absorb(self, title: _Title | None) -> None:
        if title is None:
            return
        self.country = self.country or title.country
        self.sector = self.sector or title.sector
        self.role = self.role or title.role
        self.org = self.org or title.org


@dataclass
class _PersonMention:
    person: _Person
    name_start: int
    name_end: int
    start: int
    end: int
    title: _Title | None


def _match_person(text: str, tokens: tuple[str, ...], people: list[_Person]) -> _Person | None:
    """The earlier person a (partial) name refers to: equal, or a tail of the full name."""
    low = tuple(t.lower() for t in tokens)
    for person in reversed(people):
        full = tuple(t.lower() for t in person.tokens)
        if low == full or (len(low) < len(full) and full[-len(low) :] == low):
            return person
    for person in reversed(people):
        full = tuple(t.lower() for t in person.tokens)
        if len(full) < len(low) and low[-len(full) :] == full:
            person.name, person.tokens = text, tokens  # a fuller form of the name
            return person
    if len(low) == 1:
        hits = [p for p in people if low[0] in (t.lower() for t in p.tokens)]
        if len(hits) == 1:
            return hits[0]
    return None


def _person_spans(doc: Doc, tables: _Tables) -> list[tuple[int, int]]:
    """PERSON entities, minus words already known as countries/organisations or roles."""
    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        start, end = ent.start, ent.end
        while start < end and (
            start in tables.roles or doc[start].lower_ in _lexicon().title_modifiers
        ):
            start += 1  # "General Alexander Fomin": the rank is title, not name
        while end > start and not doc[end - 1].is_alpha:
            end -= 1
        if start >= end or any(i in tables.proper for i in range(start, end)):
            continue
        spans.append((start, end))
    return spans


def _apposition_title(doc: Doc, start: int, end: int, tables: _Tables) -> _Title | None:
    """A title set off by commas: "Zarif, Iran's foreign minister," / "the minister, Zarif"."""
    root = doc[start:end].root
    for child in root.rights:
        if child.dep_ == "appos" and child.i >= end:
            title = _parse_title(doc, child.left_edge.i, child.i + 1, tables)
            if title and title.has_role:
                return _with_of_phrase(doc, child, title, len(doc), tables)
    if root.dep_ == "appos" and root.head.i < start:
        head = root.head
        title = _parse_title(doc, head.left_edge.i, head.i + 1, tables)
        if title and title.has_role:
            return _with_of_phrase(doc, head, title, start, tables)
    return None


def _with_of_phrase(doc: Doc, head: Token, title: _Title, stop: int, tables: _Tables) -> _Title:
    """A title whose country or organisation follows in an "of" phrase ("a member of the
    Kenyan parliament, X"): read that phrase too, when the head words alone name no party."""
    if title.country or title.org:
        return title
    end = title.end
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == end:
            end = child.right_edge.i + 1
    while end > title.end and (end > stop or doc[end - 1].is_punct):
        end -= 1
    if end <= title.end:
        return title
    longer = _parse_title(doc, title.start, end, tables)
    if longer is None or not (longer.country or longer.org):
        return title
    return longer


def _repeated_names(
    doc: Doc, tables: _Tables, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Later mentions of a known person the tagger missed ("Ortiz thanked him")."""
    from spacy.matcher import PhraseMatcher

    taken = {i for s, e in spans for i in range(s, e)} | set(tables.proper) | set(tables.roles)
    forms: set[str] = set()
    for start, end in spans:
        words = [t for t in doc[start:end] if not t.is_punct]
        forms.add(doc[start:end].text)
        if len(words) > 1 and words[-1].is_title and len(words[-1]) > 2:
            forms.add(words[-1].text)
    if not forms:
        return []
    matcher = PhraseMatcher(doc.vocab, attr="ORTH")
    make_doc = _tokenizer(doc.vocab)
    matcher.add("NAME", [make_doc(form) for form in forms])
    found = []
    for _, start, end in _longest(list(matcher(doc))):
        if any(i in taken for i in range(start, end)):
            continue
        if doc[start].pos_ not in NOUN_POS:
            continue
        found.append((start, end))
    return found


def _in_office(name: str, on: date | None) -> bool:
    """Whether the active actor knowledge (else the built-in files) knows ``name`` as one
    person holding a role on ``on`` (their latest role when the date is unknown)."""
    active = actorkb.active_knowledge()
    is_known = getattr(active, "is_known_name", None)
    if is_known is not None and not is_known(name):
        return False
    try:
        return actorkb.lookup_person(name, on) is not None
    except EventwireError as exc:  # an optional knowledge base must not stop coding
        log.warning("office-holder lookup unavailable: %s", exc)
        return False


def _name_word(doc: Doc, i: int) -> bool:
    """A word that can be part of a name: a proper noun, a foreign particle before one
    ("de Mistura"), or a hyphen joining two such words without spaces ("Akufo-Addo")."""
    tok = doc[i]
    if tok.pos_ == "PROPN" and (tok.is_alpha or tok.text in HYPHENS):
        return True
    if tok.pos_ == "NOUN" and tok.is_title and tok.is_alpha:
        return True  # "Rajoy dismissed...": the small model reads some names as nouns
    following = i + 1 < len(doc) and doc[i + 1].pos_ == "PROPN"
    if tok.pos_ == "X" and tok.is_lower and tok.is_alpha and following:
        return True
    return (
        tok.text in HYPHENS
        and not tok.whitespace_
        and i > 0
        and not doc[i - 1].whitespace_
        and following
    )


def _known_name_spans(
    doc: Doc, tables: _Tables, taken: set[int], on: date | None
) -> list[tuple[int, int]]:
    """People the tagger labelled ORG or missed ("Lavrov met...", "Merkel promised..."),
    found as runs of proper-noun words that the actor knowledge knows as someone in office
    on the document's date. Role words, dates, a country or organisation alone and places
    after a locating preposition ("in Santos") are never a name; a longer known name may hold
    one ("Abdul-Malik al-Houthi").

    The whole run is tried first, then shorter tails ("Sheikh Tamim" -> "Tamim"): a name
    does not sit in front of other proper nouns ("Trump Tower" is not Trump).
    """
    refs = _lexicon().refs
    blocked = set(taken) | set(tables.roles)
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i in range(len(doc)):
        ok = i not in blocked and doc[i].ent_type_ not in NOT_NAMES and _name_word(doc, i)
        if start is not None and (not ok or doc[i].is_sent_start):
            runs.append((start, i))
            start = None
        if ok and start is None:
            start = i
    if start is not None:
        runs.append((start, len(doc)))
    found: list[tuple[int, int]] = []
    for run_start, run_end in runs:
        while run_end > run_start and doc[run_end - 1].text in HYPHENS:
            run_end -= 1
        for first in range(run_start, min(run_end, run_start + MAX_TITLE_WORDS_BEFORE_NAME + 1)):
            if doc[first].text in HYPHENS or (first > run_start and doc[first].is_lower):
                continue
            span = doc[first:run_end]
            if len(span) > MAX_NAME_WORDS or not any(
                i not in tables.proper and doc[i].is_alpha for i in range(first, run_end)
            ):
                continue  # a country or organisation alone is not a name
            root = span.root
            if root.dep_ == "pobj" and root.head.lower_ in refs.location_preps:
                break  # "talks in Santos": a place
            if _in_office(span.text, on):
                found.append((first, run_end))
                break
    return found


def _appositive_name_spans(doc: Doc, tables: _Tables, taken: set[int]) -> list[tuple[int, int]]:
    """Full names the tagger read as a place or missed ("Kenzo Oshima, the UN relief
    coordinator,"): two or more capitalised proper nouns whose apposition is a role title."""
    found: list[tuple[int, int]] = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.dep_ == "compound" or not _plain_name_word(tok, tables):
            continue
        start = tok.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head == tok:
            if not _plain_name_word(doc[start - 1], tables):
                break
            start -= 1
        if tok.i - start + 1 < 2 or tok.i - start + 1 > MAX_NAME_WORDS:
            continue
        if start > 0 and doc[start - 1].pos_ == "PROPN":
            continue  # part of a longer name the tagger split: leave it alone
        if any(i in taken for i in range(start, tok.i + 1)):
            continue
        if not any(c.dep_ == "appos" and c.i > tok.i + 1 for c in tok.rights):
            continue
        if doc[tok.i + 1].text != ",":
            continue
        title = _apposition_title(doc, start, tok.i + 1, tables)
        if title is not None and title.has_role:
            found.append((start, tok.i + 1))
    return found


def _plain_name_word(tok: Token, tables: _Tables) -> bool:
    """A capitalised word that no knowledge file claims (not a country, organisation or role)."""
    return (
        tok.is_title
        and tok.is_alpha
        and tok.i not in tables.proper
        and tok.i not in tables.roles
        and tok.ent_type_ in ("", "PERSON", "GPE", "LOC", "NORP")
    )


def _collect_people(doc: Doc, tables: _Tables, on: date | None = None) -> list[_PersonMention]:
    spans = _person_spans(doc, tables)
    spans += _known_name_spans(doc, tables, {i for s, e in spans for i in range(s, e)}, on)
    spans += _appositive_name_spans(doc, tables, {i for s, e in spans for i in range(s, e)})
    spans = sorted(spans + _repeated_names(doc, tables, spans))
    person_tokens = {i for s, e in spans for i in range(s, e)}
    people: list[_Person] = []
    mentions: list[_PersonMention] = []
    for start, end in spans:
        sstart = doc[start].sent.start
        tstart = _scan_title_left(doc, start, sstart, tables, person_tokens)
        title = _parse_title(doc, tstart, start, tables) if tstart < start else None
        if title is None or not (title.has_role or title.country):
            title = _apposition_title(doc, start, end, tables) or title
            if title is not None and title.start > start:
                tstart = start
            elif title is not None:
                tstart = title.start
        tokens = tuple(t.text for t in doc[start:end] if not t.is_punct)
        person = _match_person(doc[start:end].text, tokens, people)
        if person is None:
            person = _Person(doc[start:end].text, tokens)
            people.append(person)
        person.absorb(title)
        span_start = min(tstart, start)
        span_end = title.end if title is not None and title.start >= end else end
        mentions.append(_PersonMention(person, start, end, span_start, span_end, title))
    _inherit_coordinated_country(doc, mentions)
    return mentions


def _inherit_coordinated_country(doc: Doc, mentions: list[_PersonMention]) -> None:
    """A titled person joined by 'and' to a titled compatriot shares the country."""
    for prev, cur in pairwise(mentions):
        if cur.person.country or not cur.title or not cur.title.has_role:
            continue
        between = doc[prev.end : cur.start]
        if prev.person.country and [t.lower_ for t in between] in (["and"], [",", "and"], [","]):
            cur.person.country = prev.person.country


def _lookup_knowledge_base(people: Iterable[_Person], on: date | None) -> None:
    """People without a country: ask the office-holder knowledge (user edits first)."""
    lookup = actorkb.lookup_person
    active = actorkb.active_knowledge()
    for person in people:
        override = active.user_override(person.name, on) if active is not None else None
        if override is not None:  # the user's own correction wins over the text's titles
            person.country = override.country
            person.sector = override.sector
            person.role = override.title
            person.org = override.org
            person.known = True
            continue
        # titled people without a country ("President X") ask too, for the country only;
        # a title naming an organisation ("UN envoy X") already says who they act for
        if person.country or person.org:
            continue
        found: Any = lookup(person.name, on)
        dated = found is not None
        if found is None and on is not None:
            # not in office that day (or an archive date the base does not reach): a
            # person's country outlives their office, their title does not
            found = lookup(person.name, None)
        if found is None:
            continue
        person.country = getattr(found, "country", None)
        person.known = True
        if not dated:
            person.sector = person.sector or getattr(found, "sector", None)
            continue
        if person.role:
            continue  # the text's own title wins over the knowledge base's
        person.sector = person.sector or getattr(found, "sector", None)
        person.role = person.role or getattr(found, "title", None) or getattr(found, "role", None)
        person.org = person.org or getattr(found, "org", None)


# --------------------------------------------------------------------------- speakers


def _subject_heads_of(doc: Doc) -> list[int]:
    """Per token: the index of the word it is the subject of, else -1 (read once per doc,
    from arrays: building a Token per word is the costly part of this stage)."""
    from spacy.attrs import DEP, HEAD

    if len(doc) == 0:
        return []
    subject_ids = {doc.vocab.strings.add(dep) for dep in SUBJECT_DEPS}
    rows = doc.to_array([HEAD, DEP]).tolist()
    return [i + int(head) if dep in subject_ids else -1 for i, (head, dep) in enumerate(rows)]


def _is_subject(subject_of: list[int], start: int, end: int) -> bool:
    """The span is the subject of a word outside it."""
    return any(subject_of[i] >= 0 and not (start <= subject_of[i] < end) for i in range(start, end))


def _speech_verb(doc: Doc, start: int, end: int) -> Token | None:
    """The verb of saying whose subject is the span, if any."""
    refs = _lexicon().refs
    for i in range(start, end):
        tok = doc[i]
        if (
            tok.dep_ in SUBJECT_DEPS
            and not (start <= tok.head.i < end)
            and tok.head.lemma_.lower() in refs.speech_verbs
        ):
            return tok.head
    return None


def _headline_role(parsed: ParsedDocument) -> _Title | None:
    """A role the headline gives its speaker: "Spokesman: Iran to ...", "Iran's FM: ..."."""
    title_doc = parsed.title_doc
    if title_doc is None or len(title_doc) == 0:
        return None
    tables = _tables(title_doc)
    colon = next((t.i for t in title_doc if t.text == ":"), None)
    if colon is not None and colon <= 6:
        head_end = colon
    else:
        # "Iran's Foreign Minister Warns ...": country + role words at the start
        head_end = 0
        for tok in title_doc:
            if (
                tok.i in tables.roles
                or tok.i in tables.proper
                or tok.text in POSSESSIVE
                or tok.lower_ in _lexicon().title_modifiers
            ):
                head_end = tok.i + 1
            else:
                break
    if head_end == 0:
        return None
    names = [e for e in title_doc.ents if e.label_ == "PERSON" and e.start <= head_end]
    if any(not all(i in tables.proper for i in range(e.start, e.end)) for e in names):
        return None  # "Zarif: ..." names the speaker; the role is not left to the body
    person_roles = [
        (s, e, r) for s, e, r in tables.role_spans if e <= head_end and r.cls in ("person", "rank")
    ]
    if not person_roles or any(r.plural_form for _, _, r in person_roles):
        return None
    title = _parse_title(title_doc, 0, head_end, tables)
    if title is None or not title.has_role:
        return None
    if title.country is None:
        after = [info for s, _, info in tables.proper_spans if s >= head_end and info.country]
        if after:
            title = replace(title, country=after[0].country)
    return title


def _quoted_country(
    doc: Doc, sentence: Span, parsed: ParsedDocument, tables: _Tables
) -> str | None:
    """The country a first-person quote speaks for: "we (Iran and Russia)", "our country"."""
    refs = _lexicon().refs
    for tok in sentence:
        if tok.lower_ not in refs.first_person:
            continue
        nxt = tok.i + 1
        if nxt < len(doc) and doc[nxt].text == "(":
            close = next((t.i for t in doc[nxt : sentence.end] if t.text == ")"), sentence.end)
            inside = [
                info for s, _, info in tables.proper_spans if nxt < s < close and info.country
            ]
            if inside:
                return inside[0].country
        if nxt in tables.proper and tables.proper[nxt][2].kind == "nationals":
            return tables.proper[nxt][2].country
        if (
            tok.lower_ in ("our",)
            and nxt < len(doc)
            and (doc[nxt].lower_ in refs.first_person_country_nouns)
        ):
            return _headline_country(parsed)
    return None


def _headline_country(parsed: ParsedDocument) -> str | None:
    if parsed.title_doc is None:
        return None
    for _, _, info in _tables(parsed.title_doc).proper_spans:
        if info.country and info.kind != "org":
            return info.country
    return None


def _apply_speaker_rules(
    parsed: ParsedDocument, tables: _Tables, mentions: list[_PersonMention]
) -> None:
    """Untitled speakers: the headline's role (first speaker), the quote's 'we' (any speaker)."""
    doc = parsed.doc
    headline = _headline_role(parsed)
    first_done = False
    for mention in mentions:
        verb = _speech_verb(doc, mention.name_start, mention.name_end)
        if verb is None:
            continue
        person = mention.person
        if not first_done:
            first_done = True
            if headline is not None and person.role is None and person.sector is None:
                person.role = headline.role
                person.sector = headline.sector
                person.country = person.country or headline.country
                person.org = person.org or headline.org
        if person.country is None:
            person.country = _quoted_country(doc, doc[mention.name_start].sent, parsed, tables)


# --------------------------------------------------------------------------- candidates


@dataclass
class _Cand:
    """A mention before references are resolved."""

    start: int
    end: int
    head: int
    entity: Entity
    ref: str | None = None  # pronoun | plural | description | pair | country_desc
    gender: str | None = None
    size: int = 0
    states_only: bool = False
    person: _Person | None = None


def _span_head(doc: Doc, start: int, end: int) -> int:
    return doc[start:end].root.i


def _entity(doc: Doc, start: int, end: int, **values: Any) -> Entity:
    span = doc[start:end]
    return Entity(text=span.text, start=span.start_char, end=span.end_char, **values)


def _proper_candidates(doc: Doc, tables: _Tables, covered: set[int]) -> list[_Cand]:
    """Countries, capitals, seats, organisations and nationals as mentions of their own."""
    out: list[_Cand] = []
    for start, end, info in tables.proper_spans:
        if info.kind == "adjective":
            if not _demonym_as_noun(doc[start:end].root):
                continue  # modifiers colour a role phrase, a name or a noun phrase
            entity = _entity(
                doc,
                start,
                end,
                name=info.name,
                country=info.country,
                sector="CVL",
                kind="population",
            )
            out.append(_Cand(start, end, _span_head(doc, start, end), entity))
            continue
        if info.kind == "nationals":
            first, country = _people_country(doc, start, end, info, tables)
            entity = _entity(
                doc,
                first,
                end,
                name=info.name,
                country=country,
                sector=info.sector,
                kind="population",
            )
            out.append(_Cand(first, end, _span_head(doc, start, end), entity))
            continue
        if info.kind == "org" and start in covered:
            continue
        entity = _entity(
            doc,
            start,
            end,
            name=info.name,
            country=info.country,
            sector=info.sector,
            org=info.org,
            kind=info.entity_kind if info.kind == "org" else "state",
        )
        out.append(_Cand(start, end, _span_head(doc, start, end), entity))
    return out


def _people_country(
    doc: Doc, start: int, end: int, info: _Proper, tables: _Tables
) -> tuple[int, str | None]:
    """Span start and country of a people noun ("Serbs"), read with its modifiers.

    "Bosnian Serbs", "Iraqi Kurds": the state they live in, named by the adjective, is their
    country. "ethnic Albanians": a minority, whose country is where they live, not the
    neighbouring state; left to the text around them (None here).
    """
    refs = _lexicon().refs
    first = start
    country = info.country
    i = start - 1
    while i >= 0 and doc[i].head.i == doc[start:end].root.i and doc[i].dep_ in MODIFIER_DEPS:
        if doc[i].lower_ in refs.minority_markers:
            country = None
            first = i
        elif i in tables.proper and tables.proper[i][2].kind == "adjective":
            s, _, adjective = tables.proper[i]
            country = adjective.country if country is not None else country
            first = s
            i = s
        i -= 1
    return first, country


def _demonym_as_noun(tok: Token) -> bool:
    """A demonym standing for the people ("the Chinese protested", "talks with the Dutch"),
    not modifying a noun and not a predicate ("he is Chinese")."""
    if tok.dep_ not in NOMINAL_DEPS or _modified_noun(tok) is not None:
        return False
    return not any(c.dep_ in ("amod", "compound") and c.i > tok.i for c in tok.children)


def _unknown_org_candidates(
    doc: Doc, tables: _Tables, covered: set[int], role_covered: set[int]
) -> list[_Cand]:
    """ORG entities not in the knowledge files.

    A name whose last word gives a sector ("the Lusaka Teachers Association" NGO, "... Party"
    PTY) is one organisation, with the country its words name; other names are kept uncoded
    unless made of role or country words, which the other candidates already read.
    """
    heads = _lexicon().organisation_heads
    out: list[_Cand] = []
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        span = range(ent.start, ent.end)
        sector = heads.get(ent[-1].text.rstrip("."))
        if any(i in covered for i in span) or ent.root.i in role_covered:
            continue  # a person's title, or a role phrase ("the ruling party") already read
        if any(i in tables.proper and tables.proper[i][2].kind == "org" for i in span):
            continue  # a listed organisation inside: it is read from the list
        if sector is None and any(
            i in role_covered or i in tables.roles or i in tables.proper for i in span
        ):
            continue
        first = ent.start + 1 if ent[0].pos_ == "DET" and len(ent) > 1 else ent.start
        name = doc[first : ent.end].text  # "the Home Office" -> "Home Office"
        title = _parse_title(doc, first, ent.end, tables) if sector else None
        entity = _entity(
            doc,
            ent.start,
            ent.end,
            name=name,
            org=name,
            country=title.country if title else None,
            sector=sector,
            kind="organisation",
        )
        out.append(_Cand(ent.start, ent.end, ent.root.i, entity))
    return out


def _modified_noun(tok: Token) -> Token | None:
    """The noun a country modifier ultimately modifies: "Israeli army bulldozers" -> bulldozers,
    "Turkish and Greek sides" -> sides (through the coordination)."""
    while tok.dep_ == "conj" and tok.head.i < tok.i:
        tok = tok.head
    if tok.dep_ not in MODIFIER_DEPS or tok.head.i <= tok.i:
        return None
    noun = tok.head
    while noun.dep_ in MODIFIER_DEPS and noun.head.i > noun.i and noun.head.pos_ in NOUN_POS:
        noun = noun.head
    return noun if noun.pos_ in NOUN_POS else None


def _modifier_candidates(doc: Doc, tables: _Tables, covered: set[int]) -> list[_Cand]:
    """Country adjectives and names, and role words, modifying a noun that is no role word
    ("Palestinian prisoners", "Russian aircraft", "opposition groups"): the phrase stands for
    that country or sector.

    Role phrases are handled by ``_role_candidates``; this gives the rest a country so that
    whatever noun acts in an event is coded, with a sector when the phrase holds a role word.
    """
    by_noun: dict[int, Token] = {}
    modifiers = [
        (start, end)
        for start, end, info in tables.proper_spans
        if info.kind in ("adjective", "country") and info.country is not None
    ]
    modifiers += [(start, end) for start, end, _ in tables.role_spans]
    for start, end in modifiers:
        if end < len(doc) and doc[end].text in POSSESSIVE:
            continue  # "Iran's oil": a possessor, not a modifier
        noun = _modified_noun(doc[start:end].root)
        if noun is None or noun.i < end or noun.i in covered or noun.i in tables.proper:
            continue
        if noun.i in tables.roles:
            continue  # a role phrase of its own ("army chief")
        if noun.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL"):
            continue
        by_noun[noun.i] = noun
    out: list[_Cand] = []
    for noun in by_noun.values():
        left = max(noun.left_edge.i, noun.sent.start)
        while left < noun.i and (doc[left].is_punct or left in covered):
            left += 1
        if any(i in covered for i in range(left, noun.i)):
            continue
        title = _parse_title(doc, left, noun.i + 1, tables)
        if title is None or not (title.country or title.sector or title.org):
            continue
        kind: EntityKind = "group" if noun.tag_ in PLURAL_TAGS else "state"
        if kind == "state" and (title.sector or title.org):
            kind = "organisation"  # "a police station", "the army base"
        for each in title.coordinated or (title.country,):
            entity = _entity(
                doc, left, noun.i + 1, country=each, sector=title.sector, org=title.org, kind=kind
            )
            out.append(_Cand(left, noun.i + 1, noun.i, entity))
    return out


def _attached_title(doc: Doc, head: Token, tables: _Tables, sector: str | None) -> _Title | None:
    """Who a role phrase belongs to, from a phrase attached to its head: "rebels in the Ivory
    Coast", "the president of Armenia", "fighters of the M23 movement", "a delegation from
    the African Union". A place phrase ("in") gives no country to soldiers: troops are often
    abroad."""
    refs = _lexicon().refs
    for prep in head.rights:
        if prep.dep_ != "prep":
            continue
        word = prep.lower_
        located = word in refs.location_preps
        if not located and word not in refs.membership_preps:
            continue
        if located and sector in refs.stationed_sectors:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            title = _parse_title(doc, obj.left_edge.i, obj.i + 1, tables)
            if title is None:
                continue
            # "leaders of the opposition coalition": a sectorless role takes the body's sector
            belongs = title.org or (sector is None and title.sector)
            if not (title.country or (belongs and not located)):
                continue
            if located:
                return replace(title, org=None)
            return title
    return None


def _role_candidates(
    doc: Doc,
    tables: _Tables,
    covered: set[int],
    person_at: dict[int, _Person] | None = None,
) -> list[_Cand]:
    """Noun phrases headed by a role word: groups, institutions, populations, descriptions.

    A person as possessor gives the phrase their country ("Assad's forces": Syria's military,
    "Maduro's defence minister"); ``person_at`` maps the words of people's names to them.
    """
    person_at = person_at or {}
    lex = _lexicon()
    refs = lex.refs
    out: list[_Cand] = []
    for start, end, role in tables.role_spans:
        if any(i in covered for i in range(start, end)):
            continue
        head = doc[start:end].root
        if head.pos_ not in NOUN_POS and not role.plural_form:
            continue
        # a role word modifying another noun ("military advisors", "police station") is
        # carried by that noun's phrase, if any
        if head.dep_ in ("compound", "amod", "nmod") and head.head.i >= end:
            continue
        if head.dep_ == "conj" and head.head.i > head.i:
            continue
        left = head.left_edge.i
        left = max(left, head.sent.start)
        while left < start and (
            doc[left].is_punct or any(i in covered for i in range(left, left + 1))
        ):
            left += 1
        if any(i in covered for i in range(left, start)):
            left = start
        while left < start and doc[left].text in POSSESSIVE:
            left += 1  # "Assad's forces": the phrase is "forces", owned by Assad
        title = _parse_title(doc, left, end, tables)
        sector = title.sector if title else role.sector
        country = title.country if title else None
        org = title.org if title else None
        owner = next(
            (person_at[c.i] for c in head.lefts if c.dep_ == "poss" and c.i in person_at), None
        )
        if owner is not None and country is None and org is None:
            country = owner.country
            org = owner.org if owner.country is None else None
        if country is None and org is None:
            attached = _attached_title(doc, head, tables, sector)
            if attached is not None:
                country, org = attached.country, attached.org
                if sector is None or (attached.org and sector in lex.generic):
                    sector = attached.sector  # "a delegation from the African Union": IGO
        plural = role.plural_form or head.tag_ in PLURAL_TAGS
        dets = {t.lower_ for t in doc[left:start]}
        if role.cls in ("person", "rank", "neutral") and not plural:
            kind: EntityKind = "person"
            ref = "description" if (dets & refs.definite) else None
            if role.cls == "neutral" and ref is None and not (country or org):
                continue  # "a figure", "one member": no actor worth coding
            entity = _entity(
                doc,
                left,
                end,
                country=country,
                sector=sector,
                org=org,
                kind=kind,
                role=title.role if title else head.text,
            )
            out.append(_Cand(left, end, head.i, entity, ref=ref))
            continue
        # plural words, and collectives of a population sector ("the public"), are
        # groups/populations; singular institution words name an organisation
        populous = plural or role.plural_kind == "population"
        kind = role.plural_kind if populous else "organisation"
        for each in title.coordinated if title and title.coordinated else (country,):
            entity = _entity(doc, left, end, country=each, sector=sector, org=org, kind=kind)
            out.append(_Cand(left, end, head.i, entity))
    return out


def _reference_candidates(doc: Doc, tables: _Tables, covered: set[int]) -> list[_Cand]:
    """Pronouns, pair references ("both countries") and country descriptions ("the country")."""
    refs = _lexicon().refs
    out: list[_Cand] = []
    for tok in doc:
        if tok.i in covered or tok.i in tables.proper or tok.i in tables.roles:
            continue
        low = tok.lower_
        if tok.tag_ == "PRP" and low in refs.person_pronouns:
            out.append(
                _Cand(
                    tok.i,
                    tok.i + 1,
                    tok.i,
                    _entity(doc, tok.i, tok.i + 1, kind="person"),
                    ref="pronoun",
                    gender=refs.person_pronouns[low],
                )
            )
        elif tok.tag_ == "PRP" and low in refs.plural_pronouns:
            out.append(
                _Cand(
                    tok.i,
                    tok.i + 1,
                    tok.i,
                    _entity(doc, tok.i, tok.i + 1, kind="group"),
                    ref="plural",
                )
            )
        elif tok.pos_ == "NOUN" and (low in refs.state_group_nouns or low in refs.any_group_nouns):
            lefts = list(tok.lefts)
            quantity = next(
                (refs.quantifiers[t.lower_] for t in lefts if t.lower_ in refs.quantifiers), None
            )
            if quantity is None:
                continue
            # "both sides" refers back on its own; "two partners" only as "the two partners"
            if not any(t.lower_ in refs.definite or t.lower_ in refs.distributive for t in lefts):
                continue
            start = tok.left_edge.i
            out.append(
                _Cand(
                    start,
                    tok.i + 1,
                    tok.i,
                    _entity(doc, start, tok.i + 1, kind="group"),
                    ref="pair",
                    size=quantity,
                    states_only=low in refs.state_group_nouns,
                )
            )
        elif tok.pos_ == "NOUN" and low in refs.country_nouns and tok.tag_ == "NN":
            lefts = list(tok.lefts)
            if not any(t.lower_ in refs.definite for t in lefts):
                continue
            if any(t.i in tables.proper for t in tok.subtree):
                continue  # "the Iranian state": the adjective already names it
            start = tok.left_edge.i
            out.append(
                _Cand(
                    start,
                    tok.i + 1,
                    tok.i,
                    _entity(doc, start, tok.i + 1, kind="state"),
                    ref="country_desc",
                )
            )
    return out


# --------------------------------------------------------------------------- resolution


def _subject_heads(tok: Token) -> set[int]:
    """Subjects of the clauses that govern ``tok`` (a description cannot corefer with them)."""
    heads: set[int] = set()
    for anc in tok.ancestors:
        for verb in (anc, anc.head) if anc.dep_ == "conj" else (anc,):
            heads.update(c.i for c in verb.children if c.dep_ in SUBJECT_DEPS)
    return heads


class _Resolver:
    """Walks mentions in text order, resolving references against what came before."""

    def __init__(self, doc: Doc, sent_of: list[int]) -> None:
        self.doc = doc
        self.sent_of = sent_of
        self.subject_of = _subject_heads_of(doc)
        self.history: list[tuple[_Cand, Entity, bool]] = []  # cand, resolved entity, subject
        self.groups: list[list[Entity]] = []
        self.group_ends: list[int] = []

    def emit(self, cand: _Cand) -> list[tuple[Entity, str | None]]:
        if cand.ref == "pronoun":
            return self._pronoun(cand)
        if cand.ref == "description":
            return self._description(cand)
        if cand.ref in ("pair", "plural"):
            return self._group(cand)
        if cand.ref == "country_desc":
            return self._country(cand)
        self._remember(cand, cand.entity)
        return [(cand.entity, None)]

    def _remember(self, cand: _Cand, entity: Entity) -> None:
        subject = _is_subject(self.subject_of, cand.start, cand.end)
        self.history.append((cand, entity, subject))
        self._track_coordination(cand, entity)

    def _track_coordination(self, cand: _Cand, entity: Entity) -> None:
        coords = _lexicon().refs.coordinators
        if len(self.history) > 1 and self.groups:
            prev = self.history[-2][0]
            if (prev.start, prev.end) == (cand.start, cand.end) and prev.ref is None:
                self.groups[-1].append(entity)  # one phrase, several actors
                return
        if self.history[:-1] and self.group_ends:
            last_end = self.group_ends[-1]
            gap = self.doc[last_end : cand.start]
            same_sentence = self.sent_of[last_end - 1] == self.sent_of[cand.start]
            if (
                same_sentence
                and len(gap) > 0
                and all(t.lower_ in coords or t.text in coords for t in gap)
            ):
                self.groups[-1].append(entity)
                self.group_ends[-1] = cand.end
                return
        self.groups.append([entity])
        self.group_ends.append(cand.end)

    def _resolved(self, cand: _Cand, source: Entity, antecedent: str | None) -> Entity:
        return source.model_copy(
            update={"text": cand.entity.text, "start": cand.entity.start, "end": cand.entity.end}
        )

    def _pronoun(self, cand: _Cand) -> list[tuple[Entity, str | None]]:
        here = self.sent_of[cand.start]
        tok = self.doc[cand.head]
        # "Ortiz thanked him": an object pronoun is not its own clause's subject
        clause_subjects = (
            set()
            if tok.dep_ in SUBJECT_DEPS
            else {c.i for c in tok.head.children if c.dep_ in SUBJECT_DEPS}
        )
        fallback: tuple[_Cand, Entity, bool] | None = None
        chosen: tuple[_Cand, Entity, bool] | None = None
        for item in reversed(self.history):
            prev, entity, subject = item
            if entity.kind != "person" or entity.name is None:
                continue
            if any(prev.start <= i < prev.end for i in clause_subjects):
                continue
            if prev.person and prev.person.gender and prev.person.gender != cand.gender:
                continue
            if here - self.sent_of[prev.start] > REFERENCE_WINDOW:
                break
            fallback = fallback or item
            if here - self.sent_of[prev.start] > 3:
                continue  # too far back for the subject preference; keep the fallback
            if subject:
                chosen = item
                break
        chosen = chosen or fallback
        if chosen is None:
            self.history.append((cand, cand.entity, False))
            return [(cand.entity, None)]
        prev, entity, _ = chosen
        if prev.person is not None and prev.person.gender is None:
            prev.person.gender = cand.gender
        resolved = self._resolved(cand, entity, entity.name)
        new = replace(cand, person=prev.person)
        self.history.append((new, resolved, _is_subject(self.subject_of, cand.start, cand.end)))
        return [(resolved, entity.name)]

    def _description(self, cand: _Cand) -> list[tuple[Entity, str | None]]:
        desc = cand.entity
        lex = _lexicon()
        head_word = self.doc[cand.head].lemma_.lower()
        best: tuple[_Cand, Entity, bool] | None = None
        here = self.sent_of[cand.start]
        for item in reversed(self.history):
            prev, entity, _ = item
            if here - self.sent_of[prev.start] > REFERENCE_WINDOW:
                break
            if entity.kind != "person" or entity.name is None:
                continue
            if desc.country and entity.country and desc.country != entity.country:
                continue
            if desc.country and not entity.country:
                continue
            if (
                desc.sector
                and entity.sector
                and desc.sector != entity.sector
                and desc.sector not in lex.generic
            ):
                continue
            if best is None:
                best = item
            if head_word in (entity.role or "").lower():
                best = item
                break
        if best is None:
            self._remember(cand, desc)
            return [(desc, None)]
        prev, entity, _ = best
        resolved = self._resolved(cand, entity, entity.name)
        self.history.append(
            (
                replace(cand, person=prev.person),
                resolved,
                _is_subject(self.subject_of, cand.start, cand.end),
            )
        )
        return [(resolved, entity.name)]

    def _group(self, cand: _Cand) -> list[tuple[Entity, str | None]]:
        size = cand.size
        members: list[Entity] | None = None
        for group in reversed(self.groups[-50:]):
            if cand.ref == "plural":
                if len(group) >= 2 or group[0].kind in ("group", "population"):
                    members = group
                    break
                continue
            if len(group) != size:
                continue
            if cand.states_only and not all(e.kind == "state" for e in group):
                continue
            members = group
            break
        if members is None and cand.ref == "pair":
            members = self._last_distinct_states(size)
        if not members:
            self.history.append((cand, cand.entity, False))
            return [(cand.entity, None)]
        out = []
        for member in members:
            label = member.name or member.org or member.text
            out.append((self._resolved(cand, member, label), label))
        # the reference itself can be picked up again ("they")
        self.groups.append([e for e, _ in out])
        self.group_ends.append(cand.end)
        return out

    def _last_distinct_states(self, size: int) -> list[Entity]:
        seen: dict[str, Entity] = {}
        for _, entity, _ in reversed(self.history[-200:]):
            if entity.kind == "state" and entity.country and entity.country not in seen:
                seen[entity.country] = entity
                if len(seen) == size:
                    return list(reversed(seen.values()))
        return []

    def _country(self, cand: _Cand) -> list[tuple[Entity, str | None]]:
        excluded = _subject_heads(self.doc[cand.head])
        here = self.sent_of[cand.start]
        for prev, entity, _ in reversed(self.history):
            if here - self.sent_of[prev.start] > REFERENCE_WINDOW:
                break
            if entity.kind != "state" or not entity.country:
                continue
            if any(prev.start <= i < prev.end for i in excluded):
                continue
            resolved = self._resolved(cand, entity, entity.name)
            self._remember(cand, resolved)
            return [(resolved, entity.name)]
        self.history.append((cand, cand.entity, False))
        return [(cand.entity, None)]


# --------------------------------------------------------------------------- entry point


def extract_actors(parsed: ParsedDocument) -> list[ActorMention]:
    """Every actor-like mention in the body, coded and in text order (see module docstring).

    Person mentions span the title and the name ("Russian Deputy Foreign Minister Sergei
    Vershinin"); their ``entity.text``/``start``/``end`` are the name's words as written there.
    References that stand for several actors ("the two countries") give one mention per member,
    all with the same span and head.
    """
    doc = parsed.doc
    if len(doc) == 0:
        return []
    tables = _tables(doc)
    people = _collect_people(doc, tables, parsed.document.published_date)
    _lookup_knowledge_base(
        {id(m.person): m.person for m in people}.values(), parsed.document.published_date
    )
    _apply_speaker_rules(parsed, tables, people)

    candidates: list[_Cand] = []
    covered: set[int] = set()
    for m in people:
        p = m.person
        name_span = doc[m.name_start : m.name_end]
        entity = Entity(
            text=name_span.text,
            start=name_span.start_char,
            end=name_span.end_char,
            name=p.name,
            country=p.country,
            sector=p.sector,
            org=p.org,
            kind="person",
            role=p.role,
        )
        candidates.append(_Cand(m.start, m.end, _span_head(doc, m.start, m.end), entity, person=p))
        covered.update(range(m.start, m.end))
    # organisations inside a person's title ("UN envoy X") stay part of the title; countries
    # named there ("Special Assistant to Iran's Foreign Minister") are still returned
    candidates.extend(_proper_candidates(doc, tables, covered))
    candidates.extend(_town_candidates(doc, tables, covered))
    person_at = {i: m.person for m in people for i in range(m.name_start, m.name_end)}
    role_cands = _role_candidates(doc, tables, covered, person_at)
    candidates.extend(role_cands)
    role_covered = {i for c in role_cands for i in range(c.start, c.end)}
    org_cands = _unknown_org_candidates(doc, tables, covered, role_covered)
    candidates.extend(org_cands)
    role_covered |= {i for c in org_cands for i in range(c.start, c.end)}
    modifier_cands = _modifier_candidates(doc, tables, covered | role_covered)
    candidates.extend(modifier_cands)
    role_covered |= {i for c in modifier_cands for i in range(c.start, c.end)}
    candidates.extend(_reference_candidates(doc, tables, covered | role_covered))
    candidates.sort(key=lambda c: (c.start, -(c.end - c.start)))

    sent_of = [0] * len(doc)
    for index, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = index
    resolver = _Resolver(doc, sent_of)
    out: list[ActorMention] = []
    for cand in candidates:
        for entity, antecedent in resolver.emit(cand):
            if antecedent is None and cand.person is not None and entity.text != entity.name:
                antecedent = entity.name
            out.append(
                ActorMention(
                    entity=entity,
                    sentence=sent_of[cand.head],
                    token_start=cand.start,
                    token_end=cand.end,
                    head=cand.head,
                    antecedent=antecedent,
                )
            )
    known = frozenset(m.person.name for m in people if m.person.known)
    return _with_context_countries(doc, tables, sent_of, out, known)


def _other_party(doc: Doc, start: int, end: int) -> bool:
    """The words name the other party of their clause: its object or recipient ("threatened
    Russia", "action against Russia", "criticised China's policies"), not a place or origin
    ("in Kampala", "officials from Chad") and not a subject."""
    refs = _lexicon().refs
    tok = doc[start:end].root
    while tok.dep_ in ("poss", "compound", "amod", "nmod", "conj", "appos") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in ("dobj", "dative"):
        return True
    return (
        tok.dep_ == "pobj"
        and tok.head.lower_ not in refs.location_preps
        and tok.head.lower_ not in refs.membership_preps
        and tok.head.head.pos_ in ("VERB", "NOUN")
    )


def _context_country(doc: Doc, tables: _Tables, sent_of: list[int]) -> Callable[[int], str | None]:
    """The country a sector-only actor in sentence ``n`` most likely belongs to.

    In order: the one country named as a place in the sentence ("... arrested in Kampala"),
    the one country the sentence names otherwise (a state standing as subject or object is
    an actor of its own, often the other party: "the government accused Rwanda"), else the
    document's most named country (ties: the first named). Local news rarely repeats whose
    police or farmers it means. Counted over the words that name countries, so a long phrase
    counts once.
    """
    refs = _lexicon().refs
    places: dict[int, set[str]] = {}
    named: dict[int, set[str]] = {}
    counts: dict[str, int] = {}
    for start, end, info in tables.proper_spans:
        country = info.country
        if country is None:
            continue
        sentence = sent_of[start]
        if info.kind in ("country", "capital", "seat") and _other_party(doc, start, end):
            # the state itself; "Chilean officials", "the Zambian people" are its own people
            tables.other_parties.setdefault(sentence, set()).add(country)
        root = doc[start:end].root
        standalone = (
            info.kind in ("country", "capital", "seat")
            and not (end < len(doc) and doc[end].text in POSSESSIVE)
            and root.dep_ in SUBJECT_DEPS | {"dobj", "dative"}
        )
        counts[country] = counts.get(country, 0) + 1  # dicts keep first-named order on ties
        if not standalone:
            named.setdefault(sentence, set()).add(country)
        if (
            info.kind in ("country", "capital")
            and root.dep_ == "pobj"
            and root.head.lower_ in refs.location_preps
        ):
            places.setdefault(sentence, set()).add(country)
    for start, end, country in _gazetteer_places(doc, tables):
        sentence = sent_of[start]
        named.setdefault(sentence, set()).add(country)
        counts[country] = counts.get(country, 0) + 1
        root = doc[start:end].root
        if root.dep_ == "pobj" and root.head.lower_ in refs.location_preps:
            places.setdefault(sentence, set()).add(country)
    top = max(counts, key=lambda c: counts[c]) if counts else None

    def country_of(sentence: int) -> str | None:
        for found in (places.get(sentence), named.get(sentence)):
            if found and len(found) == 1:
                return next(iter(found))
        return top

    return country_of


def _town_candidates(doc: Doc, tables: _Tables, covered: set[int]) -> list[_Cand]:
    """Towns and regions named as places ("shelled Jericho", "a curfew in Algiers' suburbs"):
    a place of a state, coded with its country and no sector, for events that hit a place."""
    out = []
    for start, end, country in _gazetteer_places(doc, tables):
        if any(i in covered for i in range(start, end)):
            continue
        entity = _entity(doc, start, end, name=doc[start:end].text, country=country, kind="state")
        out.append(_Cand(start, end, _span_head(doc, start, end), entity))
    return out


def _gazetteer_places(doc: Doc, tables: _Tables) -> list[tuple[int, int, str]]:
    """Towns and regions the country list does not name ("Lagos", "Kaduna"), with their
    country from the offline gazetteer: they say where a story happens, never who acts."""
    if tables.towns is not None:
        return tables.towns
    out = []
    for ent in doc.ents:
        if ent.label_ != "GPE" or any(i in tables.proper for i in range(ent.start, ent.end)):
            continue
        start = ent.start + 1 if ent[0].pos_ == "DET" and len(ent) > 1 else ent.start
        location = geocode(doc[start : ent.end].text, alternates=False)
        if location is not None and location.country:
            out.append((start, ent.end, location.country))
    tables.towns = out
    return out


def _with_context_countries(
    doc: Doc,
    tables: _Tables,
    sent_of: list[int],
    mentions: list[ActorMention],
    known_people: frozenset[str] = frozenset(),
) -> list[ActorMention]:
    """Sector-only actors ("police", "the government", "rebels") get the country the text
    around them is about; international sectors (IGO, NGO) and refugees stay without one,
    and so do people the actor knowledge codes without one (``known_people``)."""
    lex = _lexicon()
    refs = lex.refs
    if not any(
        m.entity.country is None and m.entity.sector not in (None, *refs.placeless_sectors)
        for m in mentions
    ):
        return mentions  # nothing to fill: spare the gazetteer
    country_of = _context_country(doc, tables, sent_of)
    out = []
    for m in mentions:
        entity = m.entity
        if (
            entity.country is None
            and not (entity.kind == "person" and entity.name in known_people)
            and (entity.org is None or entity.org not in lex.known_orgs)
            and entity.sector is not None
            and entity.sector not in refs.placeless_sectors
        ):
            country = country_of(m.sentence)
            if entity.kind == "person" and country in tables.other_parties.get(m.sentence, ()):
                country = None  # "President X threatened Russia": X is not Russian
            if country is not None:
                m = m.model_copy(update={"entity": entity.model_copy(update={"country": country})})
        out.append(m)
    return out
