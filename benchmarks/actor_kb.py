"""Actor knowledge base: size, PETRARCH dictionary parse speed, and a cross-check with Phoenix.

Run from the repository root::

    python benchmarks/actor_kb.py [--cameo-dir ../shared/reference/cameo] [--skip-phoenix]
        [--bare-mentions tests/gold/bare_mentions.jsonl]

Issue #4 figures (printed after the cross-check):

- bare-mention accuracy: each sentence of ``tests/gold/bare_mentions.jsonl`` names a
  2017-2019 office holder without a title; it is parsed and run through
  ``actors.extract_actors`` (the current coder with the built-in KB), and the person entity
  over the named words must carry the expected country and sector;
- import time: ``eventwire actors import`` of each Phoenix actors file into a fresh SQLite
  store (parse + one-transaction insert), and the time to load the store snapshot;
- lookup cost: microseconds per ``lookup`` with the built-in KB only vs with the three Phoenix
  files imported, times the person lookups coding makes (one per distinct untitled person per
  document, counted on the gold sentences), against the measured coding time per document.

Prints the size of the built-in KB, how long parsing each Phoenix actor file takes and how
many actors it yields, and an agreement rate: for Phoenix people with a dated code in force
during 2017-2019, whether ``lookup_person`` on a date inside that range gives the same country
and sector. The Phoenix files end in 2014, so their open-ended codes are only a rough guide:
the rate is a cross-check, not a gold standard.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from eventwire.actorkb import (
    ActorKnowledge,
    import_dictionary,
    kb_stats,
    lookup_person,
    person_roles,
)
from eventwire.knowledge import Knowledge
from eventwire.petrarch_dict import ImportedActor, parse_actor_dictionary

KNOWLEDGE = Knowledge()
"""The built-in knowledge files, read once for this script."""
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cameo"
BARE_MENTIONS = Path(__file__).resolve().parents[1] / "tests" / "gold" / "bare_mentions.jsonl"
ACTOR_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
WINDOW = (date(2017, 1, 1), date(2019, 12, 31))


def _resolve(actor: ImportedActor, on: date) -> tuple[bool, tuple[str | None, str | None] | None]:
    """Whether any spelling of the actor is a known person, and its country+sector on ``on``."""
    known = False
    for name in (actor.name, *actor.synonyms):
        if person_roles(KNOWLEDGE, name):
            known = True
        role = lookup_person(KNOWLEDGE, name, on)
        if role is not None:
            return True, (role.country, role.sector)
    return known, None


def agreement(actors: list[ImportedActor]) -> dict[str, int]:
    sector_map = KNOWLEDGE.yaml("actorkb_codes.yaml").get("cameo_sector_map", {})
    counts = {"codes_in_window": 0, "known_people": 0, "resolved": 0, "agree": 0}
    for actor in actors:
        for code in actor.dated_codes:
            start = max(code.start or WINDOW[0], WINDOW[0])
            end = min(code.end or WINDOW[1], WINDOW[1])
            if start > end or code.country is None:
                continue
            counts["codes_in_window"] += 1
            on = start + timedelta(days=(end - start).days // 2)
            known, found = _resolve(actor, on)
            counts["known_people"] += known
            if found is None:
                continue
            counts["resolved"] += 1
            expected = (code.country, sector_map.get(code.sector, code.sector))
            counts["agree"] += found == expected
    return counts


def _mention_span(row: dict) -> tuple[int, int]:
    name = row["mention"]
    for mark in ("'s", "’s"):
        if name.endswith(mark):
            name = name[: -len(mark)]
    start = row["text"].index(name)
    return start, start + len(name)


def bare_mention_accuracy(path: Path, kb: ActorKnowledge | None = None) -> dict[str, object]:
    """Code each gold sentence; the person over the named words must have the expected codes."""
    from eventwire import actors, nlp
    from eventwire.models import Document
    from eventwire.settings import Settings

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    pipeline = nlp.load_pipeline(Settings().model)
    documents = [
        Document(id=r["id"], published=date.fromisoformat(r["date"]), body=r["text"]) for r in rows
    ]
    started = time.perf_counter()
    parsed = nlp.parse_many(documents, pipeline)
    parse_s = time.perf_counter() - started
    right, misses, lookups = 0, [], 0
    started = time.perf_counter()
    knowledge = KNOWLEDGE.with_actors(kb) if kb is not None else KNOWLEDGE
    results = [actors.extract_actors(p, knowledge=knowledge) for p in parsed]
    extract_s = time.perf_counter() - started
    for row, mentions in zip(rows, results, strict=True):
        start, end = _mention_span(row)
        people = [m.entity for m in mentions if m.entity.kind == "person"]
        lookups += len({e.name for e in people})  # upper bound: untitled ones are looked up
        over = [e for e in people if e.start is not None and e.start < end and start < e.end]
        got = (over[0].country, over[0].sector) if over else None
        if got == (row["country"], row["sector"]):
            right += 1
        else:
            misses.append(f"{row['id']} {row['mention']!r} {row['date']}: got {got}")
    kb = kb or ActorKnowledge.from_files(KNOWLEDGE)
    asked = 0
    for r in rows:
        role = kb.lookup(r["mention"], date.fromisoformat(r["date"])).role
        asked += role is not None and (role.country, role.sector) == (r["country"], r["sector"])
    return {
        "kb_accuracy": asked / len(rows) if rows else 0.0,
        "sentences": len(rows),
        "right": right,
        "accuracy": right / len(rows) if rows else 0.0,
        "misses": misses,
        "coding_ms_per_doc": 1000 * (parse_s + extract_s) / max(len(rows), 1),
        "person_lookups_per_doc": lookups / max(len(rows), 1),
    }


def _lookup_us(kb: ActorKnowledge, names: list[tuple[str, date]], repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for name, on in names:
            kb.lookup(name, on)
        runs.append((time.perf_counter() - started) / len(names) * 1e6)
    return statistics.median(runs)


def import_figures(cameo_dir: Path, bare: Path) -> None:
    """Import time per Phoenix file, snapshot load time, and lookup cost with and without."""
    from eventwire.store import Store

    rows = [json.loads(line) for line in bare.read_text(encoding="utf-8").splitlines() if line]
    names = [(r["mention"], date.fromisoformat(r["date"])) for r in rows]
    names += [("Nobody Inparticular", date(2018, 1, 1)), ("Wolde Haile", date(2018, 1, 1))]
    builtin = ActorKnowledge.from_files(KNOWLEDGE)
    base_us = _lookup_us(builtin, names)
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "kb.db") as store:
        for name in (*ACTOR_FILES, "Phoenix.agents.txt"):
            path = cameo_dir / name
            if not path.is_file():
                print(f"{name}: not found in {cameo_dir}")
                continue
            started = time.perf_counter()
            report = import_dictionary(store, path)
            elapsed = time.perf_counter() - started
            print(
                f"import {name}: {report.entries} {report.kind}, {report.stored} rows, "
                f"{len(report.problems)} problem lines, {elapsed:.2f}s (parse + store)"
            )
        started = time.perf_counter()
        full = ActorKnowledge.from_store(store, KNOWLEDGE)
        print(f"snapshot with imports: {time.perf_counter() - started:.2f}s, {full.stats()}")
        full_us = _lookup_us(full, names)
        agree = sum(builtin.lookup(n, d).role == full.lookup(n, d).role for n, d in names) / len(
            names
        )
        gold = bare_mention_accuracy(bare, full)
    print(f"lookup: {base_us:.1f} us built-in only, {full_us:.1f} us with Phoenix imported")
    print(f"  same answer on the gold names: {agree:.1%}")
    print(f"  bare-mention accuracy with Phoenix imported: {gold['accuracy']:.1%}")
    per_doc = gold["person_lookups_per_doc"]
    extra_ms = per_doc * (full_us - base_us) / 1000
    share = extra_ms / gold["coding_ms_per_doc"] if gold["coding_ms_per_doc"] else 0.0
    print(
        f"  coding cost: {per_doc:.2f} lookups/doc x {full_us - base_us:+.1f} us = "
        f"{extra_ms:+.3f} ms/doc on {gold['coding_ms_per_doc']:.1f} ms/doc ({share:+.2%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameo-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--bare-mentions", type=Path, default=BARE_MENTIONS)
    parser.add_argument("--skip-phoenix", action="store_true", help="only the bare-mention test")
    args = parser.parse_args()

    started = time.perf_counter()
    stats = kb_stats(KNOWLEDGE)
    print(f"KB (loaded in {time.perf_counter() - started:.2f}s):", stats)

    gold = bare_mention_accuracy(args.bare_mentions)
    print(
        f"bare mentions (built-in KB, current actors.py): {gold['right']}/{gold['sentences']}"
        f" = {gold['accuracy']:.1%}; coding {gold['coding_ms_per_doc']:.1f} ms/sentence"
    )
    print(
        f"  the knowledge base alone, asked for the named words on the sentence date: "
        f"{gold['kb_accuracy']:.1%} (misses above are mostly names spaCy did not tag PERSON)"
    )
    for miss in gold["misses"]:
        print("  miss:", miss)
    if args.skip_phoenix:
        return

    all_actors: list[ImportedActor] = []
    for name in ACTOR_FILES:
        path = args.cameo_dir / name
        if not path.is_file():
            print(f"{name}: not found in {args.cameo_dir}")
            continue
        started = time.perf_counter()
        actors, problems = parse_actor_dictionary(path)
        elapsed = time.perf_counter() - started
        print(f"{name}: {len(actors)} actors, {len(problems)} problems, {elapsed:.2f}s")
        all_actors.extend(actors)

    counts = agreement(all_actors)
    print("Phoenix codes in force 2017-2019 (country codes only):", counts["codes_in_window"])
    print("  of these, the person is in our KB:", counts["known_people"])
    print("  resolved by lookup_person on a date in range:", counts["resolved"])
    if counts["resolved"]:
        rate = counts["agree"] / counts["resolved"]
        print(f"  same country+sector: {counts['agree']} ({rate:.1%} of resolved)")
    import_figures(args.cameo_dir, args.bare_mentions)


if __name__ == "__main__":
    main()
