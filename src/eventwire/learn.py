"""Corpus memory: learn who holds which office from documents that introduce people by title.

"the Turkish president, Recep Tayyip Erdoğan" in one article tells us how to code a bare
"Erdoğan" in another. Learning is its own pass, before coding: it reads documents, keeps
every person the text itself introduces with a title and a country or organisation (a
*sighting*), and aggregates all sightings in the store into learned roles. Coding then reads
those roles as a fixed snapshot (``actorkb.ActorKnowledge.from_store``), so results do not
depend on document order or on how a batch is split.

The pass runs the language stages (``nlp`` then ``actors``) with an empty actor knowledge
base, so a role can only come from the document's own words, never from the built-in files.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from eventwire.actorkb import ActorKnowledge, normalize_name
from eventwire.knowledge import Knowledge
from eventwire.models import ActorMention, ActorRoleRecord, ActorSighting, Document
from eventwire.pipeline import iter_mentions
from eventwire.settings import Settings
from eventwire.store import Store

log = logging.getLogger(__name__)

MAX_PROVENANCE_DOCUMENTS = 20
"""Document ids listed in a learned role's provenance (the count is always complete)."""


@dataclass(frozen=True)
class LearnReport:
    """What a learning pass read and what the store now holds."""

    documents: int
    """Documents read in this pass (skipped ones excluded)."""
    sightings: int
    """Titled introductions found in them."""
    roles: int
    """Learned roles in the store after the pass (over every sighting stored)."""
    names: int


def sightings_in(document: Document, mentions: Iterable[ActorMention]) -> list[ActorSighting]:
    """People the document introduces with a title and a country or organisation.

    ``mentions`` must come from ``extract_actors`` run without actor knowledge, so every
    role found is the text's own. One sighting per person and code in a document.
    """
    found: dict[tuple[str, str | None, str | None, str | None], ActorSighting] = {}
    for mention in mentions:
        entity = mention.entity
        if entity.kind != "person" or not entity.name:
            continue
        if not (entity.role or entity.sector) or not (entity.country or entity.org):
            continue
        key = normalize_name(entity.name)
        if not key:
            continue
        code = (key, entity.country, entity.sector, entity.org)
        found.setdefault(
            code,
            ActorSighting(
                doc_source=document.source or "",
                doc_id=document.id,
                name=entity.name,
                name_key=key,
                title=entity.role,
                country=entity.country,
                sector=entity.sector,
                org=entity.org,
                published=document.published_date,
            ),
        )
    return [found[code] for code in sorted(found, key=lambda c: tuple(x or "" for x in c))]


def collect_sightings(
    documents: Iterable[Document], knowledge: Knowledge, settings: Settings | None = None
) -> Iterator[tuple[Document, list[ActorSighting]]]:
    """Parse documents in batches and yield each learnable one with its sightings.

    The actor stage runs with an empty actor knowledge base, whatever ``knowledge`` holds,
    so a role can only come from the document's own words.
    """
    blank = knowledge.with_actors(ActorKnowledge.empty())
    for document, mentions in iter_mentions(documents, blank, settings):
        yield document, sightings_in(document, mentions)


def _doc_ref(sighting: ActorSighting) -> str:
    return f"{sighting.doc_source}/{sighting.doc_id}" if sighting.doc_source else sighting.doc_id


def _most_common(values: Iterable[str]) -> str | None:
    counts = Counter(values)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def aggregate_sightings(
    sightings: Iterable[ActorSighting], *, forgotten: Iterable[str] = ()
) -> list[ActorRoleRecord]:
    """Learned roles from sightings: one per name and code, dated by first and last sighting.

    Order-free: the same sightings in any order give the same roles. A name seen with
    conflicting codes keeps each code with its own dates; the title is the most frequent
    one, the name the most frequent spelling (ties broken alphabetically).
    """
    skip = {normalize_name(name) for name in forgotten}
    groups: dict[tuple[str, str, str, str], list[ActorSighting]] = defaultdict(list)
    for sighting in sightings:
        if sighting.name_key in skip:
            continue
        key = (sighting.name_key, sighting.country or "", sighting.sector or "", sighting.org or "")
        groups[key].append(sighting)
    records: list[ActorRoleRecord] = []
    for key in sorted(groups):
        group = groups[key]
        docs = sorted({_doc_ref(s) for s in group})
        dates = sorted(s.published for s in group if s.published is not None)
        name = _most_common(s.name for s in group) or key[0]
        variants = tuple(sorted({s.name for s in group} - {name}))
        provenance = ", ".join(docs[:MAX_PROVENANCE_DOCUMENTS])
        if len(docs) > MAX_PROVENANCE_DOCUMENTS:
            provenance += f" (+{len(docs) - MAX_PROVENANCE_DOCUMENTS} more)"
        first, last = (dates[0], dates[-1]) if dates else (None, None)
        records.append(
            ActorRoleRecord(
                name=name,
                name_key=key[0],
                variants=variants,
                title=_most_common(s.title for s in group if s.title),
                country=key[1] or None,
                sector=key[2] or None,
                org=key[3] or None,
                start=first,
                end=last,
                source="learned",
                origin="learn",
                provenance=provenance,
                first_seen=first,
                last_seen=last,
                n_documents=len(docs),
            )
        )
    return records


def refresh_learned(store: Store) -> list[ActorRoleRecord]:
    """Rebuild the learned roles from every stored sighting (one transaction)."""
    forgotten = [t.name_key for t in store.actor_tombstones()]
    records = aggregate_sightings(store.actor_sightings(), forgotten=forgotten)
    store.replace_actor_roles(records, source="learned")
    return records


def learn_documents(
    store: Store,
    documents: Iterable[Document],
    knowledge: Knowledge,
    settings: Settings | None = None,
) -> LearnReport:
    """Learn from these documents (replacing their earlier sightings), then refresh roles."""
    settings = settings or Settings()
    n_documents = n_sightings = 0
    pending_keys: list[tuple[str, str]] = []
    pending: list[ActorSighting] = []
    for document, found in collect_sightings(documents, knowledge, settings):
        n_documents += 1
        n_sightings += len(found)
        pending_keys.append((document.source or "", document.id))
        pending.extend(found)
        if len(pending_keys) >= settings.batch_size:
            store.replace_actor_sightings(pending_keys, pending)
            pending_keys, pending = [], []
    if pending_keys:
        store.replace_actor_sightings(pending_keys, pending)
    records = refresh_learned(store)
    log.info(
        "learned from %d documents: %d sightings; %d learned roles in the store",
        n_documents,
        n_sightings,
        len(records),
    )
    return LearnReport(
        documents=n_documents,
        sightings=n_sightings,
        roles=len(records),
        names=len({r.name_key for r in records}),
    )


def stored_documents(store: Store) -> Iterator[Document]:
    """Every document in the store, with its body, in (source, id) order."""
    for summary in store.documents():
        document = store.document(summary.id, summary.source or "")
        if document is not None:
            yield document


def learn_store(
    store: Store, knowledge: Knowledge, settings: Settings | None = None
) -> LearnReport:
    """Learn again from every stored document (sightings of removed documents go away)."""
    store.clear_actor_sightings()
    return learn_documents(store, stored_documents(store), knowledge, settings)
