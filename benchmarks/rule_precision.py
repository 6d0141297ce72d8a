"""Which trigger words the rules read wrongly on real news: precision per type and trigger.

    python benchmarks/rule_precision.py [--splits train,dev] [--min-events 4] [--at-most 0.25]
                                        [--json]

Codes the corpus splits with the rules alone and counts, for each event type and trigger word
(as the text writes it), the rule events with a gold event of their type in their own sentence
("right"), with gold events of other types only ("other"), and in sentences with no gold event
("none"). Lists the pairs with at least ``--min-events`` events whose share right is at most
``--at-most``, most wrong first, with one sentence each. This is how session 12 found the
rules to read again (docs/learned.md); a low share is a reason to read the sentences, not to
drop a rule (session 9: pruning by train precision did not carry over to dev). Reads the
corpus split's text from ../shared at run time.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", default="train,dev", help="corpus splits, comma-separated")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--min-events", type=int, default=4)
    parser.add_argument("--at-most", type=float, default=0.25, help="largest share right listed")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from eventwire.evaluate.matching import dedupe_events, same_sentence, type_fits
    from eventwire.knowledge import Knowledge
    from eventwire.models import Document
    from eventwire.pipeline import iter_code
    from eventwire.settings import Settings
    from eventwire.training.corpus import published_dates, read_articles
    from eventwire.training.tune import gold_document

    settings = Settings(event_model="off")
    knowledge = Knowledge.from_settings(settings)
    published = published_dates(args.shared)
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    example: dict[tuple[str, str], str] = {}
    articles = read_articles(args.corpus, args.shared, args.splits.split(","))
    documents = [Document(id=a.id, published=published[a.id][:10], body=a.text) for a in articles]
    for article, coded in zip(articles, iter_code(documents, knowledge, settings), strict=True):
        gold = gold_document(article, published[article.id]).events
        for event in dedupe_events(coded.events):
            here = [g for g in gold if same_sentence(event.evidence.sentence, g.evidence)]
            outcome = (
                "right" if any(type_fits(event, g) for g in here) else ("other" if here else "none")
            )
            key = (event.type.value, (event.evidence.trigger or "?").lower())
            counts[key][outcome] += 1
            if outcome != "right":
                example.setdefault(key, f"{article.id}: {event.evidence.sentence}")

    rows = []
    for (kind, trigger), c in counts.items():
        total = sum(c.values())
        share = c["right"] / total
        if total >= args.min_events and share <= args.at_most:
            rows.append(
                {
                    "type": kind,
                    "trigger": trigger,
                    "events": total,
                    "right": c["right"],
                    "other": c["other"],
                    "none": c["none"],
                    "example": example.get((kind, trigger), ""),
                }
            )
    rows.sort(key=lambda r: (-(r["events"] - r["right"]), r["type"], r["trigger"]))
    if args.json:
        print(json.dumps({"splits": args.splits, "rows": rows}, indent=2))
        return 0
    print(f"{args.splits}: rule events per type and trigger, right at most {args.at_most:.0%}")
    print(f"{'type':<10}{'trigger':<24}{'events':>7}{'right':>7}{'other':>7}{'none':>6}")
    for r in rows:
        print(
            f"{r['type']:<10}{r['trigger'][:23]:<24}{r['events']:>7}{r['right']:>7}"
            f"{r['other']:>7}{r['none']:>6}  {r['example'][:90]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
