"""Store the crawl's posts in MongoDB (off unless ``MONGO_URI`` is set); docs/mongo.md.

Items gather into batches that one writer task stores in order; past
``MONGO_MAX_QUEUED_BATCHES`` batches, the item that fills a batch waits, so a
slow store slows the crawl instead of filling memory. Posts the store cannot
take go to the dead-letter file and the crawl fails, but ``process_item``
never raises for the store: every item reaches the feed. At close, after a
healthy full crawl, the listing's stored posts it did not see are marked gone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from kongblog import stats as keys
from kongblog.failures import record_failure
from kongblog.store.config import StoreConfig, StoreUnavailable
from kongblog.store.documents import DeadLetterFile, Observation, utc_now
from kongblog.store.posts import PostStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StorePostPipeline:
    def __init__(self, crawler: Crawler, config: StoreConfig) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.config = config
        self.batch_size = settings.getint("MONGO_BATCH_SIZE")
        self.flush_interval = settings.getfloat("MONGO_FLUSH_INTERVAL")
        max_queued = settings.getint("MONGO_MAX_QUEUED_BATCHES")
        if self.batch_size < 1 or max_queued < 1:
            raise ValueError("MONGO_BATCH_SIZE and MONGO_MAX_QUEUED_BATCHES must be at least 1")
        self.store = PostStore(config)
        self.dead_letters = DeadLetterFile(settings["MONGO_DEAD_LETTER_PATH"])
        self._pending: list[Observation] = []
        self._slots = asyncio.Semaphore(max_queued)  # batches queued or being written
        self._queue: asyncio.Queue[list[Observation] | None] = asyncio.Queue()
        self._queued = 0
        self._writer: asyncio.Task[None] | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._last_flush = 0.0
        self._started = utc_now()
        self._broken: str | None = None  # why every later post is dead-lettered
        self._unstored = 0  # posts neither stored nor dead-lettered

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.get("MONGO_URI"):
            logger.info("MongoDB storage is off: set the MONGO_URI environment variable "
                        "or pass -s MONGO_URI=mongodb://host:27017 to enable it")
            raise NotConfigured
        return cls(crawler, StoreConfig.from_settings(crawler.settings))

    async def open_spider(self) -> None:
        try:
            await self.store.connect()
        except StoreUnavailable as exc:
            record_failure(self.stats, f"mongo_unavailable: {exc}")
            logger.error("%s; stopping the crawl", exc)
            raise
        where, size, interval = self.config.where, self.batch_size, self.flush_interval
        logger.info("Storing posts in %s, batches of %d or every %gs", where, size, interval)
        self._started = utc_now()
        self._last_flush = time.monotonic()
        self._writer = asyncio.create_task(self._write_batches())
        if self.flush_interval > 0:
            self._ticker = asyncio.create_task(self._tick())

    async def process_item(self, item: Any) -> Any:
        # Never raises for the store: the item goes on to the feed whatever happens here.
        try:
            self._pending.append(Observation.from_item(item))
            if len(self._pending) >= self.batch_size:
                await self._submit()
        except Exception as exc:  # a bug: the crawl fails, the item is still exported
            record_failure(self.stats, f"mongo_batch_lost: {type(exc).__name__}: {exc}")
            logger.exception("Could not queue an item for MongoDB")
        return item

    async def close_spider(self) -> None:
        if self._writer is None:  # never opened, or failed to open
            return
        if self._ticker is not None:
            self._ticker.cancel()
            await asyncio.gather(self._ticker, return_exceptions=True)
        while self._pending:
            await self._submit(partial=True)
        self._queue.put_nowait(None)
        await self._writer
        self._writer = None
        await self._mark_gone()
        await self.store.close()
        self.stats.set_value(keys.MONGO_RETRIES, self.store.retries)
        if self.dead_letters.path is not None:
            logger.error(
                "%d post(s) could not be stored and are in the dead-letter file %s; load them with: scrapy replay %s",
                self.dead_letters.count, self.dead_letters.path, self.dead_letters.path,
            )  # fmt: skip

    async def _submit(self, partial: bool = False) -> None:
        """Hand a batch to the writer once there is room in its queue."""
        await self._slots.acquire()
        if not self._pending or (len(self._pending) < self.batch_size and not partial):
            self._slots.release()  # a concurrent caller took the batch meanwhile
            return
        batch = self._pending[: self.batch_size]
        del self._pending[: self.batch_size]
        self._last_flush = time.monotonic()
        self._queued += 1
        self.stats.max_value(keys.MONGO_MAX_QUEUED_BATCHES, self._queued)
        self._queue.put_nowait(batch)

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(min(self.flush_interval, 1.0))
            due = time.monotonic() - self._last_flush >= self.flush_interval
            if self._pending and due and not self._slots.locked():
                await self._submit(partial=True)

    async def _write_batches(self) -> None:
        """The writer: one batch at a time, in the order they were handed over."""
        while (batch := await self._queue.get()) is not None:
            try:
                await self._write(batch)
            except Exception as exc:  # a bug: _write keeps its own failures
                record_failure(self.stats, f"mongo_batch_lost: {type(exc).__name__}: {exc}")
                logger.exception("MongoDB batch writer failed")
            finally:
                self._queued -= 1
                self._slots.release()

    async def _write(self, batch: list[Observation]) -> None:
        if self._broken is None:
            try:
                counts = await self.store.write(batch)
            except StoreUnavailable as exc:
                self._broken = str(exc)
            except Exception as exc:  # never lose a batch to a bug
                self._broken = f"MongoDB write failed: {self.config.describe(exc)}"
                logger.exception("MongoDB write failed")
            else:
                self.stats.inc_value(keys.MONGO_BATCHES)
                for key, value in counts.stats().items():
                    if value:
                        self.stats.inc_value(key, value)
                for post, why in counts.failed:
                    logger.error("MongoDB rejected post slug=%r: %s", post.slug, self.config.secret.redact(why))
                await self._dead_letter([post for post, _ in counts.failed], "MongoDB rejected some posts")
                return
        await self._dead_letter(batch, self._broken)

    async def _dead_letter(self, posts: list[Observation], reason: str) -> None:
        if not posts:
            return
        first = self.dead_letters.count == 0 and not self._unstored
        try:
            written = await asyncio.to_thread(self.dead_letters.append, posts)  # blocking, fsync: off the loop
        except Exception as exc:  # a full disk, a read-only folder: the posts are only in the feed now
            self._unstored += len(posts)
            self.stats.inc_value(keys.MONGO_LOST, len(posts))
            why = f"{type(exc).__name__}: {exc}"
            record_failure(self.stats, f"mongo_batch_lost: posts neither stored nor dead-lettered ({why}); {reason}")
            logger.error("%d post(s) could be neither stored (%s) nor dead-lettered (%s)", len(posts), reason, why)
            return
        self.stats.inc_value(keys.MONGO_DEAD_LETTERED, written)
        record_failure(self.stats, f"mongo_dead_lettered: {reason}")
        if first:
            logger.error("%s; writing unstored posts to the dead-letter file %s", reason, self.dead_letters.path)

    async def _mark_gone(self) -> None:
        """Mark the stored posts of the listing this crawl did not see, when it can tell."""
        spider = self.crawler.spider
        report = getattr(spider, "report", None)
        checks = {
            "the crawl did not pass every health check (or was interrupted)": getattr(report, "healthy", False) is True,
            "the crawl did not read the whole listing (max_pages, mode=incremental)":
                getattr(report, "complete_listing", False) is True,
            "the crawl failed": not self.stats.get_value(keys.FAILED),
            "not every post was stored": not (self._broken or self.dead_letters.count or self._unstored),
        }  # fmt: skip
        why_not = next((why for why, passed in checks.items() if not passed), None)
        if why_not:
            logger.info("Posts missing from the listing are not marked gone: %s", why_not)
            return
        parts = urlsplit(spider.start_url)
        prefix = f"{parts.scheme}://{parts.netloc}{spider.listing.rstrip('/')}/"  # the URLs of the listing's posts
        try:
            gone = await self.store.mark_gone(prefix, report.seen_posts, self._started)
        except StoreUnavailable as exc:
            record_failure(self.stats, f"mongo_gone_not_marked: {exc}")
            logger.error("Could not mark the posts missing from the listing as gone: %s", exc)
            return
        if gone:
            self.stats.set_value(keys.MONGO_GONE, gone)
            logger.info("%d stored post(s) under %s were not on the listing: marked gone", gone, prefix)
