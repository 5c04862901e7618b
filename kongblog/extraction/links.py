"""What each link of a listing page points to, judged by its URL alone.

Of a listing at ``/blog/engineering`` on the crawled host:

``post``      ``/blog/engineering/<slug>``: a post of this listing;
``page``      ``/blog/engineering`` or ``/blog/engineering/page/N``: one of its pages;
``author``    a path with an ``/author/``-like segment: an author page, not a post;
``category``  ``/blog`` or ``/blog/<other>``: the blog, or another category;
``other``     anything else, any other host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kongblog.urls import canonical_post_url_of, join_and_split, listing_path

POST, PAGE, AUTHOR, CATEGORY, OTHER = "post", "page", "author", "category", "other"

AUTHOR_PATH = re.compile(r"/(?:author|authors|people|team|profile|profiles|contributors?|writers?)/", re.IGNORECASE)
_PAGE_SUFFIX = re.compile(r"^/page/(\d{1,9})$")
# Link targets that are never pages: mail, phone, scripts.
_NOT_HTTP = ("mailto:", "tel:", "javascript:", "data:")


@dataclass(frozen=True)
class Link:
    kind: str
    absolute: str
    post: str | None = None  # canonical post URL (kind post)
    page: int | None = None  # page number (kind page)


class LinkResolver:
    """Resolves and classifies the hrefs of a listing's pages.

    Every page repeats the site's navigation and most of its hrefs are
    root-relative or absolute, whose meaning does not depend on the page:
    those are classified once per crawl (up to ``KEEP`` of them), the others
    once per page. (Resolving took a third of the card extraction's time:
    see docs/benchmarks.md.)
    """

    KEEP = 20_000

    def __init__(self, listing_url: str) -> None:
        parts = urlsplit(listing_url)
        self.netloc = parts.netloc.lower()
        self.listing = listing_path(listing_url).rstrip("/")
        self.blog = self.listing.rsplit("/", 1)[0]  # the listing's parent: "/blog"
        self.category_slug = self.listing.rsplit("/", 1)[-1]
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
            link = self._classify(href)
            stripped = href.strip()
            if stripped.startswith("/") and not stripped.startswith("//") or "://" in stripped:
                if len(self._known) >= self.KEEP:
                    self._known.clear()
                self._known[href] = link
            else:
                self._on_page[href] = link
        return link

    def _classify(self, href: str) -> Link:
        stripped = href.strip()
        if stripped.lower().startswith(_NOT_HTTP):
            return Link(OTHER, stripped)
        try:
            absolute, parts = join_and_split(self._page_url, stripped)
        except ValueError:
            return Link(OTHER, stripped)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != self.netloc:
            return Link(OTHER, absolute)
        path = parts.path.rstrip("/")
        if path == self.listing:
            return Link(PAGE, absolute, page=1)
        if path.startswith(self.listing + "/"):
            rest = path[len(self.listing):]
            page = _PAGE_SUFFIX.match(rest)
            if page:
                return Link(PAGE, absolute, page=int(page.group(1)))
            if rest.count("/") == 1 and rest != "/page":
                post = canonical_post_url_of(parts)
                if post:
                    return Link(POST, absolute, post=post)
        if AUTHOR_PATH.search(path + "/"):
            return Link(AUTHOR, absolute)
        if self.blog and (path == self.blog or _is_child(path, self.blog)):
            return Link(CATEGORY, absolute)
        return Link(OTHER, absolute)


def _is_child(path: str, parent: str) -> bool:
    """``/blog/news`` of ``/blog``, not ``/blog/tag`` pages nor deeper paths."""
    if not path.startswith(parent + "/"):
        return False
    rest = path[len(parent) + 1:]
    return bool(rest) and "/" not in rest and rest not in ("tag", "tags", "page", "search")
