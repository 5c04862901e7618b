"""Health checks at the end of a crawl: a site redesign must fail the run loudly.

A crawl that "succeeds" with half the cards, or every author missing, is worse than one that fails: users trust
its output. What the crawl saw (its :class:`~kongblog.report.CrawlReport`) is compared with a healthy crawl; a
failed check is logged and recorded as a failure, and closes the spider (so `scrapy crawl` exits 1).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured

from kongblog import stats as keys
from kongblog.failures import record_failure
from kongblog.pipelines.drops import VALIDATION_DROPS
from kongblog.report import CrawlReport, first_few

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealthLimits:
    min_coverage: dict[str, float]
    max_invalid_ratio: float
    min_sample: int  # shares below 100 % are judged only on at least this many cards
    max_article_failure_ratio: float

    @classmethod
    def from_settings(cls, settings) -> HealthLimits:
        coverage = {**settings.getdict("KONGBLOG_DEFAULT_MIN_COVERAGE"), **settings.getdict("KONGBLOG_MIN_COVERAGE")}
        return cls(
            min_coverage={name: float(value) for name, value in coverage.items()},
            max_invalid_ratio=settings.getfloat("KONGBLOG_MAX_INVALID_RATIO"),
            min_sample=settings.getint("KONGBLOG_COVERAGE_MIN_CARDS"),
            max_article_failure_ratio=settings.getfloat("KONGBLOG_MAX_ARTICLE_FAILURE_RATIO"),
        )


class CrawlHealthCheck:
    def __init__(self, crawler, limits: HealthLimits):
        self.crawler = crawler
        self.limits = limits
        self.checked = False
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("KONGBLOG_HEALTH_CHECKS"):
            raise NotConfigured  # off by choice: nothing to warn about
        return cls(crawler, HealthLimits.from_settings(crawler.settings))

    def spider_idle(self, spider):
        report = getattr(spider, "report", None)
        if self.checked or not isinstance(report, CrawlReport):
            return
        if spider.progress.pending or spider.progress.held:
            return  # the spider still has pages or items to settle: judge the final state
        self.checked = True
        problems = evaluate(self.crawler.stats.get_stats(), report, self.limits)
        if not problems:
            logger.info("kongblog health: all checks passed")
            report.healthy = True
            return
        listed = "\n".join(f"  - {problem}" for problem in problems)
        logger.error("kongblog health: %d check(s) failed:\n%s", len(problems), listed)
        for problem in problems:
            record_failure(self.crawler.stats, problem)
        self.crawler.stats.set_value(keys.HEALTH_FAILED_CHECKS, len(problems))
        raise CloseSpider("failed_health_checks")


def evaluate(stats: dict, report: CrawlReport, limits: HealthLimits) -> list[str]:
    """Every way this crawl (its report and its stats) differs from a healthy one, as readable sentences."""
    cards = report.cards
    problems = listing_problems(report) + coverage_problems(report.fields, cards, limits)
    invalid = sum(stats.get(keys.DROP_REASONS + reason.__name__, 0) for reason in VALIDATION_DROPS)
    if cards and invalid / cards > limits.max_invalid_ratio:
        share = f"{invalid}/{cards} = {invalid / cards:.1%}"
        problems.append(f"items dropped by validation: {share}, above {limits.max_invalid_ratio:.0%}")
    prefix = keys.REPLACEMENT_CHARS
    garbled = sorted(f"{key[len(prefix):]} {count}" for key, count in stats.items() if key.startswith(prefix))
    if garbled:
        problems.append(
            f"card texts hold U+FFFD, bytes the page's declared charset could not decode ({', '.join(garbled)}): "
            "those fields are wrong"
        )
    arrived = stats.get(keys.ITEMS_SCRAPED, 0) + stats.get(keys.ITEMS_DROPPED, 0)
    if arrived < report.items_emitted:
        problems.append(
            f"items lost on the way to the output: {report.items_emitted} emitted, {arrived} reached the pipelines"
        )
    failed, tried = report.articles_failed, report.articles_failed + report.articles_enriched
    if tried and failed / tried > limits.max_article_failure_ratio:
        problems.append(
            f"article pages that could not be read: {failed}/{tried} = {failed / tried:.1%}, "
            f"above {limits.max_article_failure_ratio:.0%}"
        )
    return problems


def listing_problems(report: CrawlReport) -> list[str]:
    """The listing pages that were not read as a healthy listing's are."""
    complete = report.complete_listing
    problems: list[str] = []
    last = report.last_page
    if report.empty_pages:
        problems.append(f"listing pages without a card: {first_few(report.empty_pages)}")
    lost = report.lost_pages
    skipped = {n: why for n, why in report.skipped.items() if last is None or n <= last}
    for label, pages in (("lost", lost), ("skipped", skipped)):
        if pages:
            listed = first_few(f"{n} ({why})" for n, why in sorted(pages.items()))
            problems.append(f"listing pages {label}: {listed}")
    if last is None:
        if not report.lost and not report.empty_pages:
            problems.append("the listing has no page with cards")
        return problems

    promised = report.promised_last
    if complete and promised and promised > last and not lost and not skipped:
        past = report.past_end
        answered = f" (pages {past[0]}-{past[-1]} answered 404)" if past else ""
        problems.append(
            f"the pagination widget promised {promised} pages, but the listing ended after page {last}{answered}"
        )

    # Every page but the last holds a full page of cards (the most common count).
    counts = {n: c for n, c in report.cards_per_page.items() if c and n not in report.forbidden}
    page_size = Counter(counts.values()).most_common(1)[0][0]
    short = sorted(n for n, c in counts.items() if n < last and c < page_size)
    if short:
        problems.append(
            f"listing pages with fewer cards than the other pages' {page_size} (cards lost in parsing?): "
            f"{first_few(f'{n} ({counts[n]})' for n in short)}"
        )
    if complete and not lost and not skipped and not report.empty_pages and not short:
        pages = len([n for n in range(1, last + 1) if n not in report.forbidden])
        low, high = (pages - 1) * page_size + 1, pages * page_size
        distinct = len(report.seen_posts)
        if not low <= distinct <= high:
            problems.append(
                f"distinct posts seen: {distinct}, but {pages} pages of up to {page_size} imply {low}..{high}"
            )
    return problems


def coverage_problems(fields, cards: int, limits: HealthLimits) -> list[str]:
    """Fields carried by fewer cards than a healthy listing's share (``fields``: name -> cards)."""
    problems = []
    for name, minimum in sorted(limits.min_coverage.items()) if cards else ():
        if minimum < 1.0 and cards < limits.min_sample:
            continue  # a share of a handful of cards says nothing about the site
        present = fields.get(name, 0)
        if present / cards < minimum:
            problems.append(
                f"field coverage of {name}: {present}/{cards} cards = {present / cards:.1%}, below {minimum:.0%}"
            )
    return problems
