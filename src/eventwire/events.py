"""Events stage: find PLOVER events from predicates and their arguments in the parse.

A trigger (a verb, a light verb with its object noun, a noun or an adjective listed in
``knowledge/triggers.yaml``) gives the event type, mode and CAMEO code; the syntax around it
gives who acts (subject, passive agent) and whom it is directed at (object, ``with``/``to``/
``against`` phrases as the trigger entry says). Actor mentions come from the actors stage;
this stage only decides which of them fill which role. Negated, hypothetical and background
events are dropped; reported speech is attributed as PLOVER asks.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from eventwire.codebook import SYMMETRIC_TYPES
from eventwire.errors import KnowledgeError
from eventwire.knowledge import Knowledge
from eventwire.models import (
    ActorMention,
    Entity,
    EventCandidate,
    EventType,
    Sentence,
    Tense,
    TextSpan,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from eventwire.nlp import ParsedDocument

log = logging.getLogger(__name__)

TRIGGERS_FILE = "triggers.yaml"
PLOVER_FILE = "plover.yaml"
CONTEXTS_FILE = "contexts.yaml"
COUNTRIES_FILE = "countries.csv"

# Dependency labels of the words that make up one noun phrase around its head (a name with its
# titles, a coordinated list, an apposition): a party named there fills the argument's role;
# parties under other prepositions ("developments in Syria") are topics, not participants.
_NP_DEPS = frozenset(
    {
        "compound",
        "amod",
        "poss",
        "nmod",
        "appos",
        "conj",
        "cc",
        "det",
        "nummod",
        "punct",
        "predet",
        "preconj",
        "case",
        "quantmod",
        "flat",
    }
)
_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
# Links through which a predicate shares the subject of the word it hangs from.
_SUBJECT_SHARING_DEPS = frozenset({"conj", "xcomp", "acomp", "advcl"})
_CLAUSE_CLIMB_DEPS = frozenset({"conj", "xcomp", "acomp", "advcl", "ccomp", "acl", "relcl"})
_OBJECT_DEPS = frozenset({"dobj", "obj"})


# --------------------------------------------------------------------------- knowledge


@dataclass(frozen=True)
class TriggerRule:
    """One entry of triggers.yaml: a pattern and how it is coded."""

    id: str
    lemmas: frozenset[str]
    type: EventType
    examples: tuple[str, ...]
    pos: frozenset[str] = frozenset({"VERB"})
    mode: str | None = None
    cameo: str | None = None
    context: tuple[str, ...] = ()
    objects: frozenset[str] = frozenset()
    objects_not: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    subjects_not: frozenset[str] = frozenset()
    particle: frozenset[str] = frozenset()
    particle_objects: frozenset[str] = frozenset()
    object_recipient: bool = True
    dative_recipient: bool = False
    recipient_preps: frozenset[str] = frozenset()
    actor_preps: frozenset[str] = frozenset()
    mutual: bool = False
    swap: bool = False
    complement: bool = False
    complement_recipient_preps: frozenset[str] = frozenset()
    needs_object: bool = False
    needs_recipient: bool = False
    needs_recipient_or_plural: bool = False
    needs_complement: bool = False
    needs_actor_prep: bool = False
    specific: bool = False
    stative: bool = False

    @property
    def rank(self) -> int:
        """More constrained patterns are tried first, so 'held talks' beats a bare 'hold'."""
        return (
            2 * bool(self.objects)
            + 2 * bool(self.subjects)
            + bool(self.particle)
            + bool(self.particle_objects)
            + bool(self.needs_complement)
            + bool(self.objects_not)
        )


_LIST_FIELDS = {
    "lemmas",
    "pos",
    "objects",
    "objects_not",
    "subjects",
    "subjects_not",
    "particle",
    "particle_objects",
    "recipient_preps",
    "actor_preps",
    "complement_recipient_preps",
}
_BOOL_FIELDS = {
    "object_recipient",
    "dative_recipient",
    "mutual",
    "swap",
    "complement",
    "needs_object",
    "needs_recipient",
    "needs_recipient_or_plural",
    "needs_complement",
    "needs_actor_prep",
    "specific",
    "stative",
}


def _rule_from_entry(entry: dict[str, Any]) -> TriggerRule:
    for key in ("id", "lemmas", "type", "examples"):
        if key not in entry:
            raise KnowledgeError(f"{TRIGGERS_FILE}: entry {entry.get('id')!r} has no {key!r}")
    known = _LIST_FIELDS | _BOOL_FIELDS | {"id", "type", "mode", "cameo", "context", "examples"}
    unknown = set(entry) - known
    if unknown:
        raise KnowledgeError(
            f"{TRIGGERS_FILE}: entry {entry['id']!r} has unknown {sorted(unknown)}"
        )
    try:
        event_type = EventType(entry["type"])
    except ValueError as exc:
        raise KnowledgeError(f"{TRIGGERS_FILE}: entry {entry['id']!r}: {exc}") from exc
    values: dict[str, Any] = {
        "id": str(entry["id"]),
        "type": event_type,
        "examples": tuple(entry["examples"]),
        "mode": entry.get("mode"),
        "cameo": entry.get("cameo"),
        "context": tuple(entry.get("context") or ()),
    }
    for name in _LIST_FIELDS:
        if any(isinstance(v, bool) for v in entry.get(name) or ()):
            raise KnowledgeError(
                f"{TRIGGERS_FILE}: entry {entry['id']!r}: {name} has a yes/no value; "
                f'quote words such as "on" and "no"'
            )
        if name in entry:
            values[name] = frozenset(
                str(v).lower() if name != "pos" else str(v) for v in entry[name]
            )
    if "objects" in entry and "object_recipient" not in entry:
        values["object_recipient"] = False
    for name in _BOOL_FIELDS:
        if name in entry:
            values[name] = bool(entry[name])
    return TriggerRule(**values)


@dataclass(frozen=True)
class _Knowledge:
    rules: tuple[TriggerRule, ...]
    settings: dict[str, Any]
    mode_keywords: dict[str, dict[str, list[str]]]
    context_keywords: dict[str, list[str]]
    diplomatic_types: frozenset[str]
    government_sectors: frozenset[str]
    country_names: dict[str, str]
    # lemma -> indices into ``rules``: a token is tried only against the entries that can
    # match one of its forms, instead of every entry (the old cost of extract_events)
    by_lemma: dict[str, tuple[int, ...]] = field(default_factory=dict)
    word_sets: dict[str, frozenset[str]] = field(default_factory=dict)

    def words(self, name: str) -> frozenset[str]:
        cached = self.word_sets.get(name)
        if cached is None:
            cached = frozenset(str(w).lower() for w in self.settings.get(name, ()))
            self.word_sets[name] = cached
        return cached

    def candidates(self, forms: Iterable[str]) -> list[TriggerRule]:
        """The entries whose lemmas meet one of ``forms``, in trial order."""
        indices: set[int] = set()
        for form in forms:
            indices.update(self.by_lemma.get(form, ()))
        return [self.rules[i] for i in sorted(indices)]


def trigger_rules(knowledge: Knowledge) -> tuple[TriggerRule, ...]:
    """All trigger entries, most constrained first (the order they are tried in)."""
    return rules_of(knowledge).rules


def rules_of(knowledge: Knowledge) -> _Knowledge:
    """The trigger table and word lists of ``knowledge`` (built once per Knowledge)."""
    return knowledge.derived("events.rules", _build_rules)


def _build_rules(knowledge: Knowledge) -> _Knowledge:
    data = knowledge.yaml(TRIGGERS_FILE)
    contexts = knowledge.yaml(CONTEXTS_FILE)
    rules = [_rule_from_entry(e) for e in data["triggers"]]
    ids = [r.id for r in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise KnowledgeError(f"{TRIGGERS_FILE}: duplicate ids {sorted(duplicates)}")
    rules.sort(key=lambda r: -r.rank)
    by_lemma: dict[str, list[int]] = {}
    for index, rule in enumerate(rules):
        for lemma in rule.lemmas:
            by_lemma.setdefault(lemma, []).append(index)
    return _Knowledge(
        rules=tuple(rules),
        by_lemma={k: tuple(v) for k, v in by_lemma.items()},
        settings=data.get("settings") or {},
        mode_keywords=data.get("mode_keywords") or {},
        context_keywords=contexts.get("keywords") or {},
        diplomatic_types=frozenset(contexts.get("diplomatic_default_types") or ()),
        government_sectors=frozenset(contexts.get("government_sectors") or ()),
        country_names={row["iso3"]: row["name"] for row in knowledge.csv(COUNTRIES_FILE)},
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


def _children(token: Token, deps: Iterable[str]) -> list[Token]:
    wanted = set(deps)
    return [c for c in token.children if c.dep_ in wanted]


def _prep_objects(token: Token, preps: frozenset[str]) -> list[Token]:
    """Objects of the prepositions ``preps`` hanging from ``token`` ("with Y", "on Y")."""
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            out.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
    return out


def _direct_object(token: Token) -> Token | None:
    objects = _children(token, _OBJECT_DEPS) or _children(token, _PASSIVE_SUBJECT_DEPS)
    if objects:
        return objects[0]
    # "went on strike": the noun is the object of a preposition right on the verb
    for child in token.children:
        if child.dep_ in ("prep", "prt"):
            pobj = _children(child, ("pobj",))
            if pobj:
                return pobj[0]
    return None


def _has_complement(token: Token) -> bool:
    return any(c.dep_ in ("xcomp", "ccomp", "acl") for c in token.children)


def _forms(token: Token) -> frozenset[str]:
    """Lemma and surface forms of a word, with common endings cut: the tagger's lemma can be
    wrong for rarer verbs ("staged" -> "stag"), so the pattern may match either."""
    return _word_forms(token.lower_, token.lemma_.lower())


@lru_cache(maxsize=65536)
def _word_forms(lower: str, lemma: str) -> frozenset[str]:
    forms = {lemma, lower}
    for ending, replacement in (
        ("ied", "y"),
        ("ies", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("es", ""),
        ("s", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if lower.endswith(ending) and len(lower) > len(ending) + 2:
            forms.add(lower[: -len(ending)] + replacement)
    return frozenset(forms)


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
        for p in _prep_objects(obj, frozenset({"of"}))
    )


def _subject_forms(token: Token, kb: _Knowledge) -> frozenset[str]:
    """Word forms of the subject's head and its modifiers ("peacekeeping troops")."""
    out: set[str] = set()
    heads = _subject_heads(token, kb)
    # "a first contingent of peacekeepers": the partitive's noun is the one that counts
    heads += [p for h in list(heads) for p in _prep_objects(h, frozenset({"of"}))]
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
    obj = _direct_object(token) if pos in ("VERB", "AUX") else None
    if rule.stative and obj is not None and obj.dep_ in _PASSIVE_SUBJECT_DEPS:
        # "forces were engaged in cleansing": the subject is the doer; the thing done is the
        # object of the verb's preposition
        obj = next((p for c in _children(token, ("prep",)) for p in _children(c, ("pobj",))), None)
    if rule.objects and not _object_matches(obj, rule.objects, kb):
        return None
    if obj is not None and _forms(obj) & rule.objects_not:
        return None
    if (rule.subjects or rule.subjects_not) and pos in ("VERB", "AUX"):
        # "peacekeepers arrived in X" is a deployment, not a visit: who acts decides the reading
        subject_forms = _subject_forms(token, kb)
        if rule.subjects and not subject_forms & rule.subjects:
            return None
        if subject_forms & rule.subjects_not:
            return None
    if rule.particle:
        parts = {c.lower_ for c in token.children if c.dep_ in ("prt", "prep", "advmod")}
        if not parts & rule.particle:
            return None
    if rule.particle_objects and not any(
        _forms(o) & rule.particle_objects for o in _prep_objects(token, rule.particle)
    ):
        # "placed X under investigation", not "placed X under house arrest"
        return None
    if rule.needs_object and not (
        _children(token, _OBJECT_DEPS) or _children(token, _PASSIVE_SUBJECT_DEPS)
    ):
        return None
    if rule.needs_complement and not _has_complement(token):
        return None
    if rule.needs_actor_prep and not _prep_objects(token, rule.actor_preps):
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


