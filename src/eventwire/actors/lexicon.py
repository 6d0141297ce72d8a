"""The actor lexicon of one Knowledge: countries, capitals, seats, organisations, sector
words and reference words as lookup tables and phrase patterns, and the spaCy phrase
matchers built from them (per vocab, kept with the knowledge)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from eventwire.knowledge import Knowledge
from eventwire.models import EntityKind

log = logging.getLogger(__name__)
if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab


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
class _Channels:
    """Where a news outlet is the channel of words, not a party (``channel_marks``)."""

    sectors: frozenset[str] = frozenset()
    addressed_by: frozenset[str] = frozenset()
    after: dict[str, frozenset[str]] = field(default_factory=dict)
    """Preposition -> lemmas its phrase hangs on ("to" -> say, statement, according...)."""


@dataclass(frozen=True)
class _References:
    person_pronouns: dict[str, str]
    gendered_words: dict[str, str]
    """word (lower case) -> "male" | "female": gendered honorifics and nouns."""
    honorifics: frozenset[str]
    """Words before a name that are no part of it ("Mrs May"), lower case."""
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
    first_person_possessives: frozenset[str]
    connectors: frozenset[str]
    coordinators: frozenset[str]
    location_preps: frozenset[str]
    membership_preps: frozenset[str]
    origin_preps: frozenset[str]
    origin_verbs: frozenset[str]
    stationed_sectors: frozenset[str]
    service_preps: frozenset[str]
    """"for/with/at": with an organisation as object, whom a person works for."""
    serving_roles: frozenset[str]
    brief_roles: frozenset[str]
    """Role words a country's name before them gives a brief, not an owner ("a Syria expert")."""
    patron_after: frozenset[str]
    patron_before: frozenset[str]
    patron_leads: frozenset[str]
    patron_unhyphenated: frozenset[str]
    channels: _Channels
    placeless_sectors: frozenset[str]
    minority_markers: frozenset[str]
    stateless_peoples: frozenset[str]
    stateless_sectors: frozenset[str]
    """Sectors of non-state groups (REB, CRM): named ones have no country under the guideline."""
    party_countries: dict[str, str]
    """A party name as written -> its country ("Republican" -> USA)."""
    party_role_sectors: frozenset[str]
    """Sectors of the role words a party name before them places ("Senator": LEG)."""
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
    governing: dict[str, _Governing]
    """Groups that became a government, by organisation name."""
    armed_marks: frozenset[str]
    armed_heads: frozenset[str]
    """Words that make an unlisted name an armed group's (``armed_group_names``)."""


@dataclass(frozen=True)
class _Governing:
    """``governs`` of organisations.yaml: from ``since`` the group's mentions (sector
    ``own_sector``) stand for ``country``'s government (``sector``)."""

    country: str
    since: date
    sector: str
    own_sector: str


