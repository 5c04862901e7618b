"""Store post cards in MongoDB: one document per slug, upserted in batches.

The pipeline is off unless ``MONGO_URI`` is set. When on:

* at open it pings the server with short timeouts and makes sure of a unique
  index on ``slug``; an unreachable server fails the crawl at once (the
  ``scrapy crawl`` exit status is non-zero) with the URI, credentials masked;
* cards are buffered and written per batch of ``MONGO_BATCH_SIZE`` cards, or
  every ``MONGO_FLUSH_INTERVAL`` seconds, and at close: one ``find`` and a few
  bulk writes per batch (see :meth:`PostStore.write`), one batch at a time, in
  order. The store uses pymongo's :class:`~pymongo.AsyncMongoClient` on the
  crawl's asyncio event loop (no writer thread): a write that waits on the
  server leaves the loop free, and closing the client stops its monitor tasks
  at once, so the process exits without waiting for pymongo's threads;
* a write that fails for network reasons is retried with exponential backoff
  for ``MONGO_RETRY_WINDOW`` seconds (pymongo reconnects when the server is
  back); past that, the batch and every later card go to a dead-letter JSON
  lines file, the crawl is marked failed (``kongblog/failed`` stat) and
  ``scrapy replay`` can load the file later.

A document holds the card's fields plus:

``first_seen_at``
    when the card was first stored (set on insert only);
``last_seen_at``
    when a crawl last saw the card;
``content_hash``
    sha256 of the card fields (:data:`kongblog.items.CARD_FIELDS`) as
    canonical JSON;
``updated_at``
    when the card's content last changed (absent until it first does).

The newest observation wins: a card only overwrites a document whose
``last_seen_at`` is not later than its own, so a late replay of an old
dead-letter file, or a slower concurrent crawl, never rolls a post back.

:class:`PostStore` (async) holds that document logic; the pipeline and the
``scrapy replay`` command (through :func:`asyncio.run`) both use it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import os
import re
import threading
import time
from dataclasses import MISSING, dataclass, field, fields
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from itemadapter import ItemAdapter
from bson import ObjectId
from pymongo import AsyncMongoClient, InsertOne, UpdateOne
from pymongo.errors import (
    BulkWriteError,
    ConfigurationError,
    ConnectionFailure,
    PyMongoError,
)
from scrapy.exceptions import NotConfigured

from kongblog.failures import record_failure
from kongblog.items import CARD_FIELDS, item_fields

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

__all__ = [
    "DeadLetterFile",
    "PendingPost",
    "PostStore",
    "StoreConfig",
    "StorePostPipeline",
    "StoreUnavailable",
    "WriteCounts",
    "content_hash",
    "mask_uri",
]

DUPLICATE_KEY = 11000
DEFAULT_DEAD_LETTER_PATH = "data/dead-letter-{timestamp}.jsonl"
DEFAULT_BATCH_SIZE = 100
SLUG_INDEX = "slug_unique"


class StoreUnavailable(RuntimeError):
    """The store cannot be reached (or refused us) for long enough to give up."""


# --- Document logic ----------------------------------------------------------


def mask_uri(uri: str) -> str:
    """*uri* with its user info (user name and password) replaced by ``***``.

    ``mongodb://app:s3cret@db1:27017/x`` -> ``mongodb://***@db1:27017/x``
    """
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*://)(.*)$", uri, re.DOTALL)
    if not match:
        return uri
    scheme, rest = match.groups()
    at = rest.split("?", 1)[0].rfind("@")
    if at < 0:
        return uri
    return f"{scheme}***@{rest[at + 1 :]}"


def _mask_in(text: str, uri: str) -> str:
    """*text* with every occurrence of *uri*'s credentials masked."""
    masked = mask_uri(uri)
    if masked != uri:
        text = text.replace(uri, masked)
        userinfo = uri.split("://", 1)[-1].split("?", 1)[0]
        userinfo = userinfo[: userinfo.rfind("@")]
        if userinfo:
            text = text.replace(userinfo, "***")
    return text


