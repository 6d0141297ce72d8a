"""Language detection on short texts: langdetect alone against eventwire's rule (#9).

Reads 203 short English texts (headlines and single sentences about politics) and 103
short texts in 19 other languages, all written by the team (``benchmarks/data/``), and
prints, for each rule, how many English texts are taken as English and how many others
are not taken as English. Run: ``python benchmarks/language.py``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from eventwire.ingest.language import DEFAULT_LANGUAGE, _langdetect, detect_language

DATA = Path(__file__).parent / "data"


def load() -> tuple[list[str], list[tuple[str, str]]]:
    """The English texts, and the (language, text) pairs of the others."""
    english = [line.strip() for line in (DATA / "short_english.txt").open() if line.strip()]
    other = [
        (code, text)
        for code, text in (
            line.rstrip("\n").split("\t", 1) for line in (DATA / "short_other.tsv").open()
        )
    ]
    return english, other


def measure(rule: Callable[[str], str | None]) -> tuple[float, float, list[str], list[str]]:
    """Share of English kept as English, share of others not taken as English, and misses."""
    english, other = load()
    # None (too short to judge) is coded as English by the pipeline: it counts as English.
    missed_english = [t for t in english if rule(t) not in (DEFAULT_LANGUAGE, None)]
    missed_other = [t for _, t in other if rule(t) in (DEFAULT_LANGUAGE, None)]
    return (
        1 - len(missed_english) / len(english),
        1 - len(missed_other) / len(other),
        missed_english,
        missed_other,
    )


def main() -> int:
    english, other = load()
    print(f"{len(english)} short English texts, {len(other)} in other languages")
    rules: dict[str, Callable[[str], str | None]] = {
        "langdetect alone (seeded)": _langdetect,
        "eventwire (langdetect + English words for short texts)": detect_language,
    }
    for name, rule in rules.items():
        started = time.perf_counter()
        english_ok, other_ok, missed_english, missed_other = measure(rule)
        seconds = time.perf_counter() - started
        print(f"{name}: English {english_ok:.1%}, non-English {other_ok:.1%} ({seconds:.1f}s)")
        for text in missed_english[:8]:
            print(f"    English taken as other: {text}")
        for text in missed_other[:8]:
            print(f"    other taken as English: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
