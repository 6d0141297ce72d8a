"""Actor knowledge base: size, PETRARCH dictionary parse speed, and a cross-check with Phoenix.

Run from the repository root::

    python benchmarks/actor_kb.py [--cameo-dir ../shared/reference/cameo]

Prints the size of the built-in KB, how long parsing each Phoenix actor file takes and how
many actors it yields, and an agreement rate: for Phoenix people with a dated code in force
during 2017-2019, whether ``lookup_person`` on a date inside that range gives the same country
and sector. The Phoenix files end in 2014, so their open-ended codes are only a rough guide:
the rate is a cross-check, not a gold standard.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta
from pathlib import Path

from eventwire.actorkb import kb_stats, lookup_person, person_roles
from eventwire.knowledge import load_yaml
from eventwire.petrarch_dict import ImportedActor, parse_actor_dictionary

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cameo"
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
        if person_roles(name):
            known = True
        role = lookup_person(name, on)
        if role is not None:
            return True, (role.country, role.sector)
    return known, None


def agreement(actors: list[ImportedActor]) -> dict[str, int]:
    sector_map = load_yaml("actorkb_codes.yaml").get("cameo_sector_map", {})
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameo-dir", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()

    started = time.perf_counter()
    stats = kb_stats()
    print(f"KB (loaded in {time.perf_counter() - started:.2f}s):", stats)

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


if __name__ == "__main__":
    main()
