"""Turning a file's bytes into clean text, refusing what is not text.

Every reader goes through here so that empty, binary, oversized and mis-encoded input is
refused the same way, with a message that names the file and says what is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

from eventwire.errors import InputError
from eventwire.normalize import clean_text

# Unicode spaces that scrapers leave in text (no-break, thin, ideographic...): read as spaces.
_ODD_SPACES = re.compile(r"[^\S \n\t]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def size_problem(size: int, limit: int) -> str:
    """The message for a document over the size limit; it names the setting to raise."""
    return (
        f"{size} bytes is larger than the limit of {limit} bytes "
        "(setting max_file_bytes / EVENTWIRE_MAX_FILE_BYTES)"
    )


def check_file(path: Path, *, limit: int | None) -> int:
    """Refuse a path that is missing, not a file, empty, or (with a limit) too big.

    Done from the file's metadata alone, so a huge file is refused before it is read.
    Returns the file's size in bytes.
    """
    origin = str(path)
    if not path.exists():
        raise InputError(origin, "no such file")
    if not path.is_file():
        raise InputError(origin, "not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(origin, "empty file")
    if limit is not None and size > limit:
        raise InputError(origin, size_problem(size, limit))
    return size


def decode(data: bytes, origin: str) -> str:
    """Bytes to text: UTF-8 (a leading byte-order mark is dropped), never binary data."""
    if b"\x00" in data:
        raise InputError(origin, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(origin, f"not valid UTF-8 at byte {exc.start}") from exc
    return text


def read_text_file(path: Path, *, limit: int) -> str:
    """The whole text of a single-document file, after every check."""
    check_file(path, limit=limit)
    text = clean_text(decode(path.read_bytes(), str(path)))
    if not text.strip():
        raise InputError(str(path), "empty file (only whitespace)")
    return text


def normalise_text(text: str) -> str:
    """Tidy whitespace the same way for every source, keeping one paragraph per line.

    Invisible and control characters go first (``normalize.clean_text``: NFC, no zero-width,
    bidi or control characters, no terminal escapes). Line endings become ``\\n``, odd
    Unicode spaces become plain spaces, trailing spaces go, and runs of blank lines shrink
    to one, so later stages see uniform text.
    """
    text = clean_text(text)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    if not text.isascii():
        text = _ODD_SPACES.sub(" ", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()
