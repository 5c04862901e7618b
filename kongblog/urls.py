"""The URLs of a blog listing: its pages, its posts, and its cards' images.

A listing lives at a path (``/blog/engineering``); its page N at
``<path>/page/N`` (page 1 is the path itself) and its posts at
``<path>/<slug>``. A slug may be linked percent-encoded or with its
characters as they are (``caf%C3%A9-x`` and ``café-x``): both name the same
post, so a slug is always the decoded, NFC-normalised segment, and a post URL
always its percent-encoded UTF-8 form.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string, url_query_parameter

_PAGE_PATH = re.compile(r"/page/(\d{1,9})/?$")
# Cloudflare's image resizing puts the original after its options: /cdn-cgi/image/<options>/<original>.
_CLOUDFLARE_IMAGE = "/cdn-cgi/image/"


def listing_path(url: str) -> str:
    """``/blog/engineering`` from any page URL of that listing."""
    path = urlsplit(url).path.rstrip("/")
    return _PAGE_PATH.sub("", path) or "/"


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
    slug = unicodedata.normalize("NFC", unquote(segment, errors="strict")) if segment else ""
    if not slug or "/" in slug or slug in (".", ".."):
        return None
    return slug


def canonical_post_url(url: str | None) -> str | None:
    """A post URL without query string (tracking parameters) or fragment, its
    slug percent-encoded once: equal for every way a card links the post."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    segments = parts.path.rstrip("/").split("/")
    try:
        slug = decode_slug(segments[-1])
    except UnicodeDecodeError:
        return None
    if slug is None:
        return None
    path = "/".join([*segments[:-1], slug])
    return safe_url_string(urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", "")))


def slug_from_url(url: str | None) -> str | None:
    """The decoded last path segment of a post URL."""
    segments = [s for s in urlsplit(url or "").path.split("/") if s]
    if not segments:
        return None
    try:
        return decode_slug(segments[-1])
    except UnicodeDecodeError:
        return None


def category_slug_from_url(url: str | None) -> str | None:
    """``engineering`` from ``/blog/engineering/<slug>``: the segment before the slug."""
    segments = [s for s in urlsplit(url or "").path.split("/") if s]
    return segments[-2] if len(segments) >= 2 else None


def absolute_url(url: str | None, base: str) -> str | None:
    if not url or not url.strip():
        return None
    return safe_url_string(urljoin(base, url.strip()))


def unwrap_image_url(url: str | None) -> str | None:
    """The original image behind an image proxy: Next.js ``/_next/image?url=<encoded>``
    or Cloudflare's ``/cdn-cgi/image/<options>/<original>``."""
    if not url:
        return None
    path = urlsplit(url).path
    if path.endswith("/_next/image"):
        wrapped = url_query_parameter(url, "url")
        if wrapped:
            return safe_url_string(urljoin(url, wrapped))
    if path.startswith(_CLOUDFLARE_IMAGE):
        # The original keeps its own query string: take it from the URL, not the path.
        original = url.split(_CLOUDFLARE_IMAGE, 1)[1].partition("/")[2]
        if original:
            rooted = original if urlsplit(original).scheme else "/" + original
            return safe_url_string(urljoin(url, rooted))
    return url


def first_srcset_url(srcset: str | None) -> str | None:
    """The first candidate URL of an ``srcset`` attribute."""
    first = (srcset or "").split(",")[0].split()
    return first[0] if first else None
