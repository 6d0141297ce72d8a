"""``eventwire watch`` end to end (#10): feeds and pages from a real HTTP server on
127.0.0.1, coded by the real model and stored; restarts fetch no article twice and lose
none; a failing feed or page is reported and the others go on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.knowledge import Knowledge
from eventwire.settings import Settings
from eventwire.store import Store
from eventwire.watch import Fetcher, FetchPolicy, watch_once
from eventwire.watch.poll import WatchReport, _poll_feeds
from watch_server import FixtureServer, Route

pytestmark = pytest.mark.slow  # codes pages with the real spaCy model

# the fixtures are served on 127.0.0.1: the tests opt in to private addresses
FAST = FetchPolicy(
    delay=0.0, timeout=5.0, backoff=0.05, max_bytes=100_000, allow_private_addresses=True
)
PAGES = ("/news/talks.html", "/news/floods.html", "/news/turkey.html", "/news/sanctions.html")


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running


def feeds(server: FixtureServer) -> list[str]:
    return [
        f"{server.base}/rss.xml",
        f"{server.base}/atom.xml",
        f"{server.base}/sitemap_index.xml",
        f"{server.base}/broken.xml",
    ]


def page_hits(server: FixtureServer) -> list[str]:
    return [path for path in server.paths() if path.startswith(("/news/", "/private/"))]


def test_watch_stores_each_article_once_and_reports_failures(
    server: FixtureServer, knowledge: Knowledge, tmp_path: Path
) -> None:
    settings = Settings(db=tmp_path / "watch.db")
    server.routes["/news/sanctions.html"].fail_first = FAST.retries + 1  # busy this round
    with Store.open(settings.db) as store, Fetcher(FAST) as fetcher:
        report = watch_once(feeds(server), store, knowledge, settings, fetcher)
        stored = {u.url.removeprefix(server.base) for u in store.watched_urls("stored")}
        assert stored == set(PAGES) - {"/news/sanctions.html"}
        assert report.documents_stored == 3 and report.events > 0
        assert {u.url.removeprefix(server.base) for u in store.watched_urls("refused")} == {
            "/private/memo.html"
        }
        gone = {u.url.removeprefix(server.base) for u in store.watched_urls("gone")}
        assert gone == {"/news/missing.html", "/news/huge.html"}
        assert any("broken.xml" in p and "500" in p for p in report.problems)
        assert not any("passwd" in u.url for u in store.watched_urls())
        talks = store.document(f"{server.base}/news/talks.html", "127.0.0.1")
        assert talks is not None and "Lavrov" in talks.body and "Copyright" not in talks.body
        # the atom feed and the sitemap list talks and turkey again: fetched once each
        fetched = [p for p in page_hits(server) if p in PAGES and p != "/news/sanctions.html"]
        assert sorted(fetched) == sorted(set(PAGES) - {"/news/sanctions.html"})
        assert "/private/memo.html" not in page_hits(server)

        hits_before = len(page_hits(server))
        again = watch_once(feeds(server), store, knowledge, settings, fetcher)
        retried = page_hits(server)[hits_before:]
        assert retried == ["/news/sanctions.html"]  # a passing failure is tried again
        assert again.documents_stored == 1 and again.feeds_not_modified == 1  # rss: 304
        third = watch_once(feeds(server), store, knowledge, settings, fetcher)
        assert third.pages_fetched == 0 and third.new_urls == 0
        assert store.stats().documents == 4


def test_a_restart_loses_no_article_the_feed_no_longer_lists(
    server: FixtureServer, knowledge: Knowledge, tmp_path: Path
) -> None:
    settings = Settings(db=tmp_path / "watch.db")
    rss = f"{server.base}/rss.xml"
    with Store.open(settings.db) as store, Fetcher(FAST) as fetcher:
        _poll_feeds([rss], store, fetcher, WatchReport())  # then the process dies
    server.routes["/rss.xml"] = Route(body=b"<rss version='2.0'><channel></channel></rss>")
    with Store.open(settings.db) as store, Fetcher(FAST) as fetcher:
        watch_once([rss], store, knowledge, settings, fetcher)
        stored = {u.url.removeprefix(server.base) for u in store.watched_urls("stored")}
    assert stored == {"/news/talks.html", "/news/floods.html"}


def test_cli_watch_once_twice(server: FixtureServer, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    runner = CliRunner()
    feed = f"{server.base}/atom.xml"  # on 127.0.0.1: a private address, hence the opt-in
    args = ["watch", feed, "--db", str(db), "--once", "--delay", "0", "--allow-private-addresses"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "2 pages fetched" in first.stderr
    second = runner.invoke(main, args)
    assert second.exit_code == 0 and "0 pages fetched" in second.stderr
    assert page_hits(server).count("/news/talks.html") == 1
    listed = runner.invoke(main, ["events", "--db", str(db), "--format", "jsonl"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert rows and all(row["n_mentions"] >= 1 for row in rows)


def test_cli_watch_refuses_a_file_address(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["watch", "file:///etc/passwd", "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code != 0 and "only http and https" in result.output
