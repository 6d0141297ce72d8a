"""A polite, defensive HTTP client for ``watch``.

Polite: robots.txt obeyed (RFC 9309: a missing file allows everything, a server error
disallows the host for the run), one request at a time per host with at least
``FetchPolicy.delay`` seconds between them (more if robots.txt asks a crawl-delay), a
User-Agent naming eventwire, conditional GET, retries with exponential backoff on
connection errors, 429 and 5xx. Defensive: only http and https, every redirect hop checked
like the first request, bodies read in chunks and cut off at ``max_bytes``, timeouts.

No server-side request forgery: before every request (robots.txt, each retry and each
redirect hop) the host is resolved and refused unless every address it resolves to is
globally routable (not loopback, private, link-local, multicast, reserved, unspecified,
shared or an IPv4 address mapped or embedded in IPv6), so a hostile feed cannot point eventwire
at internal services. ``FetchPolicy.allow_private_addresses`` (``--allow-private-addresses``)
lifts that for intranet feeds; ``FetchPolicy.allowed_networks`` lifts it for given networks
only. The connection itself is made to an address that was checked (httpx's connections go
through ``_CheckedBackend``), so a name that resolves to a public address for the check and to
a private one a moment later (DNS rebinding) gains nothing. The resolver is a parameter of
``Fetcher`` (tests name hosts without DNS).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from eventwire import __version__
from eventwire.errors import EventwireError

log = logging.getLogger(__name__)

USER_AGENT = f"eventwire/{__version__} (+https://github.com/eventwire/eventwire; news event coder)"
ROBOTS_AGENT = "eventwire"
_SCHEMES = frozenset({"http", "https"})
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class FetchError(EventwireError):
    """A feed or page could not be fetched (the run reports it and goes on)."""

    def __init__(self, url: str, problem: str, *, permanent: bool = False) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem
        self.permanent = permanent
        """Trying again will not help (HTTP 4xx, too large, not http)."""


class RobotsRefused(FetchError):
    """robots.txt does not allow eventwire to fetch this address."""


class AddressRefused(FetchError):
    """The host resolves to a non-global address (loopback, private, link-local, ...): not
    fetched unless private addresses are allowed (a hostile feed must not reach internal
    services)."""


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
"""``(host, port)`` -> the addresses a connection to it may use."""


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses ``socket.getaddrinfo`` gives for ``host`` (what httpx will connect to)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched from (``"loopback"``, ``"private"``, ...), or None
    for a globally routable address. An IPv4 address mapped or embedded in IPv6 is judged as
    itself."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return address_problem(embedded)
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    )
    for name, hit in checks:
        if hit:
            return name
    if not address.is_global:
        return "non-global"
    return None


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and defensively to fetch."""

    delay: float = 1.0
    """Seconds between two requests to one host (at least)."""
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    """A longer body is refused, not truncated (a truncated feed or page is wrong)."""
    retries: int = 2
    backoff: float = 1.0
    """Seconds before the first retry; doubled each time (and at least Retry-After, capped)."""
    max_redirects: int = 5
    max_crawl_delay: float = 60.0
    user_agent: str = USER_AGENT
    allow_private_addresses: bool = False
    """Fetch from hosts that resolve to loopback, private, link-local and other non-global
    addresses (intranet feeds, tests). Off: such hosts are refused (no SSRF)."""
    allowed_networks: tuple[str, ...] = ()
    """Networks (``10.1.2.0/24``, ``127.0.0.1/32``) fetched from although not global."""

    def __post_init__(self) -> None:
        for network in self.allowed_networks:
            ipaddress.ip_network(network, strict=False)  # ValueError for a bad one


@dataclass(frozen=True)
class Response:
    """A complete response: final address, status, body and the validators we keep."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None
    """Where a redirect points."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """The address if it is an absolute http(s) URL with a host; else ``FetchError``."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in _SCHEMES:
        raise FetchError(
            url, f"only http and https addresses are fetched, not {parts.scheme!r}", permanent=True
        )
    if not parts.hostname:
        raise FetchError(url, "no host in the address", permanent=True)
    try:
        parts.port  # noqa: B018 (a bad port raises)
    except ValueError as exc:
        raise FetchError(url, f"bad address ({exc})", permanent=True) from exc
    return parts._replace(fragment="").geturl()


