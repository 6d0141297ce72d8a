"""No server-side request forgery through ``watch`` (#10): feeds, pages and redirect hops whose
host resolves to a non-global address are refused before any request, unless allowed.

Self-contained: a real HTTP server on 127.0.0.1 (tests/watch_server.py) and the address check's
own knobs (``allowed_networks``, an injected resolver) to have an "allowed" host without the
internet; nothing is mocked at the HTTP level and nothing leaves the loopback interface.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.settings import Settings
from eventwire.store import Store
from eventwire.watch import AddressRefused, Fetcher, FetchPolicy
from eventwire.watch.fetch import address_problem
from eventwire.watch.poll import WatchReport, _fetch_pages, _poll_feeds
from watch_server import FixtureServer, Route

STRICT = FetchPolicy(delay=0.0, timeout=5.0, backoff=0.05, retries=0, max_bytes=100_000)
"""The default: no private addresses."""
ONLY_THE_FIXTURE_SERVER = FetchPolicy(
    delay=0.0,
    timeout=5.0,
    backoff=0.05,
    retries=0,
    max_bytes=100_000,
    allowed_networks=("127.0.0.1/32",),
)
"""127.0.0.1 stands for an allowed (public) host; every other non-global address is refused."""
METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"


class FakeDNS:
    """A resolver for the address check: names to addresses, every lookup recorded. A name
    with several answers gives them in turn (the last one from then on): DNS rebinding."""

    def __init__(
        self, names: dict[str, list[str]], *, answers: dict[str, list[str]] | None = None
    ) -> None:
        self.names = names
        self.answers = answers or {}
        self.lookups: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host in self.answers:
            turns = self.answers[host]
            return [turns.pop(0) if len(turns) > 1 else turns[0]]
        if host not in self.names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.names[host]


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),  # broadcast
        ("192.0.2.1", "private"),  # documentation ranges are not global either
        ("2001:db8::1", "private"),
        ("100.64.0.1", "non-global"),  # shared address space (carrier-grade NAT)
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:a00:1::", "private"),  # 6to4 around 10.0.0.1
        ("93.184.215.14", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_address_problem(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


def test_a_feed_on_loopback_is_refused_without_the_opt_in(server: FixtureServer) -> None:
    url = f"{server.base}/rss.xml"
    with Fetcher(STRICT) as fetcher, pytest.raises(AddressRefused) as refused:
        fetcher.get(url)
    assert refused.value.url == url and refused.value.permanent
    assert str(refused.value).startswith(f"{url}: refused: 127.0.0.1 is a loopback address")
    assert "--allow-private-addresses" in str(refused.value)
    assert server.hits == []  # not even robots.txt was asked for
    with Fetcher(FetchPolicy(delay=0.0, allow_private_addresses=True)) as fetcher:
        assert fetcher.get(url).status == 200  # the opt-in


def test_a_name_that_resolves_to_loopback_is_refused(server: FixtureServer) -> None:
    port = server.base.rsplit(":", 1)[1]
    url = f"http://localhost:{port}/rss.xml"  # the system's resolver
    with Fetcher(STRICT) as fetcher, pytest.raises(AddressRefused, match="localhost resolves to"):
        fetcher.get(url)
    assert server.hits == []


def test_a_page_link_to_the_metadata_service_is_refused_and_never_requested(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.routes["/ssrf.xml"] = Route(
        body=(
            "<rss version='2.0'><channel><title>t</title>"
            f"<item><title>a</title><link>{server.base}/news/talks.html</link></item>"
            f"<item><title>b</title><link>{METADATA}</link></item>"
            "</channel></rss>"
        ).encode(),
        headers={"Content-Type": "application/xml"},
    )
    settings = Settings(db=tmp_path / "watch.db", detect_language=False)
    report = WatchReport()
    with Store.open(settings.db) as store, Fetcher(ONLY_THE_FIXTURE_SERVER) as fetcher:
        _poll_feeds([f"{server.base}/ssrf.xml"], store, fetcher, report)
        assert report.new_urls == 2  # the feed is allowed and read
        documents = list(_fetch_pages(store, fetcher, report, settings, max_attempts=3))
        assert [d.url for d in documents] == [f"{server.base}/news/talks.html"]  # others go on
        refused = store.watched_urls("refused")
        assert [u.url for u in refused] == [METADATA]
        assert refused[0].message is not None
        assert "169.254.169.254 is a link-local address" in refused[0].message
        # every request the fetcher sent reached the fixture server: none went elsewhere
        assert fetcher.requests == len(server.hits)
    assert report.problems == [
        f"page {METADATA}: refused: 169.254.169.254 is a link-local address, not fetched to "
        "protect internal services (--allow-private-addresses allows it)"
    ]


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        (METADATA, "169.254.169.254 is a link-local address"),
        ("http://127.0.0.2:{port}/news/talks.html", "127.0.0.2 is a loopback address"),
        ("http://intranet.test:{port}/news/talks.html", "intranet.test resolves to 10.0.0.7"),
        ("http://[::ffff:10.0.0.7]/", "::ffff:10.0.0.7 is a private address"),
    ],
)
def test_a_redirect_from_an_allowed_host_to_a_private_address_is_refused(
    server: FixtureServer, location: str, reason: str
) -> None:
    port = server.base.rsplit(":", 1)[1]
    target = location.format(port=port)
    server.routes["/moved"] = Route(status=302, headers={"Location": target})
    dns = FakeDNS({"intranet.test": ["10.0.0.7"]})
    with Fetcher(ONLY_THE_FIXTURE_SERVER, resolve=dns) as fetcher:
        with pytest.raises(AddressRefused) as refused:
            fetcher.get(f"{server.base}/moved")
        assert fetcher.requests == len(server.hits)
    assert refused.value.url == target  # the hop that was refused, named
    assert reason in str(refused.value)
    assert server.paths() == ["/robots.txt", "/moved"]  # the allowed host was asked, once


def test_a_refused_feed_is_reported_and_the_others_go_on(
    server: FixtureServer, tmp_path: Path
) -> None:
    port = server.base.rsplit(":", 1)[1]
    hostile = f"http://intranet.test:{port}/rss.xml"
    unknown = f"http://nowhere.test:{port}/rss.xml"
    dns = FakeDNS({"intranet.test": ["93.184.215.14", "10.0.0.7"]})  # one bad address is enough
    report = WatchReport()
    with (
        Store.open(tmp_path / "watch.db") as store,
        Fetcher(ONLY_THE_FIXTURE_SERVER, resolve=dns) as fetcher,
    ):
        _poll_feeds([hostile, unknown, f"{server.base}/atom.xml"], store, fetcher, report)
        state = store.feed_state(hostile)
        assert state is not None and state.status is not None
        assert state.status.startswith("error: refused: intranet.test resolves to 10.0.0.7")
    assert report.feeds_polled == 1 and report.new_urls == 2
    assert report.problems[0].startswith(
        f"feed {hostile}: refused: intranet.test resolves to 10.0.0.7, which is a private address"
    )
    assert report.problems[1].startswith(f"feed {unknown}: host nowhere.test could not be resolved")
    assert len(report.problems) == 2
    assert dns.lookups == ["intranet.test", "nowhere.test"]


def test_the_connection_goes_to_the_checked_address(server: FixtureServer) -> None:
    port = server.base.rsplit(":", 1)[1]
    dns = FakeDNS({"feeds.test": ["127.0.0.1"]})  # unknown to the system's resolver
    with Fetcher(ONLY_THE_FIXTURE_SERVER, resolve=dns) as fetcher:
        response = fetcher.get(f"http://feeds.test:{port}/rss.xml")
    assert response.status == 200 and server.paths() == ["/robots.txt", "/rss.xml"]
    assert set(dns.lookups) == {"feeds.test"}


def test_a_name_that_turns_private_after_the_check_is_refused(server: FixtureServer) -> None:
    """DNS rebinding: public for the checks before the request, private when connecting. The
    connection is made to the address checked at connection time, so it is refused there."""
    port = server.base.rsplit(":", 1)[1]
    # answers in turn: the check before the request, the one before its robots.txt request,
    # then the connection (never to the public address: nothing leaves the machine)
    dns = FakeDNS({}, answers={"rebind.test": ["93.184.215.14", "93.184.215.14", "10.0.0.7"]})
    with (
        Fetcher(ONLY_THE_FIXTURE_SERVER, resolve=dns) as fetcher,
        pytest.raises(AddressRefused, match=r"rebind\.test resolves to 10\.0\.0\.7") as refused,
    ):
        fetcher.get(f"http://rebind.test:{port}/rss.xml")
    assert dns.lookups == ["rebind.test"] * 3
    assert refused.value.url == f"http://rebind.test:{port}/robots.txt"
    assert server.hits == []


@pytest.mark.slow  # the CLI loads the spaCy model before polling
def test_cli_watch_refuses_a_loopback_feed_without_the_flag(
    server: FixtureServer, tmp_path: Path
) -> None:
    url = f"{server.base}/atom.xml"
    result = CliRunner().invoke(
        main, ["watch", url, "--db", str(tmp_path / "cli.db"), "--once", "--delay", "0"]
    )
    assert result.exit_code != 0
    assert f"feed {url}: refused: 127.0.0.1 is a loopback address" in result.stderr
    assert "--allow-private-addresses allows it" in result.stderr
    assert "no feed could be fetched" in result.stderr
    assert server.hits == []
