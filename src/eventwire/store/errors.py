"""What the store reports: a bad database, an ambiguous document id."""

from __future__ import annotations

from eventwire.errors import EventwireError


class StoreError(EventwireError):
    """The database cannot be opened, upgraded or written as asked."""


class AmbiguousDocumentError(StoreError):
    """A document id was looked up without a source and several sources have it."""
