"""Which listing pages a crawl asked for and finished, and what it saw on them.

Listing pages are fetched concurrently, but their items leave in listing
order: a page's items are held back until every earlier page it depends on is
done. When a card shows up on two pages (a live listing shifts while we read
it), the copy on the earlier page is therefore the one kept, whatever order
the responses arrived in.

A crawl run with JOBDIR keeps this object in ``spider.state``, so a resumed
crawl knows the pages already done and the items still held back.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ListingProgress:
    requested: set[int] = field(default_factory=set)
    pending: set[int] = field(default_factory=set)
    held: dict[int, list] = field(default_factory=dict)
    cards_per_page: dict[int, int] = field(default_factory=dict)
    last_page: int | None = None
    seen_posts: set[str] = field(default_factory=set)
    # Pages 2..scheduled_through were asked for once the last page was known.
    scheduled_through: int = 0

    def request(self, number: int) -> bool:
        """Register page ``number``; False when it was asked for already."""
        if number in self.requested:
            return False
        self.requested.add(number)
        self.pending.add(number)
        return True

    def complete(self, number: int, items: list) -> list:
        """Page ``number`` is done: the items that may leave now, in listing order."""
        self.pending.discard(number)
        self.held[number] = items
        return self.release()

    def release(self) -> list:
        released: list = []
        for number in sorted(self.held):
            if any(earlier < number for earlier in self.pending):
                break
            released.extend(self.held.pop(number))
        return released

    def release_all(self) -> list:
        """Everything held back, for when earlier pages will never be done."""
        released = [item for number in sorted(self.held) for item in self.held[number]]
        self.held.clear()
        return released

    def saw_last_page(self, number: int | None) -> None:
        if number:
            self.last_page = max(self.last_page or 0, number)
