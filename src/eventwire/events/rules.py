"""Trigger rules: the entries of knowledge/triggers.yaml as typed rules, and the
per-Knowledge rule table (rules indexed by lemma, word lists, contexts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventwire.errors import KnowledgeError
from eventwire.knowledge import Knowledge
from eventwire.models import (
    EventType,
)

if TYPE_CHECKING:
    pass


TRIGGERS_FILE = "triggers.yaml"


PLOVER_FILE = "plover.yaml"


CONTEXTS_FILE = "contexts.yaml"


COUNTRIES_FILE = "countries.csv"


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
    bare_particle: bool = False
    object_recipient: bool = True
    dative_recipient: bool = False
    recipient_preps: frozenset[str] = frozenset()
    actor_preps: frozenset[str] = frozenset()
    mutual: bool = False
    swap: bool = False
    complement: bool = False
    complement_recipient_preps: frozenset[str] = frozenset()
    needs_object: bool = False
    not_question: bool = False
    """Not when the verb puts a question ("asked if anyone was hurt", '"Why?" he asked')."""
    needs_object_party: bool = False
    """The direct object (or passive subject) must hold a party: 'received Erdogan', not
    'received answers'."""
    needs_recipient: bool = False
    needs_recipient_or_plural: bool = False
    actor_sectors: frozenset[str] = frozenset()
    """When set, a party of one of these sectors (or a state) must be among the actors."""
    needs_complement: bool = False
    needs_actor_prep: bool = False
    not_naming: bool = False
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
    "actor_sectors",
}


_BOOL_FIELDS = {
    "object_recipient",
    "dative_recipient",
    "mutual",
    "swap",
    "complement",
    "needs_object",
    "not_question",
    "needs_object_party",
    "needs_recipient",
    "needs_recipient_or_plural",
    "needs_complement",
    "needs_actor_prep",
    "not_naming",
    "bare_particle",
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
    by_type_words: dict[str, frozenset[str]] = field(default_factory=dict)

    def words(self, name: str) -> frozenset[str]:
        cached = self.word_sets.get(name)
        if cached is None:
            cached = frozenset(str(w).lower() for w in self.settings.get(name, ()))
            self.word_sets[name] = cached
        return cached

    def type_words(self, event_type: str) -> frozenset[str]:
        """The words the entries of one type are triggered by: an entry's lemmas, or the
        objects of a light-verb entry ("hold talks"); entries that need a particle ("give in")
        are left out, their verb alone says nothing."""
        cached = self.by_type_words.get(event_type)
        if cached is None:
            cached = frozenset(
                w
                for r in self.rules
                if r.type.value == event_type and not r.particle
                for w in (r.objects or r.lemmas)
            )
            self.by_type_words[event_type] = cached
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
