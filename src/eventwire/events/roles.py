"""Who is actor and who recipient: a learned scorer of (event, mention) pairs.

For each event and each actor mention of its sentence, a multinomial logistic regression over
parse features (the dependency path from the mention to the trigger and to the main
predicate, order and distance, the mention's kind and sector, what the trigger rules chose)
gives P(actor), P(recipient), P(neither). Trained on the annotated corpus
(``eventwire.training.roles``); its weights are a JSON file next to the event classifier.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Self

from eventwire.models import ActorMention, EventCandidate

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

ROLES = ("actor", "recipient", "none")


def _path(token: Token, target: Token, limit: int = 4) -> str:
    """Dependency labels from ``token`` up to ``target`` (prepositions named), or 'none'."""
    labels: list[str] = []
    current = token
    for _ in range(limit):
        if current.i == target.i:
            return ">".join(labels) or "self"
        label = current.dep_
        if label == "pobj":
            label = f"pobj:{current.head.lower_}"
        labels.append(label)
        if current.head.i == current.i:
            break
        current = current.head
    return "none"


def trigger_token(doc: Doc, start: int, end: int) -> Token | None:
    """The syntactic head of the trigger's character span."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def features(
    event_type: str,
    mention: ActorMention,
    trigger: Token,
    sent: Span,
    rule_role: str,
    n_mentions: int,
    speech_verbs: frozenset[str],
) -> list[str]:
    """Named binary features of one (event, mention) pair."""
    doc = trigger.doc
    head = doc[mention.head]
    root = sent.root
    to_trigger = _path(head, trigger)
    to_root = _path(head, root)
    distance = head.i - trigger.i
    bucket = "near" if abs(distance) <= 3 else "mid" if abs(distance) <= 8 else "far"
    entity = mention.entity
    speaker = root.lemma_.lower() in speech_verbs and to_root.startswith("nsubj")
    out = [
        f"path={to_trigger}",
        f"path1={to_trigger.split('>')[0]}",
        f"root={to_root}",
        f"root1={to_root.split('>')[0]}",
        f"side={'before' if distance < 0 else 'after'}:{bucket}",
        f"kind={entity.kind}",
        f"sector={entity.sector or '-'}",
        f"state={bool(entity.country)}",
        f"rule={rule_role}",
        f"speaker={speaker}",
        f"many={min(n_mentions, 4)}",
        f"trigger_pos={trigger.pos_}",
        f"head_dep={head.dep_}",
    ]
    # the same cues read differently for each event type
    out += [f"{event_type}|{f}" for f in out[:2] + out[8:9]]
    return out


TRIGGER_MARKS = ("<<", ">>")
MENTION_MARKS = ("[[", "]]")


def pair_text(
    event_type: str,
    sent: Span,
    trigger: tuple[int, int],
    mention: ActorMention,
    window: int | None = None,
) -> str:
    """The role model's input: the event type, then the sentence with the trigger in << >> and
    the mention in [[ ]] (character offsets are the document's); with ``window``, only that many
    words either side of the marked stretch (short inputs: speed)."""
    base = sent.start_char
    start, end = mention.entity.start, mention.entity.end
    if start is None or end is None:
        doc = sent.doc
        start, end = (
            doc[mention.token_start].idx,
            doc[mention.token_end - 1].idx + len(doc[mention.token_end - 1]),
        )
    marks = [
        (trigger[0], 1, TRIGGER_MARKS[0] + " "),
        (trigger[1], 0, " " + TRIGGER_MARKS[1]),
        (start, 2, MENTION_MARKS[0] + " "),
        (end, -1, " " + MENTION_MARKS[1]),
    ]
    text = sent.text
    # from the end, so earlier offsets stay right; at one offset closing marks go first
    for at, _, mark in sorted(marks, key=lambda m: (m[0], m[1]), reverse=True):
        k = min(max(at - base, 0), len(text))
        text = text[:k] + mark + text[k:]
    if window is not None:
        words = text.split()
        signs = (*TRIGGER_MARKS, *MENTION_MARKS)
        marked = [i for i, w in enumerate(words) if any(s in w for s in signs)]
        if marked:
            words = words[max(marked[0] - window, 0) : marked[-1] + window + 1]
        text = " ".join(words)
    return f"{event_type.lower()} : {text}"


class Thresholded:
    """Role readers keep P(actor) and P(recipient) thresholds, tuned on the dev split."""

    thresholds: dict[str, float]

    def with_thresholds(self, actor: float, recipient: float) -> Self:
        """The same reader with other thresholds (for tuning on the dev split)."""
        other = copy.copy(self)
        other.thresholds = {"actor": actor, "recipient": recipient}
        return other


class RoleScorer(Thresholded):
    """Logistic-regression weights read from JSON; scoring is a few dictionary look-ups."""

    def __init__(self, path: Path):
        data = json.loads(path.read_text(encoding="utf-8"))
        self.roles: tuple[str, ...] = tuple(data["roles"])
        self.bias: list[float] = data["bias"]
        self.weights: dict[str, list[float]] = data["weights"]
        self.thresholds: dict[str, float] = data.get("thresholds", {"actor": 0.5, "recipient": 0.5})

    def read(
        self,
        candidate: EventCandidate,
        sent: Span,
        mentions: Sequence[ActorMention],
        from_rules: bool,
        speech_verbs: frozenset[str],
    ) -> list[dict[str, float]] | None:
        """Role probabilities of each mention for the event; None where its trigger is lost.
        ``from_rules``: the candidate's own parties are a rule's choice, a feature here."""
        trigger = trigger_token(sent.doc, candidate.trigger.start, candidate.trigger.end)
        if trigger is None:
            return None
        chosen = rule_roles(candidate, mentions) if from_rules else {}
        kind = candidate.type.value
        return [
            self.probabilities(
                features(
                    kind, m, trigger, sent, chosen.get(m.head, "none"), len(mentions), speech_verbs
                )
            )
            for m in mentions
        ]

    def read_many(
        self, requests: Sequence[ReadRequest], speech_verbs: frozenset[str]
    ) -> list[Reading]:
        return [self.read(c, sent, ms, rules, speech_verbs) for c, sent, ms, rules in requests]

    def probabilities(self, feats: Sequence[str]) -> dict[str, float]:
        scores = list(self.bias)
        for f in feats:
            w = self.weights.get(f)
            if w is not None:
                scores = [s + x for s, x in zip(scores, w, strict=True)]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {role: e / total for role, e in zip(self.roles, exp, strict=True)}


Reading = list[dict[str, float]] | None
"""Role probabilities of each mention of an event's sentence; None where the event's trigger
cannot be found in the parse."""
ReadRequest = tuple[EventCandidate, "Span", Sequence[ActorMention], bool]
"""An event, its sentence, the sentence's mentions, and whether its parties are a rule's."""


class Roles(Protocol):
    """What classify needs of a role reader: the logistic scorer or the neural model."""

    thresholds: dict[str, float]

    def with_thresholds(self, actor: float, recipient: float) -> Roles: ...

    def read_many(
        self, requests: Sequence[ReadRequest], speech_verbs: frozenset[str]
    ) -> list[Reading]: ...


def rule_roles(candidate: EventCandidate, mentions: Sequence[ActorMention]) -> dict[int, str]:
    """What the trigger rules chose for each mention (by token head): actor, recipient or no."""
    actors = {(e.start, e.end) for e in candidate.actor}
    recipients = {(e.start, e.end) for e in candidate.recipient}
    out = {}
    for m in mentions:
        key = (m.entity.start, m.entity.end)
        out[m.head] = "actor" if key in actors else "recipient" if key in recipients else "no"
    return out
