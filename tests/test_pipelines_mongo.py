"""StorePostPipeline against a real MongoDB wire-protocol server (SecantusDB)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any, TypeVar

import pytest
from pymongo import AsyncMongoClient, MongoClient, monitoring
from pymongo.errors import AutoReconnect
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from kongblog.pipelines.mongo import (
    PendingPost,
    PostStore,
    StoreConfig,
    StorePostPipeline,
    StoreUnavailable,
    content_hash,
    mask_uri,
    parse_time,
)
from tests.support.crawl import REPO, crawl_env, read_jsonl
from tests.support.mongo import free_port, run_scrapy, synthetic_post

# sha256 of synthetic_post(1)'s card fields as canonical JSON (sorted keys, no
# spaces, UTF-8); pinned so that a change of the hashing is noticed.
POST_1_HASH = "14d61c085473fcf85af6030d0dcaea15c67df9e48052e8ca8853a089e2662ca4"


T = TypeVar("T")


class CommandLog(monitoring.CommandListener):
    """Records (command name, database, thread name, slugs of the inserted
    documents) of client commands."""

    def __init__(self) -> None:
        self.active = False
        self.events: list[tuple[str, str, str, list[str]]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.active:
            inserted = [doc.get("slug") for doc in event.command.get("documents", [])]
            self.events.append(
                (event.command_name, event.database_name, threading.current_thread().name, inserted)
            )

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


COMMANDS = CommandLog()
monitoring.register(COMMANDS)


@pytest.fixture
def commands() -> Iterable[CommandLog]:
    COMMANDS.events.clear()
    COMMANDS.active = True
    try:
        yield COMMANDS
    finally:
        COMMANDS.active = False


def settings_for(uri: str, db: str, **extra: Any) -> dict[str, Any]:
    return {
        "MONGO_URI": uri,
        "MONGO_DATABASE": db,
        "MONGO_COLLECTION": "posts",
        "MONGO_FLUSH_INTERVAL": 0,
        "MONGO_SERVER_SELECTION_TIMEOUT_MS": 1000,
        "MONGO_CONNECT_TIMEOUT_MS": 1000,
        **extra,
    }


def make_pipeline(settings: dict[str, Any]) -> StorePostPipeline:
    return StorePostPipeline.from_crawler(get_crawler(settings_dict=settings))


def mongo_stats(pipeline: StorePostPipeline) -> dict[str, Any]:
    return {
        k.removeprefix("kongblog/mongo/"): v
        for k, v in pipeline.stats.get_stats().items()
        if k.startswith("kongblog/mongo/") and k not in ("kongblog/mongo/retries", "kongblog/mongo/max_queued_batches")
    }


def crawl(settings: dict[str, Any], items: Iterable[Any]) -> StorePostPipeline:
    """One "crawl": open, feed *items*, close."""
    pipeline = make_pipeline(settings)

    async def run() -> None:
        await pipeline.open_spider()
        for item in items:
            assert await pipeline.process_item(item) is item
        await pipeline.close_spider()

    asyncio.run(run())
    return pipeline


def docs(client: MongoClient, db: str) -> dict[str, dict[str, Any]]:
    return {d["slug"]: d for d in client[db]["posts"].find({}, {"_id": 0})}


# --- configuration -----------------------------------------------------------


def test_not_configured_without_mongo_uri(caplog):
    caplog.set_level(logging.DEBUG, logger="kongblog")
    with pytest.raises(NotConfigured) as info:
        make_pipeline({"MONGO_URI": None})
    assert info.value.args == ()  # Scrapy would log a WARNING for args
    records = [r for r in caplog.records if r.name == "kongblog.pipelines.mongo"]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO
    assert "MONGO_URI" in records[0].getMessage()
    assert "-s MONGO_URI=" in records[0].getMessage()


def test_empty_mongo_uri_is_not_configured():
    with pytest.raises(NotConfigured):
        make_pipeline({"MONGO_URI": ""})


def test_store_config_reads_each_mongo_setting_and_defaults_the_rest():
    settings = Settings({
        "MONGO_URI": "mongodb://db:27017", "MONGO_DATABASE": "", "MONGO_COLLECTION": "cards",
        "MONGO_CONNECT_TIMEOUT_MS": "250", "MONGO_RETRY_WINDOW": 1.5, "MONGO_RETRY_MAX_DELAY": "2",
    })
    assert StoreConfig.from_settings(settings) == StoreConfig(
        uri="mongodb://db:27017", database="kongblog", collection="cards", server_selection_timeout_ms=3000,
        connect_timeout_ms=250, socket_timeout_ms=30000, retry_window=1.5, retry_initial_delay=0.5, retry_max_delay=2.0,
    )
    assert StoreConfig.from_settings(Settings()).uri == ""


def test_mask_uri_hides_user_and_password():
    assert mask_uri("mongodb://app:s3cret@db1:27017,db2/kb?authSource=admin") == (
        "mongodb://***@db1:27017,db2/kb?authSource=admin"
    )
    assert mask_uri("mongodb+srv://app@cluster.example/?w=1") == "mongodb+srv://***@cluster.example/?w=1"
    assert mask_uri("mongodb://db1:27017/") == "mongodb://db1:27017/"


def test_unreachable_server_fails_fast_with_masked_credentials(caplog):
    port = free_port()
    uri = f"mongodb://alice:hunter2@127.0.0.1:{port}/?authSource=admin"
    pipeline = make_pipeline(
        {"MONGO_URI": uri, "MONGO_SERVER_SELECTION_TIMEOUT_MS": 300, "MONGO_CONNECT_TIMEOUT_MS": 300}
    )

    async def run() -> None:
        await pipeline.open_spider()

    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as info:
        asyncio.run(run())
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert message.startswith(f"MongoDB at mongodb://***@127.0.0.1:{port}/?authSource=admin is unreachable")
    failed = pipeline.stats.get_value("kongblog/failed")
    assert failed == f"mongo_unavailable: {message}"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"mongodb://***@127.0.0.1:{port}" in logged
    for secret in ("alice", "hunter2"):
        assert secret not in message
        assert secret not in logged
    # close_spider after a failed open is a no-op, not a second error.
    asyncio.run(pipeline.close_spider())


# --- documents ---------------------------------------------------------------


def test_content_hash_is_sha256_of_canonical_card_json():
    data = dataclasses.asdict(synthetic_post(1))
    card = {k: data[k] for k in sorted(data) if k not in {"listing_page", "listing_position", "listing_url", "scraped_at"}}
    expected = hashlib.sha256(
        json.dumps(card, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    assert expected == POST_1_HASH
    assert content_hash(data) == expected
    # listing position and scrape time are not content
    moved = {**data, "listing_page": 9, "listing_position": 9, "scraped_at": "2030-01-01T00:00:00Z"}
    assert content_hash(moved) == expected
    assert content_hash({**data, "title": "Other"}) != expected


def test_first_crawl_upserts_every_post(mongo_uri, mongo_db, mongo_client):
    items = [synthetic_post(n) for n in range(1, 6)]
    pipeline = crawl(settings_for(mongo_uri, mongo_db), items)
    assert mongo_stats(pipeline) == {"batches": 1, "upserted": 5}
    stored = docs(mongo_client, mongo_db)
    assert sorted(stored) == [f"post-0000{n}" for n in range(1, 6)]
    for item in items:
        doc = stored[item.slug]
        fields = dataclasses.asdict(item)
        assert {k: doc[k] for k in fields} == fields
        assert set(doc) == set(fields) | {"first_seen_at", "last_seen_at", "content_hash"}
        assert doc["first_seen_at"] == doc["last_seen_at"]
        assert doc["content_hash"] == content_hash(fields)
        assert len(doc["content_hash"]) == 64
    indexes = mongo_client[mongo_db]["posts"].index_information()
    assert indexes["slug_unique"]["key"] == [("slug", 1)]
    assert indexes["slug_unique"]["unique"] is True


def test_recrawl_keeps_first_seen_moves_last_seen_and_marks_changes(mongo_uri, mongo_db, mongo_client):
    settings = settings_for(mongo_uri, mongo_db)
    crawl(settings, [synthetic_post(n) for n in range(1, 4)])
    first = docs(mongo_client, mongo_db)

    time.sleep(0.01)
    second_run = crawl(settings, [synthetic_post(n) for n in range(1, 4)])
    second = docs(mongo_client, mongo_db)
    assert mongo_stats(second_run) == {"batches": 1, "unchanged": 3}
    for slug, doc in second.items():
        assert doc["first_seen_at"] == first[slug]["first_seen_at"]
        assert doc["last_seen_at"] > first[slug]["last_seen_at"]
        assert doc["content_hash"] == first[slug]["content_hash"]
        assert "updated_at" not in doc

    # Card text changes on post 2; post 3 only moves on the listing.
    time.sleep(0.01)
    changed = synthetic_post(2, title="Post number 2, revised")
    moved = synthetic_post(3, listing_page=4, listing_position=7)
    third_run = crawl(settings, [synthetic_post(1), changed, moved, synthetic_post(4)])
    third = docs(mongo_client, mongo_db)
    assert mongo_stats(third_run) == {"batches": 1, "upserted": 1, "modified": 1, "unchanged": 2}
    assert third["post-00002"]["title"] == "Post number 2, revised"
    assert third["post-00002"]["updated_at"] == third["post-00002"]["last_seen_at"]
    assert third["post-00002"]["content_hash"] != second["post-00002"]["content_hash"]
    assert third["post-00002"]["first_seen_at"] == first["post-00002"]["first_seen_at"]
    assert third["post-00003"]["listing_page"] == 4
    assert third["post-00003"]["content_hash"] == second["post-00003"]["content_hash"]
    assert "updated_at" not in third["post-00003"]
    assert "updated_at" not in third["post-00001"]
    assert "updated_at" not in third["post-00004"]

    # updated_at stays put while the content stays the same.
    time.sleep(0.01)
    crawl(settings, [synthetic_post(2, title="Post number 2, revised")])
    fourth = docs(mongo_client, mongo_db)
    assert fourth["post-00002"]["updated_at"] == third["post-00002"]["updated_at"]
    assert fourth["post-00002"]["last_seen_at"] > third["post-00002"]["last_seen_at"]


def test_unique_index_is_ensured_idempotently(mongo_uri, mongo_db, mongo_client):
    settings = settings_for(mongo_uri, mongo_db)
    crawl(settings, [synthetic_post(1)])
    crawl(settings, [synthetic_post(1)])
    indexes = mongo_client[mongo_db]["posts"].index_information()
    assert sorted(indexes) == ["_id_", "slug_unique"]
    assert mongo_client[mongo_db]["posts"].count_documents({}) == 1


def test_older_observation_never_overwrites_a_newer_one(mongo_uri, mongo_db, mongo_client):
    async def run() -> None:
        store = PostStore(StoreConfig(uri=mongo_uri, database=mongo_db))
        await store.connect()
        try:
            t0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
            newer = PendingPost(dataclasses.asdict(synthetic_post(1, title="New")), t0 + dt.timedelta(hours=1))
            older = PendingPost(dataclasses.asdict(synthetic_post(1, title="Old")), t0)
            assert (await store.write([newer])).as_dict() == {"upserted": 1, "modified": 0, "unchanged": 0, "stale": 0, "failed": 0}
            assert (await store.write([older])).as_dict() == {"upserted": 0, "modified": 0, "unchanged": 0, "stale": 1, "failed": 0}
            doc = await store.collection.find_one({"slug": "post-00001"})
            assert doc["title"] == "New"
            assert doc["last_seen_at"] == t0 + dt.timedelta(hours=1)
            assert await store.collection.count_documents({}) == 1
        finally:
            await store.close()

    asyncio.run(run())


# --- the write path: find, then insert / same-content upsert / mark + upsert ---

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
HOUR = dt.timedelta(hours=1)


def pending(number: int, seen_at: dt.datetime, **changes: Any) -> PendingPost:
    return PendingPost(dataclasses.asdict(synthetic_post(number, **changes)), seen_at)


def stored_doc(post: PendingPost, first_seen_at: dt.datetime, updated_at: dt.datetime | None = None) -> dict[str, Any]:
    """The document *post* must leave (without ``_id``)."""
    doc = {**post.data, "content_hash": post.content_hash, "last_seen_at": post.seen_at, "first_seen_at": first_seen_at}
    if updated_at is not None:
        doc["updated_at"] = updated_at
    return doc


def counts_of(upserted: int = 0, modified: int = 0, unchanged: int = 0, stale: int = 0) -> dict[str, int]:
    return {"upserted": upserted, "modified": modified, "unchanged": unchanged, "stale": stale, "failed": 0}


class OpLog(monitoring.CommandListener):
    """The find/insert/update commands of one client; each update op as
    "mark" (sets only updated_at, no upsert), "same" (upsert filtered on the
    stored hash) or "upsert" (the general upsert)."""

    def __init__(self) -> None:
        self.commands: list[tuple[str, Any]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        command = event.command
        if event.command_name == "find":
            self.commands.append(("find", sorted(command["filter"])))
        elif event.command_name == "insert":
            self.commands.append(("insert", len(command["documents"])))
        elif event.command_name == "update":
            self.commands.append(("update", [self._kind(op) for op in command["updates"]]))

    @staticmethod
    def _kind(op: dict[str, Any]) -> str:
        if not op.get("upsert"):
            assert set(op["u"]["$set"]) == {"updated_at"}, op
            return "mark"
        return "same" if "content_hash" in op["q"] else "upsert"

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def take(self) -> list[tuple[str, Any]]:
        taken, self.commands = self.commands, []
        return taken


class HookedCursor:
    """A real cursor whose ``to_list`` awaits *hook()* once its documents are read."""

    def __init__(self, real: Any, hook: Callable[[], Awaitable[Any]]) -> None:
        self._real = real
        self._hook = hook

    async def to_list(self, length: int | None = None) -> list[dict[str, Any]]:
        found = await self._real.to_list(length)
        await self._hook()
        return found


class HookedCollection:
    """The real (async) collection, plus: *after_find* (a coroutine function)
    is awaited once, right after the first ``find`` on slugs returned (a
    concurrent writer gets in between the read and the writes); *cut_bulk* =
    n loses the connection during the n-th ``bulk_write`` (0-based): the
    first half of its operations reach the server, then AutoReconnect, as if
    the reply was lost."""

    def __init__(self, real: Any, after_find: Any = None, cut_bulk: int | None = None) -> None:
        self._real = real
        self._after_find = after_find
        self._cut_bulk = cut_bulk
        self._bulks = 0

    def find(self, query: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        cursor = self._real.find(query, *args, **kwargs)
        if "slug" in query and self._after_find is not None:
            hook, self._after_find = self._after_find, None
            return HookedCursor(cursor, hook)
        return cursor

    async def bulk_write(self, ops: list[Any], **kwargs: Any) -> Any:
        index, self._bulks = self._bulks, self._bulks + 1
        if index == self._cut_bulk:
            await self._real.bulk_write(ops[: len(ops) // 2], **kwargs)
            raise AutoReconnect("connection closed (simulated, after a partial write)")
        return await self._real.bulk_write(ops, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class HookedStore(PostStore):
    """A real PostStore whose collection is a :class:`HookedCollection`."""

    hooks: dict[str, Any] = {}

    @property
    def collection(self) -> Any:
        real = super().collection
        return HookedCollection(real, **self.hooks) if self.hooks else real


async def no_sleep(_seconds: float) -> None:
    """The backoff pause of the store tests: none."""


@pytest.fixture
def run() -> Iterable[Callable[[Coroutine[Any, Any, T]], T]]:
    """run(coroutine) -> its result, on one event loop for the whole test
    (the async clients of a test live on it)."""
    with asyncio.Runner() as runner:
        yield runner.run


@pytest.fixture
def open_store(mongo_uri, mongo_db, run):
    """open_store(**hooks) -> (a connected HookedStore whose client reports
    to an OpLog, that OpLog); on the loop of the ``run`` fixture."""
    opened: list[PostStore] = []

    async def connect(store: HookedStore, log: OpLog) -> None:
        await store.connect()
        await store.client.close()
        store.client = AsyncMongoClient(mongo_uri, tz_aware=True, event_listeners=[log])

    def make(**hooks: Any) -> tuple[HookedStore, OpLog]:
        log = OpLog()
        store = HookedStore(StoreConfig(uri=mongo_uri, database=mongo_db), sleep=no_sleep)
        store.hooks = hooks
        run(connect(store, log))
        opened.append(store)
        return store, log

    yield make
    for store in opened:
        run(store.close())


def test_mixed_batch_of_new_unchanged_and_changed_posts(run, open_store, mongo_client, mongo_db):
    store, _ = open_store()
    first = [pending(n, T0) for n in range(1, 4)]
    assert run(store.write(first)).as_dict() == counts_of(upserted=3)

    t1 = T0 + HOUR
    batch = [
        pending(1, t1),  # unchanged
        pending(2, t1, title="Post number 2, revised"),  # changed
        pending(3, t1, listing_page=9, listing_position=9),  # moved on the listing: not content
        pending(4, t1),  # new
        pending(5, t1),  # new
    ]
    assert run(store.write(batch)).as_dict() == counts_of(upserted=2, modified=1, unchanged=2)
    assert docs(mongo_client, mongo_db) == {
        "post-00001": stored_doc(batch[0], first_seen_at=T0),
        "post-00002": stored_doc(batch[1], first_seen_at=T0, updated_at=t1),
        "post-00003": stored_doc(batch[2], first_seen_at=T0),
        "post-00004": stored_doc(batch[3], first_seen_at=t1),
        "post-00005": stored_doc(batch[4], first_seen_at=t1),
    }


def test_write_sends_no_mark_op_for_new_or_unchanged_posts(run, open_store):
    store, log = open_store()
    slug_find = ("find", ["slug"])

    assert run(store.write([pending(n, T0) for n in range(1, 6)])).as_dict() == counts_of(upserted=5)
    assert log.take() == [slug_find, ("insert", 5)]

    assert run(store.write([pending(n, T0 + HOUR) for n in range(1, 6)])).as_dict() == counts_of(unchanged=5)
    assert log.take() == [slug_find, ("update", ["same"] * 5)]

    # Two changed, two unchanged, one new: only the changed ones are marked.
    batch = [pending(n, T0 + 2 * HOUR, title=f"Revised {n}") for n in (1, 2)]
    batch += [pending(n, T0 + 2 * HOUR) for n in (3, 4, 6)]
    assert run(store.write(batch)).as_dict() == counts_of(upserted=1, modified=2, unchanged=2)
    assert log.take() == [
        slug_find,
        ("insert", 1),
        ("update", ["same", "same"]),
        ("update", ["mark", "mark"]),
        ("update", ["upsert", "upsert"]),
    ]


def test_new_slug_inserted_by_someone_else_after_the_find(run, open_store, mongo_client, mongo_db):
    other, _ = open_store()  # a concurrent crawl
    t1 = T0 + HOUR
    theirs = [
        pending(1, T0, title="Their older title"),  # older, other content: ours wins, marked changed
        pending(2, T0 + 2 * HOUR, title="Their newer title"),  # newer: theirs stays, ours is stale
        pending(4, T0),  # older, same content: ours only moves last_seen_at
    ]
    store, log = open_store(after_find=lambda: other.write(theirs))
    ours = [pending(n, t1) for n in range(1, 5)]

    assert run(store.write(ours)).as_dict() == counts_of(upserted=1, modified=1, unchanged=1, stale=1)
    assert docs(mongo_client, mongo_db) == {
        "post-00001": stored_doc(ours[0], first_seen_at=T0, updated_at=t1),
        "post-00002": stored_doc(theirs[1], first_seen_at=T0 + 2 * HOUR),
        "post-00003": stored_doc(ours[2], first_seen_at=t1),
        "post-00004": stored_doc(ours[3], first_seen_at=T0),
    }
    assert log.take() == [
        ("find", ["slug"]),
        ("insert", 4),  # 3 duplicate-key errors
        ("find", ["_id"]),  # none of them holds our _id: not an earlier attempt of ours
        ("update", ["mark"] * 3),
        ("update", ["upsert"] * 3),  # post 2's second duplicate: stale, not retried
    ]


def test_stored_hash_changed_after_the_find_falls_back_to_mark_and_upsert(run, open_store, mongo_client, mongo_db):
    first, _ = open_store()
    assert run(first.write([pending(n, T0) for n in range(1, 4)])).as_dict() == counts_of(upserted=3)

    other, _ = open_store()  # a concurrent crawl
    t1 = T0 + HOUR
    theirs = [
        pending(1, T0 + HOUR / 2, title="Their revision"),  # older than ours: ours wins, content changes back
        pending(2, T0 + 2 * HOUR, title="Their newer revision"),  # newer than ours: ours is stale
    ]
    store, log = open_store(after_find=lambda: other.write(theirs))
    ours = [pending(n, t1) for n in range(1, 4)]  # the content stored at T0

    assert run(store.write(ours)).as_dict() == counts_of(modified=1, unchanged=1, stale=1)
    assert docs(mongo_client, mongo_db) == {
        "post-00001": stored_doc(ours[0], first_seen_at=T0, updated_at=t1),
        "post-00002": stored_doc(theirs[1], first_seen_at=T0, updated_at=T0 + 2 * HOUR),
        "post-00003": stored_doc(ours[2], first_seen_at=T0),
    }
    assert log.take() == [
        ("find", ["slug"]),
        ("update", ["same"] * 3),  # posts 1 and 2 miss: duplicate-key errors
        ("update", ["mark"] * 2),
        ("update", ["upsert"] * 2),
    ]


@pytest.mark.parametrize(
    ("state", "cut_bulk"),
    [("new", 0), ("unchanged", 0), ("changed", 0), ("changed", 1)],
    ids=["insert", "same-content-upsert", "mark", "upsert"],
)
def test_batch_rerun_after_a_partial_write_counts_each_post_once(run, open_store, mongo_client, mongo_db, state, cut_bulk):
    if state != "new":
        setup, _ = open_store()
        assert run(setup.write([pending(n, T0) for n in range(1, 7)])).as_dict() == counts_of(upserted=6)
    t1 = T0 + HOUR
    changes = {"title": "Revised"} if state == "changed" else {}
    batch = [pending(n, t1, **changes) for n in range(1, 7)]
    store, _ = open_store(cut_bulk=cut_bulk)

    counts = run(store.write(batch)).as_dict()
    assert store.retries == 1
    assert counts == {
        "new": counts_of(upserted=6),
        "unchanged": counts_of(unchanged=6),
        "changed": counts_of(modified=6),
    }[state]
    first_seen = t1 if state == "new" else T0
    updated = t1 if state == "changed" else None
    assert docs(mongo_client, mongo_db) == {
        post.slug: stored_doc(post, first_seen_at=first_seen, updated_at=updated) for post in batch
    }


# --- batching, ordering and the event loop ------------------------------------


def test_batches_flush_by_size_in_order_from_the_event_loop(mongo_uri, mongo_db, mongo_client, commands):
    pipeline = make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=3))
    counts: list[int] = []

    def count() -> int:
        return mongo_client[mongo_db]["posts"].count_documents({})

    async def run() -> None:
        await pipeline.open_spider()
        for n in range(1, 8):
            await pipeline.process_item(synthetic_post(n))
            counts.append(count())
        await pipeline.close_spider()
        counts.append(count())

    asyncio.run(run())
    assert counts == [0, 0, 3, 3, 3, 6, 6, 7]
    assert mongo_stats(pipeline) == {"batches": 3, "upserted": 7}
    writes = [
        (name, thread, inserted) for name, db, thread, inserted in commands.events
        if db == mongo_db and name in {"find", "insert", "update"}
    ]  # fmt: skip
    # per batch of new posts: one find (which slugs are stored) and one bulk
    # insert; never one command per item; the batches in the order of the items
    assert [name for name, _, _ in writes] == ["find", "insert"] * 3
    assert [inserted for name, _, inserted in writes if name == "insert"] == [
        ["post-00001", "post-00002", "post-00003"],
        ["post-00004", "post-00005", "post-00006"],
        ["post-00007"],
    ]
    # sent by the async client from the event loop's thread: no writer thread
    assert {thread for _, thread, _ in writes} == {threading.current_thread().name}


def test_concurrent_flushes_are_written_one_batch_at_a_time_in_order(mongo_uri, mongo_db, mongo_client, commands):
    # Items arrive at once (Scrapy processes several responses' items
    # concurrently): four batches are flushed together, each caller waits for
    # its own batch, and the store still sees one batch after the other.
    pipeline = make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=2))
    real_write = pipeline.store.write
    active = 0
    overlaps: list[int] = []
    written: list[list[str]] = []

    async def tracked_write(batch: list[PendingPost]) -> Any:
        nonlocal active
        active += 1
        overlaps.append(active)
        try:
            await asyncio.sleep(0.02)  # let the other flushes try to get in
            return await real_write(batch)
        finally:
            written.append([post.slug for post in batch])
            active -= 1

    pipeline.store.write = tracked_write  # type: ignore[method-assign]
    items = [synthetic_post(n) for n in range(1, 9)]

    async def run() -> None:
        await pipeline.open_spider()
        returned = await asyncio.gather(*(pipeline.process_item(item) for item in items))
        assert returned == items
        # every caller that filled a batch waited for it: all four are stored
        assert mongo_client[mongo_db]["posts"].count_documents({}) == 8
        await pipeline.close_spider()

    asyncio.run(run())
    assert overlaps == [1, 1, 1, 1]
    expected = [[f"post-{n:05d}", f"post-{n + 1:05d}"] for n in (1, 3, 5, 7)]
    assert written == expected
    inserts = [inserted for name, db, _, inserted in commands.events if db == mongo_db and name == "insert"]
    assert inserts == expected
    assert mongo_stats(pipeline) == {"batches": 4, "upserted": 8}


def test_a_slow_store_holds_items_instead_of_queueing_batches(mongo_uri, mongo_db, mongo_client):
    # 60 items arrive at once for a store that takes 50 ms a batch: with room
    # for 2 batches of 3, items wait for a batch to be done before they join.
    pipeline = make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=3, MONGO_MAX_QUEUED_BATCHES=2))
    real_write = pipeline.store.write
    queued: list[int] = []  # batches in flight whenever a write starts

    async def slow_write(batch: list[PendingPost]) -> Any:
        queued.append(len(pipeline._inflight))
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


def test_cancelled_caller_does_not_cancel_its_batch(mongo_uri, mongo_db, mongo_client):
    pipeline = make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=2))

    async def run() -> None:
        await pipeline.open_spider()
        await pipeline.process_item(synthetic_post(1))
        caller = asyncio.get_running_loop().create_task(pipeline.process_item(synthetic_post(2)))
        await asyncio.sleep(0)  # the batch is handed over, its write started
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        await pipeline.close_spider()  # waits for the batch in flight

    asyncio.run(run())
    assert mongo_stats(pipeline) == {"batches": 1, "upserted": 2}
    assert mongo_client[mongo_db]["posts"].count_documents({}) == 2


def test_batches_flush_by_time(mongo_uri, mongo_db, mongo_client):
    pipeline = make_pipeline(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=100, MONGO_FLUSH_INTERVAL=0.3))
    seen: list[int] = []

    def count() -> int:
        return mongo_client[mongo_db]["posts"].count_documents({})

    async def run() -> None:
        await pipeline.open_spider()
        await pipeline.process_item(synthetic_post(1))
        await pipeline.process_item(synthetic_post(2))
        seen.append(count())
        deadline = time.monotonic() + 5
        while count() < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        seen.append(count())
        await pipeline.close_spider()

    asyncio.run(run())
    assert seen == [0, 2]
    assert mongo_stats(pipeline) == {"batches": 1, "upserted": 2}


def test_event_loop_keeps_running_while_a_write_waits_on_the_server(secantus_server, tmp_path):
    # The server is down: the write waits for server selection and retries
    # for a second, on the event loop (Scrapy's reactor), which keeps running
    # other work meanwhile.
    settings = settings_for(
        secantus_server.uri, "kb", MONGO_BATCH_SIZE=1, MONGO_RETRY_WINDOW=1.0,
        MONGO_RETRY_INITIAL_DELAY=0.1, MONGO_SERVER_SELECTION_TIMEOUT_MS=200,
        MONGO_DEAD_LETTER_PATH=str(tmp_path / "dl-{timestamp}.jsonl"),
    )  # fmt: skip
    pipeline = make_pipeline(settings)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    waited = 0.0

    async def run() -> None:
        nonlocal waited
        await pipeline.open_spider()
        secantus_server.kill()
        task = asyncio.get_running_loop().create_task(ticker())
        started = time.monotonic()
        await pipeline.process_item(synthetic_post(1))
        waited = time.monotonic() - started
        task.cancel()
        await pipeline.close_spider()

    asyncio.run(run())
    assert waited >= 1.0
    # a tick every 20 ms (give or take the loop's own work) the whole time
    assert ticks >= waited / 0.02 * 0.5
    assert pipeline.stats.get_value("kongblog/mongo/retries") >= 2
    assert pipeline.stats.get_value("kongblog/mongo/dead_lettered") == 1


# A crawl with MongoDB in a subprocess: open the pipeline, store items, close
# it, then list pymongo's threads and time the process exit from there.
EXIT_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys, threading, time
    from scrapy.utils.test import get_crawler
    from kongblog.pipelines.mongo import StorePostPipeline
    from tests.support.mongo import synthetic_post

    uri, db = sys.argv[1:3]
    crawler = get_crawler(settings_dict={"MONGO_URI": uri, "MONGO_DATABASE": db, "MONGO_BATCH_SIZE": 7})
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
    # The reason for the async client: a sync MongoClient's monitor threads
    # outlive close() until their next 0.5 s tick, and pymongo's atexit hook
    # joins them, so every crawl exited up to half a second late.
    result = subprocess.run(
        [sys.executable, "-c", EXIT_SCRIPT, mongo_uri, mongo_db],
        cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    exited_at = time.time()
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0] == "stored 50"
    assert lines[1] == "pymongo threads []"
    assert mongo_client[mongo_db]["posts"].count_documents({}) == 50
    # Not a benchmark: only catches a wait of pymongo's kind (the sync client
    # took 0.2-0.5 s here, the async one about 0.05 s).
    assert exited_at - float(lines[2].removeprefix("closed at ")) < 2.0


# --- outages -----------------------------------------------------------------


def test_outage_dead_letters_unflushed_and_later_items_then_replay_restores_all(
    secantus_server, tmp_path, caplog
):
    client = MongoClient(secantus_server.uri, serverSelectionTimeoutMS=2000, tz_aware=True)
    settings = settings_for(
        secantus_server.uri, "kb", MONGO_BATCH_SIZE=5, MONGO_RETRY_WINDOW=1.0,
        MONGO_RETRY_INITIAL_DELAY=0.1, MONGO_SERVER_SELECTION_TIMEOUT_MS=300,
        MONGO_DEAD_LETTER_PATH=str(tmp_path / "dead" / "dl-{timestamp}.jsonl"),
    )  # fmt: skip
    pipeline = make_pipeline(settings)

    async def run() -> None:
        await pipeline.open_spider()
        for n in range(1, 6):  # one full batch, stored
            await pipeline.process_item(synthetic_post(n))
        secantus_server.kill()
        for n in range(6, 13):  # a batch that exhausts its retries, then 2 more
            await pipeline.process_item(synthetic_post(n))
        await pipeline.close_spider()

    asyncio.run(run())
    assert mongo_stats(pipeline) == {"batches": 1, "upserted": 5, "dead_lettered": 7}
    assert pipeline.stats.get_value("kongblog/mongo/retries") >= 2
    failed = pipeline.stats.get_value("kongblog/failed")
    assert failed.startswith(f"mongo_dead_lettered: MongoDB at {secantus_server.uri} unreachable for 1s")

    files = list((tmp_path / "dead").glob("dl-*.jsonl"))
    assert len(files) == 1
    lines = read_jsonl(files[0])
    assert [line["item"]["slug"] for line in lines] == [f"post-{n:05d}" for n in range(6, 13)]
    assert lines[0]["item"] == dataclasses.asdict(synthetic_post(6))
    assert lines[0]["seen_at"].endswith("Z")
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(str(files[0]) in message for message in errors)

    # The store is back (its data survived): replay makes it whole.
    secantus_server.start()
    assert client["kb"]["posts"].count_documents({}) == 5
    env = {"MONGO_URI": secantus_server.uri, "MONGO_DATABASE": "kb"}
    result = run_scrapy("replay", str(files[0]), env=env)
    assert result.returncode == 0, result.stderr
    assert "read 7 line(s) from 1 file(s): 7 post(s), 0 older duplicate(s), 0 invalid" in result.stdout
    assert "upserted 7, modified 0, unchanged 0, stale 0, rejected 0" in result.stdout
    assert client["kb"]["posts"].count_documents({}) == 12
    replayed = client["kb"]["posts"].find_one({"slug": "post-00006"})
    assert replayed["last_seen_at"] == replayed["first_seen_at"] == parse_time(lines[0]["seen_at"])

    # Idempotent: a second replay changes nothing.
    again = run_scrapy("replay", str(files[0]), env=env)
    assert again.returncode == 0, again.stderr
    assert "upserted 0, modified 0, unchanged 7, stale 0, rejected 0" in again.stdout
    assert client["kb"]["posts"].count_documents({}) == 12
    client.close()


def test_store_back_within_the_retry_window_loses_nothing(secantus_server, tmp_path):
    settings = settings_for(
        secantus_server.uri, "kb", MONGO_BATCH_SIZE=4, MONGO_RETRY_WINDOW=20.0,
        MONGO_RETRY_INITIAL_DELAY=0.1, MONGO_RETRY_MAX_DELAY=0.5,
        MONGO_SERVER_SELECTION_TIMEOUT_MS=300,
        MONGO_DEAD_LETTER_PATH=str(tmp_path / "dl-{timestamp}.jsonl"),
    )  # fmt: skip
    pipeline = make_pipeline(settings)

    async def run() -> None:
        await pipeline.open_spider()
        for n in range(1, 5):
            await pipeline.process_item(synthetic_post(n))
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
    client = MongoClient(secantus_server.uri)
    assert client["kb"]["posts"].count_documents({}) == 10
    client.close()


# --- concurrency -------------------------------------------------------------


def test_concurrent_crawls_give_no_duplicates_and_lose_nothing(mongo_uri, mongo_db, mongo_client):
    # Two crawls of overlapping posts into one empty collection, at once.
    first = [synthetic_post(n) for n in range(1, 151)]
    second = [synthetic_post(n) for n in range(101, 251)]
    results: dict[str, StorePostPipeline] = {}
    errors: list[BaseException] = []

    def run(name: str, items: list[Any]) -> None:
        try:
            results[name] = crawl(settings_for(mongo_uri, mongo_db, MONGO_BATCH_SIZE=7), items)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n, i)) for n, i in (("a", first), ("b", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    collection = mongo_client[mongo_db]["posts"]
    assert collection.count_documents({}) == 250
    assert len(collection.distinct("slug")) == 250
    stored = sum(
        results[name].stats.get_value(f"kongblog/mongo/{key}", 0)
        for name in ("a", "b")
        for key in ("upserted", "unchanged", "modified", "stale")
    )
    assert stored == 300
    upserted = sum(results[name].stats.get_value("kongblog/mongo/upserted", 0) for name in ("a", "b"))
    assert upserted == 250
