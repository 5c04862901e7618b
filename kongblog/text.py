"""What the texts of a blog card look like: dates, bylines, names, whitespace.

Small pure functions shared by extraction (which asks "is this text a date?
a byline?") and the item loader (which turns the text into a field value).
"""

from __future__ import annotations

import re
from datetime import date, datetime

ELLIPSES = ("…", "...")

# Separators in a byline: "A and B", "A, B and C", "A, B, and C", "A & B".
_AUTHOR_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE)
_BY_PREFIX = re.compile(r"^\s*by\b[:,\s]*", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*by\b", re.IGNORECASE)
_CONNECTORS = frozenset(("and", "&", ","))
# What stands between a date and a byline printed beside it: "Feb 7, 2023 · A and B".
_SEPARATORS = " \t\n\u00a0·•|–—-:,/"

_DATE_FORMATS = (
    "%B %d, %Y",  # February 7, 2023
    "%b %d, %Y",  # Feb 7, 2023
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",  # 7 February 2023
    "%d %b %Y",
)
# The month-name forms blogs use that strptime's %b does not know.
_MONTH_ALIASES = {"sept": "Sep"}
_DIGIT = re.compile(r"\d")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
# No word boundary before the month: listings glue the category to the date
# ("EngineeringFebruary 7, 2023") when the markup has no space between them.
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_IN_TEXT = re.compile(
    rf"{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}\b|\b\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
)
_MINUTES_READ = re.compile(r"\b(\d{1,3})\s*(?:min|mins|minutes?)\.?\s+read\b", re.IGNORECASE)

# Lower-case words that may stand inside a person's name.
_NAME_PARTICLES = frozenset(
    ("de", "del", "der", "den", "van", "von", "da", "das", "di", "do", "dos", "du", "la", "le", "bin", "al", "ten", "ter", "y")
)
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:['’.\-][^\W\d_]*)*\.?$")


def clean_text(text: str | None) -> str | None:
    """Every run of whitespace (NBSP included) as one space; None when nothing is left.

    Entities are left alone: texts come from a parsed page, whose parser
    decoded them once already; a post about "&amp;amp;" shows "&amp;".
    """
    if text is None:
        return None
    return " ".join(text.split()) or None


def strip_ellipsis(text: str | None) -> str | None:
    """The text without the trailing "…" a listing adds when it cuts an excerpt."""
    if text is None:
        return None
    for ellipsis in ELLIPSES:
        if text.endswith(ellipsis):
            return text[: -len(ellipsis)].rstrip() or None
    return text


def is_truncated(text: str | None) -> bool:
    return bool(text) and text.rstrip().endswith(ELLIPSES)


def parse_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` from a date as blogs print it or put it in ``<time datetime>``."""
    text = clean_text(text)
    if not text or not _DIGIT.search(text):
        return None
    iso = _ISO_DATE.match(text)
    if iso:
        try:
            return date(*map(int, iso.groups())).isoformat()
        except ValueError:
            return None
    words = text.replace(".", "").split()
    if not 2 < len(words) < 4:
        return None
    words[0] = _MONTH_ALIASES.get(words[0].lower(), words[0])
    text = " ".join(words)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def looks_like_date(text: str | None) -> bool:
    return parse_date(text) is not None


def find_date(text: str | None) -> tuple[str, str] | None:
    """(the first date inside ``text`` as written, the text after it)."""
    if not text or not _DIGIT.search(text):
        return None
    for match in _DATE_IN_TEXT.finditer(text):
        if parse_date(match.group(0)):
            return match.group(0), text[match.end():]
    return None


def minutes_to_read(text: str | None) -> int | None:
    """7 from "· 7 min read"."""
    match = _MINUTES_READ.search(text or "")
    return int(match.group(1)) if match else None


def is_reading_time(text: str | None) -> bool:
    return bool(text) and _MINUTES_READ.fullmatch(" ".join(text.split()).strip(_SEPARATORS)) is not None


def split_authors(text: str | None) -> list[str]:
    """Names from a byline: drops a leading "By", splits on commas, "and" and "&"."""
    text = clean_text(text)
    if not text:
        return []
    text = _BY_PREFIX.sub("", text).strip(_SEPARATORS)
    names = (name.strip(_SEPARATORS) for name in _AUTHOR_SEPARATORS.split(text))
    return [name for name in names if name and name.lower() not in _CONNECTORS]


def starts_with_by(text: str | None) -> bool:
    return bool(text) and _BYLINE.match(text) is not None


def looks_like_name(text: str | None, min_words: int = 1) -> bool:
    """Whether ``text`` reads as a person's name: "Zoë Brückner", "Jean-Luc de la Tour"."""
    text = clean_text(text)
    if not text or len(text) > 60 or text.endswith(ELLIPSES):
        return False
    words = text.split()
    if not min_words <= len(words) <= 5:
        return False
    capitalised = 0
    for word in words:
        if word in _NAME_PARTICLES:
            continue
        if not _NAME_WORD.match(word) or not word[0].isupper():
            return False
        capitalised += 1
    return capitalised >= 1


def byline_names(text: str | None, min_words: int = 1) -> list[str]:
    """The names of ``text`` when all of it reads as a byline ("By A, B and C",
    "A and B"), else []."""
    names = split_authors(text)
    if names and all(looks_like_name(name, min_words) for name in names):
        return names
    return []


def rest_after_date(text: str | None) -> str | None:
    """What a text says after its date, reading times left out: "A and B" of
    "Feb 7, 2023 · 5 min read · A and B"."""
    found = find_date(clean_text(text))
    if not found:
        return None
    rest = _MINUTES_READ.sub(" ", found[1])
    return clean_text(" ".join(part.strip(_SEPARATORS) for part in re.split(r"\s[·•|–—]\s", f" {rest} "))) or None


def slug_words(text: str | None) -> str:
    """"product-releases" from "Product Releases": to compare a label with a URL segment."""
    return re.sub(r"[^0-9a-z]+", "-", (text or "").lower()).strip("-")
