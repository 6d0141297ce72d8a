"""``eventwire watch``: poll news feeds and sitemaps, fetch new articles politely, code and
store them through the one ingest path (``batch.ingest_documents``).

Modules: ``fetch`` (the polite HTTP client: robots.txt, one request at a time per host with a
delay, conditional GET, timeouts, size limits, retries, no request to a non-global
address unless allowed), ``feeds`` (RSS/Atom and sitemaps to
article addresses), ``pages`` (an article page to a ``Document``), ``poll`` (one round, and
the loop). What was seen lives in the store (``store/watch_state.py``).
"""

from __future__ import annotations

from eventwire.watch.fetch import AddressRefused, Fetcher, FetchError, FetchPolicy, RobotsRefused
from eventwire.watch.poll import WatchReport, watch_forever, watch_once

__all__ = [
    "AddressRefused",
    "FetchError",
    "FetchPolicy",
    "Fetcher",
    "RobotsRefused",
    "WatchReport",
    "watch_forever",
    "watch_once",
]
