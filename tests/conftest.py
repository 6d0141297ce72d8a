"""Shared fixtures: the built-in knowledge and the spaCy model, each loaded once per session.

Fast tests only (no model, no subprocess, no browser): ``pytest -m "not slow"``.
Only the slow ones: ``pytest -m slow``. A test that asks for ``nlp`` (the real model) is
marked slow here even if it forgot the marker, so ``-m "not slow"`` never loads the model.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventwire.knowledge import Knowledge
from eventwire.models import Document
from eventwire.nlp import ParsedDocument, load_pipeline, parse
from eventwire.settings import Settings
from support import builtin_knowledge

MODEL = Settings().model


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
