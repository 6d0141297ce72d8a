"""The FastAPI application: JSON API under ``/api``, the analysts' page at ``/``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from eventwire.api.deps import StoreHolder
from eventwire.api.routes import documents, events, reviews, stats, stories
from eventwire.api.security import LOOPBACK_NAMES, SecurityMiddleware
from eventwire.store import MEMORY, StoreError

log = logging.getLogger(__name__)


def web_dir() -> Path:
    """The folder of the page's static files, shipped inside the package."""
    return Path(str(resources.files("eventwire") / "web"))


def create_app(
    db_path: Path | str,
    *,
    token: str | None = None,
    allowed_hosts: Iterable[str] = LOOPBACK_NAMES,
) -> FastAPI:
    """An app serving the store at ``db_path``, which must exist (or be ``":memory:"``).

    The database is opened on the first request, not here, and closed at shutdown.
    Raises ``StoreError`` if there is no database file: serving an empty new one would
    hide a mistyped path. Writes need ``Authorization: Bearer <token>`` (with no token,
    the app is read-only); requests for other hosts than ``allowed_hosts`` are refused.
    """
    if str(db_path) != MEMORY and not Path(db_path).is_file():
        raise StoreError(f"no database at {db_path}; code some documents into it first")
    holder = StoreHolder(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        holder.close()

    app = FastAPI(
        title="eventwire",
        summary="Browse, chart and review coded political events.",
        lifespan=lifespan,
        # Swagger/ReDoc pages load their scripts from a CDN; the page must work offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.store_holder = holder
    for router in (events.router, reviews.router, documents.router, stats.router, stories.router):
        app.include_router(router, prefix="/api")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.error("%s %s: %s", request.method, request.url.path, exc)
        return JSONResponse(status_code=503, content={"detail": str(exc)})

    app.add_middleware(SecurityMiddleware, token=token, allowed_hosts=allowed_hosts)

    static = web_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html")

    return app
