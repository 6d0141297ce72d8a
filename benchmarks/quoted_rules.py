"""How often the trigger rules are right inside direct quotations, against elsewhere.

    python benchmarks/quoted_rules.py [--splits train,dev] [--json]

Codes the corpus splits with the rules alone (the shipped policy keeps every rule event as the
rules typed it) and counts, per collection, the rule events whose trigger lies inside a direct
quotation (``events.quotes``) and outside one, and how many of each have a gold event of their
type in their own sentence. This is the evidence behind the classify policy ``quoted_keep``
(docs/learned.md, session 11). Reads the corpus split's text from ../shared at run time.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from corpus_runs import corpus_arguments, rules_alone


def main() -> int:
    args = corpus_arguments(__doc__.splitlines()[0], "train,dev").parse_args()

    from eventwire.evaluate.matching import same_sentence, type_fits
    from eventwire.events.quotes import inside, quoted_spans

    counts: Counter[tuple[str, str, str, str]] = Counter()
    for split, article, gold, events in rules_alone(args.corpus, args.shared, args.splits):
        news = [g for g in gold if not g.background]
        spans = quoted_spans(article.text)
        collection = article.id.split("-")[0]
        for event in events:
            where = "quoted" if inside(spans, event.evidence.trigger_start) else "narrated"
            right = any(
                type_fits(event, g) and same_sentence(event.evidence.sentence, g.evidence)
                for g in news
            )
            counts[(split, collection, where, "events")] += 1
            counts[(split, collection, where, "right")] += right
    rows = sorted({k[:3] for k in counts})
    result = [
        {
            "split": split,
            "collection": collection,
            "trigger": where,
            "events": counts[(split, collection, where, "events")],
            "gold_type_in_sentence": counts[(split, collection, where, "right")],
        }
        for split, collection, where in rows
    ]
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{'split':<7}{'collection':<20}{'trigger':<10}{'events':>8}{'right':>8}{'share':>8}")
    for r in result:
        share = r["gold_type_in_sentence"] / r["events"] if r["events"] else 0.0
        print(
            f"{r['split']:<7}{r['collection']:<20}{r['trigger']:<10}"
            f"{r['events']:>8}{r['gold_type_in_sentence']:>8}{share:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
