"""Speakers: a quoted person takes the country of the headline's or the quote's state
("Iran's foreign minister said ... Zarif")."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from eventwire.knowledge import Knowledge

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from eventwire.nlp import ParsedDocument

from eventwire.actors.lexicon import lexicon_of
from eventwire.actors.people import _PersonMention
from eventwire.actors.tables import POSSESSIVE, SUBJECT_DEPS, _Tables, _tables
from eventwire.actors.titles import _parse_title, _Title

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


def _speech_verb(doc: Doc, start: int, end: int, knowledge: Knowledge) -> Token | None:
    """The verb of saying whose subject is the span, if any."""
    refs = lexicon_of(knowledge).refs
    for i in range(start, end):
        tok = doc[i]
        if (
            tok.dep_ in SUBJECT_DEPS
            and not (start <= tok.head.i < end)
            and tok.head.lemma_.lower() in refs.speech_verbs
        ):
            return tok.head
    return None


def _headline_role(parsed: ParsedDocument, knowledge: Knowledge) -> _Title | None:
    """A role the headline gives its speaker: "Spokesman: Iran to ...", "Iran's FM: ..."."""
    title_doc = parsed.title_doc
    if title_doc is None or len(title_doc) == 0:
        return None
    tables = _tables(title_doc, knowledge)
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
                or tok.lower_ in lexicon_of(knowledge).title_modifiers
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
    refs = tables.lex.refs
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
            tok.lower_ in refs.first_person_possessives
            and nxt < len(doc)
            and (doc[nxt].lower_ in refs.first_person_country_nouns)
        ):
            return _headline_country(parsed, tables.knowledge)
    return None


def _headline_country(parsed: ParsedDocument, knowledge: Knowledge) -> str | None:
    if parsed.title_doc is None:
        return None
    for _, _, info in _tables(parsed.title_doc, knowledge).proper_spans:
        if info.country and info.kind != "org":
            return info.country
    return None


def _apply_speaker_rules(
    parsed: ParsedDocument, tables: _Tables, mentions: list[_PersonMention]
) -> None:
    """Untitled speakers: the headline's role (first speaker), the quote's 'we' (any speaker)."""
    doc = parsed.doc
    headline = _headline_role(parsed, tables.knowledge)
    first_done = False
    for mention in mentions:
        verb = _speech_verb(doc, mention.name_start, mention.name_end, tables.knowledge)
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
