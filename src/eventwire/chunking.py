"""Cutting a long text into pieces the spaCy pipeline can take, at natural boundaries (#9).

A spaCy pipeline refuses texts longer than its ``max_length`` (1,000,000 characters by
default), but a document may be as long as ``max_file_bytes`` allows. ``nlp.parse`` codes
such a body in chunks cut by ``chunk_bounds`` and joins the parsed chunks into one ``Doc``
whose text is the whole body, so every offset still points into the stored body.

Cuts fall, in order of preference, after a paragraph (a blank line, then a line break),
after a sentence (``.``, ``!``, ``?`` followed by a space), after any whitespace, and
only when a chunk has none of these at a hard position.
"""

from __future__ import annotations

import re

CHUNK_CHARS = 100_000
"""The longest chunk: far below spaCy's limit, so memory stays modest."""

_BOUNDARIES = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"[.!?][\"'’”)\]]*\s+"),
    re.compile(r"\s+"),
)


def chunk_bounds(text: str, max_chars: int) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive chunks covering ``text``, each at most ``max_chars``.

    The chunks are contiguous: joined, they are ``text``. A cut is made at the last
    boundary of the most preferred kind that leaves the chunk at least half full.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, got {max_chars}")
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > max_chars:
        end = _cut(text, start, start + max_chars)
        bounds.append((start, end))
        start = end
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


def _cut(text: str, start: int, limit: int) -> int:
    """Where to end the chunk that starts at ``start`` and may not pass ``limit``."""
    floor = start + (limit - start) // 2
    window = text[start:limit]
    for boundary in _BOUNDARIES:
        last = None
        for match in boundary.finditer(window):
            last = match
        if last is not None and start + last.end() > floor:
            return start + last.end()
    return limit
