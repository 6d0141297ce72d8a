"""Removing what a reader cannot see from text before it is coded (#9).

Invisible characters change what the coder finds: a zero-width space inside ``Turkey`` hides
the country, a bidi override reorders what a reviewer sees, an ANSI escape in a title
recolours (or retitles) the terminal that shows it. Every reader passes its text through
``clean_text`` before anything else looks at it, so the stored body is the clean text and
evidence offsets index it.

``printable`` is the last line of defence for terminal output of text stored before this
cleaning existed.
"""

from __future__ import annotations

import re
import unicodedata

ANSI_ESCAPE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                    # CSI: colours, cursor moves
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?         # OSC: window titles, hyperlinks
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?              # DCS, SOS, PM, APC strings
    | \x1b[@-Z\\-_]                              # two-character escapes
    | \x9b[0-?]*[ -/]*[@-~]                      # 8-bit CSI
    """,
    re.VERBOSE,
)
"""Terminal escape sequences, removed whole (not only their ESC byte)."""

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\u180e\ufeff\u00ad"
"""Zero-width space, non-joiner, joiner, word joiner, Mongolian vowel separator, BOM /
zero-width no-break space, soft hyphen."""

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Arabic letter mark, LRM, RLM, embeddings, overrides and isolates."""

VARIATION_SELECTORS = "\ufe00-\ufe0f"

_INVISIBLE = re.compile(f"[{ZERO_WIDTH}{BIDI_CONTROLS}{VARIATION_SELECTORS}\U000e0000-\U000e007f]")
# C0 controls except tab and newline (carriage returns become newlines first), DEL, C1.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Pictographs (emoji and their skin-tone modifiers): read as a space, so that an emoji
# between two sentences does not join them into one.
_PICTOGRAPHS = re.compile(
    r" ?[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\U0001f1e6-\U0001f1ff]+ ?"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def clean_text(text: str) -> str:
    """``text`` in NFC with escapes, controls, zero-width and bidi characters removed.

    Tabs and newlines stay (other line breaks become ``\\n``); emoji become a space.
    ``clean_text(clean_text(t)) == clean_text(t)``.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = ANSI_ESCAPE.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROLS.sub("", text)
    text = _PICTOGRAPHS.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    # NFC can compose characters next to a removed one; a second pass is then a no-op.
    return _INVISIBLE.sub("", _CONTROLS.sub("", text))


def printable(text: str) -> str:
    """``text`` safe to write to a terminal: no escapes, controls or bidi overrides.

    Newlines and tabs are kept; everything ``clean_text`` removes is removed.
    """
    text = ANSI_ESCAPE.sub("", text)
    text = _INVISIBLE.sub("", text)
    return _CONTROLS.sub("", text.replace("\r", ""))
