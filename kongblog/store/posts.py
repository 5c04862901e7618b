"""PostStore: the posts collection, written in batches with retries (docs/mongo.md)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import TYPE_CHECKING, Any

from pymongo import AsyncMongoClient
from pymongo.errors import BulkWriteError, ConnectionFailure, PyMongoError

from kongblog import stats as keys
from kongblog.store.config import StoreConfig, StoreUnavailable

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Awaitable, Callable, Iterable

    from kongblog.store.documents import Observation

logger = logging.getLogger(__name__)

DUPLICATE_KEY = 11000
RACE_ROUNDS = 3  # revisions of a post that concurrent writes keep getting ahead of


@dataclasses.dataclass
class WriteCounts:
    upserted: int = 0  # new documents
    modified: int = 0  # stored posts whose card changed
    unchanged: int = 0  # stored posts, same card (last_seen_at moved)
    stale: int = 0  # not written: the store holds a newer observation
    back: int = 0  # stored posts marked gone, seen again
    failed: list[tuple[Observation, str]] = dataclasses.field(default_factory=list)  # rejected by the server

    def add(self, other: WriteCounts) -> None:
        for spec in dataclasses.fields(self):
            setattr(self, spec.name, getattr(self, spec.name) + getattr(other, spec.name))

    def as_dict(self) -> dict[str, int]:
        return {spec.name: getattr(self, spec.name) for spec in dataclasses.fields(self)} | {"failed": len(self.failed)}

    def stats(self) -> dict[str, int]:
        """The counts as stats (the rejected posts are counted where they are dead-lettered)."""
        return {keys.MONGO_UPSERTED: self.upserted, keys.MONGO_MODIFIED: self.modified,
                keys.MONGO_UNCHANGED: self.unchanged, keys.MONGO_STALE: self.stale, keys.MONGO_BACK: self.back}


class RetryWindow:
    """One job's network failures, retried with exponential backoff until ``retry_window`` s after the first."""

    def __init__(self, store: PostStore) -> None:
        self.store = store
        self.deadline: float | None = None  # set once an attempt failed (it may have been applied all the same)

    async def run(self, what: str, call: Callable[[], Awaitable[Any]]) -> Any:
        config = self.store.config
        delay = config.retry_initial_delay
        while True:
            try:
                return await call()
            except PyMongoError as exc:
                labels = ("RetryableWriteError", "RetryableError")
                if not (isinstance(exc, ConnectionFailure) or any(map(exc.has_error_label, labels))):
                    raise config.failure(exc, what) from None
                now = time.monotonic()
                self.deadline = self.deadline or now + config.retry_window
                if now >= self.deadline:
                    why = f"unreachable for {config.retry_window:g}s ({what}): {config.describe(exc)}"
                    raise StoreUnavailable(f"MongoDB at {config.secret.masked} {why}") from None
                pause = min(delay, config.retry_max_delay, self.deadline - now)
                self.store.retries += 1
                logger.warning("MongoDB %s failed (%s); retrying in %.2fs", what, config.describe(exc), pause)
                await self.store.sleep(pause)
                delay *= 2


