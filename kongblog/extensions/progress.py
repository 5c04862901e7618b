"""How far a crawl is: listing pages read of those promised, items, errors (articles, with ``articles=1``).

It starts with one line saying what is crawled and where the items go. Then, on a terminal, the progress line is
redrawn in place below the log (a log file never gets it); in a log, an INFO line every
``KONGBLOG_PROGRESS_INTERVAL`` seconds (0: neither line).
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from kongblog.console import console_handler
from kongblog.store.config import SecretUri

logger = logging.getLogger(__name__)

# Seconds between redraws of the terminal's line: live, yet cheap.
TERMINAL_REFRESH = 0.5


class CrawlProgress:
    def __init__(self, crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        console = console_handler()
        self.terminal = console if console is not None and console.tty else None
        self.spider = None
        self.task = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("KONGBLOG_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        self.spider = spider
        logger.info("crawling %s into %s", getattr(spider, "start_url", spider.name), self.destinations())
        self.task = create_looping_call(self.show)
        self.task.start(TERMINAL_REFRESH if self.terminal else self.interval, now=False)

    def destinations(self) -> str:
        settings = self.crawler.settings
        places = [str(uri) for uri in settings.getdict("FEEDS")]
        if uri := settings.get("MONGO_URI"):
            database, collection = settings.get("MONGO_DATABASE"), settings.get("MONGO_COLLECTION")
            places.append(f"MongoDB {SecretUri(uri).masked} {database}.{collection}")
        return ", ".join(places) or "nowhere (no -o/-O feed, no MONGO_URI)"

    def line(self) -> str:
        stats = self.crawler.stats
        report = getattr(self.spider, "report", None)
        params = getattr(self.spider, "params", None)
        pages = len(report.cards_per_page) if report else 0
        promised = report.promised_last if report else None
        if promised and params and params.max_pages:
            promised = min(promised, params.max_pages)
        parts = [
            f"listing pages {pages}" + (f" of {promised}" if promised else ""),
            f"items {stats.get_value('item_scraped_count', 0)}",
            f"errors {stats.get_value('log_count/ERROR', 0)}",
        ]
        if report and params and params.articles:
            parts.append(f"articles {report.articles_enriched + report.articles_failed}")
        return ", ".join(parts)

    def show(self) -> None:
        if self.terminal:
            self.terminal.show_status(f"kongblog: {self.line()}")
        else:
            logger.info("kongblog progress: %s", self.line())

    def spider_closed(self, spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.terminal:
            self.terminal.end_status()
