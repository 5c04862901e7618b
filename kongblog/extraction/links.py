"""What each link of a listing page points to, by its URL alone. Of a listing at ``/blog/engineering``
on the crawled host: ``post`` is ``/blog/engineering/<slug>``; ``page`` the listing or its
``/page/N``; ``author`` a path with an ``/author/``-like segment; ``category`` ``/blog`` or
``/blog/<other>``; ``other`` anything else."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kongblog.urls import canonical_post_url_of, join_and_split, listing_path

POST, PAGE, AUTHOR, CATEGORY, OTHER = "post", "page", "author", "category", "other"

AUTHOR_PATH = re.compile(r"/(?:author|authors|people|team|profile|profiles|contributors?|writers?)/", re.IGNORECASE)
_PAGE_SUFFIX = re.compile(r"^page/(\d{1,9})$")


@dataclass(frozen=True)
class Link:
    kind: str
    absolute: str
    post: str | None = None  # canonical post URL (kind post)
    page: int | None = None  # page number (kind page)


class LinkResolver:
    """Resolves and classifies the hrefs of a listing's pages. Root-relative and absolute hrefs mean
    the same on every page (which repeats the site's navigation): they are classified once per crawl
    (up to ``KEEP`` of them), the others once per page (docs/benchmarks.md)."""

    KEEP = 20_000

    def __init__(self, listing_url: str) -> None:
        self.netloc = urlsplit(listing_url).netloc.lower()
        self.listing = listing_path(listing_url).rstrip("/")
        self.blog, _, self.category_slug = self.listing.rpartition("/")  # "/blog", "engineering"
        self._known: dict[str, Link] = {}
        self._page_url = listing_url
        self._on_page: dict[str, Link] = {}

    def on_page(self, page_url: str) -> LinkResolver:
        """This resolver, for the hrefs of the page at ``page_url``."""
        if page_url != self._page_url:
            self._page_url, self._on_page = page_url, {}
        return self

    def resolve(self, href: str) -> Link:
        link = self._known.get(href) or self._on_page.get(href)
        if link is None:
            stripped = href.strip()
            link = self._classify(stripped)
            same_on_every_page = stripped.startswith("/") and not stripped.startswith("//") or "://" in stripped
            if same_on_every_page and len(self._known) >= self.KEEP:
                self._known.clear()
            (self._known if same_on_every_page else self._on_page)[href] = link
        return link

    def _classify(self, href: str) -> Link:
        try:
            absolute, parts = join_and_split(self._page_url, href)
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
                return Link(PAGE, absolute, page=int(page.group(1)))
            if "/" not in rest and rest != "page" and (post := canonical_post_url_of(parts)):
                return Link(POST, absolute, post=post)
        if AUTHOR_PATH.search(path + "/"):
            return Link(AUTHOR, absolute)
        child = path.removeprefix(self.blog + "/")
        is_child = child != path and child and "/" not in child and child not in ("tag", "tags", "page", "search")
        if self.blog and (path == self.blog or is_child):
            return Link(CATEGORY, absolute)
        return Link(OTHER, absolute)
