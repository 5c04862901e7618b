"""Which listing pages a crawl asked for and finished, and the order its items leave in.

Pages are fetched concurrently, but items leave in listing order, and a page's items also wait for the page after
it: a listing that shifts while it is read shows a post on two neighbouring pages, and the fuller card is kept
(the earlier one when they are alike). A post repeated further away is left to the deduplicate pipeline.
Kept in ``spider.state``, so a crawl resumed from its JOBDIR knows the pages done and the items held back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from itemadapter import ItemAdapter

from kongblog.items import CARD_FIELDS


@dataclass
class ListingProgress:
    requested: set[int] = field(default_factory=set)
    pending: set[int] = field(default_factory=set)
    held: dict[int, list] = field(default_factory=dict)
    thinner_dropped: int = 0

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
        released: list = []
        for page in sorted(self.held):
            if any(waiting <= page + 1 for waiting in self.pending):
                break  # this page, or the one after it, is still on its way
            ready = self.held.pop(page)
            following = self.held.get(page + 1)
            if following:
                later = {item.slug: item for item in following}
                twins = [(item, later[item.slug]) for item in ready if item.slug in later]
                thinner = {id(item if fullness(twin) > fullness(item) else twin) for item, twin in twins}
                self.thinner_dropped += len(thinner)
                ready = [item for item in ready if id(item) not in thinner]
                self.held[page + 1] = [item for item in following if id(item) not in thinner]
            released.extend(ready)
        return released


def fullness(item) -> int:
    fields = ItemAdapter(item)
    return sum(1 for name in CARD_FIELDS if fields.get(name) not in (None, "", [], False))
