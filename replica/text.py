"""Small text helpers shared by the content model, the markups and the truth.

Nothing here parses cards: these helpers only *produce* HTML and the
normalised ground-truth strings.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from datetime import date

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
MONTHS_SHORT = tuple(m[:3] for m in MONTHS)

# Characters written as entities when a post asks for "entity" style source.
_ENTITY_MAP = (
    ("\u2019", "&#8217;"),
    ("\u2018", "&#8216;"),
    ("\u201c", "&#8220;"),
    ("\u201d", "&#8221;"),
    ("\u00a0", "&nbsp;"),
    ("\u2026", "&hellip;"),
)


def collapse(text: str | None) -> str:
    """Ground-truth whitespace rule: Python ``str.split()`` semantics.

    Every run of Unicode whitespace (space, tab, newline, NO-BREAK SPACE
    U+00A0, ...) becomes one ASCII space; the result is stripped.
    """
    if text is None:
        return ""
    return " ".join(text.split())


def esc(text: str, entities: bool = False) -> str:
    """Escape *text* for an HTML text node.

    ``&``, ``<`` and ``>`` are always escaped (so ``&`` shows up as
    ``&amp;`` and a ``<script>`` in a title stays text).  With
    ``entities=True`` curly quotes, NBSP and the ellipsis are additionally
    written as numeric/named entities (``&#8217;``, ``&nbsp;``, ...).
    """
    out = html.escape(text, quote=False)
    if entities:
        for char, ent in _ENTITY_MAP:
            out = out.replace(char, ent)
    return out


def attr(text: str) -> str:
    """Escape *text* for a double-quoted attribute value."""
    return html.escape(text, quote=True)


def slugify(text: str) -> str:
    """ASCII slug: accents stripped, lower case, runs of non-alnum -> '-'."""
    norm = unicodedata.normalize("NFKD", text)
    ascii_text = norm.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def long_date(d: date) -> str:
    """'February 7, 2023' (locale independent)."""
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def short_date(d: date) -> str:
    """'Feb 7, 2023' (locale independent)."""
    return f"{MONTHS_SHORT[d.month - 1]} {d.day}, {d.year}"


def stable_hash(*parts: object) -> int:
    """Deterministic (process independent) integer hash of *parts*."""
    key = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")
