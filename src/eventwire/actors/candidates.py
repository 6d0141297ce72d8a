"""Candidate mentions besides people: proper names, towns, role phrases, unknown
organisations, modifiers ("Iranian officials") and references ("the two countries")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventwire.models import Entity, EntityKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


from eventwire.actors.lexicon import _Proper, _Role
from eventwire.actors.people import _Person
from eventwire.actors.tables import (
    MODIFIER_DEPS,
    NOMINAL_DEPS,
    NOUN_POS,
    PLURAL_TAGS,
    POSSESSIVE,
    _gazetteer_places,
    _stateless,
    _Tables,
)
from eventwire.actors.titles import _attached_title, _parse_title

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
    ending = {end: info for _, end, info in tables.proper_spans}
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
        country = info.country
        if info.kind == "seat":
            country = _owner(doc, start, ending) or country
        entity = _entity(
            doc,
            start,
            end,
            name=info.name,
            country=country,
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
    refs = tables.lex.refs
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


def _owner(doc: Doc, start: int, ending: dict[int, _Proper]) -> str | None:
    """The country a seat's name is qualified with: "the Canadian Justice Department",
    "Canada's Justice Department" (the Justice Department alone is America's)."""
    before = ending.get(start)
    if before is not None and before.kind == "adjective":
        return before.country
    if start > 0 and doc[start - 1].text in POSSESSIVE:
        owner = ending.get(start - 1)
        if owner is not None and owner.kind in ("country", "capital"):
            return owner.country
    return None


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
    heads = tables.lex.organisation_heads
    out: list[_Cand] = []
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        span = range(ent.start, ent.end)
        sector = heads.get(ent[-1].text.rstrip("."))
        if any(i in covered or i in tables.channels for i in span) or ent.root.i in role_covered:
            continue  # a person's title, a role phrase ("the ruling party") already read, or
            # an outlet spoken to
        if any(i in tables.proper and tables.proper[i][2].kind == "org" for i in span):
            continue  # a listed organisation inside: it is read from the list
        if sector is None and any(
            i in role_covered or i in tables.roles or i in tables.proper for i in span
        ):
            continue
        out.append(_named_body(doc, ent, tables, sector, "organisation", bool(sector)))
    return out


def _named_body(
    doc: Doc, ent: Span, tables: _Tables, sector: str | None, kind: str, read_country: bool
) -> _Cand:
    """A named organisation or group not in the files, named without its article ("the Home
    Office" -> "Home Office"); its country from its own words when ``read_country``."""
    first = ent.start + 1 if ent[0].pos_ == "DET" and len(ent) > 1 else ent.start
    name = doc[first : ent.end].text
    title = _parse_title(doc, first, ent.end, tables) if read_country else None
    entity = _entity(
        doc,
        ent.start,
        ent.end,
        name=name,
        org=name,
        country=title.country if title else None,
        sector=sector,
        kind=kind,
    )
    return _Cand(ent.start, ent.end, ent.root.i, entity)


def _armed_group_candidates(doc: Doc, tables: _Tables, covered: set[int]) -> list[_Cand]:
    """Armed groups the files do not list, read from their names ("the Baloch Liberation
    Army": REB, no country under the guideline). Taken before role phrases, which would
    read "Army" as a state's military and "Baloch" as a people."""
    lex = tables.lex
    if not lex.armed_marks:
        return []
    out: list[_Cand] = []
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "NORP") or len(ent) < 2:
            continue
        span = range(ent.start, ent.end)
        if any(i in covered for i in span):
            continue
        if any(i in tables.proper and tables.proper[i][2].kind == "org" for i in span):
            continue  # a listed organisation: read from the list
        words = [t.text for t in ent]
        if words[-1] not in lex.armed_heads or not lex.armed_marks & set(words[:-1]):
            continue
        cameo = tables.knowledge.group_countries == "cameo"
        out.append(_named_body(doc, ent, tables, "REB", "group", cameo))
    return out


