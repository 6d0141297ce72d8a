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

import json
import sys
from collections import Counter, defaultdict

from corpus_runs import corpus_arguments, rules_alone


def main() -> int:
    parser = corpus_arguments(__doc__.splitlines()[0], "train,dev")
    parser.add_argument("--min-events", type=int, default=4)
    parser.add_argument("--at-most", type=float, default=0.25, help="largest share right listed")
    args = parser.parse_args()

    from eventwire.evaluate.matching import same_sentence, type_fits

    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    example: dict[tuple[str, str], str] = {}
    for _, article, gold, events in rules_alone(args.corpus, args.shared, args.splits):
        for event in events:
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
