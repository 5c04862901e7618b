"""Which listing pages a crawl asked for and finished, and the order its items leave in.

Pages are fetched concurrently, but items leave in listing order, and a page's items also wait for the page after
it: a listing that shifts while it is read shows a post on two neighbouring pages, and the fuller card is kept
(the earlier one when they are alike). A post repeated further away is left to the deduplicate pipeline.

A post a page shows outside its main listing, as a card of its own (``outside``), may be one the listing lacks
(a featured post) or one a later page lists (a hero): the page, and the pages after it, wait until the listing
holds that post or every page asked for is done. Then a post no page listed is emitted once, on the first page
showing it, at its reading place (the page's cards after it move down one), if the crawl reads the whole
listing (``whole``); else it is only counted.

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
    outside: dict[int, list] = field(default_factory=dict)  # page -> posts shown outside its listing, held
    listed: set[str] = field(default_factory=set)  # every post a main listing held (or emitted from outside)
    shown_outside: list = field(default_factory=list)  # emitted from outside the listing, not yet taken
    outside_unconfirmed: int = 0  # shown outside the listing only, not emitted: the crawl read part of it

    def __setstate__(self, state: dict) -> None:  # a JOBDIR saved before some fields existed
        self.__dict__.update({**ListingProgress().__dict__, **state})

    def request(self, number: int) -> bool:
        """Register page ``number``; False when it was asked for already."""
        if number in self.requested:
            return False
        self.requested.add(number)
        self.pending.add(number)
        return True

    def complete(self, number: int, items: list, outside: list = (), whole: bool = True) -> list:
        """Page ``number`` is done: the items that may leave now, in listing order (``outside``: the page's posts
        shown outside its main listing; ``whole``: whether the crawl reads the whole listing)."""
        self.pending.discard(number)
        self.held[number] = items
        self.listed.update(item.slug for item in items)
        if outside:
            self.outside[number] = list(outside)
        released: list = []
        for page in sorted(self.held):
            if any(waiting <= page + 1 for waiting in self.pending):
                break  # this page, or the one after it, is still on its way
            if self.pending and any(item.slug not in self.listed for item in self.outside.get(page, ())):
                break  # a post shown outside the listing that a later page may still list
            ready = self.held.pop(page)
            following = self.held.get(page + 1)
            if following:
                later = {item.slug: item for item in following}
                twins = [(item, later[item.slug]) for item in ready if item.slug in later]
                thinner = {id(item if fullness(twin) > fullness(item) else twin) for item, twin in twins}
                self.thinner_dropped += len(thinner)
                ready = [item for item in ready if id(item) not in thinner]
                self.held[page + 1] = [item for item in following if id(item) not in thinner]
            released.extend(self._with_outside(ready, self.outside.pop(page, []), whole))
        return released

    def _with_outside(self, ready: list, outside: list, whole: bool) -> list:
        """The page's ``ready`` items and its posts shown outside the listing only, in the order a reader sees."""
        unlisted = [item for item in outside if item.slug not in self.listed]
        if not unlisted:
            return ready
        if not whole:
            self.outside_unconfirmed += len(unlisted)
            return ready
        self.listed.update(item.slug for item in unlisted)  # emitted once, on the first page showing it
        self.shown_outside.extend(unlisted)
        emitted = {id(item) for item in unlisted}
        shift = 0
        for item in sorted(ready + unlisted, key=lambda item: (item.listing_position, id(item) not in emitted)):
            shift += id(item) in emitted
            item.listing_position += shift - (id(item) in emitted)  # placed before the cards after it
        return sorted(ready + unlisted, key=lambda item: item.listing_position)

    def take_shown_outside(self) -> list:
        """The posts emitted from outside the listing since the last call (to record in the crawl's report)."""
        taken, self.shown_outside = self.shown_outside, []
        return taken


def fullness(item) -> int:
    fields = ItemAdapter(item)
    return sum(1 for name in CARD_FIELDS if fields.get(name) not in (None, "", [], False))