def _governing_verb(token: Token) -> Token:
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return token


# --------------------------------------------------------------------------- arguments


def _np_tokens(head: Token) -> set[int]:
    """Token indices of the noun phrase around ``head`` (names, titles, coordination)."""
    seen = {head.i}
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ in _NP_DEPS and child.i not in seen:
                seen.add(child.i)
                stack.append(child)
    return seen


def _mentions_at(
    head: Token, mentions: Sequence[ActorMention], kb: _Knowledge
) -> list[ActorMention]:
    """The actor mentions an argument headed by ``head`` names."""
    heads = [head, *head.conjuncts]
    out: list[ActorMention] = []
    for h in heads:
        if _forms(h) & kb.words("boundary_nouns"):
            # "closed its border with Georgia": the country across the boundary, not "its"
            across = [
                m
                for pobj in _prep_objects(h, frozenset({"with"}))
                for m in _mentions_at(pobj, mentions, kb)
            ]
            if across:
                out.extend(across)
                continue
        covering = [m for m in mentions if m.token_start <= h.i < m.token_end]
        if covering:
            # the widest mention containing the head; a group mention shares one span
            widest = max(covering, key=lambda m: m.token_end - m.token_start)
            out.extend(
                m
                for m in covering
                if (m.token_start, m.token_end) == (widest.token_start, widest.token_end)
            )
            continue
        core = _np_tokens(h)
        inside = [m for m in mentions if m.head in core]
        # drop mentions nested inside another one found here ("Envoy for Syria X")
        inside = [
            m
            for m in inside
            if not any(
                o is not m
                and o.token_start <= m.token_start
                and m.token_end <= o.token_end
                and (o.token_end - o.token_start) > (m.token_end - m.token_start)
                for o in inside
            )
        ]
        if inside:
            out.extend(inside)
            continue
        # partitive: "thousands of protesters", "a group of rebels"
        for pobj in _prep_objects(h, frozenset({"of"})):
            out.extend(_mentions_at(pobj, mentions, kb))
        # a boundary names its country: "its border with Guyana", "the coast of Yemen"
        if _forms(h) & kb.words("boundary_nouns"):
            for pobj in _prep_objects(h, frozenset({"with", "of"})):
                out.extend(_mentions_at(pobj, mentions, kb))
    return _unique(out)


def _unique(mentions: Iterable[ActorMention]) -> list[ActorMention]:
    seen: set[tuple[int, int, Entity]] = set()
    out: list[ActorMention] = []
    for m in mentions:
        key = (m.token_start, m.token_end, m.entity)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _is_passive(token: Token) -> bool:
    return any(c.dep_ in ("auxpass", *_PASSIVE_SUBJECT_DEPS) for c in token.children)


def _subject_heads(predicate: Token, kb: _Knowledge) -> list[Token]:
    """Who does it: the subject, the passive agent, or the subject shared with a governing verb."""
    if _is_passive(predicate):
        return _prep_objects(predicate, frozenset({"by"}))
    subjects = _children(predicate, _SUBJECT_DEPS)
    # "Both countries have in the past months exchanged ...": the subject may hang on the aux
    for aux in _children(predicate, ("aux",)):
        subjects += _children(aux, _SUBJECT_DEPS)
    if subjects:
        return subjects
    if predicate.dep_ == "acl" and predicate.tag_ == "VBD" and predicate.head.dep_ == "ROOT":
        # "The militants handed in ...": a past-tense verb parsed as a modifier of a root
        # noun is really the main verb, and the noun its subject
        return [predicate.head]
    if predicate.dep_ in _SUBJECT_SHARING_DEPS and predicate.head.i != predicate.i:
        return _subject_heads(predicate.head, kb)
    head = predicate.head
    if (
        predicate.dep_ == "acl"
        and predicate.tag_ == "VBG"
        and head.dep_ in _OBJECT_DEPS
        and _forms(head) & kb.words("statement_nouns")
    ):
        # "issued a statement demanding ...": the statement's author demands
        return _subject_heads(head.head, kb)
    return []


def _proposal_source(
    trigger: Token, mentions: Sequence[ActorMention], kb: _Knowledge
) -> list[ActorMention]:
    """Whose proposal it is: answering "an offer from X", "X's demand", "calls by X" is directed
    at X, so a reaction to a proposal names its author as the recipient."""
    nouns = kb.words("proposal_nouns")
    preps = kb.words("proposal_source_preps")
    heads: list[Token] = []
    for obj in _children(trigger, _OBJECT_DEPS) or _prep_objects(trigger, frozenset({"to"})):
        if not _forms(obj) & nouns:
            continue
        heads += _children(obj, ("poss",))
        heads += _prep_objects(obj, preps)
        # "the plan proposed by X"
        for verb in _children(obj, ("acl",)):
            heads += [a for c in _children(verb, ("agent",)) for a in _children(c, ("pobj",))]
    return _unique(m for h in heads for m in _mentions_at(h, mentions, kb))


