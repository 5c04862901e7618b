"""``scrapy crawl`` whose exit status tells whether the crawl was complete.

Scrapy exits 0 whenever the spider could be started, even when the crawl
lost pages, failed its health checks, raised in a callback, could not write
its feed or could not store its items. A scheduler only sees the exit
status, so this command turns those outcomes into exit status 1 (the items
already scraped are still exported).
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from kongblog.failures import FAILED


def crawl_failure(stats: dict, feeds: int = 0) -> str | None:
    """Why a finished crawl must count as failed, or None when it succeeded.

    ``feeds`` is how many feeds (``-o``/``-O``, FEEDS) the crawl had to write.
    """
    if stats.get(FAILED):
        return str(stats[FAILED])
    reason = stats.get("finish_reason")
    if reason != "finished":
        return f"finish reason {reason!r}"
    stored = sum(value for key, value in stats.items() if key.startswith("feedexport/success_count/"))
    if stored < feeds:
        # A feed that cannot be opened leaves no stat but its absence from the successes.
        return f"the feed could not be written: {stored} of {feeds} feed(s) stored (see the log)"
    exceptions = stats.get("spider_exceptions/count")
    if exceptions:
        return f"{exceptions} exception(s) in spider callbacks (see the log)"
    return None


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider; exit status 1 when the crawl failed or was incomplete"

    def _create_crawler(self, spname):
        self._crawler = super()._create_crawler(spname)
        return self._crawler

    def run(self, args, opts) -> None:
        super().run(args, opts)
        if self.exitcode:
            return
        crawler = self._crawler
        failure = crawl_failure(crawler.stats.get_stats(), feeds=len(crawler.settings.getdict("FEEDS")))
        if failure:
            print(f"kongblog: crawl failed: {failure}", file=sys.stderr)
            self.exitcode = 1
