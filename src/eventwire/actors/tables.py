"""Per-document token tables: which tokens the lexicon's names and role words cover, and
the parse constants the actor modules share."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from eventwire.gazetteer import geocode
from eventwire.knowledge import Knowledge

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


from eventwire.actors.lexicon import _Lexicon, _matchers, _Proper, _Role, lexicon_of

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


# --------------------------------------------------------------------------- token tables


@dataclass
class _Tables:
    """Per-document lookups: which tokens are covered by which match."""

    doc: Doc
    knowledge: Knowledge
    lex: _Lexicon
    proper: dict[int, tuple[int, int, _Proper]] = field(default_factory=dict)
    roles: dict[int, tuple[int, int, _Role]] = field(default_factory=dict)
    proper_spans: list[tuple[int, int, _Proper]] = field(default_factory=list)
    role_spans: list[tuple[int, int, _Role]] = field(default_factory=list)
    towns: list[tuple[int, int, str]] | None = None
    """Gazetteer places (start, end, country), looked up on first use."""
    other_parties: dict[int, set[str]] = field(default_factory=dict)
    """Per sentence: countries named as the object or recipient (see ``_other_party``)."""
    patrons: set[int] = field(default_factory=set)
    """Tokens of names there as someone's patron ("US" in "US-backed"): no actor, no country."""
    channels: set[int] = field(default_factory=set)
    """Tokens of news outlets named as the channel of words ("told Reuters"): likewise."""


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


def _tables(doc: Doc, knowledge: Knowledge) -> _Tables:
    lex = lexicon_of(knowledge)
    proper_matcher, role_matcher = _matchers(knowledge, doc.vocab)
    strings = doc.vocab.strings
    tables = _Tables(doc, knowledge, lex)
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
    _drop_patrons(doc, tables)
    _drop_channels(doc, tables)
    if any(doc[s:e].text in lex.refs.shared_names for s, e, _ in tables.proper_spans):
        _resolve_shared_names(doc, tables)
    return tables


def _patron(doc: Doc, start: int, end: int, tables: _Tables) -> bool:
    """Whether a name is there as the patron of an actor ("US-backed forces", "pro-Iran
    brigades"); a sponsor of talks or an operation stays a party to them."""
    refs = tables.lex.refs
    after = end + 1 if end < len(doc) and doc[end].text == "-" else end
    mark = doc[after] if after < len(doc) else None
    if mark is not None and (
        (after > end and mark.lower_ in refs.patron_after)
        # without a hyphen only as a modifier: "Turkish backed rebels", not "Russia backed Syria"
        or (after == end and mark.lower_ in refs.patron_unhyphenated and mark.dep_ == "amod")
    ):
        return _actor_noun(mark.head, tables)
    before = start - 1 if start > 0 and doc[start - 1].text == "-" else start
    if before > 0 and before < start and doc[before - 1].lower_ in refs.patron_before:
        return _actor_noun(doc[start:end].root.head, tables)
    return False


def _actor_noun(noun: Token, tables: _Tables) -> bool:
    """A role word ("militias", "forces") or a name ("Syrian Democratic Forces", "Houthi
    rebels")."""
    return noun.i in tables.roles or noun.i in tables.proper or noun.pos_ == "PROPN"


def _drop_patrons(doc: Doc, tables: _Tables) -> None:
    refs = tables.lex.refs
    if not (refs.patron_after or refs.patron_unhyphenated or refs.patron_before):
        return
    kept = []
    for start, end, info in tables.proper_spans:
        if _patron(doc, start, end, tables):
            for i in range(start, end):
                tables.proper.pop(i, None)
                tables.patrons.add(i)
        else:
            kept.append((start, end, info))
    tables.proper_spans = kept


def _channel(doc: Doc, start: int, end: int, tables: _Tables) -> range | None:
    """Where a name stands as the outlet spoken to or quoted: the object of "tell", or after
    "to", "with", "by" on a word of saying ("in an interview with CBS", "according to AFP").
    The tokens of the phrase it belongs to ("NBC's Meet the Press"), or None."""
    marks = tables.lex.refs.channels
    tok = doc[start:end].root
    while tok.dep_ in ("poss", "compound", "nmod", "conj", "appos") and tok.head.i != tok.i:
        tok = tok.head
    phrase = range(min(start, tok.left_edge.i), max(end, tok.i + 1))
    if tok.dep_ in ("dobj", "dative"):
        return phrase if tok.head.lemma_.lower() in marks.addressed_by else None
    if tok.dep_ != "pobj":
        return None
    prep = tok.head
    words = marks.after.get(prep.lower_)
    if (
        words
        and prep.head.i != prep.i
        and (prep.head.lemma_.lower() in words or prep.head.lower_ in words)
    ):
        return phrase
    return None


def _drop_channels(doc: Doc, tables: _Tables) -> None:
    """Outlets spoken to, and every name in their phrase ("told Russia's TASS"), act in no event
    and say nothing of whose the story is."""
    sectors = tables.lex.refs.channels.sectors
    if not sectors:
        return
    for start, end, info in tables.proper_spans:
        if info.sector in sectors:
            tables.channels.update(_channel(doc, start, end, tables) or ())
    if not tables.channels:
        return
    kept = []
    for start, end, info in tables.proper_spans:
        if all(i in tables.channels for i in range(start, end)):
            for i in range(start, end):
                tables.proper.pop(i, None)
        else:
            kept.append((start, end, info))
    tables.proper_spans = kept


def _resolve_shared_names(doc: Doc, tables: _Tables) -> None:
    """Give a name several states share ("Congo", "Congolese") the one the document's
    unambiguous cues point to: other names, capitals and towns of one of those states
    ("Kinshasa", "the DRC", "Goma"); with no cue or a tie, the usual reading (listed first)."""
    lex = tables.lex
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


def _gazetteer_places(doc: Doc, tables: _Tables) -> list[tuple[int, int, str]]:
    """Towns and regions the country list does not name ("Lagos", "Kaduna"), with their
    country from the offline gazetteer: they say where a story happens, never who acts."""
    if tables.towns is not None:
        return tables.towns
    out = []
    for ent in doc.ents:
        if ent.label_ != "GPE" or any(
            i in tables.proper or i in tables.patrons or i in tables.channels
            for i in range(ent.start, ent.end)
        ):
            continue
        start = ent.start + 1 if ent[0].pos_ == "DET" and len(ent) > 1 else ent.start
        location = geocode(doc[start : ent.end].text, knowledge=tables.knowledge, alternates=False)
        if location is not None and location.country:
            out.append((start, ent.end, location.country))
    tables.towns = out
    return out


def _stateless(doc: Doc, left: int, end: int, tables: _Tables) -> bool:
    """Whether words of a mention name a people without a state ("Kurdish officials")."""
    return any(t.lower_ in tables.lex.refs.stateless_peoples for t in doc[left:end])
