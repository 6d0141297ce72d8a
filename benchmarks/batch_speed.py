"""One process vs ``code_in_parallel`` on the Guardian sample (reads ../shared at run time).

    python benchmarks/batch_speed.py [--limit N] [--workers 2] [--scheduler processes] [--json]

Times, in wall-clock seconds on this machine:
  single    ``pipeline.code_documents`` after the model is loaded (coding only), and end to end
            (model load + coding);
  parallel  ``batch.code_in_parallel`` end to end: starting the workers, each worker loading
            the model, coding, shutting down. That start-up cost is paid once per run, so the
            speed-up grows with the number of documents.
It also checks that both give the same results. Other programs running on the machine slow
both sides: the load average, and the speed-up the machine gives right now to a plain CPU loop
on ``--workers`` processes (the ceiling for ours), are printed so runs can be compared fairly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def _cpu_ceiling(workers: int, n: int = 5_000_000) -> float:
    """Speed-up of ``workers`` processes over one on a pure CPU loop, measured now."""
    from concurrent.futures import ProcessPoolExecutor

    t0 = time.perf_counter()
    for _ in range(workers):
        _burn(n)
    serial = time.perf_counter() - t0
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_burn, [1] * workers))  # start the processes before timing
        t0 = time.perf_counter()
        list(pool.map(_burn, [n] * workers))
        parallel = time.perf_counter() - t0
    return serial / parallel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=209, help="how many Guardian articles")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", default=None, help="None (local Dask), processes, ADDR")
    parser.add_argument("--chunk-size", type=int, default=8)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from eventwire import nlp
    from eventwire.batch import code_in_parallel
    from eventwire.ingest import read_documents
    from eventwire.knowledge import Knowledge
    from eventwire.models import Document
    from eventwire.pipeline import code_documents
    from eventwire.settings import Settings

    path = args.shared / "data/guardian_2017_2019/articles.jsonl"
    if not path.exists():
        print(f"no Guardian sample at {path}", file=sys.stderr)
        return 2
    settings = Settings()
    documents = [d for d in read_documents(path, settings=settings) if isinstance(d, Document)]
    documents = documents[: args.limit]
    load_before = os.getloadavg()[0]
    ceiling = _cpu_ceiling(args.workers)

    t0 = time.perf_counter()
    nlp.load_pipeline(settings.model)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    knowledge = Knowledge.from_settings(settings)
    single = code_documents(documents, knowledge, settings)
    single_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    parallel = list(
        code_in_parallel(
            documents,
            knowledge,
            settings,
            workers=args.workers,
            scheduler=args.scheduler,
            chunk_size=args.chunk_size,
        )
    )
    parallel_s = time.perf_counter() - t0

    same = {c.document.key: c.model_dump() for c in single} == {
        c.document.key: c.model_dump() for c in parallel
    }
    n = len(documents)
    report = {
        "documents": n,
        "events": sum(len(c.events) for c in single),
        "workers": args.workers,
        "scheduler": args.scheduler or "local dask",
        "cpus": os.cpu_count(),
        "load_average_before": round(load_before, 2),
        "cpu_loop_speed_up_now": round(ceiling, 2),
        "model_load_s": round(load_s, 2),
        "single_s": round(single_s, 2),
        "single_docs_per_s": round(n / single_s, 2),
        "single_end_to_end_docs_per_s": round(n / (load_s + single_s), 2),
        "parallel_s": round(parallel_s, 2),
        "parallel_docs_per_s": round(n / parallel_s, 2),
        "speed_up": round(single_s / parallel_s, 2),
        "speed_up_end_to_end": round((load_s + single_s) / parallel_s, 2),
        "same_results": same,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"{n} documents, {report['events']} events, {report['cpus']} CPUs, "
            f"load average {report['load_average_before']} before the run; "
            f"a plain CPU loop gets x{report['cpu_loop_speed_up_now']} "
            f"from {args.workers} processes now"
        )
        print(
            f"single process: {single_s:.1f} s coding ({report['single_docs_per_s']} docs/s) "
            f"+ {load_s:.1f} s model load"
        )
        print(
            f"{args.workers} workers ({report['scheduler']}): {parallel_s:.1f} s end to end "
            f"({report['parallel_docs_per_s']} docs/s)"
        )
        print(
            f"speed-up: x{report['speed_up']} against coding only, "
            f"x{report['speed_up_end_to_end']} end to end; same results: {same}"
        )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
