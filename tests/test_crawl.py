"""End-to-end: `scrapy crawl kongblog` over the 20-page replica, in both markups.

Every post of the ground truth must come out exactly once with every field
equal to the truth, and nothing else may come out.
"""

import json
import re

import pytest

from replica import ReplicaServer
from tests.support.chaos import field_mismatches
from tests.support.crawl import run_crawl

pytestmark = pytest.mark.slow

MARKUPS = ["utility", "semantic"]


@pytest.fixture(scope="module", params=MARKUPS)
def replica_crawl(request, tmp_path_factory):
    with ReplicaServer(markup=request.param) as server:
        result = run_crawl(
            server.url("/blog/engineering"),
            tmp_path_factory.mktemp(f"crawl-{request.param}"),
            args={"render": "never"},
        )
        yield server, result


def test_exit_status_and_summary(replica_crawl):
    server, result = replica_crawl
    assert result.returncode == 0, result.log[-3000:]
    summaries = [line for line in result.log.splitlines() if "kongblog summary:" in line]
    assert len(summaries) == 1
    assert "pages=20 empty_pages=0 cards=300 items=300 dropped=0 finish_reason=finished" in summaries[0]



def test_every_truth_post_exactly_once(replica_crawl):
    server, result = replica_crawl
    truth_slugs = sorted(item["slug"] for item in server.expected_items())
    assert len(truth_slugs) == 300
    assert sorted(result.slugs()) == truth_slugs


def test_every_field_equals_the_truth(replica_crawl):
    server, result = replica_crawl
    assert field_mismatches(result.items, server.expected_items()) == []


def test_scraped_at_is_utc_and_keys_are_exact(replica_crawl):
    server, result = replica_crawl
    expected_keys = set(server.expected_items()[0]) | {"scraped_at"}
    for item in result.items:
        assert set(item) == expected_keys
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", item["scraped_at"])


def test_json_lines_are_utf8_not_escaped(replica_crawl):
    server, result = replica_crawl
    raw = result.output.read_text(encoding="utf-8")
    assert "\\u" not in raw
    assert any(ch in raw for ch in "’“”é")
    assert len(raw.splitlines()) == 300
    assert all(json.loads(line) for line in raw.splitlines())


def test_politeness_each_page_once(replica_crawl):
    server, result = replica_crawl
    hits = server.hits.snapshot()
    # Cards only: no article page, tag page or author page is requested.
    assert hits == {"/robots.txt": 1, "/blog/engineering": 1, **{f"/blog/engineering/page/{n}": 1 for n in range(2, 21)}}
    assert result.stats["scheduler/enqueued"] == 20


@pytest.fixture(scope="module")
def robots_crawl(tmp_path_factory):
    """Page 7 is forbidden by robots.txt and sits in the crawl's path (the widget
    links it); the nav and footer link pages 999 (forbidden) and 500."""
    with ReplicaServer(disallowed_pages={7}, traps={"far_links"}) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path_factory.mktemp("robots"), args={"render": "never"})
        yield server, result, server.hits.snapshot()


def test_robots_forbidden_page_is_never_requested(robots_crawl):
    server, result, hits = robots_crawl
    assert "/blog/engineering/page/7" not in hits
    assert "/search" not in hits and "/private/x" not in hits
    assert result.stats["robotstxt/forbidden"] == 1
    assert result.stats["kongblog/listing_pages_forbidden"] == 1


def test_robots_forbidden_page_is_not_part_of_the_listing(robots_crawl):
    server, result, _hits = robots_crawl
    assert result.returncode == 0, result.log[-3000:]
    truth = server.expected_items()
    assert len(truth) == 285 and not any(item["listing_page"] == 7 for item in truth)
    assert field_mismatches(result.items, truth) == []
    assert "listing page forbidden by robots.txt, not part of the listing" in result.log


def test_listing_links_outside_the_widget_are_never_followed(robots_crawl):
    _server, result, hits = robots_crawl
    assert "/blog/engineering/page/999" not in hits and "/blog/engineering/page/500" not in hits
    expected = {"/robots.txt": 1, "/blog/engineering": 1}
    expected.update({f"/blog/engineering/page/{n}": 1 for n in range(2, 21) if n != 7})
    assert hits == expected
    assert result.stats["downloader/request_count"] == 20


@pytest.fixture(scope="module")
def out_of_order_crawl(tmp_path_factory):
    """Pages 2 and 5 answer 1.5 s late: pages 3, 4, 6 ... reach the spider before them."""
    with ReplicaServer(slow_once={2, 5}, slow_seconds=1.5) as server:
        result = run_crawl(
            server.url("/blog/engineering"),
            tmp_path_factory.mktemp("out-of-order"),
            args={"render": "never"},
            settings={"LOG_LEVEL": "DEBUG"},  # Scrapy's "Crawled (200) <GET ...>" lines: the order pages came in
        )
        yield server, result


def test_items_leave_in_listing_order_whatever_order_pages_answer(out_of_order_crawl):
    server, result = out_of_order_crawl
    assert result.returncode == 0, result.log[-3000:]
    answered = [int(n or 1) for n in re.findall(r"Crawled \(200\) <GET \S+/blog/engineering(?:/page/(\d+))?>", result.log)]
    assert sorted(answered) == list(range(1, 21))
    assert answered.index(3) < answered.index(2) and answered.index(6) < answered.index(5), answered
    # The feed as written, not sorted: page after page, each in card order.
    truth = server.expected_items()  # sorted by (listing_page, listing_position)
    exported = [(item["listing_page"], item["listing_position"], item["slug"]) for item in result.items]
    assert exported == [(item["listing_page"], item["listing_position"], item["slug"]) for item in truth]
    assert field_mismatches(result.items, truth) == []
