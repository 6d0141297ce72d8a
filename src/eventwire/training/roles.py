"""The (event, mention) pairs of the annotated corpus, and the light logistic role scorer
trained on them (needs scikit-learn; ``roles.json``). The shipped reader is the neural role
model (``training.role_model``, same pairs); a model folder with ``roles_model.json`` uses that,
one with only ``roles.json`` this scorer.

Each gold event of the train split, at its trigger, against each actor mention the actors stage
finds in that sentence: the mention is the actor or the recipient when it overlaps a gold
entity of that side (else when its code belongs to one side only), otherwise neither.

    python -m eventwire.training.roles --corpus corpus --shared ../shared --out src/eventwire/model
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventwire import actors
from eventwire.events.extract import extract_events
from eventwire.events.roles import ROLES, features, pair_text, rule_roles, trigger_token
from eventwire.events.rules import rules_of
from eventwire.knowledge import Knowledge
from eventwire.models import ActorMention, EventCandidate
from eventwire.settings import Settings
from eventwire.training.corpus import parsed_split

log = logging.getLogger(__name__)


def _code(entity: dict[str, Any]) -> str | None:
    return entity.get("country") or entity.get("sector") or None


def entity_span(entity: dict[str, Any], event: dict[str, Any], text: str) -> tuple[int, int] | None:
    """Where a gold party stands in the text: its offsets (Guardian annotations), else the
    first place its words occur in the event's evidence (VOA annotations); None if neither."""
    if entity.get("start") is not None:
        return entity["start"], entity["end"]
    if entity.get("text"):
        at = text.find(entity["text"], event["evidence_start"], event["evidence_end"])
        if at >= 0:
            return at, at + len(entity["text"])
    return None


def _spans(event: dict[str, Any], role: str, text: str) -> list[tuple[int, int]]:
    found = (entity_span(e, event, text) for e in event.get(role) or [])
    return [span for span in found if span is not None]


def label(mention: ActorMention, event: dict[str, Any], text: str) -> str:
    """The mention's role in a gold event: by overlapping span, else by a one-sided code."""
    start, end = mention.entity.start or -1, mention.entity.end or -1
    for role in ("actor", "recipient"):
        if any(s < end and start < e for s, e in _spans(event, role, text)):
            return role
    code = mention.entity.code
    sides = {r: {_code(e) for e in event.get(r) or []} for r in ("actor", "recipient")}
    in_actor, in_recipient = code in sides["actor"], code in sides["recipient"]
    if code and in_actor != in_recipient:
        return "actor" if in_actor else "recipient"
    return "none"


@dataclass(frozen=True)
class Pair:
    """One (gold event, mention) pair of the corpus, with what either scorer reads of it."""

    features: list[str]
    text: str
    """The role model's input (``pair_text``)."""
    label: str


def examples(
    split: str, corpus: Path, shared: Path, window: int | None = None, *, mark_head: bool = False
) -> list[Pair]:
    """The (gold event, mention) pairs of a split. With ``mark_head`` the text marks only the
    head word of the annotated trigger, as the coder's triggers mostly are (annotators often
    mark a whole phrase: "had been pressing European forces to set up ...")."""
    settings = Settings()
    knowledge = Knowledge.from_settings(settings.model_copy(update={"event_model": "off"}))
    speech = rules_of(knowledge).words("speech_verbs")
    out: list[Pair] = []
    for article, parsed in parsed_split(split, corpus, shared, settings.model):
        mentions = actors.extract_actors(parsed, knowledge=knowledge)
        rules = extract_events(parsed, mentions, knowledge=knowledge)
        sents = list(parsed.doc.sents)[: len(parsed.sentences)]
        for event in article.events:
            if event.get("trigger_start") is None:
                continue
            trigger = trigger_token(parsed.doc, event["trigger_start"], event["trigger_end"])
            if trigger is None:
                continue
            index = next((i for i, s in enumerate(sents) if s.start <= trigger.i < s.end), None)
            if index is None:
                continue
            here = [m for m in mentions if m.sentence == index]
            same: list[EventCandidate] = [
                c for c in rules if c.sentence.index == index and c.type.value == event["type"]
            ]
            chosen = rule_roles(same[0], here) if same else {}
            span = (
                (trigger.idx, trigger.idx + len(trigger))
                if mark_head
                else (event["trigger_start"], event["trigger_end"])
            )
            for m in here:
                rule_role = chosen.get(m.head, "none")
                feats = features(
                    event["type"], m, trigger, sents[index], rule_role, len(here), speech
                )
                text = pair_text(event["type"], sents[index], span, m, window)
                out.append(Pair(feats, text, label(m, event, article.text)))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("src/eventwire/model"))
    parser.add_argument("--c", type=float, default=0.5, help="inverse regularisation strength")
    arguments = argv if argv is not None else sys.argv[1:]
    args = parser.parse_args(arguments)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    train = examples("train", args.corpus, args.shared)
    dev = examples("dev", args.corpus, args.shared)
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(p.features, 1) for p in train])
    y = [ROLES.index(p.label) for p in train]
    model = LogisticRegression(C=args.c, max_iter=2000)
    model.fit(x, y)
    x_dev = vectorizer.transform([dict.fromkeys(p.features, 1) for p in dev])
    predicted = model.predict(x_dev)
    gold = [ROLES.index(p.label) for p in dev]
    accuracy = sum(int(p == g) for p, g in zip(predicted, gold, strict=True)) / max(len(gold), 1)
    baseline = sum(int(g == ROLES.index("none")) for g in gold) / max(len(gold), 1)
    names = vectorizer.get_feature_names_out()
    classes = list(model.classes_)
    weights = {
        str(name): [round(float(model.coef_[classes.index(k)][j]), 4) for k in range(3)]
        for j, name in enumerate(names)
    }
    bias = [round(float(model.intercept_[classes.index(k)]), 4) for k in range(3)]
    path = args.out / "roles.json"
    previous = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    record = {
        "roles": list(ROLES),
        "bias": bias,
        "weights": weights,
        # thresholds are tuned on dev by training.tune; a retrained scorer keeps the last ones
        "thresholds": previous.get("thresholds", {"actor": 0.5, "recipient": 0.5}),
        "train_pairs": len(train),
        "dev_pairs": len(dev),
        "dev_accuracy": round(accuracy, 3),
        "dev_majority_baseline": round(baseline, 3),
        "c": args.c,
        "command": "python -m eventwire.training.roles " + " ".join(arguments),
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    log.info("pairs %d train / %d dev; dev accuracy %.3f (all-none %.3f)", len(train), len(dev),
             accuracy, baseline)  # fmt: skip


if __name__ == "__main__":
    main()