def _located_target(
    found: _Found, mentions: Sequence[ActorMention], kb: _Knowledge
) -> list[ActorMention]:
    """'Struck targets in southern Lebanon': a strike on a place hits the state it lies in.

    Only a state or a place of one (a mention with a country and no people behind it) is
    taken, from an in/near/at phrase on the verb or on its object."""
    preps = kb.words("location_recipient_preps")
    owners = [found.trigger, *_children(found.trigger, _OBJECT_DEPS)]
    if found.obj is not None:
        owners.append(found.obj)
    heads = [h for owner in owners for h in _prep_objects(owner, preps)]
    actor_codes = _codes(found.actor)
    out = [
        m
        for h in heads
        for m in _mentions_at(h, mentions, kb)
        if m.entity.kind == "state" and m.entity.country and m.entity.country not in actor_codes
    ]
    return _unique(out)


def _fallback_recipient(
    found: _Found, mentions: Sequence[ActorMention], kb: _Knowledge
) -> list[ActorMention]:
    """Whom a directed deed is aimed at when the entry's own slots are empty.

    The owner of what the deed acts on ("denounced Serbia's crackdown", "protest the
    president's decision"), else a source or goal phrase the type implies ("withdrew from
    X", "handed medicine to X", "demanded autonomy from X"; `fallback_recipient_preps`)."""
    rule, trigger = found.rule, found.trigger
    objects = _children(trigger, _OBJECT_DEPS)
    if found.obj is not None and found.obj not in objects:
        objects.append(found.obj)
    actor_spans = {(m.token_start, m.token_end) for m in found.actor}
    heads: list[Token] = []
    if rule.type.value.lower() in kb.words("possessor_recipient_types"):
        heads += [c for obj in objects for c in _children(obj, ("poss",)) if c.pos_ != "PRON"]
    if not heads:
        # "banned imports of Kenyan sugar", "shelled Iraqi towns": a thing named by its
        # country (a mention with no sector) stands for that country
        things = [*objects, *(p for obj in objects for p in _prep_objects(obj, frozenset({"of"})))]
        found_things = [
            m
            for h in things
            for m in _mentions_at(h, mentions, kb)
            if m.entity.country
            and not m.entity.sector
            and (m.token_start, m.token_end) not in actor_spans
        ]
        if found_things:
            return _unique(found_things)
        table = kb.settings.get("fallback_recipient_preps") or {}
        preps = frozenset(str(p).lower() for p in table.get(rule.type.value) or ())
        if preps:
            for owner in (trigger, *objects):
                heads += _prep_objects(owner, preps)
    return [
        m
        for m in _unique(m for h in heads for m in _mentions_at(h, mentions, kb))
        if (m.token_start, m.token_end) not in actor_spans
    ]


def _scope_recipient(
    found: _Found, mentions: Sequence[ActorMention], kb: _Knowledge
) -> list[ActorMention]:
    """The nearest party of another country inside the event's own phrase (issue #3).

    A directed step often names its target only deep inside what it acts on: a clause
    complement ("threatened to strike unless Y withdrew"), a possessor or prepositional
    object further down ("refused to answer a demand from Y's leader"). The subject side and
    background phrases ("during …") are not searched; the closest mention in the tree wins."""
    actor_codes = _codes(found.actor)
    actor_spans = {(m.token_start, m.token_end) for m in found.actor}
    skip_preps = kb.words("background_preps") | kb.words("scope_skip_preps")
    conditions = kb.words("conditional_marks")
    max_depth = int(kb.settings.get("scope_max_depth") or 6)
    roots = [found.trigger]
    if found.predicate is not found.trigger:
        roots.append(found.predicate)
    depth: dict[int, int] = {}
    queue: list[tuple[Token, int]] = [(r, 0) for r in roots]
    while queue:
        tok, d = queue.pop(0)
        if tok.i in depth:
            continue
        depth[tok.i] = d
        for child in tok.children:
            if d == 0 and child.dep_ in _SUBJECT_DEPS | _PASSIVE_SUBJECT_DEPS | {"agent"}:
                continue
            if child.dep_ == "prep" and child.lower_ in skip_preps:
                continue
            if child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ not in conditions for c in child.children
            ):
                # "… as Y cracked down": another clause's news; "unless Y withdrew" is kept
                continue
            if child.dep_ in ("relcl", "advcl") and _has_mark(child, kb.words("background_marks")):
                continue
            if d + 1 > max_depth:
                continue
            queue.append((child, d + 1))
    candidates = [
        m
        for m in mentions
        if m.head in depth
        and m.entity.country
        and m.entity.country not in actor_codes
        and (m.token_start, m.token_end) not in actor_spans
        and m.entity.text.lower() not in kb.words("pronouns")
    ]
    if not candidates:
        return []
    best = min(candidates, key=lambda m: (depth[m.head], m.token_start))
    return [
        m for m in candidates if (m.token_start, m.token_end) == (best.token_start, best.token_end)
    ]


def _domestic_target(
    found: _Found, mentions: Sequence[ActorMention], kb: _Knowledge
) -> list[ActorMention]:
    """PLOVER's convention for a directed event with no named target (a protest, an arrest,
    a curfew lifted): it is aimed at the state where it happens, named by a place phrase on
    the event or its doer ("students in Dhaka"), else at the doer's own state."""
    preps = kb.words("domestic_place_preps")
    owners = [found.trigger, found.predicate, *_children(found.predicate, _OBJECT_DEPS)]
    owners += _subject_heads(found.predicate, kb)
    if found.obj is not None:
        owners.append(found.obj)
    actor_spans = {(m.token_start, m.token_end) for m in found.actor}
    places = [
        m
        for owner in owners
        for h in _prep_objects(owner, preps)
        for m in _mentions_at(h, mentions, kb)
        if m.entity.kind == "state"
        and m.entity.country
        and (m.token_start, m.token_end) not in actor_spans
    ]
    if places:
        return _unique(places)[:1]
    codes = sorted({m.entity.country for m in found.actor if m.entity.country})
    if len(codes) != 1 or not found.actor:
        return []
    # a state's army attacking "the town" may well be abroad: no own-state guess for these
    skip = (kb.settings.get("domestic_fallback_skip") or {}).get(found.type.value) or ()
    if any(m.entity.sector in skip for m in found.actor):
        return []
    names = kb.country_names
    first = found.actor[0]
    entity = Entity(
        text=names.get(codes[0], codes[0]),
        name=names.get(codes[0]),
        country=codes[0],
        sector="GOV",
        kind="state",
    )
    return [first.model_copy(update={"entity": entity, "antecedent": None})]


