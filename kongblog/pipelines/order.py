"""Items enter the pipelines in listing order, the order the spider released them in.

The spider releases a page's items in listing order, but Scrapy works through the outputs of two callbacks at
once, taking turns between them: on a busy machine the items of two listing pages interleave (page 7's first
ten, page 8's, then page 7's last five). Each item waits here for the one released before it. Items the spider
did not release from the listing (``articles=1``: as their article pages answer; another spider's) pass straight
through.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

logger = logging.getLogger(__name__)


class ListingOrderPipeline:
    # The longest an item waits for those before it: past it (an item lost on its way), order gives way, no item waits.
    MAX_WAIT = 60.0

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.next = 0  # the place of the item to pass next
        self.waiting: dict[int, asyncio.Future] = {}  # place -> the item there, waiting for those before it

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        released = getattr(self.crawler.spider, "release_order", None)  # (another spider of the project: none)
        place = released.pop(id(item), None) if released is not None else None
        if place is None:
            return item
        if place > self.next:
            self.waiting[place] = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(self.waiting[place], self.MAX_WAIT)
            except asyncio.TimeoutError:
                self.waiting.pop(place, None)
                logger.warning("item %d of the listing waited %gs for item %d: passed on out of order",
                               place, self.MAX_WAIT, self.next)
        self.next = max(self.next, place + 1)
        if (following := self.waiting.pop(self.next, None)) is not None and not following.done():
            following.set_result(None)  # (a done one gave up waiting: MAX_WAIT)
        return item
