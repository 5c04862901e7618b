"""``scrapy crawl`` that refuses bad input up front and exits 1 on an untrustworthy crawl.

Before anything is fetched: spider arguments are checked (one line naming
the argument and what it accepts, exit status 2, as Scrapy's own usage
errors), and so is every file feed (``-o``/``-O``) — a path that cannot be
written is named now, not after the whole crawl.

Scrapy exits 0 whenever the spider could be started, even when the crawl
lost pages, failed its health checks, raised in a callback, could not write
its feed or could not store its items. A scheduler only sees the exit
status, so this command turns those outcomes into exit status 1 (the items
already scraped are still exported).
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


def unwritable(path: Path) -> str | None:
    """Why a feed cannot be written at ``path``, or None.

    Tried for real (a temporary file in the nearest existing folder, or the
    file opened for appending): permission bits say nothing to root.
    """
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
        assert self.crawler_process is not None and self.settings is not None
        spidercls = self.crawler_process.spider_loader.load(args[0])
        check = getattr(spidercls, "check_arguments", None)
        try:
            if check is not None:
                check(opts.spargs, self.settings)
        except BadArgument as exc:
            raise UsageError(str(exc), print_help=False) from None
        for uri in self.settings.getdict("FEEDS"):
            path = feed_path(str(uri))
            why = unwritable(path) if path is not None else None
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
