"""The one error of parallel runs."""

from __future__ import annotations

from eventwire.errors import EventwireError


class BatchError(EventwireError):
    """A parallel run cannot start or go on: Dask missing, bad scheduler, unusable workers."""
