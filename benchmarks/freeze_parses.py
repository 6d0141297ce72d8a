"""Rebuild the frozen parses the rule tests read: ``tests/data/parses/*.spacy``.

    python benchmarks/freeze_parses.py

Each trigger rule's example sentences (``knowledge/triggers.yaml``) are parsed with the
default spaCy model and saved as a ``DocBin`` with the rule id and expected type in the doc's
user data. ``tests/test_rules_frozen.py`` codes them without loading the model, so a rule
change is tested apart from the model; its slow test says when the model's parses drifted
from the frozen ones (then run this script again and review the diff of failing rules).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "parses" / "trigger_examples.spacy"


def trigger_examples() -> list[tuple[str, str, str]]:
    """(rule id, expected type, sentence) for every example of every trigger rule."""
    from eventwire import events
    from eventwire.knowledge import Knowledge

    return [
        (rule.id, rule.type.value, example)
        for rule in events.trigger_rules(Knowledge())
        for example in rule.examples
    ]


def freeze(out: Path = OUT) -> int:
    from spacy.tokens import DocBin

    from eventwire.nlp import load_pipeline
    from eventwire.settings import Settings

    nlp = load_pipeline(Settings().model)
    examples = trigger_examples()
    docs = DocBin(store_user_data=True)
    for (rule_id, expected, _), doc in zip(
        examples, nlp.pipe(sentence for _, _, sentence in examples), strict=True
    ):
        doc.user_data["rule"] = rule_id
        doc.user_data["expected"] = expected
        docs.add(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    docs.to_disk(out)
    return len(examples)


if __name__ == "__main__":
    count = freeze()
    print(f"froze {count} parses in {OUT.relative_to(ROOT)}", file=sys.stderr)
