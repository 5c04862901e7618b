"""What the texts of a blog card look like: dates, bylines, names, whitespace.

Pure functions for extraction ("is this text a date? a byline?") and the item loader (text to field value).
"""

from __future__ import annotations

import re
import unicodedata
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
# A weekday before a date ("Sun 30 April 2023", "Sunday, April 30, 2023") and an ordinal after its day ("30th").
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\.?,?\s+)?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
# "February 7, 2023", "Feb. 7 2023", "April 30th, 2023"; "7 February 2023", "30 Apr, 2023".
_MONTH_FIRST = re.compile(rf"^{_WEEKDAY}([a-z]+)\.? {_DAY},? (\d{{4}})$", re.IGNORECASE)
_DAY_FIRST = re.compile(rf"^{_WEEKDAY}{_DAY} ([a-z]+)\.?,? (\d{{4}})$", re.IGNORECASE)
# Digits only: "2023-04-30", "2023/04/30", "2023.04.30" (year first); "30.04.2023" (dots: day first);
# "30/04/2023" or "04/30/2023" (slashes: whichever order is the only one that makes a date).
_YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ].*)?$")
_YEAR_LAST = re.compile(r"^(\d{1,2})([./])(\d{1,2})\2(\d{4})$")
# A month and a day without a year, as archives grouped under year headings print them: "04-30", "Apr 30", "30 Apr".
_MONTH_DAY = re.compile(rf"^(?:(\d{{2}})-(\d{{2}})|([a-z]+)\.? {_DAY}|{_DAY} ([a-z]+)\.?)$", re.IGNORECASE)
# A heading that names a year ("2023", "April 2023", "2023 (12)"): the archive's section a card sits in.
_YEAR_HEADING = re.compile(r"^(?:([a-z]+)\.? )?(\d{4})(?: \(\d+\))?$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# No word boundary before the month: listings glue the category to the date
# ("EngineeringFebruary 7, 2023") when the markup has no space between them.
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_IN_TEXT = re.compile(
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}\b"
    r"|\b\d{4}([-/.])\d{1,2}\1\d{1,2}\b|\b\d{1,2}([./])\d{1,2}\2\d{4}\b"
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
    if not text or not text.lstrip()[:1].isdecimal() and not 3 <= len(text.split(None, 4)) <= 4:
        return None  # (the cheapest test first) only dates of digits start with one; the others have 3-4 words
    text = clean_text(text)
    if match := _YEAR_FIRST.match(text):
        year, _, month, day = match.groups()
    elif match := _YEAR_LAST.match(text):
        day, separator, month, year = match.groups()
        if separator == "/" and int(day) <= 12:  # 04/30/2023 is month first; 04/05/2023 could be either
            if int(month) <= 12 and day != month:
                return None
            day, month = month, day
    elif match := _MONTH_FIRST.match(text) or _DAY_FIRST.match(text):
        month, day, year = match.groups() if match.re is _MONTH_FIRST else _swap(match.groups())
    else:
        return None
    return _iso(year, month, day)


def _swap(groups: tuple) -> tuple:
    day, month, year = groups
    return month, day, year


def _month_number(month: str) -> int | None:
    return int(month) if month.isdecimal() else _MONTH_NUMBERS.get(month.lower())


def _iso(year, month: str, day) -> str | None:
    number = _month_number(month)
    try:
        return date(int(year), number, int(day)).isoformat() if number else None
    except ValueError:  # February 30
        return None


def parse_month_day(text: str | None) -> tuple[int, int] | None:
    """(month, day) of a date printed without its year ("04-30", "Apr 30", "30 April"), else None."""
    match = _MONTH_DAY.match(clean_text(text) or "")
    if not match:
        return None
    number_month, number_day, month_first, day_after, day_first, month_after = match.groups()
    month, day = (number_month, number_day) if number_month else (
        (month_first, day_after) if month_first else (month_after, day_first))
    iso = _iso(2000, month, day)  # (a leap year: February 29 is a day)
    return (int(iso[5:7]), int(iso[8:10])) if iso else None


def year_heading(text: str | None) -> int | None:
    """The year a heading names ("2023", "April 2023", "2023 (12)"), else None."""
    match = _YEAR_HEADING.match(clean_text(text) or "")
    if not match or match.group(1) and _month_number(match.group(1)) is None:
        return None
    return int(match.group(2))


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


def is_fact(text: str | None) -> bool:
    """A date (with or without its year), a reading time or separators only: what a title link may also hold."""
    text = (text or "").strip(_SEPARATORS)
    return not text or bool(parse_date(text) or is_reading_time(text) or parse_month_day(text))


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


def looks_like_name(text: str | None, min_words: int = 1, lower_case: bool = False) -> bool:
    """Whether ``text`` reads as a person's name: "Zoë Brückner", "Jean-Luc de la Tour", "山田 太郎", "José 🚀"
    (a pictograph beside a name is kept as written). With ``lower_case`` (the context says byline: after "By"),
    a name of two words or more may be all lower case: "danah boyd"."""
    if not text or len(text) > 80:
        return False
    words = text.split()
    if not min_words <= len(words) <= 5 or words[-1].endswith(ELLIPSES):
        return False
    names = [word for word in words if word not in _NAME_PARTICLES and not _is_symbol(word)]
    if not names or not all(_NAME_WORD.match(word) for word in names):
        return False
    if all(_capital(word[0]) for word in names):
        return True
    return lower_case and len(names) >= 2 and all(word.islower() for word in names)


def _capital(letter: str) -> bool:
    """An upper-case letter, or a letter of a script without case (山, ア, ع)."""
    return letter.isupper() or letter.lower() == letter.upper()


def _is_symbol(word: str) -> bool:
    """A word of pictographs or symbols only (🚀, ★): decoration beside a name, no name of its own."""
    return all(unicodedata.category(char)[0] == "S" or char in "\u200d\ufe0f" for char in word)


def byline_names(text: str | None, min_words: int = 1) -> list[str]:
    """The names of ``text`` when all of it reads as a byline ("By A, B and C", "A and B"), else []; after "By"
    names may be all lower case ("By danah boyd")."""
    names = split_authors(text)
    lower_case = starts_with_by(text)
    return names if all(looks_like_name(name, min_words, lower_case) for name in names) else []


def rest_after_date(text: str | None) -> str | None:
    """What a text says after its date, facts with digits (reading times, word counts) left out: "A and B" of
    "Feb 7, 2023 · 5 min read · 320 words · A and B"."""
    found = find_date(clean_text(text))
    if not found:
        return None
    return clean_text(" ".join(_beside(found[1])[0])) or None


def _beside(rest: str) -> tuple[list[str], int]:
    """The parts of what follows a date (split at its separators) that are no facts, and how many facts
    stand apart from them behind a separator."""
    rest, reading_times = _MINUTES_READ.subn(" ", rest)
    parts = [part.strip(_SEPARATORS) for part in _BESIDE.split(f" {rest} ")]
    kept = [part for part in parts if part and not _DIGIT.search(part)]
    facts = reading_times + sum(1 for part in parts if part and _DIGIT.search(part))
    return kept, facts if len(parts) > 1 else 0  # (facts in the byline's slot: a separator between them)


def names_after_date(rest: str | None) -> list[str]:
    """The byline a text prints after its date (``rest``: " · A and B" of "Feb 7, 2023 · A and B"). A name
    of one word ("Kong", an organisation) only in the byline's slot: after "By", or after facts ("Apr 30,
    2023 · 1 min · Kong"); a lone word right after a date is rather a label ("Feb 7 · Featured")."""
    kept, facts = _beside(rest or "")
    text = " ".join(kept)
    return byline_names(text, min_words=1 if facts or starts_with_by(text) else 2)


def reads_as_slug(text: str | None, slug: str) -> bool:
    """Whether ``text`` slugified is ``slug``: "Product Releases" for "product-releases"."""
    text = (text or "").lower()
    if slug.split("-", 1)[0] not in text:
        return False  # (a cheap test first) the slug's first word is in the text
    return re.sub(r"[^0-9a-z]+", "-", text).strip("-") == slug
