"""``scrapy crawl`` whose exit status tells whether the crawl was complete.

Scrapy exits 0 whenever the spider could be started, even when the crawl
lost pages, failed its health checks or could not store its items. A
scheduler only sees the exit status, so this command turns those outcomes
into exit status 1 (the items already scraped are still exported).
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

FAILED_STAT = "kongblog/failed"


def crawl_failure(stats: dict) -> str | None:
    """Why a finished crawl must count as failed, or None when it succeeded."""
    if stats.get(FAILED_STAT):
        return str(stats[FAILED_STAT])
    reason = stats.get("finish_reason")
    if reason != "finished":
        return f"finish reason {reason!r}"
    return None


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider; exit status 1 when the crawl failed or was incomplete"

    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        failure = crawl_failure(crawler.stats.get_stats())
        if failure:
            print(f"kongblog: crawl failed: {failure}", file=sys.stderr)
            self.exitcode = 1
