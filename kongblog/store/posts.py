"""The posts collection, through pymongo's async client (:class:`PostStore`).

Network failures are retried with backoff for ``MONGO_RETRY_WINDOW`` seconds
per write (:class:`RetryWindow`); re-sending a batch is safe: the posts an
attempt stored before its reply was lost are recognised by their
``last_seen_at``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pymongo import AsyncMongoClient
from pymongo.errors import BulkWriteError, ConnectionFailure, PyMongoError

from kongblog.store.config import StoreConfig, StoreUnavailable

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Awaitable, Callable, Iterable

    from kongblog.store.documents import Observation

logger = logging.getLogger(__name__)

DUPLICATE_KEY = 11000
SLUG_INDEX = "slug_unique"
RACE_ROUNDS = 3  # revisions of a post that concurrent writes keep getting ahead of


@dataclass
class WriteCounts:
    """What writes did, per post."""

    upserted: int = 0  # new documents
    modified: int = 0  # stored posts whose card changed
    unchanged: int = 0  # stored posts, same card (last_seen_at moved)
    stale: int = 0  # not written: the store holds a newer observation
    back: int = 0  # stored posts marked gone, seen again
    failed: list[tuple[Observation, str]] = field(default_factory=list)  # rejected by the server

    def add(self, other: WriteCounts) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failed.extend(other.failed)

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS} | {"failed": len(self.failed)}


COUNTS = ("upserted", "modified", "unchanged", "stale", "back")


class RetryWindow:
    """One job's network failures, retried with exponential backoff until
    ``retry_window`` seconds after the first."""

    def __init__(self, store: PostStore) -> None:
        self.store = store
        self.deadline: float | None = None

    @property
    def failed(self) -> bool:  # an attempt failed: it may have been applied all the same
        return self.deadline is not None

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
                    raise StoreUnavailable(
                        f"MongoDB at {config.masked_uri} unreachable for {config.retry_window:g}s "
                        f"({what}): {config.describe(exc)}"
                    ) from None
                pause = min(delay, config.retry_max_delay, self.deadline - now)
                self.store.retries += 1
                logger.warning("MongoDB %s failed (%s); retrying in %.2fs", what, config.describe(exc), pause)
                await self.store.sleep(pause)
                delay *= 2


class PostStore:
    """The collection of ``config``, from one event loop; *sleep* pauses
    between retries, *client_options* go to the client."""

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
        """Connect, ping, and (unless only reading) ensure the unique slug
        index; :class:`StoreUnavailable` says why not, the URI masked."""
        cfg = self.config
        try:
            self.client = AsyncMongoClient(
                cfg.uri, serverSelectionTimeoutMS=cfg.server_selection_timeout_ms, connectTimeoutMS=cfg.connect_timeout_ms,
                socketTimeoutMS=cfg.socket_timeout_ms, tz_aware=True, appname="kongblog", **self.client_options,
            )  # fmt: skip
            await self.client.admin.command("ping")
            if ensure_indexes:
                await self.collection.create_index("slug", unique=True, name=SLUG_INDEX)
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
        """Close the client; its monitor tasks are awaited: nothing of pymongo outlives this."""
        if self.client is not None:
            client, self.client = self.client, None
            await client.close()

    # -- writes ----------------------------------------------------------------

    async def write(self, posts: list[Observation]) -> WriteCounts:
        """Store *posts* (one per slug): one ``bulk_write(ordered=False)`` of
        :meth:`~Observation.seen_op` (or :meth:`~Observation.insert_op`).

        The posts it misses (their card changed, they came back, someone
        stored them meanwhile, or the store holds this observation or a newer
        one) get a duplicate-key error; for those only, one ``find`` tells
        which, then one ``bulk_write`` of :meth:`~Observation.revision_op`
        writes the ones this observation is newer for (again, if a concurrent
        write got in between). Raises :class:`StoreUnavailable` when the retry
        window runs out or the server refuses the write; the posts it rejects
        one by one are in ``WriteCounts.failed``.
        """
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
            stored = await self._settle(window, missed, counts)
            operations = [post.revision_op(self.config.history_limit) for post, _ in stored]
            written, missed = await self._bulk_write(window, [post for post, _ in stored], operations, counts)
            revised = {id(post) for post in written}
            for post, doc in stored:
                if id(post) in revised:
                    counts.back += "gone_since" in doc
                    if doc.get("content_hash", post.content_hash) != post.content_hash:
                        counts.modified += 1
                    else:
                        counts.unchanged += 1
        counts.stale += len(missed)
        return counts

    async def _bulk_write(
        self, window: RetryWindow, posts: list[Observation], operations: list[Any], counts: WriteCounts
    ) -> tuple[list[Observation], list[Observation]]:
        """One ``bulk_write``, an operation per post: counts the inserted and
        rejected posts, returns (posts updated, posts that got a duplicate-key error)."""
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
        missed: list[Observation] = []
        for error in errors:
            done.add(error["index"])
            post = posts[error["index"]]
            if error.get("code") == DUPLICATE_KEY:
                missed.append(post)
            else:
                counts.failed.append((post, f"code {error.get('code')}: {error.get('errmsg')}"))
        return [post for number, post in enumerate(posts) if number not in done], missed

    async def _settle(
        self, window: RetryWindow, missed: list[Observation], counts: WriteCounts
    ) -> list[tuple[Observation, dict[str, Any]]]:
        """What a duplicate-key error meant, by the stored document: newer
        (stale); this very observation (stored by an earlier attempt when one
        failed, else by an earlier run); older: to revise (returned, with
        the stored document)."""
        fields = ("slug", "last_seen_at", "first_seen_at", "updated_at", "content_hash", "gone_since")
        found = await window.run(
            "reading the stored posts",
            lambda: self.collection.find({"slug": {"$in": [p.slug for p in missed]}}, dict.fromkeys(fields, 1)).to_list(),
        )
        stored = {doc["slug"]: doc for doc in found}
        newer: list[tuple[Observation, dict[str, Any]]] = []
        for post in missed:
            doc = stored.get(post.slug, {})
            seen = doc.get("last_seen_at")
            if seen is None or seen < post.seen_at:
                newer.append((post, doc))
            elif seen > post.seen_at:
                counts.stale += 1
            elif window.failed and doc.get("first_seen_at") == post.seen_at:
                counts.upserted += 1
            elif window.failed and doc.get("updated_at") == post.seen_at:
                counts.modified += 1
            else:
                counts.unchanged += 1
        return newer

    async def mark_gone(self, prefix: str, seen: Iterable[str], since: dt.datetime) -> int:
        """Mark ``gone_since`` = *since* on the posts under the URL *prefix*
        that *seen* lacks and that nobody saw since *since*; their number."""
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # every string starting with prefix sorts below
        query = {"url": {"$gte": prefix, "$lt": end}, "gone_since": {"$exists": False}, "last_seen_at": {"$lt": since}}
        retry = RetryWindow(self)
        # The few missing slugs found here, not by the server: a $nin of every
        # slug the crawl saw costs the server a comparison per slug and post.
        stored = await retry.run(
            "reading the listing's posts", lambda: self.collection.find(query, {"_id": 0, "slug": 1}).to_list()
        )
        missing = sorted({document["slug"] for document in stored} - set(seen))
        if not missing:
            return 0
        result = await retry.run(
            "marking gone posts",
            lambda: self.collection.update_many({**query, "slug": {"$in": missing}}, {"$set": {"gone_since": since}}),
        )
        return int(result.modified_count)

    async def find_post(self, slug: str) -> dict[str, Any] | None:
        return await RetryWindow(self).run("reading a post", lambda: self.collection.find_one({"slug": slug}, {"_id": 0}))