class PostStore:
    """The collection of *config*, from one event loop; *sleep* pauses between
    retries, *client_options* go to the client."""

    def __init__(
        self, config: StoreConfig, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, **client_options: Any
    ) -> None:
        self.config = config
        self.sleep = sleep
        self.client_options = client_options
        self.client: AsyncMongoClient[dict[str, Any]] | None = None
        self.retries = 0
        self.fresh = False  # empty at connect (a first crawl): insert, the cheapest write

    async def connect(self, ensure_indexes: bool = True) -> None:
        """Connect, ping, and (unless only reading) ensure the unique slug index, or raise StoreUnavailable."""
        cfg = self.config
        try:
            self.client = AsyncMongoClient(
                cfg.uri, serverSelectionTimeoutMS=cfg.server_selection_timeout_ms,
                connectTimeoutMS=cfg.connect_timeout_ms, socketTimeoutMS=cfg.socket_timeout_ms,
                tz_aware=True, appname="kongblog", **self.client_options,
            )  # fmt: skip
            await self.client.admin.command("ping")
            if ensure_indexes:
                await self.collection.create_index("slug", unique=True, name="slug_unique")
                self.fresh = await self.collection.find_one({}, {"_id": 1}) is None
        except (PyMongoError, ValueError, TypeError) as exc:
            await self.close()
            raise cfg.failure(exc) from None

    @property
    def collection(self) -> Any:
        if self.client is None:
            raise StoreUnavailable("PostStore.connect() was not called")
        return self.client[self.config.database][self.config.collection]

    async def close(self) -> None:
        """Close the client, awaiting its monitor tasks: nothing of pymongo outlives this."""
        if self.client is not None:
            client, self.client = self.client, None
            await client.close()

    async def write(self, posts: list[Observation]) -> WriteCounts:
        """Store *posts* (one per slug): one ``bulk_write`` of ``insert_op`` or ``seen_op``.
        The posts it misses get a duplicate-key error; for those only, one ``find`` reads
        what is stored, then one ``bulk_write`` of ``revision_op`` writes the older ones."""
        counts, window, fresh = WriteCounts(), RetryWindow(self), self.fresh
        operations = [post.insert_op() if fresh else post.seen_op() for post in posts]
        written, missed = await self._bulk_write(window, posts, operations, counts)
        if fresh:
            counts.upserted += len(written)
            self.fresh = not missed  # someone else writes too: upserts from now on
        else:
            counts.unchanged += len(written)
        for _ in range(RACE_ROUNDS):
            if not missed:
                break
            older, stored = await self._settle(window, missed, counts)
            operations = [post.revision_op(self.config.history_limit) for post in older]
            written, missed = await self._bulk_write(window, older, operations, counts)
            for post in written:
                doc = stored.get(post.slug, {})
                changed = doc.get("content_hash", post.content_hash) != post.content_hash
                counts.back += "gone_since" in doc
                counts.modified += changed
                counts.unchanged += not changed
        counts.stale += len(missed)
        return counts

    async def _settle(
        self, window: RetryWindow, missed: list[Observation], counts: WriteCounts
    ) -> tuple[list[Observation], dict[str, dict[str, Any]]]:
        """What the duplicate-key errors meant, by the stored documents: the posts
        stored with an older observation (to revise), and the documents by slug."""
        fields = ("slug", "last_seen_at", "first_seen_at", "updated_at", "content_hash", "gone_since")
        query = {"slug": {"$in": [post.slug for post in missed]}}
        found = await window.run(
            "reading the stored posts", lambda: self.collection.find(query, dict.fromkeys(fields, 1)).to_list()
        )
        stored = {doc["slug"]: doc for doc in found}
        older = []
        for post in missed:
            doc = stored.get(post.slug, {})
            seen = doc.get("last_seen_at")
            if seen is None or seen < post.seen_at:
                older.append(post)
            elif seen > post.seen_at:
                counts.stale += 1
            elif window.deadline and doc.get("first_seen_at") == post.seen_at:  # an earlier attempt stored it
                counts.upserted += 1
            elif window.deadline and doc.get("updated_at") == post.seen_at:
                counts.modified += 1
            else:  # this observation was stored before (a replay run twice)
                counts.unchanged += 1
        return older, stored

    async def _bulk_write(
        self, window: RetryWindow, posts: list[Observation], operations: list[Any], counts: WriteCounts
    ) -> tuple[list[Observation], list[Observation]]:
        """One unordered ``bulk_write``; returns (posts updated, posts that got a duplicate-key error)."""
        if not posts:
            return [], []

        async def bulk() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            try:
                return (await self.collection.bulk_write(operations, ordered=False)).bulk_api_result, []
            except BulkWriteError as exc:
                if exc.details.get("writeConcernErrors"):
                    raise ConnectionFailure(str(exc.details["writeConcernErrors"])) from exc
                return exc.details, exc.details.get("writeErrors", [])

        result, errors = await window.run("writing posts", bulk)
        done = {entry["index"] for entry in result.get("upserted", [])}
        counts.upserted += len(done)
        missed = []
        for error in errors:
            done.add(error["index"])
            post = posts[error["index"]]
            if error.get("code") == DUPLICATE_KEY:
                missed.append(post)
            else:
                counts.failed.append((post, f"code {error.get('code')}: {error.get('errmsg')}"))
        return [post for number, post in enumerate(posts) if number not in done], missed

    async def mark_gone(self, prefix: str, seen: Iterable[str], since: dt.datetime) -> int:
        """Mark gone the posts under the URL *prefix* that *seen* lacks and nobody saw since *since*."""
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # every string starting with prefix sorts below
        query = {"url": {"$gte": prefix, "$lt": end}, "gone_since": {"$exists": False}, "last_seen_at": {"$lt": since}}
        retry = RetryWindow(self)
        # The few missing slugs found here, not by the server: a $nin of every
        # slug the crawl saw costs the server a comparison per slug and post.
        stored = await retry.run("reading the listing's posts", lambda: self.collection.distinct("slug", query))
        if not (missing := sorted(set(stored) - set(seen))):
            return 0
        update = {"$set": {"gone_since": since}}
        result = await retry.run(
            "marking gone posts", lambda: self.collection.update_many({**query, "slug": {"$in": missing}}, update)
        )
        return int(result.modified_count)

    async def find_post(self, slug: str) -> dict[str, Any] | None:
        return await RetryWindow(self).run(
            "reading a post", lambda: self.collection.find_one({"slug": slug}, {"_id": 0})
        )
