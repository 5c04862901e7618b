"""A start line (what is crawled, where the items go), then how far the crawl is: listing pages read of those
promised, items, errors (and articles, with ``articles=1``).

On a terminal the progress line is redrawn in place below the log; a log never gets it, but an INFO line every
``KONGBLOG_PROGRESS_INTERVAL`` seconds (0: no start or progress line).
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from kongblog.console import console_handler
from kongblog.store.config import SecretUri

logger = logging.getLogger(__name__)
TERMINAL_REFRESH = 0.5  # seconds between redraws of a terminal's line


class CrawlProgress:
    def __init__(self, crawler, interval: float) -> None:
        self.crawler = crawler
        console = console_handler()
        self.terminal = console if console is not None and console.tty else None
        self.interval = TERMINAL_REFRESH if self.terminal else interval
        self.spider = self.task = None

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
        settings = self.crawler.settings
        places = [str(uri) for uri in settings.getdict("FEEDS")]
        if uri := settings.get("MONGO_URI"):
            places.append(f"MongoDB {SecretUri(uri).masked} {settings['MONGO_DATABASE']}.{settings['MONGO_COLLECTION']}")
        where = ", ".join(places) or "nowhere (no -o/-O feed, no MONGO_URI)"
        logger.info("crawling %s into %s", getattr(spider, "start_url", spider.name), where)
        self.task = create_looping_call(self.show)
        self.task.start(self.interval, now=False)

    def line(self) -> str:
        stats, report, params = self.crawler.stats, getattr(self.spider, "report", None), getattr(self.spider, "params", None)
        promised = report and report.promised_last
        if promised and params and params.max_pages:
            promised = min(promised, params.max_pages)
        line = (f"listing pages {len(report.cards_per_page) if report else 0}" + (f" of {promised}" if promised else "")
                + f", items {stats.get_value('item_scraped_count', 0)}, errors {stats.get_value('log_count/ERROR', 0)}")
        if report and params and params.articles:
            line += f", articles {report.articles_enriched + report.articles_failed}"
        return line

    def show(self) -> None:
        if self.terminal:
            self.terminal.show_status(f"kongblog: {self.line()}")
        else:
            logger.info("kongblog progress: %s", self.line())

    def spider_closed(self, spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.terminal:
            self.terminal.show_status("")
