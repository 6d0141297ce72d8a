"""Direct quotations: the stretches of a text that are a speaker's own words.

The trigger rules were written for the reporter's narration. Inside a quotation they fire on
rhetoric and anecdote ("they refused at first", "we will attack Manbij next") far more often
than on the event the quote reports: on the annotated train split, rule events triggered
inside quotes had an event of their type in their sentence for 9% (Guardian) and 23% (VOA)
against 31% and 39% elsewhere (``benchmarks/quoted_rules.py``). The classify policy
``quoted_keep`` can let the model judge those.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

# Double quotation marks only: single ones double as apostrophes ("Iran's"), which is why
# triggers.yaml's `opening_quotes` (marks that may open a quoted object) is not used here.
OPENING = "“"
CLOSING = "”"
STRAIGHT = '"'
PARAGRAPH = "\n"
"""A quotation never runs past the end of its paragraph: a quote continued in the next
paragraph opens again there, and an unbalanced mark must not swallow the rest of the text."""


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``[start, end)`` of the text's direct quotations, marks included.

    Curly quotes pair as they open and close; straight quotes alternate. A closing mark with
    no opening one in its paragraph closes a quote begun before it (a paragraph that carries
    on a quotation whose opening was lost), so the paragraph up to the mark is quoted.
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    free = 0  # where an unopened quotation could begin: the paragraph, or after the last one
    for i, ch in enumerate(text):
        if ch == PARAGRAPH:
            if start is not None:
                spans.append((start, i))
                start = None
            free = i + 1
        elif start is None and ch in (OPENING, STRAIGHT):
            start = i
        elif ch in (CLOSING, STRAIGHT):
            spans.append((free if start is None else start, i + 1))
            start, free = None, i + 1
    if start is not None:
        spans.append((start, len(text)))
    return spans


def inside(spans: Sequence[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` falls inside one of ``spans`` (sorted, not overlapping)."""
    k = bisect_right([s for s, _ in spans], offset) - 1
    return k >= 0 and offset < spans[k][1]
