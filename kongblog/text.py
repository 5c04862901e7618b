"""What the texts of a blog card look like: dates, bylines, names, whitespace.

Pure functions for extraction ("is this text a date? a byline?") and the item loader (text to field value).
"""

from __future__ import annotations

import re
from datetime import date

ELLIPSES = ("…", "...")

# Separators in a byline: "A and B", "A, B and C", "A, B, and C", "A & B".
_AUTHOR_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE)
_BY_PREFIX = re.compile(r"^\s*by\b[:,\s]*", re.IGNORECASE)
_CONNECTORS = frozenset(("and", "&", ","))
# What stands between a date and a byline printed beside it: "Feb 7, 2023 · A and B".
_SEPARATORS = " \t\n\u00a0·•|–—-:,/"

_MONTH_NAMES = "january february march april may june july august september october november december".split()
_MONTH_NUMBERS = {
    name: number for number, month in enumerate(_MONTH_NAMES, 1) for name in (month, month[:3])
} | {"sept": 9}
# "February 7, 2023", "Feb. 7 2023", "Sept 30, 2026"; "7 February 2023".
_MONTH_FIRST = re.compile(r"^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$")
_DAY_FIRST = re.compile(r"^(\d{1,2}) ([A-Za-z]+)\.? (\d{4})$")
_DIGIT = re.compile(r"\d")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
# No word boundary before the month: listings glue the category to the date
# ("EngineeringFebruary 7, 2023") when the markup has no space between them.
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_IN_TEXT = re.compile(
    rf"{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}\b|\b\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
)
# What parts a byline from what stands beside it: "7 min read · A and B".
_BESIDE = re.compile(r"\s[·•|–—]\s")
_MINUTES_READ = re.compile(r"\b(\d{1,3})\s*(?:min|mins|minutes?)\.?\s+read\b", re.IGNORECASE)

# Lower-case words that may stand inside a person's name.
_NAME_PARTICLES = frozenset("de del der den van von da das di do dos du la le bin al ten ter y".split())
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:['’.\-][^\W\d_]*)*\.?$")


def clean_text(text: str | None) -> str | None:
    """Every run of whitespace (NBSP included) as one space; None when nothing is left (entities stay decoded)."""
    return (" ".join(text.split()) or None) if text else None


def strip_ellipsis(text: str | None) -> str | None:
    """The text without the trailing "…" a listing adds when it cuts an excerpt."""
    if text is None or not text.endswith(ELLIPSES):
        return text
    return text[: -1 if text.endswith("…") else -3].rstrip() or None


def is_truncated(text: str | None) -> bool:
    return bool(text) and text.rstrip().endswith(ELLIPSES)


def may_hold_date(text: str | None) -> bool:
    """False when ``text`` cannot hold a date (every date has a digit): spares parsing most texts of a card."""
    return bool(text) and _DIGIT.search(text) is not None


def parse_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` from a date as blogs print it or put it in ``<time datetime>``."""
    if not text or not text.lstrip()[:1].isdecimal() and len(text.split(None, 3)) != 3:
        return None  # (the cheapest test first) only ISO dates start with a digit; the others have three words
    text = clean_text(text)
    if match := _ISO_DATE.match(text):
        year, month, day = match.groups()
    elif match := _MONTH_FIRST.match(text):
        month, day, year = match.groups()
    elif match := _DAY_FIRST.match(text):
        day, month, year = match.groups()
    else:
        return None
    number = int(month) if month.isdigit() else _MONTH_NUMBERS.get(month.lower())
    try:
        return date(int(year), number, int(day)).isoformat() if number else None
    except ValueError:  # February 30
        return None


def find_date(text: str | None) -> tuple[str, str] | None:
    """(the first date inside ``text`` as written, the text after it)."""
    if not may_hold_date(text):
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
    return _MINUTES_READ.fullmatch((clean_text(text) or "").strip(_SEPARATORS)) is not None


def split_authors(text: str | None) -> list[str]:
    """Names from a byline: drops a leading "By", splits on commas, "and" and "&"."""
    text = clean_text(text)
    if not text:
        return []
    text = _BY_PREFIX.sub("", text).strip(_SEPARATORS)
    names = (name.strip(_SEPARATORS) for name in _AUTHOR_SEPARATORS.split(text))
    return [name for name in names if name and name.lower() not in _CONNECTORS]


def starts_with_by(text: str | None) -> bool:
    return bool(text) and _BY_PREFIX.match(text) is not None


def looks_like_name(text: str | None, min_words: int = 1) -> bool:
    """Whether ``text`` reads as a person's name: "Zoë Brückner", "Jean-Luc de la Tour"."""
    if not text or len(text) > 80:
        return False
    words = text.split()
    if not min_words <= len(words) <= 5 or words[-1].endswith(ELLIPSES):
        return False
    names = [word for word in words if word not in _NAME_PARTICLES]
    return bool(names) and all(_NAME_WORD.match(word) and word[0].isupper() for word in names)


def byline_names(text: str | None, min_words: int = 1) -> list[str]:
    """The names of ``text`` when all of it reads as a byline ("By A, B and C", "A and B"), else []."""
    names = split_authors(text)
    return names if all(looks_like_name(name, min_words) for name in names) else []


def rest_after_date(text: str | None) -> str | None:
    """What a text says after its date, reading times left out: "A and B" of "Feb 7, 2023 · 5 min read · A and B"."""
    found = find_date(clean_text(text))
    if not found:
        return None
    rest = _MINUTES_READ.sub(" ", found[1])
    return clean_text(" ".join(part.strip(_SEPARATORS) for part in _BESIDE.split(f" {rest} "))) or None


def reads_as_slug(text: str | None, slug: str) -> bool:
    """Whether ``text`` slugified is ``slug``: "Product Releases" for "product-releases"."""
    text = (text or "").lower()
    if slug.split("-", 1)[0] not in text:
        return False  # (a cheap test first) the slug's first word is in the text
    return re.sub(r"[^0-9a-z]+", "-", text).strip("-") == slug
