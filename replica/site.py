"""Routing: path -> response, for one (options, base_url).  No sockets here.

Routes
  /robots.txt                     allow /blog/, disallow /search and /private/
  /, /blog                        small hub pages linking to the listing
  /blog/<cat>                     listing page 1
  /blog/<cat>/page/1              301 -> /blog/<cat>
  /blog/<cat>/page/<n>            listing page n (404 beyond the last page)
  /blog/<cat>/<slug>              article page of a post of the catalog
  /blog/tag/<tag>                 tag page for the nav tags (no post links)
  /blog/author/<name-slug>        author page (not a post)
  /search, /private/...           200 pages that robots.txt forbids
  any other path ending in "/"    301 to the path without the slash
  anything else                   404 (HTML)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import layout
from .articles import expected_articles_for, render_article
from .content import AUTHOR_POOL, EDGE_CASES, OFFSITE_HOST, Blog, blog_for, seed_cards
from .markup import render_listing
from .options import ReplicaOptions
from .text import attr, esc, slugify

HTML = "text/html; charset=utf-8"

ROBOTS_TXT = """User-agent: *
Allow: /blog/
Disallow: /search
Disallow: /private/
"""

_PAGE_RE = re.compile(r"^/blog/(?P<cat>[a-z0-9-]+)/page/(?P<n>[1-9][0-9]{0,6})$")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    listing_page: int | None = None  # set for listing-page routes (fault hooks)

    def __post_init__(self) -> None:
        self.headers.setdefault("Content-Type", HTML)


@lru_cache(maxsize=1)
def known_authors() -> dict[str, str]:
    """author slug -> display name for every author the content can show."""
    names: set[str] = set(AUTHOR_POOL)
    for card in seed_cards():
        names.update(card["authors"])
    for edge in EDGE_CASES.values():
        names.update(edge.get("authors", ()))
    return {slugify(n): n for n in sorted(names)}


class Site:
    """Everything the replica serves for one options value and base URL."""

    def __init__(self, options: ReplicaOptions, base_url: str) -> None:
        self.options = options
        self.base_url = base_url.rstrip("/")
        self.blog: Blog = blog_for(options)
        self._listing = lru_cache(maxsize=256)(self._render_listing)
        self._article = lru_cache(maxsize=512)(self._render_article)

    # -- truth ---------------------------------------------------------------
    def expected_items(self) -> list[dict]:
        return self.blog.expected_items(self.base_url)

    def expected_articles(self) -> dict[str, dict]:
        return expected_articles_for(self.blog, self.base_url)

    # -- rendering -------------------------------------------------------------
    def _render_listing(self, page: int) -> bytes:
        return render_listing(self.blog, page, self.base_url)

    def _render_article(self, slug: str) -> bytes | None:
        post = self.blog.post_by_slug(slug)
        return None if post is None else render_article(self.blog, post, self.base_url)

    def _simple(self, title: str, body_html: str, status: int = 200, path: str = "/") -> Response:
        html = layout.simple_page(title, self.base_url + path, body_html, seed=f"simple:{path}")
        return Response(status, html.encode("utf-8"))

    def not_found(self, path: str) -> Response:
        return self._simple("Page not found", "<p>We couldn\u2019t find that page.</p>", 404, path)

    def redirect(self, location: str, status: int = 301) -> Response:
        target = location if "://" in location else self.base_url + location
        body = f'<html><body><a href="{attr(target)}">Moved</a></body></html>'.encode()
        return Response(status, body, {"Location": target})

    def respond(self, path: str) -> Response:
        """Response for *path* (query string already removed)."""
        blog = self.blog
        cat = blog.category
        listing_root = f"/blog/{cat}"
        if path == "/robots.txt":
            return Response(200, ROBOTS_TXT.encode(), {"Content-Type": "text/plain; charset=utf-8"})
        if path in ("/", "/blog"):
            link = layout.a(listing_root, blog.category_name)
            return self._simple("Blog" if path == "/blog" else "Kong", f"<p>Read the {link} blog.</p>", path=path)
        if len(path) > 1 and path.endswith("/"):
            return self.redirect(path.rstrip("/") or "/")
        if path == listing_root:
            return self._listing_response(1)
        m = _PAGE_RE.match(path)
        if m and m.group("cat") == cat:
            n = int(m.group("n"))
            if n == 1:
                return self.redirect(listing_root)
            if blog.has_page(n):
                return self._listing_response(n)
            return self.not_found(path)
        if path.startswith("/blog/tag/"):
            tag = path[len("/blog/tag/"):]
            names = dict((slug, text) for text, slug in layout.TAGS)
            if tag in names:
                return self._simple(names[tag], f"<p>Posts tagged {esc(names[tag])} are coming soon.</p>", path=path)
            return self.not_found(path)
        if path.startswith("/blog/author/"):
            name = known_authors().get(path[len("/blog/author/"):])
            if name:
                return self._simple(name, f"<p>{esc(name)} writes about APIs, gateways and meshes.</p>", path=path)
            return self.not_found(path)
        if path.startswith(listing_root + "/"):
            slug = path[len(listing_root) + 1:]
            if slug in self.options.broken_articles:
                return Response(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>")
            if "/" not in slug:
                body = self._article(slug)
                if body is not None:
                    return Response(200, body)
            return self.not_found(path)
        if path == "/search" or path.startswith("/search/"):
            return self._simple("Search", "<form><input name=\"q\" type=\"search\"></form>", path=path)
        if path.startswith("/private/"):
            return self._simple("Partner extranet", "<p>Sign in to continue.</p>", path=path)
        return self.not_found(path)

    def _listing_response(self, page: int) -> Response:
        if page == self.options.redirect_offsite_page:
            resp = self.redirect(f"{OFFSITE_HOST}{self.blog.listing_path(page)}", 302)
        else:
            resp = Response(200, self._listing(page))
        resp.listing_page = page
        return resp


def expected_items(base_url: str, options: ReplicaOptions | dict | None = None, **changes: object) -> list[dict]:
    """Ground-truth items for a replica at *base_url* (see README)."""
    opts = ReplicaOptions.coerce(options, **changes)
    return blog_for(opts).expected_items(base_url)


def expected_articles(base_url: str, options: ReplicaOptions | dict | None = None, **changes: object) -> dict[str, dict]:
    """Ground-truth article fields, slug -> dict (see articles.py)."""
    opts = ReplicaOptions.coerce(options, **changes)
    return expected_articles_for(blog_for(opts), base_url)
