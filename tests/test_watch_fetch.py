"""The polite fetcher and the feed parsers of ``watch`` (#10), against a real HTTP server on
127.0.0.1 (tests/watch_server.py): no internet, no mocks, no spaCy model."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from eventwire.watch import Fetcher, FetchError, FetchPolicy, RobotsRefused
from eventwire.watch.feeds import parse_feed
from eventwire.watch.fetch import check_url
from watch_server import FixtureServer, Route

# the fixtures are served on 127.0.0.1: the tests opt in to private addresses
FAST = FetchPolicy(
    delay=0.0, timeout=5.0, backoff=0.05, max_bytes=100_000, allow_private_addresses=True
)


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running


def test_robots_txt_is_obeyed_and_read_once(server: FixtureServer) -> None:
    with Fetcher(FAST) as fetcher:
        with pytest.raises(RobotsRefused, match=r"robots\.txt"):
            fetcher.get(f"{server.base}/private/memo.html")
        assert fetcher.get(f"{server.base}/news/talks.html").status == 200
        assert fetcher.get(f"{server.base}/news/floods.html").status == 200
    assert "/private/memo.html" not in server.paths()
    assert server.paths().count("/robots.txt") == 1
    assert all(hit.user_agent.startswith("eventwire/") for hit in server.hits)


def test_a_host_whose_robots_txt_fails_is_left_alone(server: FixtureServer) -> None:
    server.routes["/robots.txt"] = Route(status=503, body=b"down")
    with Fetcher(FAST) as fetcher, pytest.raises(RobotsRefused):
        fetcher.get(f"{server.base}/news/talks.html")
    assert "/news/talks.html" not in server.paths()


def test_missing_robots_txt_allows_everything(server: FixtureServer) -> None:
    del server.routes["/robots.txt"]
    with Fetcher(FAST) as fetcher:
        assert fetcher.get(f"{server.base}/private/memo.html").status == 200


def test_one_request_at_a_time_per_host_with_a_delay(server: FixtureServer) -> None:
    with Fetcher(FetchPolicy(delay=0.15, timeout=5.0, allow_private_addresses=True)) as fetcher:
        for page in ("talks", "floods", "turkey"):
            fetcher.get(f"{server.base}/news/{page}.html")
    times = [hit.at for hit in server.hits]
    assert len(times) == 4  # robots.txt + 3 pages
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.14
    assert server.max_parallel == 1


def test_crawl_delay_in_robots_txt_slows_us_down(server: FixtureServer) -> None:
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nCrawl-delay: 1\n")
    with Fetcher(FAST) as fetcher:
        fetcher.get(f"{server.base}/news/talks.html")
        fetcher.get(f"{server.base}/news/floods.html")
    pages = [hit.at for hit in server.hits if hit.path.startswith("/news/")]
    assert pages[1] - pages[0] >= 0.95


def test_conditional_get_gives_not_modified(server: FixtureServer) -> None:
    with Fetcher(FAST) as fetcher:
        first = fetcher.get(f"{server.base}/rss.xml")
        assert (first.status, first.etag) == (200, '"rss-1"')
        again = fetcher.get(f"{server.base}/rss.xml", etag=first.etag)
    assert again.not_modified and again.body == b""
    assert server.hits[-1].if_none_match == '"rss-1"'


def test_retries_with_backoff_then_success(server: FixtureServer) -> None:
    server.routes["/news/talks.html"].fail_first = 2
    with Fetcher(FAST) as fetcher:
        assert fetcher.get(f"{server.base}/news/talks.html").status == 200
    statuses = [hit.status for hit in server.hits if hit.path == "/news/talks.html"]
    assert statuses == [503, 503, 200]


def test_gives_up_after_the_retries(server: FixtureServer) -> None:
    server.routes["/news/talks.html"].fail_first = 5
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError, match="503"):
        fetcher.get(f"{server.base}/news/talks.html")
    assert server.paths().count("/news/talks.html") == FAST.retries + 1


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/news/huge.html", "limit"),
        ("/news/missing.html", "HTTP 404"),
        ("/redirect-file", "only http and https"),
    ],
)
def test_hostile_or_broken_answers_are_errors(
    server: FixtureServer, path: str, problem: str
) -> None:
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError, match=problem):
        fetcher.get(server.base + path)


def test_redirects_are_followed_and_checked(server: FixtureServer) -> None:
    with Fetcher(FAST) as fetcher:
        response = fetcher.get(f"{server.base}/redirect-page")
    assert response.url.endswith("/news/talks.html") and b"Moscow" in response.body


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/feed", "javascript:alert(1)", "http://"]
)
def test_only_http_and_https_addresses(url: str) -> None:
    with pytest.raises(FetchError):
        check_url(url)


def test_rss_links_resolved_and_unsafe_ones_dropped(server: FixtureServer) -> None:
    items = parse_feed(server.routes["/rss.xml"].body, f"{server.base}/rss.xml")
    assert items.kind.startswith("rss")
    assert items.articles == [
        f"{server.base}/news/talks.html",
        f"{server.base}/news/floods.html",  # relative, fragment dropped
        f"{server.base}/private/memo.html",
        f"{server.base}/news/missing.html",
        f"{server.base}/news/huge.html",
    ]  # file:///etc/passwd is not there


def test_atom_and_sitemaps(server: FixtureServer) -> None:
    atom = parse_feed(server.routes["/atom.xml"].body, f"{server.base}/atom.xml")
    assert atom.articles[-1] == f"{server.base}/news/turkey.html"
    index = parse_feed(server.routes["/sitemap_index.xml"].body, server.base + "/")
    assert (index.kind, index.sitemaps, index.articles) == (
        "sitemapindex",
        [f"{server.base}/sitemap-news.xml"],
        [],
    )
    sitemap = parse_feed(server.routes["/sitemap-news.xml"].body, server.base + "/")
    assert len(sitemap.articles) == 2 and sitemap.kind == "sitemap"


def test_entities_in_a_hostile_sitemap_are_never_resolved(server: FixtureServer) -> None:
    items = parse_feed(server.routes["/evil.xml"].body, server.base + "/")
    assert not any("root:" in url or "lollol" in url for url in items.articles)


def test_not_a_feed_is_an_error() -> None:
    with pytest.raises(ValueError, match="not an RSS/Atom feed"):
        parse_feed(b"<html><body>hello</body></html>", "http://example.org/")
