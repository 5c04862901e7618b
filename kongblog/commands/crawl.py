"""``scrapy crawl`` that refuses bad input up front (exit status 2, one line) and exits 1 on an untrustworthy crawl.

Scrapy exits 0 whenever the spider could start, even when the crawl lost pages, failed its health checks or could
not write its output; a scheduler sees only the exit status. On a console the crawl is quiet (kongblog.console),
and a site that never answered is said in one line, with what to do.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from kongblog import console
from kongblog.spiders.params import BadArgument, feed_path
from kongblog.stats import FAILED, FINISH_REASON

logger = logging.getLogger("kongblog")

# What a network failure means, by the end of its exception's class name (Scrapy counts them by class).
NETWORK_FAILURES = {"DNSLookupError": "its name does not resolve", "ResolveHostError": "its name does not resolve",
                    "RefusedError": "the connection was refused", "TimeoutError": "it did not answer in time",
                    "TimedOutError": "it did not answer in time"}  # fmt: skip
REPLICA_HINT = (
    "check the network, or try the offline replica: "
    ".venv/bin/python -m replica --port 8000 & "
    "bash scripts/crawl.sh -a start_url=http://127.0.0.1:8000/blog/engineering -O data/replica.jsonl"
)


def crawl_failure(stats: dict, feeds: int = 0) -> str | None:
    """Why a finished crawl that had ``feeds`` feeds to write must count as failed, or None."""
    if stats.get(FAILED):
        return str(stats[FAILED])
    if stats.get(FINISH_REASON) != "finished":
        return f"finish reason {stats.get(FINISH_REASON)!r}"
    stored = sum(value for key, value in stats.items() if key.startswith("feedexport/success_count/"))
    if stored < feeds:
        # A feed that cannot be opened leaves no stat but its absence from the successes.
        return f"the feed could not be written: {stored} of {feeds} feed(s) stored (see the log)"
    if stats.get("spider_exceptions/count"):
        return f"{stats['spider_exceptions/count']} exception(s) in spider callbacks (see the log)"
    return None


def unreachable(stats: dict, start_url: str) -> str | None:
    """One line for a crawl that never got an answer from its site, saying what to do; None when it got one."""
    if stats.get("downloader/response_count") or not stats.get("downloader/exception_count"):
        return None
    prefix = "downloader/exception_type_count/"
    failures = Counter({key[len(prefix):].rpartition(".")[2]: n for key, n in stats.items() if key.startswith(prefix)})
    name = failures.most_common(1)[0][0] if failures else ""
    why = next((text for end, text in NETWORK_FAILURES.items() if name.endswith(end)), name or "no answer")
    return f"kongblog: cannot reach {urlsplit(start_url).netloc or start_url} ({why}): {REPLICA_HINT}"


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

    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        if console.quiet(self.settings):
            # Scrapy's handler would print its banner before run(); run() installs the console instead.
            self.settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")

    def run(self, args, opts) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's own usage errors
            return
        screen = console.install(self.settings) if console.quiet(self.settings) else None
        refusal = self.refusal(args[0], opts.spargs)
        if refusal:
            self.say(f"kongblog: error: {refusal}")
            self.exitcode = 2
            return

        crawler = self.crawler_process.create_crawler(args[0])
        if screen is not None:
            crawler.signals.connect(screen.site_answered, signal=signals.response_received)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            failure, lost = "it could not start", None
        else:
            stats = crawler.stats.get_stats()
            failure = crawl_failure(stats, feeds=len(crawler.settings.getdict("FEEDS")))
            lost = failure and unreachable(stats, getattr(crawler.spider, "start_url", ""))
        if screen is not None and lost:
            screen.forget_held()  # they all say the site never answered: one line says it instead
        elif screen is not None:
            screen.site_answered()
        if lost:
            self.say(lost)
        elif failure and not self.crawler_process.bootstrap_failed:
            self.say(f"kongblog: crawl failed: {failure}")
        if failure:
            self.exitcode = 1

    def refusal(self, spider_name: str, arguments: dict) -> str | None:
        """Why these arguments and feeds cannot work, before anything starts; None when they can."""
        check = getattr(self.crawler_process.spider_loader.load(spider_name), "check_arguments", None)
        try:
            if check is not None:
                check(arguments, self.settings)
        except BadArgument as exc:
            return str(exc)
        for uri in self.settings.getdict("FEEDS"):
            path = feed_path(str(uri))
            why = path and unwritable(path)
            if why:
                return f"cannot write the feed {path}: {why}"
        return None

    def say(self, line: str) -> None:
        """One line on stderr, and last in the log file when there is one (a Scrapyd job's log)."""
        print(line, file=sys.stderr)
        if self.settings.get("LOG_FILE"):
            logger.error(line)
