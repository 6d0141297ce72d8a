"""Arguments: which actor mentions fill the actor and recipient roles of a match (subject,
passive agent, object, prepositions the rule names, and the fallbacks PLOVER asks for)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from eventwire.codebook import SYMMETRIC_TYPES
from eventwire.models import (
    ActorMention,
    Entity,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


from eventwire.events.clauses import _has_mark
from eventwire.events.matching import _codes, _Found, _unique
from eventwire.events.rules import _Knowledge
from eventwire.events.syntax import (
    _OBJECT_DEPS,
    _PASSIVE_SUBJECT_DEPS,
    _SUBJECT_DEPS,
    _children,
    _forms,
    _is_passive,
    _np_tokens,
    _prep_objects,
    _subject_heads,
)


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
                for pobj in _prep_objects(h, kb.words("boundary_across_preps"))
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
        for pobj in _prep_objects(h, kb.words("partitive_preps")):
            out.extend(_mentions_at(pobj, mentions, kb))
        # a boundary names its country: "its border with Guyana", "the coast of Yemen"
        if _forms(h) & kb.words("boundary_nouns"):
            for pobj in _prep_objects(h, kb.words("boundary_preps")):
                out.extend(_mentions_at(pobj, mentions, kb))
    return _unique(out)


def _proposal_source(
    trigger: Token, mentions: Sequence[ActorMention], kb: _Knowledge
) -> list[ActorMention]:
    """Whose proposal it is: answering "an offer from X", "X's demand", "calls by X" is directed
    at X, so a reaction to a proposal names its author as the recipient."""
    nouns = kb.words("proposal_nouns")
    preps = kb.words("proposal_source_preps")
    heads: list[Token] = []
    for obj in _children(trigger, _OBJECT_DEPS) or _prep_objects(
        trigger, kb.words("addressee_preps")
    ):
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
        things = [
            *objects,
            *(p for obj in objects for p in _prep_objects(obj, kb.words("partitive_preps"))),
        ]
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
    entity = own_state([m.entity for m in found.actor], found.type.value, kb)
    if entity is None:
        return []
    return [found.actor[0].model_copy(update={"entity": entity, "antecedent": None})]


def own_state(actor: Sequence[Entity], event_type: str, kb: _Knowledge) -> Entity | None:
    """PLOVER's default target when no place or party is named: the doers' own state, if
    they are of one state (``domestic_recipient_types``)."""
    if event_type.lower() not in kb.words("domestic_recipient_types"):
        return None
    codes = sorted({e.country for e in actor if e.country})
    if len(codes) != 1:
        return None
    # a state's army attacking "the town" may well be abroad: no own-state guess for these
    skip = (kb.settings.get("domestic_fallback_skip") or {}).get(event_type) or ()
    if any(e.sector in skip for e in actor):
        return None
    names = kb.country_names
    return Entity(
        text=names.get(codes[0], codes[0]),
        name=names.get(codes[0]),
        country=codes[0],
        sector="GOV",
        kind="state",
    )


def _arguments(found: _Found, mentions: Sequence[ActorMention], kb: _Knowledge) -> None:
    """Fill ``found.actor`` and ``found.recipient`` from the parse around the trigger."""
    rule, trigger = found.rule, found.trigger
    if trigger.pos_ in ("NOUN", "PROPN"):
        actor_heads, recipient_heads = _noun_argument_heads(found, kb)
    else:
        actor_heads = _verb_actor_heads(found, kb)
        recipient_heads = _verb_recipient_heads(found, kb)
    found.actor = _unique(m for h in actor_heads for m in _mentions_at(h, mentions, kb))
    found.recipient = _unique(m for h in recipient_heads for m in _mentions_at(h, mentions, kb))
    if not found.recipient:
        found.recipient = _recipient_fallbacks(found, mentions, kb)
    if rule.complement or rule.type.value.lower() in kb.words("purpose_clause_types"):
        _complement(found, mentions, kb)
    if rule.swap:
        found.actor, found.recipient = found.recipient, found.actor
    _settle_roles(found, kb)


def _noun_argument_heads(found: _Found, kb: _Knowledge) -> tuple[list[Token], list[Token]]:
    """A noun trigger: its possessor or "of/by" phrase acts; its preposition names the target."""
    rule, trigger = found.rule, found.trigger
    actor_heads = _children(trigger, ("poss",)) + _prep_objects(trigger, rule.actor_preps)
    if not actor_heads:
        modifiers = _children(trigger, ("amod", "compound", "nmod"))
        if rule.mutual:
            # a common noun before a meeting says what kind it is ("phone call", "peace
            # talks"), not who meets
            modifiers = [m for m in modifiers if m.pos_ != "NOUN"]
        actor_heads += modifiers
    recipient_heads = _prep_objects(trigger, rule.recipient_preps)
    if not actor_heads and trigger.dep_ in ("dobj", "pobj") and not rule.needs_actor_prep:
        actor_heads += _subject_heads(found.predicate, kb)
    return actor_heads, recipient_heads


def _verb_actor_heads(found: _Found, kb: _Knowledge) -> list[Token]:
    rule, trigger, predicate = found.rule, found.trigger, found.predicate
    actor_heads = _subject_heads(predicate, kb)
    if rule.particle_objects and not actor_heads and _is_passive(predicate):
        # "was put under investigation by X": the parser hangs the agent on the noun
        for held in _prep_objects(trigger, rule.particle):
            actor_heads += _prep_objects(held, kb.words("agent_preps"))
    if rule.stative and not actor_heads:
        # "Egypt is opposed to ...": a state, not a passive; its subject holds it
        actor_heads += _children(predicate, _PASSIVE_SUBJECT_DEPS)
    return actor_heads


def _verb_objects(trigger: Token, predicate: Token) -> list[Token]:
    if _is_passive(predicate):
        return _children(predicate, _PASSIVE_SUBJECT_DEPS)
    objects = _children(trigger, _OBJECT_DEPS)
    if not objects:
        # "helped Syria to ...", "urged Turkey to ...": the parser may hang the addressee on
        # the complement as its subject
        for clause in _children(trigger, ("ccomp", "xcomp")):
            objects += _children(clause, _SUBJECT_DEPS)
    return objects


def _verb_recipient_heads(found: _Found, kb: _Knowledge) -> list[Token]:
    rule, trigger = found.rule, found.trigger
    heads = _verb_objects(trigger, found.predicate) if rule.object_recipient else []
    if rule.object_recipient or rule.dative_recipient:
        heads += [
            c
            for c in _children(trigger, ("dative", "iobj"))
            if not list(c.children) or c.pos_ in ("PROPN", "NOUN", "PRON")
        ]
    heads += _prep_objects(trigger, rule.recipient_preps)
    if found.obj is not None:
        heads += _prep_objects(found.obj, rule.recipient_preps)
        for inner in _prep_objects(found.obj, kb.words("partitive_preps")):
            heads += _prep_objects(inner, rule.recipient_preps)
        # "suspended Mali's membership", "froze Russia's assets"
        heads += [c for c in _children(found.obj, ("poss",)) if c.pos_ != "PRON"]
    # "called for sanctions against Y": the addressee hangs on the requested thing
    for wanted in _prep_objects(trigger, kb.words("request_object_preps")):
        heads += _prep_objects(wanted, rule.recipient_preps)
    return heads


def _recipient_fallbacks(
    found: _Found, mentions: Sequence[ActorMention], kb: _Knowledge
) -> list[ActorMention]:
    """No recipient from the main phrases: the ones further away, in order of trust."""
    rule, trigger = found.rule, found.trigger
    verb = trigger.pos_ in ("VERB", "AUX")
    recipient: list[ActorMention] = []
    if verb and found.obj is None:
        # "threatened further action against Y", "demanded support from Y"
        heads = [
            h
            for obj in _children(trigger, _OBJECT_DEPS)
            for h in _prep_objects(obj, rule.recipient_preps)
        ]
        recipient = _unique(m for h in heads for m in _mentions_at(h, mentions, kb))
    if not recipient and verb:
        recipient = _proposal_source(trigger, mentions, kb)
    if not recipient and rule.type.value.lower() in kb.words("location_recipient_types"):
        recipient = _located_target(found, mentions, kb)
    if not recipient and verb and not rule.mutual:
        recipient = _fallback_recipient(found, mentions, kb)
    return recipient


def _complement(found: _Found, mentions: Sequence[ActorMention], kb: _Knowledge) -> None:
    """The complement (or purpose) clause of the trigger: its tokens, and the recipient it
    names when the main clause named none."""
    rule, trigger, predicate = found.rule, found.trigger, found.predicate
    purpose = rule.type.value.lower() in kb.words("purpose_clause_types")
    comp_deps = ("xcomp", "ccomp", "acl", "advcl") if purpose else ("xcomp", "ccomp", "acl")
    roots = [c for c in trigger.children if c.dep_ in comp_deps]
    if purpose and trigger is not predicate:
        roots += [c for c in predicate.children if c.dep_ in comp_deps]
    if found.obj is not None:
        roots += [c for c in found.obj.children if c.dep_ in ("acl", "relcl")]
    inside = {t.i for root in roots for t in root.subtree}
    found.complement = frozenset(inside)
    if rule.complement_recipient_preps and not found.recipient:
        doc = trigger.doc
        heads = [
            pobj
            for i in sorted(inside)
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


def _settle_roles(found: _Found, kb: _Knowledge) -> None:
    """A party is never both actor and recipient; equals in a meeting are all actors."""
    actor_keys = {(m.token_start, m.token_end, m.entity) for m in found.actor}
    found.recipient = [
        m for m in found.recipient if (m.token_start, m.token_end, m.entity) not in actor_keys
    ]
    if found.rule.mutual and found.type in SYMMETRIC_TYPES:
        found.actor = _unique([*found.actor, *found.recipient])
        found.recipient = []
