"""eventwire: political event data from raw news.

The public Python API is re-exported lazily so that importing the package loads no
model and opens no database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Document", "Entity", "Event", "Settings", "__version__"]

if TYPE_CHECKING:
    from eventwire.models import Document, Entity, Event
    from eventwire.settings import Settings


def __getattr__(name: str) -> Any:
    if name in {"Document", "Entity", "Event"}:
        from eventwire import models

        return getattr(models, name)
    if name == "Settings":
        from eventwire.settings import Settings

        return Settings
    raise AttributeError(name)
