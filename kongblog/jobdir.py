"""A JOBDIR a resume can trust.

Scrapy writes a JOBDIR's request queue index and the spider's state only when a crawl closes cleanly; after a
kill -9 the queue files are cut and the state is older than the queue. So a crawl holds its JOBDIR with a lock
(two crawls never share one) and leaves a mark in it when it closes: a crawl paused cleanly with work left
(SIGINT, SIGTERM, a CLOSESPIDER limit) is resumed; a JOBDIR left by a crawl that died, or by one that ended, is
started over: the listing is walked again, and no post known from a stale state is left unexported. A queue that
cannot be read is refused before anything starts.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import pickle
import shutil
import struct
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir

logger = logging.getLogger(__name__)

LOCK = "kongblog.lock"  # its text says how the last crawl left the JOBDIR
PAUSED, DONE = "paused", "done"
_held: dict[Path, object] = {}  # JOBDIR -> its locked file, for the life of the process


class JobdirUnusable(Exception):
    """The JOBDIR cannot be used: held by another crawl, or its queue cannot be read."""


def claim(jobdir: str) -> None:
    """Hold ``jobdir`` for this process; start it over unless a crawl paused in it cleanly."""
    folder = Path(jobdir).resolve()
    if folder in _held:
        return
    folder.mkdir(parents=True, exist_ok=True)
    lock = (folder / LOCK).open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        raise JobdirUnusable(f"JOBDIR {folder} is in use by another crawl ({lock.read().strip()})") from None
    lock.seek(0)
    left = lock.read().strip()
    if left == PAUSED or (not left and (folder / "requests.queue").exists()):
        check_queue(folder / "requests.queue")  # a paused crawl (or one from before the mark): resume it
    elif left:
        why = "did not close (killed?)" if left.startswith("running") else "ended"
        logger.warning("JOBDIR %s: the last crawl in it %s; its queue and state are not resumed, the listing is "
                       "walked again", folder, why)
        shutil.rmtree(folder / "requests.queue", ignore_errors=True)
        for name in ("requests.seen", "spider.state"):
            (folder / name).unlink(missing_ok=True)
    _held[folder] = lock
    mark(folder, f"running: pid {os.getpid()}")


def mark(folder: Path, text: str) -> None:
    lock = _held[folder]
    lock.seek(0)
    lock.truncate()
    lock.write(text + "\n")
    lock.flush()
    os.fsync(lock.fileno())


def check_queue(queue: Path) -> None:
    """Every request file of Scrapy's disk queue reads back to its count of pickled requests."""
    path = queue / "active.json"
    try:
        if path.exists():
            json.loads(path.read_text())
        for path in sorted(p for p in queue.rglob("*") if p.is_file() and p.name != "active.json"):
            read_requests(path.read_bytes())
    except Exception as exc:
        raise JobdirUnusable(
            f"JOBDIR {queue.parent}: its request queue cannot be read ({path}: {type(exc).__name__}: {exc}); "
            f"delete {queue.parent} to crawl from the start"
        ) from None


def read_requests(data: bytes) -> None:
    """A file of queuelib's LifoDiskQueue: a count, then records each followed by its length."""
    (count,) = struct.unpack(">L", data[:4])
    end = len(data)
    for _ in range(count):
        (size,) = struct.unpack(">L", data[end - 4 : end])
        start = end - 4 - size
        if start < 4 or not isinstance(pickle.loads(data[start : end - 4]), dict):
            raise ValueError("a record that is no request")
        end = start
    if end != 4:
        raise ValueError(f"{len(data) - 4} bytes for {count} requests")


class JobdirGuard:
    """Holds the crawl's JOBDIR and marks, once Scrapy saved its queue and state, how the crawl left it."""

    def __init__(self, crawler, folder: str):
        claim(folder)
        self.folder = Path(folder).resolve()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        folder = job_dir(crawler.settings)
        if not folder:
            raise NotConfigured("no JOBDIR")
        return cls(crawler, folder)

    def spider_closed(self, spider, reason):
        # Connected after SpiderState (a higher EXTENSIONS order): the state is saved by now.
        paused = reason == "shutdown" or reason.startswith("closespider_")
        mark(self.folder, PAUSED if paused else DONE)