def content_hash(data: dict[str, Any]) -> str:
    """sha256 (hex) of the card fields of *data* as canonical JSON.

    Canonical: keys sorted, no whitespace, UTF-8, absent fields as null.
    """
    card = {name: data.get(name) for name in CARD_FIELDS}
    text = json.dumps(card, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_now() -> dt.datetime:
    """Now, UTC, truncated to the millisecond (what BSON dates hold)."""
    now = dt.datetime.now(dt.timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def format_time(value: dt.datetime) -> str:
    """ISO 8601 UTC with milliseconds and a Z, e.g. 2026-11-26T20:10:11.123Z."""
    value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def parse_time(text: str) -> dt.datetime:
    """The inverse of :func:`format_time` (any ISO 8601 with an offset or Z)."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    value = value.astimezone(dt.timezone.utc)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class PendingPost:
    """A card waiting to be stored: its fields and when we saw it."""

    data: dict[str, Any]
    seen_at: dt.datetime

    @classmethod
    def from_item(cls, item: Any, seen_at: dt.datetime | None = None) -> Self:
        data = item_fields(item) if ItemAdapter.is_item(item) else dict(item)
        return cls(data=data, seen_at=seen_at or utc_now())

    @property
    def slug(self) -> Any:
        return self.data.get("slug")

    @cached_property
    def content_hash(self) -> str:
        return content_hash(self.data)

    def to_record(self) -> dict[str, Any]:
        """The dead-letter line of this card."""
        return {"seen_at": format_time(self.seen_at), "item": self.data}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Self:
        """A card from a dead-letter line, or from a bare item line (a feed
        export), whose time is its ``scraped_at`` when set, else now."""
        if isinstance(record.get("item"), dict) and "seen_at" in record:
            return cls(data=dict(record["item"]), seen_at=parse_time(record["seen_at"]))
        scraped_at = record.get("scraped_at")
        seen_at = parse_time(scraped_at) if isinstance(scraped_at, str) else utc_now()
        return cls(data=dict(record), seen_at=seen_at)

    def _not_newer(self) -> dict[str, Any]:
        # Matches documents last seen at or before this card (or never).
        return {"last_seen_at": {"$not": {"$gt": self.seen_at}}}

    def mark_changed_spec(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(filter, update) that set ``updated_at`` on the stored document if
        its content differs. Never inserts; runs before the upsert of the same
        card, which then writes the new hash."""
        return (
            {
                "slug": self.slug,
                "content_hash": {"$exists": True, "$ne": self.content_hash},
                **self._not_newer(),
            },
            {"$set": {"updated_at": self.seen_at}},
        )

    def _stored_fields(self) -> dict[str, Any]:
        # What every write sets: the card, its hash and when we saw it.
        fields = {**self.data, "content_hash": self.content_hash, "last_seen_at": self.seen_at}
        for bookkeeping in ("_id", "first_seen_at", "updated_at"):
            fields.pop(bookkeeping, None)
        return fields

    def upsert_spec(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(filter, update) of the upsert that writes the card: fields, hash
        and ``last_seen_at`` always, ``first_seen_at`` on insert only."""
        return (
            {"slug": self.slug, **self._not_newer()},
            {"$set": self._stored_fields(), "$setOnInsert": {"first_seen_at": self.seen_at}},
        )

    def new_document(self) -> dict[str, Any]:
        """The document the upsert would insert, for a slug the store lacks.

        Its ``_id`` is chosen here, once, so that every attempt to insert it
        sends the same ``_id``: finding that ``_id`` stored proves an earlier
        attempt landed (see :meth:`PostStore.write`)."""
        return {"_id": ObjectId(), **self._stored_fields(), "first_seen_at": self.seen_at}

    def mark_changed_op(self) -> UpdateOne:
        return UpdateOne(*self.mark_changed_spec())

    def upsert_op(self) -> UpdateOne:
        return UpdateOne(*self.upsert_spec(), upsert=True)

    def same_content_upsert_op(self) -> UpdateOne:
        """The upsert, for a card whose stored hash was its own at read time.

        The filter also requires that hash, so no ``updated_at`` mark is
        needed. If the hash changed meanwhile (or the store holds a newer
        observation) the filter misses, the upsert tries to insert and the
        unique slug index answers with a duplicate-key error: the card is
        then written again with the mark and :meth:`upsert_op`."""
        query, update = self.upsert_spec()
        return UpdateOne({**query, "content_hash": self.content_hash}, update, upsert=True)


@dataclass
class WriteCounts:
    """What a write did, per card."""

    upserted: int = 0  # new documents
    modified: int = 0  # existing documents whose content changed
    unchanged: int = 0  # existing documents, same content (last_seen_at moved)
    stale: int = 0  # skipped: the store holds a newer observation
    failed: list[tuple[PendingPost, str]] = field(default_factory=list)  # rejected

    def add(self, other: WriteCounts) -> None:
        self.upserted += other.upserted
        self.modified += other.modified
        self.unchanged += other.unchanged
        self.stale += other.stale
        self.failed.extend(other.failed)

    def as_dict(self) -> dict[str, int]:
        return {
            "upserted": self.upserted,
            "modified": self.modified,
            "unchanged": self.unchanged,
            "stale": self.stale,
            "failed": len(self.failed),
        }


@dataclass(frozen=True)
class StoreConfig:
    """Where and how to reach the store; see docs/mongo.md for each setting."""

    uri: str
    database: str = "kongblog"
    collection: str = "posts"
    server_selection_timeout_ms: int = 3000
    connect_timeout_ms: int = 3000
    socket_timeout_ms: int = 30000
    retry_window: float = 60.0
    retry_initial_delay: float = 0.5
    retry_max_delay: float = 8.0

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        """Each field from its ``MONGO_<FIELD>`` setting; unset or empty: the default above."""
        values: dict[str, Any] = {"uri": ""}
        for spec in fields(cls):
            raw = settings.get(f"MONGO_{spec.name.upper()}")
            if raw not in (None, ""):
                values[spec.name] = str(raw) if spec.default is MISSING else type(spec.default)(raw)
        return cls(**values)

    @property
    def masked_uri(self) -> str:
        return mask_uri(self.uri)


def _error_text(error: dict[str, Any]) -> str:
    """How a write error of a bulk write reads in ``WriteCounts.failed``."""
    return f"code {error.get('code')}: {error.get('errmsg')}"


def _retryable(exc: PyMongoError) -> bool:
    if isinstance(exc, ConnectionFailure):
        return True
    return exc.has_error_label("RetryableWriteError") or exc.has_error_label(
        "RetryableError"
    )


class PostStore:
    """The posts collection, async API (:class:`~pymongo.AsyncMongoClient`).

    Use it from one event loop, one :meth:`write` at a time. *sleep* is the
    backoff pause between retries (an awaitable sleep; tests pass their own).
    """

    def __init__(
        self,
        config: StoreConfig,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self._sleep = sleep
        self.client: AsyncMongoClient[dict[str, Any]] | None = None
        self.retries = 0

    # -- connection --

    async def connect(self, ensure_indexes: bool = True) -> None:
        """Connect, ping and (unless asked not to: a read-only use) ensure the unique slug index.

        Raises :class:`StoreUnavailable` naming the masked URI on any failure.
        """
        cfg = self.config
        try:
            self.client = AsyncMongoClient(
                cfg.uri,
                serverSelectionTimeoutMS=cfg.server_selection_timeout_ms,
                connectTimeoutMS=cfg.connect_timeout_ms,
                socketTimeoutMS=cfg.socket_timeout_ms,
                tz_aware=True,
                appname="kongblog",
            )
            await self.client.admin.command("ping")
            if ensure_indexes:
                await self.ensure_indexes()
        except (PyMongoError, ValueError, TypeError) as exc:
            await self.close()
            kind = "is misconfigured" if isinstance(exc, ConfigurationError) else "is unreachable"
            raise StoreUnavailable(
                f"MongoDB at {cfg.masked_uri} {kind}: {self.describe(exc)}"
            ) from None

    def describe(self, exc: BaseException) -> str:
        """A one-line, credential-free description of *exc*."""
        text = str(exc).split(", Timeout:", 1)[0].splitlines()[0] if str(exc) else ""
        text = _mask_in(text, self.config.uri)
        return f"{type(exc).__name__}: {text[:300]}"

    @property
    def collection(self) -> Any:
        if self.client is None:
            raise StoreUnavailable("PostStore.connect() was not called")
        return self.client[self.config.database][self.config.collection]

    async def ensure_indexes(self) -> None:
        """The unique index on ``slug`` (a no-op when it exists)."""
        await self.collection.create_index("slug", unique=True, name=SLUG_INDEX)

    async def close(self) -> None:
        """Close the client: its monitor tasks are cancelled and awaited, so
        nothing of pymongo outlives this call."""
        if self.client is not None:
            client, self.client = self.client, None
            await client.close()

    # -- writes --

    async def _with_retries(
        self, what: str, call: Callable[[], Awaitable[Any]], deadline: list[float]
    ) -> Any:
        """Await *call()*, retrying network failures with exponential backoff
        until the shared *deadline* (``[monotonic time]``, set on first failure)."""
        delay = self.config.retry_initial_delay
        while True:
            try:
                return await call()
            except PyMongoError as exc:
                if not _retryable(exc):
                    raise StoreUnavailable(
                        f"MongoDB at {self.config.masked_uri} refused {what}: {self.describe(exc)}"
                    ) from None
                now = time.monotonic()
                if not deadline:
                    deadline.append(now + self.config.retry_window)
                if now >= deadline[0]:
                    raise StoreUnavailable(
                        f"MongoDB at {self.config.masked_uri} unreachable for "
                        f"{self.config.retry_window:g}s ({what}): {self.describe(exc)}"
                    ) from None
                pause = min(delay, self.config.retry_max_delay, max(deadline[0] - now, 0))
                self.retries += 1
                logger.warning(
                    "MongoDB %s failed (%s); retrying in %.2fs",
                    what, self.describe(exc), pause,
                )
                await self._sleep(pause)
                delay *= 2

    async def write(self, posts: list[PendingPost]) -> WriteCounts:
        """Store *posts* (at most one per slug).

        1. one ``find`` reads which slugs are stored, and their content hash;
        2. new slugs: one bulk of inserts (:meth:`PendingPost.new_document`);
        3. stored with the same hash: one bulk of
           :meth:`PendingPost.same_content_upsert_op` (no mark needed);
        4. stored with another hash, and the cards of 2 and 3 that got a
           duplicate-key error (a concurrent write since the ``find``): the
           mark bulk (:meth:`PendingPost.mark_changed_op`), then the upsert
           bulk (:meth:`PendingPost.upsert_op`). A card's second
           duplicate-key error means the store holds a newer observation
           (``stale``).

        Every bulk is ``ordered=False``. Network failures are retried (see
        :class:`StoreConfig`) and every step can be re-run after a partial
        write; raises :class:`StoreUnavailable` when the retry window runs
        out. Cards the server rejects for good are returned in
        ``WriteCounts.failed``.
        """
        counts = WriteCounts()
        if not posts:
            return counts
        deadline: list[float] = []
        coll = self.collection

        stored = await self._stored_hashes(coll, posts, deadline)
        new = [p for p in posts if p.slug not in stored]
        same = [p for p in posts if p.slug in stored and stored[p.slug] == p.content_hash]
        changed = [p for p in posts if p.slug in stored and stored[p.slug] != p.content_hash]

        raced = await self._insert_new(coll, new, counts, deadline)
        raced += await self._upsert_same_content(coll, same, counts, deadline)
        # (card, duplicate-key errors it already had)
        general = [(p, 0) for p in changed] + [(p, 1) for p in raced]
        await self._write_with_mark(coll, general, counts, deadline)
        return counts

    async def _bulk(self, coll: Any, ops: list[Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """One ``bulk_write(ordered=False)``: (result, write errors)."""
        try:
            result = await coll.bulk_write(ops, ordered=False)
            return result.bulk_api_result, []
        except BulkWriteError as exc:
            if exc.details.get("writeConcernErrors"):
                raise ConnectionFailure(str(exc.details["writeConcernErrors"])) from exc
            return exc.details, exc.details.get("writeErrors", [])

    async def _stored_hashes(
        self, coll: Any, posts: list[PendingPost], deadline: list[float]
    ) -> dict[Any, Any]:
        """slug -> stored ``content_hash`` (None if absent) of the stored *posts*."""
        slugs = [p.slug for p in posts]
        found = await self._with_retries(
            "reading stored posts",
            lambda: coll.find({"slug": {"$in": slugs}}, {"_id": 0, "slug": 1, "content_hash": 1}).to_list(),
            deadline,
        )
        return {doc["slug"]: doc.get("content_hash") for doc in found}

    async def _insert_new(
        self, coll: Any, posts: list[PendingPost], counts: WriteCounts, deadline: list[float]
    ) -> list[PendingPost]:
        """Insert the cards of slugs the ``find`` did not see; return those
        that got a duplicate-key error because someone else stored the slug
        meanwhile."""
        if not posts:
            return []
        documents = [p.new_document() for p in posts]
        result, errors = await self._with_retries(
            "inserting new posts",
            lambda: self._bulk(coll, [InsertOne(d) for d in documents]),
            deadline,
        )
        counts.upserted += int(result.get("nInserted", 0))
        duplicates: list[int] = []
        for error in errors:
            if error.get("code") == DUPLICATE_KEY:
                duplicates.append(error["index"])
            else:
                counts.failed.append((posts[error["index"]], _error_text(error)))
        if not duplicates:
            return []
        # A re-run attempt (ours after a network failure, or the driver's
        # retryable write) also gets duplicates for the documents an earlier
        # attempt stored before its reply was lost. Those hold our own _id:
        # they are new documents of this write, not a race.
        ids = [documents[i]["_id"] for i in duplicates]
        found = await self._with_retries(
            "checking inserted posts",
            lambda: coll.find({"_id": {"$in": ids}}, {"_id": 1}).to_list(),
            deadline,
        )
        ours = {doc["_id"] for doc in found}
        counts.upserted += len(ours)
        return [posts[i] for i in duplicates if documents[i]["_id"] not in ours]

    async def _upsert_same_content(
        self, coll: Any, posts: list[PendingPost], counts: WriteCounts, deadline: list[float]
    ) -> list[PendingPost]:
        """Move ``last_seen_at`` of cards stored with their own hash; return
        those whose stored hash or ``last_seen_at`` changed since the ``find``
        (duplicate-key error, see :meth:`PendingPost.same_content_upsert_op`)."""
        if not posts:
            return []
        result, errors = await self._with_retries(
            "updating unchanged posts",
            lambda: self._bulk(coll, [p.same_content_upsert_op() for p in posts]),
            deadline,
        )
        counts.unchanged += int(result.get("nMatched", 0))
        counts.upserted += int(result.get("nUpserted", 0))  # the document went away meanwhile
        raced: list[PendingPost] = []
        for error in errors:
            post = posts[error["index"]]
            if error.get("code") == DUPLICATE_KEY:
                raced.append(post)
            else:
                counts.failed.append((post, _error_text(error)))
        return raced

    async def _write_with_mark(
        self,
        coll: Any,
        pending: list[tuple[PendingPost, int]],
        counts: WriteCounts,
        deadline: list[float],
    ) -> None:
        """Mark changed content, then upsert: the general path. *pending*
        holds (card, duplicate-key errors it already had)."""
        if not pending:
            return
        marked, _errors = await self._with_retries(
            "marking changed posts",
            lambda: self._bulk(coll, [p.mark_changed_op() for p, _ in pending]),
            deadline,
        )
        # Ignore errors of the marking pass: the upsert pass reports them.
        # nMatched, not nModified: a re-run after a partial write finds
        # updated_at already set (no modification) on content this write
        # still changes.
        changed = int(marked.get("nMatched", 0))

        matched = 0
        while pending:
            result, errors = await self._with_retries(
                "upserting posts",
                lambda: self._bulk(coll, [p.upsert_op() for p, _ in pending]),
                deadline,
            )
            counts.upserted += int(result.get("nUpserted", 0))
            matched += int(result.get("nMatched", 0))
            retry: list[tuple[PendingPost, int]] = []
            for error in errors:
                post, duplicates = pending[error["index"]]
                if error.get("code") == DUPLICATE_KEY:
                    if duplicates == 0:
                        # Lost an insert race with a concurrent crawl, or
                        # the store holds a newer observation: try again as
                        # an update; a second duplicate means "newer".
                        retry.append((post, 1))
                    else:
                        counts.stale += 1
                else:
                    counts.failed.append((post, _error_text(error)))
            pending = retry
        modified = min(changed, matched)
        counts.modified += modified
        counts.unchanged += matched - modified


# --- Dead letters ------------------------------------------------------------


class DeadLetterFile:
    """A JSON lines file of cards that could not be stored.

    One line per card: ``{"seen_at": "...Z", "item": {...card fields...}}``.
    The file is created on first use (appended to if it exists);
    ``{timestamp}`` in the path template becomes the UTC time of that first
    use (``20261126T201011123456Z``) and ``{pid}`` the process id.
    """

    def __init__(self, template: str) -> None:
        self.template = template
        self.path: Path | None = None
        self.count = 0
        self._lock = threading.Lock()

    def append(self, posts: Iterable[PendingPost]) -> int:
        lines = [json.dumps(p.to_record(), ensure_ascii=False, default=str) + "\n" for p in posts]
        if not lines:
            return 0
        with self._lock:
            if self.path is None:
                stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
                name = self.template.replace("{timestamp}", stamp).replace("{pid}", str(os.getpid()))
                self.path = Path(name)
                self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.writelines(lines)
                fh.flush()
                os.fsync(fh.fileno())
            self.count += len(lines)
        return len(lines)


def read_dead_letters(path: str | os.PathLike[str]) -> Iterable[tuple[int, PendingPost | str]]:
    """``(line number, card)`` per non-blank line of *path*; a line that is
    not a card gives ``(line number, error text)`` instead."""
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
                yield number, PendingPost.from_record(record)
            except (ValueError, TypeError, KeyError) as exc:
                yield number, f"{type(exc).__name__}: {exc}"


# --- Pipeline ----------------------------------------------------------------


@dataclass
class _BatchOutcome:
    counts: WriteCounts | None = None
    dead_lettered: int = 0
    error: str | None = None


class StorePostPipeline:
    """Upsert post cards into ``MONGO_URI``/``MONGO_DATABASE``/``MONGO_COLLECTION``."""

    def __init__(self, crawler: Crawler, config: StoreConfig) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.config = config
        self.batch_size = max(1, settings.getint("MONGO_BATCH_SIZE", DEFAULT_BATCH_SIZE))
        self.flush_interval = settings.getfloat("MONGO_FLUSH_INTERVAL", 5.0)
        max_queued_batches = max(1, settings.getint("MONGO_MAX_QUEUED_BATCHES", 4))
        self._room = asyncio.Semaphore(max_queued_batches * self.batch_size)
        self.store = PostStore(config)
        self.dead_letters = DeadLetterFile(
            settings.get("MONGO_DEAD_LETTER_PATH") or DEFAULT_DEAD_LETTER_PATH
        )
        self._pending: list[PendingPost] = []
        self._inflight: set[asyncio.Task[_BatchOutcome]] = set()
        # One batch at a time, in the order of flush() calls (asyncio.Lock
        # hands itself to its waiters first come, first served).
        self._write_lock: asyncio.Lock | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._last_flush = time.monotonic()
        self._broken: str | None = None  # set by the batch writer (under the lock) only
        self._reported_dead_letters = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = StoreConfig.from_settings(crawler.settings)
        if not config.uri:
            logger.info(
                "MongoDB storage is off: set the MONGO_URI environment variable "
                "or pass -s MONGO_URI=mongodb://host:27017 to enable it"
            )
            raise NotConfigured
        return cls(crawler, config)

    # -- lifecycle --

    async def open_spider(self) -> None:
        try:
            await self.store.connect()
        except StoreUnavailable as exc:
            record_failure(self.stats, f"mongo_unavailable: {exc}")
            logger.error("%s; stopping the crawl", exc)
            raise
        self._write_lock = asyncio.Lock()
        logger.info(
            "Storing posts in %s (database %r, collection %r), batches of %d or every %gs",
            self.config.masked_uri, self.config.database, self.config.collection,
            self.batch_size, self.flush_interval,
        )
        self._last_flush = time.monotonic()
        if self.flush_interval > 0:
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def process_item(self, item: Any) -> Any:
        # A place in the store's queue, given back when the item's batch is
        # done: when the store falls behind the crawl, items wait here (and
        # Scrapy, whose items and responses in progress are limited, slows
        # the crawl down) instead of queueing batches without bound.
        post = PendingPost.from_item(item)
        await self._room.acquire()
        self._pending.append(post)
        if len(self._pending) >= self.batch_size:
            await self.flush()
        return item

    async def close_spider(self) -> None:
        if self._write_lock is None:  # never opened, or failed to open
            return
        if self._ticker is not None:
            self._ticker.cancel()
            try:
                await self._ticker
            except asyncio.CancelledError:
                pass
            self._ticker = None
        await self.flush()
        while self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)
        await self.store.close()
        self._write_lock = None
        if self.dead_letters.path is not None:
            logger.error(
                "%d post(s) could not be stored and are in the dead-letter file %s; "
                "load them with: scrapy replay %s",
                self.dead_letters.count, self.dead_letters.path, self.dead_letters.path,
            )

    # -- flushing --

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(min(self.flush_interval, 1.0))
            if self._pending and time.monotonic() - self._last_flush >= self.flush_interval:
                try:
                    await self.flush()
                except Exception:
                    logger.exception("Timed MongoDB flush failed")

    async def flush(self) -> None:
        """Write the buffered cards as one batch (after the batches flushed
        before it) and wait for it.

        Cancelling the caller does not cancel the write: the batch is still
        written (or dead-lettered) and counted.
        """
        if not self._pending:
            return
        assert self._write_lock is not None, "open_spider() was not awaited"
        batch, self._pending = self._pending, []
        self._last_flush = time.monotonic()
        task = asyncio.get_running_loop().create_task(self._write_batch(batch))
        self._inflight.add(task)
        self.stats.max_value("kongblog/mongo/max_queued_batches", len(self._inflight))
        task.add_done_callback(partial(self._batch_done, len(batch)))
        await asyncio.shield(task)

    def _batch_done(self, items: int, task: asyncio.Task[_BatchOutcome]) -> None:
        self._inflight.discard(task)
        for _ in range(items):  # the places of the batch's items in the queue
            self._room.release()
        if task.cancelled():
            logger.error("A MongoDB batch was cancelled before it was written")
        elif (exc := task.exception()) is not None:
            # Not even the dead-letter file took it (disk full, bad path): items are lost.
            record_failure(self.stats, f"mongo_batch_lost: {type(exc).__name__}: {exc}")
            logger.error("A MongoDB batch could be neither stored nor dead-lettered", exc_info=exc)
        else:
            self._record(task.result())

    async def _dead_letter(self, posts: list[PendingPost]) -> int:
        # Blocking file I/O with an fsync: off the event loop.
        if not posts:
            return 0
        return await asyncio.to_thread(self.dead_letters.append, posts)

    async def _write_batch(self, batch: list[PendingPost]) -> _BatchOutcome:
        """Store *batch*, or dead-letter it when the store is gone; one batch
        at a time."""
        assert self._write_lock is not None
        async with self._write_lock:
            outcome = _BatchOutcome()
            if self._broken is None:
                try:
                    outcome.counts = await self.store.write(batch)
                except StoreUnavailable as exc:
                    self._broken = str(exc)
                    outcome.error = str(exc)
                except Exception as exc:  # never lose a batch to a bug
                    self._broken = f"MongoDB write failed: {type(exc).__name__}: {exc}"
                    outcome.error = self._broken
                    logger.exception("MongoDB write failed")
                else:
                    rejected = [post for post, _ in outcome.counts.failed]
                    outcome.dead_lettered = await self._dead_letter(rejected)
                    for post, why in outcome.counts.failed:
                        logger.error("MongoDB rejected post slug=%r: %s", post.slug, why)
                    return outcome
            outcome.error = outcome.error or self._broken
            outcome.dead_lettered = await self._dead_letter(batch)
            return outcome

    def _record(self, outcome: _BatchOutcome) -> None:
        stats = self.stats
        if outcome.counts is not None:
            stats.inc_value("kongblog/mongo/batches")
            for name, value in outcome.counts.as_dict().items():
                if name != "failed" and value:
                    stats.inc_value(f"kongblog/mongo/{name}", value)
        stats.set_value("kongblog/mongo/retries", self.store.retries)
        if outcome.dead_lettered:
            stats.inc_value("kongblog/mongo/dead_lettered", outcome.dead_lettered)
            reason = outcome.error or "MongoDB rejected some posts"
            record_failure(stats, f"mongo_dead_lettered: {reason}")
            if not self._reported_dead_letters:
                self._reported_dead_letters = True
                logger.error(
                    "%s; writing unstored posts to the dead-letter file %s",
                    reason, self.dead_letters.path,
                )
