"""Issue #4: bare mentions of 2017-2019 office holders, coded through ``extract_actors``.

    python benchmarks/bare_mentions.py [--gold tests/gold/bare_mentions.jsonl] [--json]

Each line of the gold file is one sentence naming a person without a title ("Lavrov met ..."),
with the date it was written and the country and sector that person held then. Each sentence
is parsed as a document published on that date and run through ``actors.extract_actors`` with
the built-in actor knowledge; the person mention over the named words must carry the expected
country AND sector. Prints the share right and every miss. The set is the team's own (like the
accuracy gate's gold), so ``tests/test_actors.py`` pins a floor on the same function.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "bare_mentions.jsonl"


@dataclass
class BareMentionReport:
    sentences: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.right / self.sentences if self.sentences else 0.0


def mention_span(row: dict[str, str]) -> tuple[int, int]:
    """Character span of the gold mention without a trailing possessive ("Assad's")."""
    name = row["mention"]
    for mark in ("'s", "’s"):
        if name.endswith(mark):
            name = name[: -len(mark)]
    start = row["text"].index(name)
    return start, start + len(name)


def read_gold(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score(rows: list[dict[str, str]]) -> BareMentionReport:
    """Code every sentence and compare the mention over the gold words with the gold codes.

    Any actor over the words counts (a possessive such as "Assad's forces" is a group of the
    person's country, not the person), the longest overlapping one first.
    """
    from eventwire import actors, nlp
    from eventwire.knowledge import Knowledge
    from eventwire.models import Document
    from eventwire.settings import Settings

    pipeline = nlp.load_pipeline(Settings().model)
    knowledge = Knowledge()
    documents = [
        Document(id=r["id"], published=date.fromisoformat(r["date"]), body=r["text"]) for r in rows
    ]
    report = BareMentionReport(sentences=len(rows))
    for row, parsed in zip(rows, nlp.parse_many(documents, pipeline), strict=True):
        start, end = mention_span(row)
        mentions = actors.extract_actors(parsed, knowledge=knowledge)
        over = [
            m.entity
            for m in mentions
            if m.entity.start is not None
            and m.entity.end is not None
            and m.entity.start < end
            and start < m.entity.end
        ]
        people = [e for e in over if e.kind == "person"] or over
        got = (people[0].country, people[0].sector) if people else None
        if got == (row["country"], row["sector"]):
            report.right += 1
        else:
            expected = (row["country"], row["sector"])
            report.misses.append(
                f"{row['id']} {row['mention']!r} {row['date']}: want {expected} got {got}"
                f" | {row['text']}"
            )
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help="bare-mention JSONL file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    report = score(read_gold(args.gold))
    if args.json:
        print(json.dumps({**asdict(report), "share": report.share}, indent=2))
        return 0
    print(f"bare mentions: {report.right}/{report.sentences} right ({100 * report.share:.1f}%)")
    for miss in report.misses:
        print(f"  miss {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
