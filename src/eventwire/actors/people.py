"""People: name spans (tagged, known to the actor knowledge, in apposition, repeated), their
titles, and the office-holder knowledge for people the text does not code."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from eventwire import actorkb
from eventwire.actorkb.people import APOSTROPHES
from eventwire.errors import EventwireError
from eventwire.gazetteer import geocode
from eventwire.knowledge import Knowledge

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


from eventwire.actors.lexicon import _tokenizer
from eventwire.actors.tables import (
    HYPHENS,
    MAX_NAME_WORDS,
    MAX_TITLE_WORDS_BEFORE_NAME,
    NOT_NAMES,
    NOUN_POS,
    _longest,
    _Tables,
)
from eventwire.actors.titles import (
    _apposition_title,
    _parse_title,
    _scan_title_left,
    _service_phrase,
    _Title,
)

log = logging.getLogger(__name__)

# letters joined by apostrophes (the marks names are normalised over), as in transliterated
# and Irish names
_APOSTROPHED = re.compile(rf"[^\W\d_]+(?:[{re.escape(APOSTROPHES)}][^\W\d_]+)+")

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
        # whom they work for outranks their job ("a press officer for the YPG" is REB)
        self.sector = (title.serves and title.sector) or self.sector or title.sector
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


def _after_honorifics(doc: Doc, start: int, end: int, honorifics: frozenset[str]) -> int:
    """Where the name ``doc[start:end]`` begins after the honorifics before it ("Mrs May":
    "May"); never past its last word."""
    i = start
    while i < end - 1 and (doc[i].lower_.rstrip(".") in honorifics or doc[i].text == "."):
        i += 1
    return i


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
            start in tables.roles or doc[start].lower_ in tables.lex.title_modifiers
        ):
            start += 1  # "General Alexander Fomin": the rank is title, not name
        while end > start and not _lettered(doc[end - 1]):
            end -= 1
        if start >= end or any(i in tables.proper for i in range(start, end)):
            continue
        spans.append((start, end))
    return spans


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
    make_doc = _tokenizer(tables.knowledge, doc.vocab)
    matcher.add("NAME", [make_doc(form) for form in forms])
    found = []
    for _, start, end in _longest(list(matcher(doc))):
        if any(i in taken for i in range(start, end)):
            continue
        if doc[start].pos_ not in NOUN_POS:
            continue
        found.append((start, end))
    return found


def _in_office(name: str, on: date | None, knowledge: Knowledge) -> bool:
    """Whether the active actor knowledge (else the built-in files) knows ``name`` as one
    person holding a role on ``on`` (their latest role when the date is unknown)."""
    active = knowledge.actors
    is_known = getattr(active, "is_known_name", None)
    if is_known is not None and not is_known(name):
        return False
    try:
        return actorkb.lookup_person(knowledge, name, on) is not None
    except EventwireError as exc:  # an optional knowledge base must not stop coding
        log.warning("office-holder lookup unavailable: %s", exc)
        return False


def _former(name: str, on: date | None, knowledge: Knowledge) -> bool:
    """A former office holder is still that person (``actorkb.took_office_by``)."""
    if on is None:
        return False
    try:
        return actorkb.took_office_by(knowledge, name, on)
    except EventwireError as exc:  # an optional knowledge base must not stop coding
        log.warning("office-holder lookup unavailable: %s", exc)
        return False


def _lettered(tok: Token) -> bool:
    """Letters only, or letters joined by apostrophes ("Sa'ar", "O’Brien")."""
    return tok.is_alpha or _APOSTROPHED.fullmatch(tok.text) is not None


def _name_word(doc: Doc, i: int) -> bool:
    """A word that can be part of a name: a proper noun (``_lettered``), a foreign particle
    before one ("de Mistura"), or a hyphen joining two such words without spaces
    ("Akufo-Addo")."""
    tok = doc[i]
    lettered = _lettered(tok)
    if tok.pos_ == "PROPN" and (lettered or tok.text in HYPHENS):
        return True
    if tok.pos_ == "NOUN" and tok.is_title and lettered:
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
    refs = tables.lex.refs
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
            if _other_given_name(doc, run_start, first, run_end, tables):
                break  # "Kenzo Oshima": not the office holder whose surname is Oshima
            if _in_office(span.text, on, tables.knowledge) or _former(
                span.text, on, tables.knowledge
            ):
                found.append((first, run_end))
                break
    return found


def _other_given_name(doc: Doc, run_start: int, first: int, end: int, tables: _Tables) -> bool:
    """A one-word tail of a run of name words, known only as the last word of someone's name,
    behind a word that is no honorific: the run names another person of that surname."""
    if first == run_start or end - first != 1:
        return False
    before = doc[first - 1]
    if before.lower_.rstrip(".") in tables.lex.refs.honorifics or not before.is_title:
        return False
    return actorkb.known_only_as_surname(tables.knowledge, doc[first].text)


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
        after: _Title | None = None  # "Lt. Gen. X, director general of Pakistan's ...": whose
        if title is None or not (title.has_role or title.country):
            title = _apposition_title(doc, start, end, tables) or title
            if title is not None and title.start > start:
                tstart = start
            elif title is not None:
                tstart = title.start
        elif not (title.country or title.org):
            found = _apposition_title(doc, start, end, tables)
            if found is not None and found.start >= end and (found.country or found.org):
                after = found
        if not any(t is not None and (t.country or t.org) for t in (title, after)):
            # "Lina Khatib of Chatham House", "Stafford Smith, of Reprieve"
            after = _service_phrase(doc, doc[start:end].root, tables) or after
        first = _after_honorifics(doc, start, end, tables.lex.refs.honorifics)
        tokens = tuple(t.text for t in doc[first:end] if not t.is_punct)
        person = _match_person(doc[first:end].text, tokens, people)
        if person is None:
            person = _Person(doc[first:end].text, tokens)
            people.append(person)
        person.absorb(title)
        person.absorb(after)
        if person.country is None:
            person.country = _origin(doc, start, end, tables)
        person.gender = person.gender or _gender_of(doc, start, end, tstart, tables)
        span_start = min(tstart, start)
        span_end = title.end if title is not None and title.start >= end else end
        if after is not None:
            span_end = after.end
        mentions.append(_PersonMention(person, start, end, span_start, span_end, title))
    _inherit_coordinated_country(doc, mentions)
    return mentions


def _origin(doc: Doc, start: int, end: int, tables: _Tables) -> str | None:
    """The country a person comes from, said beside the name (``attached_phrases.origin``):
    "Joe Robinson, 24, from Accrington", "Dean Evans, a dairy farmer from Reading" (a known
    country, or a place the gazetteer knows; never an organisation)."""
    origin = tables.lex.refs.origin_preps
    root = doc[start:end].root
    heads = [root, *(c for c in root.children if c.dep_ == "appos" and c.i >= end)]
    heads += [c for c in root.children if _origin_clause(c, end, tables)]
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in origin or prep.i < end:
                continue
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.pos_ == "PROPN":
                    return _place_country(doc, obj, tables)
    return None


def _origin_clause(clause: Token, end: int, tables: _Tables) -> bool:
    """A relative clause on the name whose subject is the person ("who is from", "who hails
    from"), not someone of theirs ("whose family is from")."""
    return (
        clause.dep_ == "relcl"
        and clause.i >= end
        and clause.lemma_.lower() in tables.lex.refs.origin_verbs
        and any(c.dep_ == "nsubj" and c.tag_ == "WP" for c in clause.children)
    )


def _place_country(doc: Doc, obj: Token, tables: _Tables) -> str | None:
    """The country of a place name ending at ``obj``: a country or capital of the knowledge,
    else the gazetteer's reading; None for an organisation or an unknown name."""
    found = tables.proper.get(obj.i)
    if found is not None:
        info = found[2]
        return info.country if info.kind in ("country", "capital") else None
    first = obj.i
    while first > 0 and doc[first - 1].dep_ == "compound" and doc[first - 1].pos_ == "PROPN":
        first -= 1
    location = geocode(doc[first : obj.i + 1].text, knowledge=tables.knowledge, alternates=False)
    return location.country if location is not None and location.country else None


def _gender_of(doc: Doc, start: int, end: int, tstart: int, tables: _Tables) -> str | None:
    """The gender the text gives a named person: an honorific or gendered word before the
    name ("Mrs May", "spokeswoman Maria Zakharova"), or a noun the name stands in apposition
    with ("her father, Dirk Campbell", "Dirk Campbell, her father")."""
    words = tables.lex.refs.gendered_words
    if not words:
        return None
    root = doc[start:end].root
    near = [*doc[max(min(tstart, start - 1), 0) : start]]
    if root.dep_ == "appos":
        near.append(root.head)
    near += [c for c in root.children if c.dep_ == "appos" and c.i >= end]
    for tok in near:
        gender = words.get(tok.lower_.rstrip("."))
        if gender is not None:
            return gender
    return None


def _inherit_coordinated_country(doc: Doc, mentions: list[_PersonMention]) -> None:
    """A titled person joined by 'and' to a titled compatriot shares the country."""
    for prev, cur in pairwise(mentions):
        if cur.person.country or not cur.title or not cur.title.has_role:
            continue
        between = doc[prev.end : cur.start]
        if prev.person.country and [t.lower_ for t in between] in (["and"], [",", "and"], [","]):
            cur.person.country = prev.person.country


def _serve_their_owner(doc: Doc, mentions: list[_PersonMention]) -> None:
    """A titled person whose title belongs to another person ("Jim Jeffrey, Trump's Syria
    envoy", "Trump's envoy Jim Jeffrey") serves that person's state, when nothing else in the
    text or the knowledge gives them one. Run after the knowledge lookup, which places owners."""
    for m in mentions:
        if m.person.country or m.person.org or m.title is None or not m.title.has_role:
            continue
        head = doc[m.title.start : m.title.end].root
        for child in head.children:
            if child.dep_ != "poss":
                continue
            owner = next((o.person for o in mentions if o.name_start <= child.i < o.name_end), None)
            if owner is not None and owner is not m.person and owner.country:
                m.person.country = owner.country
                break


def _name_tails(name: str) -> list[str]:
    """The name, then without its leading words while two remain: an honorific or a first
    name the knowledge does not list ("Mawlawi Hibatullah Akhundzada")."""
    words = name.split()
    return [name] + [" ".join(words[i:]) for i in range(1, len(words) - 1)]


def _lookup_knowledge_base(
    people: Iterable[_Person], on: date | None, knowledge: Knowledge
) -> None:
    """People without a country: ask the office-holder knowledge (user edits first)."""

    def lookup(name: str, on: date | None) -> Any:
        return actorkb.lookup_person(knowledge, name, on)

    active = knowledge.actors
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
        found: Any = None
        dated = False
        for name in _name_tails(person.name):
            found = lookup(name, on)
            dated = found is not None
            if found is None and on is not None:
                # not in office that day (or an archive date the base does not reach): a
                # person's country outlives their office, their title does not
                found = lookup(name, None)
            if found is not None:
                break
        if found is None:
            continue
        person.country = getattr(found, "country", None)
        person.known = True
        if not dated:
            person.sector = person.sector or getattr(found, "sector", None)
            continue
        if person.role and person.sector:
            continue  # the text's own title wins over the knowledge base's
        # a title that names no sector ("the high commissioner", "their imprisoned leader")
        # says nothing against the knowledge: take its sector and organisation
        person.sector = person.sector or getattr(found, "sector", None)
        person.role = person.role or getattr(found, "title", None) or getattr(found, "role", None)
        person.org = person.org or getattr(found, "org", None)
