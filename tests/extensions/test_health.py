"""A crawl's health is its exit status: site breakage must fail the run loudly."""

import pytest

from kongblog.extensions.health import HealthLimits, evaluate, listing_problems
from kongblog.report import CrawlReport
from replica import ReplicaServer
from tests.support.crawl import run_crawl
from tests.support.responses import project_crawler

LIMITS = HealthLimits.from_settings(project_crawler().settings)
COVERAGE = LIMITS.min_coverage


@pytest.mark.slow
def test_healthy_replica_exits_zero(tmp_path):
    with ReplicaServer() as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"render": "never"})
    assert result.returncode == 0, result.log[-2000:]
    assert "kongblog health: all checks passed" in result.log
    assert result.stats["finish_reason"] == "finished"


@pytest.mark.slow
def test_page_served_without_cards_fails_and_names_the_page(tmp_path):
    with ReplicaServer(empty_pages={5}) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"render": "never"})
        expected = sorted(item["slug"] for item in server.expected_items())
    assert result.returncode == 1
    assert result.stats["finish_reason"] == "failed_health_checks"
    assert "listing pages without a card: 5" in result.log
    # Every other item is still exported.
    assert len(expected) == 285
    assert sorted(result.slugs()) == expected


@pytest.mark.slow
def test_lost_listing_page_fails(tmp_path):
    with ReplicaServer(fail_first={3}) as server:
        result = run_crawl(
            server.url("/blog/engineering"), tmp_path, args={"render": "never"}, settings={"RETRY_TIMES": "0"}
        )
    assert result.returncode == 1
    assert "listing pages lost: 3 (HTTP 503)" in result.log
    assert len(result.items) == 285


class StubSpider:
    """What the health checks read from the spider: its report."""

    def __init__(self, cards_per_page, complete=True, seen=300, promised=20, fields=None):
        self.report = CrawlReport(promised_last=promised, cards_per_page=cards_per_page)
        self.report.seen_posts = {f"post-{n}" for n in range(seen)}
        cards = self.report.cards
        self.report.fields.update({name: cards for name in COVERAGE} | (fields or {}))
        self.report.items_emitted = cards
        self.complete_listing = complete


def full_listing(**changes):
    return StubSpider({n: 15 for n in range(1, 21)}, **changes)


def healthy_stats(cards=300):
    """Scrapy's own figures of a crawl whose every card reached the output."""
    return {"item_scraped_count": cards}


def test_a_healthy_crawl_has_no_problem():
    assert evaluate(healthy_stats(), full_listing(), LIMITS) == []


def test_field_coverage_below_threshold_is_reported():
    spider = full_listing(fields={"authors": 270, "title": 299})
    assert evaluate(healthy_stats(), spider, LIMITS) == [
        "field coverage of authors: 270/300 cards = 90.0%, below 95%",
        "field coverage of title: 299/300 cards = 99.7%, below 100%",
    ]


def test_validation_drops_above_threshold_are_reported():
    stats = healthy_stats()
    stats["item_dropped_reasons_count/InvalidDate"] = 20
    stats["item_dropped_reasons_count/DuplicatePost"] = 50  # duplicates are normal, not counted
    assert evaluate(stats, full_listing(), LIMITS) == ["items dropped by validation: 20/300 = 6.7%, above 5%"]


def test_small_samples_skip_partial_coverage_but_not_required_fields():
    spider = StubSpider({1: 15}, complete=False, seen=15, fields={"authors": 14, "url": 14})
    problems = evaluate(healthy_stats(15), spider, LIMITS)
    assert problems == ["field coverage of url: 14/15 cards = 93.3%, below 100%"]


def test_items_lost_after_the_spider_emitted_them_are_reported():
    stats = {"item_scraped_count": 290, "item_dropped_count": 4}
    assert evaluate(stats, full_listing(), LIMITS) == [
        "items lost on the way to the output: 300 emitted, 294 reached the pipelines"
    ]


def test_article_failures_above_threshold_are_reported():
    spider = full_listing()
    spider.report.articles_failed, spider.report.articles_enriched = 30, 270
    assert evaluate(healthy_stats(), spider, LIMITS) == ["article pages that could not be read: 30/300 = 10.0%, above 5%"]


def test_undecodable_text_is_reported():
    stats = {**healthy_stats(), "kongblog/replacement_characters/title": 3, "kongblog/replacement_characters/excerpt": 2}
    assert evaluate(stats, full_listing(), LIMITS) == [
        "card texts hold U+FFFD, bytes the page's declared charset could not decode (excerpt 2, title 3): "
        "those fields are wrong"
    ]


def test_distinct_posts_are_judged_over_resumed_runs():
    stats = healthy_stats(165)  # this run's items only; the report holds every run's pages
    spider = full_listing(seen=300)
    spider.report.items_emitted = 165
    assert evaluate(stats, spider, LIMITS) == []
    spider.report.seen_posts = {f"post-{n}" for n in range(165)}
    assert evaluate(stats, spider, LIMITS) == [
        "distinct posts seen: 165, but 20 pages of up to 15 imply 286..300"
    ]


def test_a_page_with_fewer_cards_than_the_others_is_reported():
    spider = StubSpider({**{n: 15 for n in range(1, 21)}, 5: 7, 20: 4}, seen=281)
    assert listing_problems(spider.report, True) == [
        "listing pages with fewer cards than the other pages' 15 (cards lost in parsing?): 5 (7)"
    ]


def test_a_listing_ending_before_the_widget_promise_is_reported_once():
    report = CrawlReport(promised_last=99_999, cards_per_page={n: 15 for n in range(1, 21)})
    report.seen_posts = {f"post-{n}" for n in range(300)}
    report.not_found = {n: f"https://h/page/{n}" for n in range(21, 31)}
    assert listing_problems(report, True) == [
        "the pagination widget promised 99999 pages, but the listing ended after page 20 (pages 21-30 answered 404)"
    ]
    assert listing_problems(report, False) == []  # max_pages or incremental: not meant to see it all
    report.promised_last = 20  # a Next link led past the end: the end of the listing, no failure
    assert listing_problems(report, True) == []


def test_a_404_inside_the_listing_is_a_lost_page():
    report = CrawlReport(promised_last=20, cards_per_page={n: 15 for n in range(1, 21) if n != 7})
    report.seen_posts = {f"post-{n}" for n in range(285)}
    report.not_found = {7: "https://h/page/7"}
    assert listing_problems(report, True) == ["listing pages lost: 7 (HTTP 404 at https://h/page/7)"]


def test_pages_forbidden_by_robots_are_not_part_of_the_listing():
    report = CrawlReport(promised_last=20, cards_per_page={n: 15 for n in range(1, 21) if n != 7})
    report.seen_posts = {f"post-{n}" for n in range(285)}
    report.forbidden = {7}
    assert listing_problems(report, True) == []


def test_long_lists_of_pages_stay_short():
    report = CrawlReport(promised_last=20, cards_per_page={1: 15})
    report.lost = {n: "HTTP 500" for n in range(2, 200)}
    (problem,) = listing_problems(report, True)
    assert problem == (
        "listing pages lost: 2 (HTTP 500), 3 (HTTP 500), 4 (HTTP 500), 5 (HTTP 500), 6 (HTTP 500) and 193 more"
    )
