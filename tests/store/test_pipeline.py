"""StorePostPipeline against a real MongoDB wire-protocol server (SecantusDB):
batching, the bounded queue, the event loop, outages, dead letters, gone marks."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

import pytest
from pymongo import MongoClient, monitoring
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from kongblog.pipelines.store import StorePostPipeline
from kongblog.report import CrawlReport
from kongblog.store.config import StoreUnavailable
from kongblog.store.documents import Observation, parse_time
from tests.support.crawl import REPO, crawl_env, read_jsonl
from tests.support.mongo import free_port, run_scrapy, store_settings, synthetic_post


class Commands(monitoring.CommandListener):
    """Collects (command, thread, slugs written) of one client; the test asserts afterwards."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, list[str]]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in {"find", "insert", "update"}:
            body = event.command.get("documents") or [op["q"] for op in event.command.get("updates", [])]
            self.events.append((event.command_name, threading.current_thread().name, [doc.get("slug") for doc in body]))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def settings_for(uri: str, db: str, **extra: Any) -> dict[str, Any]:
    quick = {"MONGO_FLUSH_INTERVAL": 0, "MONGO_SERVER_SELECTION_TIMEOUT_MS": 1000, "MONGO_CONNECT_TIMEOUT_MS": 1000}
    return store_settings(MONGO_URI=uri, MONGO_DATABASE=db, **(quick | extra))


def make_pipeline(settings: dict[str, Any], commands: Commands | None = None, spider: Any = None) -> StorePostPipeline:
    crawler = get_crawler(settings_dict=settings)
    crawler.spider = spider
    pipeline = StorePostPipeline.from_crawler(crawler)
    if commands is not None:
        pipeline.store.client_options["event_listeners"] = [commands]
    return pipeline


def mongo_stats(pipeline: StorePostPipeline) -> dict[str, Any]:
    skip = ("kongblog/mongo/retries", "kongblog/mongo/max_queued_batches")
    return {
        k.removeprefix("kongblog/mongo/"): v
        for k, v in pipeline.stats.get_stats().items()
        if k.startswith("kongblog/mongo/") and k not in skip
    }


def crawl(pipeline: StorePostPipeline, items: Iterable[Any]) -> StorePostPipeline:
    """One "crawl": open, feed *items*, close."""

    async def run() -> None:
        await pipeline.open_spider()
        for item in items:
            assert await pipeline.process_item(item) is item
        await pipeline.close_spider()

    asyncio.run(run())
    return pipeline


# --- configuration -------------------------------------------------------------------


def test_not_configured_without_mongo_uri(caplog):
    caplog.set_level(logging.DEBUG, logger="kongblog")
    for uri in (None, ""):
        with pytest.raises(NotConfigured) as info:
            make_pipeline(store_settings(MONGO_URI=uri))
        assert info.value.args == ()  # Scrapy would log a WARNING for args
    records = [r for r in caplog.records if r.name == "kongblog.pipelines.store"]
    assert [r.levelno for r in records] == [logging.INFO, logging.INFO]
    assert "set the MONGO_URI environment variable or pass -s MONGO_URI=" in records[0].getMessage()


def test_unreachable_server_fails_fast_with_masked_credentials(caplog):
    port = free_port()
    uri = f"mongodb://alice:hunter2@127.0.0.1:{port}/?authSource=admin"
    pipeline = make_pipeline(store_settings(MONGO_URI=uri, MONGO_SERVER_SELECTION_TIMEOUT_MS=300))
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as info:
        asyncio.run(pipeline.open_spider())
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert message.startswith(f"MongoDB at mongodb://***@127.0.0.1:{port}/?authSource=admin is unreachable: ")
    assert pipeline.stats.get_value("kongblog/failed") == f"mongo_unavailable: {message}"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"mongodb://***@127.0.0.1:{port}" in logged
    for secret in ("alice", "hunter2"):
        assert secret not in message and secret not in logged
    asyncio.run(pipeline.close_spider())  # after a failed open: a no-op, not a second error


# --- batching -------------------------------------------------------------------------


