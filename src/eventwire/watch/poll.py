"""One round of ``watch``, and the loop of rounds.

A round: poll every feed (conditional GET; a sitemap index adds its sitemaps), record every
new article address as ``pending`` in the store, then fetch the pending addresses one by one
and code and store them through ``batch.ingest_documents``; an address is marked ``stored``
only after its document is saved. So a run that stops anywhere loses nothing (pending
addresses are fetched next time, even if the feed has dropped them) and never fetches a
stored article again. A failing feed or page is reported and the others go on; a page that
fails for a passing reason (time-out, 5xx) is tried again next round, up to ``max_attempts``
rounds; one that cannot succeed (4xx, too large, no article text) is marked ``gone``; one
robots.txt forbids, or whose host resolves to a non-global address (no SSRF; see
``fetch``), is marked ``refused`` without being requested.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from eventwire.batch import ingest_documents
from eventwire.errors import InputError
from eventwire.knowledge import Knowledge
from eventwire.models import CodedDocument, Document, FeedState
from eventwire.settings import Settings
from eventwire.store import Store
from eventwire.watch.feeds import parse_feed
from eventwire.watch.fetch import AddressRefused, Fetcher, FetchError, RobotsRefused, check_url
from eventwire.watch.pages import page_document

log = logging.getLogger(__name__)

MAX_SITEMAPS = 50
"""Sitemaps a sitemap index may add to one round (a hostile index cannot make it endless)."""


@dataclass
class WatchReport:
    """What a round (or several) did."""

    feeds_polled: int = 0
    feeds_not_modified: int = 0
    new_urls: int = 0
    pages_fetched: int = 0
    documents_stored: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)
    """One line per feed or page that failed or was refused, for the report."""

    def add(self, other: WatchReport) -> None:
        for name in (
            "feeds_polled",
            "feeds_not_modified",
            "new_urls",
            "pages_fetched",
            "documents_stored",
            "events",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems.extend(other.problems)


def _poll_feeds(feeds: Sequence[str], store: Store, fetcher: Fetcher, report: WatchReport) -> None:
    queue = list(feeds)
    added_sitemaps = 0
    while queue:
        url = queue.pop(0)
        state = store.feed_state(url) or FeedState(url=url)
        try:
            response = fetcher.get(url, etag=state.etag, last_modified=state.last_modified)
            report.feeds_polled += 1
            if response.not_modified:
                report.feeds_not_modified += 1
                store.save_feed_state(state.model_copy(update={"status": "not-modified"}))
                continue
            items = parse_feed(response.body, response.url)
        except (FetchError, ValueError) as exc:
            problem = exc.problem if isinstance(exc, FetchError) else str(exc)
            report.problems.append(f"feed {url}: {problem}")
            log.error("feed %s: %s", url, problem)
            store.save_feed_state(state.model_copy(update={"status": f"error: {problem}"}))
            continue
        new_sitemaps = [s for s in items.sitemaps if s not in queue][
            : MAX_SITEMAPS - added_sitemaps
        ]
        added_sitemaps += len(new_sitemaps)
        queue.extend(new_sitemaps)
        report.new_urls += store.add_watched_urls(url, items.articles)
        store.save_feed_state(
            FeedState(
                url=url,
                etag=response.etag,
                last_modified=response.last_modified,
                status="ok",
                n_items=len(items.articles) + len(items.sitemaps),
            )
        )


def _fetch_pages(
    store: Store,
    fetcher: Fetcher,
    report: WatchReport,
    settings: Settings,
    max_attempts: int,
) -> Iterator[Document]:
    for watched in store.urls_to_fetch(max_attempts=max_attempts):
        url = watched.url
        try:
            response = fetcher.get(check_url(url))
            report.pages_fetched += 1
            document = page_document(
                response.body,
                url,
                content_type=response.content_type,
                detect=settings.detect_language,
            )
        except RobotsRefused as exc:
            store.mark_watched_url(url, "refused", message=exc.problem)
            report.problems.append(f"page {url}: {exc.problem}")
            continue
        except AddressRefused as exc:  # a non-global address: never requested
            store.mark_watched_url(url, "refused", message=exc.problem)
            report.problems.append(f"page {url}: {exc.problem}")
            log.error("page %s: %s", url, exc.problem)
            continue
        except FetchError as exc:
            store.mark_watched_url(url, "gone" if exc.permanent else "failed", message=exc.problem)
            report.problems.append(f"page {url}: {exc.problem}")
            log.error("page %s: %s", url, exc.problem)
            continue
        except InputError as exc:  # no article text: the same page will not grow one
            store.mark_watched_url(url, "gone", message=exc.problem)
            report.problems.append(f"page {url}: {exc.problem}")
            log.error("page %s: %s", url, exc.problem)
            continue
        yield document


def watch_once(
    feeds: Sequence[str],
    store: Store,
    knowledge: Knowledge,
    settings: Settings,
    fetcher: Fetcher,
    *,
    max_attempts: int = 3,
    on_result: Callable[[CodedDocument], None] | None = None,
) -> WatchReport:
    """One round over ``feeds``: poll them, then fetch, code and store every new article."""
    report = WatchReport()
    _poll_feeds(feeds, store, fetcher, report)

    def stored(result: CodedDocument) -> None:
        document = result.document
        store.mark_watched_url(document.url or document.id, "stored", doc_key=document.key)
        report.documents_stored += 1
        report.events += len(result.events)
        if on_result is not None:
            on_result(result)

    pages = _fetch_pages(store, fetcher, report, settings, max_attempts)
    ingest_documents(pages, knowledge, settings, store, on_result=stored)
    return report


def watch_forever(
    feeds: Sequence[str],
    store: Store,
    knowledge: Knowledge,
    settings: Settings,
    fetcher: Fetcher,
    *,
    interval: float,
    rounds: int | None = None,
    on_round: Callable[[WatchReport], None] | None = None,
) -> WatchReport:
    """Rounds every ``interval`` seconds (``rounds`` of them, or until interrupted)."""
    total = WatchReport()
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        report = watch_once(feeds, store, knowledge, settings, fetcher)
        total.add(report)
        done += 1
        if on_round is not None:
            on_round(report)
        if rounds is not None and done >= rounds:
            break
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
    return total
