"""Near-duplicate precision and recall (#10) on a set built at run time from the Guardian
sample (../shared/data/guardian_2017_2019; its text is never written into the repository).

Each of N articles gets edited copies, re-published under another id and source:
  lead-dropped   the first 20% of sentences removed (a shortened reprint)
  words-5        5% of the words replaced by other words of the corpus
  words-15       15% of the words replaced (a heavy rewrite: the hard case)
  tail-cut       only the first half of the article (a teaser, or an early version)
  combined       lead dropped, 5% of words replaced, a new title
The originals themselves are all about Syria, Iraq and Islamic State, so other articles are
hard negatives. Every document is saved (without events) into an in-memory store, which
finds near-duplicates at save exactly as at ingest; we score the stored duplicate links
against the pairs we made: true pairs are (original, copy) and (copy, copy) of one article.

    python benchmarks/near_duplicates.py [--articles 100] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

from eventwire.models import CodedDocument, Document
from eventwire.store import Store

ROOT = Path(__file__).resolve().parents[1]
GUARDIAN = ROOT.parent / "shared" / "data" / "guardian_2017_2019" / "articles.jsonl"
_SENTENCE = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")


def _sentences(text: str) -> list[str]:
    return _SENTENCE.split(text)


def _replace_words(text: str, share: float, vocabulary: list[str], rng: random.Random) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), int(len(words) * share)):
        words[i] = rng.choice(vocabulary)
    return " ".join(words)


def _edits(vocabulary: list[str], rng: random.Random) -> dict[str, Callable[[str], str]]:
    def lead_dropped(text: str) -> str:
        parts = _sentences(text)
        return " ".join(parts[max(1, len(parts) // 5) :])

    def tail_cut(text: str) -> str:
        parts = _sentences(text)
        return " ".join(parts[: max(1, len(parts) // 2)])

    return {
        "lead-dropped": lead_dropped,
        "words-5": lambda t: _replace_words(t, 0.05, vocabulary, rng),
        "words-15": lambda t: _replace_words(t, 0.15, vocabulary, rng),
        "tail-cut": tail_cut,
        "combined": lambda t: _replace_words(lead_dropped(t), 0.05, vocabulary, rng),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, default=5, help="false links to print")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    records = [json.loads(line) for line in GUARDIAN.open(encoding="utf-8")]
    records = [r for r in records if len(r["text"].split()) >= 150]
    vocabulary = sorted({w for r in records for w in r["text"].split()})
    originals = rng.sample(records, min(args.articles, len(records)))
    edits = _edits(vocabulary, rng)
    documents: list[Document] = []
    family: dict[tuple[str, str], str] = {}
    variant: dict[tuple[str, str], str] = {}
    for record in records:  # every article is in the store: the others are negatives
        doc = Document(
            id=record["id"],
            source="guardian",
            body=record["text"],
            published=record["published"],
            title=None,
        )
        documents.append(doc)
        family[doc.key] = record["id"]
        variant[doc.key] = "original"
    for record in originals:
        for name, edit in edits.items():
            copy = Document(
                id=f"{record['id']}-{name}",
                source=f"reprint-{name}",
                body=edit(record["text"]),
                title="Another headline" if name == "combined" else None,
                published=record["published"],
            )
            documents.append(copy)
            family[copy.key] = record["id"]
            variant[copy.key] = name
    started = time.perf_counter()
    with Store.open(":memory:") as store:
        for doc in documents:
            store.save(CodedDocument(document=doc))
        elapsed = time.perf_counter() - started
        story_of = {
            tuple(doc_id.split("/", 1)): story.story_id
            for story in store.stories(min_documents=2)
            for doc_id in story.doc_ids
        }
        found: set[frozenset[tuple[str, str]]] = set()
        for doc in documents:
            for other in store.related_documents(doc.id, doc.source or ""):
                if other.relation == "duplicate":
                    found.add(frozenset({doc.key, (other.source, other.id)}))
    groups: dict[str, list[tuple[str, str]]] = {}
    for key, name in family.items():
        groups.setdefault(name, []).append(key)
    truth = {frozenset(pair) for keys in groups.values() for pair in combinations(keys, 2)}
    hits = found & truth
    precision = len(hits) / len(found) if found else 1.0
    recall = len(hits) / len(truth)
    print(
        f"documents: {len(documents)} ({len(records)} Guardian articles, "
        f"{len(originals)} with {len(edits)} edited copies each); saved in {elapsed:.1f} s"
    )
    print(f"true pairs: {len(truth)}   found: {len(found)}   right: {len(hits)}")
    print(f"precision {precision:.3f}   recall {recall:.3f}")
    grouped = {
        frozenset(pair)
        for keys in groups.values()
        for pair in combinations(keys, 2)
        if story_of.get(pair[0]) is not None and story_of.get(pair[0]) == story_of.get(pair[1])
    }
    wrong_groups = sum(
        1
        for a, b in combinations(story_of, 2)
        if story_of[a] == story_of[b] and family[a] != family[b]  # type: ignore[index]
    )
    print(
        f"through stories (links followed): {len(grouped)} of {len(truth)} true pairs in one "
        f"story ({len(grouped) / len(truth):.3f}); pairs of different articles in one story: "
        f"{wrong_groups}"
    )
    print("recall of (original, copy) pairs by edit:")
    per_edit = Counter()
    per_edit_hit = Counter()
    for pair in truth:
        names = sorted(variant[key] for key in pair)
        if names[0] == "original" or names[1] == "original":
            edit = names[1] if names[0] == "original" else names[0]
            per_edit[edit] += 1
            per_edit_hit[edit] += pair in found
    for edit in edits:
        print(
            f"  {edit:<13} {per_edit_hit[edit]:>4} / {per_edit[edit]:<4} "
            f"{per_edit_hit[edit] / max(1, per_edit[edit]):.3f}"
        )
    false = sorted(found - truth, key=sorted)
    for pair in false[: args.show]:
        a, b = sorted(pair)
        print(f"  false link: {a[0]}/{a[1]} ~ {b[0]}/{b[1]}")


if __name__ == "__main__":
    main()
