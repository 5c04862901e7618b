"""What a crawl saw of its listing: the record the health checks and the summary read.

The spider fills it as pages come and go. It is kept in the JOBDIR state, so a resumed crawl is judged on
everything it saw over all its runs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from itemadapter import ItemAdapter

from kongblog import stats as keys

# How many pages, doubts or reasons a report names before it only counts.
MAX_NAMED = 5
# A publication date outside [EARLIEST_PLAUSIBLE, tomorrow] is kept, and counted as a doubt: more likely a
# misread (a year 0001, a copyright line) than a post.
EARLIEST_PLAUSIBLE = "1990-01-01"


@dataclass
class CrawlReport:
    promised_last: int | None = None  # the highest page any pagination widget showed
    cards_per_page: dict[int, int] = field(default_factory=dict)  # pages read, their card counts
    lost: dict[int, str] = field(default_factory=dict)  # page -> why it could not be read
    skipped: dict[int, str] = field(default_factory=dict)  # page -> where it redirected
    forbidden: set[int] = field(default_factory=set)  # robots.txt: not part of the listing
    not_found: dict[int, str] = field(default_factory=dict)  # page -> URL, answered 404
    shape: tuple | None = None  # the main listing's card shape on its first page with cards
    seen_posts: set[str] = field(default_factory=set)
    last_new_page: int | None = None  # the last page with a post no earlier page had
    spellings: dict[str, str] = field(default_factory=dict)  # post -> the path it was first linked with
    linked_two_ways: int = 0  # posts linked with two spellings of their slug (caf%C3%A9-x, café-x)
    fields: Counter = field(default_factory=Counter)  # field -> cards carrying it
    mentions_elsewhere: int = 0  # post links outside the main listing: sidebars, heroes
    shown_outside: int = 0  # posts no listing held, shown as a card outside it: emitted as their page's cards
    shown_outside_not_emitted: int = 0  # the same, on a crawl reading part of the listing: counted only
    thinner_dropped: int = 0  # the thinner of two copies of a post on neighbouring pages
    items_emitted: int = 0  # this run's, as Scrapy's item counts
    articles_enriched: int = 0
    articles_failed: int = 0  # article pages that could not be read (the card is kept)
    doubts: list[str] = field(default_factory=list)  # the first MAX_NAMED doubts
    doubt_count: int = 0
    implausible_dates: int = 0  # cards published before EARLIEST_PLAUSIBLE or after tomorrow (also doubts)
    max_pages: int | None = None  # what this run was asked to read (spider arguments)
    incremental: bool = False
    healthy: bool = False  # set once every end-of-crawl health check passed

    @property
    def complete_listing(self) -> bool:
        """Whether this crawl means to read the whole listing (the health checks and the store ask)."""
        whole = self.max_pages is None or (self.promised_last is not None and self.max_pages >= self.promised_last)
        return not self.incremental and whole

    @property
    def cards(self) -> int:
        return sum(self.cards_per_page.values())

    @property
    def last_page(self) -> int | None:
        """The last page that held cards: where the listing really ends."""
        return max((number for number, cards in self.cards_per_page.items() if cards), default=None)

    @property
    def empty_pages(self) -> list[int]:
        return sorted(number for number, cards in self.cards_per_page.items() if not cards)

    @property
    def lost_pages(self) -> dict[int, str]:
        """Page -> why, for pages not read and pages answering 404 before the last page with cards (not the end)."""
        last = self.last_page or 0
        return {**self.lost, **{n: f"HTTP 404 at {url}" for n, url in self.not_found.items() if n < last}}

    @property
    def past_end(self) -> list[int]:
        last = self.last_page or 0
        return sorted(number for number in self.not_found if number > last)

    def record_page(self, page) -> list[str]:
        """A :class:`~kongblog.extraction.listing.ListingPage` read; the doubts it raised worth a log line."""
        self.cards_per_page[page.number] = len(page.cards)
        if page.pagination.last_page:
            self.promised_last = max(self.promised_last or 0, page.pagination.last_page)
        if page.cards and self.shape is None:
            self.shape = page.shape
        self.mentions_elsewhere += page.mentions_elsewhere
        named = page.doubts[: max(MAX_NAMED - len(self.doubts), 0)]
        for why in page.doubts:
            self.add_doubt(f"page {page.number}: {why}")
        return named

    def add_doubt(self, doubt: str) -> None:
        self.doubt_count += 1
        if len(self.doubts) < MAX_NAMED:
            self.doubts.append(doubt)

    def record_progress(self, progress) -> None:
        """What the :class:`~kongblog.progress.ListingProgress` settled: the posts it emitted from outside the
        listing count as cards of their pages (the health checks judge them as the listing's)."""
        self.thinner_dropped = progress.thinner_dropped
        self.shown_outside_not_emitted = progress.outside_unconfirmed
        for item in (emitted := progress.take_shown_outside()):
            self.cards_per_page[item.listing_page] = self.cards_per_page.get(item.listing_page, 0) + 1
        self.record_items(emitted, [None] * len(emitted))
        self.shown_outside += len(emitted)

    def record_items(self, items, cards, today: date | None = None) -> None:
        """The items loaded from ``cards``, in the same order (``today``: the UTC date, for tests)."""
        latest = ((today or datetime.now(timezone.utc).date()) + timedelta(days=1)).isoformat()
        for item, card in zip(items, cards):
            adapter = ItemAdapter(item)
            slug, page = adapter["slug"], adapter["listing_page"]
            if slug not in self.seen_posts:
                self.seen_posts.add(slug)
                self.last_new_page = max(self.last_new_page or 0, page)
            spelling = urlsplit(card.href or card.url).path.rstrip("/") if card else None
            if spelling and self.spellings.setdefault(slug, spelling) != spelling:
                self.linked_two_ways += 1
            self.fields.update(name for name, value in adapter.items() if value not in (None, "", []))
            published = adapter["published"]
            if published and not EARLIEST_PLAUSIBLE <= published <= latest:
                self.implausible_dates += 1
                self.add_doubt(f"page {page}: {slug} published {published}, before 1990 or after tomorrow")

    def new_run(self, max_pages: int | None = None, incremental: bool = False) -> None:
        """A (resumed) run starts: what is counted per run starts again; the listing's record stays."""
        self.items_emitted = self.articles_enriched = self.articles_failed = 0
        self.max_pages, self.incremental = max_pages, incremental
        self.healthy = False

    def stats(self) -> dict:
        """The report's figures, as stats (only those that are not zero)."""
        figures = {
            keys.LISTING_PAGES: len(self.cards_per_page),
            keys.CARDS: self.cards,
            keys.UNIQUE_CARDS: len(self.seen_posts),
            keys.EMPTY_PAGES: len(self.empty_pages),
            keys.LOST_PAGES: len(self.lost_pages),
            keys.SKIPPED_PAGES: len(self.skipped),
            keys.FORBIDDEN_PAGES: len(self.forbidden),
            keys.PAGES_PAST_END: len(self.past_end),
            keys.DOUBTS: self.doubt_count,
            keys.DOUBT_EXAMPLES: self.doubts,
            keys.IMPLAUSIBLE_DATES: self.implausible_dates,
            keys.MENTIONS_ELSEWHERE: self.mentions_elsewhere,
            keys.SHOWN_OUTSIDE: self.shown_outside,
            keys.SHOWN_OUTSIDE_NOT_EMITTED: self.shown_outside_not_emitted,
            keys.THINNER_DUPLICATES: self.thinner_dropped,
            keys.SLUG_SPELLINGS: self.linked_two_ways,
            keys.ITEMS_EMITTED: self.items_emitted,
            keys.ARTICLES_ENRICHED: self.articles_enriched,
            keys.ARTICLES_FAILED: self.articles_failed,
            **{keys.FIELDS + name: count for name, count in self.fields.items()},
        }
        return {key: value for key, value in figures.items() if value}


def first_few(items, limit: int = MAX_NAMED) -> str:
    """"a, b, c and 7 more": a list that stays short whatever its length."""
    items = list(items)
    shown = ", ".join(str(item) for item in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
