"""``scrapy replay PATH [PATH ...]``: load dead-letter files into MongoDB.

The store pipeline writes the cards it could not store to a dead-letter JSON
lines file. This command upserts them into ``MONGO_URI`` with the very same
document logic (:class:`kongblog.pipelines.mongo.PostStore`, async, driven
here by :func:`asyncio.run`), so replaying a file twice, or a file whose cards
a later crawl already stored, changes nothing: the newest observation of a
post wins.

Bare item lines (a ``-o posts.jsonl`` feed export) are accepted too; their
time is their ``scraped_at``.

Exit status: 0 when every card is stored (or the store already holds a newer
observation), 1 when a line is not a valid card, the server rejects a card or
cannot be reached, 2 on a usage error (no path, no MONGO_URI).
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any, ClassVar

from jsonschema import Draft202012Validator
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from kongblog.pipelines.mongo import (
    DEFAULT_BATCH_SIZE,
    PendingPost,
    PostStore,
    StoreConfig,
    StoreUnavailable,
    WriteCounts,
    read_dead_letters,
)
from kongblog.pipelines.validate import check_post
from kongblog.schemas import load_schema

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options] PATH [PATH ...]"

    def short_desc(self) -> str:
        return "Upsert dead-letter files of the MongoDB pipeline into MONGO_URI"

    def long_desc(self) -> str:
        return (
            "Upsert the posts of dead-letter JSON lines files (or feed exports) "
            "into MONGO_URI / MONGO_DATABASE / MONGO_COLLECTION, idempotently, "
            "and print counts."
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if not args:
            raise UsageError("give at least one dead-letter file", print_help=True)
        config = StoreConfig.from_settings(self.settings)
        if not config.uri:
            raise UsageError(
                "MONGO_URI is not set: set the MONGO_URI environment variable "
                "or pass -s MONGO_URI=mongodb://host:27017",
                print_help=False,
            )

        validator = Draft202012Validator(load_schema())
        newest: dict[Any, PendingPost] = {}
        lines = invalid = older = 0
        for path in args:
            try:
                records = list(read_dead_letters(path))
            except OSError as exc:
                print(f"{path}: cannot read: {exc}", file=sys.stderr)
                invalid += 1
                continue
            for number, post in records:
                lines += 1
                if isinstance(post, str):
                    print(f"{path}:{number}: not a card: {post}", file=sys.stderr)
                    invalid += 1
                    continue
                problems = check_post(post.data, validator)
                if problems:
                    print(f"{path}:{number}: invalid card: {problems.describe()}", file=sys.stderr)
                    invalid += 1
                    continue
                kept = newest.get(post.slug)
                if kept is not None:
                    older += 1
                    if kept.seen_at > post.seen_at:
                        continue
                newest[post.slug] = post

        batch_size = max(1, self.settings.getint("MONGO_BATCH_SIZE", DEFAULT_BATCH_SIZE))
        posts = sorted(newest.values(), key=lambda p: p.seen_at)
        counts = WriteCounts()
        try:
            asyncio.run(self._store(config, posts, batch_size, counts))
        except StoreUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = 1
        for post, why in counts.failed:
            print(f"rejected slug={post.slug!r}: {why}", file=sys.stderr)

        print(
            f"read {lines} line(s) from {len(args)} file(s): {len(posts)} post(s), "
            f"{older} older duplicate(s), {invalid} invalid"
        )
        print(
            f"{config.masked_uri} {config.database}.{config.collection}: "
            f"upserted {counts.upserted}, modified {counts.modified}, "
            f"unchanged {counts.unchanged}, stale {counts.stale}, "
            f"rejected {len(counts.failed)}"
        )
        if invalid or counts.failed:
            self.exitcode = 1

    @staticmethod
    async def _store(config: StoreConfig, posts: list[PendingPost], batch_size: int, counts: WriteCounts) -> None:
        """Write *posts* in batches of *batch_size*, adding to *counts* (also
        when a later batch raises :class:`StoreUnavailable`)."""
        store = PostStore(config)
        try:
            await store.connect()
            for start in range(0, len(posts), batch_size):
                counts.add(await store.write(posts[start : start + batch_size]))
        finally:
            await store.close()
