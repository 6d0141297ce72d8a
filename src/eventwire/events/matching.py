"""Matching a trigger rule at a token: lemma, part of speech, object, subject and particle
conditions. A match is a ``Found``: the event being assembled from it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eventwire.models import (
    ActorMention,
    Entity,
    EventType,
    Tense,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


from eventwire.events.rules import TriggerRule, _Knowledge
from eventwire.events.syntax import (
    _OBJECT_DEPS,
    _PASSIVE_SUBJECT_DEPS,
    _children,
    _direct_object,
    _forms,
    _governing_verb,
    _has_complement,
    _prep_objects,
    _subject_heads,
)

# --------------------------------------------------------------------------- matching


@dataclass
class _Found:
    """An event being assembled from one trigger match (mutable while the sentence is read)."""

    rule: TriggerRule
    trigger: Token
    predicate: Token
    obj: Token | None
    type: EventType
    mode: str | None
    cameo: str | None
    actor: list[ActorMention] = field(default_factory=list)
    recipient: list[ActorMention] = field(default_factory=list)
    tense: Tense = "unknown"
    reported: bool = False
    complement: frozenset[int] = frozenset()
    context_tokens: tuple[Token, ...] = ()
    rule_id: str = ""
    # the type was changed from the trigger's own (future, conditional, hostile complement)
    converted: bool = False
    # the recipient is the actor's own state by convention, not a party named in the text
    domestic: bool = False

    @property
    def tokens(self) -> list[Token]:
        out = [self.trigger]
        if self.obj is not None:
            out.append(self.obj)
        return out


def _object_matches(obj: Token | None, wanted: frozenset[str], kb: _Knowledge) -> bool:
    """The object is a listed noun, or has one as compound ("a phone call", "air strikes")."""
    if obj is None:
        return False
    if _forms(obj) & wanted:
        return True
    if any(_forms(c) & wanted for c in obj.children if c.dep_ in ("compound", "amod")):
        return True
    # a quantity of the thing: "5 million dollars of aid", "two tonnes of medicine"
    measured = _forms(obj) & kb.words("quantity_nouns") or any(
        c.dep_ == "nummod" for c in obj.children
    )
    return bool(measured) and any(
        _forms(p) & wanted or any(_forms(c) & wanted for c in p.children if c.dep_ == "compound")
        for p in _prep_objects(obj, kb.words("partitive_preps"))
    )


def _subject_forms(token: Token, kb: _Knowledge) -> frozenset[str]:
    """Word forms of the subject's head and its modifiers ("peacekeeping troops")."""
    out: set[str] = set()
    heads = _subject_heads(token, kb)
    # "a first contingent of peacekeepers": the partitive's noun is the one that counts
    heads += [p for h in list(heads) for p in _prep_objects(h, kb.words("partitive_preps"))]
    for head in heads:
        out |= _forms(head)
        for child in _children(head, ("compound", "amod")):
            out |= _forms(child)
    return frozenset(out)


def _match(rule: TriggerRule, token: Token, kb: _Knowledge) -> _Found | None:
    """The event this rule finds at ``token``, if its lemma, part of speech and conditions hold."""
    if not _forms(token) & rule.lemmas:
        return None
    pos = token.pos_
    if pos not in rule.pos and not (pos == "AUX" and "VERB" in rule.pos):
        return None
    obj = _rule_object(rule, token)
    if not (
        _object_fits(rule, obj, kb)
        and _subject_fits(rule, token, kb)
        and _particle_fits(rule, token)
        and _frame_fits(rule, token, kb)
    ):
        return None
    predicate = token
    if pos == "ADJ" and token.dep_ == "acomp":
        predicate = token.head
    elif pos in ("NOUN", "PROPN"):
        predicate = _governing_verb(token)
    return _Found(
        rule=rule,
        trigger=token,
        predicate=predicate,
        obj=obj if rule.objects else None,
        type=rule.type,
        mode=rule.mode,
        cameo=rule.cameo,
        rule_id=rule.id,
    )


def _rule_object(rule: TriggerRule, token: Token) -> Token | None:
    """The verb's object as the rule reads it (a noun trigger has none)."""
    obj = _direct_object(token) if token.pos_ in ("VERB", "AUX") else None
    if rule.stative and obj is not None and obj.dep_ in _PASSIVE_SUBJECT_DEPS:
        # "forces were engaged in cleansing": the subject is the doer; the thing done is the
        # object of the verb's preposition
        obj = next((p for c in _children(token, ("prep",)) for p in _children(c, ("pobj",))), None)
    return obj


