"""A crawl's health is its exit status: site breakage must fail the run loudly."""

import pytest

from kongblog.extensions.health import HealthLimits, evaluate, expected_card_range
from replica import ReplicaServer
from tests.support.crawl import run_crawl

pytestmark = pytest.mark.slow


def test_healthy_replica_exits_zero(tmp_path):
    with ReplicaServer() as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"render": "never"})
    assert result.returncode == 0, result.log[-2000:]
    assert "kongblog health: all checks passed" in result.log
    assert result.stats["finish_reason"] == "finished"


def test_page_served_without_cards_fails_and_names_the_page(tmp_path):
    with ReplicaServer(empty_pages={5}) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"render": "never"})
        expected = sorted(item["slug"] for item in server.expected_items())
        page = server.url("/blog/engineering/page/5")
    assert result.returncode == 1
    assert result.stats["finish_reason"] == "failed_health_checks"
    assert f"listing page yielded zero cards: {page}" in result.log
    assert "distinct posts seen: 285, but the pagination implies 286..300" in result.log
    # Every other item is still exported.
    assert len(expected) == 285
    assert sorted(result.slugs()) == expected


def test_lost_listing_page_fails(tmp_path):
    with ReplicaServer(fail_first={3}) as server:
        result = run_crawl(
            server.url("/blog/engineering"), tmp_path, args={"render": "never"}, settings={"RETRY_TIMES": "0"}
        )
        page = server.url("/blog/engineering/page/3")
    assert result.returncode == 1
    assert f"listing page lost after retries: {page}" in result.log
    assert len(result.items) == 285


class StubSpider:
    """What the health checks read from the spider."""

    def __init__(self, cards_per_page, last_page, complete=True, seen=300):
        self.cards_per_page = cards_per_page
        self.last_page = last_page
        self.complete_listing = complete
        self.seen_posts = {f"post-{n}" for n in range(seen)}


COVERAGE = HealthLimits().min_coverage
LIMITS = HealthLimits()


def healthy_stats(cards=300):
    stats = {"kongblog/cards": cards, "kongblog/unique_cards": cards}
    for field in COVERAGE:
        stats[f"kongblog/fields/{field}"] = cards
    return stats


def test_field_coverage_below_threshold_is_reported():
    stats = healthy_stats()
    stats["kongblog/fields/authors"] = 270
    stats["kongblog/fields/title"] = 299
    problems = evaluate(stats, StubSpider({n: 15 for n in range(1, 21)}, 20), LIMITS)
    assert problems == [
        "field coverage of authors: 270/300 cards = 90.0%, below 95%",
        "field coverage of title: 299/300 cards = 99.7%, below 100%",
    ]


def test_validation_drops_above_threshold_are_reported():
    stats = healthy_stats()
    stats["item_dropped_reasons_count/InvalidDate"] = 20
    stats["item_dropped_reasons_count/DuplicatePost"] = 50  # duplicates are normal, not counted
    problems = evaluate(stats, StubSpider({n: 15 for n in range(1, 21)}, 20), LIMITS)
    assert problems == ["items dropped by validation: 20/300 = 6.7%, above 5%"]


def test_small_samples_skip_partial_coverage_but_not_required_fields():
    stats = healthy_stats(15)
    stats["kongblog/fields/authors"] = 14
    stats["kongblog/fields/url"] = 14
    problems = evaluate(stats, StubSpider({1: 15}, 20, complete=False, seen=15), LIMITS)
    assert problems == ["field coverage of url: 14/15 cards = 93.3%, below 100%"]


def test_items_lost_after_the_spider_emitted_them_are_reported():
    stats = healthy_stats()
    stats.update({"kongblog/items_emitted": 300, "item_scraped_count": 290, "item_dropped_count": 4})
    problems = evaluate(stats, StubSpider({n: 15 for n in range(1, 21)}, 20), LIMITS)
    assert problems == ["items lost on the way to the output: 300 emitted, 294 reached the pipelines"]


def test_article_failures_above_threshold_are_reported():
    stats = healthy_stats()
    stats.update({"kongblog/articles/failed": 30, "kongblog/articles/enriched": 270})
    problems = evaluate(stats, StubSpider({n: 15 for n in range(1, 21)}, 20), LIMITS)
    assert problems == ["article pages that could not be read: 30/300 = 10.0%, above 5%"]


def test_distinct_posts_come_from_the_spider_across_resumed_runs():
    stats = healthy_stats(165)  # this run's cards only
    stats["kongblog/unique_cards"] = 165
    problems = evaluate(stats, StubSpider({n: 15 for n in range(1, 21)}, 20, seen=300), LIMITS)
    assert problems == []
    problems = evaluate(stats, StubSpider({n: 15 for n in range(1, 21)}, 20, seen=165), LIMITS)
    assert problems == ["distinct posts seen: 165, but the pagination implies 286..300 (20 pages of up to 15)"]


@pytest.mark.parametrize(
    "cards_per_page, last_page, expected",
    [
        ({n: 15 for n in range(1, 21)}, 20, (286, 300)),
        ({1: 15, 2: 15, 3: 4}, 3, (31, 45)),
        ({}, 20, None),
        ({1: 15}, None, None),
    ],
)
def test_expected_card_range(cards_per_page, last_page, expected):
    assert expected_card_range(cards_per_page, last_page) == expected
