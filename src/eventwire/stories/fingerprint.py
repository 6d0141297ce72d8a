"""MinHash fingerprints of a document's text, and LSH band keys to find similar ones fast.

Why two signatures: word 3-gram shingles catch copies and light rewrites (syndicated wire
copy, a print view, an updated version: high shingle overlap), while a set of content words
catches two reports of the same story told in different words (low shingle overlap, but
shared names and places). Signatures are ``datasketch.MinHash`` hash values with a fixed
seed, so they are comparable across runs and processes and can be stored.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
"""Hash functions per signature: the Jaccard estimate's standard error is about 0.04."""

BANDS = 42
ROWS = 3
"""LSH banding of the shingle signature (126 of the 128 values): a pair with Jaccard 0.3 is
a candidate two times in three, one at 0.45 almost always (1 - (1 - 0.45**3)**42 = 0.98), one
at 0.1 rarely (4%): candidates are then checked on the whole signature."""

SHINGLE_WORDS = 3
DUPLICATE_THRESHOLD = 0.4
"""Estimated shingle Jaccard from which two documents are near-duplicates."""

CONTAINMENT_THRESHOLD = 0.7
"""Or: the share of the shorter document's shingles found in the longer one (a teaser, a
shortened reprint, an early version of an article that grew)."""

TOPIC_THRESHOLD = 0.2
"""Estimated content-word Jaccard from which two documents (sharing an incident, within the
story window) are told as one story."""

_SEED = 1
_WORD = re.compile(r"\w+", re.UNICODE)
_STOPWORDS = frozenset(
    _WORD.findall(
        "a about after also an and are as at be been but by for from had has have he her "
        "his i in into is it its more not of on or said says she than that the their "
        "there they this to was we were which who will with would you"
    )
)


@dataclass(frozen=True)
class Fingerprint:
    """A document's two MinHash signatures (unsigned 64-bit hash values)."""

    shingles: np.ndarray
    words: np.ndarray
    n_shingles: int
    """How many distinct shingles the document has (for containment)."""

    def duplicate_similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two documents' word 3-gram sets."""
        return _estimate(self.shingles, other.shingles)

    def containment(self, other: Fingerprint) -> float:
        """Estimated share of the smaller document's shingles that the other one has too:
        |A & B| = J (|A| + |B|) / (1 + J)."""
        smaller = min(self.n_shingles, other.n_shingles)
        if smaller == 0:
            return 0.0
        jaccard = self.duplicate_similarity(other)
        shared = jaccard * (self.n_shingles + other.n_shingles) / (1 + jaccard)
        return min(1.0, shared / smaller)

    def is_near_duplicate(self, other: Fingerprint) -> bool:
        """Copies, light rewrites, and shortened or lengthened versions."""
        return (
            self.duplicate_similarity(other) >= DUPLICATE_THRESHOLD
            or self.containment(other) >= CONTAINMENT_THRESHOLD
        )

    def topic_similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two documents' content-word sets."""
        return _estimate(self.words, other.words)

    def to_bytes(self) -> tuple[bytes, bytes]:
        """For the store: both signatures as little-endian bytes."""
        return (
            self.shingles.astype("<u8").tobytes(),
            self.words.astype("<u8").tobytes(),
        )

    @classmethod
    def from_bytes(cls, shingles: bytes, words: bytes, n_shingles: int) -> Fingerprint:
        return cls(
            np.frombuffer(shingles, dtype="<u8"), np.frombuffer(words, dtype="<u8"), n_shingles
        )


def _estimate(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) != len(b) or not len(a):
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


def _tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _signature(items: set[str]) -> np.ndarray:
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED)
    if items:
        minhash.update_batch([item.encode("utf-8") for item in sorted(items)])
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def fingerprint(title: str | None, body: str) -> Fingerprint:
    """The document's signatures; the title counts as words but not as shingles (a copy often
    carries another headline)."""
    tokens = _tokens(body)
    if len(tokens) < SHINGLE_WORDS:
        shingles = {" ".join(tokens)} if tokens else set()
    else:
        shingles = {
            " ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(len(tokens) - SHINGLE_WORDS + 1)
        }
    words = {w for w in _tokens(f"{title or ''} {body}") if w not in _STOPWORDS and not w.isdigit()}
    return Fingerprint(_signature(shingles), _signature(words), len(shingles))


def band_keys(signature: np.ndarray) -> list[int]:
    """One LSH bucket key per band (a signed 63-bit int, to fit an SQLite INTEGER)."""
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(rows, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys
