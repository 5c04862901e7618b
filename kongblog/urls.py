"""The URLs of a blog listing: its pages, its posts, and its cards' images.

A listing lives at a path (``/blog/engineering``), its page N at ``<path>/page/N`` (page 1 is the path
itself) and its posts at ``<path>/<slug>``. A slug may be linked percent-encoded or as it is
(``caf%C3%A9-x``, ``café-x``): a slug is always the decoded, NFC-normalised segment, a post URL always
its percent-encoded UTF-8 form.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, parse_qs, quote, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

_PAGE_PATH = re.compile(r"/page/(\d{1,9})/?$")
# Cloudflare's image resizing puts the original after its options: /cdn-cgi/image/<options>/<original>.
_CLOUDFLARE_IMAGE = "/cdn-cgi/image/"


def listing_path(url: str) -> str:
    """``/blog/engineering`` from any page URL of that listing."""
    return _PAGE_PATH.sub("", urlsplit(url).path.rstrip("/")) or "/"


def page_number(url: str) -> int:
    """The listing page number a URL names (1 without ``/page/N``)."""
    suffix = page_suffix(url)
    return 1 if suffix is None else suffix


def page_suffix(url: str) -> int | None:
    """N of a URL ending in ``/page/N``, else None."""
    match = _PAGE_PATH.search(urlsplit(url).path)
    return int(match.group(1)) if match else None


def page_url(listing_url: str, number: int, slash: bool | None = None) -> str:
    """Page 1 is the listing itself; page N lives at ``<listing>/page/N``; ending with a slash
    if ``slash`` says so, else if ``listing_url`` does (the form the site writes its URLs in)."""
    parts = urlsplit(listing_url)
    base = f"{parts.scheme}://{parts.netloc}{listing_path(listing_url)}".rstrip("/")
    url = base if number == 1 else f"{base}/page/{number}"
    return f"{url}/" if (parts.path.endswith("/") if slash is None else slash) else url


# What no slug holds once decoded: a slash; a backslash, which browsers and w3lib read as a slash
# (".../guest%5Cpost-1-5" would become ".../guest/post-1-5", another post's slug); control characters.
_NOT_IN_SLUG = re.compile(r"[/\\\x00-\x1f\x7f-\x9f]")
# RFC 3986 path characters left as they are when a slug is percent-encoded again.
_SLUG_SAFE = "!$&'()*+,;=:@"


def decode_slug(segment: str) -> str | None:
    """The one form of a slug: percent-decoded (UTF-8) and NFC; None when it is no slug."""
    try:
        slug = unicodedata.normalize("NFC", unquote(segment, errors="strict"))
    except UnicodeDecodeError:
        return None
    return None if not slug or slug in (".", "..") or _NOT_IN_SLUG.search(slug) else slug


def post_url_of(parts: SplitResult) -> tuple[str, str] | None:
    """The post URL as the site links it (absolute, without query or fragment, its slug percent-encoded
    once, a trailing slash kept) and its slug; None when the last segment is no slug."""
    folders, _, segment = parts.path.rstrip("/").rpartition("/")
    slug = decode_slug(segment)
    if slug is None:
        return None
    path = f"{folders}/{quote(slug, safe=_SLUG_SAFE)}{'/' if parts.path.endswith('/') else ''}"
    return safe_url_string(urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))), slug


def canonical_post_url(url: str | None) -> str | None:
    """The post URL without query (tracking parameters), fragment or trailing slash, its slug percent-encoded once."""
    found = post_url_of(urlsplit(url.strip())) if url else None
    return found[0].removesuffix("/") if found else None


def join_and_split(base: str, url: str) -> tuple[str, SplitResult]:
    joined = urljoin(base, url)
    return joined, urlsplit(joined)


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
        return safe_url_string(urljoin(base, url.strip()))
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
            return safe_url_string(urljoin(url, wrapped[0]))
        if parts.path.startswith(_CLOUDFLARE_IMAGE):
            # The original keeps its own query string: take it from the URL, not the path.
            original = url.split(_CLOUDFLARE_IMAGE, 1)[1].partition("/")[2]
            if original:
                return safe_url_string(urljoin(url, original if urlsplit(original).scheme else "/" + original))
    except ValueError:  # an original urllib refuses: the proxy's URL is still an image
        pass
    return url
