"""Incidents on the Guardian sample (#10): how many events from different articles are linked
as reports of one happening, and a sample of merges to judge by reading.

Ingests ../shared/data/guardian_2017_2019 into a temporary store (or reads ``--db``, a store
that already holds it), then prints the counts and ``--show`` merged pairs: for each, the two
reports' type, actor -> recipient, dates, place and evidence sentence.

    python benchmarks/incidents.py [--db guardian.db] [--show 20] [--seed 3]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections import Counter
from pathlib import Path

from eventwire.batch import ingest_files
from eventwire.knowledge import Knowledge
from eventwire.models import Event
from eventwire.settings import Settings
from eventwire.store import Store

ROOT = Path(__file__).resolve().parents[1]
GUARDIAN = ROOT.parent / "shared" / "data" / "guardian_2017_2019" / "articles.jsonl"


def _describe(event: Event) -> str:
    actor = "+".join(e.code or "?" for e in event.actor) or "-"
    recipient = "+".join(e.code or "?" for e in event.recipient) or "-"
    when = event.date or f"{event.date_start}..{event.date_end}"
    flag = " (publication date)" if event.date_is_publication else ""
    place = event.location.name if event.location else "-"
    return (
        f"{event.doc_id}: {event.type.value} {actor} -> {recipient}  {when}{flag}  {place}\n"
        f"      {' '.join(event.evidence.sentence.split())[:220]}"
    )


def report(store: Store, show: int, seed: int) -> None:
    events = store.events()
    by_incident: dict[str, list[Event]] = {}
    for event in events:
        by_incident.setdefault(event.incident_id or event.event_id, []).append(event)
    merged = {k: v for k, v in by_incident.items() if len({e.doc_id for e in v}) > 1}
    in_merged = sum(len(v) for v in merged.values())
    sizes = Counter(len(v) for v in merged.values())
    print(f"documents: {store.stats().documents}   events: {len(events)}")
    print(f"incidents: {len(by_incident)} ({len(events) - len(by_incident)} fewer than events)")
    print(
        f"incidents reported by 2+ documents: {len(merged)}, holding {in_merged} events "
        f"({in_merged / max(1, len(events)):.1%}); sizes {dict(sorted(sizes.items()))}"
    )
    print(f"by type: {dict(Counter(v[0].type.value for v in merged.values()).most_common())}")
    stories = store.stories()
    print(
        f"stories of 2+ documents: {len(stories)} "
        f"(largest {max((s.n_documents for s in stories), default=0)} documents)"
    )
    # every merge: each later report of an incident against its first one
    pairs = [
        (incident, reports[0], other)
        for incident, reports in sorted(merged.items())
        for other in reports[1:]
    ]
    print(f"merges (a later report joined to an incident's first): {len(pairs)}")
    rng = random.Random(seed)
    sample = rng.sample(pairs, min(show, len(pairs)))
    for n, (incident, first, second) in enumerate(sample, 1):
        print(f"\n[{n}] {incident} ({len(merged[incident])} reports)")
        print(f"  a {_describe(first)}")
        print(f"  b {_describe(second)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a store holding the Guardian sample")
    parser.add_argument("--show", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--rebuild", action="store_true", help="link the --db store again with today's rules"
    )
    args = parser.parse_args()
    if args.db is not None:
        with Store.open(args.db) as store:
            if args.rebuild:
                store.rebuild_related()
            report(store, args.show, args.seed)
        return
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db=Path(folder) / "guardian.db")
        with Store.open(settings.db) as store:
            ingest_files([GUARDIAN], Knowledge.from_settings(settings), settings, store)
            report(store, args.show, args.seed)


if __name__ == "__main__":
    main()
