"""``scrapy replay PATH [PATH ...]``: dead-letter files (or feed exports) into MONGO_URI.

Written by the pipeline's own PostStore, so the newest observation of a post wins and a replay is idempotent.
Exit status: 0 when every post is stored (or a newer one is), 1 when a line is
invalid, a post is rejected or the server cannot be reached, 2 on a usage error.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from kongblog.schemas import PostSchema
from kongblog.commands import UsesStore
from kongblog.store.config import StoreConfig, StoreUnavailable
from kongblog.store.documents import read_records
from kongblog.store.posts import PostStore, WriteCounts

if TYPE_CHECKING:
    import argparse

    from kongblog.store.documents import Observation


class Command(UsesStore, ScrapyCommand):
    def syntax(self) -> str:
        return "[options] PATH [PATH ...]"

    def short_desc(self) -> str:
        return "Upsert dead-letter files of the MongoDB pipeline into MONGO_URI"

    def long_desc(self) -> str:
        return "Upsert the posts of dead-letter files (or feed exports) into MONGO_URI, idempotently; print counts."

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if not args:
            raise UsageError("give at least one dead-letter file", print_help=True)
        config = self.store_config('')
        newest, lines, older, invalid = self.read(args)
        posts = sorted(newest.values(), key=lambda post: post.seen_at)
        counts = WriteCounts()
        try:
            asyncio.run(self.store(config, posts, self.settings.getint("MONGO_BATCH_SIZE"), counts))
        except StoreUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = 1
        for post, why in counts.failed:
            print(f"rejected slug={post.slug!r}: {config.secret.redact(why)}", file=sys.stderr)
        print(f"read {lines} line(s) from {len(args)} file(s): {len(posts)} post(s), "
              f"{older} older duplicate(s), {invalid} invalid")
        print(f"{config.where}: upserted {counts.upserted}, modified {counts.modified}, "
              f"unchanged {counts.unchanged}, stale {counts.stale}, rejected {len(counts.failed)}")
        if invalid or counts.failed:
            self.exitcode = 1

    @staticmethod
    def read(paths: list[str]) -> tuple[dict[Any, Observation], int, int, int]:
        """(newest valid observation per slug, lines, older duplicates, invalid lines)."""
        schema = PostSchema()
        newest: dict[Any, Observation] = {}
        lines = older = invalid = 0
        for path in paths:
            try:
                records = list(read_records(path))
            except OSError as exc:
                print(f"{path}: cannot read: {exc}", file=sys.stderr)
                invalid += 1
                continue
            for number, post in records:
                lines += 1
                if isinstance(post, str) or (problems := schema.problems(post.data)):
                    why = f"not a card: {post}" if isinstance(post, str) else "invalid card: " + "; ".join(
                        f"{name}: {kind}" for name, kind in sorted(problems.items())
                    )
                    print(f"{path}:{number}: {why}", file=sys.stderr)
                    invalid += 1
                elif (kept := newest.get(post.slug)) is None or kept.seen_at <= post.seen_at:
                    older += kept is not None
                    newest[post.slug] = post
                else:
                    older += 1
        return newest, lines, older, invalid

    @staticmethod
    async def store(config: StoreConfig, posts: list[Observation], batch_size: int, counts: WriteCounts) -> None:
        """Write *posts* in batches, adding to *counts* (also when a later batch raises)."""
        store = PostStore(config)
        try:
            await store.connect()
            for start in range(0, len(posts), max(1, batch_size)):
                counts.add(await store.write(posts[start : start + batch_size]))
        finally:
            await store.close()
