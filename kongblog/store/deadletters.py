"""Posts that could not be stored, as JSON lines for ``scrapy replay``:
``{"seen_at": "2026-11-26T20:10:11.123Z", "item": {...}}``."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kongblog.store.documents import Observation

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator


class DeadLetterFile:
    """Created on first use (appended to when it exists); in the path template
    ``{timestamp}`` becomes the UTC time of that use and ``{pid}`` the process id.
    Appending blocks (it fsyncs): call it off the event loop."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.path: Path | None = None
        self.count = 0
        self._lock = threading.Lock()

    def append(self, posts: Iterable[Observation]) -> int:
        lines = [json.dumps(post.to_record(), ensure_ascii=False, default=str) + "\n" for post in posts]
        if not lines:
            return 0
        with self._lock:
            if self.path is None:
                stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
                self.path = Path(self.template.replace("{timestamp}", stamp).replace("{pid}", str(os.getpid())))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.writelines(lines)
                handle.flush()
                os.fsync(handle.fileno())
            self.count += len(lines)
        return len(lines)


def read_records(path: str | os.PathLike[str]) -> Iterator[tuple[int, Observation | str]]:
    """``(line number, observation)`` per non-blank line of a dead-letter file or
    feed export; a line that is not a post gives ``(line number, why)``."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
                yield number, Observation.from_record(record)
            except (ValueError, TypeError, KeyError) as exc:
                yield number, f"{type(exc).__name__}: {exc}"