def test_one_command_per_batch_in_order_from_the_event_loop(mongo_uri, mongo_db, mongo_client):
    commands = Commands()
    pipeline = crawl(make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=3), commands),
                     [synthetic_post(n) for n in range(1, 8)])  # fmt: skip
    assert mongo_stats(pipeline) == {"batches": 3, "upserted": 7}
    # a first crawl: one insert per batch, never a command per item, batches in item order
    assert [(name, slugs) for name, _, slugs in commands.events] == [
        ("find", []),  # at open: is the collection empty?
        ("insert", ["post-00001", "post-00002", "post-00003"]),
        ("insert", ["post-00004", "post-00005", "post-00006"]),
        ("insert", ["post-00007"]),
    ]
    # sent by the async client from the event loop's thread: no writer thread
    assert {thread for _, thread, _ in commands.events} == {threading.current_thread().name}

    recrawl = Commands()
    again = crawl(make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=3), recrawl),
                  [synthetic_post(n) for n in range(1, 8)])  # fmt: skip
    assert mongo_stats(again) == {"batches": 3, "unchanged": 7}
    assert [name for name, _, _ in recrawl.events] == ["find", "update", "update", "update"]


def test_concurrent_items_are_written_one_batch_at_a_time_in_order(mongo_uri, mongo_db, mongo_client):
    # Scrapy processes several responses' items at once: four batches fill
    # together, and the store still sees one batch after the other.
    pipeline = make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=2))
    real_write = pipeline.store.write
    active, overlaps, written = 0, [], []

    async def tracked_write(batch: list[Observation]) -> Any:
        nonlocal active
        active += 1
        overlaps.append(active)
        try:
            await asyncio.sleep(0.02)
            return await real_write(batch)
        finally:
            written.append([post.slug for post in batch])
            active -= 1

    pipeline.store.write = tracked_write  # type: ignore[method-assign]
    items = [synthetic_post(n) for n in range(1, 9)]

    async def run() -> None:
        await pipeline.open_spider()
        assert await asyncio.gather(*(pipeline.process_item(item) for item in items)) == items
        await pipeline.close_spider()

    asyncio.run(run())
    assert overlaps == [1, 1, 1, 1]
    assert written == [[f"post-{n:05d}", f"post-{n + 1:05d}"] for n in (1, 3, 5, 7)]
    assert mongo_client[mongo_db]["posts"].count_documents({}) == 8


def test_a_slow_store_holds_items_instead_of_queueing_batches(mongo_uri, mongo_db, mongo_client):
    # 60 items arrive at once for a store that takes 50 ms a batch: with room
    # for 2 batches of 3, the items that fill a third batch wait.
    pipeline = make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=3, MONGO_MAX_QUEUED_BATCHES=2))
    real_write = pipeline.store.write
    queued: list[int] = []  # batches handed over and not yet written, whenever a write starts
    waiting: list[int] = []  # items buffered, whenever a write starts

    async def slow_write(batch: list[Observation]) -> Any:
        queued.append(pipeline._queued)
        waiting.append(len(pipeline._pending))
        await asyncio.sleep(0.05)
        return await real_write(batch)

    pipeline.store.write = slow_write  # type: ignore[method-assign]
    items = [synthetic_post(n) for n in range(1, 61)]

    async def run() -> list[Any]:
        await pipeline.open_spider()
        returned = await asyncio.gather(*(pipeline.process_item(item) for item in items))
        await pipeline.close_spider()
        return returned

    assert asyncio.run(run()) == items
    assert len(queued) == 20 and max(queued) == 2, queued
    assert pipeline.stats.get_value("kongblog/mongo/max_queued_batches") == 2
    assert mongo_client[mongo_db]["posts"].count_documents({}) == 60
    assert mongo_stats(pipeline) == {"batches": 20, "upserted": 60}


def test_a_cancelled_caller_loses_no_item(mongo_uri, mongo_db, mongo_client):
    pipeline = make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=2, MONGO_MAX_QUEUED_BATCHES=1))
    gate = asyncio.Event()
    real_write = pipeline.store.write

    async def held_write(batch: list[Observation]) -> Any:
        await gate.wait()
        return await real_write(batch)

    pipeline.store.write = held_write  # type: ignore[method-assign]

    async def run() -> None:
        await pipeline.open_spider()
        for n in (1, 2):  # the first batch: handed over, its write held
            await pipeline.process_item(synthetic_post(n))
        await pipeline.process_item(synthetic_post(3))
        caller = asyncio.get_running_loop().create_task(pipeline.process_item(synthetic_post(4)))
        await asyncio.sleep(0.05)  # waiting for room in the queue
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        gate.set()
        await pipeline.close_spider()

    asyncio.run(run())
    assert mongo_client[mongo_db]["posts"].count_documents({}) == 4
    assert mongo_stats(pipeline) == {"batches": 2, "upserted": 4}


