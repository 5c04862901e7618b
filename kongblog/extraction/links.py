"""What each link of a listing page points to, by its URL alone. Of a listing at ``/blog/engineering``
on the crawled host: ``post`` is ``/blog/engineering/<slug>``; ``page`` the listing or its
``/page/N``; ``author`` a path with an ``/author/``-like segment; ``category`` ``/blog`` or
``/blog/<other>``; ``other`` anything else."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from kongblog.urls import listing_path, page_suffix, post_url_of

POST, PAGE, AUTHOR, CATEGORY, OTHER = "post", "page", "author", "category", "other"
NO_SLUG = "no slug"  # a link where a post's would be, whose last segment is no slug once decoded

AUTHOR_PATH = re.compile(r"/(?:author|authors|people|team|profile|profiles|contributors?|writers?)/", re.IGNORECASE)
_PAGE_SUFFIX = re.compile(r"^page/(\d{1,9})$")


@dataclass(frozen=True)
class Link:
    kind: str
    absolute: str
    post: str | None = None  # the post's identity: its URL without a trailing slash (kind post)
    url: str | None = None  # the post URL as the site writes it, canonical but for its trailing slash (kind post)
    slug: str | None = None  # decoded, NFC (kind post)
    page: int | None = None  # page number (kind page)


class LinkResolver:
    """Resolves and classifies the hrefs of a listing's pages, each against the page it is on.

    Root-relative and absolute hrefs mean the same on every page, which repeats the site's navigation
    and a card's link three times: they are resolved once per crawl (up to ``KEEP`` of them). Resolving
    is a third of reading a listing: this saves about a tenth of a crawl's CPU (docs/benchmarks.md)."""

    KEEP = 20_000

    def __init__(self, listing_url: str) -> None:
        self.netloc = urlsplit(listing_url).netloc.lower()
        self.listing = listing_path(listing_url).rstrip("/")
        self.blog, _, self.category_slug = self.listing.rpartition("/")  # "/blog", "engineering"
        self.page_url = listing_url
        self.second_page = 2  # the N of /page/N that is the second page: 1 on some sites (Nikola)
        self._known: dict[str, Link] = {}

    def on_page(self, page_url: str) -> LinkResolver:
        """This resolver, for the hrefs of the page at ``page_url``."""
        self.page_url = page_url
        return self

    def second_page_is(self, suffix: int) -> None:
        """The site calls its second page ``/page/<suffix>``: every page number is read again."""
        self.second_page, self._known = suffix, {}

    def page_number(self, url: str) -> int:
        """The listing page (1, 2, ...) a page URL is."""
        suffix = page_suffix(url)
        return 1 if suffix is None else suffix + 2 - self.second_page

    def resolve(self, href: str) -> Link:
        link = self._known.get(href)
        if link is None:
            link = self._resolve(href)
            stripped = href.strip()
            if stripped.startswith("/") and not stripped.startswith("//") or "://" in stripped:
                if len(self._known) >= self.KEEP:
                    self._known.clear()
                self._known[href] = link
        return link

    def _resolve(self, href: str) -> Link:
        try:
            absolute = urljoin(self.page_url, href.strip())
            parts = urlsplit(absolute)
        except ValueError:
            return Link(OTHER, href)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != self.netloc:
            return Link(OTHER, absolute)  # mail, phone, scripts, other hosts
        path = parts.path.rstrip("/")
        if path == self.listing:
            return Link(PAGE, absolute, page=1)
        rest = path.removeprefix(self.listing + "/")
        if rest != path:
            if page := _PAGE_SUFFIX.match(rest):
                return Link(PAGE, absolute, page=int(page.group(1)) + 2 - self.second_page)
            if "/" not in rest and rest != "page":
                if found := post_url_of(parts):
                    url, slug = found
                    return Link(POST, absolute, post=url.removesuffix("/"), url=url, slug=slug)
                return Link(NO_SLUG, absolute)
        if AUTHOR_PATH.search(path + "/"):
            return Link(AUTHOR, absolute)
        child = path.removeprefix(self.blog + "/")
        is_child = child != path and child and "/" not in child and child not in ("tag", "tags", "page", "search")
        if self.blog and (path == self.blog or is_child):
            return Link(CATEGORY, absolute)
        return Link(OTHER, absolute)
