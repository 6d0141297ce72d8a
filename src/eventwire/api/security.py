"""Who may write, which hosts are served, and what the page may run (#9).

- Writes (any method but GET, HEAD and OPTIONS) need ``Authorization: Bearer <token>``;
  without the right token they get ``401``. Reads stay open.
- Requests whose ``Host`` is not one of the served names get ``400``, so a page on another
  site cannot reach the server through DNS rebinding.
- Every response carries a Content-Security-Policy that allows scripts, styles and requests
  from the server itself only: no inline script, no ``javascript:`` links, nothing from the
  network.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


def new_token() -> str:
    """A fresh random write token (URL-safe, 32 bytes of randomness)."""
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or name to listen on) is only reachable from this machine."""
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def served_hosts(host: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The ``Host`` names to accept when listening on ``host``.

    Loopback addresses accept the loopback names; a wildcard address (``0.0.0.0``, ``::``)
    accepts the machine's own names; any other address accepts itself. ``extra`` adds names
    (``serve --allowed-host``).
    """
    name = host.strip("[]")
    names = {name, *LOOPBACK_NAMES} if is_loopback(name) else {name}
    if name in ("0.0.0.0", "::"):
        names |= {socket.gethostname(), socket.getfqdn(), *LOOPBACK_NAMES}
    names |= {h.strip().lower() for h in extra if h.strip()}
    return tuple(sorted(n.lower() for n in names))


def _host_name(header: str) -> str:
    """The host part of a ``Host`` header (``[::1]:8000`` -> ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class SecurityMiddleware:
    """Trusted hosts, the write token and the security headers, for every request."""

    def __init__(self, app: ASGIApp, *, token: str | None, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.token = token
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        response: Response
        if _host_name(headers.get("host", "")) not in self.allowed_hosts:
            response = PlainTextResponse("Invalid host header", status_code=400)
            await response(scope, receive, send_with_headers)
            return
        if scope["method"] not in READ_METHODS and not self._authorised(headers):
            response = JSONResponse(
                {"detail": "writing needs the server's token: Authorization: Bearer <token>"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _authorised(self, headers: Headers) -> bool:
        if self.token is None:
            return False
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(given.strip().encode(), self.token.encode())
