"""Context countries: a mention without a country takes the one its sentence or document
sets, never one borrowed from the other party of an event.

Which of the document's countries that is, is a weighted choice (``context_countries.yaml``):
each country the document names is scored by a weighted sum of what the text says of it
around the mention (named in this sentence or as its place, how recently before, how often,
as a nationality...), and the best one is taken. The built-in weights reproduce a fixed order
(the sentence's one place, else its one named country, else the document's most named);
``python -m eventwire.training.context_country`` learns weights from annotated news for a
knowledge folder (measured in docs/learned.md, session 15).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eventwire.knowledge import Knowledge
from eventwire.knowledge.schemas import CONTEXT_FEATURES
from eventwire.models import ActorMention

if TYPE_CHECKING:
    from spacy.tokens import Doc


from eventwire.actors.lexicon import lexicon_of
from eventwire.actors.tables import (
    POSSESSIVE,
    SUBJECT_DEPS,
    _gazetteer_places,
    _stateless,
    _Tables,
)
from eventwire.actors.titles import _brief

NATIONALITY_KINDS = frozenset({"adjective", "nationals"})
"""Proper-name kinds that say whose a person or group is ("British", "Britons")."""


@dataclass(frozen=True)
class ContextChoice:
    """One mention that takes a country from its context, with every country it could take
    and what the text says of each (for training the weights)."""

    start: int
    end: int
    """Character offsets of the mention in the document body."""
    sentence: int
    chosen: str
    candidates: tuple[str, ...]
    features: tuple[tuple[float, ...], ...]
    """One row per candidate, in ``CONTEXT_FEATURES`` order."""


@dataclass
class _Occurrences:
    """Where the document names each country: per sentence, as a place, as a nationality."""

    order: list[str] = field(default_factory=list)
    """Countries in order of first mention (the tie-break)."""
    counts: dict[str, int] = field(default_factory=dict)
    nationality: dict[str, int] = field(default_factory=dict)
    sentences: dict[str, list[int]] = field(default_factory=dict)
    """Sorted sentence numbers where each country is named."""
    places: dict[int, set[str]] = field(default_factory=dict)
    named: dict[int, set[str]] = field(default_factory=dict)
    nationality_here: dict[int, set[str]] = field(default_factory=dict)

    def add(self, sentence: int, country: str) -> None:
        if country not in self.counts:
            self.order.append(country)
        self.counts[country] = self.counts.get(country, 0) + 1
        bisect.insort(self.sentences.setdefault(country, []), sentence)


def _other_party(doc: Doc, start: int, end: int, knowledge: Knowledge) -> bool:
    """The words name the other party of their clause: its object or recipient ("threatened
    Russia", "action against Russia", "criticised China's policies"), not a place or origin
    ("in Kampala", "officials from Chad") and not a subject."""
    refs = lexicon_of(knowledge).refs
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


def _occurrences(doc: Doc, tables: _Tables, sent_of: list[int]) -> _Occurrences:
    """Every naming of a country, counted over the words that name it (a long phrase once).

    A state standing as object ("the government accused Rwanda") is an actor of its own, often
    the other party, so it is recorded in ``tables.other_parties`` and not as named there; "a
    Syria expert" names the expert's subject, not whose the sentence's people are.
    """
    refs = tables.lex.refs
    found = _Occurrences()
    spans = [(start, end, info.country, info.kind) for start, end, info in tables.proper_spans]
    spans += [(s, e, country, "town") for s, e, country in _gazetteer_places(doc, tables)]
    for start, end, country, kind in sorted(spans, key=lambda s: s[0]):
        if country is None:
            continue
        sentence = sent_of[start]
        root = doc[start:end].root
        found.add(sentence, country)
        if kind in NATIONALITY_KINDS:
            found.nationality[country] = found.nationality.get(country, 0) + 1
            found.nationality_here.setdefault(sentence, set()).add(country)
        if kind in ("country", "capital", "seat") and _other_party(
            doc, start, end, tables.knowledge
        ):
            # the state itself; "Chilean officials", "the Zambian people" are its own people
            tables.other_parties.setdefault(sentence, set()).add(country)
        standalone = (
            kind in ("country", "capital", "seat")
            and not (end < len(doc) and doc[end].text in POSSESSIVE)
            and root.dep_ in SUBJECT_DEPS | {"dobj", "dative"}
        )
        brief = kind == "country" and _brief(doc, start, end, tables.lex)
        if not standalone and not brief:
            found.named.setdefault(sentence, set()).add(country)
        if (
            kind in ("country", "capital", "town")
            and root.dep_ == "pobj"
            and root.head.lower_ in refs.location_preps
        ):
            found.places.setdefault(sentence, set()).add(country)
    return found


def _features(
    found: _Occurrences, sentence: int, others: set[str], person: bool
) -> list[tuple[float, ...]]:
    """What the text says of each country (in ``found.order``) for a mention in ``sentence``;
    the columns are ``CONTEXT_FEATURES``. ``others`` are the states standing as the other
    party of that sentence."""
    total = sum(found.counts.values())
    ranked = sorted(found.order, key=lambda c: -found.counts[c])  # stable: first named on ties
    places = found.places.get(sentence, set())
    named = found.named.get(sentence, set())
    nationals_here = found.nationality_here.get(sentence, set())
    rows = []
    for country in found.order:
        at = found.sentences[country]
        i = bisect.bisect_right(at, sentence)
        row = {
            "place_alone": float(places == {country}),
            "placed_here": float(country in places),
            "named_alone": float(named == {country}),
            "named_here": float(country in named),
            "most_named": float(ranked[0] == country),
            "second_most_named": float(len(ranked) > 1 and ranked[1] == country),
            "share": found.counts[country] / total,
            "log_count": math.log1p(found.counts[country]),
            "other_party_here": float(country in others),
            "recency_before": 1 / (1 + sentence - at[i - 1]) if i > 0 else 0.0,
            "recency_after": 1 / (1 + at[i] - sentence) if i < len(at) else 0.0,
            "in_lead": float(at[0] <= 1),
            "first_named": float(found.order[0] == country),
            "nationality_share": found.nationality.get(country, 0) / total,
            "nationality_here": float(country in nationals_here),
        }
        for name in (
            "place_alone",
            "most_named",
            "recency_before",
            "nationality_share",
            "other_party_here",
        ):
            row["person_" + name] = row[name] if person else 0.0
        rows.append(tuple(row[name] for name in CONTEXT_FEATURES))
    return rows


Chooser = Callable[[int, bool], tuple[str | None, list[tuple[float, ...]]]]


def _context_country(
    doc: Doc, tables: _Tables, sent_of: list[int], weights: tuple[float, ...]
) -> tuple[list[str], Chooser]:
    """The document's countries, and a chooser: for a mention in sentence ``n`` (a person or
    not), the country with the best weighted score, with every candidate's features. Local news
    rarely repeats whose police or farmers it means; the weights say how far to trust each
    sign of it."""
    found = _occurrences(doc, tables, sent_of)
    cache: dict[tuple[int, bool], tuple[str | None, list[tuple[float, ...]]]] = {}

    def choose(sentence: int, person: bool) -> tuple[str | None, list[tuple[float, ...]]]:
        key = (sentence, person)
        if key not in cache:
            rows = _features(found, sentence, tables.other_parties.get(sentence, set()), person)
            scores = [sum(w * x for w, x in zip(weights, row, strict=True)) for row in rows]
            best = max(range(len(rows)), key=lambda i: scores[i], default=None)  # first on ties
            cache[key] = (found.order[best] if best is not None else None, rows)
        return cache[key]

    return found.order, choose


def context_weights(knowledge: Knowledge) -> tuple[float, ...]:
    """The run's weights, in ``CONTEXT_FEATURES`` order (the file's schema checks the names)."""
    table = knowledge.yaml("context_countries.yaml")["weights"]
    return tuple(float(table[name]) for name in CONTEXT_FEATURES)


def _with_context_countries(
    doc: Doc,
    tables: _Tables,
    sent_of: list[int],
    mentions: list[ActorMention],
    known_people: frozenset[str] = frozenset(),
    choices: list[ContextChoice] | None = None,
) -> list[ActorMention]:
    """Sector-only actors ("police", "the government", "rebels") and people the text does not
    place get the country the text around them is about (as annotators read them);
    international sectors (IGO, NGO) and refugees stay without one, and so do people the
    actor knowledge codes without one (``known_people``). With ``choices``, each choice made
    is recorded there too."""
    lex = tables.lex
    refs = lex.refs
    if not any(
        m.entity.country is None
        and (m.entity.sector is not None or m.entity.kind == "person")
        and m.entity.sector not in refs.placeless_sectors
        for m in mentions
    ):
        return mentions  # nothing to fill: spare the gazetteer
    countries, choose = _context_country(doc, tables, sent_of, context_weights(tables.knowledge))
    first_read: dict[str | None, str | None] = {}
    out = []
    for m in mentions:
        entity = m.entity
        if (
            entity.country is None
            and not (entity.kind == "person" and entity.name in known_people)
            and (entity.org is None or entity.org not in lex.known_orgs)
            and (entity.sector is not None or entity.kind == "person")
            and entity.sector not in refs.placeless_sectors
            and not _stateless(doc, m.token_start, m.token_end, tables)
        ):
            # an untitled person keeps the country read where they were first named
            untitled = entity.kind == "person" and entity.sector is None and bool(entity.name)
            if untitled and entity.name in first_read:
                country = first_read[entity.name]
            else:
                country, rows = choose(m.sentence, entity.kind == "person")
                if choices is not None and country is not None and entity.start is not None:
                    choices.append(
                        ContextChoice(
                            entity.start,
                            entity.end or entity.start,
                            m.sentence,
                            country,
                            tuple(countries),
                            tuple(rows),
                        )
                    )
                if entity.kind == "person" and country in tables.other_parties.get(m.sentence, ()):
                    country = None  # "President X threatened Russia": X is not Russian
                if untitled:
                    first_read[entity.name] = country
            if country is not None:
                guessed = {"country": country, "country_from_context": True}
                m = m.model_copy(update={"entity": entity.model_copy(update=guessed)})
        out.append(m)
    return out
