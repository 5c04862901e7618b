"""``scrapy history SLUG``: what changed in a post, oldest first, from its MongoDB document (its
``history``, and the gaps while it was gone) or, with ``--exports FOLDER``, from the JSON lines
exports of earlier crawls (consecutive observations that differ; exports show no gaps).

Exit status: 0 when the post was found, 1 when it was not, a line could not be read, or the store cannot
be reached, 2 on a usage error (no slug, no MONGO_URI without --exports).
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from kongblog.commands import UsesStore
from kongblog.store.config import StoreConfig, StoreUnavailable
from kongblog.store.documents import TRACKED_FIELDS, format_time, read_records
from kongblog.store.posts import PostStore

if TYPE_CHECKING:
    import argparse
    import datetime as dt

    from kongblog.store.documents import Observation

EXPORT_PATTERNS = ("*.jsonl", "*.jl")
SHOWN = 400  # characters of a value shown before it is cut (article bodies)


@dataclass
class Event:
    at: dt.datetime
    what: str  # first seen, changed, gone, back, last seen
    note: str = ""
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, before, after)


def _tracked(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in TRACKED_FIELDS if name in values}


def events_from_document(doc: dict[str, Any]) -> list[Event]:
    """A "changed" entry holds the previous values; the new ones are the next entry's previous values."""
    state = _tracked(doc)
    older: list[Event] = []
    for entry in reversed(doc.get("history") or []):
        if entry.get("event") == "changed":
            previous = entry.get("previous") or {}
            changes = [(name, before, state.get(name)) for name, before in previous.items()]
            state.update(previous)
            note = f"the previous values were last seen {format_time(entry['last_seen_at'])}"
            older.append(Event(entry["at"], "changed", note, changes))
        elif entry.get("event") == "back":
            older.append(Event(entry["at"], "back", f"gone since {format_time(entry['gone_since'])}"))
            older.append(Event(entry["gone_since"], "gone", f"last seen {format_time(entry['last_seen_at'])}"))
    events = [Event(doc["first_seen_at"], "first seen"), *reversed(older)]
    if doc.get("gone_since"):
        events.append(Event(doc["gone_since"], "gone", "missed by a healthy full crawl of its listing"))
    events.append(Event(doc["last_seen_at"], "last seen"))
    return events


def read_exports(folder: Path, slug: str) -> tuple[list[Observation], list[str]]:
    """The post's observations in the folder's exports, oldest first, and the unreadable files and lines."""
    seen: list[Observation] = []
    problems: list[str] = []
    for path in sorted({path for pattern in EXPORT_PATTERNS for path in folder.glob(pattern)}):
        try:
            for number, record in read_records(path):
                if isinstance(record, str):
                    problems.append(f"{path}:{number}: {record}")
                elif record.slug == slug:
                    seen.append(record)
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
    return sorted(seen, key=lambda observation: observation.seen_at), problems


def events_from_observations(seen: list[Observation]) -> list[Event]:
    """A field one of two observations lacks (an export without articles) is not compared."""
    events = [Event(seen[0].seen_at, "first seen")]
    for before, after in zip(seen, seen[1:], strict=False):
        old, new = _tracked(before.data), _tracked(after.data)
        changes = [(name, old[name], new[name]) for name in new if name in old and old[name] != new[name]]
        if changes:
            note = f"the previous values were last seen {format_time(before.seen_at)}"
            events.append(Event(after.seen_at, "changed", note, changes))
    return [*events, Event(seen[-1].seen_at, "last seen")]


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}... ({len(text)} characters)"


def render(slug: str, url: Any, events: list[Event]) -> str:
    lines = [f"{slug}  {url}"]
    for event in events:
        lines.append(f"{format_time(event.at)}  {event.what}" + (f" ({event.note})" if event.note else ""))
        lines.extend(f"    {name}: {_shown(before)} -> {_shown(after)}" for name, before, after in event.changes)
    return "\n".join(lines)


class Command(UsesStore, ScrapyCommand):
    def syntax(self) -> str:
        return "[options] SLUG"

    def short_desc(self) -> str:
        return "Print what changed in a post, oldest first (MONGO_URI or --exports FOLDER)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--exports", metavar="FOLDER", help="read earlier JSON lines exports instead of MongoDB")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if len(args) != 1:
            raise UsageError("give one post slug", print_help=True)
        slug = args[0]
        if opts.exports:
            self.from_exports(slug, Path(opts.exports))
            return
        config = self.store_config(', or read earlier exports with --exports FOLDER')
        try:
            doc = asyncio.run(self.find(config, slug))
        except StoreUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        if doc is None:
            print(f"no post {slug!r} in {config.where}", file=sys.stderr)
            self.exitcode = 1
            return
        print(render(slug, doc.get("url"), events_from_document(doc)))

    def from_exports(self, slug: str, folder: Path) -> None:
        if not folder.is_dir():
            raise UsageError(f"--exports {folder}: not a folder", print_help=False)
        seen, problems = read_exports(folder, slug)
        for problem in problems:
            print(f"skipped {problem}", file=sys.stderr)
        self.exitcode = 1 if problems else 0  # the history is shown, from every readable line
        if not seen:
            print(f"no post {slug!r} in the exports of {folder}", file=sys.stderr)
            self.exitcode = 1
            return
        print(render(slug, seen[-1].data.get("url"), events_from_observations(seen)))

    @staticmethod
    async def find(config: StoreConfig, slug: str) -> dict[str, Any] | None:
        store = PostStore(config)
        try:
            await store.connect(ensure_indexes=False)
            return await store.find_post(slug)
        finally:
            await store.close()
