"""Titles: the role words before or around a name ("Russian Deputy Foreign Minister",
"X, the UN envoy for Syria") read into country, sector and organisation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from eventwire.knowledge import Knowledge

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


from eventwire.actors.lexicon import _Lexicon, _Proper, lexicon_of
from eventwire.actors.tables import POSSESSIVE, _Tables

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
    serves: bool = False
    """The organisation is the one the holder works for ("a spokesman for the Taliban"): its
    sector outranks the role word's."""


def _is_title_word(tok: Token, tables: _Tables, lex: _Lexicon) -> bool:
    """A word that can carry a title on its own: role word, modifier, country, organisation
    or a party before a role word ("Republican Senator")."""
    return (
        tok.i in tables.roles
        or tok.i in tables.proper
        or tok.lower_ in lex.title_modifiers
        or _party_before_role(tok.doc, tok.i, tables)
    )


def _party_before_role(doc: Doc, i: int, tables: _Tables) -> bool:
    nxt = tables.roles.get(i + 1)
    return (
        doc[i].text in tables.lex.refs.party_countries
        and nxt is not None
        and (nxt[2].sector in tables.lex.refs.party_role_sectors or nxt[2].cls == "neutral")
    )


def _scan_title_left(
    doc: Doc, end: int, stop: int, tables: _Tables, person_tokens: set[int]
) -> int:
    """Leftmost token of the title words that run up to ``end`` (exclusive); ``end`` if none."""
    lex = tables.lex
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
            # "Islamic State recruiter Neil Prakash": an organisation's plain noun is a title
            org = _organisation_before_nouns(doc, i, stop, tables)
            return end if org is None else org
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


def _organisation_before_nouns(doc: Doc, i: int, stop: int, tables: _Tables) -> int | None:
    """Start of an organisation's name right before the lower-case nouns and adjectives
    ending at ``doc[i]``, the word before a name that is no title word ("Islamic State
    recruiter", "IS deputy caliph"): a member's description names whose they are."""
    if doc[i].pos_ != "NOUN":
        return None
    j = i
    while (
        j >= stop
        and doc[j].is_lower
        and (doc[j].pos_ in ("NOUN", "ADJ") or doc[j].lower_ in tables.lex.refs.coordinators)
    ):
        if i - j >= 4:
            return None
        j -= 1
    found = tables.proper.get(j)
    if j < stop or found is None or found[2].kind != "org" or found[1] != j + 1:
        return None
    return found[0]


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


def _party_country(doc: Doc, start: int, end: int, tables: _Tables) -> str | None:
    """The country of a party named right before a role word ("Republican Senator")."""
    for i in range(start, end - 1):
        if _party_before_role(doc, i, tables):
            return tables.lex.refs.party_countries[doc[i].text]
    return None


def _brief(doc: Doc, start: int, end: int, lex: _Lexicon) -> bool:
    """Whether the country name ``doc[start:end]`` is the brief of the role word after it ("a
    Syria expert"); a short form ("US envoy") works as an adjective and is not."""
    name = doc[start:end].text
    if name.isupper() and len(name) <= 4:
        return False
    return end < len(doc) and doc[end].lower_ in lex.refs.brief_roles


def _role_sector(sectors: list[str], lex: _Lexicon) -> str | None:
    """The first non-generic sector of a title's role words, else the first."""
    specific = [s for s in sectors if s not in lex.generic]
    return specific[0] if specific else (sectors[0] if sectors else None)


def _envoy_of_state(org: _Proper | None, country: str | None, sectors: list[str]) -> bool:
    """A role held at an international body for a state the title names ("Russia's UN
    ambassador", "Iran's IAEA envoy") serves that state, not the body."""
    return bool(
        sectors
        and org is not None
        and org.sector == "IGO"
        and country is not None
        and country != org.country
    )


def _parse_title(doc: Doc, start: int, end: int, tables: _Tables) -> _Title | None:
    """Role text, sector and country from the title words ``doc[start:end]``."""
    if start >= end:
        return None
    lex = tables.lex
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
            elif (
                info.kind in ("adjective", "country", "capital", "seat")
                and (possessive or prev not in ("for", "to", "in", "on", "with", "against"))
                and not (org is not None and org.sector == "IGO" and not possessive)
                and not (info.kind == "country" and not possessive and _brief(doc, s, e, lex))
            ):
                # "the UN Syria envoy": after an international body, a state is the brief
                country = country or info.country
                if info.country and not possessive:
                    adjective_runs.append((s, e, info.country))
                if s == strip_to and (info.kind == "adjective" or possessive):
                    strip_to = e + (1 if possessive else 0)
            i = max(e, i + 1)
            continue
        i += 1
    if _envoy_of_state(org, country, sectors):
        org = None
    sector = rank or (org.sector if org is not None else None) or _role_sector(sectors, lex)
    role_text = doc[strip_to:end].text.strip() if has_role and strip_to < end else None
    return _Title(
        start,
        end,
        role_text,
        sector,
        country or (_party_country(doc, start, end, tables) if has_role else None),
        org.org if org else None,
        has_role,
        _coordinated_countries(doc, adjective_runs, tables.knowledge),
    )


