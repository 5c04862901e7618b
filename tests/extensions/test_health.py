"""A crawl's health is its exit status: site breakage must fail the run loudly."""

import datetime

import pytest

from kongblog.extensions.health import HealthLimits, evaluate, listing_problems
from kongblog.extraction.card import RawCard
from kongblog.loaders import PostLoader
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


def report_of(cards_per_page, complete=True, seen=300, promised=20, fields=None) -> CrawlReport:
    """What the health checks read: a crawl's report (not complete: a crawl asked for its first page only)."""
    report = CrawlReport(promised_last=promised, cards_per_page=cards_per_page, max_pages=None if complete else 1)
    report.seen_posts = {f"post-{n}" for n in range(seen)}
    report.fields.update({name: report.cards for name in COVERAGE} | (fields or {}))
    report.items_emitted = report.cards
    return report


def full_listing(**changes):
    return report_of({n: 15 for n in range(1, 21)}, **changes)


def healthy_stats(cards=300):
    """Scrapy's own figures of a crawl whose every card reached the output."""
    return {"item_scraped_count": cards}


def test_a_healthy_crawl_has_no_problem():
    assert evaluate(healthy_stats(), full_listing(), LIMITS) == []


def test_field_coverage_below_threshold_is_reported():
    report = full_listing(fields={"authors": 270, "title": 299})
    assert evaluate(healthy_stats(), report, LIMITS) == [
        "field coverage of authors: 270/300 cards = 90.0%, below 95%",
        "field coverage of title: 299/300 cards = 99.7%, below 100%",
    ]


def test_validation_drops_above_threshold_are_reported():
    stats = healthy_stats()
    stats["item_dropped_reasons_count/MissingField"] = 20
    stats["item_dropped_reasons_count/DuplicatePost"] = 50  # duplicates are normal, not counted
    assert evaluate(stats, full_listing(), LIMITS) == ["items dropped by validation: 20/300 = 6.7%, above 5%"]


def test_small_samples_skip_partial_coverage_but_not_required_fields():
    report = report_of({1: 15}, complete=False, seen=15, fields={"authors": 14, "url": 14})
    problems = evaluate(healthy_stats(15), report, LIMITS)
    assert problems == ["field coverage of url: 14/15 cards = 93.3%, below 100%"]


def test_items_lost_after_the_spider_emitted_them_are_reported():
    stats = {"item_scraped_count": 290, "item_dropped_count": 4}
    assert evaluate(stats, full_listing(), LIMITS) == [
        "items lost on the way to the output: 300 emitted, 294 reached the pipelines"
    ]


def test_article_failures_above_threshold_are_reported():
    report = full_listing()
    report.articles_failed, report.articles_enriched = 30, 270
    assert evaluate(healthy_stats(), report, LIMITS) == ["article pages that could not be read: 30/300 = 10.0%, above 5%"]


def test_undecodable_text_is_reported():
    stats = {**healthy_stats(), "kongblog/replacement_characters/title": 3, "kongblog/replacement_characters/excerpt": 2}
    assert evaluate(stats, full_listing(), LIMITS) == [
        "card texts hold U+FFFD, bytes the page's declared charset could not decode (excerpt 2, title 3): "
        "those fields are wrong"
    ]


def test_distinct_posts_are_judged_over_resumed_runs():
    stats = healthy_stats(165)  # this run's items only; the report holds every run's pages
    report = full_listing(seen=300)
    report.items_emitted = 165
    assert evaluate(stats, report, LIMITS) == []
    report.seen_posts = {f"post-{n}" for n in range(165)}
    assert evaluate(stats, report, LIMITS) == [
        "distinct posts seen: 165, but 20 pages of up to 15 imply 286..300"
    ]


def test_a_page_with_fewer_cards_than_the_others_is_reported():
    report = report_of({**{n: 15 for n in range(1, 21)}, 5: 7, 20: 4}, seen=281)
    assert listing_problems(report) == [
        "listing pages with fewer cards than the other pages' 15 (cards lost in parsing?): 5 (7)"
    ]


def test_a_listing_ending_before_the_widget_promise_is_reported_once():
    report = CrawlReport(promised_last=99_999, cards_per_page={n: 15 for n in range(1, 21)})
    report.seen_posts = {f"post-{n}" for n in range(300)}
    report.not_found = {n: f"https://h/page/{n}" for n in range(21, 31)}
    assert listing_problems(report) == [
        "the pagination widget promised 99999 pages, but the listing ended after page 20 (pages 21-30 answered 404)"
    ]
    report.incremental = True  # (or max_pages): not meant to see it all
    assert listing_problems(report) == []
    report.incremental = False
    report.promised_last = 20  # a Next link led past the end: the end of the listing, no failure
    assert listing_problems(report) == []


