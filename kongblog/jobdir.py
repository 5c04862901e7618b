"""A JOBDIR a resume can trust.

Scrapy saves a JOBDIR's queue index and the spider's state only on a clean close: after a kill -9 the queue files
are cut and the state is older than the queue. So one crawl at a time holds a JOBDIR (a lock), and marks how it
left it: a crawl paused cleanly (SIGINT, SIGTERM, a CLOSESPIDER limit) is resumed; after one that died or ended,
the next starts over and walks the listing again, so no post known from a stale state is left unexported.
A queue that cannot be read is refused before anything starts.
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

LOCK = "kongblog.lock"  # its text: how the last crawl left the JOBDIR
_held: dict[Path, object] = {}  # JOBDIR -> its locked file, for the life of the process


class JobdirUnusable(Exception):
    pass


def claim(jobdir: str) -> Path:
    """Hold ``jobdir`` for this process; start it over unless a crawl paused in it cleanly."""
    folder = Path(jobdir).resolve()
    if folder in _held:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    lock = (folder / LOCK).open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        raise JobdirUnusable(f"JOBDIR {folder} is in use by another crawl ({lock.read().strip()})") from None
    lock.seek(0)
    left = lock.read().strip()
    if left == "paused" or (not left and (folder / "requests.queue").exists()):  # (no mark: Scrapy's own)
        check_queue(folder / "requests.queue")
    elif left:
        why = "did not close (killed?)" if left.startswith("running") else "ended"
        logger.warning("JOBDIR %s: the last crawl in it %s; the listing is walked again", folder, why)
        shutil.rmtree(folder / "requests.queue", ignore_errors=True)
        for name in ("requests.seen", "spider.state"):
            (folder / name).unlink(missing_ok=True)
    _held[folder] = lock
    mark(folder, f"running: pid {os.getpid()}")
    return folder


def mark(folder: Path, text: str) -> None:
    lock = _held[folder]
    lock.truncate(0)
    lock.write(text + "\n")
    lock.flush()
    os.fsync(lock.fileno())


def check_queue(queue: Path) -> None:
    """Every file of Scrapy's disk queue (queuelib's LifoDiskQueue: a count, then records each followed by its
    length) reads back to its count of pickled requests."""
    path = queue / "active.json"
    try:
        if path.exists():
            json.loads(path.read_text())
        for path in sorted(p for p in queue.rglob("*") if p.is_file() and p.name != "active.json"):
            data = path.read_bytes()
            (count,) = struct.unpack(">L", data[:4])
            end = len(data)
            for _ in range(count):
                (size,) = struct.unpack(">L", data[end - 4 : end])
                end, record = end - 4 - size, data[end - 4 - size : end - 4]
                if end < 4 or not isinstance(pickle.loads(record), dict):
                    raise ValueError("a record that is no request")
            if end != 4:
                raise ValueError(f"{len(data) - 4} bytes for {count} requests")
    except Exception as exc:
        raise JobdirUnusable(f"JOBDIR {queue.parent}: its request queue cannot be read ({path}: "
                             f"{type(exc).__name__}: {exc}); delete {queue.parent} to crawl from the start") from None


class JobdirGuard:
    """Holds the crawl's JOBDIR, and marks how the crawl left it once Scrapy saved its queue and state."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def from_crawler(cls, crawler):
        if not (folder := job_dir(crawler.settings)):
            raise NotConfigured  # no JOBDIR: nothing to guard (no message: Scrapy would log one as a WARNING)
        guard = cls(claim(folder))
        crawler.signals.connect(guard.spider_closed, signal=signals.spider_closed)
        return guard

    def spider_closed(self, spider, reason):
        # Connected after SpiderState (a later EXTENSIONS order), so called after it saved the state.
        mark(self.folder, "paused" if reason == "shutdown" or reason.startswith("closespider_") else "ended")
