"""The item pipelines inside a real ``scrapy crawl`` (subprocess).

The ``synthetic_posts`` spider of tests/support/mongo.py yields made-up cards
without any HTTP, so these tests need no web site: they check what only a
whole crawl shows (exit status, Scrapy's drop stats and log levels, a store
outage while items keep coming).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from pymongo import MongoClient

from tests.support.crawl import REPO, crawl_env, read_jsonl
from tests.support.mongo import PASSWORD, free_port, run_scrapy, spellings

SYNTHETIC = ["crawl", "synthetic_posts", "-s", "SPIDER_MODULES=tests.support.mongo"]


def crawl_args(tmp_path: Path, *extra: str) -> list[str]:
    return [*SYNTHETIC, "-s", f"KONGBLOG_STATS_FILE={tmp_path / 'stats.json'}", *extra]


def read_stats(tmp_path: Path) -> dict[str, Any]:
    return json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))


def crawl_and_kill_the_store(tmp_path: Path, server: Any, posts: Any, total: int, stored_before_kill: int,
                             retry_window: float, dead_letter_path: str, *extra: str) -> tuple[int, str]:
    """A synthetic crawl of *total* posts (0.05 s apart, batches of 5) that
    loses its MongoDB server once *stored_before_kill* posts are stored;
    returns the crawl's exit status and log."""
    log_path = tmp_path / "crawl.log"
    command = [
        sys.executable, "-m", "scrapy",
        *crawl_args(tmp_path, "-a", f"n={total}", "-a", "delay=0.05"),
        "-s", "MONGO_BATCH_SIZE=5", "-s", "MONGO_FLUSH_INTERVAL=0.2",
        "-s", f"MONGO_RETRY_WINDOW={retry_window}", "-s", "MONGO_RETRY_INITIAL_DELAY=0.1",
        "-s", "MONGO_SERVER_SELECTION_TIMEOUT_MS=300",
        "-s", f"MONGO_DEAD_LETTER_PATH={dead_letter_path}", *extra,
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
            env=crawl_env({"MONGO_URI": server.uri, "MONGO_DATABASE": "kb"}),
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while posts.count_documents({}) < stored_before_kill and time.monotonic() < deadline:
                assert process.poll() is None, log_path.read_text()
                time.sleep(0.05)
            server.kill()
            returncode = process.wait(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
    return returncode, log_path.read_text()


def assert_no_password(tmp_path: Path, result: Any) -> None:
    """No spelling of PASSWORD in the crawl's output, log or stats file."""
    texts = [result.stdout, result.stderr]
    if (tmp_path / "stats.json").exists():
        texts.append((tmp_path / "stats.json").read_text(encoding="utf-8"))
    for text in texts:
        for spelling in spellings(PASSWORD):
            assert spelling not in text
        assert "crawler:" not in text


@pytest.mark.parametrize("form", ["percent-encoded", "raw"])
def test_unreachable_store_stops_the_crawl_with_a_non_zero_exit(tmp_path, form):
    # raw: the URI as a user may paste it; pymongo cannot read it (a raw "?" starts the options)
    password = quote_plus(PASSWORD) if form == "percent-encoded" else PASSWORD
    port = free_port()
    uri = f"mongodb://crawler:{password}@127.0.0.1:{port}/kb"
    started = time.monotonic()
    result = run_scrapy(
        *crawl_args(tmp_path, "-a", "n=5", "-s", "MONGO_SERVER_SELECTION_TIMEOUT_MS=500"),
        env={"MONGO_URI": uri},
    )
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    log = result.stderr + result.stdout
    why = "is unreachable" if form == "percent-encoded" else "is misconfigured (fix MONGO_URI)"
    assert f"MongoDB at mongodb://***@127.0.0.1:{port}/kb {why}" in log
    assert "Spider closed (finished)" not in log
    assert_no_password(tmp_path, result)


def test_refused_credentials_are_reported_as_such(tmp_path, secantus_server):
    secantus_server.require_auth("crawler", PASSWORD)
    uri = f"mongodb://crawler:{quote_plus(PASSWORD + 'x')}@127.0.0.1:{secantus_server.port}/?authSource=admin"
    result = run_scrapy(*crawl_args(tmp_path, "-a", "n=5"), env={"MONGO_URI": uri})
    assert result.returncode == 1
    log = result.stderr + result.stdout
    assert (f"MongoDB at mongodb://***@127.0.0.1:{secantus_server.port}/?authSource=admin refused the credentials: "
            "check the user name, password and authSource in MONGO_URI") in log  # fmt: skip
    assert "unreachable" not in log
    assert_no_password(tmp_path, result)

    good = f"mongodb://crawler:{quote_plus(PASSWORD)}@127.0.0.1:{secantus_server.port}/?authSource=admin"
    stored = run_scrapy(*crawl_args(tmp_path, "-a", "n=5"), env={"MONGO_URI": good, "MONGO_DATABASE": "kb"})
    assert stored.returncode == 0, stored.stderr[-3000:]
    assert read_stats(tmp_path)["kongblog/mongo/upserted"] == 5
    assert_no_password(tmp_path, stored)


def test_without_mongo_uri_the_crawl_runs_and_says_how_to_enable_storage(tmp_path):
    result = run_scrapy(*crawl_args(tmp_path, "-a", "n=3"))
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if "[kongblog.pipelines.store]" in line]
    assert len(lines) == 1
    assert "INFO: MongoDB storage is off: set the MONGO_URI environment variable or pass -s MONGO_URI=" in lines[0]
    assert read_stats(tmp_path)["item_scraped_count"] == 3


def test_drop_reasons_show_in_scrapy_stats_at_info_and_debug(tmp_path, mongo_uri, mongo_db, mongo_client):
    result = run_scrapy(
        *crawl_args(tmp_path, "-a", "n=4", "-a", "bad=missing_title,bad_date,invalid,duplicate", "-L", "DEBUG"),
        env={"MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    stats = read_stats(tmp_path)
    assert stats["item_scraped_count"] == 5  # the card with an impossible date is kept, its date null
    assert stats["item_dropped_count"] == 3
    assert {k: v for k, v in stats.items() if k.startswith("item_dropped_reasons_count/")} == {
        "item_dropped_reasons_count/MissingField": 1,
        "item_dropped_reasons_count/InvalidField": 1,
        "item_dropped_reasons_count/DuplicatePost": 1,
    }
    assert stats["kongblog/duplicates"] == 1
    assert stats["kongblog/invalid/title"] == 1
    assert stats["kongblog/invalid/published"] == 1
    assert stats["kongblog/missing/published"] == 1
    assert stats["kongblog/invalid/listing_page"] == 1
    assert stats["kongblog/mongo/upserted"] == 5
    dropped = [line for line in result.stderr.splitlines() if "Dropped: " in line]
    assert len(dropped) == 3
    assert sum("] INFO: Dropped: MissingField slug='post-90000'" in line for line in dropped) == 1
    assert sum("] DEBUG: Dropped: DuplicatePost slug='post-00001'" in line for line in dropped) == 1
    assert not any("WARNING" in line for line in dropped)
    assert mongo_client[mongo_db]["posts"].count_documents({}) == 5
    undated = mongo_client[mongo_db]["posts"].find_one({"slug": "post-90001"})
    assert "published" in undated and undated["published"] is None


def test_store_killed_mid_crawl_dead_letters_the_rest_and_fails_the_crawl(tmp_path, secantus_server):
    total = 60
    client: MongoClient[dict[str, Any]] = MongoClient(secantus_server.uri, serverSelectionTimeoutMS=3000)
    posts = client["kb"]["posts"]
    dead = tmp_path / "dead"
    returncode, output = crawl_and_kill_the_store(
        tmp_path, secantus_server, posts, total, 15, 1, f"{dead}/dl-{{timestamp}}.jsonl"
    )
    assert returncode == 1, output[-3000:]
    assert "kongblog: crawl failed: mongo_dead_lettered: MongoDB at" in output

    files = list(dead.glob("dl-*.jsonl"))
    assert len(files) == 1, output[-3000:]
    assert any("ERROR: " in line and str(files[0]) in line for line in output.splitlines())
    lines = [json.loads(line) for line in files[0].read_text().splitlines()]
    stats = read_stats(tmp_path)
    assert stats["kongblog/mongo/dead_lettered"] == len(lines)
    assert stats["kongblog/failed"].startswith("mongo_dead_lettered: ")

    secantus_server.start()
    stored = {d["slug"] for d in posts.find({}, {"slug": 1})}
    lettered = {line["item"]["slug"] for line in lines}
    everything = {f"post-{n:05d}" for n in range(1, total + 1)}
    assert len(stored) >= 15
    assert stored | lettered == everything
    assert len(lines) == len(lettered), "no post is dead-lettered twice"
    assert len(stored & lettered) <= 5  # at most the batch in flight at the kill

    result = run_scrapy("replay", str(files[0]), env={"MONGO_URI": secantus_server.uri, "MONGO_DATABASE": "kb"})
    assert result.returncode == 0, result.stderr
    assert posts.count_documents({}) == total
    client.close()


def test_a_store_and_dead_letter_failure_still_exports_every_item(tmp_path, secantus_server):
    # MongoDB goes away mid-crawl and the dead-letter file cannot be written
    # either (its folder would be inside a regular file: fails even as root).
    total = 100  # 5 s of items at 0.05 s each: most come after the kill
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    client: MongoClient[dict[str, Any]] = MongoClient(secantus_server.uri, serverSelectionTimeoutMS=3000)
    posts = client["kb"]["posts"]
    feed = tmp_path / "posts.jsonl"
    returncode, output = crawl_and_kill_the_store(
        tmp_path, secantus_server, posts, total, 10, 0.5, f"{blocker}/dl-{{timestamp}}.jsonl", "-O", str(feed)
    )
    stats = read_stats(tmp_path)
    assert returncode == 1, output[-3000:]
    assert [item["slug"] for item in read_jsonl(feed)] == [f"post-{n:05d}" for n in range(1, total + 1)]
    assert stats["item_scraped_count"] == total
    assert stats["kongblog/failed"].startswith("mongo_batch_lost: posts neither stored nor dead-lettered")
    assert stats["kongblog/mongo/lost"] >= 1
    assert "Error processing" not in output and "Traceback" not in output
    client.close()
