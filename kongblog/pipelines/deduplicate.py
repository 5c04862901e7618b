"""Drop cards whose slug was already seen in this crawl.

A live listing shifts while we page through it (a new post pushes every card one slot down), so the same card
can show up on two pages.
"""

from __future__ import annotations

from typing import Any, Self

from itemadapter import ItemAdapter

from kongblog import stats as keys
from kongblog.pipelines.drops import DuplicatePost


class DeduplicatePostPipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self._seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler) -> Self:
        return cls(crawler)

    @property
    def seen(self) -> set[str]:
        """Slugs seen so far; kept in the JOBDIR state so a resumed crawl remembers them."""
        state = getattr(self.crawler.spider, "state", None)
        return self._seen if state is None else state.setdefault("deduplicate_seen_slugs", self._seen)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        slug = adapter.get("slug")
        if slug in self.seen:
            self.crawler.stats.inc_value(keys.DUPLICATES)
            raise DuplicatePost(f"DuplicatePost slug={slug!r} url={adapter.get('url')!r}: seen earlier in this crawl")
        self.seen.add(slug)
        return item
