"""``scrapy history SLUG``: what changed in a post, oldest first.

From ``MONGO_URI`` (the post's document: its ``history``, and the gaps while
it was gone), or with ``--exports FOLDER`` from the JSON lines exports of
earlier crawls, for users without MongoDB. See :mod:`kongblog.store.history`.

Exit status: 0 when the post was found, 1 when it was not or the store cannot
be reached, 2 on a usage error (no slug, no MONGO_URI without --exports).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from kongblog.commands import UsesStore
from kongblog.store.config import StoreConfig, StoreUnavailable
from kongblog.store.history import events_from_document, events_from_observations, read_exports, render
from kongblog.store.posts import PostStore

if TYPE_CHECKING:
    import argparse


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
