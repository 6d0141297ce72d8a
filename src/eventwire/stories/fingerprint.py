"""MinHash fingerprints of a document's text, and LSH band keys to find similar ones fast.

Why two signatures: word 5-gram shingles catch copies and light rewrites (syndicated wire
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

BANDS = 32
ROWS = NUM_PERM // BANDS
"""LSH banding of the shingle signature: 32 bands of 4 rows find pairs with Jaccard around
0.42 or more half the time and pairs at 0.6 almost always (1 - (1 - 0.6**4)**32 = 0.98)."""

SHINGLE_WORDS = 5
DUPLICATE_THRESHOLD = 0.45
"""Estimated shingle Jaccard from which two documents are near-duplicates."""

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

    def duplicate_similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two documents' word 5-gram sets."""
        return _estimate(self.shingles, other.shingles)

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
    def from_bytes(cls, shingles: bytes, words: bytes) -> Fingerprint:
        return cls(np.frombuffer(shingles, dtype="<u8"), np.frombuffer(words, dtype="<u8"))


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
    return Fingerprint(_signature(shingles), _signature(words))


def band_keys(signature: np.ndarray) -> list[int]:
    """One LSH bucket key per band (a signed 63-bit int, to fit an SQLite INTEGER)."""
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(rows, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys
