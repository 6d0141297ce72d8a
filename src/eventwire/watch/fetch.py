"""A polite, defensive HTTP client for ``watch``.

Polite: robots.txt obeyed (RFC 9309: a missing file allows everything, a server error
disallows the host for the run), one request at a time per host with at least
``FetchPolicy.delay`` seconds between them (more if robots.txt asks a crawl-delay), a
User-Agent naming eventwire, conditional GET, retries with exponential backoff on
connection errors, 429 and 5xx. Defensive: only http and https, every redirect hop checked
like the first request, bodies read in chunks and cut off at ``max_bytes``, timeouts.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

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
    return parts._replace(fragment="").geturl()


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = 0.0
    robots: RobotFileParser | None = None
    refuse_all: bool = False


class Fetcher:
    """One client for a run: per-host pacing and robots.txt are kept between requests."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._client = httpx.Client(
            headers={"User-Agent": self.policy.user_agent},
            timeout=self.policy.timeout,
            follow_redirects=False,
            trust_env=False,
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
