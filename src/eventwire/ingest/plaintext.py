"""Reader for plain text files: one article per file, nothing but its text.

Plain text carries no metadata, so the file name gives the id and the caller (``--date``)
gives the publication date; the whole text is the body.
"""

from __future__ import annotations

from pathlib import Path

from eventwire.errors import InputError
from eventwire.ingest.rawtext import normalise_text
from eventwire.models import Document


def read_plain_text(text: str, *, path: Path) -> Document:
    """A Document whose body is the whole (tidied) text and whose id is the file's stem."""
    body = normalise_text(text)
    if not body:
        raise InputError(str(path), "empty file (only whitespace)")
    return Document(id=path.stem, body=body, origin=str(path))
