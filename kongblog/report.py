"""What a crawl saw of its listing: the record the health checks and the summary read.

The spider fills it as pages come and go; it is kept in the JOBDIR state, so
a resumed crawl judges everything it saw over all its runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    spellings: dict[str, str] = field(default_factory=dict)  # post -> the first way it was linked
    doubts: list[str] = field(default_factory=list)  # the first NAMED doubts
    doubt_count: int = 0
    healthy: bool = False  # set once every end-of-crawl health check passed

    @property
    def last_page(self) -> int | None:
        """The last page that held cards: where the listing really ends."""
        with_cards = [number for number, cards in self.cards_per_page.items() if cards]
        return max(with_cards) if with_cards else None

    @property
    def empty_pages(self) -> list[int]:
        return sorted(number for number, cards in self.cards_per_page.items() if not cards)

    @property
    def holes(self) -> dict[int, str]:
        """Pages answering 404 before the last page with cards: lost, not the end."""
        last = self.last_page or 0
        return {number: url for number, url in self.not_found.items() if number < last}

    @property
    def past_end(self) -> list[int]:
        last = self.last_page or 0
        return sorted(number for number in self.not_found if number > last)

    def end_hint(self) -> int | None:
        """The first page found missing after every page with cards: nothing is asked for beyond it."""
        past = self.past_end
        return past[0] if past else None

    def doubt(self, why: str) -> bool:
        """Count a doubt; True when it is among the first few, to be logged."""
        self.doubt_count += 1
        if len(self.doubts) < NAMED:
            self.doubts.append(why)
            return True
        return False


def named(items, limit: int = NAMED) -> str:
    """"a, b, c and 7 more": a list that stays short whatever its length."""
    items = list(items)
    shown = ", ".join(str(item) for item in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
