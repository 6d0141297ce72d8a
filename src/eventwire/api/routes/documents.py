"""Documents: listings, and one article with its events for the evidence view."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from eventwire.api.deps import PageDep, StoreDep
from eventwire.api.routes.events import with_reviews
from eventwire.api.schemas import DocumentPublic, DocumentsPublic, DocumentSummaryPublic
from eventwire.models import DocumentStatus
from eventwire.query import EventFilter
from eventwire.store import Store

router = APIRouter(prefix="/documents", tags=["documents"])

NO_SOURCE = "_"
"""Path segment standing for 'no source' (a URL segment cannot be empty)."""


@router.get("", response_model=DocumentsPublic)
def list_documents(
    store: StoreDep,
    page: PageDep,
    status: Annotated[DocumentStatus | None, Query(description="coded, skipped or failed")] = None,
) -> DocumentsPublic:
    """Stored documents without bodies, ordered by source then id."""
    stats = store.stats()
    total = stats.documents if status is None else stats.documents_by_status[status]
    documents = store.documents(status=status, limit=page.limit, offset=page.offset)
    return DocumentsPublic(
        total=total,
        limit=page.limit,
        offset=page.offset,
        items=[DocumentSummaryPublic.from_stored(document) for document in documents],
    )


@router.get("/lookup", response_model=DocumentPublic)
def lookup_document(
    store: StoreDep,
    doc_id: Annotated[str, Query(alias="id", description="document id", max_length=1000)],
    source: Annotated[
        str, Query(description="document source; empty for none", max_length=1000)
    ] = "",
) -> DocumentPublic:
    """The same as ``/documents/{source}/{doc_id}``, for any source and id (a source may
    contain ``/``, which a path segment cannot carry)."""
    return _document(store, source, doc_id)


@router.get("/{source}/{doc_id:path}", response_model=DocumentPublic)
def read_document(
    store: StoreDep,
    source: Annotated[str, Path(description=f"document source, {NO_SOURCE!r} for none")],
    doc_id: str,
) -> DocumentPublic:
    """The article and its events, ordered by position; evidence offsets index ``body``."""
    return _document(store, "" if source == NO_SOURCE else source, doc_id)


def _document(store: Store, key: str, doc_id: str) -> DocumentPublic:
    document = store.document(doc_id, source=key)
    stored = store.document_status(doc_id, source=key)
    if document is None or stored is None:
        shown = "no source" if not key else f"source {key!r}"
        raise HTTPException(status_code=404, detail=f"no document {doc_id!r} with {shown}")
    events = [
        event
        for event in store.events(EventFilter(doc_id=doc_id, source=key or None))
        if (event.source or "") == key
    ]
    summary = DocumentSummaryPublic.from_stored(stored).model_dump()
    return DocumentPublic(
        **summary,
        body=document.body,
        events=with_reviews(store, events),
        related=store.related_documents(doc_id, key),
    )