def _arguments(found: _Found, mentions: Sequence[ActorMention], kb: _Knowledge) -> None:
    rule = found.rule
    trigger, predicate = found.trigger, found.predicate
    actor_heads: list[Token] = []
    recipient_heads: list[Token] = []
    if trigger.pos_ in ("NOUN", "PROPN"):
        actor_heads += _children(trigger, ("poss",))
        actor_heads += _prep_objects(trigger, rule.actor_preps)
        if not actor_heads:
            actor_heads += _children(trigger, ("amod", "compound", "nmod"))
        recipient_heads += _prep_objects(trigger, rule.recipient_preps)
        if not actor_heads and trigger.dep_ in ("dobj", "pobj") and not rule.needs_actor_prep:
            actor_heads += _subject_heads(predicate, kb)
    else:
        actor_heads += _subject_heads(predicate, kb)
        if rule.particle_objects and not actor_heads and _is_passive(predicate):
            # "was put under investigation by X": the parser hangs the agent on the noun
            for held in _prep_objects(trigger, rule.particle):
                actor_heads += _prep_objects(held, frozenset({"by"}))
        if rule.stative and not actor_heads:
            # "Egypt is opposed to ...": a state, not a passive; its subject holds it
            actor_heads += _children(predicate, _PASSIVE_SUBJECT_DEPS)
        if rule.object_recipient:
            if _is_passive(predicate):
                recipient_heads += _children(predicate, _PASSIVE_SUBJECT_DEPS)
            else:
                objects = _children(trigger, _OBJECT_DEPS)
                if not objects:
                    # "helped Syria to ...", "urged Turkey to ...": the parser may hang the
                    # addressee on the complement as its subject
                    for comp in _children(trigger, ("ccomp", "xcomp")):
                        objects += _children(comp, _SUBJECT_DEPS)
                recipient_heads += objects
        if rule.object_recipient or rule.dative_recipient:
            recipient_heads += [
                c
                for c in _children(trigger, ("dative", "iobj"))
                if not list(c.children) or c.pos_ in ("PROPN", "NOUN", "PRON")
            ]
        recipient_heads += _prep_objects(trigger, rule.recipient_preps)
        if found.obj is not None:
            recipient_heads += _prep_objects(found.obj, rule.recipient_preps)
            for inner in _prep_objects(found.obj, frozenset({"of"})):
                recipient_heads += _prep_objects(inner, rule.recipient_preps)
            # "suspended Mali's membership", "froze Russia's assets"
            recipient_heads += [c for c in _children(found.obj, ("poss",)) if c.pos_ != "PRON"]
        # "called for sanctions against Y": the addressee hangs on the requested thing
        for wanted in _prep_objects(trigger, kb.words("request_object_preps")):
            recipient_heads += _prep_objects(wanted, rule.recipient_preps)
    found.actor = _unique(m for h in actor_heads for m in _mentions_at(h, mentions, kb))
    found.recipient = _unique(m for h in recipient_heads for m in _mentions_at(h, mentions, kb))
    if not found.recipient and trigger.pos_ in ("VERB", "AUX") and found.obj is None:
        # "threatened further action against Y", "demanded support from Y"
        heads = [
            h
            for obj in _children(trigger, _OBJECT_DEPS)
            for h in _prep_objects(obj, rule.recipient_preps)
        ]
        found.recipient = _unique(m for h in heads for m in _mentions_at(h, mentions, kb))
    if not found.recipient and trigger.pos_ in ("VERB", "AUX"):
        found.recipient = _proposal_source(trigger, mentions, kb)
    if not found.recipient and rule.type.value.lower() in kb.words("location_recipient_types"):
        found.recipient = _located_target(found, mentions, kb)
    if not found.recipient and trigger.pos_ in ("VERB", "AUX") and not rule.mutual:
        found.recipient = _fallback_recipient(found, mentions, kb)
    purpose = rule.type.value.lower() in kb.words("purpose_clause_types")
    if rule.complement or purpose:
        comp: set[int] = set()
        comp_deps = ("xcomp", "ccomp", "acl", "advcl") if purpose else ("xcomp", "ccomp", "acl")
        roots = [c for c in trigger.children if c.dep_ in comp_deps]
        if purpose and trigger is not predicate:
            roots += [c for c in predicate.children if c.dep_ in comp_deps]
        if found.obj is not None:
            roots += [c for c in found.obj.children if c.dep_ in ("acl", "relcl")]
        for root in roots:
            comp.update(t.i for t in root.subtree)
        found.complement = frozenset(comp)
        if rule.complement_recipient_preps and not found.recipient:
            doc = trigger.doc
            heads = [
                pobj
                for i in sorted(comp)
                if doc[i].dep_ == "prep" and doc[i].lower_ in rule.complement_recipient_preps
                for pobj in _children(doc[i], ("pobj",))
            ]
            found.recipient = _unique(m for h in heads for m in _mentions_at(h, mentions, kb))
        if not found.recipient and rule.type.value.lower() in kb.words("addressee_types"):
            # "its demand that Israel ease ...": the one asked is the subject of the content
            actor_keys = {(m.token_start, m.token_end) for m in found.actor}
            heads = [h for root in roots for h in _children(root, _SUBJECT_DEPS)]
            found.recipient = [
                m
                for m in _unique(m for h in heads for m in _mentions_at(h, mentions, kb))
                if (m.token_start, m.token_end) not in actor_keys
            ]
    if rule.swap:
        found.actor, found.recipient = found.recipient, found.actor
    _settle_roles(found, kb)


def _settle_roles(found: _Found, kb: _Knowledge) -> None:
    """A party is never both actor and recipient; equals in a meeting are all actors."""
    actor_keys = {(m.token_start, m.token_end, m.entity) for m in found.actor}
    found.recipient = [
        m for m in found.recipient if (m.token_start, m.token_end, m.entity) not in actor_keys
    ]
    if found.rule.mutual and found.type in SYMMETRIC_TYPES:
        found.actor = _unique([*found.actor, *found.recipient])
        found.recipient = []


# --------------------------------------------------------------------------- clause checks


def _clause_chain(token: Token) -> list[Token]:
    """The token and the verbs it is coordinated with or controlled by, up to its clause head."""
    chain = [token]
    current = token
    while current.dep_ in ("conj", "xcomp", "acomp") and current.head.i != current.i:
        current = current.head
        chain.append(current)
    return chain


def _is_negated(found: _Found, kb: _Knowledge) -> bool:
    negators = kb.words("negators")
    chain = _clause_chain(found.predicate)
    # "failed to reach an agreement": the step did not happen
    if any(_forms(tok) & kb.words("failure_verbs") for tok in chain[1:]):
        return True
    tokens = [*found.tokens, *chain]
    for tok in tokens:
        for child in tok.children:
            if child.dep_ == "neg" or (
                child.dep_ in ("det", "advmod") and child.lower_ in negators
            ):
                return True
            # "no longer demand"
            if child.dep_ == "advmod" and any(g.lower_ in negators for g in child.children):
                return True
    return False


def _conditional_threat(found: _Found, kb: _Knowledge) -> bool:
    """'X will cut aid if Y ...': a hostile step made conditional on the other side's conduct
    is a threat. Only the main clause counts; the event inside the if-clause stays dropped."""
    if found.type.value.lower() not in kb.words("conditional_threat_types"):
        return False
    marks = kb.words("conditional_marks") - {"whether"}
    chain = _clause_chain(found.predicate)
    if any(t.dep_ == "advcl" and _has_mark(t, marks) for t in chain):
        return False
    announced = kb.words("conditional_threat_modals")
    modals = {c.lower_ for t in chain for c in t.children if c.dep_ == "aux"}
    if modals & kb.words("hypothetical_modals") - announced:
        return False
    return any(c.dep_ == "advcl" and _has_mark(c, marks) for t in chain for c in t.children)


def _has_mark(token: Token, marks: frozenset[str]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in marks for c in token.children)


def _is_refusal(found: _Found, kb: _Knowledge) -> bool:
    """'Will not accept', 'would not meet': a cooperative step negated with a future or
    volitional auxiliary is a refusal (REJECT). A plain past negation ("did not meet")
    reports that nothing happened and stays dropped."""
    refusal = kb.settings.get("refusal") or {}
    types = {str(t).upper() for t in refusal.get("types") or ()}
    if found.type.value not in types:
        return False
    auxes = {str(a).lower() for a in refusal.get("auxiliaries") or ()}
    chain = _clause_chain(found.predicate)
    if any(c.dep_ == "aux" and c.lower_ in auxes for t in chain for c in t.children):
        return True
    # "did not agree to the plan", "has not accepted the offer": declining is itself a deed,
    # unlike "did not meet", which only reports that nothing happened. A failure ("failed to
    # agree") is not a refusal.
    verbs = {str(v).lower() for v in refusal.get("verbs") or ()}
    if not _forms(found.trigger) & verbs:
        return False
    negators = kb.words("negators")
    return any(
        c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in negators)
        for t in (*found.tokens, found.predicate)
        for c in t.children
    )


def _is_hypothetical(found: _Found, kb: _Knowledge) -> bool:
    modals = kb.words("hypothetical_modals")
    if found.reported:
        modals = modals - kb.words("reported_future_modals")
    for tok in _clause_chain(found.predicate):
        if any(c.dep_ == "aux" and c.lower_ in modals for c in tok.children):
            return True
    marks = kb.words("conditional_marks")
    current = found.predicate
    while True:
        if current.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in marks for c in current.children
        ):
            return True
        if any(
            c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
            for c in current.children
        ):
            return True
        if current.head.i == current.i:
            return False
        current = current.head


