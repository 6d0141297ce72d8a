"""Which language a document is written in, so the pipeline can skip what it cannot code.

langdetect is probabilistic; seeding it makes the same text always get the same answer,
which keeps runs reproducible. On long texts it is reliable. On short ones (a headline, one
sentence) it is not: an English headline is mostly names, and "Russia condemned Israel."
looks Italian to it. Measured on 203 short English and 103 short non-English texts
(``benchmarks/language.py``), langdetect alone calls a third of the English ones something
else. So a short text in Latin script that the detector calls another language is checked
against the English lexicon of the spaCy model: when most of its lower-case words are
English words, it is English (the default language), and a note says so. Texts too short
to judge get no language rather than a guess.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"
"""The language a short text falls back to when its words say so: the one the coder codes."""
MIN_LETTERS = 3
"""Fewer letters than this and no answer is worth giving: leave the language unknown."""
RELIABLE_LETTERS = 200
"""From this many letters on, langdetect's answer stands on its own (measured, see above)."""
ENGLISH_SHARE = 0.75
"""A short Latin-script text is English when at least this share of its words are English
(measured on the benchmark texts: the short English texts the detector misses score 1.0,
no non-English text scores above 0.67)."""
SAMPLE_CHARS = 4000
"""Only the start of a long text is looked at: enough to decide, and detection stays fast."""

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageGuess:
    """A detected language, and a note when a rule rather than the detector decided it."""

    code: str | None
    note: str | None = None


def detect_language(text: str, *, model: str | None = None) -> str | None:
    """The ISO 639-1 code of the text's language (``en``, ``de``), or None if unsure."""
    return guess_language(text, model=model).code


def guess_language(text: str, *, model: str | None = None) -> LanguageGuess:
    """The language of ``text``; ``model`` is the spaCy pipeline whose English lexicon
    settles short texts (default: the configured default model)."""
    sample = text[:SAMPLE_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < MIN_LETTERS:
        return LanguageGuess(None)
    detected = _langdetect(sample)
    if detected == DEFAULT_LANGUAGE or len(letters) >= RELIABLE_LETTERS:
        return LanguageGuess(detected)
    if _latin_share(letters) < 0.5:
        return LanguageGuess(detected)
    share = english_share(sample, model=model, other=detected)
    if share >= ENGLISH_SHARE:
        note = (
            f"short text ({len(letters)} letters): the detector said {detected!r}, but "
            f"{share:.0%} of its words are English; taken as {DEFAULT_LANGUAGE!r}"
        )
        return LanguageGuess(DEFAULT_LANGUAGE, note)
    return LanguageGuess(detected)


def _langdetect(sample: str) -> str | None:
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


def _latin_share(letters: list[str]) -> float:
    latin = sum(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in letters)
    return latin / len(letters)


def english_share(text: str, *, model: str | None = None, other: str | None = None) -> float:
    """The share of the text's words that are English words (0 when it has none).

    Capitalised and all-caps words are names or acronyms in an English text, so only
    lower-case words count, unless there are none (a Title Case headline): then every word
    that is not all-caps counts. One-letter words count for no language. A short function
    word of the ``other`` language (spaCy's stop words for it) that is not an English one
    counts against English even if English has the word too (``die``, ``les``).
    """
    words = [w for w in _WORD.findall(text) if len(w) > 1]
    lower = [w for w in words if w.islower()]
    counted = lower or [w.lower() for w in words if not w.isupper()]
    if not counted:
        return 0.0
    lexicon = english_words(model)
    foreign: frozenset[str] = frozenset()
    if other:
        own = _function_words(DEFAULT_LANGUAGE)
        # Short function words (die, les, hat) are the other language's; longer ones that
        # English has too (Lithuanian 'ties') are English words.
        foreign = frozenset(
            w for w in _function_words(other) - own if len(w) <= 3 or not _is_english(w, lexicon)
        )
    english = sum(w not in foreign and _is_english(w, lexicon) for w in counted)
    return english / len(counted)


@lru_cache(maxsize=64)
def _function_words(code: str) -> frozenset[str]:
    """spaCy's stop words for a language (empty if spaCy has none for it)."""
    import importlib

    try:
        module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(w.lower() for w in getattr(module, "STOP_WORDS", ()))


def _is_english(word: str, lexicon: frozenset[str]) -> bool:
    if word in lexicon:
        return True
    stems: list[str] = []
    for suffix, replacements in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: -len(suffix)]
            stems.extend(base + r for r in replacements)
            if suffix in ("ed", "ing") and len(base) > 2 and base[-1] == base[-2]:
                stems.append(base[:-1])  # stopped -> stop, planning -> plan
    return any(stem in lexicon for stem in stems)


_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ies", ("y",)),
    ("ied", ("y",)),
    ("es", ("", "e")),
    ("s", ("",)),
    ("ed", ("", "e")),
    ("ing", ("", "e")),
    ("ly", ("",)),
    ("er", ("", "e")),
    ("est", ("", "e")),
)


@lru_cache(maxsize=2)
def english_words(model: str | None = None) -> frozenset[str]:
    """English words: the lemma lists of the spaCy model's lemmatizer and its stop words."""
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.pipeline import Lemmatizer

    from eventwire import nlp
    from eventwire.settings import Settings

    words: set[str] = set(STOP_WORDS)
    pipeline = nlp.load_pipeline(model or Settings().model)
    lemmatizer = pipeline.get_pipe("lemmatizer") if "lemmatizer" in pipeline.pipe_names else None
    if isinstance(lemmatizer, Lemmatizer):
        lookups = lemmatizer.lookups
        if lookups.has_table("lemma_index"):
            for entries in lookups.get_table("lemma_index").values():
                words.update(entries)
        if lookups.has_table("lemma_exc"):
            for exceptions in lookups.get_table("lemma_exc").values():
                for form, lemmas in exceptions.items():
                    words.add(form)
                    words.update(lemmas)
    if len(words) == len(STOP_WORDS):
        logger.warning("spaCy pipeline has no lemma lists: short texts checked on stop words only")
    return frozenset(w.lower() for w in words if "_" not in w)
