"""Context countries: a mention without a country takes the one its sentence or document
sets, never one borrowed from the other party of an event."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from eventwire.knowledge import Knowledge
from eventwire.models import ActorMention

if TYPE_CHECKING:
    from spacy.tokens import Doc


from eventwire.actors.lexicon import lexicon_of
from eventwire.actors.tables import POSSESSIVE, SUBJECT_DEPS, _gazetteer_places, _Tables
from eventwire.actors.titles import _brief


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


def _context_country(doc: Doc, tables: _Tables, sent_of: list[int]) -> Callable[[int], str | None]:
    """The country a sector-only actor in sentence ``n`` most likely belongs to.

    In order: the one country named as a place in the sentence ("... arrested in Kampala"),
    the one country the sentence names otherwise (a state standing as subject or object is
    an actor of its own, often the other party: "the government accused Rwanda"), else the
    document's most named country (ties: the first named). Local news rarely repeats whose
    police or farmers it means. Counted over the words that name countries, so a long phrase
    counts once.
    """
    refs = tables.lex.refs
    places: dict[int, set[str]] = {}
    named: dict[int, set[str]] = {}
    counts: dict[str, int] = {}
    for start, end, info in tables.proper_spans:
        country = info.country
        if country is None:
            continue
        sentence = sent_of[start]
        if info.kind in ("country", "capital", "seat") and _other_party(
            doc, start, end, tables.knowledge
        ):
            # the state itself; "Chilean officials", "the Zambian people" are its own people
            tables.other_parties.setdefault(sentence, set()).add(country)
        root = doc[start:end].root
        standalone = (
            info.kind in ("country", "capital", "seat")
            and not (end < len(doc) and doc[end].text in POSSESSIVE)
            and root.dep_ in SUBJECT_DEPS | {"dobj", "dative"}
        )
        counts[country] = counts.get(country, 0) + 1  # dicts keep first-named order on ties
        # "a Syria expert" names the expert's subject, not whose the sentence's people are
        brief = info.kind == "country" and _brief(doc, start, end, tables.lex)
        if not standalone and not brief:
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


def _with_context_countries(
    doc: Doc,
    tables: _Tables,
    sent_of: list[int],
    mentions: list[ActorMention],
    known_people: frozenset[str] = frozenset(),
) -> list[ActorMention]:
    """Sector-only actors ("police", "the government", "rebels") and people the text does not
    place get the country the text around them is about (as annotators read them);
    international sectors (IGO, NGO) and refugees stay without one, and so do people the
    actor knowledge codes without one (``known_people``)."""
    lex = tables.lex
    refs = lex.refs
    if not any(
        m.entity.country is None
        and (m.entity.sector is not None or m.entity.kind == "person")
        and m.entity.sector not in refs.placeless_sectors
        for m in mentions
    ):
        return mentions  # nothing to fill: spare the gazetteer
    country_of = _context_country(doc, tables, sent_of)
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
        ):
            # an untitled person keeps the country read where they were first named
            untitled = entity.kind == "person" and entity.sector is None and bool(entity.name)
            if untitled and entity.name in first_read:
                country = first_read[entity.name]
            else:
                country = country_of(m.sentence)
                if entity.kind == "person" and country in tables.other_parties.get(m.sentence, ()):
                    country = None  # "President X threatened Russia": X is not Russian
                if untitled:
                    first_read[entity.name] = country
            if country is not None:
                m = m.model_copy(update={"entity": entity.model_copy(update={"country": country})})
        out.append(m)
    return out
