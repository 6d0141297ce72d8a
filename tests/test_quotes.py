"""Direct quotations: which stretches of a text are a speaker's own words."""

from __future__ import annotations

import pytest

from eventwire.events.quotes import inside, quoted_spans


def _quoted(text: str) -> list[str]:
    return [text[a:b] for a, b in quoted_spans(text)]


def test_curly_quotes_pair_across_sentences() -> None:
    text = "He said: “We will fight. We will win,” adding that “talks” had failed."
    assert _quoted(text) == ["“We will fight. We will win,”", "“talks”"]
    spans = quoted_spans(text)
    assert inside(spans, text.index("win"))
    assert not inside(spans, text.index("adding"))
    assert not inside(spans, text.index("failed"))


def test_straight_quotes_alternate() -> None:
    text = 'Officials said "we refused" and then "nothing" happened.'
    assert _quoted(text) == ['"we refused"', '"nothing"']
    assert not inside(quoted_spans(text), text.index("happened"))


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # a paragraph carrying on a quotation whose opening mark came before it
        ("They refused at first,” she said.", "refused", True),
        ("They refused at first,” she said.", "said", False),
        # an unclosed quotation ends with its paragraph, not the text
        ("“We will attack next\nThe army attacked the town.", "attacked", False),
        ("“We will attack next\nThe army attacked the town.", "attack ", True),
    ],
)
def test_quotations_stay_within_their_paragraph(text: str, word: str, expected: bool) -> None:
    assert inside(quoted_spans(text), text.index(word)) is expected


def test_text_without_quotations() -> None:
    assert quoted_spans("The army shelled the town.") == []
    assert not inside([], 3)
