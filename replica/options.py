"""Options of the replica.  The defaults describe a healthy 20-page blog."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

MARKUPS = ("utility", "semantic", "generated")
TRAPS = ("far_links", "popular_sidebar", "featured_hero", "newsletter_card", "author_avatars")

_PAGE_SET_FIELDS = (
    "js_pages",
    "empty_pages",
    "fail_first",
    "reset_pages",
    "slow_once",
    "duplicate_card",
    "broken_html_pages",
    "disallowed_pages",
)
_PAGE_FIELDS = (
    "huge_page",
    "invalid_utf8_page",
    "offsite_link",
    "redirect_offsite_page",
    "mislabeled_charset_page",
    "unicode_slug_page",
    "deep_nesting_page",
    "looping_script_page",
    "widget_last_page",
)


def _page_set(value: object) -> frozenset[int]:
    if value is None:
        return frozenset()
    if isinstance(value, int):
        return frozenset({value})
    if isinstance(value, str):
        return frozenset(int(v) for v in value.replace(" ", "").split(",") if v)
    return frozenset(int(v) for v in value)  # type: ignore[union-attr]


def _name_set(value: object, known: tuple[str, ...], what: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = value.split(",")
    names = frozenset(str(v).strip() for v in value if str(v).strip())  # type: ignore[union-attr]
    unknown = sorted(names - set(known))
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(map(repr, unknown))}; known: {', '.join(known)}")
    return names


@dataclass(frozen=True)
class ReplicaOptions:
    """Everything that shapes what the replica serves.

    Page numbers are *listing page* numbers (1 = ``/blog/<category>``).
    Page sets accept an int, an iterable of ints or a "3,7" string and are
    normalised to ``frozenset[int]``; single-page options take an int or None.

    Content
      markup        "utility" (Tailwind-like <div> soup, Next.js image proxy),
                    "semantic" (<article>, <time>, linked bylines) or
                    "generated" (one random, self-consistent card template
                    per ``template_seed``, see templates.py).  Same ground
                    truth for all three.
      template_seed seed of the generated template (markup="generated"
                    only): random.Random(f"template:{seed}").
      pages         listing pages of the healthy blog (before ``new_posts``).
      page_size     post cards a page.
      category      category slug; listing lives at /blog/<category>.
      revision      >0 rewrites the title and excerpt of the two posts in
                    ``content.REVISED_POSTS`` (slugs unchanged, truth follows).
      new_posts     K posts published on top of page 1; every older card moves
                    K positions down, the page count grows when needed.
      removed_posts slugs (a set, an iterable or "a,b") taken off the blog:
                    off the listing (every later card moves up one place),
                    their article pages answer 404, the truth follows.
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
      disallowed_pages  robots.txt forbids exactly these listing pages (an
                    Allow guard per next digit + a prefix Disallow, so page 7
                    does not block 70..79 under first-match or longest-match
                    parsers).  The pages still answer 200 with their cards;
                    their posts are absent from the truth.
      mislabeled_charset_page  that page's body is Latin-1 (characters
                    outside Latin-1 as &#NNNN;) while the Content-Type header
                    and <meta charset> say utf-8.  Truth unchanged.
      unicode_slug_page  N >= 2: the last post of page N-1 gets the slug
                    "café-" + its slug (NFC), linked with raw UTF-8 on page
                    N-1 and repeated percent-encoded as page N's first card.
                    Truth: once, at its page N-1 spot, url percent-encoded;
                    page N's own cards at positions 2..page_size+1.
      deep_nesting_page  on that page the cards from position 8 on sit
                    inside 2,500 nested <div>s (libxml2 stops at depth 2,048
                    even with huge_tree).  Truth unchanged.
      looping_script_page  layout + pagination, no cards, and a script that
                    busy-loops forever after the load event; its posts are
                    absent from the truth.
      widget_last_page  the pagination widget of every page claims this last
                    page (e.g. 99999) while the blog has ``pages`` pages;
                    pages past the real last one answer 404. Truth unchanged.
    Traps (any markup, combinable; none changes the truth)
      traps         names from TRAPS, a frozenset (an iterable or "a,b"):
                    far_links        "Archive" -> page 999 in the header nav,
                                     "Older stories" -> page 500 in the
                                     footer; robots.txt forbids page 999.
                    popular_sidebar  before the grid, outside it: "Popular
                                     posts" + 5 links (title + date) to the
                                     first 5 posts of the second-to-last page.
                    featured_hero    page 1 only, before the grid: a big
                                     "Featured" card repeating the post at
                                     page 3, position 4, with "Read more".
                    newsletter_card  a card-shaped tile with a form after the
                                     3rd post card of every page (no link,
                                     not counted in positions).
                    author_avatars   <img src="/avatars/<slug>.png" alt=name
                                     width=32 height=32> before every byline
                                     name (inside the author link if any).
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
    removed_posts: frozenset[str] = field(default_factory=frozenset)
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
    template_seed: int = 0
    traps: frozenset[str] = field(default_factory=frozenset)
    disallowed_pages: frozenset[int] = field(default_factory=frozenset)
    mislabeled_charset_page: int | None = None
    unicode_slug_page: int | None = None
    deep_nesting_page: int | None = None
    looping_script_page: int | None = None
    widget_last_page: int | None = None

    def __post_init__(self) -> None:
        if self.markup not in MARKUPS:
            raise ValueError(f"markup must be one of {MARKUPS}, not {self.markup!r}")
        object.__setattr__(self, "template_seed", int(self.template_seed))
        object.__setattr__(self, "traps", _name_set(self.traps, TRAPS, "trap"))
        if self.pages < 1 or self.page_size < 1:
            raise ValueError("pages and page_size must be >= 1")
        if self.new_posts < 0 or self.revision < 0:
            raise ValueError("new_posts and revision must be >= 0")
        for name in _PAGE_SET_FIELDS:
            object.__setattr__(self, name, _page_set(getattr(self, name)))
        for name in _PAGE_FIELDS:
            value = getattr(self, name)
            object.__setattr__(self, name, None if value is None else int(value))
        for name in ("broken_articles", "removed_posts"):
            slugs = getattr(self, name)
            if isinstance(slugs, str):
                slugs = [slug for slug in slugs.split(",") if slug]
            object.__setattr__(self, name, frozenset(slugs))
        if self.unicode_slug_page is not None and self.unicode_slug_page < 2:
            raise ValueError("unicode_slug_page must be >= 2 (its post comes from page N-1)")

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

