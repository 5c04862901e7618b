"""What a crawl saw of its listing: the record the health checks and the summary read.

The spider fills it as pages come and go. It is kept in the JOBDIR state, so a resumed crawl is judged on
everything it saw over all its runs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kongblog import stats as keys
from kongblog.items import item_fields

# How many pages, doubts or reasons a report names before it only counts.
NAMED = 5


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
    items_emitted: int = 0  # this run's, as Scrapy's item counts
    articles_enriched: int = 0
    articles_failed: int = 0  # article pages that could not be read (the card is kept)
    doubts: list[str] = field(default_factory=list)  # the first NAMED doubts
    doubt_count: int = 0
    healthy: bool = False  # set once every end-of-crawl health check passed

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
        named = page.doubts[: max(NAMED - len(self.doubts), 0)]
        self.doubts += [f"page {page.number}: {why}" for why in named]
        self.doubt_count += len(page.doubts)
        return named

    def record_items(self, items, cards) -> None:
        """The items loaded from ``cards``, in the same order."""
        for item, card in zip(items, cards):
            if item.slug not in self.seen_posts:
                self.seen_posts.add(item.slug)
                self.last_new_page = max(self.last_new_page or 0, item.listing_page)
            spelling = urlsplit(card.href or card.url).path.rstrip("/")
            if self.spellings.setdefault(item.slug, spelling) != spelling:
                self.linked_two_ways += 1
            self.fields.update(name for name, value in item_fields(item).items() if value not in (None, "", []))

    def new_run(self) -> None:
        """A (resumed) run starts: what is counted per run starts again; the listing's record stays."""
        self.items_emitted = self.articles_enriched = self.articles_failed = 0
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
            keys.MENTIONS_ELSEWHERE: self.mentions_elsewhere,
            keys.SLUG_SPELLINGS: self.linked_two_ways,
            keys.ITEMS_EMITTED: self.items_emitted,
            keys.ARTICLES_ENRICHED: self.articles_enriched,
            keys.ARTICLES_FAILED: self.articles_failed,
            **{keys.FIELDS + name: count for name, count in self.fields.items()},
        }
        return {key: value for key, value in figures.items() if value}


def named(items, limit: int = NAMED) -> str:
    """"a, b, c and 7 more": a list that stays short whatever its length."""
    items = list(items)
    shown = ", ".join(str(item) for item in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
