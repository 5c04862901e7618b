"""Drop cards whose slug was already seen in this crawl.

A live listing shifts while we page through it (a new post pushes every card
one slot down), so the same card can show up on two pages. That is normal:
the later copies are dropped with :class:`~kongblog.pipelines.drops.DuplicatePost`
(logged at DEBUG) and counted in ``kongblog/duplicates``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from itemadapter import ItemAdapter

from kongblog import stats as keys
from kongblog.pipelines.drops import DuplicatePost

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["DeduplicatePostPipeline"]


class DeduplicatePostPipeline:
    """Keep the first card of each slug, drop the later ones."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self._seen: set[str] = set()

    @property
    def seen(self) -> set[str]:
        """Slugs seen so far; kept in the JOBDIR state so a resumed crawl remembers them."""
        state = getattr(self.crawler.spider, "state", None)
        if state is None:
            return self._seen
        return state.setdefault("deduplicate_seen_slugs", self._seen)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        slug = adapter.get("slug")
        if slug in self.seen:
            self.stats.inc_value(keys.DUPLICATES)
            raise DuplicatePost(
                f"DuplicatePost slug={slug!r} url={adapter.get('url')!r}: seen earlier in this crawl"
            )
        self.seen.add(slug)
        return item
