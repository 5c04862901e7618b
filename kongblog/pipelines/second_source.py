"""The blog's own feed as a second source: read once a crawl, it fills the title, date and authors a
card does not show; where a card shows them and the feed says otherwise, the card's value stays and
the disagreement is a counted doubt. ``KONGBLOG_SECOND_SOURCE = False`` turns it off."""

from __future__ import annotations

import asyncio
from typing import Any, Self
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.exceptions import NotConfigured

from kongblog.extraction.feed import read_feed
from kongblog import stats as keys
from kongblog.urls import canonical_post_url


class SecondSourcePipeline:
    def __init__(self, crawler, max_size: int) -> None:
        self.crawler = crawler
        self.max_size = max_size
        self._entries: asyncio.Future | None = None  # the feed's entries, asked for by the first item
        # Items leave in the order they came (the spider releases them in listing order): while the first ones
        # wait for the feed, a later one must not overtake them (asyncio.Lock lets its waiters in first come,
        # first served, and a newcomer queues behind them).
        self._in_order = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler) -> Self:
        if not crawler.settings.getbool("KONGBLOG_SECOND_SOURCE"):
            raise NotConfigured  # off by choice: nothing to warn about
        return cls(crawler, crawler.settings.getint("KONGBLOG_SECOND_SOURCE_MAXSIZE"))

    async def process_item(self, item: Any) -> Any:
        if self._entries is None:  # (the spider knows the feed once it has read the first listing page)
            self._entries = asyncio.ensure_future(self._read(getattr(self.crawler.spider, "feed_url", None)))
        adapter = ItemAdapter(item)
        async with self._in_order:
            entries = await asyncio.shield(self._entries)
        entry = entries.get(canonical_post_url(adapter.get("url"))) or {}
        for name, theirs in entry.items():
            ours = adapter.get(name)
            if theirs in (None, []) or ours == theirs:
                continue
            if ours in (None, []):
                adapter[name] = theirs
                self.crawler.stats.inc_value(keys.SECOND_SOURCE_FILLED)
            else:
                self.crawler.stats.inc_value(keys.SECOND_SOURCE_DISAGREED)
                self.crawler.spider.report.add_doubt(
                    f"the feed gives {name} {theirs!r} for {adapter.get('url')}, the card {ours!r}")
        return item

    async def _read(self, url: str | None) -> dict:
        spider = self.crawler.spider
        if not url or urlsplit(url).netloc.lower() != spider.netloc:
            return {}  # only the start URL's host is ever requested
        meta = {"download_maxsize": self.max_size, "dont_redirect": True, "handle_httpstatus_all": True}
        try:
            response = await self.crawler.engine.download_async(Request(url, meta=meta, dont_filter=True))
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            entries = read_feed(response.body)
        except Exception as exc:  # the cards stand alone: a feed is a help, never a requirement
            self.crawler.stats.inc_value(keys.SECOND_SOURCE_FAILED)
            spider.logger.warning("feed not read, cards not cross-checked: %s (%s)", url, exc)
            return {}
        self.crawler.stats.set_value(keys.SECOND_SOURCE_ENTRIES, len(entries))
        spider.logger.info("feed read: %d posts in %s", len(entries), url)
        return entries