def _coordinated_countries(
    doc: Doc, runs: list[tuple[int, int, str]], knowledge: Knowledge
) -> tuple[str, ...]:
    """Distinct countries of modifiers joined only by coordinators ("Hungarian and Romanian",
    "U.S.-Russian"); empty unless there are at least two."""
    coords = lexicon_of(knowledge).refs.coordinators
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


def _apposition_title(doc: Doc, start: int, end: int, tables: _Tables) -> _Title | None:
    """A title set off by commas: "Zarif, Iran's foreign minister," / "the minister, Zarif".
    After the name, a description without a title word still says whose the person is
    ("Lewal, an Afghan writer")."""
    root = doc[start:end].root
    for child in root.rights:
        if child.dep_ == "appos" and child.i >= end:
            title = _parse_title(doc, child.left_edge.i, child.i + 1, tables)
            if title and (title.has_role or title.country or title.org):
                title = _with_of_phrase(doc, child, title, len(doc), tables)
                if title.country or title.org:
                    return title
            # "Charles Lister, a senior fellow at the Middle East Institute"
            employer = _service_phrase(doc, child, tables, child.left_edge.i)
            if employer is not None or (title and title.has_role):
                return employer or title
    if root.dep_ == "appos" and root.head.i < start:
        head = root.head
        title = _parse_title(doc, head.left_edge.i, head.i + 1, tables)
        if title and title.has_role:
            return _with_of_phrase(doc, head, title, start, tables)
    return None


def _with_of_phrase(doc: Doc, head: Token, title: _Title, stop: int, tables: _Tables) -> _Title:
    """A title whose country or organisation follows in a phrase (``_serves``): read that
    phrase too, when the head words alone name no party."""
    if title.country or title.org:
        return title
    end = title.end
    for child in head.rights:
        if child.dep_ == "prep" and child.i == end and _serves(child, tables):
            end = child.right_edge.i + 1
    while end > title.end and (end > stop or doc[end - 1].is_punct):
        end -= 1
    if end <= title.end:
        return title
    longer = _parse_title(doc, title.start, end, tables)
    if longer is None or not (longer.country or longer.org):
        return title
    return longer


def _employer(prep: Token, tables: _Tables) -> Token | None:
    """The listed organisation a "for/with/at" phrase names as someone's employer."""
    if prep.dep_ != "prep" or prep.lower_ not in tables.lex.refs.service_preps:
        return None
    return _org_object(prep, tables)


def _org_object(prep: Token, tables: _Tables) -> Token | None:
    """The object of ``prep`` that is an organisation the knowledge lists, if any."""
    return next((obj for obj in prep.children if _is_org(obj, tables)), None)


def _service_phrase(
    doc: Doc, head: Token, tables: _Tables, start: int | None = None
) -> _Title | None:
    """Whom a person works for, from a phrase on ``head``: a description beside the name
    ("a senior fellow at the Middle East Institute", "the director for policy at Physicians
    for Human Rights", read from ``start``), or, with no ``start``, the name's own head ("Lina
    Khatib of Chatham House": there "of" counts too). The organisation's sector outranks the
    role's."""
    for prep in head.rights:
        if prep.dep_ != "prep":
            continue
        obj = _employer(prep, tables)
        if obj is None and prep.lower_ == "of" and start is None:
            obj = _org_object(prep, tables)
        if obj is None and start is not None:  # one phrase deeper: "for policy at X"
            obj = next(
                (
                    found
                    for c in prep.children
                    if c.dep_ == "pobj"
                    for deeper in c.rights
                    if (found := _employer(deeper, tables)) is not None
                ),
                None,
            )
        if obj is None:
            continue
        title = _parse_title(doc, obj.left_edge.i if start is None else start, obj.i + 1, tables)
        if title is not None and title.org:
            return replace(title, start=prep.i if start is None else start, serves=True)
    return None


def _is_org(tok: Token, tables: _Tables) -> bool:
    found = tables.proper.get(tok.i) if tok.dep_ == "pobj" else None
    return found is not None and found[2].kind == "org"


def _serves(prep: Token, tables: _Tables) -> bool:
    """A phrase that says whom the title holder works for: "of" ("a member of the Kenyan
    parliament"), or "to" after an adviser's title ("an adviser to the UN") or before an
    office ("an adviser to Iran's supreme leader", "to the defence ministry"), or "for/with/at"
    a listed organisation ("a spokesman for the Taliban"); not "ambassador to Russia", whose
    holder serves another state."""
    if prep.lower_ == "of" or _employer(prep, tables) is not None:
        return True
    if prep.lower_ != "to":
        return False
    if prep.head.lemma_.lower() in tables.lex.refs.serving_roles:
        return True
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return any(o.i in tables.roles for o in objects)


def _attached_title(doc: Doc, head: Token, tables: _Tables, sector: str | None) -> _Title | None:
    """Who a role phrase belongs to, from a phrase attached to its head: "rebels in the Ivory
    Coast", "the president of Armenia", "fighters of the M23 movement", "a delegation from
    the African Union". A place phrase ("in") gives no country to soldiers: troops are often
    abroad."""
    refs = tables.lex.refs
    for prep in head.rights:
        if prep.dep_ != "prep":
            continue
        employer = _employer(prep, tables)
        if employer is not None:  # "a spokesman for the Taliban", "an official with the UNHCR"
            title = _parse_title(doc, employer.left_edge.i, employer.i + 1, tables)
            if title is not None and title.org:
                return replace(title, serves=True)
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
