"""Shared test configuration: the built-in knowledge and the spaCy model, each loaded once
per session (#7), and bounded, reproducible property-based testing (#9).

Fast tests only (no model, no subprocess, no browser): ``pytest -m "not slow"``.
Only the slow ones: ``pytest -m slow``. A test that asks for ``nlp`` (the real model) is
marked slow here even if it forgot the marker, so ``-m "not slow"`` never loads the model.

The default hypothesis profile is derandomized with a bounded number of examples, so CI
runs the same cases every time and stays fast. ``HYPOTHESIS_PROFILE=fuzz pytest`` runs
many more random examples for a longer hunt; every crash found becomes a regression test.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import hypothesis
import pytest
from hypothesis import HealthCheck

from eventwire.knowledge import Knowledge
from eventwire.models import Document
from eventwire.nlp import ParsedDocument, load_pipeline, parse
from eventwire.settings import Settings
from support import builtin_knowledge

MODEL = Settings().model

hypothesis.settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis.settings.register_profile(
    "fuzz", deadline=None, max_examples=2000, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The built-in knowledge files, read and checked once."""
    return builtin_knowledge()


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The real spaCy pipeline of the default settings (slow: loads the model)."""
    return load_pipeline(MODEL)


@pytest.fixture(scope="session")
def parse_text(nlp) -> Callable[[str], ParsedDocument]:  # type: ignore[no-untyped-def]
    """Parse a sentence as the body of a throwaway document."""
    return lambda text: parse(Document(id="t", source="TEST", body=text), nlp)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "nlp" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
