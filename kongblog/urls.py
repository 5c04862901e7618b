"""The URLs of a blog listing: its pages, its posts, and its cards' images.

A listing lives at a path (``/blog/engineering``), its page N at ``<path>/page/N`` (page 1 is the path
itself) and its posts at ``<path>/<slug>``. A slug may be linked percent-encoded or as it is
(``caf%C3%A9-x``, ``café-x``): a slug is always the decoded, NFC-normalised segment, a post URL always
its percent-encoded UTF-8 form.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, parse_qs, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

_PAGE_PATH = re.compile(r"/page/(\d{1,9})/?$")
# Cloudflare's image resizing puts the original after its options: /cdn-cgi/image/<options>/<original>.
_CLOUDFLARE_IMAGE = "/cdn-cgi/image/"


def listing_path(url: str) -> str:
    """``/blog/engineering`` from any page URL of that listing."""
    return _PAGE_PATH.sub("", urlsplit(url).path.rstrip("/")) or "/"


def page_number(url: str) -> int:
    """The listing page number a URL names (1 without ``/page/N``)."""
    match = _PAGE_PATH.search(urlsplit(url).path)
    return int(match.group(1)) if match else 1


def page_url(listing_url: str, number: int) -> str:
    """Page 1 is the listing itself; page N lives at ``<listing>/page/N``."""
    parts = urlsplit(listing_url)
    base = f"{parts.scheme}://{parts.netloc}{listing_path(listing_url)}".rstrip("/")
    return base if number == 1 else f"{base}/page/{number}"


def decode_slug(segment: str) -> str | None:
    """The one form of a slug: percent-decoded (UTF-8) and NFC; None when it is no slug."""
    try:
        slug = unicodedata.normalize("NFC", unquote(segment, errors="strict"))
    except UnicodeDecodeError:
        return None
    return None if not slug or "/" in slug or slug in (".", "..") else slug


# URLs safe_url_string (percent-encoding what must be) gives back unchanged, so it need not run (it
# is most of a card's URL work, docs/benchmarks.md): RFC 3986 characters less "%"; or an http(s) URL
# with percent escapes, a lower-case ASCII host, no user info, a port below 60000, a path, and in each
# part only characters w3lib leaves alone (not "'" in the query), "?" and "#" only before a non-empty part.
_SAFE_URL = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*$")
_SAFE_HTTP_URL = re.compile(
    r"https?://[a-z0-9.\-]+(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}))?"
    r"/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*"
    r"(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@/?%]+)?"
    r"(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]+)?\Z"
)


def _safe(url: str) -> str:
    return url if _SAFE_URL.match(url) or _SAFE_HTTP_URL.match(url) else safe_url_string(url)


def join_and_split(base: str, url: str) -> tuple[str, SplitResult]:
    joined = urljoin(base, url)
    return joined, urlsplit(joined)


def canonical_post_url(url: str | None) -> str | None:
    """The post URL without query (tracking parameters) or fragment, its slug percent-encoded once."""
    return canonical_post_url_of(urlsplit(url.strip())) if url else None


def canonical_post_url_of(parts: SplitResult) -> str | None:
    *folders, segment = parts.path.rstrip("/").split("/")
    slug = decode_slug(segment)
    if slug is None:
        return None
    return _safe(urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "/".join([*folders, slug]), "", "")))


def slug_from_url(url: str | None) -> str | None:
    """The decoded last path segment of a post URL."""
    segments = [s for s in urlsplit(url or "").path.split("/") if s]
    return decode_slug(segments[-1]) if segments else None


def category_slug_from_url(url: str | None) -> str | None:
    """``engineering`` from ``/blog/engineering/<slug>``: the segment before the slug."""
    segments = [s for s in urlsplit(url or "").path.split("/") if s]
    return segments[-2] if len(segments) >= 2 else None


def absolute_url(url: str | None, base: str) -> str | None:
    """``url`` joined to ``base``; None for a URL urllib refuses (``http://[x``)."""
    if not url or not url.strip():
        return None
    try:
        return _safe(urljoin(base, url.strip()))
    except ValueError:
        return None


def unwrap_image_url(url: str | None) -> str | None:
    """The original image behind an image proxy: Next.js ``/_next/image?url=<encoded>``
    or Cloudflare's ``/cdn-cgi/image/<options>/<original>``."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        wrapped = parse_qs(parts.query).get("url") if parts.path.endswith("/_next/image") else None
        if wrapped:
            return _safe(urljoin(url, wrapped[0]))
        if parts.path.startswith(_CLOUDFLARE_IMAGE):
            # The original keeps its own query string: take it from the URL, not the path.
            original = url.split(_CLOUDFLARE_IMAGE, 1)[1].partition("/")[2]
            if original:
                return _safe(urljoin(url, original if urlsplit(original).scheme else "/" + original))
    except ValueError:  # an original urllib refuses: the proxy's URL is still an image
        pass
    return url
