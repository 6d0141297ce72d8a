"""Article addresses from a feed: RSS or Atom (feedparser), or an XML sitemap (a list of
pages, or an index of further sitemaps). Only absolute http(s) addresses come out."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class FeedItems:
    """What one feed lists: article addresses, and (for a sitemap index) more sitemaps."""

    articles: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    kind: str = "feed"
    """``rss``/``atom`` (feedparser's version), ``sitemap`` or ``sitemapindex``."""


def _absolute(base: str, href: str | None) -> str | None:
    if not href:
        return None
    url = urljoin(base, href.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts._replace(fragment="").geturl()


def _unique(urls: list[str | None]) -> list[str]:
    return list(dict.fromkeys(url for url in urls if url))


def _sitemap(content: bytes, base: str) -> FeedItems | None:
    """A sitemap's addresses, or None if the content is not a sitemap."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError:
        return None
    tag = etree.QName(root).localname if isinstance(root.tag, str) else ""
    if tag not in ("urlset", "sitemapindex"):
        return None
    locs = [
        _absolute(base, loc.text)
        for loc in root.iter(f"{_SITEMAP_NS}loc", "loc")
        if isinstance(loc.tag, str)
    ]
    if tag == "sitemapindex":
        return FeedItems(sitemaps=_unique(locs), kind="sitemapindex")
    return FeedItems(articles=_unique(locs), kind="sitemap")


def parse_feed(content: bytes, base: str) -> FeedItems:
    """The addresses ``content`` (fetched from ``base``) lists, in the feed's order.

    Raises ``ValueError`` when the content is neither a feed nor a sitemap.
    """
    sitemap = _sitemap(content, base)
    if sitemap is not None:
        return sitemap
    parsed = feedparser.parse(content, response_headers={"content-location": base})
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise ValueError(f"not an RSS/Atom feed or a sitemap{f' ({problem})' if problem else ''}")
    links = [_absolute(base, entry.get("link")) for entry in parsed.entries]
    return FeedItems(articles=_unique(links), kind=str(parsed.get("version") or "feed"))
