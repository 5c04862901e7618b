"""Options of the replica.  The defaults describe a healthy 20-page blog."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

MARKUPS = ("utility", "semantic")

_PAGE_SET_FIELDS = (
    "js_pages",
    "empty_pages",
    "fail_first",
    "reset_pages",
    "slow_once",
    "duplicate_card",
    "broken_html_pages",
)
_PAGE_FIELDS = ("huge_page", "invalid_utf8_page", "offsite_link", "redirect_offsite_page")


def _page_set(value: object) -> frozenset[int]:
    if value is None:
        return frozenset()
    if isinstance(value, int):
        return frozenset({value})
    if isinstance(value, str):
        return frozenset(int(v) for v in value.replace(" ", "").split(",") if v)
    return frozenset(int(v) for v in value)  # type: ignore[union-attr]


@dataclass(frozen=True)
class ReplicaOptions:
    """Everything that shapes what the replica serves.

    Page numbers are *listing page* numbers (1 = ``/blog/<category>``).
    Page sets accept an int, an iterable of ints or a "3,7" string and are
    normalised to ``frozenset[int]``; single-page options take an int or None.

    Content
      markup        "utility" (Tailwind-like <div> soup, Next.js image proxy)
                    or "semantic" (<article>, <time>, linked bylines).  Same
                    ground truth for both.
      pages         listing pages of the healthy blog (before ``new_posts``).
      page_size     post cards a page.
      category      category slug; listing lives at /blog/<category>.
      revision      >0 rewrites the title and excerpt of the two posts in
                    ``content.REVISED_POSTS`` (slugs unchanged, truth follows).
      new_posts     K posts published on top of page 1; every older card moves
                    K positions down, the page count grows when needed.
    Rendering
      js_pages      cards absent from the HTML; an inline script inserts them
                    at DOMContentLoaded from embedded JSON (truth unchanged).
      empty_pages   full layout + pagination but zero cards; the posts of
                    those pages are absent from the truth.
      delay         seconds slept before every response.
    Faults (deterministic; state of "first request" is per server and is
    reset by ``ReplicaServer.set_options`` / ``reset_faults``)
      fail_first    first request of these pages answers 503 (Retry-After: 1).
      reset_pages   first request of these pages: connection closed with a
                    TCP RST, no response at all.
      slow_once     first response of these pages sleeps ``slow_seconds``.
      duplicate_card   for each N: the last card of page N is repeated at
                    the top of page N+1 (truth keeps the first occurrence).
      broken_html_pages  unclosed tags and stray end tags around/inside the
                    cards; lxml still recovers the same cards.
      huge_page     that page is padded to ~5 MB with hidden filler text and
                    comments (cards unchanged).
      invalid_utf8_page  a few invalid UTF-8 bytes in non-card filler.
      offsite_link  that page carries one extra card linking to
                    http://offsite.invalid/blog/<category>/... (not a post of
                    this blog: not in the truth, not counted in positions).
      broken_articles  article pages of these slugs always answer 500.
      redirect_offsite_page  that page always answers 302 to
                    http://offsite.invalid/...; its posts are absent from the
                    truth.
    """

    markup: str = "utility"
    pages: int = 20
    page_size: int = 15
    category: str = "engineering"
    delay: float = 0.0
    js_pages: frozenset[int] = field(default_factory=frozenset)
    empty_pages: frozenset[int] = field(default_factory=frozenset)
    revision: int = 0
    new_posts: int = 0
    fail_first: frozenset[int] = field(default_factory=frozenset)
    reset_pages: frozenset[int] = field(default_factory=frozenset)
    slow_once: frozenset[int] = field(default_factory=frozenset)
    slow_seconds: float = 3.0
    duplicate_card: frozenset[int] = field(default_factory=frozenset)
    broken_html_pages: frozenset[int] = field(default_factory=frozenset)
    huge_page: int | None = None
    invalid_utf8_page: int | None = None
    offsite_link: int | None = None
    redirect_offsite_page: int | None = None
    broken_articles: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.markup not in MARKUPS:
            raise ValueError(f"markup must be one of {MARKUPS}, not {self.markup!r}")
        if self.pages < 1 or self.page_size < 1:
            raise ValueError("pages and page_size must be >= 1")
        if self.new_posts < 0 or self.revision < 0:
            raise ValueError("new_posts and revision must be >= 0")
        for name in _PAGE_SET_FIELDS:
            object.__setattr__(self, name, _page_set(getattr(self, name)))
        for name in _PAGE_FIELDS:
            value = getattr(self, name)
            object.__setattr__(self, name, None if value is None else int(value))
        slugs = self.broken_articles
        if isinstance(slugs, str):
            slugs = [slug for slug in slugs.split(",") if slug]
        object.__setattr__(self, "broken_articles", frozenset(slugs))

    def replace(self, **changes: object) -> "ReplicaOptions":
        return dataclasses.replace(self, **changes)

    @classmethod
    def coerce(cls, options: "ReplicaOptions | dict | None" = None, **changes: object) -> "ReplicaOptions":
        """Options from an instance, a dict of fields, or keyword changes."""
        if options is None:
            base = cls()
        elif isinstance(options, cls):
            base = options
        elif isinstance(options, dict):
            base = cls(**options)
        else:
            raise TypeError(f"cannot make ReplicaOptions from {type(options).__name__}")
        return dataclasses.replace(base, **changes) if changes else base

