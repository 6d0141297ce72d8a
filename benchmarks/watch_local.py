"""``eventwire watch`` against a local HTTP server (#10): the fixture feeds and pages of
tests/data/watch served on 127.0.0.1 (no internet). Runs three ``--once`` rounds over an
RSS feed, an Atom feed, a sitemap index and a broken feed, and reports what was fetched:
pages fetched, pages fetched twice (should be none), robots.txt-disallowed pages fetched
(should be none), conditional GETs answered 304, and the documents and events stored.

    python benchmarks/watch_local.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from eventwire.cli import main as cli
from eventwire.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from watch_server import FixtureServer  # noqa: E402


def main() -> None:
    with FixtureServer() as server, tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "watch.db"
        feeds = [f"{server.base}/{name}" for name in ("rss.xml", "atom.xml", "sitemap_index.xml")]
        feeds.append(f"{server.base}/broken.xml")
        server.routes["/news/sanctions.html"].fail_first = 3  # busy in the first round
        started = time.perf_counter()
        for round_ in (1, 2, 3):
            args = ["-q", "watch", *feeds, "--db", str(db), "--once", "--delay", "0.2"]
            # the server is on 127.0.0.1: a private address, refused without the opt-in
            result = CliRunner().invoke(cli, [*args, "--allow-private-addresses"])
            print(f"round {round_}: {result.stderr.strip().splitlines()[-1]}")
        elapsed = time.perf_counter() - started
        pages = Counter(p for p in server.paths() if p.startswith(("/news/", "/private/")))
        ok = Counter(h.path for h in server.hits if h.path in pages and h.status == 200)
        with Store.open(db) as store:
            stats = store.stats()
            states = Counter(u.state for u in store.watched_urls())
        print(f"requests: {len(server.hits)} in {elapsed:.1f} s (delay 0.2 s per host)")
        print(f"page requests: {dict(sorted(pages.items()))}")
        print(
            f"pages fetched successfully: {sum(ok.values())}; twice: "
            f"{[p for p, n in ok.items() if n > 1] or 'none'}"
        )
        print(f"robots.txt-disallowed pages requested: {pages['/private/memo.html']}")
        print(f"robots.txt requests: {server.paths().count('/robots.txt')}")
        print(f"feeds answered 304: {sum(1 for h in server.hits if h.status == 304)}")
        print(f"most requests in flight at once: {server.max_parallel}")
        print(f"addresses by state: {dict(states)}")
        print(f"stored: {stats.documents} documents, {stats.events} events")


if __name__ == "__main__":
    main()
