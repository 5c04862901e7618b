"""Health checks at the end of a crawl: a site redesign must fail the run loudly.

A crawl that "succeeds" with half the cards, or with every author missing,
is worse than one that fails: users trust its output without reading logs.
When every request is done, this extension compares what the crawl saw with
what a healthy crawl of the blog looks like. Any failed check is logged as a
report, recorded in the ``kongblog/failed`` stat and closes the spider with
the finish reason ``failed_health_checks``; the crawl command then exits 1.
Items already scraped are exported and stored as usual.
"""

from __future__ import annotations

import logging
from collections import Counter

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured

logger = logging.getLogger(__name__)

FINISH_REASON = "failed_health_checks"
# Fields every card has on a healthy listing page; the rest may be missing on some.
DEFAULT_MIN_COVERAGE = {
    "url": 1.0,
    "title": 1.0,
    "published": 1.0,
    "authors": 0.95,
    "excerpt": 0.95,
}
VALIDATION_DROPS = ("MissingField", "InvalidDate", "OffsiteUrl", "InvalidField")


class CrawlHealthCheck:
    def __init__(self, crawler, min_coverage: dict[str, float], max_invalid_ratio: float, min_sample: int):
        self.crawler = crawler
        self.min_coverage = min_coverage
        self.max_invalid_ratio = max_invalid_ratio
        self.min_sample = min_sample
        self.checked = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("KONGBLOG_HEALTH_CHECKS", True):
            raise NotConfigured("KONGBLOG_HEALTH_CHECKS is off")
        coverage = {**DEFAULT_MIN_COVERAGE, **settings.getdict("KONGBLOG_MIN_COVERAGE")}
        extension = cls(
            crawler,
            {field: float(value) for field, value in coverage.items()},
            settings.getfloat("KONGBLOG_MAX_INVALID_RATIO", 0.05),
            settings.getint("KONGBLOG_COVERAGE_MIN_CARDS", 40),
        )
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        return extension

    def spider_idle(self, spider):
        if self.checked:
            return
        self.checked = True
        problems = evaluate(
            self.crawler.stats.get_stats(), spider, self.min_coverage, self.max_invalid_ratio, self.min_sample
        )
        if not problems:
            logger.info("kongblog health: all checks passed")
            return
        report = "\n".join(f"  - {problem}" for problem in problems)
        logger.error("kongblog health: %d check(s) failed:\n%s", len(problems), report)
        stats = self.crawler.stats
        reasons = [*(stats.get_value("kongblog/failures") or []), *problems]
        stats.set_value("kongblog/failures", reasons)
        stats.set_value("kongblog/failed", "; ".join(reasons))
        stats.set_value("kongblog/health/failed_checks", len(problems))
        raise CloseSpider(FINISH_REASON)


def evaluate(
    stats: dict, spider, min_coverage: dict[str, float], max_invalid_ratio: float, min_sample: int = 40
) -> list[str]:
    """Every way this crawl differs from a healthy one, as readable sentences."""
    problems: list[str] = []
    for url in stats.get("kongblog/empty_listing_urls") or []:
        problems.append(f"listing page yielded zero cards: {url}")
    for url in stats.get("kongblog/lost_listing_urls") or []:
        problems.append(f"listing page lost after retries: {url}")
    for url in stats.get("kongblog/ignored_listing_urls") or []:
        problems.append(f"listing page skipped (robots.txt or a redirect off the host): {url}")

    cards = stats.get("kongblog/cards", 0)
    unique_cards = stats.get("kongblog/unique_cards", 0)
    if cards:
        for field, minimum in sorted(min_coverage.items()):
            if minimum < 1.0 and cards < min_sample:
                continue  # a share of a handful of cards says nothing about the site
            present = stats.get(f"kongblog/fields/{field}", 0)
            ratio = present / cards
            if ratio < minimum:
                problems.append(
                    f"field coverage of {field}: {present}/{cards} cards = {ratio:.1%}, below {minimum:.0%}"
                )

    expected = expected_card_range(getattr(spider, "cards_per_page", {}), getattr(spider, "last_page", None))
    if expected and getattr(spider, "complete_listing", True):
        low, high = expected
        if not low <= unique_cards <= high:
            problems.append(
                f"distinct posts seen: {unique_cards}, but the pagination implies {low}..{high} "
                f"({spider.last_page} pages of up to {high // spider.last_page})"
            )

    invalid = sum(stats.get(f"item_dropped_reasons_count/{reason}", 0) for reason in VALIDATION_DROPS)
    if cards and invalid / cards > max_invalid_ratio:
        problems.append(
            f"items dropped by validation: {invalid}/{cards} = {invalid / cards:.1%}, above {max_invalid_ratio:.0%}"
        )
    return problems


def expected_card_range(cards_per_page: dict[int, int], last_page: int | None) -> tuple[int, int] | None:
    """How many cards a full crawl must see: every page but the last is full.

    The page size is the most common card count among the pages seen; the last
    page holds between one card and a full page.
    """
    if not last_page or not cards_per_page:
        return None
    page_size = Counter(cards_per_page.values()).most_common(1)[0][0]
    if page_size <= 0:
        return None
    return (last_page - 1) * page_size + 1, last_page * page_size
