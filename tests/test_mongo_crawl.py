"""`scrapy crawl kongblog` over the replica, storing into a real MongoDB server.

1. The same blog crawled twice, then once more after two posts changed:
   every post stored once, first_seen_at stable, last_seen_at moving,
   updated_at only on the changed posts.
2. Two crawls of the blog at the same time into one empty collection: no
   duplicate, no lost post.
3. The server killed mid-crawl: the crawl goes on, the posts it could not
   store go to the dead-letter file, it exits non-zero; documents plus
   dead-letter lines cover every post and ``scrapy replay`` completes the
   collection.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from pymongo import MongoClient

from replica import ReplicaServer
from tests.support.chaos import field_mismatches
from tests.support.crawl import CrawlResult, finish_crawl, run_crawl, start_crawl
from tests.support.mongo import SecantusServer, run_scrapy, stored_count

pytestmark = pytest.mark.slow

PAGES = 4  # 60 posts: enough for several batches, quick to crawl
ARGS = {"render": "never"}
BATCH = {"MONGO_BATCH_SIZE": "15", "MONGO_FLUSH_INTERVAL": "0.5"}


def mongo_stats(result: CrawlResult) -> dict[str, Any]:
    return {k: v for k, v in result.stats.items() if k.startswith(("kongblog/mongo/", "kongblog/failed"))} | {
        "finish_reason": result.stats.get("finish_reason")
    }


def by_slug(documents: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {doc["slug"]: doc for doc in documents}


# --- 1. Crawled twice, then after a change ----------------------------------------


@pytest.fixture(scope="module")
def three_crawls(tmp_path_factory, mongo_uri, mongo_client):
    database = f"kongblog_crawl_{time.monotonic_ns()}"
    env = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": database}
    posts = mongo_client[database]["posts"]
    runs: list[dict[str, Any]] = []
    try:
        with ReplicaServer(markup="semantic", pages=PAGES) as server:
            start_url = server.url("/blog/engineering")
            truths = []
            for number, options in enumerate([{}, {}, {"revision": 1}], 1):
                if options:
                    server.set_options(**options)
                truths.append(server.expected_items())
                result = run_crawl(start_url, tmp_path_factory.mktemp(f"crawl{number}"), ARGS, BATCH, env)
                runs.append({"result": result, "documents": by_slug(list(posts.find({}, {"_id": 0})))})
        indexes = posts.index_information()
    finally:
        mongo_client.drop_database(database)
    return {"runs": runs, "truths": truths, "indexes": indexes}


def test_every_crawl_succeeds(three_crawls):
    for run in three_crawls["runs"]:
        result = run["result"]
        assert result.returncode == 0, f"{mongo_stats(result)}\n{result.log[-3000:]}"
        assert result.stats["finish_reason"] == "finished"
        assert "kongblog/mongo/dead_lettered" not in result.stats


def test_first_crawl_stores_every_truth_post_once(three_crawls):
    truth = three_crawls["truths"][0]
    first = three_crawls["runs"][0]
    assert len(truth) == PAGES * 15
    assert sorted(first["documents"]) == sorted(post["slug"] for post in truth)
    assert first["result"].stats["kongblog/mongo/upserted"] == len(truth)
    assert field_mismatches(first["documents"].values(), truth) == []
    assert three_crawls["indexes"]["slug_unique"]["unique"] is True


def test_documents_equal_the_exported_items(three_crawls):
    first = three_crawls["runs"][0]
    for item in first["result"].items:
        doc = first["documents"][item["slug"]]
        assert {k: doc[k] for k in item} == item


def test_second_crawl_moves_last_seen_only(three_crawls):
    first, second = (run["documents"] for run in three_crawls["runs"][:2])
    stats = three_crawls["runs"][1]["result"].stats
    assert stats.get("kongblog/mongo/upserted", 0) == 0
    assert stats.get("kongblog/mongo/modified", 0) == 0
    assert stats["kongblog/mongo/unchanged"] == PAGES * 15
    for slug, doc in second.items():
        assert doc["first_seen_at"] == first[slug]["first_seen_at"]
        assert doc["last_seen_at"] > first[slug]["last_seen_at"]
        assert doc["content_hash"] == first[slug]["content_hash"]
        assert "updated_at" not in doc


def test_changed_posts_get_updated_at_and_a_new_hash(three_crawls):
    before, after = three_crawls["truths"][1], three_crawls["truths"][2]
    changed = sorted(
        new["slug"] for old, new in zip(before, after, strict=True) if old != new
    )
    assert changed, "the replica's revision=1 changes at least one post on the first pages"
    second, third = (run["documents"] for run in three_crawls["runs"][1:])
    stats = three_crawls["runs"][2]["result"].stats
    assert stats["kongblog/mongo/modified"] == len(changed)
    assert stats["kongblog/mongo/unchanged"] == PAGES * 15 - len(changed)
    assert sorted(slug for slug, doc in third.items() if "updated_at" in doc) == changed
    for slug in changed:
        assert third[slug]["updated_at"] == third[slug]["last_seen_at"]
        assert third[slug]["content_hash"] != second[slug]["content_hash"]
        assert third[slug]["title"] == next(p["title"] for p in after if p["slug"] == slug)
        assert third[slug]["first_seen_at"] == second[slug]["first_seen_at"]


# --- 2. Two crawls at once --------------------------------------------------------


def test_two_concurrent_crawls_store_each_post_once(tmp_path, mongo_uri, mongo_client):
    database = f"kongblog_concurrent_{time.monotonic_ns()}"
    env = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": database}
    settings = {"MONGO_BATCH_SIZE": "5", "MONGO_FLUSH_INTERVAL": "0.2"}
    try:
        with ReplicaServer(markup="utility", pages=PAGES) as server:
            start_url = server.url("/blog/engineering")
            processes = [start_crawl(start_url, tmp_path / name, ARGS, settings, env) for name in ("a", "b")]
            try:
                results = [finish_crawl(p, tmp_path / name, timeout=120) for p, name in zip(processes, "ab")]
            finally:
                for process in processes:
                    if process.poll() is None:
                        process.kill()
            truth = sorted(post["slug"] for post in server.expected_items())
        posts = mongo_client[database]["posts"]
        slugs = [doc["slug"] for doc in posts.find({}, {"slug": 1})]
    finally:
        mongo_client.drop_database(database)
    for result in results:
        assert result.returncode == 0, f"{mongo_stats(result)}\n{result.log[-3000:]}"
    assert sorted(slugs) == truth
    upserted = sum(r.stats.get("kongblog/mongo/upserted", 0) for r in results)
    assert upserted == len(truth)
    written = sum(
        r.stats.get(f"kongblog/mongo/{key}", 0) for r in results for key in ("upserted", "unchanged", "modified", "stale")
    )
    assert written == 2 * len(truth)


# --- 3. Server killed mid-crawl ---------------------------------------------------


def test_server_killed_mid_crawl_dead_letters_the_rest_and_replay_completes(tmp_path):
    workdir = tmp_path / "crawl"
    dead = tmp_path / "dead"
    settings = {
        **BATCH,
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        "MONGO_RETRY_WINDOW": "1",
        "MONGO_RETRY_INITIAL_DELAY": "0.1",
        "MONGO_SERVER_SELECTION_TIMEOUT_MS": "300",
        "MONGO_DEAD_LETTER_PATH": f"{dead}/dead-letter-{{timestamp}}.jsonl",
    }
    with SecantusServer() as db, ReplicaServer(markup="semantic", pages=PAGES, delay=0.4) as server:
        env = {"MONGO_URI": db.uri, "MONGO_DATABASE": "kb"}
        client: MongoClient[dict[str, Any]] = MongoClient(db.uri, serverSelectionTimeoutMS=500)
        posts = client["kb"]["posts"]

        process = start_crawl(server.url("/blog/engineering"), workdir, ARGS, settings, env)
        try:
            deadline = time.monotonic() + 60
            while stored_count(posts) < 15 and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.05)
            assert process.poll() is None, "the crawl ended before the kill"
            stored_at_kill = stored_count(posts)
            db.kill()
            result = finish_crawl(process, workdir, timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
        truth = sorted(post["slug"] for post in server.expected_items())

        assert result.returncode != 0, f"{mongo_stats(result)}\n{result.log[-3000:]}"
        assert result.stats["kongblog/failed"].startswith("mongo_dead_lettered: ")
        assert "kongblog: crawl failed: mongo_dead_lettered" in result.log
        assert sorted(result.slugs()) == truth, "the feed export still gets every post"
        files = sorted(dead.glob("dead-letter-*.jsonl"))
        assert len(files) == 1, result.log[-3000:]
        lines = [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]
        assert result.stats["kongblog/mongo/dead_lettered"] == len(lines)
        assert any(str(files[0]) in line and " ERROR: " in line for line in result.log.splitlines())

        db.start()
        in_store = {doc["slug"] for doc in posts.find({}, {"slug": 1})}
        lettered = {line["item"]["slug"] for line in lines}
        assert len(in_store) >= stored_at_kill >= 15
        assert lettered, "posts scraped after the kill are dead-lettered"
        assert sorted(in_store | lettered) == truth
        # A batch in flight at the kill may have reached the store too.
        assert len(in_store & lettered) <= 15

        replay = run_scrapy("replay", str(files[0]), env=env)
        assert replay.returncode == 0, replay.stderr
        assert f"{len(lines)} post(s)" in replay.stdout
        assert sorted(doc["slug"] for doc in posts.find({}, {"slug": 1})) == truth
        client.close()
