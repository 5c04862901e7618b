"""Which listing pages a crawl asked for and finished, and the order its items leave in.

Listing pages are fetched concurrently, but their items leave in listing
order. A page's items also wait for the page after it: a listing that shifts
while it is read shows a post on two neighbouring pages, and the fuller of
the two cards is kept (the earlier one when they are alike), whichever page
answered first. A post repeated further away is left to the deduplicate
pipeline, which keeps the first.

A crawl run with JOBDIR keeps this object in ``spider.state``, so a resumed
crawl knows the pages already done and the items still held back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kongblog.items import CARD_FIELDS, item_fields


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
        return self.release()

    def release(self) -> list:
        released: list = []
        for number in sorted(self.held):
            if any(page <= number + 1 for page in self.pending):
                break  # this page, or the one after it, is still on its way
            items = self.held.pop(number)
            following = self.held.get(number + 1)
            if following:
                items, self.held[number + 1] = self._keep_fuller(items, following)
            released.extend(items)
        return released

    def _keep_fuller(self, items: list, following: list) -> tuple[list, list]:
        later = {item.slug: item for item in following}
        drop_here, drop_later = set(), set()
        for item in items:
            twin = later.get(item.slug)
            if twin is None:
                continue
            if fullness(twin) > fullness(item):
                drop_here.add(id(item))
            else:
                drop_later.add(id(twin))
        self.thinner_dropped += len(drop_here) + len(drop_later)
        return (
            [item for item in items if id(item) not in drop_here],
            [item for item in following if id(item) not in drop_later],
        )


def fullness(item) -> int:
    """How many of a card's fields carry a value."""
    fields = item_fields(item)
    return sum(1 for name in CARD_FIELDS if fields.get(name) not in (None, "", [], False))
