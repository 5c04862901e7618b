"""Adaptive browser rendering against a replica whose page 7 is built by JavaScript."""

import pytest

from replica import ReplicaServer
from tests.support.crawl import run_crawl

pytestmark = [pytest.mark.slow, pytest.mark.browser]

JS_PAGE = 7
ALL_PAGES = ["/blog/engineering"] + [f"/blog/engineering/page/{n}" for n in range(2, 21)]


def without_time(items):
    return sorted(({k: v for k, v in item.items() if k != "scraped_at"} for item in items), key=lambda i: i["slug"])


@pytest.fixture(scope="module")
def js_replica():
    with ReplicaServer(js_pages={JS_PAGE}) as server:
        yield server


@pytest.fixture(scope="module")
def auto_crawl(js_replica, tmp_path_factory):
    js_replica.hits.reset()
    result = run_crawl(js_replica.url("/blog/engineering"), tmp_path_factory.mktemp("auto"), args={"render": "auto"})
    return result, js_replica.hits.snapshot()


def test_auto_renders_only_the_js_page(js_replica, auto_crawl):
    result, hits = auto_crawl
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(result.slugs()) == sorted(item["slug"] for item in js_replica.expected_items())
    assert without_time(result.items) == without_time(
        [{**item, "scraped_at": None} for item in js_replica.expected_items()]
    )
    assert hits[f"/blog/engineering/page/{JS_PAGE}"] == 2
    assert {path: hits[path] for path in ALL_PAGES if path != f"/blog/engineering/page/{JS_PAGE}"} == {
        path: 1 for path in ALL_PAGES if path != f"/blog/engineering/page/{JS_PAGE}"
    }
    assert result.stats["kongblog/render/escalated"] == 1
    assert result.stats["kongblog/render/browser_pages"] == 1
    assert result.stats["playwright/browser_count"] == 1
    # Playwright's driver was started once, on demand.
    assert result.log.count("Starting download handler. Versions: scrapy-playwright") == 1
    summary = next(line for line in result.log.splitlines() if "kongblog summary:" in line)
    assert "escalated=1 browser_pages=1" in summary


def test_auto_never_launches_a_browser_without_js_pages(tmp_path):
    with ReplicaServer() as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"render": "auto"})
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.items) == 300
    assert "playwright/browser_count" not in result.stats
    assert "kongblog/render/escalated" not in result.stats
    # Not even Playwright's driver ran (it costs about 0.3 s to start).
    assert "scrapy-playwright" not in result.log


def test_never_reports_the_empty_page_and_fails(js_replica, tmp_path):
    result = run_crawl(js_replica.url("/blog/engineering"), tmp_path, args={"render": "never"})
    page_url = js_replica.url(f"/blog/engineering/page/{JS_PAGE}")
    expected = [item["slug"] for item in js_replica.expected_items() if item["listing_page"] != JS_PAGE]
    assert sorted(result.slugs()) == sorted(expected)
    assert len(result.items) == 285
    assert result.stats["kongblog/empty_listing_pages"] == 1
    assert "playwright/browser_count" not in result.stats
    assert f"listing page without post cards: {page_url}" in result.log
    assert f"listing pages without a card: {JS_PAGE}" in result.log
    assert result.stats["finish_reason"] == "failed_health_checks"
    assert result.returncode == 1


def test_always_renders_every_page_with_the_same_items(js_replica, auto_crawl, tmp_path):
    result = run_crawl(js_replica.url("/blog/engineering"), tmp_path, args={"render": "always"})
    assert result.returncode == 0, result.log[-3000:]
    assert without_time(result.items) == without_time(auto_crawl[0].items)
    assert result.stats["kongblog/render/browser_pages"] == 20
    assert "kongblog/render/escalated" not in result.stats


def test_browser_launch_failure_is_a_clear_error(js_replica, tmp_path):
    result = run_crawl(
        js_replica.url("/blog/engineering"),
        tmp_path,
        args={"render": "auto"},
        settings={"KONGBLOG_CHROMIUM_PATH": "/nonexistent/chromium"},
        timeout=120,
    )
    assert result.returncode == 1
    assert "the browser could not be launched" in result.log
    assert "apt-get install chromium" in result.log
    assert len(result.items) == 285  # every page but the one that needed the browser
    assert result.stats["kongblog/listing_pages_lost"] == 1
