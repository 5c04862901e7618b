"""What the texts of a blog card look like: dates, bylines, names, whitespace.

Pure functions for extraction ("is this text a date? a byline?") and the item loader (text to field value).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

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
# "February 7, 2023", "Sun. Feb 7th 2023"; "7 February 2023", "Tuesday, 7 Feb, 2023"; a weekday is skipped.
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? )?"
_MONTH_FIRST = re.compile(rf"^{_WEEKDAY}(?P<m>[a-z]+)\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y>\d{{4}})$", re.I)
_DAY_FIRST = re.compile(rf"^{_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?P<m>[a-z]+)\.?,? (?P<y>\d{{4}})$", re.I)
# Digits only: 2023-04-30, 2023/04/30 (year first); 30.04.2023 (dots: day first); 30/04/2023 or 04/30/2023
# (slashes: whichever order alone makes a date).
_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?:[T ].*)?$")
_YEAR_LAST = re.compile(r"^(?P<d>\d{1,2})(?P<sep>[./])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})$")
_DATE_FORMS = (_YEAR_FIRST, _YEAR_LAST, _MONTH_FIRST, _DAY_FIRST)
# Three numbers whose order the page tells, not the text: "23/10/08", "08.10.23", "04/05/2023".
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$")
DATE_ORDERS = ("ymd", "dmy", "mdy")  # (what a reader may meet: year, day or month first)
_EARLIEST = date(1990, 1, 1)
_WORDS_AFTER = re.compile(r"\S+\s.*[^\W\d_]", re.S)  # a letter after the first word
_DIGIT = re.compile(r"\d")
# No word boundary before the month: listings glue the category to the date
# ("EngineeringFebruary 7, 2023") when the markup has no space between them.
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_IN_TEXT = re.compile(
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}\b"
    r"|\b\d{4}([-/.])\d{1,2}\1\d{1,2}\b|\b\d{1,2}([./])\d{1,2}\2\d{4}\b"
)
# What names a year above an archive's entries: "2023", "April 2023", "2023 (12)".
_YEAR_HEADING = re.compile(rf"^(?:{_MONTHS} )?(\d{{4}})(?: \(\d+\))?$", re.I)
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
    match = next(filter(None, (form.match(text) for form in _DATE_FORMS)), None)
    if not match:
        return None
    year, month, day = match["y"], match["m"], match["d"]
    if match.re is _YEAR_LAST and match["sep"] == "/" and int(day) <= 12:  # 04/30/2023: month first
        if int(month) <= 12 and day != month:
            return None  # 04/05/2023: April 5 or May 4, no guess
        day, month = month, day
    number = int(month) if month.isdecimal() else _MONTH_NUMBERS.get(month.lower())
    try:
        return date(int(year), number, int(day)).isoformat() if number else None
    except ValueError:  # February 30
        return None


def date_only(text: str | None) -> str | None:
    """:func:`parse_date` of a text that holds the date and nothing else (a time at most): not of
    "2023-06-17 4 min read · Ann Lee", which reads as a date with words after it."""
    iso = parse_date(text)
    return None if iso and text.lstrip()[:4].isdecimal() and _WORDS_AFTER.match(text.strip()) else iso


def numeric_date(text: str | None) -> bool:
    """Whether ``text`` is a date of three numbers ("23/10/08", "13/05/2023"), read alone or not."""
    return bool(text) and len(text) <= 20 and _NUMERIC_DATE.match(text.strip()) is not None


def date_in_order(text: str, order: str, today: date) -> date | None:
    """The date of :func:`numeric_date` ``text`` read in ``order`` ("ymd"), if it is a day from 1990 to the
    day after ``today`` (UTC): a two-digit year is the latest of its century not after that day."""
    first, _, second, third = _NUMERIC_DATE.match(text.strip()).groups()
    parts = dict(zip(order, (first, second, third)))
    latest, year = today + timedelta(days=1), int(parts["y"])
    if len(parts["y"]) <= 2:
        year += 2000 if 2000 + year <= latest.year else 1900
    try:
        found = date(year, int(parts["m"]), int(parts["d"]))
    except ValueError:  # month 23, February 30
        return None
    return found if _EARLIEST <= found <= latest else None


def parse_month_day(text: str | None) -> str | None:
    """``MM-DD`` of a date printed without its year, as archives under year headings do: "04-30", "Apr 30"."""
    text = clean_text(text) or ""
    iso = len(text) <= 12 and (parse_date(f"2000-{text}") or parse_date(f"{text} 2000"))
    return iso[5:] if iso else None  # (2000 is a leap year: February 29 is a day)


def year_heading(text: str | None) -> int | None:
    """The year a heading names ("2023", "April 2023", "2023 (12)"), else None."""
    match = _YEAR_HEADING.match(clean_text(text) or "")
    return int(match.group(1)) if match else None


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
    """A date (with or without its year), a reading time or separators only: what a title link may hold too."""
    text = (text or "").strip(_SEPARATORS)
    return not text or bool(date_only(text) or is_reading_time(text) or parse_month_day(text))


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
    """Whether ``text`` reads as a person's name: "Zoë Brückner", "Jean-Luc de la Tour", "山田 太郎" or
    "山田太郎", "José 🚀" (a pictograph beside a name is kept as written). With ``lower_case`` (the context
    says byline: after "By"), a name of two words or more may be all lower case: "danah boyd"."""
    if not text or len(text) > 80:
        return False
    words = text.split()
    if not min_words <= len(words) <= 5 and not (len(words) == 1 and is_caseless(text)) or text.endswith(ELLIPSES):
        return False
    names = [word for word in words if word not in _NAME_PARTICLES and not _is_symbol(word)]
    if not names or not all(_NAME_WORD.match(word) for word in names):
        return False
    if all(word[0].isupper() or word[0].lower() == word[0].upper() for word in names):  # (山: no case)
        return True
    return lower_case and len(names) >= 2 and all(word.islower() for word in names)


def is_caseless(word: str) -> bool:
    """A word of a script without case ("山田太郎"): a whole name may be written as one."""
    return all(char.isalpha() and char.lower() == char.upper() for char in word)


def _is_symbol(word: str) -> bool:
    """A word of pictographs or symbols only (🚀, ★): decoration beside a name, no name of its own."""
    return all(unicodedata.category(char)[0] == "S" or char in "\u200d\ufe0f" for char in word)


def byline_names(text: str | None, min_words: int = 1) -> list[str]:
    """The names of ``text`` when all of it reads as a byline ("By A, B and C", "A and B"), else []; after "By"
    names may be all lower case ("By danah boyd")."""
    names, lower_case = split_authors(text), starts_with_by(text)
    return names if all(looks_like_name(name, min_words, lower_case) for name in names) else []


def rest_after_date(text: str | None) -> str | None:
    """What a text says after its date, facts with digits (reading times, word counts) left out: "A and B" of
    "Feb 7, 2023 · 5 min read · 320 words · A and B"."""
    found = find_date(clean_text(text))
    return clean_text(" ".join(_beside(found[1])[0])) if found else None


def _beside(rest: str) -> tuple[list[str], int]:
    """The parts of what follows a date, split at its separators, that are no facts; and how many facts
    stand behind a separator."""
    rest, facts = _MINUTES_READ.subn(" ", rest)
    parts = [part.strip(_SEPARATORS) for part in _BESIDE.split(f" {rest} ")]
    kept = [part for part in parts if part and not _DIGIT.search(part)]
    return kept, facts + len([part for part in parts if part]) - len(kept) if len(parts) > 1 else 0


def names_after_date(rest: str | None) -> list[str]:
    """The byline printed after a date (``rest``: " · A and B"). A one-word name ("Kong", an organisation)
    only in a byline's slot: after "By" or after facts ("· 1 min · Kong"); "Feb 7 · Featured" is a label."""
    if not rest or len(rest) > 300:
        return []  # (the cheap test first) a byline beside a date is short; a longer text is prose
    kept, facts = _beside(rest)
    return byline_names(" ".join(kept), min_words=1 if facts or starts_with_by(" ".join(kept)) else 2)


def reads_as_slug(text: str | None, slug: str) -> bool:
    """Whether ``text`` slugified is ``slug``: "Product Releases" for "product-releases"."""
    text = (text or "").lower()
    if slug.split("-", 1)[0] not in text:
        return False  # (a cheap test first) the slug's first word is in the text
    return re.sub(r"[^0-9a-z]+", "-", text).strip("-") == slug
