"""The actors stage in order: people, speakers, candidates, coreference, context."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from eventwire.knowledge import Knowledge
from eventwire.models import ActorMention, Entity

if TYPE_CHECKING:
    from eventwire.nlp import ParsedDocument

from eventwire.actors.acronyms import with_defined_acronyms
from eventwire.actors.candidates import (
    _armed_group_candidates,
    _Cand,
    _modifier_candidates,
    _proper_candidates,
    _reference_candidates,
    _role_candidates,
    _span_head,
    _town_candidates,
    _unknown_org_candidates,
)
from eventwire.actors.context import ContextChoice, _with_context_countries
from eventwire.actors.coreference import _Resolver
from eventwire.actors.governments import with_governments
from eventwire.actors.people import _collect_people, _lookup_knowledge_base, _serve_their_owner
from eventwire.actors.speakers import _apply_speaker_rules
from eventwire.actors.tables import _tables

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- entry point


def extract_actors(
    parsed: ParsedDocument, *, knowledge: Knowledge, choices: list[ContextChoice] | None = None
) -> list[ActorMention]:
    """Every actor-like mention in the body, coded and in text order (see module docstring).

    Person mentions span the title and the name ("Russian Deputy Foreign Minister Sergei
    Vershinin"); their ``entity.text``/``start``/``end`` are the name's words as written there.
    References that stand for several actors ("the two countries") give one mention per member,
    all with the same span and head. With ``choices``, the countries taken from context are
    recorded there with what was read of each candidate (``training.context_country``).
    """
    doc = parsed.doc
    if len(doc) == 0:
        return []
    tables = _tables(doc, knowledge)
    people = _collect_people(doc, tables, parsed.document.published_date)
    _lookup_knowledge_base(
        {id(m.person): m.person for m in people}.values(), parsed.document.published_date, knowledge
    )
    _serve_their_owner(doc, people)
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
    armed = _armed_group_candidates(doc, tables, covered)
    candidates.extend(armed)
    covered.update(i for c in armed for i in range(c.start, c.end))
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
    candidates = with_defined_acronyms(doc, candidates)

    sent_of = [0] * len(doc)
    for index, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = index
    resolver = _Resolver(doc, sent_of, tables.lex)
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
    out = with_governments(out, tables.lex, parsed.document.published_date)
    return _with_context_countries(doc, tables, sent_of, out, known, choices)