def _is_sport(found: _Found, sent: Span, kb: _Knowledge) -> bool:
    """Sport reports use the words of conflict ("beat Colombia 1-0", "stormed back"): a
    sentence with sport words or a score is not coded as a hostile deed."""
    if found.type.value.lower() not in kb.words("sport_guard_types"):
        return False
    words = kb.words("sport_words")
    tokens = list(sent)
    for i, tok in enumerate(tokens):
        if tok.lower_ in words or tok.lemma_.lower() in words:
            return True
        # a score: "1-0" as one token or as "1", "-", "0"
        parts = tok.text.split("-")
        if len(parts) == 2 and all(p.isdigit() and len(p) <= 2 for p in parts):
            return True
        if (
            tok.text.isdigit()
            and i + 2 < len(tokens)
            and tokens[i + 1].text == "-"
            and tokens[i + 2].text.isdigit()
            and len(tok.text) <= 2
            and len(tokens[i + 2].text) <= 2
        ):
            return True
    return False


def _is_background(found: _Found, kb: _Knowledge) -> bool:
    """Events inside 'during/after ...' phrases set the scene; the sentence reports another."""
    preps = kb.words("background_preps")
    marks = kb.words("background_marks")
    current = found.trigger
    while current.head.i != current.i:
        if current.dep_ == "advcl" and _has_mark(current, marks):
            return True  # "... before they demobilize", "after troops withdrew"
        current = current.head
        if current.dep_ == "prep" and current.lower_ in preps:
            return True
    return False


def _in_purpose_clause(found: _Found, kb: _Knowledge) -> bool:
    """'Sent troops to help Y oust Z': an aim ("to ..." on another verb) did not happen yet.

    Checked after complements were absorbed, so a protest still takes its purpose clause."""
    if found.trigger.pos_ not in ("VERB", "AUX"):
        return False
    top = found.predicate
    while top.dep_ in ("conj", "xcomp", "ccomp", "acomp") and top.head.i != top.i:
        top = top.head
    if not (
        top.dep_ == "advcl"
        and top.head.pos_ in ("VERB", "AUX")
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in top.children)
    ):
        return False
    # "crowds gathered (for a rally) to protest the tax": gathering is how a protest happens,
    # so the protest is the deed, not a later aim
    return not (
        found.type.value.lower() in kb.words("purpose_clause_types")
        and _forms(top.head) & kb.words("assembly_verbs")
    )


def _speech_verb(found: _Found, kb: _Knowledge) -> Token | None:
    """The verb of saying whose complement the event is reported in, if any."""
    speech = kb.words("speech_verbs")
    current = found.predicate
    while current.head.i != current.i and current.dep_ in (*_CLAUSE_CLIMB_DEPS, "parataxis"):
        head = current.head
        if current.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in speech:
            return head
        current = head
    return None


