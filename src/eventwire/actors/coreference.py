"""In-document coreference: pronouns, descriptions ("the minister"), pairs and plurals
("both countries") resolved against the mentions before them, in text order."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from eventwire.models import Entity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


from eventwire.actors.candidates import _Cand
from eventwire.actors.lexicon import _Lexicon
from eventwire.actors.speakers import _is_subject, _subject_heads_of
from eventwire.actors.tables import REFERENCE_WINDOW, SUBJECT_DEPS

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

    def __init__(self, doc: Doc, sent_of: list[int], lex: _Lexicon) -> None:
        self.doc = doc
        self.lex = lex
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
        coords = self.lex.refs.coordinators
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

    def _clause_subjects(self, cand: _Cand) -> set[int]:
        """ "Ortiz thanked him", "Hassan urged the president": an object is not its own
        clause's subject."""
        tok = self.doc[cand.head]
        if tok.dep_ in SUBJECT_DEPS:
            return set()
        return {c.i for c in tok.head.children if c.dep_ in SUBJECT_DEPS}

    def _pronoun(self, cand: _Cand) -> list[tuple[Entity, str | None]]:
        here = self.sent_of[cand.start]
        clause_subjects = self._clause_subjects(cand)
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
        lex = self.lex
        head_word = self.doc[cand.head].lemma_.lower()
        best: tuple[_Cand, Entity, bool] | None = None
        here = self.sent_of[cand.start]
        clause_subjects = self._clause_subjects(cand)
        for item in reversed(self.history):
            prev, entity, _ = item
            if here - self.sent_of[prev.start] > REFERENCE_WINDOW:
                break
            if any(prev.start <= i < prev.end for i in clause_subjects):
                continue
            if entity.kind != "person":
                continue
            if desc.country and entity.country and desc.country != entity.country:
                continue
            if desc.country and not entity.country:
                continue
            if desc.org and entity.org != desc.org:
                continue
            if (
                desc.sector
                and entity.sector
                and desc.sector != entity.sector
                and desc.sector not in lex.generic
            ):
                continue
            if entity.name is None:
                if entity.country and self.doc[prev.head].lemma_.lower() == head_word:
                    # "a State Department spokesperson ... the spokesperson": the same one
                    best = item
                    break
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
        label = entity.name or entity.text
        resolved = self._resolved(cand, entity, label)
        self.history.append(
            (
                replace(cand, person=prev.person),
                resolved,
                _is_subject(self.subject_of, cand.start, cand.end),
            )
        )
        return [(resolved, label)]

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
        out: list[tuple[Entity, str | None]] = []
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