def _modified_noun(tok: Token, leads: frozenset[str] = frozenset()) -> Token | None:
    """The noun a country modifier ultimately modifies: "Israeli army bulldozers" -> bulldozers,
    "Turkish and Greek sides" -> sides (through the coordination), "a Saudi-led coalition"
    -> coalition (through a ``leads`` word)."""
    while tok.dep_ == "conj" and tok.head.i < tok.i:
        tok = tok.head
    if tok.dep_ == "npadvmod" and tok.head.lower_ in leads and tok.head.i > tok.i:
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
        noun = _modified_noun(doc[start:end].root, tables.lex.refs.patron_leads)
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
        left = _role_phrase_start(doc, head, start, covered)
        out += _role_phrase(doc, tables, role, head, (left, start, end), person_at or {})
    return out


def _role_phrase_start(doc: Doc, head: Token, start: int, covered: set[int]) -> int:
    """Where the role word's phrase starts: its left edge, without covered words, punctuation
    or a possessor's "'s" ("Assad's forces": the phrase is "forces", owned by Assad)."""
    left = max(head.left_edge.i, head.sent.start)
    while left < start and (doc[left].is_punct or left in covered):
        left += 1
    if any(i in covered for i in range(left, start)):
        left = start
    while left < start and doc[left].text in POSSESSIVE:
        left += 1
    return left


def _role_phrase(
    doc: Doc,
    tables: _Tables,
    role: _Role,
    head: Token,
    span: tuple[int, int, int],
    person_at: dict[int, _Person],
) -> list[_Cand]:
    """The candidates of one role phrase (``span``: phrase start, role word start, end): a
    person, or a group per coordinated country."""
    left, start, end = span
    title = _parse_title(doc, left, end, tables)
    sector = title.sector if title else role.sector
    country = title.country if title else None
    org = title.org if title else None
    # "Assad's forces"; an institution also by a name before it ("the Assad regime")
    owners = ("poss", "compound") if role.cls == "body" else ("poss",)
    owner = next(
        (person_at[c.i] for c in head.lefts if c.dep_ in owners and c.i in person_at), None
    )
    if owner is not None and country is None and org is None:
        country = owner.country
        org = owner.org if owner.country is None else None
    if country is None and org is None:
        attached = _attached_title(doc, head, tables, sector)
        if attached is not None:
            country, org = attached.country, attached.org
            if sector is None or (
                attached.org and (sector in tables.lex.generic or attached.serves)
            ):
                sector = attached.sector  # "a delegation from the African Union": IGO
    refs = tables.lex.refs
    if org and sector in refs.stateless_sectors and tables.knowledge.group_countries != "cameo":
        country = None  # "Somalia's al-Shabab militants": a named armed group is no state's
    if country is None and org is None and sector == "MIL" and _stateless(doc, left, end, tables):
        sector = "REB"  # "Kurdish forces": a people without a state has no army of its own
    plural = role.plural_form or head.tag_ in PLURAL_TAGS
    if role.cls in ("person", "rank", "neutral") and not plural:
        dets = {t.lower_ for t in doc[left:start]}
        ref = "description" if (dets & tables.lex.refs.definite) else None
        if role.cls == "neutral" and ref is None and not (country or org):
            return []  # "a figure", "one member": no actor worth coding
        entity = _entity(
            doc,
            left,
            end,
            country=country,
            sector=sector,
            org=org,
            kind="person",
            role=title.role if title else head.text,
        )
        return [_Cand(left, end, head.i, entity, ref=ref)]
    # plural words, and collectives of a population sector ("the public"), are
    # groups/populations; singular institution words name an organisation
    populous = plural or role.plural_kind == "population"
    kind: EntityKind = role.plural_kind if populous else "organisation"
    return [
        _Cand(
            left,
            end,
            head.i,
            _entity(doc, left, end, country=each, sector=sector, org=org, kind=kind),
        )
        for each in (title.coordinated if title and title.coordinated else (country,))
    ]


def _reference_candidates(doc: Doc, tables: _Tables, covered: set[int]) -> list[_Cand]:
    """Pronouns, pair references ("both countries") and country descriptions ("the country")."""
    refs = tables.lex.refs
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
