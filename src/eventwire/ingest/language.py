"""Which language a document is written in, so the pipeline can skip what it cannot code.

langdetect is probabilistic; seeding it makes the same text always get the same answer,
which keeps runs reproducible. Texts too short to judge get no language rather than a guess.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

MIN_LETTERS = 20
"""Fewer letters than this and langdetect's answer is noise: leave the language unknown."""
SAMPLE_CHARS = 4000
"""Only the start of a long text is looked at: enough to decide, and detection stays fast."""


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language (``en``, ``de``), or None if unsure."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        code = detect(sample)
    except LangDetectException as exc:
        logger.debug("language not detected: %s", exc)
        return None
    # langdetect writes Chinese as zh-cn / zh-tw; the ISO 639-1 code is the part before '-'.
    return code.split("-", 1)[0].lower()
