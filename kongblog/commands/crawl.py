"""``scrapy crawl`` that refuses bad input up front (exit status 2, one line) and exits 1 on an untrustworthy crawl.

Scrapy exits 0 whenever the spider could start, even when the crawl lost pages, failed its health checks or could
not write its output; a scheduler sees only the exit status.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from kongblog.spiders.params import BadArgument, feed_path
from kongblog.stats import FAILED


def crawl_failure(stats: dict, feeds: int = 0) -> str | None:
    """Why a finished crawl that had ``feeds`` feeds to write must count as failed, or None."""
    if stats.get(FAILED):
        return str(stats[FAILED])
    if stats.get("finish_reason") != "finished":
        return f"finish reason {stats.get('finish_reason')!r}"
    stored = sum(value for key, value in stats.items() if key.startswith("feedexport/success_count/"))
    if stored < feeds:
        # A feed that cannot be opened leaves no stat but its absence from the successes.
        return f"the feed could not be written: {stored} of {feeds} feed(s) stored (see the log)"
    if stats.get("spider_exceptions/count"):
        return f"{stats['spider_exceptions/count']} exception(s) in spider callbacks (see the log)"
    return None


def unwritable(path: Path) -> str | None:
    """Why a feed cannot be written at ``path``, or None; tried for real, as permission bits say nothing to root."""
    if path.is_dir():
        return "it is a folder"
    try:
        if path.exists():
            with path.open("ab"):
                return None
        folder = path.parent
        while not folder.exists():  # Scrapy creates the missing folders
            folder = folder.parent
        if not folder.is_dir():
            return f"{folder} is not a folder"
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider; exit status 1 when the crawl failed or was incomplete"

    def run(self, args, opts) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's own usage errors
            return
        check = getattr(self.crawler_process.spider_loader.load(args[0]), "check_arguments", None)
        try:
            if check is not None:
                check(opts.spargs, self.settings)
        except BadArgument as exc:
            raise UsageError(str(exc), print_help=False) from None
        for uri in self.settings.getdict("FEEDS"):
            path = feed_path(str(uri))
            why = path and unwritable(path)
            if why:
                raise UsageError(f"cannot write the feed {path}: {why}", print_help=False)

        crawler = self.crawler_process.create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        failure = crawl_failure(crawler.stats.get_stats(), feeds=len(crawler.settings.getdict("FEEDS")))
        if failure:
            print(f"kongblog: crawl failed: {failure}", file=sys.stderr)
            self.exitcode = 1