def test_batches_flush_by_time(mongo_uri, mongo_db, mongo_client):
    pipeline = make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_FLUSH_INTERVAL=0.3))
    seen: list[int] = []

    def count() -> int:
        return mongo_client[mongo_db]["posts"].count_documents({})

    async def run() -> None:
        await pipeline.open_spider()
        await pipeline.process_item(synthetic_post(1))
        await pipeline.process_item(synthetic_post(2))
        seen.append(count())
        deadline = time.monotonic() + 50
        while count() < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        seen.append(count())
        await pipeline.close_spider()

    asyncio.run(run())
    assert seen == [0, 2]
    assert mongo_stats(pipeline) == {"batches": 1, "upserted": 2}


def test_event_loop_keeps_running_while_a_write_waits_on_the_server(secantus_server, tmp_path):
    pipeline = make_pipeline(settings_for(
        secantus_server.uri, "kb", MONGO_BATCH_SIZE=1, MONGO_RETRY_WINDOW=1.0, MONGO_RETRY_INITIAL_DELAY=0.1,
        MONGO_SERVER_SELECTION_TIMEOUT_MS=200, MONGO_DEAD_LETTER_PATH=str(tmp_path / "dl-{timestamp}.jsonl"),
    ))  # fmt: skip
    ticks = 0
    waited = 0.0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    async def run() -> None:
        nonlocal waited
        await pipeline.open_spider()
        secantus_server.kill()
        task = asyncio.get_running_loop().create_task(ticker())
        started = time.monotonic()
        await pipeline.process_item(synthetic_post(1))
        await pipeline.close_spider()  # waits for the write: retried for a second, then dead-lettered
        waited = time.monotonic() - started
        task.cancel()

    asyncio.run(run())
    assert waited >= 1.0
    assert ticks >= waited / 0.02 / 10  # a tick every 20 ms, bound at a tenth: a blocked loop ticks once or never
    assert pipeline.stats.get_value("kongblog/mongo/retries") >= 2
    assert pipeline.stats.get_value("kongblog/mongo/dead_lettered") == 1