def _object_fits(rule: TriggerRule, obj: Token | None, kb: _Knowledge) -> bool:
    if rule.objects and not _object_matches(obj, rule.objects, kb):
        return False
    return obj is None or not _forms(obj) & rule.objects_not


def _subject_fits(rule: TriggerRule, token: Token, kb: _Knowledge) -> bool:
    if not (rule.subjects or rule.subjects_not) or token.pos_ not in ("VERB", "AUX"):
        return True
    # "peacekeepers arrived in X" is a deployment, not a visit: who acts decides the reading
    subject_forms = _subject_forms(token, kb)
    if rule.subjects and not subject_forms & rule.subjects:
        return False
    return not subject_forms & rule.subjects_not


_BREAKS = frozenset({",", ";", ":", "—", "–", "(", ")"})
"""Punctuation that closes a phrase (not the hyphen inside "north-west")."""


def _has_own_object(particle: Token) -> bool:
    """Whether a preposition heads a phrase ("backed the UK in one case"); an object the parse
    hangs on it across a comma ("caved in, informed Erdogan") is not its own."""
    doc = particle.doc
    return any(
        g.dep_ == "pobj" and not any(doc[k].text in _BREAKS for k in range(particle.i + 1, g.i))
        for g in particle.children
    )


def _particle_fits(rule: TriggerRule, token: Token) -> bool:
    if rule.particle:
        parts = {
            c.lower_
            for c in token.children
            if c.dep_ in ("prt", "prep", "advmod")
            and not (rule.bare_particle and _has_own_object(c))
        }
        if not parts & rule.particle:
            return False
    # "placed X under investigation", not "placed X under house arrest"
    return not rule.particle_objects or any(
        _forms(o) & rule.particle_objects for o in _prep_objects(token, rule.particle)
    )


def _frame_fits(rule: TriggerRule, token: Token, kb: _Knowledge) -> bool:
    """The rule's required object, complement or actor phrase is there."""
    if rule.needs_object and not (
        _children(token, _OBJECT_DEPS) or _children(token, _PASSIVE_SUBJECT_DEPS)
    ):
        return False
    if rule.needs_complement and not _has_complement(token):
        return False
    if rule.not_naming and _names_its_object(token, kb.words("opening_quotes")):
        return False
    if rule.not_question and _puts_a_question(token, kb):
        return False
    return not rule.needs_actor_prep or bool(_prep_objects(token, rule.actor_preps))


_WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})


def _puts_a_question(token: Token, kb: _Knowledge) -> bool:
    """'asked if anyone was hurt', 'asked what she would do', '"Why?" he asked', 'Asked about
    the talks, X said': a question asks for an answer, not for a step (REQUEST)."""
    for clause in _children(token, ("ccomp",)):
        first = clause.left_edge
        if first.tag_ in _WH_TAGS or first.lower_ in kb.words("question_marks"):
            return True
    about = kb.words("question_preps")
    asks_for_something = (
        _children(token, (*_OBJECT_DEPS, "dative", "iobj"))
        or _has_complement(token)
        or any(c.dep_ == "prep" and c.lower_ not in about for c in token.children)
    )
    return not asks_for_something


def _names_its_object(token: Token, opening_quotes: frozenset[str]) -> bool:
    """'called Anna a hero', 'called the plan "dangerous"': the verb names or describes its
    object (a predicate after it, or a quotation right after it), it does not reach it."""
    objects = _children(token, ("dobj",))
    if not objects:
        return False
    if _children(token, ("oprd",)):
        return True
    after = objects[0].right_edge.i + 1
    return after < len(token.doc) and token.doc[after].text in opening_quotes


def _unique(mentions: Iterable[ActorMention]) -> list[ActorMention]:
    seen: set[tuple[int, int, Entity]] = set()
    out: list[ActorMention] = []
    for m in mentions:
        key = (m.token_start, m.token_end, m.entity)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


# --------------------------------------------------------------------------- assembly


def _codes(mentions: Iterable[ActorMention]) -> set[str]:
    return {m.entity.country for m in mentions if m.entity.country}
