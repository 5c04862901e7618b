"""PostStore against a real MongoDB wire-protocol server (SecantusDB): documents,
counts, history, gone marks, races, and the commands each batch costs."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, TypeVar

import pytest
from pymongo import MongoClient, monitoring
from pymongo.errors import AutoReconnect, BulkWriteError
from scrapy.settings import Settings

from kongblog.store.config import StoreConfig
from kongblog.store.documents import Observation, content_hash
from kongblog.store.posts import PostStore
from tests.support.mongo import store_settings, synthetic_post

T = TypeVar("T")
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
HOUR = dt.timedelta(hours=1)
# sha256 of synthetic_post(1)'s card fields as canonical JSON (sorted keys, no
# spaces, UTF-8); pinned so that a change of the hashing is noticed.
POST_1_HASH = "14d61c085473fcf85af6030d0dcaea15c67df9e48052e8ca8853a089e2662ca4"
WRITES = {"find", "insert", "update", "delete", "aggregate"}


class Commands(monitoring.CommandListener):
    """Collects (command name, operations) of the client's commands. Nothing
    is asserted in here: pymongo would swallow the AssertionError."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in WRITES:
            body = event.command.get("documents") or event.command.get("updates") or []
            self.events.append((event.command_name, len(body)))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def take(self) -> list[tuple[str, int]]:
        taken, self.events = self.events, []
        return taken


def observe(number: int, seen_at: dt.datetime, **changes: Any) -> Observation:
    return Observation(dataclasses.asdict(synthetic_post(number)) | changes, seen_at)


def counts_of(upserted=0, modified=0, unchanged=0, stale=0, back=0) -> dict[str, int]:
    return {"upserted": upserted, "modified": modified, "unchanged": unchanged, "stale": stale, "back": back, "failed": 0}


def docs(client: MongoClient, db: str) -> dict[str, dict[str, Any]]:
    return {d["slug"]: d for d in client[db]["posts"].find({}, {"_id": 0})}


