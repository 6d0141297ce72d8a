"""A real HTTP server on 127.0.0.1 serving the fixture feeds and pages of tests/data/watch
(for the ``watch`` tests: no internet, no mocks). Every request is logged."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).parent / "data" / "watch"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    fail_first: int = 0
    """Answer 503 this many times before answering properly (retries)."""


@dataclass(frozen=True)
class Hit:
    path: str
    at: float
    user_agent: str
    if_none_match: str | None
    status: int


class FixtureServer:
    """``with FixtureServer() as server:`` serves at ``server.base`` until the block ends."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._active = 0
        self.max_parallel = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._load()

    def _load(self) -> None:
        xml = {"Content-Type": "application/xml"}
        for name in ("rss.xml", "atom.xml", "sitemap_index.xml", "sitemap-news.xml", "evil.xml"):
            body = (DATA / name).read_text("utf-8").replace("{base}", self.base).encode()
            self.routes[f"/{name}"] = Route(body=body, headers=xml)
        self.routes["/rss.xml"].etag = '"rss-1"'
        self.routes["/robots.txt"] = Route(body=(DATA / "robots.txt").read_bytes())
        html = {"Content-Type": "text/html; charset=utf-8"}
        for page in ("talks", "floods", "turkey", "sanctions"):
            self.routes[f"/news/{page}.html"] = Route(
                body=(DATA / f"{page}.html").read_bytes(), headers=html
            )
        self.routes["/private/memo.html"] = Route(body=(DATA / "memo.html").read_bytes())
        self.routes["/news/huge.html"] = Route(body=b"<p>" + b"x" * 3_000_000 + b"</p>")
        self.routes["/broken.xml"] = Route(status=500, body=b"oops")
        self.routes["/redirect-file"] = Route(
            status=302, headers={"Location": "file:///etc/passwd"}
        )
        self.routes["/redirect-page"] = Route(status=301, headers={"Location": "/news/talks.html"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server._active += 1
                    server.max_parallel = max(server.max_parallel, server._active)
                try:
                    self._answer()
                finally:
                    with server._lock:
                        server._active -= 1

            def _answer(self) -> None:
                path = self.path.split("?")[0]
                route = server.routes.get(path, Route(status=404, body=b"not found"))
                status, body = route.status, route.body
                if route.fail_first > 0:
                    route.fail_first -= 1
                    status, body = 503, b"busy"
                tag = self.headers.get("If-None-Match")
                if route.etag and tag == route.etag and status == 200:
                    status, body = 304, b""
                time.sleep(0.01)  # long enough for overlapping requests to show
                server.hits.append(
                    Hit(path, time.monotonic(), self.headers.get("User-Agent", ""), tag, status)
                )
                self.send_response(status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # the client may stop reading (a size limit): that is the point
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def __enter__(self) -> FixtureServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
