"""Where the coder's parties go wrong: could the right code have been chosen from the sentence?

    python benchmarks/party_reach.py [--splits dev] [--json]

For every event whose type matches a gold event of the same sentence (meetings of equals left
out: their sides are pooled), each gold side whose codes the event misses is put in one of three
bins: the code is among the actor mentions of that sentence (a choice between parties the text
names), it appears only in earlier sentences (coreference or a party the reader infers), or
nowhere up to that sentence. The first bin is what a better party chooser could reach; the
others need the document. Reads the corpus split's text from ../shared at run time.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from corpus_runs import corpus_arguments

BINS = ("in the sentence", "earlier only", "nowhere before")


def main() -> int:
    args = corpus_arguments(__doc__.splitlines()[0], "dev").parse_args()

    from eventwire.codebook import SYMMETRIC_TYPES
    from eventwire.evaluate.matching import (
        dedupe_events,
        entity_code,
        match_events,
        same_sentence,
        type_fits,
    )
    from eventwire.knowledge import Knowledge
    from eventwire.models import Document
    from eventwire.pipeline import iter_code, iter_mentions
    from eventwire.settings import Settings
    from eventwire.training.corpus import published_dates, read_articles
    from eventwire.training.tune import gold_document

    settings = Settings()
    knowledge = Knowledge.from_settings(settings)
    published = published_dates(args.shared)
    articles = read_articles(args.corpus, args.shared, args.splits.split(","))
    documents = [Document(id=a.id, published=published[a.id][:10], body=a.text) for a in articles]
    mentions = {d.id: found for d, found in iter_mentions(documents, knowledge, settings)}
    bins: Counter[tuple[str, str]] = Counter()
    matched = 0
    for article, coded in zip(articles, iter_code(documents, knowledge, settings), strict=True):
        gold = gold_document(article, published[article.id])
        spans = [(e["evidence_start"], e["evidence_end"]) for e in article.events]
        keep = [i for i, g in enumerate(gold.events) if not g.background]
        predicted = dedupe_events(coded.events)
        pairs = match_events(predicted, [gold.events[i] for i in keep], type_fits)
        for p, k in pairs:
            event, g = predicted[p], gold.events[keep[k]]
            if not same_sentence(event.evidence.sentence, g.evidence):
                continue
            if g.type in SYMMETRIC_TYPES:
                continue
            matched += 1
            start, end = spans[keep[k]]
            here = {
                entity_code(m.entity)
                for m in mentions.get(article.id, [])
                if start <= m.entity.start < end
            }
            before = {
                entity_code(m.entity) for m in mentions.get(article.id, []) if m.entity.end <= start
            }
            for side, gold_side, coded_side in (
                ("actor", g.actor, event.actor),
                ("recipient", g.recipient, event.recipient),
            ):
                want = {c for c in map(entity_code, gold_side) if c}
                if not want or want & {entity_code(e) for e in coded_side}:
                    continue
                where = BINS[0] if want & here else BINS[1] if want & before else BINS[2]
                bins[(side, where)] += 1
    result = {
        "splits": args.splits,
        "type_matches_in_their_sentence": matched,
        "missed_sides": {
            side: {where: bins[(side, where)] for where in BINS} for side in ("actor", "recipient")
        },
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.splits}: {matched} type matches in their own sentence (meetings left out)")
    print(f"{'missed side':<12}" + "".join(f"{b:>18}" for b in BINS))
    for side in ("actor", "recipient"):
        print(f"{side:<12}" + "".join(f"{bins[(side, b)]:>18}" for b in BINS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
