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
from urllib.parse import SplitResult, parse_qs, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

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


# What a URL may hold to be safe as it is (RFC 3986 less the percent sign):
# safe_url_string would give it back unchanged.
_SAFE_URL = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*$")
# An http(s) URL with percent escapes (a Next.js image proxy's, an encoded
# slug's) that safe_url_string gives back unchanged too: a lower-case ASCII
# host, no user info, a port below 60000 if any, a path, and in each part only
# characters w3lib leaves alone ("%" among them; not "'" in the query); "?"
# and "#" only before a part that is not empty. (A card's proxied image went
# through safe_url_string twice; docs/benchmarks.md, Profiling.)
_SAFE_HTTP_URL = re.compile(
    r"https?://[a-z0-9.\-]+(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}))?"
    r"/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*"
    r"(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@/?%]+)?"
    r"(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]+)?\Z"
)


def _safe(url: str) -> str:
    """``url`` percent-encoded where it must be (non-ASCII, spaces, ...), once."""
    return url if _SAFE_URL.match(url) or _SAFE_HTTP_URL.match(url) else safe_url_string(url)


# A root-relative URL that urljoin appends to the base's scheme and host as it
# is: no "//" start, no "." or ".." segment, no ";params" in the path, no
# character urlsplit strips or removes (C0 controls, space), no empty query or
# fragment. (Every post link and most images of a page are such URLs;
# docs/benchmarks.md, Profiling.)
_PLAIN_ROOTED = re.compile(
    r"(?!//)(?:/(?!\.\.?(?:[/?#]|\Z))[^\x00-\x20/;?#]*)+"
    r"(?:\?[^\x00-\x20#]+)?(?:#[^\x00-\x20]+)?\Z"
)


def _rooted_on(base: str, url: str) -> SplitResult | None:
    """The parts of ``base`` when ``url`` is a plain root-relative URL that
    joins ``base`` as it is (see ``_PLAIN_ROOTED``), else None."""
    if _PLAIN_ROOTED.match(url):
        parts = urlsplit(base)
        if parts.scheme in ("http", "https") and parts.netloc:
            return parts
    return None


def join_url(base: str, url: str) -> str:
    """``urljoin(base, url)``."""
    parts = _rooted_on(base, url)
    return f"{parts.scheme}://{parts.netloc}{url}" if parts else urljoin(base, url)


def join_and_split(base: str, url: str) -> tuple[str, SplitResult]:
    """``urljoin(base, url)`` and its ``urlsplit``, the latter put together
    from the parts of ``base`` when ``url`` is plain root-relative."""
    parts = _rooted_on(base, url)
    if parts is None:
        joined = urljoin(base, url)
        return joined, urlsplit(joined)
    rest, _, fragment = url.partition("#")
    path, _, query = rest.partition("?")
    return f"{parts.scheme}://{parts.netloc}{url}", SplitResult(parts.scheme, parts.netloc, path, query, fragment)


def canonical_post_url(url: str | None) -> str | None:
    """A post URL without query string (tracking parameters) or fragment, its
    slug percent-encoded once: equal for every way a card links the post."""
    if not url:
        return None
    return canonical_post_url_of(urlsplit(url.strip()))


def canonical_post_url_of(parts: SplitResult) -> str | None:
    """:func:`canonical_post_url` of a URL split in ``parts``."""
    segments = parts.path.rstrip("/").split("/")
    try:
        slug = decode_slug(segments[-1])
    except UnicodeDecodeError:
        return None
    if slug is None:
        return None
    path = "/".join([*segments[:-1], slug])
    return _safe(urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", "")))


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
    """``url`` joined to ``base``; None for a URL urllib refuses (``http://[x``)."""
    if not url or not url.strip():
        return None
    try:
        return _safe(join_url(base, url.strip()))
    except ValueError:
        return None


def unwrap_image_url(url: str | None) -> str | None:
    """The original image behind an image proxy: Next.js ``/_next/image?url=<encoded>``
    or Cloudflare's ``/cdn-cgi/image/<options>/<original>``."""
    if not url:
        return None
    try:
        return _unwrapped(url)
    except ValueError:  # an original urllib refuses: the proxy's URL is still an image
        return url


def _unwrapped(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path
    if path.endswith("/_next/image"):
        wrapped = parse_qs(parts.query).get("url")
        if wrapped:
            return _safe(join_url(url, wrapped[0]))
    if path.startswith(_CLOUDFLARE_IMAGE):
        # The original keeps its own query string: take it from the URL, not the path.
        original = url.split(_CLOUDFLARE_IMAGE, 1)[1].partition("/")[2]
        if original:
            rooted = original if urlsplit(original).scheme else "/" + original
            return _safe(join_url(url, rooted))
    return url

