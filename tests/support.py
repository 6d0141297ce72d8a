"""Shared test support (not fixtures): the built-in knowledge, built once per test session."""

from __future__ import annotations

from functools import cache

from eventwire.knowledge import Knowledge


@cache
def builtin_knowledge() -> Knowledge:
    """The built-in knowledge files, loaded and checked once for the whole session."""
    return Knowledge()
