"""Coding speed on the seed article and the Guardian sample (reads ../shared at run time).

    python benchmarks/speed.py [--guardian N] [--json] [--with-dictionaries]

Prints model load time, then documents/second, words/second and events per document for
each corpus. The numbers are wall time on this machine: compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _measure(name: str, documents: list, knowledge, settings) -> dict[str, float | str]:
    from eventwire.pipeline import code_documents

    start = time.perf_counter()
    coded = code_documents(documents, knowledge, settings)
    seconds = time.perf_counter() - start
    words = sum(len(d.body.split()) for d in documents)
    events = sum(len(c.events) for c in coded)
    failed = sum(c.status == "failed" for c in coded)
    return {
        "corpus": name,
        "documents": len(documents),
        "words": words,
        "events": events,
        "failed": failed,
        "seconds": round(seconds, 3),
        "docs_per_s": round(len(documents) / seconds, 2),
        "words_per_s": round(words / seconds, 1),
    }


def _parse_only(documents: list, settings) -> dict[str, float | str]:
    """spaCy alone on the same bodies: the yardstick the coder's throughput is held to."""
    from eventwire import nlp

    pipeline = nlp.load_pipeline(settings.model)
    start = time.perf_counter()
    for _ in pipeline.pipe((d.body for d in documents), batch_size=settings.batch_size):
        pass
    seconds = time.perf_counter() - start
    words = sum(len(d.body.split()) for d in documents)
    return {
        "corpus": "spaCy parse",
        "documents": len(documents),
        "words": words,
        "events": 0,
        "failed": 0,
        "seconds": round(seconds, 3),
        "docs_per_s": round(len(documents) / seconds, 2),
        "words_per_s": round(words / seconds, 1),
    }


def _phoenix_knowledge(shared: Path, knowledge):
    """An actor-knowledge snapshot with the Phoenix actor and agent dictionaries imported."""
    from eventwire.actorkb import ActorKnowledge, import_dictionary
    from eventwire.store import Store

    store = Store.open(":memory:")
    cameo = shared / "reference/cameo"
    for name in (
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
        "Phoenix.agents.txt",
    ):
        import_dictionary(store, cameo / name)
    return ActorKnowledge.from_store(store, knowledge)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guardian", type=int, default=209, help="how many Guardian articles")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--with-dictionaries",
        action="store_true",
        help="also code the Guardian sample with the Phoenix actor dictionaries imported",
    )
    args = parser.parse_args()

    from eventwire import nlp
    from eventwire.ingest import read_documents
    from eventwire.knowledge import Knowledge
    from eventwire.models import Document
    from eventwire.settings import Settings

    settings = Settings()
    t0 = time.perf_counter()
    nlp.load_pipeline(settings.model)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    knowledge = Knowledge.from_settings(settings)  # files read and checked; tables on first use
    knowledge_s = time.perf_counter() - t0

    seed = [
        d
        for d in read_documents(ROOT / "examples/ava-134776.txt", settings=settings)
        if isinstance(d, Document)
    ]
    results = [_measure("seed", seed, knowledge, settings)]  # includes the first-call warm-up
    results.append(_measure("seed (warm)", seed, knowledge, settings))
    guardian_path = args.shared / "data/guardian_2017_2019/articles.jsonl"
    if guardian_path.exists():
        guardian = [
            d for d in read_documents(guardian_path, settings=settings) if isinstance(d, Document)
        ][: args.guardian]
        results.append(_parse_only(guardian, settings))
        results.append(_measure("guardian", guardian, knowledge, settings))
        rules_only = Knowledge.from_settings(settings.model_copy(update={"event_model": "off"}))
        results.append(_measure("rules only", guardian, rules_only, settings))
        if args.with_dictionaries:
            kb = _phoenix_knowledge(args.shared, knowledge)
            with_kb = knowledge.with_actors(kb)
            results.append(_measure("guardian+dict", guardian, with_kb, settings))
    else:
        print(f"(no Guardian sample at {guardian_path})", file=sys.stderr)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rates = {r["corpus"]: float(r["words_per_s"]) for r in results}
    ratio = (
        round(rates["guardian"] / rates["spaCy parse"], 2)
        if "guardian" in rates and "spaCy parse" in rates
        else None
    )
    if args.json:
        print(
            json.dumps(
                {
                    "model_load_s": round(load_s, 2),
                    "knowledge_load_s": round(knowledge_s, 2),
                    "peak_rss_mb": round(peak_mb),
                    "coding_vs_parse": ratio,
                    "results": results,
                },
                indent=2,
            )
        )
        return 0
    print(
        f"model load: {load_s:.2f} s   knowledge load: {knowledge_s:.2f} s   "
        f"peak RSS: {peak_mb:.0f} MB"
    )
    header = (
        f"{'corpus':<12} {'docs':>5} {'words':>8} {'events':>7} {'seconds':>8} "
        f"{'docs/s':>7} {'words/s':>9}"
    )
    print(header)
    for r in results:
        print(
            f"{r['corpus']:<12} {r['documents']:>5} {r['words']:>8} {r['events']:>7} "
            f"{r['seconds']:>8} {r['docs_per_s']:>7} {r['words_per_s']:>9}"
        )
    if ratio is not None:
        print(f"coding throughput / spaCy parse throughput on the Guardian sample: {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
