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
from urllib.parse import urljoin, urlsplit

from kongblog.urls import canonical_post_url, listing_path

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
    """Resolves and classifies the hrefs of one page of a listing (each href once)."""

    def __init__(self, page_url: str) -> None:
        parts = urlsplit(page_url)
        self.page_url = page_url
        self.netloc = parts.netloc.lower()
        self.listing = listing_path(page_url).rstrip("/")
        self.blog = self.listing.rsplit("/", 1)[0]  # the listing's parent: "/blog"
        self.category_slug = self.listing.rsplit("/", 1)[-1]
        self._links: dict[str, Link] = {}

    def resolve(self, href: str) -> Link:
        link = self._links.get(href)
        if link is None:
            link = self._links[href] = self._classify(href)
        return link

    def _classify(self, href: str) -> Link:
        stripped = href.strip()
        if stripped.lower().startswith(_NOT_HTTP):
            return Link(OTHER, stripped)
        try:
            absolute = urljoin(self.page_url, stripped)
            parts = urlsplit(absolute)
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
                post = canonical_post_url(absolute)
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
