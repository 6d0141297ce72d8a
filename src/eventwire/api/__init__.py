"""The web API and page (``eventwire serve``). Needs the ``web`` extra: fastapi, uvicorn.

Imports of FastAPI and uvicorn are deferred to the call, so ``import eventwire.api`` (and the
CLI) work without them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventwire.settings import Settings


def serve(
    settings: Settings,
    *,
    token: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    allowed_hosts: Iterable[str] = (),
) -> None:
    """Serve the API and the page for ``settings.db`` until interrupted.

    Writes need ``token``; requests are accepted for the names ``host`` is reached by
    (``security.served_hosts``) and ``allowed_hosts``.
    """
    import uvicorn

    from eventwire.api.app import create_app
    from eventwire.api.security import served_hosts

    app = create_app(settings.db, token=token, allowed_hosts=served_hosts(host, allowed_hosts))
    uvicorn.run(app, host=host, port=port, log_level="info")
