"""Conditional re-crawls (kongblog/httpcache.py): a re-crawl of an unchanged site costs 304s, a changed
page is downloaded in full, and what the crawl exports, stores and judges is what fresh bodies give.

The replica answers like a CDN (ETag, ``Cache-Control: public, max-age=0, must-revalidate``,
``If-None-Match`` -> 304) and counts, per path, the requests, the 304s and the body bytes it sent.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError

from kongblog.httpcache import ConditionalCacheMiddleware
from replica import ReplicaServer
from tests.support.crawl import run_crawl

pytestmark = pytest.mark.timeout(240)

PAGES = 4
LISTING = "/blog/engineering"
# What the judge of a crawl reads: equal for a crawl of fresh bodies and one of revalidated copies.
VERDICT_PREFIX = "kongblog/"
TIMES = ("scraped_at",)


def crawl(replica, workdir: Path, cache: Path, args: dict | None = None, settings: dict | None = None):
    result = run_crawl(
        replica.url(LISTING), workdir, args=args,
        settings={"HTTPCACHE_DIR": str(cache), **(settings or {})}, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.log[-3000:]
    return result


def without_times(items: list[dict]) -> list[dict]:
    return [{key: value for key, value in item.items() if key not in TIMES} for item in items]


def verdict(stats: dict) -> dict:
    return {key: value for key, value in stats.items() if key.startswith(VERDICT_PREFIX)}


def listing_paths(pages: int) -> set[str]:
    return {LISTING} | {f"{LISTING}/page/{n}" for n in range(2, pages + 1)}


def test_unchanged_site_recrawl_is_only_304s(tmp_path):
    cache = tmp_path / "httpcache"
    with ReplicaServer(pages=PAGES) as replica:
        truth = replica.expected_items()
        first = crawl(replica, tmp_path / "first", cache)
        assert replica.not_modified.total() == 0
        replica.reset_hits()
        second = crawl(replica, tmp_path / "second", cache)

        pages = listing_paths(PAGES)
        assert replica.hits.listing() == dict.fromkeys(pages, 1)
        assert replica.not_modified.listing() == dict.fromkeys(pages, 1)  # every listing request answered 304
        assert sum(replica.bytes_sent.get(path) for path in pages) == 0
        assert replica.not_modified["/robots.txt"] == replica.hits["/robots.txt"] == 1
        assert set(replica.hits.snapshot()) == pages | {"/robots.txt"}

    assert len(first.items) == len(truth)
    assert without_times(second.items) == without_times(first.items)
    assert verdict(second.stats) == verdict(first.stats)  # the health checks saw the same pages
    assert second.stats["httpcache/revalidate"] == PAGES + 1  # the listing and robots.txt
    assert "httpcache/revalidate" not in first.stats


def test_changed_page_is_downloaded_and_reaches_the_history(tmp_path, mongo_uri, mongo_client, mongo_db):
    cache = tmp_path / "httpcache"
    store = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db, "MONGO_COLLECTION": "posts"}
    with ReplicaServer(pages=PAGES) as replica:
        before = {item["slug"]: item for item in replica.expected_items()}
        crawl(replica, tmp_path / "first", cache, settings=store)
        replica.set_options(revision=1)
        after = {item["slug"]: item for item in replica.expected_items()}
        changed = {slug for slug in after if after[slug]["title"] != before[slug]["title"]}
        changed_pages = {after[slug]["listing_page"] for slug in changed}
        assert changed and len(changed_pages) < PAGES, "the revision must change some pages, not all"
        replica.reset_hits()
        second = crawl(replica, tmp_path / "second", cache, settings=store)

        path = {1: LISTING} | {n: f"{LISTING}/page/{n}" for n in range(2, PAGES + 1)}
        for number, page in path.items():
            assert replica.hits[page] == 1
            assert replica.not_modified[page] == (0 if number in changed_pages else 1), page
            assert (replica.bytes_sent[page] > 0) == (number in changed_pages), page

    assert {item["slug"]: item["title"] for item in second.items} == {s: a["title"] for s, a in after.items()}
    posts = mongo_client[mongo_db]["posts"]
    for slug in changed:
        document = posts.find_one({"slug": slug})
        assert document["title"] == after[slug]["title"]
        assert [entry["event"] for entry in document["history"]] == ["changed"]
        assert document["history"][0]["previous"]["title"] == before[slug]["title"]
    unchanged = posts.find_one({"slug": next(slug for slug in after if slug not in changed)})
    assert "history" not in unchanged or unchanged["history"] == []
    assert second.stats["kongblog/mongo/modified"] == len(changed)


def test_incremental_run_without_news_is_one_304(tmp_path):
    cache = tmp_path / "httpcache"
    with ReplicaServer(pages=PAGES) as replica:
        full = crawl(replica, tmp_path / "full", cache)
        replica.reset_hits()
        incremental = crawl(
            replica, tmp_path / "incremental", cache, args={"mode": "incremental", "known": str(full.output)}
        )
        assert replica.hits.listing() == {LISTING: 1}
        assert replica.not_modified.listing() == {LISTING: 1}
        assert replica.bytes_sent[LISTING] == 0
    assert incremental.items == []
    assert incremental.stats["kongblog/incremental/new_posts"] == 0


def test_article_pages_are_revalidated_too(tmp_path):
    cache = tmp_path / "httpcache"
    with ReplicaServer(pages=3) as replica:
        first = crawl(replica, tmp_path / "first", cache, args={"articles": "1"})
        replica.reset_hits()
        second = crawl(replica, tmp_path / "second", cache, args={"articles": "1"})
        articles = {urlsplit(item["url"]).path for item in first.items}
        assert len(articles) == len(first.items) == 45
        assert {path: replica.not_modified[path] for path in articles} == dict.fromkeys(articles, 1)
        assert sum(replica.bytes_sent[path] for path in articles) == 0
    by_slug = lambda items: sorted(without_times(items), key=lambda item: item["slug"])  # noqa: E731
    assert by_slug(second.items) == by_slug(first.items)  # articles arrive in the order they are fetched
    assert second.items[0]["body_text"] and second.stats["kongblog/articles/enriched"] == 45


def test_cache_off_sends_no_validators(tmp_path):
    cache = tmp_path / "httpcache"
    with ReplicaServer(pages=2) as replica:
        crawl(replica, tmp_path / "first", cache, settings={"HTTPCACHE_ENABLED": "False"})
        crawl(replica, tmp_path / "second", cache, settings={"HTTPCACHE_ENABLED": "False"})
        assert replica.not_modified.total() == 0
    assert not cache.exists()


# -- the middleware's rules, one response at a time ---------------------------------------------------


@pytest.fixture
def middleware(tmp_path):
    crawler = get_crawler(settings_dict={
        "HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": str(tmp_path / "cache"),
        "HTTPCACHE_POLICY": "kongblog.httpcache.RevalidatePolicy",
    })  # fmt: skip
    crawler.spider = crawler._create_spider("probe")
    mw = ConditionalCacheMiddleware.from_crawler(crawler)
    mw.spider_opened(crawler.spider)
    return mw


def page(url: str, status: int = 200, body: bytes = b"<html>cards</html>", **headers: str) -> HtmlResponse:
    headers = {"ETag": '"v1"', "Cache-Control": "public, max-age=3600", **headers}
    return HtmlResponse(url, status=status, body=body, headers=headers)


def revalidating(mw, url: str) -> Request:
    """A request for a stored page, as it leaves for the site: with its validator."""
    request = Request(url)
    assert mw.process_request(request) is None  # never served without asking, max-age or not
    assert request.headers[b"If-None-Match"] == b'"v1"'
    return request


def test_304_gives_the_stored_page_and_errors_do_not(middleware):
    url = "http://blog.example/blog/engineering/page/2"
    stored = page(url)
    assert middleware.process_response(Request(url), stored) is stored

    answer = middleware.process_response(revalidating(middleware, url), page(url, 304, b""))
    assert (answer.status, answer.body, "cached" in answer.flags) == (200, stored.body, True)

    # A 5xx is the spider's (retried, then lost), not the stored copy; so is a failed download.
    error = page(url, 503, b"down")
    assert middleware.process_response(revalidating(middleware, url), error) is error
    request = revalidating(middleware, url)
    assert middleware.process_exception(request, ConnectionRefusedError()) is None


def test_error_pages_are_not_stored(middleware):
    for status in (404, 500, 301):
        url = f"http://blog.example/blog/engineering/page/{status}"
        middleware.process_response(Request(url), page(url, status, b"error"))
        request = Request(url)
        assert middleware.process_request(request) is None
        assert b"If-None-Match" not in request.headers, status


def test_browser_requests_bypass_the_cache(middleware):
    url = "http://blog.example/blog/engineering"
    middleware.process_response(Request(url), page(url))
    request = Request(url, meta={"playwright": True})
    assert middleware.process_request(request) is None
    assert b"If-None-Match" not in request.headers


def test_relative_cache_dir_outside_a_project_stays_on(tmp_path, monkeypatch):
    """A Scrapyd job runs where no scrapy.cfg is: Scrapy would turn the cache off (NotConfigured)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "kongblog.settings")  # as Scrapyd's runner sets it
    settings = Settings({"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": "httpcache"})
    mw = ConditionalCacheMiddleware(settings, MemoryStatsCollector(get_crawler()))
    assert Path(mw.storage.cachedir) == tmp_path / ".scrapy" / "httpcache"
