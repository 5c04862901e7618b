"""One line at the end of a crawl that says what it did, and the stats as JSON (``KONGBLOG_STATS_FILE``)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from scrapy import signals

from kongblog import stats as keys
from kongblog.report import CrawlReport

logger = logging.getLogger(__name__)

# Figures the line names only when the crawl has them.
LABELS = (
    (keys.LOST_PAGES, "lost_pages"),
    (keys.SKIPPED_PAGES, "skipped_pages"),
    (keys.FORBIDDEN_PAGES, "robots_forbidden_pages"),
    (keys.DOUBTS, "doubts"),
    (keys.SHOWN_OUTSIDE, "posts_outside_listing"),
    (keys.SHOWN_OUTSIDE_NOT_EMITTED, "posts_outside_listing_not_emitted"),
    (keys.RENDER_ESCALATED, "escalated"),
    (keys.RENDER_PAGES, "browser_pages"),
    (keys.RENDER_TIMEOUTS, "browser_timeouts"),
    (keys.NEW_POSTS, "new_posts"),
    (keys.PAGES_SKIPPED, "pages_skipped"),
    (keys.ARTICLES_ENRICHED, "articles"),
    (keys.ARTICLES_FAILED, "articles_failed"),
    (keys.ARTICLES_OFF_HOST, "articles_off_host"),
    (keys.MONGO_DEAD_LETTERED, "dead_lettered"),
    (keys.MONGO_GONE, "gone"),
    (keys.MONGO_BACK, "back"),
)


class CrawlSummary:
    def __init__(self, crawler, stats_file: str | None):
        self.crawler = crawler
        self.stats_file = stats_file
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("KONGBLOG_STATS_FILE"))

    def spider_closed(self, spider, reason):
        report = getattr(spider, "report", None)
        if isinstance(report, CrawlReport):  # what the crawl saw, for the stats file and this line
            for key, value in report.stats().items():
                self.crawler.stats.set_value(key, value)
        stats = self.crawler.stats.get_stats()
        logger.info(summary_line(stats, reason))
        if self.stats_file:
            path = Path(self.stats_file)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({**stats, keys.FINISH_REASON: reason}, default=str, indent=2, sort_keys=True))


def summary_line(stats: dict, reason: str) -> str:
    prefix = keys.DROP_REASONS
    drops = ",".join(f"{key[len(prefix):]}:{n}" for key, n in sorted(stats.items()) if key.startswith(prefix))
    parts = [
        f"pages={stats.get(keys.LISTING_PAGES, 0)}",
        f"empty_pages={stats.get(keys.EMPTY_PAGES, 0)}",
        f"cards={stats.get(keys.CARDS, 0)}",
        f"items={stats.get(keys.ITEMS_SCRAPED, 0)}",
        f"dropped={drops or 0}",
        *(f"{label}={stats[key]}" for key, label in LABELS if key in stats),
    ]
    failed = stats.get(keys.FAILED)
    parts.append(f"finish_reason={reason}" + (f" FAILED: {failed}" if failed else ""))
    return "kongblog summary: " + " ".join(parts)
