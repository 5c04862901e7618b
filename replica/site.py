"""Routing: path -> response, for one (options, base_url).  No sockets here.

Routes
  /robots.txt                     allow /blog/, disallow /search and /private/
                                  (+ exact listing pages: disallowed_pages,
                                  page 999 with the far_links trap)
  /, /blog                        small hub pages linking to the listing
  /blog/<cat>                     listing page 1
  /blog/<cat>/page/1              301 -> /blog/<cat>
  /blog/<cat>/page/<n>            listing page n (404 beyond the last page)
  /blog/<cat>/<slug>              article page of a post of the catalog (a
                                  non-ASCII slug answers percent-encoded and
                                  as raw UTF-8)
  /blog/tag/<tag>                 tag page for the nav tags (no post links)
  /blog/author/<name-slug>        author page (not a post)
  /avatars/<name-slug>.png        tiny PNG for every known author
  /search, /private/...           200 pages that robots.txt forbids
  any other path ending in "/"    301 to the path without the slash
  anything else                   404 (HTML)
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

from . import layout
from .articles import expected_articles_for, render_article
from . import traps
from .content import AUTHOR_POOL, EDGE_CASES, OFFSITE_AUTHOR, OFFSITE_HOST, Blog, blog_for, seed_cards
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


def robots_txt(blog: Blog) -> str:
    """robots.txt for *blog*: ROBOTS_TXT, plus exact rules for the listing
    pages of ``disallowed_pages`` (and page 999 with the far_links trap).

    Robots rules are path PREFIXES, so ``Disallow: /blog/<cat>/page/7`` alone
    would also forbid pages 70..79, 700...  Python's urllib.robotparser
    applies the FIRST matching line and knows no ``$``; Protego (Scrapy's
    default ROBOTSTXT_PARSER, scrapy.robotstxt.ProtegoRobotParser) applies the
    LONGEST match (Allow wins a tie) and does know ``$`` -- but a ``7$`` rule
    would be ignored by urllib.robotparser and misses ``/page/7?utm=x``.  So
    each page N gets ``Allow: /blog/<cat>/page/N0`` .. ``N9`` (skipping
    numbers that are themselves forbidden) followed by
    ``Disallow: /blog/<cat>/page/N``, longer page numbers first, all before
    ``Allow: /blog/``: both kinds of parser then forbid exactly /page/N (with
    or without a query string) and nothing else.  Page 1 lives at
    /blog/<cat>: ``Allow: /blog/<cat>/`` + ``Disallow: /blog/<cat>``.
    """
    o = blog.options
    pages = set(o.disallowed_pages)
    if "far_links" in o.traps:
        pages.add(traps.FAR_NAV_PAGE)
    if not pages:
        return ROBOTS_TXT
    lines = [
        "User-agent: *",
        "# Exact listing pages: the Allow lines keep /page/N0../page/N9 (and longer numbers)",
        "# crawlable, so only /page/N itself is forbidden, for first-match and longest-match parsers.",
    ]
    for n in sorted(pages, key=lambda n: (-len(str(n)), n)):
        if n == 1:
            lines += [f"Allow: {blog.listing_path(1)}/", f"Disallow: {blog.listing_path(1)}"]
            continue
        path = blog.listing_path(n)
        lines += [f"Allow: {path}{d}" for d in range(10) if int(f"{n}{d}") not in pages]
        lines.append(f"Disallow: {path}")
    lines += ROBOTS_TXT.splitlines()[1:]
    return "\n".join(lines) + "\n"


def _png(width: int = 1, height: int = 1, rgb: tuple[int, int, int] = (31, 95, 191)) -> bytes:
    """A tiny valid PNG (avatars)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


AVATAR_PNG = _png()


def slug_forms(slug: str) -> list[str]:
    """Ways a client may send a (possibly non-ASCII) slug, decoded, NFC:
    as is, percent-decoded (UTF-8), and raw UTF-8 bytes that http.server
    read as Latin-1."""
    forms = [slug, unquote(slug)]
    try:
        forms.append(slug.encode("latin-1").decode("utf-8"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    out: list[str] = []
    for form in forms:
        form = unicodedata.normalize("NFC", form)
        if form not in out:
            out.append(form)
    return out


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
    names.add(OFFSITE_AUTHOR)
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
            return Response(200, robots_txt(blog).encode(), {"Content-Type": "text/plain; charset=utf-8"})
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
            forms = slug_forms(path[len(listing_root) + 1:])
            if any(form in self.options.broken_articles for form in forms):
                return Response(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>")
            for slug in forms:
                if "/" not in slug:
                    body = self._article(slug)
                    if body is not None:
                        return Response(200, body)
            return self.not_found(path)
        if path.startswith("/avatars/") and path.endswith(".png"):
            if path[len("/avatars/"):-len(".png")] in known_authors():
                return Response(200, AVATAR_PNG, {"Content-Type": "image/png"})
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