def test_a_404_inside_the_listing_is_a_lost_page():
    report = CrawlReport(promised_last=20, cards_per_page={n: 15 for n in range(1, 21) if n != 7})
    report.seen_posts = {f"post-{n}" for n in range(285)}
    report.not_found = {7: "https://h/page/7"}
    assert listing_problems(report) == ["listing pages lost: 7 (HTTP 404 at https://h/page/7)"]


def test_pages_forbidden_by_robots_are_not_part_of_the_listing():
    report = CrawlReport(promised_last=20, cards_per_page={n: 15 for n in range(1, 21) if n != 7})
    report.seen_posts = {f"post-{n}" for n in range(285)}
    report.forbidden = {7}
    assert listing_problems(report) == []


def test_long_lists_of_pages_stay_short():
    report = CrawlReport(promised_last=20, cards_per_page={1: 15})
    report.lost = {n: "HTTP 500" for n in range(2, 200)}
    (problem,) = listing_problems(report)
    assert problem == (
        "listing pages lost: 2 (HTTP 500), 3 (HTTP 500), 4 (HTTP 500), 5 (HTTP 500), 6 (HTTP 500) and 193 more"
    )


def loaded_report(dated_pages, pages=20, per_page=15) -> CrawlReport:
    """The report of a crawl of ``pages`` pages whose cards show a date on ``dated_pages`` only, as the loader
    and the report count them."""
    report = CrawlReport(promised_last=pages)
    for number in range(1, pages + 1):
        cards = [
            RawCard(url=f"https://h/blog/engineering/post-{number}-{position}", slug=f"post-{number}-{position}",
                    position=position,
                    title=f"Post {number}.{position}", date="Feb 7, 2023" if number in dated_pages else None,
                    excerpt="An excerpt of the post.", authors=["By Ana Souza"])
            for position in range(1, per_page + 1)
        ]
        report.cards_per_page[number] = len(cards)
        items = [PostLoader.load_card(card, "https://h/blog/engineering", number, "2026-12-01T00:00:00Z")
                 for card in cards]
        report.record_items(items, cards)
        report.items_emitted += len(items)
    return report


def test_one_page_whose_cards_lose_their_dates_fails_the_crawl():
    report = loaded_report(dated_pages=set(range(1, 21)) - {7})
    assert evaluate(healthy_stats(), report, LIMITS) == [
        "field coverage of published: 285/300 cards = 95.0%, below 100%"
    ]


def test_a_theme_that_never_shows_dates_passes_once_the_field_is_relaxed():
    report = loaded_report(dated_pages=set())
    assert evaluate(healthy_stats(), report, LIMITS) == ["field coverage of published: 0/300 cards = 0.0%, below 100%"]
    settings = project_crawler(KONGBLOG_MIN_COVERAGE={"published": 0}).settings
    assert evaluate(healthy_stats(), report, HealthLimits.from_settings(settings)) == []


def test_implausible_dates_are_kept_and_counted_as_doubts():
    report = CrawlReport()
    dates = ["1989-12-31", "1990-01-01", "2026-12-08", "2026-12-09", "0001-01-01", None]
    cards = [RawCard(url=f"https://h/blog/engineering/p{n}", slug=f"p{n}", position=n, title=f"P{n}", date=date)
             for n, date in enumerate(dates, 1)]
    items = [PostLoader.load_card(card, "https://h/blog/engineering", 4, "2026-12-07T10:00:00Z") for card in cards]
    report.record_items(items, cards, today=datetime.date(2026, 12, 7))  # tomorrow, 2026-12-08, is plausible
    assert [item.published for item in items] == dates  # every date kept as read
    assert report.implausible_dates == 3
    assert report.doubts == [
        "page 4: p1 published 1989-12-31, before 1990 or after tomorrow",
        "page 4: p4 published 2026-12-09, before 1990 or after tomorrow",
        "page 4: p5 published 0001-01-01, before 1990 or after tomorrow",
    ]
    stats = report.stats()
    assert (stats["kongblog/doubts"], stats["kongblog/implausible_published"]) == (3, 3)
    assert stats["kongblog/fields/published"] == 5
