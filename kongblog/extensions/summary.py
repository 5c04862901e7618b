"""One line at the end of a crawl that says what it did, and the stats as JSON."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from scrapy import signals

from kongblog import stats as keys
from kongblog.report import CrawlReport

logger = logging.getLogger(__name__)

DROP_PREFIX = "item_dropped_reasons_count/"


class CrawlSummary:
    def __init__(self, crawler, stats_file: str | None):
        self.crawler = crawler
        self.stats_file = stats_file

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler, crawler.settings.get("KONGBLOG_STATS_FILE"))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

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
            payload = {key: value for key, value in stats.items()}
            payload["finish_reason"] = reason
            path.write_text(json.dumps(payload, default=str, indent=2, sort_keys=True))


def summary_line(stats: dict, reason: str) -> str:
    drops = {
        key[len(DROP_PREFIX):]: value for key, value in sorted(stats.items()) if key.startswith(DROP_PREFIX)
    }
    parts = [
        f"pages={stats.get(keys.LISTING_PAGES, 0)}",
        f"empty_pages={stats.get(keys.EMPTY_PAGES, 0)}",
        f"cards={stats.get(keys.CARDS, 0)}",
        f"items={stats.get('item_scraped_count', 0)}",
        "dropped=" + (",".join(f"{name}:{count}" for name, count in drops.items()) or "0"),
    ]
    for key, label in (
        (keys.LOST_PAGES, "lost_pages"),
        (keys.SKIPPED_PAGES, "skipped_pages"),
        (keys.FORBIDDEN_PAGES, "robots_forbidden_pages"),
        (keys.DOUBTS, "doubts"),
        (keys.RENDER_ESCALATED, "escalated"),
        (keys.RENDER_PAGES, "browser_pages"),
        (keys.RENDER_TIMEOUTS, "browser_timeouts"),
        (keys.NEW_POSTS, "new_posts"),
        (keys.PAGES_SKIPPED, "pages_skipped"),
        (keys.ARTICLES_ENRICHED, "articles"),
        (keys.ARTICLES_FAILED, "articles_failed"),
        (keys.MONGO_DEAD_LETTERED, "dead_lettered"),
        (keys.MONGO_GONE, "gone"),
        (keys.MONGO_BACK, "back"),
    ):
        if key in stats:
            parts.append(f"{label}={stats[key]}")
    failed = stats.get(keys.FAILED)
    parts.append(f"finish_reason={reason}" + (f" FAILED: {failed}" if failed else ""))
    return "kongblog summary: " + " ".join(parts)