# A crawl with MongoDB in a subprocess: open the pipeline, store items, close
# it, then list pymongo's threads and time the process exit from there.
EXIT_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys, threading, time
    from scrapy.utils.test import get_crawler
    from kongblog.pipelines.store import StorePostPipeline
    from tests.support.mongo import store_settings, synthetic_post

    uri, db = sys.argv[1:3]
    crawler = get_crawler(settings_dict=store_settings(MONGO_URI=uri, MONGO_DATABASE=db, MONGO_BATCH_SIZE=7))
    pipeline = StorePostPipeline.from_crawler(crawler)

    async def crawl():
        await pipeline.open_spider()
        for n in range(1, 51):
            await pipeline.process_item(synthetic_post(n))
        await pipeline.close_spider()

    asyncio.run(crawl())
    threads = sorted(t.name for t in threading.enumerate() if t.name.startswith("pymongo"))
    print("stored", crawler.stats.get_value("kongblog/mongo/upserted"))
    print("pymongo threads", threads)
    print("closed at", time.time(), flush=True)
    """
)


def test_no_pymongo_thread_outlives_close_spider_and_the_process_exits_at_once(mongo_uri, mongo_db, mongo_client):
    result = subprocess.run(
        [sys.executable, "-c", EXIT_SCRIPT, mongo_uri, mongo_db],
        cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    exited_at = time.time()
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[:2] == ["stored 50", "pymongo threads []"]
    assert mongo_client[mongo_db]["posts"].count_documents({}) == 50
    assert exited_at - float(lines[2].removeprefix("closed at ")) < 2.0


# --- outages -------------------------------------------------------------------------------


def test_outage_dead_letters_the_rest_then_replay_restores_all(secantus_server, tmp_path, caplog):
    client = MongoClient(secantus_server.uri, serverSelectionTimeoutMS=2000, tz_aware=True)
    pipeline = make_pipeline(settings_for(
        secantus_server.uri, "kb", MONGO_BATCH_SIZE=5, MONGO_RETRY_WINDOW=1.0, MONGO_RETRY_INITIAL_DELAY=0.1,
        MONGO_SERVER_SELECTION_TIMEOUT_MS=300, MONGO_DEAD_LETTER_PATH=str(tmp_path / "dead" / "dl-{timestamp}.jsonl"),
    ))  # fmt: skip

    async def run() -> None:
        await pipeline.open_spider()
        for n in range(1, 6):  # one full batch, stored
            await pipeline.process_item(synthetic_post(n))
        while pipeline._queued:
            await asyncio.sleep(0.01)
        secantus_server.kill()
        for n in range(6, 13):  # a batch that exhausts its retries, then 2 more
            await pipeline.process_item(synthetic_post(n))
        await pipeline.close_spider()

    asyncio.run(run())
    assert mongo_stats(pipeline) == {"batches": 1, "upserted": 5, "dead_lettered": 7}
    assert pipeline.stats.get_value("kongblog/failed").startswith(
        f"mongo_dead_lettered: MongoDB at {secantus_server.uri} unreachable for 1s"
    )
    files = list((tmp_path / "dead").glob("dl-*.jsonl"))
    assert len(files) == 1
    lines = read_jsonl(files[0])
    assert [line["item"]["slug"] for line in lines] == [f"post-{n:05d}" for n in range(6, 13)]
    assert lines[0]["item"] == dataclasses.asdict(synthetic_post(6)) and lines[0]["seen_at"].endswith("Z")
    assert any(str(files[0]) in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)

    secantus_server.start()  # back, its data intact: replay makes it whole
    env = {"MONGO_URI": secantus_server.uri, "MONGO_DATABASE": "kb"}
    result = run_scrapy("replay", str(files[0]), env=env)
    assert result.returncode == 0, result.stderr
    assert "read 7 line(s) from 1 file(s): 7 post(s), 0 older duplicate(s), 0 invalid" in result.stdout
    assert "upserted 7, modified 0, unchanged 0, stale 0, rejected 0" in result.stdout
    replayed = client["kb"]["posts"].find_one({"slug": "post-00006"})
    assert replayed["last_seen_at"] == replayed["first_seen_at"] == parse_time(lines[0]["seen_at"])
    again = run_scrapy("replay", str(files[0]), env=env)  # idempotent
    assert "upserted 0, modified 0, unchanged 7, stale 0, rejected 0" in again.stdout, again.stderr
    assert client["kb"]["posts"].count_documents({}) == 12
    client.close()


def test_store_back_within_the_retry_window_loses_nothing(secantus_server, tmp_path):
    pipeline = make_pipeline(settings_for(
        secantus_server.uri, "kb", MONGO_BATCH_SIZE=4, MONGO_RETRY_WINDOW=20.0, MONGO_RETRY_INITIAL_DELAY=0.1,
        MONGO_RETRY_MAX_DELAY=0.5, MONGO_SERVER_SELECTION_TIMEOUT_MS=300,
        MONGO_DEAD_LETTER_PATH=str(tmp_path / "dl-{timestamp}.jsonl"),
    ))  # fmt: skip

    async def run() -> None:
        await pipeline.open_spider()
        for n in range(1, 5):
            await pipeline.process_item(synthetic_post(n))
        while pipeline._queued:
            await asyncio.sleep(0.01)
        secantus_server.kill()
        restarter = threading.Timer(1.0, secantus_server.start)
        restarter.start()
        for n in range(5, 11):
            await pipeline.process_item(synthetic_post(n))
        await pipeline.close_spider()
        restarter.join()

    asyncio.run(run())
    assert mongo_stats(pipeline) == {"batches": 3, "upserted": 10}
    assert pipeline.stats.get_value("kongblog/mongo/retries") >= 1
    assert pipeline.stats.get_value("kongblog/failed") is None
    assert list(tmp_path.glob("dl-*.jsonl")) == []
    with MongoClient(secantus_server.uri) as client:
        assert client["kb"]["posts"].count_documents({}) == 10


def test_nothing_raises_into_the_crawl_when_even_the_dead_letter_file_fails(secantus_server, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    pipeline = make_pipeline(settings_for(
        secantus_server.uri, "kb", MONGO_BATCH_SIZE=2, MONGO_RETRY_WINDOW=0.5, MONGO_RETRY_INITIAL_DELAY=0.1,
        MONGO_SERVER_SELECTION_TIMEOUT_MS=200, MONGO_DEAD_LETTER_PATH=str(blocker / "dl.jsonl"),
    ))  # fmt: skip
    items = [synthetic_post(n) for n in range(1, 8)]

    async def run() -> list[Any]:
        await pipeline.open_spider()
        secantus_server.kill()
        returned = [await pipeline.process_item(item) for item in items]
        await pipeline.close_spider()
        return returned

    assert asyncio.run(run()) == items
    assert pipeline.stats.get_value("kongblog/mongo/lost") == 7
    assert pipeline.stats.get_value("kongblog/failed").startswith("mongo_batch_lost: posts neither stored nor dead-lettered")


# --- gone posts -------------------------------------------------------------------------------


def listing_spider(seen: set[str], healthy: bool = True, complete: bool = True) -> SimpleNamespace:
    """What the pipeline reads of the kongblog spider at close."""
    report = CrawlReport(seen_posts=seen, healthy=healthy, incremental=not complete)
    return SimpleNamespace(report=report, listing="/blog/engineering",
                           start_url="https://blog.example/blog/engineering")  # fmt: skip


@pytest.mark.parametrize(
    ("spider", "failed", "gone"),
    [
        (dict(), None, 2),
        (dict(healthy=False), None, 0),  # a health check failed, or the crawl was interrupted
        (dict(complete=False), None, 0),  # max_pages, mode=incremental
        (dict(), "lost page 3", 0),
    ],
    ids=["healthy-full", "unhealthy", "partial", "failed"],
)
def test_posts_missing_from_a_healthy_full_crawl_are_marked_gone(mongo_uri, mongo_db, mongo_client, spider, failed, gone):
    crawl(make_pipeline(settings_for(mongo_uri, mongo_db)), [synthetic_post(n) for n in range(1, 6)])
    other = synthetic_post(9, url="https://blog.example/blog/news/post-00009")  # another listing's post
    crawl(make_pipeline(settings_for(mongo_uri, mongo_db)), [other])
    seen = {f"post-{n:05d}" for n in (1, 2, 3)}
    pipeline = make_pipeline(settings_for(mongo_uri, mongo_db), spider=listing_spider(seen, **spider))
    if failed:
        pipeline.stats.set_value("kongblog/failed", failed)
    crawl(pipeline, [synthetic_post(n) for n in (1, 2, 3)])
    marked = sorted(d["slug"] for d in mongo_client[mongo_db]["posts"].find({"gone_since": {"$exists": True}}))
    assert marked == ["post-00004", "post-00005"][:gone]
    assert pipeline.stats.get_value("kongblog/mongo/gone") == (gone or None)

    back = crawl(make_pipeline(settings_for(mongo_uri, mongo_db)), [synthetic_post(n) for n in (4, 5)])
    assert back.stats.get_value("kongblog/mongo/back") == (gone or None)
    assert mongo_client[mongo_db]["posts"].count_documents({"gone_since": {"$exists": True}}) == 0


def test_a_crawl_that_could_not_store_everything_marks_nothing(secantus_server, tmp_path):
    seen = {"post-00001"}
    settings = settings_for(secantus_server.uri, "kb", MONGO_BATCH_SIZE=1, MONGO_RETRY_WINDOW=0.3,
                            MONGO_SERVER_SELECTION_TIMEOUT_MS=200,
                            MONGO_DEAD_LETTER_PATH=str(tmp_path / "dl.jsonl"))  # fmt: skip
    crawl(make_pipeline(settings), [synthetic_post(n) for n in (1, 2)])
    pipeline = make_pipeline(settings, spider=listing_spider(seen))

    async def failing_write(batch: list[Observation]) -> Any:
        raise StoreUnavailable("MongoDB at somewhere refused writing posts: simulated")

    pipeline.store.write = failing_write  # type: ignore[method-assign]
    crawl(pipeline, [synthetic_post(1)])
    assert pipeline.stats.get_value("kongblog/mongo/dead_lettered") == 1
    with MongoClient(secantus_server.uri) as client:
        assert client["kb"]["posts"].count_documents({"gone_since": {"$exists": True}}) == 0
