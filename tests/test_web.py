"""The analysts' page in a real browser: Debian's chromium driven by Playwright.

A uvicorn server runs the app on a free local port in a background thread, over a temp-file
store of hand-built events. The browser is launched from ``/usr/bin/chromium`` (never a
downloaded one), with no network besides localhost.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "no /usr/bin/chromium: install Debian's chromium to run the browser tests",
        allow_module_level=True,
    )

import uvicorn  # noqa: E402
from playwright.sync_api import (  # noqa: E402
    Browser,
    ConsoleMessage,
    Page,
    Route,
    expect,
    sync_playwright,
)

from event_builders import make_event  # noqa: E402
from eventwire.api.app import create_app  # noqa: E402
from eventwire.models import (  # noqa: E402
    CodedDocument,
    Document,
    Entity,
    Event,
    EventType,
    QuadClass,
)
from eventwire.store import Store  # noqa: E402

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

TALKS = (
    "Tehran's envoy met Russian officials in Moscow on Tuesday. "
    "Israel accused Iran of arming militias."
)
RALLIES = " ".join(f"Crowd {n} protested outside ministry {n}." for n in range(30))


def _event(
    doc_id: str,
    body: str,
    n: int,
    sentence: str,
    trigger: str,
    type: EventType,
    quad: QuadClass,
    score: float,
    actor: list[Entity],
    recipient: list[Entity],
    day: date,
) -> Event:
    return make_event(
        doc_id,
        body,
        sentence,
        trigger,
        n=n,
        type=type,
        quad=quad,
        score=score,
        actor=actor,
        recipient=recipient,
        source="WEB",
        confidence=0.9,
        date=day,
    )


def corpus() -> list[CodedDocument]:
    iran = Entity(
        text="Tehran's envoy", country="IRN", sector="GOV", kind="person", start=0, end=14
    )
    # the text names no country of theirs: the story's is a guess, and the page says so
    russia = Entity(text="officials", country="RUS", country_from_context=True, sector="GOV")
    talks = [
        _event(
            "talks",
            TALKS,
            0,
            "Tehran's envoy met Russian officials in Moscow on Tuesday.",
            "met",
            EventType.CONSULT,
            QuadClass.VERBAL_COOPERATION,
            1.0,
            [iran],
            [russia],
            date(2024, 3, 5),
        ),
        _event(
            "talks",
            TALKS,
            1,
            "Israel accused Iran of arming militias.",
            "accused",
            EventType.ACCUSE,
            QuadClass.VERBAL_CONFLICT,
            -2.0,
            [Entity(text="Israel", country="ISR")],
            [Entity(text="Iran", country="IRN")],
            date(2024, 3, 5),
        ),
    ]
    rallies = [
        _event(
            "rallies",
            RALLIES,
            n,
            f"Crowd {n} protested outside ministry {n}.",
            "protested",
            EventType.PROTEST,
            QuadClass.MATERIAL_CONFLICT,
            -6.5,
            [Entity(text=f"Crowd {n}", country="FRA", sector="CVL")],
            [],
            date(2023, 1 + n % 12, 10),
        )
        for n in range(30)
    ]
    return [
        CodedDocument(
            document=Document(id="talks", source="WEB", title="Envoy in Moscow", body=TALKS),
            events=talks,
        ),
        CodedDocument(
            document=Document(id="rallies", source="WEB", title="Rallies", body=RALLIES),
            events=rallies,
        ),
        # the print view of the talks article: a near-duplicate, without events (#10)
        CodedDocument(
            document=Document(id="talks-print", source="PRINT", title="Envoy (print)", body=TALKS)
        ),
    ]


TOKEN = "web-test-token"


@dataclass
class Site:
    url: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    path = tmp_path_factory.mktemp("web") / "events.db"
    with Store.open(path) as store:
        for item in [*corpus(), *hostile_documents()]:
            store.save(item)
    port = _free_port()
    app = create_app(path, token=TOKEN, allowed_hosts=["127.0.0.1"])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start within 20 s"
        time.sleep(0.05)
    yield Site(url=f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message: ConsoleMessage) -> None:
        # The browser logs every 4xx fetch; a 422 for a bad filter is expected and shown.
        # Content-Security-Policy refusals are what the XSS test provokes on purpose.
        expected = ("status of 422", "Content Security Policy")
        if message.type == "error" and not any(e in message.text for e in expected):
            errors.append(message.text)

    page.on("console", on_console)
    # Offline: any request that leaves the test server fails the test.
    outside: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(site.url) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    # The link `eventwire serve` prints carries the write token in the fragment.
    page.goto(f"{site.url}/#token={TOKEN}")
    expect(page.locator("body")).to_have_attribute("data-loading", "false")
    yield page
    page.close()
    assert outside == [], f"the page fetched from outside: {outside}"
    assert errors == [], f"browser errors: {errors}"


def hostile_documents() -> list[CodedDocument]:
    """Documents without events, as an older database may hold them (#9)."""
    return [
        CodedDocument(
            document=Document(
                id="evil",
                source="a/b",
                title="Evil link",
                body="A page whose link runs a script.",
                url="javascript:window.__pwned=3",
            )
        ),
        CodedDocument(
            document=Document(
                id="good", source="WEB", title="Good link", body="A page.", url="https://e.org/1"
            )
        ),
    ]


def open_document(page: Page, source: str, doc_id: str) -> None:
    page.evaluate(
        "([source, id]) => { location.hash = new URLSearchParams("
        "{open: `${encodeURIComponent(source)}/${id}`}).toString(); }",
        [source, doc_id],
    )


def row_ids(page: Page) -> list[str]:
    return page.locator("#event-rows tr[data-event-id]").evaluate_all(
        "rows => rows.map(r => r.dataset.eventId)"
    )


def test_filter_by_actor_shows_matching_rows_and_chart(page: Page) -> None:
    expect(page.locator("#page-info")).to_have_text("1–25 of 32")
    page.fill("input[name=actor]", "IRN")
    page.click("#apply")
    expect(page.locator("#page-info")).to_have_text("1–1 of 1")
    assert row_ids(page) == ["ev-talks-0"]
    row = page.locator("#event-rows tr").first
    expect(row.locator(".type-tag")).to_have_text("CONSULT")
    expect(row.locator("mark.trigger")).to_have_text("met")
    expect(row.locator("td.participants").first).to_contain_text("IRNGOV")
    assert "actor=IRN" in page.evaluate("location.hash")
    bars = page.locator("#chart svg rect.bar")
    expect(bars).to_have_count(1)
    assert bars.first.get_attribute("data-period") == "2024-03"
    assert bars.first.get_attribute("data-quad") == "verbal_cooperation"
    assert float(bars.first.get_attribute("height") or 0) > 0
    expect(page.locator("#chart svg circle.score-dot")).to_have_count(1)


def test_a_country_guessed_from_the_context_is_marked(page: Page) -> None:
    page.fill("input[name=actor]", "IRN")
    page.click("#apply")
    expect(page.locator("#page-info")).to_have_text("1–1 of 1")
    envoy, officials = page.locator("#event-rows tr").first.locator("td.participants .code").all()
    assert "guessed" not in (envoy.get_attribute("class") or "")
    expect(officials).to_have_class("code guessed")
    assert "country not said" in (officials.get_attribute("title") or "")


def test_chart_and_paging_for_all_events(page: Page) -> None:
    # Rallies in every month of 2023 (one quad class), then talks and an accusation in
    # March 2024 (two classes): 14 bar segments over 15 months.
    expect(page.locator("#chart svg rect.bar")).to_have_count(14)
    expect(page.locator("#chart svg text.axis.bottom").first).to_have_text("2023-01")
    assert row_ids(page)[0] == "ev-rallies-0"
    page.click("#next")
    expect(page.locator("#page-info")).to_have_text("26–32 of 32")
    assert row_ids(page)[-1] == "ev-talks-1"
    expect(page.locator("#next")).to_be_disabled()
    page.go_back()
    expect(page.locator("#page-info")).to_have_text("1–25 of 32")


def test_bad_filter_shows_the_api_message(page: Page) -> None:
    page.fill("input[name=since]", "2024-05-01")
    page.fill("input[name=until]", "2024-01-01")
    page.click("#apply")
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error")).to_contain_text("after until")


def test_document_view_highlights_the_evidence(page: Page) -> None:
    page.fill("input[name=actor]", "Israel")
    page.select_option("select[name=type]", "ACCUSE")
    page.click("#apply")
    expect(page.locator("#page-info")).to_have_text("1–1 of 1")
    page.locator("#event-rows a.open-doc").click()
    panel = page.locator("#document")
    expect(panel).to_be_visible()
    expect(page.locator("#doc-title")).to_have_text("Envoy in Moscow")
    assert page.locator("#doc-body").inner_text() == TALKS
    triggers = page.locator("#doc-body mark.trigger").all_inner_texts()
    assert triggers == ["met", "accused"]
    focused = "".join(page.locator("#doc-body mark.evidence.focus").all_inner_texts())
    assert focused == "Israel accused Iran of arming militias."
    expect(page.locator("#doc-events tr.focus")).to_have_attribute("data-event-id", "ev-talks-1")
    page.click("#close-document")
    expect(panel).to_be_hidden()


def test_document_view_lists_related_documents(page: Page) -> None:
    page.fill("input[name=actor]", "Israel")
    page.click("#apply")
    expect(page.locator("#page-info")).to_have_text("1–1 of 1")  # the filter has applied
    page.locator("#event-rows a.open-doc").first.click()
    related = page.locator("#doc-related li")
    expect(related).to_have_count(1)
    expect(related).to_contain_text("Envoy (print)")
    expect(related).to_contain_text("near-duplicate")
    page.locator("#doc-related a.related-doc").click()
    expect(page.locator("#doc-title")).to_have_text("Envoy (print)")
    expect(page.locator("#doc-related li")).to_contain_text("Envoy in Moscow")


def test_review_button_saves_the_verdict(page: Page, site: Site) -> None:
    page.fill("#reviewer", "tester")
    page.dispatch_event("#reviewer", "change")
    page.fill("input[name=actor]", "IRN")
    page.click("#apply")
    expect(page.locator("#page-info")).to_have_text("1–1 of 1")
    row = page.locator("#event-rows tr[data-event-id=ev-talks-0]")
    row.locator("input.note").fill("a courtesy call")
    row.locator("button[data-verdict=wrong]").click()
    expect(row.locator(".verdict")).to_have_attribute("data-verdict", "wrong")
    expect(page.locator("#stats")).to_contain_text("1 reviewed")

    saved = httpx.get(f"{site.url}/api/events/ev-talks-0/reviews").json()
    assert [(r["verdict"], r["note"], r["reviewer"]) for r in saved["items"]] == [
        ("wrong", "a courtesy call", "tester")
    ]
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-loading", "false")
    reloaded = page.locator("#event-rows tr[data-event-id=ev-talks-0] .verdict")
    expect(reloaded).to_have_text("wrong")


def test_token_leaves_the_address_bar(page: Page) -> None:
    assert "token" not in page.evaluate("location.href")
    assert page.evaluate("sessionStorage.getItem('eventwire.token')") == TOKEN


def test_review_without_token_is_refused_and_says_why(browser: Browser, site: Site) -> None:
    page = browser.new_page()
    page.goto(site.url + "/")
    expect(page.locator("body")).to_have_attribute("data-loading", "false")
    row = page.locator("#event-rows tr[data-event-id=ev-rallies-0]")
    row.locator("button[data-verdict=unsure]").click()
    expect(page.locator("#error")).to_contain_text("token")
    saved = httpx.get(f"{site.url}/api/events/ev-rallies-0/reviews").json()
    assert saved["items"] == []
    page.close()


def test_script_links_are_not_rendered_and_inline_script_is_blocked(page: Page) -> None:
    # Regression (#9): a stored javascript: url became the document's "original" link.
    open_document(page, "a/b", "evil")
    expect(page.locator("#doc-title")).to_have_text("Evil link")
    expect(page.locator("#doc-meta a")).to_have_count(0)
    # Even markup with script that got into the page would not run: the CSP forbids it.
    page.evaluate(
        """() => {
        const a = document.createElement('a');
        a.href = 'javascript:window.__pwned=1'; a.id = 'bad'; a.textContent = 'x';
        document.body.append(a);
        const markup = '<img src="data:," onerror="window.__pwned=2">';
        document.body.insertAdjacentHTML('beforeend', markup);
    }"""
    )
    page.click("#bad")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    open_document(page, "WEB", "good")
    expect(page.locator("#doc-title")).to_have_text("Good link")
    expect(page.locator("#doc-meta a")).to_have_attribute("href", "https://e.org/1")


def test_security_headers_and_foreign_hosts(site: Site) -> None:
    response = httpx.get(site.url + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    rebound = httpx.get(site.url + "/api/stats", headers={"Host": "attacker.example"})
    assert rebound.status_code == 400
