"""Health checks at the end of a crawl: a site redesign must fail the run loudly.

A crawl that "succeeds" with half the cards, or with every author missing,
is worse than one that fails: users trust its output without reading logs.
When every request is done, this extension compares what the crawl saw with
what a healthy crawl of the blog looks like. Any failed check is logged as a
report, recorded as a failure (``kongblog/failed``) and closes the spider
with the finish reason ``failed_health_checks``; the crawl command then exits
1. Items already scraped are exported and stored as usual.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured

from kongblog.failures import record_failure
from kongblog.pipelines.drops import VALIDATION_DROPS

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


@dataclass(frozen=True)
class HealthLimits:
    min_coverage: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MIN_COVERAGE))
    max_invalid_ratio: float = 0.05
    # Shares below 100 % are judged only on at least this many cards.
    min_sample: int = 40
    max_article_failure_ratio: float = 0.05

    @classmethod
    def from_settings(cls, settings) -> HealthLimits:
        coverage = {**DEFAULT_MIN_COVERAGE, **settings.getdict("KONGBLOG_MIN_COVERAGE")}
        return cls(
            min_coverage={name: float(value) for name, value in coverage.items()},
            max_invalid_ratio=settings.getfloat("KONGBLOG_MAX_INVALID_RATIO", 0.05),
            min_sample=settings.getint("KONGBLOG_COVERAGE_MIN_CARDS", 40),
            max_article_failure_ratio=settings.getfloat("KONGBLOG_MAX_ARTICLE_FAILURE_RATIO", 0.05),
        )


class CrawlHealthCheck:
    def __init__(self, crawler, limits: HealthLimits):
        self.crawler = crawler
        self.limits = limits
        self.checked = False

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("KONGBLOG_HEALTH_CHECKS", True):
            raise NotConfigured("KONGBLOG_HEALTH_CHECKS is off")
        extension = cls(crawler, HealthLimits.from_settings(crawler.settings))
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        return extension

    def spider_idle(self, spider):
        progress = getattr(spider, "progress", None)
        if self.checked or (progress is not None and (progress.pending or progress.held)):
            return  # the spider still has pages or items to settle: judge the final state
        self.checked = True
        problems = evaluate(self.crawler.stats.get_stats(), spider, self.limits)
        if not problems:
            logger.info("kongblog health: all checks passed")
            return
        report = "\n".join(f"  - {problem}" for problem in problems)
        logger.error("kongblog health: %d check(s) failed:\n%s", len(problems), report)
        for problem in problems:
            record_failure(self.crawler.stats, problem)
        self.crawler.stats.set_value("kongblog/health/failed_checks", len(problems))
        raise CloseSpider(FINISH_REASON)


def evaluate(stats: dict, spider, limits: HealthLimits) -> list[str]:
    """Every way this crawl differs from a healthy one, as readable sentences."""
    problems: list[str] = []
    for url in stats.get("kongblog/empty_listing_urls") or []:
        problems.append(f"listing page yielded zero cards: {url}")
    for url in stats.get("kongblog/lost_listing_urls") or []:
        problems.append(f"listing page lost after retries: {url}")
    for url in stats.get("kongblog/ignored_listing_urls") or []:
        problems.append(f"listing page skipped (robots.txt, a redirect, or off the host): {url}")

    cards = stats.get("kongblog/cards", 0)
    if cards:
        for name, minimum in sorted(limits.min_coverage.items()):
            if minimum < 1.0 and cards < limits.min_sample:
                continue  # a share of a handful of cards says nothing about the site
            present = stats.get(f"kongblog/fields/{name}", 0)
            ratio = present / cards
            if ratio < minimum:
                problems.append(
                    f"field coverage of {name}: {present}/{cards} cards = {ratio:.1%}, below {minimum:.0%}"
                )

    # A resumed crawl (JOBDIR) counts posts seen over every run, not only this one.
    distinct = len(getattr(spider, "seen_posts", ()) or ()) or stats.get("kongblog/unique_cards", 0)
    expected = expected_card_range(getattr(spider, "cards_per_page", {}), getattr(spider, "last_page", None))
    if expected and getattr(spider, "complete_listing", True):
        low, high = expected
        if not low <= distinct <= high:
            problems.append(
                f"distinct posts seen: {distinct}, but the pagination implies {low}..{high} "
                f"({spider.last_page} pages of up to {high // spider.last_page})"
            )

    invalid = sum(stats.get(f"item_dropped_reasons_count/{reason.__name__}", 0) for reason in VALIDATION_DROPS)
    if cards and invalid / cards > limits.max_invalid_ratio:
        problems.append(
            f"items dropped by validation: {invalid}/{cards} = {invalid / cards:.1%}, "
            f"above {limits.max_invalid_ratio:.0%}"
        )

    emitted = stats.get("kongblog/items_emitted", 0)
    arrived = stats.get("item_scraped_count", 0) + stats.get("item_dropped_count", 0)
    if arrived < emitted:
        problems.append(f"items lost on the way to the output: {emitted} emitted, {arrived} reached the pipelines")

    failed_articles = stats.get("kongblog/articles/failed", 0)
    tried = failed_articles + stats.get("kongblog/articles/enriched", 0)
    if tried and failed_articles / tried > limits.max_article_failure_ratio:
        problems.append(
            f"article pages that could not be read: {failed_articles}/{tried} = {failed_articles / tried:.1%}, "
            f"above {limits.max_article_failure_ratio:.0%}"
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
