"""The web API and page (``eventwire serve``). Needs the ``web`` extra: fastapi, uvicorn.

Imports of FastAPI and uvicorn are deferred to the call, so ``import eventwire.api`` (and the
CLI) work without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventwire.settings import Settings


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and the page for ``settings.db`` until interrupted."""
    import uvicorn

    from eventwire.api.app import create_app

    app = create_app(settings.db)
    uvicorn.run(app, host=host, port=port, log_level="info")