def _tense(predicate: Token, kb: _Knowledge, reported: bool) -> Tense:
    chain = _clause_chain(predicate)
    auxes = [c for tok in chain for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    future = kb.words("future_modals") | (kb.words("reported_future_modals") if reported else set())
    if words & future or ("going" in words and "to" in words):
        return "future"
    if predicate.tag_ == "VB" and "to" in words and predicate.dep_ in ("ROOT", "ccomp"):
        return "future"  # headline style: "Iran to continue cooperation"
    has_have = [a for a in auxes if a.lemma_ == "have"]
    # the tagger sometimes reads the participle after "have" as a past tense (VBD)
    if has_have and any(t.tag_ in ("VBN", "VBD") for t in chain):
        return "past" if any(a.lower_ == "had" for a in has_have) else "perfect"
    tags = {predicate.tag_, *(a.tag_ for a in auxes)}
    if "VBD" in tags:
        return "past"
    if tags & {"VBP", "VBZ"}:
        return "present"
    if len(chain) > 1:
        return _tense(chain[-1], kb, reported)
    return "unknown"


# --------------------------------------------------------------------------- assembly


def _codes(mentions: Iterable[ActorMention]) -> set[str]:
    return {m.entity.country for m in mentions if m.entity.country}


# Dependencies of a clause or word that describes a noun rather than carrying an event's content.
_DESCRIPTION_DEPS = frozenset({"acl", "relcl", "amod", "pcomp", "pobj", "compound"})


def _absorb(found: list[_Found], kb: _Knowledge) -> list[_Found]:
    """A stance's complement ("agreed to cooperate with Y") is its content, not another event."""
    modes = kb.settings.get("complement_modes") or {}
    hostile = kb.words("hostile_complement_types")
    threat_cameo = kb.settings.get("conditional_threat_cameo") or {}
    threat_modes = kb.settings.get("threat_modes") or {}
    absorbed: set[int] = set()
    filled: set[int] = set()
    for outer in found:
        if not outer.complement:
            continue
        if (
            outer.rule.needs_recipient
            and not outer.recipient
            and not _lends_recipient(outer, found)
        ):
            # "gathered for a rally ... to protest the tax": a rally with no one it is aimed at
            # is dropped later, so it must not swallow the protest it hangs beside
            continue
        for inner in found:
            if inner is outer or id(inner) in absorbed or inner.trigger.i not in outer.complement:
                continue
            absorbed.add(id(inner))
            filled.add(id(outer))
            if not outer.recipient:
                outer_keys = {(m.token_start, m.token_end) for m in outer.actor}
                outer_codes = _codes(outer.actor)
                pool = [*inner.actor, *inner.recipient]
                outer.recipient = [
                    m
                    for m in _unique(pool)
                    if (m.token_start, m.token_end) not in outer_keys
                    and (not m.entity.country or m.entity.country not in outer_codes)
                ]
            if not outer.actor:
                outer.actor = list(inner.actor)
            if outer.mode is None:
                outer.mode = (modes.get(outer.type.value) or {}).get(inner.type.value)
            if (
                outer.type is EventType.AGREE
                and inner.type.value.lower() in hostile
                and _is_content(inner, outer)
            ):
                # "vowed to keep attacking ships": a promise of violence is a threat
                outer.type = EventType.THREATEN
                outer.converted = True
                outer.cameo = str(threat_cameo.get(inner.type.value, "130"))
                outer.mode = threat_modes.get(inner.type.value)
    needy = kb.words("content_only_rules")
    return [
        f
        for f in found
        if id(f) not in absorbed
        and not (f.rule.id.lower() in needy and id(f) not in filled)
        and not (id(f) not in filled and _is_opinion(f, kb))
    ]


def _lends_recipient(outer: _Found, found: list[_Found]) -> bool:
    """Whether an event inside ``outer``'s complement has a party other than outer's actor."""
    outer_keys = {(m.token_start, m.token_end) for m in outer.actor}
    outer_codes = _codes(outer.actor)
    return any(
        (m.token_start, m.token_end) not in outer_keys
        and (not m.entity.country or m.entity.country not in outer_codes)
        for inner in found
        if inner is not outer and inner.trigger.i in outer.complement
        for m in (*inner.actor, *inner.recipient)
    )


def _is_content(inner: _Found, outer: _Found) -> bool:
    """Whether the inner step is what the stance is about, not a description of a noun in it:
    "offered to hand over men suspected of blowing up a plane" promises no bombing, and
    "agreed to free two detained soldiers" no detention."""
    token = inner.trigger
    while token.i != outer.trigger.i and token.head.i != token.i:
        if token.dep_ in _DESCRIPTION_DEPS:
            return False
        token = token.head
    return True


def _is_opinion(found: _Found, kb: _Knowledge) -> bool:
    """'X agreed that the crisis was serious' shares a view; it pledges nothing. A finite
    content clause with no step in it and no future modal ('agreed that they would
    withdraw' is a pledge) makes a `proposition_lemmas` verb a statement, not AGREE."""
    if not _forms(found.trigger) & kb.words("proposition_lemmas"):
        return False
    clauses = [c for c in found.trigger.children if c.dep_ == "ccomp"]
    if not clauses or any(c.dep_ == "xcomp" for c in found.trigger.children):
        return False
    # any modal ("will", "should", "must") makes the content a course of action
    return not any(t.dep_ == "aux" and t.tag_ == "MD" for c in clauses for t in c.subtree)


def _pronoun_subject(found: _Found, kb: _Knowledge) -> bool:
    """The event's doer is a bare personal pronoun (found as a mention or not) and nothing
    else: in reported speech it then stands for the speaker."""
    if found.trigger.pos_ in ("NOUN", "PROPN"):
        return False
    pronouns = kb.words("pronouns")
    heads = _subject_heads(found.predicate, kb)
    if not heads or any(h.lower_ not in pronouns for h in heads):
        return False
    return all(m.entity.text.lower() in pronouns for m in found.actor)


def _apply_speaker(found: _Found, speaker: list[ActorMention], kb: _Knowledge) -> None:
    """Stances reported by someone of the same side are the speaker's; deeds stay the doer's."""
    if not speaker or found.type.value not in kb.words("speaker_types") | {
        t.upper() for t in kb.words("speaker_types")
    }:
        return
    speaker_codes = _codes(speaker)
    embedded_codes = _codes(found.actor)
    same_side = (
        not found.actor
        or bool(speaker_codes & embedded_codes)
        or any(m.entity.text.lower() in ("we", "us") for m in found.actor)
    )
    if not same_side or not speaker_codes:
        return
    parties = _unique([*found.actor, *found.recipient])
    others = [m for m in parties if m.entity.country and m.entity.country not in speaker_codes]
    found.actor = list(speaker)
    found.recipient = others or [m for m in found.recipient if m not in speaker]


def _mode_from_keywords(found: _Found, kb: _Knowledge) -> str | None:
    table = kb.mode_keywords.get(found.type.value) or {}
    text = _clause_text(found.context_tokens)
    lemmas = {t.lemma_.lower() for t in found.context_tokens}
    for mode, words in table.items():
        if any(_keyword_in(str(w).lower(), text, lemmas) for w in words):
            return str(mode)
    return None


def _clause_text(tokens: Sequence[Token]) -> str:
    return " " + " ".join(t.lower_ for t in tokens) + " "


def _keyword_in(word: str, text: str, lemmas: set[str]) -> bool:
    if " " in word:
        return f" {word} " in text
    return word in lemmas or f" {word} " in text


def _clause_tokens(found: _Found) -> tuple[Token, ...]:
    """The words of the event's own clause (other coordinated clauses left out)."""
    root = found.predicate
    skip: set[int] = set()
    for child in root.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and child.i != found.trigger.i:
            skip.update(t.i for t in child.subtree)
    return tuple(t for t in root.subtree if t.i not in skip)


def _contexts(found: _Found, kb: _Knowledge, entities: Sequence[Entity]) -> list[str]:
    text = _clause_text(found.context_tokens)
    lemmas = {t.lemma_.lower() for t in found.context_tokens} | {
        t.lower_ for t in found.context_tokens
    }
    out: list[str] = list(found.rule.context)
    for context, words in kb.context_keywords.items():
        if context not in out and any(_keyword_in(str(w).lower(), text, lemmas) for w in words):
            out.append(str(context))
    if (
        found.type.value in kb.diplomatic_types
        and entities
        and all(_is_government(e, kb) for e in entities)
        and "diplomatic" not in out
    ):
        out.insert(0, "diplomatic")
    return out


def _is_government(entity: Entity, kb: _Knowledge) -> bool:
    if entity.sector:
        return entity.sector in kb.government_sectors
    return entity.kind == "state" and entity.country is not None


def _visit_mode(
    found: _Found, sentence_mentions: Sequence[ActorMention], kb: _Knowledge
) -> str | None:
    """A meeting held in one party's country, with a party from elsewhere, is a visit."""
    codes = _codes(found.actor) | _codes(found.recipient)
    if len(codes) < 2:
        return None
    parties = {(m.token_start, m.token_end) for m in (*found.actor, *found.recipient)}
    locative = kb.words("locative_preps")
    for m in sentence_mentions:
        if (m.token_start, m.token_end) in parties or m.entity.country not in codes:
            continue
        tok = found.trigger.doc[m.head]
        current = tok
        while current.head.i != current.i:
            current = current.head
            if current.dep_ == "prep" and current.lower_ in locative:
                return "visit"
            if current.i == found.predicate.i:
                break
    return None


_DERIVED_RULES = frozenset({"quote_partnership", "reported_obligation"})


def confidence_features(found: _Found, kb: _Knowledge) -> dict[str, str]:
    """The evidence a confidence is read from, as feature -> value (see docs/events.md).

    Kept coarse on purpose: each value must be seen often enough in the team's own data for
    its reliability to be estimated there."""
    rule = found.rule
    if found.rule_id in _DERIVED_RULES or found.converted:
        pattern = "derived"
    elif found.trigger.pos_ in ("NOUN", "PROPN"):
        pattern = "noun"
    elif rule.specific or rule.objects or rule.particle:
        pattern = "specific"
    else:
        pattern = "verb"
    chain = _clause_chain(found.predicate)
    top = chain[-1]
    if top.dep_ == "ROOT" or (top.dep_ in ("ccomp", "parataxis") and top.head.dep_ == "ROOT"):
        clause = "main"
    else:
        clause = "embedded"
    parties = _unique([*found.actor, *found.recipient])
    coded = bool(found.actor) and all(m.entity.country or m.entity.org for m in found.actor)
    pronouns = kb.words("pronouns")
    unresolved = any(
        m.entity.text.lower() in pronouns and m.antecedent is None for m in found.actor
    )
    if not coded or unresolved:
        arguments = "uncoded"
    elif (found.recipient and not found.domestic) or (rule.mutual and len(parties) >= 2):
        arguments = "dyad"
    else:
        arguments = "actor"
    return {
        "pattern": pattern,
        "clause": clause,
        "arguments": arguments,
        "speech": "reported" if found.reported else "direct",
    }


def _confidence(found: _Found, kb: _Knowledge) -> float:
    """Reliability of the event's evidence, combined as log-odds.

    Each feature value has a reliability (the share of type-correct events with that value)
    measured on the team's own gold and example sentences; ``triggers.yaml`` keeps the table
    under ``confidence``. The values are combined naive-Bayes style around the overall prior,
    so a feature that is no better than average leaves the score where it is."""
    table = kb.settings.get("confidence") or {}
    prior = float(table.get("prior", 0.7))
    logit = _logit(prior)
    reliability = table.get("reliability") or {}
    for name, value in confidence_features(found, kb).items():
        rate = (reliability.get(name) or {}).get(value)
        if rate is not None:
            logit += _logit(float(rate)) - _logit(prior)
    score = 1.0 / (1.0 + math.exp(-logit))
    return round(min(0.95, max(0.05, score)), 2)


def feature_reliability(
    records: Iterable[tuple[Mapping[str, str], bool]], *, strength: float = 4.0
) -> dict[str, Any]:
    """The ``confidence`` table of triggers.yaml from coded events of the team's own gold:
    ``records`` pairs each event's confidence_features with whether it was right. Each
    value's share of right events is shrunk toward the overall share by ``strength``
    pseudo-events, so a value seen twice cannot swing the score."""
    rows = list(records)
    if not rows:
        raise ValueError("no coded events to estimate reliability from")
    prior = sum(ok for _, ok in rows) / len(rows)
    counts: dict[tuple[str, str], list[int]] = {}
    for features, ok in rows:
        for name, value in features.items():
            right_total = counts.setdefault((name, value), [0, 0])
            right_total[0] += int(ok)
            right_total[1] += 1
    table: dict[str, dict[str, float]] = {}
    for (name, value), (right, total) in sorted(counts.items()):
        table.setdefault(name, {})[value] = round(
            (right + strength * prior) / (total + strength), 3
        )
    return {"prior": round(prior, 3), "reliability": table}


def _logit(p: float) -> float:
    p = min(0.99, max(0.01, p))
    return math.log(p / (1.0 - p))


def _span_of(tokens: Sequence[Token]) -> TextSpan:
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    # the text of the token span, not of the whole doc: Doc.text rebuilds the entire text
    # on every call, which was the single largest cost of extract_events on long articles
    text = first.doc[first.i : last.i + 1].text
    return TextSpan(text=text, start=first.idx, end=first.idx + len(text))


def _entities(mentions: Iterable[ActorMention]) -> list[Entity]:
    """Entities of the mentions, each once: a state named twice ("Russia", "the two
    countries") is one party; distinct people of one country stay distinct."""
    out: list[Entity] = []
    states: set[tuple[str | None, str | None]] = set()
    for m in mentions:
        entity = m.entity
        if entity in out:
            continue
        if entity.kind == "state":
            key = (entity.country, entity.sector)
            if key in states:
                continue
            states.add(key)
        out.append(entity)
    return out


def _candidate(
    found: _Found, sentence: Sentence, sentence_mentions: Sequence[ActorMention], kb: _Knowledge
) -> EventCandidate:
    if found.mode is None:
        found.mode = _mode_from_keywords(found, kb)
    if found.mode is None and found.type is EventType.CONSULT:
        found.mode = _visit_mode(found, sentence_mentions, kb)
    actor = _entities(found.actor)
    recipient = [e for e in _entities(found.recipient) if e not in actor]
    return EventCandidate(
        type=found.type,
        mode=found.mode,
        context=_contexts(found, kb, [*actor, *recipient]),
        cameo=found.cameo,
        actor=actor,
        recipient=recipient,
        sentence=sentence,
        trigger=_span_of(found.tokens),
        tense=found.tense,
        confidence=_confidence(found, kb),
        rule=found.rule_id,
    )


def _quote_support(
    sent: Span,
    found: list[_Found],
    mentions: Sequence[ActorMention],
    kb: _Knowledge,
) -> list[_Found]:
    """'"We are partners ... cooperation," X told reporters' -> SUPPORT from X to the partner."""
    words = kb.words("partnership_words")
    preps = kb.words("quote_recipient_preps")
    coded = {t.i for f in found for t in (f.trigger, f.predicate)}
    out: list[_Found] = []
    for verb in sent:
        if verb.lemma_.lower() not in kb.words("speech_verbs") or verb.pos_ not in ("VERB", "AUX"):
            continue
        for comp in _children(verb, ("ccomp", "parataxis")):
            subtree = list(comp.subtree)
            if any(t.i in coded for t in subtree):
                continue
            keyword = next((t for t in subtree if t.lemma_.lower() in words), None)
            if keyword is None:
                continue
            speaker = _unique(
                m for h in _subject_heads(verb, kb) for m in _mentions_at(h, mentions, kb)
            )
            if not speaker:
                continue
            core = _quote_core(comp, preps)
            speaker_codes = _codes(speaker)
            named = [m for m in mentions if m.head in core]
            others = [
                m for m in named if m.entity.country and m.entity.country not in speaker_codes
            ]
            if not others:
                continue
            out.append(
                _derived_event(
                    "quote_partnership",
                    frozenset(words),
                    trigger=keyword,
                    verb=verb,
                    actor=speaker,
                    recipient=_unique(others),
                    context=tuple(sent),
                    kb=kb,
                )
            )
    return out


def _obligation(
    verb: Token,
    aux: Token,
    comp: Token,
    speaker: list[ActorMention],
    mentions: Sequence[ActorMention],
    kb: _Knowledge,
) -> _Found | None:
    """The REQUEST from ``speaker`` to the subject of ``comp``, or None without both parties."""
    obliged = _unique(
        m for h in _children(comp, _SUBJECT_DEPS) for m in _mentions_at(h, mentions, kb)
    )
    speaker_keys = {(m.token_start, m.token_end) for m in speaker}
    obliged = [m for m in obliged if (m.token_start, m.token_end) not in speaker_keys]
    if not speaker or not obliged:
        return None
    return _derived_event(
        "reported_obligation",
        kb.words("obligation_modals"),
        trigger=aux,
        verb=verb,
        actor=speaker,
        recipient=obliged,
        context=tuple(comp.subtree),
        kb=kb,
    )


def _derived_event(
    rule_id: str,
    lemmas: frozenset[str],
    *,
    trigger: Token,
    verb: Token,
    actor: list[ActorMention],
    recipient: list[ActorMention],
    context: tuple[Token, ...],
    kb: _Knowledge,
) -> _Found:
    """An event read from a construction rather than a trigger entry (a quoted partnership, a
    reported obligation); its type and CAMEO code come from ``derived_events`` in the data."""
    spec = kb.settings["derived_events"][rule_id]
    type_, cameo = EventType(spec["type"]), str(spec["cameo"])
    rule = TriggerRule(id=rule_id, lemmas=lemmas, type=type_, examples=(), cameo=cameo)
    found = _Found(
        rule=rule,
        trigger=trigger,
        predicate=verb,
        obj=None,
        type=type_,
        mode=None,
        cameo=cameo,
        actor=actor,
        recipient=recipient,
        reported=True,
        rule_id=rule_id,
    )
    found.tense = _tense(verb, kb, reported=False)
    found.context_tokens = context
    return found


def _modal_aux(comp: Token, modals: frozenset[str]) -> Token | None:
    return next((c for c in comp.children if c.dep_ == "aux" and c.lower_ in modals), None)


def _reported_obligation(
    sent: Span,
    found: list[_Found],
    mentions: Sequence[ActorMention],
    kb: _Knowledge,
) -> list[_Found]:
    """'X said Y must stop ...' is a demand: REQUEST from the speaker to the obliged party.

    A stance verb ("X believes Y must ...") or an attribution ("Y must ..., according to X")
    states the obligation as a verb of saying does.
    """
    modals = kb.words("obligation_modals")
    stating = kb.words("speech_verbs") | kb.words("obligation_stance_verbs")
    attribution = kb.words("attribution_preps")
    coded = {f.predicate.i for f in found}
    out: list[_Found] = []
    for verb in sent:
        if verb.pos_ not in ("VERB", "AUX") or verb.i in coded:
            continue
        if any(c.dep_ == "neg" for c in verb.children):
            continue
        if verb.lemma_.lower() in stating:
            speaker = _unique(
                m for h in _subject_heads(verb, kb) for m in _mentions_at(h, mentions, kb)
            )
            for comp in _children(verb, ("ccomp",)):
                aux = _modal_aux(comp, modals)
                if aux is None or comp.i in coded:
                    continue
                demand = _obligation(verb, aux, comp, speaker, mentions, kb)
                if demand is not None:
                    out.append(demand)
            continue
        aux = _modal_aux(verb, modals)
        sources = [p for p in _children(verb, ("prep",)) if p.lower_ in attribution]
        if aux is None or not sources:
            continue
        speaker = _unique(
            m
            for p in sources
            for h in _prep_objects(p, frozenset({"to"}))
            for m in _mentions_at(h, mentions, kb)
        )
        demand = _obligation(verb, aux, verb, speaker, mentions, kb)
        if demand is not None:
            out.append(demand)
    return out


def _quote_core(root: Token, preps: frozenset[str]) -> set[int]:
    """Words of a quoted clause that name its parties: subjects, objects, 'with/between' X."""
    allowed = _NP_DEPS | {"nsubj", "nsubjpass", "dobj", "attr", "dative", "conj", "pobj"}
    seen = {root.i}
    stack = [root]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            ok = child.dep_ in allowed or (child.dep_ == "prep" and child.lower_ in preps)
            if child.dep_ == "pobj" and tok.lower_ not in preps:
                ok = False
            if ok and child.i not in seen:
                seen.add(child.i)
                stack.append(child)
    return seen


def _dedupe(found: list[_Found], kb: _Knowledge) -> list[_Found]:
    """One event per happening: merge same-type events sharing parties; one stance per dyad."""
    out: list[_Found] = []
    for f in sorted(found, key=lambda f: f.trigger.i):
        keys = {(m.token_start, m.token_end) for m in (*f.actor, *f.recipient)}
        merged = False
        for g in out:
            if g.type is not f.type:
                continue
            g_keys = {(m.token_start, m.token_end) for m in (*g.actor, *g.recipient)}
            if keys & g_keys or keys == g_keys:
                g.actor = _unique([*g.actor, *f.actor])
                g.recipient = _unique([*g.recipient, *f.recipient])
                _settle_roles(g, kb)
                merged = True
                break
        if not merged:
            out.append(f)
    groups = [set(g) for g in kb.settings.get("merge_groups") or []]
    kept: list[_Found] = []
    for f in out:
        codes = _codes([*f.actor, *f.recipient])
        clash = any(
            g.type is not f.type
            and any(f.type.value in grp and g.type.value in grp for grp in groups)
            and codes
            and _codes([*g.actor, *g.recipient]) == codes
            for g in kept
        )
        if not clash:
            kept.append(f)
    return kept


def _sentence_events(
    sent: Span,
    sentence: Sentence,
    mentions: Sequence[ActorMention],
    kb: _Knowledge,
) -> list[EventCandidate]:
    """The events of one sentence: rule candidates, then classify, then assembly."""
    found = find_candidates(sent, mentions, kb)
    found = classify(found, sent)
    return assemble(found, sent, sentence, mentions, kb)


def find_candidates(sent: Span, mentions: Sequence[ActorMention], kb: _Knowledge) -> list[_Found]:
    """Candidate events of a sentence from the trigger rules, each with its arguments.

    One match per token (the most constrained rule first); a light verb's noun and a manner
    phrase belong to their verb's event. Negated, background and hypothetical events are
    dropped here; refusals and conditional threats are re-typed (clause checks).
    """
    found: list[_Found] = []
    for token in sent:
        for rule in kb.candidates(_forms(token)):
            match = _match(rule, token, kb)
            if match is not None:
                found.append(match)
                break
    # the noun of a light verb ("lodged a protest") is part of that event, not another one
    objects = {f.obj.i for f in found if f.obj is not None}
    found = [f for f in found if f.trigger.i not in objects]
    # nor is a manner phrase on another trigger ("resigned in protest")
    triggers = {f.trigger.i for f in found}
    found = [
        f
        for f in found
        if not (
            f.trigger.pos_ in ("NOUN", "PROPN")
            and f.trigger.head.dep_ == "prep"
            and f.trigger.head.lower_ in kb.words("manner_preps")
            and f.trigger.head.head.i in triggers
        )
    ]
    kept = [c for f in found if (c := _checked(f, sent, mentions, kb)) is not None]
    return _absorb(kept, kb)


def _checked(
    f: _Found, sent: Span, mentions: Sequence[ActorMention], kb: _Knowledge
) -> _Found | None:
    """One match through the clause checks, with its arguments; None when it is dropped."""
    f.reported = _speech_verb(f, kb) is not None
    if _is_negated(f, kb) and _is_refusal(f, kb):
        refusal = kb.settings.get("refusal") or {}
        modes = (kb.settings.get("complement_modes") or {}).get("REJECT") or {}
        f.mode = modes.get(f.type.value)
        f.type, f.cameo, f.converted = EventType.REJECT, str(refusal.get("cameo", "120")), True
        if _is_background(f, kb):
            return None
    elif _is_background(f, kb) or _is_negated(f, kb) or _is_sport(f, sent, kb):
        log.debug("dropped %s at %r (background/negated)", f.rule_id, f.trigger)
        return None
    elif _conditional_threat(f, kb):
        threat = kb.settings.get("conditional_threat_cameo") or {}
        f.type, f.cameo = EventType.THREATEN, str(threat.get(f.type.value, "130"))
        f.converted = True
        f.mode = (kb.settings.get("threat_modes") or {}).get(f.rule.type.value)
    elif _is_hypothetical(f, kb):
        log.debug("dropped %s at %r (background/negated/hypothetical)", f.rule_id, f.trigger)
        return None
    _arguments(f, mentions, kb)
    f.tense = _tense(f.predicate, kb, f.reported)
    f.context_tokens = _clause_tokens(f)
    return f


def classify(found: list[_Found], sent: Span) -> list[_Found]:
    """Where a learned model decides event-or-not and the type of each rule candidate.

    The seam for the sentence classifier (#8): it may drop candidates or re-type them
    (setting ``converted``); the rules keep giving the trigger and the arguments. Until
    then every candidate passes unchanged.
    """
    return found


def assemble(
    found: list[_Found],
    sent: Span,
    sentence: Sentence,
    mentions: Sequence[ActorMention],
    kb: _Knowledge,
) -> list[EventCandidate]:
    """The sentence's candidates as events: pledges and threats, speakers, recipients by
    convention, events built from constructions, repeats merged, mutual acts both ways."""
    final = [s for f in found if (s := _settled(f, mentions, kb)) is not None]
    final.extend(_quote_support(sent, final, mentions, kb))
    final.extend(_reported_obligation(sent, final, mentions, kb))
    final = _dedupe(final, kb)
    out: list[EventCandidate] = []
    for f in final:
        candidate = _candidate(f, sentence, mentions, kb)
        out.append(candidate)
        if _is_mutual_dyad(f):
            # "Iran signed an agreement with Russia": both sides did it, so both directions
            # are events (types between equals pool the parties in actor instead)
            update = {"actor": candidate.recipient, "recipient": candidate.actor}
            out.append(candidate.model_copy(update=update))
    return out


def _settled(f: _Found, mentions: Sequence[ActorMention], kb: _Knowledge) -> _Found | None:
    """Future tense, the speaker and the recipient settled; None when the event lacks a party."""
    _announced(f, kb)
    speech = _speech_verb(f, kb)
    if speech is not None:
        speaker = _unique(
            m for h in _subject_heads(speech, kb) for m in _mentions_at(h, mentions, kb)
        )
        named_speaker = any(m.entity.text.lower() not in kb.words("pronouns") for m in speaker)
        if named_speaker and _pronoun_subject(f, kb):
            # "Japan said it had halted aid": the reported pronoun is the speaker
            f.actor = list(speaker)
            f.recipient = [m for m in f.recipient if m not in speaker]
        _apply_speaker(f, speaker, kb)
    rule = f.rule
    if rule.needs_recipient and not f.recipient:
        return None
    _conventional_recipient(f, mentions, kb)
    if rule.needs_recipient_or_plural and not f.recipient and len(f.actor) < 2:
        return None
    if not f.actor:
        log.debug("dropped %s at %r: no actor", f.rule_id, f.trigger)
        return None
    if _in_purpose_clause(f, kb):
        log.debug("dropped %s at %r: purpose of another deed", f.rule_id, f.trigger)
        return None
    return f


def _announced(f: _Found, kb: _Knowledge) -> None:
    """A deed announced for the future is a pledge (AGREE) or a threat (THREATEN)."""
    future_map = kb.settings.get("future_to_agree") or {}
    future_threat = kb.settings.get("future_to_threaten") or {}
    if f.tense == "future" and f.type.value in future_map:
        f.type, f.cameo, f.mode = EventType.AGREE, str(future_map[f.type.value]), None
        f.converted = True
    elif f.tense == "future" and f.type.value in future_threat:
        f.type, f.cameo = EventType.THREATEN, str(future_threat[f.type.value])
        f.converted = True
        f.mode = (kb.settings.get("threat_modes") or {}).get(f.rule.type.value)
    if f.converted and f.tense == "future":
        # A pledge or threat happens when it is voiced: the speech verb's time, or now.
        speech = _speech_verb(f, kb)
        f.tense = _tense(speech, kb, reported=False) if speech is not None else "present"


def _conventional_recipient(f: _Found, mentions: Sequence[ActorMention], kb: _Knowledge) -> None:
    """No named recipient: the scope of the event's phrase, or by PLOVER's convention the
    state where it happens (see ``_domestic_target``)."""
    if (
        not f.recipient
        and not f.rule.mutual
        and not f.rule.needs_recipient_or_plural
        and f.type.value.lower() in kb.words("scope_recipient_types")
    ):
        f.recipient = _scope_recipient(f, mentions, kb)
    if not f.recipient and f.type.value.lower() in kb.words("domestic_recipient_types"):
        f.recipient = _domestic_target(f, mentions, kb)
        f.domestic = bool(f.recipient)


def _is_mutual_dyad(found: _Found) -> bool:
    return (
        found.rule.mutual
        and found.type is found.rule.type  # not a refusal, threat or pledge made of it
        and found.type not in SYMMETRIC_TYPES
        and not found.converted
        and bool(found.actor)
        and bool(found.recipient)
        and not found.domestic
    )


def _propagate_visits(candidates: list[EventCandidate]) -> list[EventCandidate]:
    """Meetings reported after a visit between the same countries belong to that visit."""
    visits: list[frozenset[str]] = []
    out: list[EventCandidate] = []
    for c in candidates:
        if c.type is EventType.CONSULT:
            codes = frozenset(e.country for e in (*c.actor, *c.recipient) if e.country)
            if c.mode == "visit" and len(codes) >= 2:
                visits.append(codes)
            elif c.mode is None and codes in visits:
                c = c.model_copy(update={"mode": "visit"})
        out.append(c)
    return out


def extract_events(
    parsed: ParsedDocument, mentions: Sequence[ActorMention], *, knowledge: Knowledge
) -> list[EventCandidate]:
    """Event candidates of a parsed body, in text order, with actors chosen from ``mentions``."""
    kb = rules_of(knowledge)
    by_sentence: dict[int, list[ActorMention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    candidates: list[EventCandidate] = []
    for index, sent in enumerate(parsed.doc.sents):
        if index >= len(parsed.sentences):
            break
        candidates.extend(
            _sentence_events(sent, parsed.sentences[index], by_sentence.get(index, []), kb)
        )
    return _propagate_visits(candidates)
