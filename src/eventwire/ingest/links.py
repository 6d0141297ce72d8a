"""Which document links are kept: only web addresses a reader can safely follow (#9).

A document's ``url`` becomes the "original" link of the web page's document view, so a
``javascript:`` or ``data:`` address there would run in the page's origin when clicked.
Only absolute ``http`` and ``https`` addresses are stored; anything else is dropped with a
warning naming the document.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

SAFE_SCHEMES = frozenset({"http", "https"})


def is_safe_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) address with a host and no spaces or controls."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


def safe_url(url: str | None, *, origin: str) -> str | None:
    """``url`` if it is safe to store and link to, else None (with a warning naming ``origin``)."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    if is_safe_url(url):
        return url
    logger.warning("%s: url %r dropped: only http and https links are stored", origin, url[:80])
    return None