class CutCollection:
    """The real collection, but the *cut*-th ``bulk_write`` (0-based) sends
    only its first half, then fails as if the reply was lost."""

    def __init__(self, real: Any, cut: int) -> None:
        self._real, self._cut, self._bulks = real, cut, 0

    async def bulk_write(self, operations: list[Any], **kwargs: Any) -> Any:
        index, self._bulks = self._bulks, self._bulks + 1
        if index == self._cut:
            with contextlib.suppress(BulkWriteError):  # the reply is lost anyway
                await self._real.bulk_write(operations[: len(operations) // 2], **kwargs)
            raise AutoReconnect("connection closed (simulated, after a partial write)")
        return await self._real.bulk_write(operations, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class HookedStore(PostStore):
    """A real PostStore. ``after_first_write`` / ``after_reading`` (coroutine
    functions) run once, right after its first bulk_write / its first read
    of the posts it missed; ``cut`` loses the reply of a bulk_write."""

    after_first_write: Callable[[], Coroutine[Any, Any, Any]] | None = None
    after_reading: Callable[[], Coroutine[Any, Any, Any]] | None = None
    cut: int | None = None
    _cut_collection: CutCollection | None = None

    @property
    def collection(self) -> Any:
        real = super().collection
        if self.cut is None:
            return real
        if self._cut_collection is None:
            self._cut_collection = CutCollection(real, self.cut)
        return self._cut_collection

    async def _bulk_write(self, *args: Any) -> Any:
        result = await super()._bulk_write(*args)
        hook, self.after_first_write = self.after_first_write, None
        if hook is not None:
            await hook()
        return result

    async def _settle(self, *args: Any) -> Any:
        result = await super()._settle(*args)
        hook, self.after_reading = self.after_reading, None
        if hook is not None:
            await hook()
        return result


async def no_sleep(_seconds: float) -> None:
    """The backoff pause of these tests: none."""


@pytest.fixture
def run() -> Iterable[Callable[[Coroutine[Any, Any, T]], T]]:
    """run(coroutine) -> its result, on one event loop for the whole test."""
    with asyncio.Runner() as runner:
        yield runner.run


@pytest.fixture
def open_store(mongo_uri, mongo_db, run):
    """open_store(**settings) -> (a connected HookedStore, its Commands)."""
    opened: list[PostStore] = []

    def make(**settings: Any) -> tuple[HookedStore, Commands]:
        commands = Commands()
        config = StoreConfig.from_settings(Settings(store_settings(MONGO_URI=mongo_uri, MONGO_DATABASE=mongo_db, **settings)))
        store = HookedStore(config, sleep=no_sleep, event_listeners=[commands])
        run(store.connect())
        commands.take()
        opened.append(store)
        return store, commands

    yield make
    for store in opened:
        run(store.close())


# --- documents and the commands they cost ------------------------------------------


def test_content_hash_is_sha256_of_canonical_card_json():
    data = dataclasses.asdict(synthetic_post(1))
    card = {k: data[k] for k in sorted(data) if k not in {"listing_page", "listing_position", "listing_url", "scraped_at"}}
    expected = hashlib.sha256(json.dumps(card, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
    assert expected == POST_1_HASH == content_hash(data)
    moved = {**data, "listing_page": 9, "listing_position": 9, "scraped_at": "2030-01-01T00:00:00Z"}
    assert content_hash(moved) == expected
    assert content_hash({**data, "title": "Other"}) != expected


def test_one_command_per_batch_for_a_first_crawl_and_an_unchanged_recrawl(run, open_store, mongo_client, mongo_db):
    store, commands = open_store()
    first = [observe(n, T0) for n in range(1, 6)]
    assert run(store.write(first)).as_dict() == counts_of(upserted=5)
    assert commands.take() == [("insert", 5)]  # an empty collection: inserts
    stored = docs(mongo_client, mongo_db)
    for post in first:
        assert stored[post.slug] == {**post.data, "content_hash": post.content_hash, "first_seen_at": T0, "last_seen_at": T0}
    indexes = mongo_client[mongo_db]["posts"].index_information()
    assert indexes["slug_unique"]["key"] == [("slug", 1)] and indexes["slug_unique"]["unique"] is True

    again, commands = open_store()  # the next crawl, into a collection that holds posts
    moved = [observe(n, T0 + HOUR, listing_page=9) for n in range(1, 6)] + [observe(6, T0 + HOUR)]
    assert run(again.write(moved)).as_dict() == counts_of(upserted=1, unchanged=5)
    assert commands.take() == [("update", 6)]  # one bulk_write, one round trip
    stored = docs(mongo_client, mongo_db)
    for post in moved[:5]:
        assert stored[post.slug] == {**post.data, "content_hash": post.content_hash, "first_seen_at": T0, "last_seen_at": T0 + HOUR}
    new = moved[5]  # upserted into a collection that holds posts
    assert stored["post-00006"] == {**new.data, "content_hash": new.content_hash, "first_seen_at": T0 + HOUR, "last_seen_at": T0 + HOUR}


def test_changed_posts_keep_their_previous_values_in_the_history(run, open_store, mongo_client, mongo_db):
    run(open_store()[0].write([observe(n, T0) for n in range(1, 5)]))
    store, commands = open_store()  # the next crawl
    t1, t2 = T0 + HOUR, T0 + 2 * HOUR
    batch = [observe(1, t1), observe(2, t1, title="Retitled"), observe(3, t1, excerpt="New excerpt.", image_url=None), observe(4, t1)]
    assert run(store.write(batch)).as_dict() == counts_of(modified=2, unchanged=2)
    # the unchanged posts in one bulk; the others miss it, are read, then revised
    assert commands.take() == [("update", 4), ("find", 0), ("update", 2)]
    stored = docs(mongo_client, mongo_db)
    assert stored["post-00002"]["history"] == [
        {"event": "changed", "at": t1, "last_seen_at": T0, "previous": {"title": "Post number 2"}}
    ]
    assert stored["post-00003"]["history"] == [{
        "event": "changed", "at": t1, "last_seen_at": T0,
        "previous": {"excerpt": "What post 3 is about.", "image_url": "https://blog.example/images/post-00003.png"},
    }]  # fmt: skip
    for slug in ("post-00002", "post-00003"):
        assert stored[slug]["updated_at"] == stored[slug]["last_seen_at"] == t1
        assert stored[slug]["first_seen_at"] == T0
    assert "history" not in stored["post-00001"] and "updated_at" not in stored["post-00001"]

    # Changed back, later: a second entry; updated_at moves again.
    run(store.write([observe(2, t2)]))
    history = docs(mongo_client, mongo_db)["post-00002"]["history"]
    assert history[1] == {"event": "changed", "at": t2, "last_seen_at": t1, "previous": {"title": "Retitled"}}
    assert docs(mongo_client, mongo_db)["post-00002"]["updated_at"] == t2


def test_a_post_without_a_date_is_stored_with_published_null_and_its_history_right(
    run, open_store, mongo_client, mongo_db
):
    t1, t2, t3 = T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR
    undated = observe(1, T0, published=None)
    assert run(open_store()[0].write([undated, observe(2, T0, published=None)])).as_dict() == counts_of(upserted=2)
    stored = docs(mongo_client, mongo_db)["post-00001"]
    assert "published" in stored and stored["published"] is None
    assert stored == {**undated.data, "content_hash": undated.content_hash, "first_seen_at": T0, "last_seen_at": T0}

    store = open_store()[0]  # later crawls: the card shows its date, then loses it again
    assert run(store.write([observe(1, t1, published="2023-02-07"), observe(2, t1, published=None)])).as_dict() == (
        counts_of(modified=1, unchanged=1)
    )
    assert run(store.write([observe(1, t2, published=None)])).as_dict() == counts_of(modified=1)
    assert run(store.write([observe(1, t3, published=None)])).as_dict() == counts_of(unchanged=1)
    stored = docs(mongo_client, mongo_db)
    assert stored["post-00001"]["published"] is None
    assert stored["post-00001"]["history"] == [
        {"event": "changed", "at": t1, "last_seen_at": T0, "previous": {"published": None}},
        {"event": "changed", "at": t2, "last_seen_at": t1, "previous": {"published": "2023-02-07"}},
    ]
    assert stored["post-00001"]["updated_at"] == t2 and stored["post-00001"]["last_seen_at"] == t3
    assert "history" not in stored["post-00002"] and stored["post-00002"]["published"] is None


def test_article_fields_are_tracked_but_a_first_reading_is_no_change(run, open_store, mongo_client, mongo_db):
    store, _ = open_store()
    run(store.write([observe(1, T0)]))
    article = {"body_text": "First body.", "word_count": 2, "reading_time_minutes": 1, "author_roles": {},
               "canonical_url": None, "modified": "2026-01-01"}  # fmt: skip
    assert run(store.write([observe(1, T0 + HOUR, **article)])).as_dict() == counts_of(unchanged=1)
    assert "history" not in docs(mongo_client, mongo_db)["post-00001"]
    edited = {**article, "body_text": "Second body, longer.", "word_count": 3}
    assert run(store.write([observe(1, T0 + 2 * HOUR, **edited)])).as_dict() == counts_of(unchanged=1)
    doc = docs(mongo_client, mongo_db)["post-00001"]
    assert doc["history"] == [{"event": "changed", "at": T0 + 2 * HOUR, "last_seen_at": T0 + HOUR,
                               "previous": {"body_text": "First body.", "word_count": 2}}]  # fmt: skip
    assert "updated_at" not in doc  # updated_at follows the card (content_hash) only
    # a card-only crawl leaves the article fields alone
    run(store.write([observe(1, T0 + 3 * HOUR)]))
    assert docs(mongo_client, mongo_db)["post-00001"]["body_text"] == "Second body, longer."


def test_history_keeps_the_newest_entries_only(run, open_store, mongo_client, mongo_db):
    store, _ = open_store(MONGO_HISTORY_LIMIT=2)
    for hour in range(4):
        run(store.write([observe(1, T0 + hour * HOUR, title=f"Title {hour}")]))
    history = docs(mongo_client, mongo_db)["post-00001"]["history"]
    assert [entry["previous"]["title"] for entry in history] == ["Title 1", "Title 2"]
    off, _ = open_store(MONGO_HISTORY_LIMIT=0)
    assert run(off.write([observe(1, T0 + 9 * HOUR, title="Title 9")])).as_dict() == counts_of(modified=1)
    doc = docs(mongo_client, mongo_db)["post-00001"]
    assert len(doc["history"]) == 2 and doc["updated_at"] == T0 + 9 * HOUR


def test_the_newest_observation_wins_and_a_repeated_one_changes_nothing(run, open_store, mongo_client, mongo_db):
    store, _ = open_store()
    newer = observe(1, T0 + HOUR, title="New")
    assert run(store.write([newer])).as_dict() == counts_of(upserted=1)
    assert run(store.write([observe(1, T0, title="Old")])).as_dict() == counts_of(stale=1)
    assert run(store.write([newer])).as_dict() == counts_of(unchanged=1)  # a replay of the same line
    doc = docs(mongo_client, mongo_db)["post-00001"]
    assert doc["title"] == "New" and doc["last_seen_at"] == T0 + HOUR and "history" not in doc
    assert mongo_client[mongo_db]["posts"].count_documents({}) == 1


# --- races and partial writes --------------------------------------------------------


@pytest.mark.parametrize("hook", ["after_first_write", "after_reading"])
def test_a_newer_write_by_a_concurrent_crawl_wins(run, open_store, mongo_client, mongo_db, hook):
    setup, _ = open_store()
    run(setup.write([observe(n, T0) for n in (1, 2)]))
    other, _ = open_store()  # a concurrent crawl, with a newer observation
    store, commands = open_store()
    setattr(store, hook, lambda: other.write([observe(1, T0 + 3 * HOUR, title="Theirs")]))
    ours = [observe(1, T0 + HOUR, title="Ours"), observe(2, T0 + HOUR, title="Ours too")]
    assert run(store.write(ours)).as_dict() == counts_of(modified=1, stale=1)
    if hook == "after_first_write":  # theirs landed before we read: ours is stale at once
        assert commands.take() == [("update", 2), ("find", 0), ("update", 1)]
    else:  # theirs landed between our read and our revision: it misses, we read again
        assert commands.take() == [("update", 2), ("find", 0), ("update", 2), ("find", 0)]
    stored = docs(mongo_client, mongo_db)
    assert stored["post-00001"]["title"] == "Theirs"
    assert [entry["previous"]["title"] for entry in stored["post-00001"]["history"]] == ["Post number 1"]
    assert stored["post-00002"]["title"] == "Ours too"


def test_concurrent_writers_of_the_same_change_leave_one_history_entry(run, open_store, mongo_client, mongo_db):
    setup, _ = open_store()
    run(setup.write([observe(n, T0) for n in range(1, 31)]))
    writers = [open_store()[0] for _ in range(3)]
    batches = [[observe(n, T0 + (k + 1) * HOUR, title=f"Revised {n}") for n in range(1, 31)] for k in range(3)]

    async def together() -> list[Any]:
        return await asyncio.gather(*(w.write(b) for w, b in zip(writers, batches, strict=True)))

    results = [counts.as_dict() for counts in run(together())]
    # Every observation is counted once (which crawl counts a post as
    # modified depends on who read it first), and every post changed once:
    assert sum(r["modified"] + r["unchanged"] + r["stale"] for r in results) == 90
    for doc in docs(mongo_client, mongo_db).values():
        assert [entry["previous"] for entry in doc["history"]] == [{"title": doc["title"].replace("Revised", "Post number")}]
        assert doc["last_seen_at"] == max(doc["last_seen_at"], doc["updated_at"])
    assert mongo_client[mongo_db]["posts"].count_documents({}) == 30


def test_two_first_crawls_at_once_store_each_post_once(run, open_store, mongo_client, mongo_db):
    a, b = open_store()[0], open_store()[0]  # both see an empty collection: both insert

    async def together() -> list[Any]:
        return await asyncio.gather(
            a.write([observe(n, T0) for n in range(1, 41)]), b.write([observe(n, T0 + HOUR) for n in range(21, 61)])
        )

    first, second = (counts.as_dict() for counts in run(together()))
    assert first["upserted"] + second["upserted"] == 60
    assert sum(first[k] + second[k] for k in ("upserted", "unchanged", "modified", "stale")) == 80
    assert len(mongo_client[mongo_db]["posts"].distinct("slug")) == mongo_client[mongo_db]["posts"].count_documents({}) == 60


@pytest.mark.parametrize(("state", "cut"), [("new", 0), ("unchanged", 0), ("changed", 0), ("changed", 1)],
                         ids=["insert", "seen", "first-round-trip", "revision"])  # fmt: skip
def test_a_batch_resent_after_a_partial_write_counts_each_post_once(run, open_store, mongo_client, mongo_db, state, cut):
    if state != "new":
        setup, _ = open_store()
        run(setup.write([observe(n, T0) for n in range(1, 7)]))
    changes = {"title": "Revised"} if state == "changed" else {}
    batch = [observe(n, T0 + HOUR, **changes) for n in range(1, 7)]
    store, _ = open_store()
    store.cut = cut
    counts = run(store.write(batch)).as_dict()
    assert store.retries == 1
    assert counts == {"new": counts_of(upserted=6), "unchanged": counts_of(unchanged=6), "changed": counts_of(modified=6)}[state]
    for doc in docs(mongo_client, mongo_db).values():
        assert doc["last_seen_at"] == T0 + HOUR
        assert len(doc.get("history", [])) == (1 if state == "changed" else 0)


# --- gone posts ---------------------------------------------------------------------------


def test_mark_gone_then_back_records_the_gap(run, open_store, mongo_client, mongo_db):
    store, _ = open_store()
    elsewhere = observe(9, T0, url="https://blog.example/blog/news/post-00009")
    run(store.write([observe(n, T0) for n in range(1, 5)] + [elsewhere]))
    crawl = T0 + HOUR
    run(store.write([observe(n, crawl) for n in (1, 2)]))
    prefix = "https://blog.example/blog/engineering/"
    # posts 3 and 4 were not seen: gone; post 9 is another listing's
    assert run(store.mark_gone(prefix, {"post-00001", "post-00002"}, crawl)) == 2
    assert run(store.mark_gone(prefix, {"post-00001", "post-00002"}, crawl + HOUR)) == 0  # marked once
    stored = docs(mongo_client, mongo_db)
    assert {slug for slug, doc in stored.items() if "gone_since" in doc} == {"post-00003", "post-00004"}
    assert stored["post-00003"]["gone_since"] == crawl

    back = T0 + 5 * HOUR
    assert run(store.write([observe(3, back), observe(4, back, title="Back, retitled")])).as_dict() == counts_of(
        modified=1, unchanged=1, back=2
    )
    stored = docs(mongo_client, mongo_db)
    gap = {"event": "back", "at": back, "gone_since": crawl, "last_seen_at": T0}
    assert stored["post-00003"]["history"] == [gap]
    assert stored["post-00004"]["history"] == [
        gap, {"event": "changed", "at": back, "last_seen_at": T0, "previous": {"title": "Post number 4"}},
    ]  # fmt: skip
    assert not any("gone_since" in doc for doc in stored.values())
    # a post seen after the crawl started is never marked, whatever the crawl saw
    assert run(store.mark_gone(prefix, set(), back)) == 2  # posts 1 and 2, last seen at `crawl`
