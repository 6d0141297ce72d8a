"""``eventwire serve`` as a user runs it: a real process, a real port, real HTTP (#9)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eventwire.models import CodedDocument, Document
from eventwire.store import Store

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "events.db"
    with Store.open(path) as store:
        store.save(CodedDocument(document=Document(id="d1", source="S", body="Text.")))
    return path


def _serve(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "eventwire", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def server(db: Path) -> Iterator[tuple[str, str]]:
    """A server started without a token: it makes one and prints it once."""
    port = _free_port()
    process = _serve(["--db", str(db), "--port", str(port)], env={"EVENTWIRE_TOKEN": ""})
    assert process.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while not any("serving" in line for line in lines):
        assert time.monotonic() < deadline, f"serve did not start: {lines}"
        line = process.stderr.readline()
        assert line or process.poll() is None, f"serve stopped: {lines}"
        lines.append(line)
    tokens = [
        m.group(1) for line in lines if (m := re.search(r"token \(shown once\): (\S+)", line))
    ]
    assert len(tokens) == 1, lines
    assert any(f"#token={tokens[0]}" in line for line in lines)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            httpx.get(url + "/api/stats", timeout=1)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline, "server did not answer"
            time.sleep(0.1)
    yield url, tokens[0]
    process.terminate()
    process.wait(timeout=10)


def test_generated_token_guards_writes_and_reads_stay_open(server: tuple[str, str]) -> None:
    url, token = server
    assert httpx.get(url + "/api/stats").json()["documents"] == 1
    review = {"verdict": "correct"}
    assert httpx.post(url + "/api/events/ev-x/reviews", json=review).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert (
        httpx.post(url + "/api/events/ev-x/reviews", json=review, headers=wrong).status_code == 401
    )
    right = {"Authorization": f"Bearer {token}"}
    # Authorised: now the request reaches the route, which finds no such event.
    assert (
        httpx.post(url + "/api/events/ev-x/reviews", json=review, headers=right).status_code == 404
    )
    rebound = httpx.get(url + "/api/stats", headers={"Host": "evil.example:8000"})
    assert rebound.status_code == 400
    assert httpx.get(url + "/api/stats", headers={"Host": "localhost"}).status_code == 200


def test_non_loopback_bind_needs_an_explicit_token(db: Path) -> None:
    process = _serve(
        ["--db", str(db), "--host", "0.0.0.0", "--port", str(_free_port())],
        env={"EVENTWIRE_TOKEN": ""},
    )
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert stderr.strip().splitlines() == [
        "Error: serving on 0.0.0.0, which other machines can reach, needs an explicit token: "
        "give --token or set EVENTWIRE_TOKEN"
    ]
