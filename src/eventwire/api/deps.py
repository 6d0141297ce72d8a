"""Dependencies of the API routes, as ``Annotated`` aliases: the store and the event filter."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from eventwire.query import EventFilter
from eventwire.store import Store


class StoreHolder:
    """Opens the store on first use and closes it at shutdown, never at import time.

    One ``Store`` serves every request: its calls are serialised, and SQLite reads are fast.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self._store: Store | None = None
        self._lock = threading.Lock()

    def get(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store.open(self.path)
            return self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def get_store(request: Request) -> Store:
    holder: StoreHolder = request.app.state.store_holder
    return holder.get()


StoreDep = Annotated[Store, Depends(get_store)]


def get_event_filter(
    request: Request,
    actor: Annotated[str | None, Query(description="actor code or name (IRNGOV, Lavrov)")] = None,
    recipient: Annotated[str | None, Query(description="recipient code or name")] = None,
    type: Annotated[
        list[str] | None,
        Query(description="PLOVER event type, any case; repeat for any of several types"),
    ] = None,
    since: Annotated[date | None, Query(description="events on or after this day")] = None,
    until: Annotated[date | None, Query(description="events on or before this day")] = None,
    doc: Annotated[str | None, Query(description="document id")] = None,
    source: Annotated[str | None, Query(description="document source")] = None,
    min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    unique: Annotated[bool, Query(description="one event per incident")] = False,
    min_sources: Annotated[
        int | None, Query(ge=1, description="incidents reported by at least N sources")
    ] = None,
) -> EventFilter:
    """The filter the query string describes (no paging); a bad value is a 422 naming it.

    ``type`` may be repeated: events of any of the types match. Every other filter takes
    one value; repeating it is a 422 rather than silently keeping one of the values.
    """
    repeated = [
        name for name in SINGLE_VALUED_FILTERS if len(request.query_params.getlist(name)) > 1
    ]
    if repeated:
        raise RequestValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ("query", name),
                    "msg": f"give {name!r} once (only 'type' may be repeated)",
                    "input": request.query_params.getlist(name),
                }
                for name in repeated
            ]
        )
    types = [t for t in type or [] if t.strip()]
    try:
        return EventFilter(
            actor=actor,
            recipient=recipient,
            type=types[0] if len(types) == 1 else None,
            types=tuple(types) if len(types) > 1 else (),
            since=since,
            until=until,
            doc_id=doc,
            source=source,
            min_confidence=min_confidence,
            unique=unique,
            min_sources=min_sources,
        )
    except ValidationError as exc:
        # Report under the query parameter names, like FastAPI's own query errors.
        names = {"doc_id": "doc", "types": "type"}
        errors = []
        for error in exc.errors(include_url=False, include_context=False):
            field = str(error["loc"][0]) if error["loc"] else "filter"
            errors.append({**error, "loc": ("query", names.get(field, field))})
        raise RequestValidationError(errors) from exc


SINGLE_VALUED_FILTERS = ("actor", "recipient", "since", "until", "doc", "source", "min_confidence")


EventFilterDep = Annotated[EventFilter, Depends(get_event_filter)]


MAX_OFFSET = 2**53
"""The largest ``offset`` accepted: far past any store, well inside SQLite's integers."""


class Page:
    """``limit``/``offset`` query parameters, bounded so one request stays small."""

    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


PageDep = Annotated[Page, Depends(Page)]
