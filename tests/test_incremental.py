"""Incremental crawls: walk pages in order, stop at the first page with nothing new."""

import pymongo
import pytest

from replica import ReplicaServer
from tests.support.crawl import run_crawl

pytestmark = pytest.mark.slow


def listing_hits(server):
    return server.hits.listing("/blog/engineering")


def test_incremental_from_a_previous_export(tmp_path):
    with ReplicaServer() as server:
        start = server.url("/blog/engineering")
        full = run_crawl(start, tmp_path / "full", args={"render": "never"})
        assert full.returncode == 0 and len(full.items) == 300

        server.hits.reset()
        again = run_crawl(start, tmp_path / "none", args={"render": "never", "mode": "incremental", "known": full.output})
        assert again.returncode == 0, again.log[-2000:]
        assert listing_hits(server) == {"/blog/engineering": 1}
        assert again.items == []
        assert again.stats["kongblog/incremental/pages_skipped"] == 19
        assert "new_posts=0 pages_skipped=19" in again.log

        server.set_options(new_posts=3)
        server.hits.reset()
        fresh = run_crawl(start, tmp_path / "three", args={"render": "never", "mode": "incremental", "known": full.output})
        assert fresh.returncode == 0, fresh.log[-2000:]
        new_truth = [item for item in server.expected_items() if item["slug"] not in set(full.slugs())]
        assert len(new_truth) == 3
        assert sorted(fresh.slugs()) == sorted(item["slug"] for item in new_truth)
        assert listing_hits(server) == {"/blog/engineering": 1, "/blog/engineering/page/2": 1}
        # 303 posts fill 21 pages; the walk stopped on page 2, so pages 3..21 were skipped.
        assert server.expected_items()[-1]["listing_page"] == 21
        assert fresh.stats["kongblog/incremental/pages_skipped"] == 19


def test_incremental_from_mongodb_stores_only_new_posts(tmp_path, mongo_uri, mongo_db):
    settings = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db}
    client = pymongo.MongoClient(mongo_uri)
    collection = client[mongo_db]["posts"]
    with client, ReplicaServer() as server:
        start = server.url("/blog/engineering")
        full = run_crawl(start, tmp_path / "full", args={"render": "never"}, settings=settings)
        assert full.returncode == 0, full.log[-2000:]
        before = {doc["slug"]: doc for doc in collection.find({}, {"_id": 0})}
        assert len(before) == 300

        server.set_options(new_posts=3)
        server.hits.reset()
        fresh = run_crawl(start, tmp_path / "three", args={"render": "never", "mode": "incremental"}, settings=settings)
        assert fresh.returncode == 0, fresh.log[-2000:]
        assert listing_hits(server) == {"/blog/engineering": 1, "/blog/engineering/page/2": 1}
        after = {doc["slug"]: doc for doc in collection.find({}, {"_id": 0})}
        new_slugs = set(after) - set(before)
        expected_new = {item["slug"] for item in server.expected_items()} - set(before)
        assert len(new_slugs) == 3 and new_slugs == expected_new
        # Nothing else changes: every earlier document is exactly as it was.
        assert {slug: after[slug] for slug in before} == before
        assert fresh.stats["kongblog/incremental/known_posts"] == 300


def test_incremental_refuses_to_start_without_known_posts(tmp_path):
    with ReplicaServer() as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"mode": "incremental"})
        assert result.returncode == 2
        assert "mode=incremental needs to know which posts exist already" in result.log
        assert server.hits.snapshot() == {}


def test_incremental_never_overwrites_the_export_it_reads(tmp_path):
    """-O onto the known file is refused with the file intact; -o appends only the new posts to it."""
    with ReplicaServer() as server:
        start = server.url("/blog/engineering")
        full = run_crawl(start, tmp_path, args={"render": "never"})
        assert full.returncode == 0 and len(full.items) == 300
        saved = full.output.read_bytes()
        server.set_options(new_posts=3)
        server.hits.reset()

        refused = run_crawl(start, tmp_path, args={"render": "never", "mode": "incremental", "known": full.output})
        assert refused.returncode == 2
        assert f"known={full.output} is also the output that -O overwrites" in refused.log
        assert "Traceback" not in refused.log
        assert full.output.read_bytes() == saved  # all 300 lines, untouched
        assert server.hits.total() == 0

        appended = run_crawl(
            start, tmp_path, args={"render": "never", "mode": "incremental", "known": full.output}, append=True
        )
        assert appended.returncode == 0, appended.log[-2000:]
        assert appended.output.read_bytes().startswith(saved)
        assert sorted(appended.slugs()) == sorted(item["slug"] for item in server.expected_items())
        assert len(appended.items) == 303


def test_incremental_with_articles_enriches_only_new_or_never_enriched_posts(tmp_path):
    with ReplicaServer(pages=3) as server:
        start = server.url("/blog/engineering")
        cards_only = run_crawl(start, tmp_path / "cards", args={"render": "never"})
        assert cards_only.returncode == 0 and len(cards_only.items) == 45

        # Known but never enriched: page 1's posts are enriched now, nothing else is walked.
        enriched = run_crawl(
            start, tmp_path / "enrich", args={"render": "never", "mode": "incremental", "known": cards_only.output, "articles": 1}
        )
        assert enriched.returncode == 0, enriched.log[-2000:]
        page_one = [item["slug"] for item in server.expected_items() if item["listing_page"] == 1]
        assert sorted(enriched.slugs()) == sorted(page_one)
        assert all(item["word_count"] > 0 for item in enriched.items)

        # Known and enriched: no article page is requested at all.
        full = run_crawl(start, tmp_path / "full", args={"render": "never", "articles": 1})
        server.hits.reset()
        again = run_crawl(
            start, tmp_path / "again", args={"render": "never", "mode": "incremental", "known": full.output, "articles": 1}
        )
        assert again.returncode == 0 and again.items == []
        assert listing_hits(server) == {"/blog/engineering": 1}
        assert sorted(server.hits.snapshot()) == ["/blog/engineering", "/robots.txt"]


@pytest.mark.parametrize("content, problem", [
    (None, "does not exist"),
    (b'{"slug": "a"}\n' + '{"slug": "caf\u00e9'.encode()[:-1], "known.jsonl:2: not JSON (UnicodeDecodeError"),
    (b'{"slug": "a"}\n' + b"[" * 200_000 + b"\n", "known.jsonl:2: not JSON (RecursionError"),
])
def test_a_known_file_that_cannot_be_used_is_refused_before_any_request(tmp_path, content, problem):
    known = tmp_path / "known.jsonl"
    if content is not None:
        known.write_bytes(content)
    with ReplicaServer() as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path / "crawl",
                           args={"mode": "incremental", "known": str(known)}, output_name="new.jsonl")
        assert server.hits.snapshot() == {}
    assert result.returncode == 2
    assert "Traceback" not in result.log
    line = result.log.strip().splitlines()[-1]  # after Scrapy's usage banner
    assert f"error: known={known} cannot be used: " in line and problem in line, line
    assert problem in line and result.log.count(problem) == 1
