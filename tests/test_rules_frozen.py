"""The trigger rules on frozen parses: every example sentence of triggers.yaml codes to its
rule's type, without loading the spaCy model (#7).

The parses are ``tests/data/parses/trigger_examples.spacy``, made by
``benchmarks/freeze_parses.py``. A failure of the fast test is a rule (or knowledge)
regression; a failure of the slow test alone means the model's parses drifted: rebuild.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, DocBin

from eventwire.events import extract_events, trigger_rules
from eventwire.models import Document, EventCandidate
from eventwire.nlp import parsed_from_docs
from support import auto_mentions, builtin_knowledge

FROZEN = Path(__file__).resolve().parent / "data" / "parses" / "trigger_examples.spacy"


def _frozen() -> list[Doc]:
    # an English vocab without a model: the lexical attributes (stop words, numbers) as parsed
    return list(DocBin().from_disk(FROZEN).get_docs(spacy.blank("en").vocab))


def _code(doc: Doc) -> list[EventCandidate]:
    """The events stage alone: hand-made mentions (support.auto_mentions), frozen parse."""
    parsed = parsed_from_docs(Document(id="t", source="TEST", body=doc.text), doc)
    return extract_events(parsed, auto_mentions(parsed), knowledge=builtin_knowledge())


FROZEN_DOCS = _frozen()


def test_every_trigger_example_is_frozen() -> None:
    frozen = {(d.user_data["rule"], d.text) for d in FROZEN_DOCS}
    examples = {(r.id, e) for r in trigger_rules(builtin_knowledge()) for e in r.examples}
    missing = sorted(examples - frozen)
    assert not missing, f"run benchmarks/freeze_parses.py: {len(missing)} examples not frozen"


@pytest.mark.parametrize(
    "doc", FROZEN_DOCS, ids=[f"{d.user_data['rule']}:{d.text[:40]}" for d in FROZEN_DOCS]
)
def test_trigger_example_codes_to_its_type(doc: Doc) -> None:
    found = _code(doc)
    types = {c.type.value for c in found}
    assert doc.user_data["expected"] in types, (doc.user_data["rule"], [c.rule for c in found])
    assert all(c.actor for c in found)


@pytest.mark.slow
def test_the_model_still_parses_the_examples_as_frozen(nlp) -> None:  # type: ignore[no-untyped-def]
    drifted = []
    for frozen, live in zip(FROZEN_DOCS, nlp.pipe(d.text for d in FROZEN_DOCS), strict=True):
        shape = [(t.head.i, t.dep_, t.pos_, t.lemma_, t.ent_type_) for t in frozen]
        if shape != [(t.head.i, t.dep_, t.pos_, t.lemma_, t.ent_type_) for t in live]:
            drifted.append(frozen.text)
    assert not drifted, f"{len(drifted)} parses drifted; run benchmarks/freeze_parses.py"
