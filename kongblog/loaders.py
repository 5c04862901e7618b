"""Item loader and the small pure processors that normalise a card's fields.

Each processor takes text or a URL as the parsed page gives it (entities
already decoded by the parser) and returns the clean value (or None when there is nothing usable), so they compose with
itemloaders' MapCompose and can be tested one by one.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from functools import lru_cache
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader
from w3lib.url import safe_url_string

from kongblog.items import PostItem

ELLIPSES = ("…", "...")

# Separators in a byline: "A and B", "A, B and C", "A, B, and C", "A & B".
_AUTHOR_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE)
_BY_PREFIX = re.compile(r"^\s*by\b[:,\s]*", re.IGNORECASE)
_CONNECTORS = {"and", "&", ","}

_DATE_FORMATS = (
    "%B %d, %Y",  # February 7, 2023
    "%b %d, %Y",  # Feb 7, 2023
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",  # 7 February 2023
    "%d %b %Y",
    "%Y-%m-%d",
)
_MONTH_FIRST_FORMATS = tuple(f for f in _DATE_FORMATS if f.startswith(("%B", "%b")))
_DAY_FIRST_FORMATS = tuple(f for f in _DATE_FORMATS if f not in _MONTH_FIRST_FORMATS)
# The month-name forms the blog uses that strptime's %b does not know.
_MONTH_ALIASES = {"sept": "Sep"}
# The digit class strptime's %d and %Y patterns use.
_DIGIT = re.compile(r"\d")
_ISO_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")
# No word boundary before the month: listings glue the category to the date
# ("EngineeringFebruary 7, 2023") when the markup has no space between them.
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_MONTH_NAME_DATE = re.compile(
    rf"{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}\b|\b\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
)


def clean_text(text: str | None) -> str | None:
    """Collapse every run of whitespace (incl. NBSP) to one space.

    Entities are left alone: every text reaches here from a parsed page,
    whose parser decoded them once already. Decoding again would turn a
    post about "&amp;amp;" (shown as "&amp;") into "&".
    """
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def strip_ellipsis(text: str | None) -> str | None:
    """The excerpt without the trailing "…" the listing adds when it cuts the text."""
    if text is None:
        return None
    for ellipsis in ELLIPSES:
        if text.endswith(ellipsis):
            return text[: -len(ellipsis)].rstrip() or None
    return text


def is_truncated(text: str | None) -> bool:
    return bool(text) and text.rstrip().endswith(ELLIPSES)


def parse_date(text: str | None) -> str | None:
    """An ISO ``YYYY-MM-DD`` date from the forms the blog shows or puts in <time datetime>."""
    # Card extraction asks this of nearly every text of a card. Every date
    # format needs a digit, which most texts lack; the others are cached, as
    # card texts repeat.
    if not text or not _DIGIT.search(text):
        return None
    return _parse_date(text)


@lru_cache(maxsize=4096)
def _parse_date(text: str) -> str | None:
    text = clean_text(text)
    if not text:
        return None
    iso = _ISO_DATE_PREFIX.match(text)
    if iso:
        try:
            return date.fromisoformat(iso.group(1)).isoformat()
        except ValueError:
            return None
    text = text.replace(".", "")
    words = text.split()
    if words and words[0].lower() in _MONTH_ALIASES:
        words[0] = _MONTH_ALIASES[words[0].lower()]
        text = " ".join(words)
    # Only the formats that could match: none has more than three fields, and
    # a month name cannot start with a digit nor a day or year with a letter.
    # (Fewer failed strptime calls, and fewer formats cycling through its
    # cache of five compiled ones.)
    if len(words) > 3:
        return None
    formats = _DAY_FIRST_FORMATS if _DIGIT.match(text.lstrip()) else _MONTH_FIRST_FORMATS
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def find_date(text: str | None) -> str | None:
    """The first date written anywhere in ``text`` (for dates glued to other words)."""
    if not text:
        return None
    for match in _MONTH_NAME_DATE.finditer(text):
        parsed = parse_date(match.group(0))
        if parsed:
            return parsed
    return None


def looks_like_date(text: str | None) -> bool:
    return parse_date(text) is not None


def split_authors(text: str | None) -> list[str]:
    """Names from a byline: drops a leading "By", splits on commas, "and" and "&"."""
    text = clean_text(text)
    if not text:
        return []
    text = _BY_PREFIX.sub("", text)
    names = (name.strip() for name in _AUTHOR_SEPARATORS.split(text))
    return [name for name in names if name and name.lower() not in _CONNECTORS]


def absolute_url(url: str | None, base: str) -> str | None:
    if not url or not url.strip():
        return None
    return safe_url_string(urljoin(base, url.strip()))


# Card extraction and the item loader both ask this of every post URL.
@lru_cache(maxsize=4096)
def canonical_post_url(url: str | None) -> str | None:
    """The post URL without query string (tracking parameters) or fragment."""
    if not url:
        return None
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def unwrap_image_url(url: str | None) -> str | None:
    """The original image behind an image-proxy URL such as ``/_next/image?url=<encoded>``."""
    if not url or "url=" not in url:  # most image URLs: nothing to unwrap, nothing to parse
        return url or None
    parts = urlsplit(url)
    wrapped = parse_qs(parts.query).get("url")
    if wrapped and (parts.path.rstrip("/").endswith("/image") or "_next" in parts.path):
        return safe_url_string(urljoin(url, wrapped[0]))
    return url


def first_srcset_url(srcset: str | None) -> str | None:
    """The first candidate URL of an ``srcset`` attribute."""
    if not srcset:
        return None
    first = srcset.split(",")[0].strip().split()
    return first[0] if first else None


def slug_from_url(url: str | None) -> str | None:
    if not url:
        return None
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return segments[-1] if segments else None


def category_slug_from_url(url: str | None) -> str | None:
    """``engineering`` from ``/blog/engineering/<slug>``: the segment before the slug."""
    if not url:
        return None
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return segments[-2] if len(segments) >= 2 else None


# Reading speed behind "N min read" labels of blogs that print none.
WORDS_PER_MINUTE = 238
_MIN_READ = re.compile(r"\b(\d{1,3})\s*(?:min|mins|minutes?)\.?\s+read\b", re.IGNORECASE)


def reading_minutes_from_label(text: str | None) -> int | None:
    """7 from "· 7 min read"."""
    match = _MIN_READ.search(text or "")
    return int(match.group(1)) if match else None


def reading_minutes_for(word_count: int) -> int:
    """Minutes at WORDS_PER_MINUTE, rounded up (a 10-word post is a 1-minute read)."""
    return max(1, -(-word_count // WORDS_PER_MINUTE))


def utc_timestamp(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class PostLoader(ItemLoader):
    """Normalises the strings of a card; the spider sets the crawl's own
    facts (slug, category slug, listing page and position, scrape time)."""

    default_item_class = PostItem
    default_input_processor = MapCompose(clean_text)
    default_output_processor = TakeFirst()

    url_in = MapCompose(canonical_post_url)
    published_in = MapCompose(parse_date)
    excerpt_in = MapCompose(clean_text, strip_ellipsis)
    excerpt_truncated_in = Identity()
    authors_out = Identity()
    image_url_in = MapCompose(unwrap_image_url)

    # itemloaders looks a field's processor up on every add_value and again
    # in load_item (an ItemAdapter and a scan of the dataclass fields each
    # time). It depends only on the loader class and the item class, so each
    # is looked up once; a processor set on the instance is never cached.
    def get_input_processor(self, field_name: str):
        return self._cached_processor(field_name, "in", super().get_input_processor)

    def get_output_processor(self, field_name: str):
        return self._cached_processor(field_name, "out", super().get_output_processor)

    def _cached_processor(self, field_name: str, kind: str, look_up):
        if f"{field_name}_{kind}" in self.__dict__ or f"default_{kind}put_processor" in self.__dict__:
            return look_up(field_name)
        key = (type(self), type(self.item), field_name, kind)
        try:
            return _PROCESSORS[key]
        except KeyError:
            processor = _PROCESSORS[key] = look_up(field_name)
            return processor


_PROCESSORS: dict = {}


__all__ = [
    "PostLoader",
    "absolute_url",
    "canonical_post_url",
    "category_slug_from_url",
    "clean_text",
    "find_date",
    "first_srcset_url",
    "is_truncated",
    "looks_like_date",
    "parse_date",
    "reading_minutes_for",
    "reading_minutes_from_label",
    "slug_from_url",
    "split_authors",
    "strip_ellipsis",
    "unwrap_image_url",
    "utc_timestamp",
]
