"""The crawl command's exit status: 1 whenever the output cannot be trusted."""

import asyncio

import pytest
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from kongblog.commands.crawl import crawl_failure
from kongblog.items import PostItem
from kongblog.spiders.kongblog import KongBlogSpider
from replica import ReplicaServer
from tests.support.crawl import run_crawl


@pytest.mark.parametrize(
    "stats, expected",
    [
        ({"finish_reason": "finished"}, None),
        ({"finish_reason": "shutdown"}, "finish reason 'shutdown'"),
        ({"finish_reason": "finished", "kongblog/failed": "mongo_dead_lettered: x"}, "mongo_dead_lettered: x"),
        ({"finish_reason": "finished", "feedexport/success_count/FileFeedStorage": 1}, None),
        (
            {"finish_reason": "finished", "spider_exceptions/count": 2, "spider_exceptions/ValueError": 2},
            "2 exception(s) in spider callbacks (see the log)",
        ),
    ],
)
def test_crawl_failure_reasons(stats, expected):
    assert crawl_failure(stats) == expected


def test_a_feed_that_was_not_stored_is_a_failure():
    stats = {"finish_reason": "finished", "item_scraped_count": 30}
    assert crawl_failure(stats, feeds=1) == "the feed could not be written: 0 of 1 feed(s) stored (see the log)"
    assert crawl_failure({**stats, "feedexport/success_count/FileFeedStorage": 1}, feeds=1) is None


@pytest.mark.slow
def test_unwritable_feed_exits_one(tmp_path):
    with ReplicaServer(pages=2) as server:
        result = run_crawl(
            server.url("/blog/engineering"), tmp_path, args={"render": "never"},
            output_name="/proc/kongblog-no-such-dir/posts.jsonl",
        )
    assert result.returncode == 1
    assert "kongblog: crawl failed: the feed could not be written" in result.log


def test_unreadable_article_keeps_the_card():
    crawler = get_crawler(KongBlogSpider, {"KONGBLOG_HEALTH_CHECKS": False})
    spider = KongBlogSpider.from_crawler(crawler, start_url="https://blog.test/blog/engineering", render="never")
    card = PostItem(slug="x", url="https://blog.test/blog/engineering/x", title="X")
    binary = Response("https://blog.test/blog/engineering/x", body=b"\x89PNG\x00\x00", request=Request("https://blog.test/blog/engineering/x"))
    result = asyncio.run(spider.parse_article(binary, card))
    assert result is card
    assert crawler.stats.get_value("kongblog/articles/failed") == 1
    assert crawler.stats.get_value("kongblog/items_emitted") == 1
    assert crawler.stats.get_value("kongblog/articles/enriched") is None
