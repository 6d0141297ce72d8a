"""Related coverage: near-duplicate documents, stories, and one incident from many reports.

Pure computation over our own records (no SQL, no spaCy): ``fingerprint`` turns a document's
text into MinHash signatures and LSH band keys, ``incidents`` says whether two events report
the same happening, ``grouping`` finds connected groups. The store (``store/related.py``)
keeps the signatures, links and groups, and calls these when a document is saved, so
ingest, ``watch`` and re-ingest all go through one path.
"""

from __future__ import annotations

from eventwire.stories.fingerprint import (
    DUPLICATE_THRESHOLD,
    TOPIC_THRESHOLD,
    Fingerprint,
    band_keys,
    fingerprint,
)
from eventwire.stories.grouping import components
from eventwire.stories.incidents import STORY_WINDOW_DAYS, same_happening

__all__ = [
    "DUPLICATE_THRESHOLD",
    "STORY_WINDOW_DAYS",
    "TOPIC_THRESHOLD",
    "Fingerprint",
    "band_keys",
    "components",
    "fingerprint",
    "same_happening",
]