def _day(value: date | str) -> date:
    """YAML reads an ISO date as a date; a quoted one stays text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _channels(marks: dict[str, list[str]] | None) -> _Channels:
    if not marks:
        return _Channels()
    return _Channels(
        sectors=frozenset(marks["sectors"]),
        addressed_by=_lowered(marks.get("addressed_by")),
        after={
            prep: _lowered(marks.get(f"{prep}_after"))
            for prep in ("to", "with", "by")
            if marks.get(f"{prep}_after")
        },
    )


def _lowered(words: list[str] | None) -> frozenset[str]:
    return frozenset(w.lower() for w in words or ())


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


def lexicon_of(knowledge: Knowledge) -> _Lexicon:
    """The lookup tables and pattern lists of ``knowledge`` (built once per Knowledge)."""
    return knowledge.derived("actors.lexicon", _build_lexicon)


def _build_lexicon(knowledge: Knowledge) -> _Lexicon:
    """Read the knowledge files into lookup tables and pattern lists."""
    proper: dict[str, _Proper] = {}
    proper_patterns: dict[str, list[str]] = {}
    country_names: dict[str, str] = {}

    def add(key: str, info: _Proper, phrases: Iterable[str]) -> None:
        proper[key] = info
        proper_patterns.setdefault(key, []).extend(p for p in phrases if p)

    for row in knowledge.csv("countries.csv"):
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
    for seat in knowledge.yaml("government_seats.yaml")["seats"]:
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
    cameo = knowledge.group_countries == "cameo"
    for org in knowledge.yaml("organisations.yaml")["organisations"]:
        add(
            f"org:{org['name']}",
            _Proper(
                "org",
                org.get("country") or (org.get("based_in") if cameo else None),
                org["name"],
                org["sector"],
                org.get("kind", "organisation"),
                org["name"],
            ),
            [org["name"], *(org.get("aliases") or [])],
        )

    data = knowledge.yaml("sectors.yaml")
    ref = knowledge.yaml("actor_references.yaml")
    patrons = ref.get("patron_marks") or {}
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
        gendered_words={
            w.lower(): gender
            for table in ("gendered_words", "honorifics")
            for gender, words in (ref.get(table) or {}).items()
            if gender != "none"
            for w in words
        },
        honorifics=frozenset(
            w.lower() for words in (ref.get("honorifics") or {}).values() for w in words
        ),
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
        first_person_possessives=frozenset(ref["first_person_possessives"]),
        connectors=frozenset(ref["title_connectors"]),
        coordinators=frozenset(ref["coordinators"]),
        location_preps=frozenset(ref["attached_phrases"]["location"]),
        membership_preps=frozenset(ref["attached_phrases"]["membership"]),
        origin_preps=frozenset(ref["attached_phrases"].get("origin") or []),
        origin_verbs=_lowered(ref["attached_phrases"].get("origin_verbs")),
        stationed_sectors=frozenset(ref["attached_phrases"]["stationed_sectors"]),
        service_preps=_lowered(ref["attached_phrases"].get("service")),
        serving_roles=frozenset(
            w.lower() for w in ref["attached_phrases"].get("serving_roles") or []
        ),
        brief_roles=frozenset(w.lower() for w in ref["attached_phrases"].get("brief_roles") or []),
        patron_after=_lowered(patrons.get("after")),
        patron_before=_lowered(patrons.get("before")),
        patron_unhyphenated=_lowered(patrons.get("unhyphenated")),
        patron_leads=_lowered(patrons.get("leads")),
        channels=_channels(ref.get("channel_marks")),
        placeless_sectors=frozenset(
            ref["placeless_sectors"] + ([] if cameo else ref["stateless_sectors"])
        ),
        minority_markers=frozenset(w.lower() for w in ref["minority_markers"]),
        stateless_peoples=_lowered(ref.get("stateless_peoples")),
        party_role_sectors=frozenset(ref.get("party_role_sectors") or ()),
        stateless_sectors=frozenset(ref["stateless_sectors"]),
        party_countries={
            word: iso3
            for iso3, words in (ref.get("party_countries") or {}).items()
            for word in words
        },
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
        armed_marks=frozenset((data.get("armed_group_names") or {}).get("marks") or []),
        armed_heads=frozenset((data.get("armed_group_names") or {}).get("heads") or []),
        governing={
            org["name"]: _Governing(
                org["governs"]["country"],
                _day(org["governs"]["since"]),
                org["governs"].get("sector", "GOV"),
                org["sector"],
            )
            for org in knowledge.yaml("organisations.yaml")["organisations"]
            if org.get("governs")
        },
    )


def _matchers(knowledge: Knowledge, vocab: Vocab) -> tuple[PhraseMatcher, PhraseMatcher]:
    """Phrase matchers for proper names (as written) and role words (any case), per vocab."""
    entry = _vocab_tables(knowledge, vocab)
    return entry[2], entry[3]


def _tokenizer(knowledge: Knowledge, vocab: Vocab) -> Callable[[str], Doc]:
    """A tokenizer sharing ``vocab``, to turn pattern phrases into Docs."""
    return _vocab_tables(knowledge, vocab)[1]


_VocabTables = tuple["Vocab", "Callable[[str], Doc]", "PhraseMatcher", "PhraseMatcher"]


def _vocab_tables(knowledge: Knowledge, vocab: Vocab) -> _VocabTables:
    """Tokenizer and matchers for one spaCy vocab, kept with the knowledge they come from."""
    built: dict[int, _VocabTables] = knowledge.derived("actors.matchers", lambda _: {})
    entry = built.get(id(vocab))
    if entry is None or entry[0] is not vocab:
        import spacy

        make_doc = spacy.blank("en", vocab=vocab).make_doc
        entry = (vocab, make_doc, *_build_matchers(lexicon_of(knowledge), vocab, make_doc))
        built[id(vocab)] = entry
    return entry


def _build_matchers(
    lex: _Lexicon, vocab: Vocab, make_doc: Callable[[str], Doc]
) -> tuple[PhraseMatcher, PhraseMatcher]:
    from spacy.matcher import PhraseMatcher

    proper = PhraseMatcher(vocab, attr="ORTH")
    for key, phrases in lex.proper_patterns.items():
        proper.add(key, [make_doc(p) for p in _apostrophe_forms(phrases)])
    roles = PhraseMatcher(vocab, attr="LOWER")
    for key, phrases in lex.role_patterns.items():
        roles.add(key, [make_doc(p) for p in _apostrophe_forms(phrases)])
    log.debug("built actor matchers: %d proper keys, %d role keys", len(proper), len(roles))
    return proper, roles


def _apostrophe_forms(phrases: Iterable[str]) -> list[str]:
    """Each phrase as written and with its apostrophes in the other form: news text mostly
    writes the typographic one ("Kurdistan Workers’ Party"), knowledge files the straight."""
    out: dict[str, None] = {}
    for phrase in phrases:
        out[phrase] = None
        if "'" in phrase or "\u2019" in phrase:
            out[phrase.replace("'", "\u2019")] = None
            out[phrase.replace("\u2019", "'")] = None
    return list(out)