class _Refused(Exception):
    """Raised inside httpx's connection code; ``Fetcher._send`` turns it into AddressRefused."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(error.problem)
        self.error = error


class _CheckedBackend(httpcore.NetworkBackend):
    """httpx's TCP connections, made only to addresses the fetcher's check accepted (the
    checked address is connected to, not the name resolved again). TLS still verifies the
    host name: httpcore passes it as ``server_hostname``."""

    def __init__(self, fetcher: Fetcher) -> None:
        self._fetcher = fetcher
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if self._fetcher.policy.allow_private_addresses:
            return self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            addresses = self._fetcher.checked_addresses(f"//{host}:{port}", host, port)
        except FetchError as exc:
            raise _Refused(exc) from None
        problem: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                problem = exc
        assert problem is not None
        raise problem

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = 0.0
    robots: RobotFileParser | None = None
    refuse_all: bool = False


class Fetcher:
    """One client for a run: per-host pacing and robots.txt are kept between requests.

    ``resolve`` gives a host's addresses for the address check (default: the system's
    resolver); tests pass their own to name hosts without DNS.
    """

    def __init__(
        self, policy: FetchPolicy | None = None, *, resolve: Resolver | None = None
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._resolve = resolve or system_resolver
        self._allowed = [
            ipaddress.ip_network(network, strict=False) for network in self.policy.allowed_networks
        ]
        transport = httpx.HTTPTransport(trust_env=False)
        pool = getattr(transport, "_pool", None)
        if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
            raise RuntimeError("this httpx version cannot be given a checked network backend")
        pool._network_backend = _CheckedBackend(self)
        self._client = httpx.Client(
            headers={"User-Agent": self.policy.user_agent},
            timeout=self.policy.timeout,
            follow_redirects=False,
            trust_env=False,
            transport=transport,
        )
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.requests = 0
        """Requests sent (robots.txt included): for reports and tests."""

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """GET ``url`` politely; 304 comes back as a response, other failures raise."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = check_url(url)
        for _ in range(self.policy.max_redirects + 1):
            self.check_address(current)
            self._check_robots(current)
            response = self._request(current, headers)
            if response.status in (301, 302, 303, 307, 308):
                if not response.location:
                    raise FetchError(current, f"HTTP {response.status} without a Location")
                current = check_url(urljoin(current, response.location))
                continue
            if response.status == 304 or 200 <= response.status < 300:
                return response
            raise FetchError(
                current, f"HTTP {response.status}", permanent=400 <= response.status < 500
            )
        raise FetchError(url, f"more than {self.policy.max_redirects} redirects")

    # -- the address check (no SSRF)

    def check_address(self, url: str) -> None:
        """Refuse (``AddressRefused``) ``url`` if its host resolves to any non-global address,
        unless the policy allows it; ``FetchError`` if the host cannot be resolved."""
        if self.policy.allow_private_addresses:
            return
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        self.checked_addresses(url, host, port)

    def checked_addresses(self, url: str, host: str, port: int) -> list[IPAddress]:
        """The addresses of ``host``, all of them allowed (else ``AddressRefused``)."""
        addresses = self._addresses(url, host, port)
        for address in addresses:
            problem = address_problem(address)
            if problem is None or any(address in network for network in self._allowed):
                continue
            named = host if _is_address(host) else f"{host} resolves to {address}, which"
            article = "an" if problem[0] in "aeiou" else "a"
            raise AddressRefused(
                url,
                f"refused: {named} is {article} {problem} address, not fetched to protect"
                " internal services (--allow-private-addresses allows it)",
                permanent=True,
            )
        return addresses

    def _addresses(self, url: str, host: str, port: int) -> list[IPAddress]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass  # a name, not an address literal
        try:
            found = self._resolve(host, port)
            addresses = [ipaddress.ip_address(a.split("%")[0]) for a in found]
        except (OSError, UnicodeError, ValueError) as exc:
            raise FetchError(url, f"host {host} could not be resolved ({exc})") from exc
        if not addresses:
            raise FetchError(url, f"host {host} could not be resolved (no address)")
        return addresses

    # -- robots.txt

    def _host(self, url: str) -> tuple[str, _Host]:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        with self._hosts_lock:
            return key, self._hosts.setdefault(key, _Host())

    def _check_robots(self, url: str) -> None:
        key, host = self._host(url)
        if host.robots is None and not host.refuse_all:
            self._load_robots(key, host)
        if host.refuse_all:
            raise RobotsRefused(url, "robots.txt could not be read (server error): host skipped")
        assert host.robots is not None
        if not host.robots.can_fetch(ROBOTS_AGENT, url):
            raise RobotsRefused(url, "disallowed by robots.txt")

    def _load_robots(self, key: str, host: _Host) -> None:
        robots = RobotFileParser(key + "/robots.txt")
        try:
            response = self._request(key + "/robots.txt", {}, max_bytes=500_000)
        except AddressRefused:
            raise
        except FetchError as exc:
            log.warning("%s/robots.txt: %s; not fetching from this host", key, exc.problem)
            host.refuse_all = True
            return
        if response.status >= 500:
            host.refuse_all = True
            return
        if 200 <= response.status < 300:
            robots.parse(response.body.decode("utf-8", errors="replace").splitlines())
        else:  # 3xx left unfollowed, 4xx: no usable rules, everything is allowed
            robots.parse([])
        host.robots = robots

    # -- one request, paced and retried

    def _wait_turn(self, host: _Host) -> None:
        delay = self.policy.delay
        if host.robots is not None:
            asked = host.robots.crawl_delay(ROBOTS_AGENT)
            if asked:
                delay = max(delay, min(float(asked), self.policy.max_crawl_delay))
        wait = host.last + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def _request(
        self, url: str, headers: dict[str, str], *, max_bytes: int | None = None
    ) -> Response:
        _, host = self._host(url)
        limit = max_bytes or self.policy.max_bytes
        backoff = self.policy.backoff
        problem = ""
        for attempt in range(self.policy.retries + 1):
            self.check_address(url)  # again: an answer from DNS may change between attempts
            with host.lock:  # one request at a time per host
                self._wait_turn(host)
                try:
                    response, retry_after = self._send(url, headers, limit)
                except httpx.HTTPError as exc:
                    response, retry_after = None, None
                    problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                finally:
                    host.last = time.monotonic()
            if response is not None and response.status not in _RETRY_STATUS:
                return response
            if response is not None:
                problem = f"HTTP {response.status}"
            if attempt < self.policy.retries:
                pause = max(backoff, min(retry_after or 0.0, self.policy.max_crawl_delay))
                log.info("%s: %s; retrying in %.1fs", url, problem, pause)
                time.sleep(pause)
                backoff *= 2
        raise FetchError(url, problem)

    def _send(self, url: str, headers: dict[str, str], limit: int) -> tuple[Response, float | None]:
        self.requests += 1
        try:
            return self._read(url, headers, limit)
        except _Refused as refused:  # the check at connection time (the name changed address)
            raise type(refused.error)(
                url, refused.error.problem, permanent=refused.error.permanent
            ) from None

    def _read(self, url: str, headers: dict[str, str], limit: int) -> tuple[Response, float | None]:
        with self._client.stream("GET", url, headers=headers) as raw:
            declared = raw.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(
                    url, f"body of {declared} bytes is over the {limit}-byte limit", permanent=True
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in raw.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(url, f"body over the {limit}-byte limit", permanent=True)
                chunks.append(chunk)
            retry_after = raw.headers.get("retry-after", "")
            return (
                Response(
                    url=url,
                    status=raw.status_code,
                    body=b"".join(chunks),
                    content_type=raw.headers.get("content-type", ""),
                    location=raw.headers.get("location"),
                    etag=raw.headers.get("etag"),
                    last_modified=raw.headers.get("last-modified"),
                ),
                float(retry_after) if retry_after.isdigit() else None,
            )
