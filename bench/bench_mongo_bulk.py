"""Benchmark: the store pipeline's batched bulk writes vs one round trip per item.

    .venv/bin/python bench/bench_mongo_bulk.py [--items 2000] [--batch-size 100] [--uri URI]

Without ``--uri`` (or ``MONGO_URI``) it starts its own SecantusDB server (in
memory, free port) and stops it at the end. Each mode writes the same N
synthetic post cards twice into a fresh collection: a first crawl (every card
new) and a re-crawl (every card known and unchanged: ``last_seen_at`` moves).

``pipeline bulk``
    ``StorePostPipeline`` itself, driven like Scrapy drives it (coroutines on
    an asyncio event loop, pymongo's ``AsyncMongoClient``): one
    ``bulk_write`` per batch of ``MONGO_BATCH_SIZE`` cards (inserts into the
    empty collection, then ``Observation.seen_op`` updates). The time
    includes ``close_spider`` (last batch, client closed).
``update_one per item``
    a store that writes each card on its own, with the one update that
    handles every case (``Observation.revision_op``: history, gone mark,
    newest observation wins) sent by ``update_one``: one round trip per card
    (the blocking ``MongoClient``: the naive approach).

A second table times a re-crawl in which ``--changed`` of the cards were
edited, with the history kept (``MONGO_HISTORY_LIMIT``) and without it (0),
through the pipeline; one run each.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pymongo import MongoClient  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from bench.common import print_table  # noqa: E402
from kongblog.pipelines.store import StorePostPipeline  # noqa: E402
from kongblog.store.documents import Observation  # noqa: E402
from tests.support.mongo import SecantusServer, store_settings, synthetic_post  # noqa: E402

SINGLE = "update_one per item"
RUNS = ("first crawl (insert)", "re-crawl (update)")


def run_pipeline(uri: str, db: str, items: list[Any], batch_size: int, **settings: Any) -> float:
    crawler = get_crawler(settings_dict=store_settings(
        MONGO_URI=uri, MONGO_DATABASE=db, MONGO_BATCH_SIZE=batch_size, MONGO_FLUSH_INTERVAL=0, **settings
    ))  # fmt: skip
    pipeline = StorePostPipeline.from_crawler(crawler)

    async def crawl() -> float:
        await pipeline.open_spider()
        started = time.perf_counter()
        for item in items:
            await pipeline.process_item(item)
        await pipeline.close_spider()
        return time.perf_counter() - started

    elapsed = asyncio.run(crawl())
    stored = sum(crawler.stats.get_value(f"kongblog/mongo/{k}", 0) for k in ("upserted", "unchanged", "modified"))
    assert stored == len(items), crawler.stats.get_stats()
    return elapsed


def run_one_by_one(uri: str, db: str, items: list[Any], history_limit: int) -> float:
    client: MongoClient[dict[str, Any]] = MongoClient(uri, tz_aware=True)
    collection = client[db]["posts"]
    collection.create_index("slug", unique=True, name="slug_unique")
    started = time.perf_counter()
    for item in items:
        collection.update_one(*Observation.from_item(item).revision_spec(history_limit), upsert=True)
    elapsed = time.perf_counter() - started
    assert collection.count_documents({}) == len(items)
    client.close()
    return elapsed


def history_cost(uri: str, client: MongoClient, items: list[Any], batch_size: int, changed: float) -> list[list[Any]]:
    """Rows of the history table: a re-crawl with *changed* of the cards
    edited, history kept and not; one run each."""
    step = max(1, round(1 / changed)) if changed > 0 else len(items) + 1
    edited = [synthetic_post(n, title=f"Post number {n}, edited") if n % step == 0 else synthetic_post(n)
              for n in range(1, len(items) + 1)]  # fmt: skip
    seconds = {}
    for limit in (50, 0):
        db = f"kongblog_bench_{uuid.uuid4().hex[:8]}"
        try:
            run_pipeline(uri, db, items, batch_size, MONGO_HISTORY_LIMIT=limit)
            seconds[limit] = run_pipeline(uri, db, edited, batch_size, MONGO_HISTORY_LIMIT=limit)
        finally:
            client.drop_database(db)
    n = len(items)
    return [
        ["history kept (MONGO_HISTORY_LIMIT=50)", seconds[50], n / seconds[50], f"{seconds[50] / seconds[0]:.2f}x"],
        ["no history (MONGO_HISTORY_LIMIT=0)", seconds[0], n / seconds[0], "1.00x"],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=2000, help="cards per run (default 2000)")
    parser.add_argument("--batch-size", type=int, default=100, help="MONGO_BATCH_SIZE (default 100)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode; the best is kept (default 3)")
    parser.add_argument("--changed", type=float, default=0.1, help="share of cards edited in the history table (0.1)")
    parser.add_argument("--uri", default=os.environ.get("MONGO_URI"), help="server to use (default: start SecantusDB)")
    parser.add_argument("--tiny", action="store_true", help="smoke-test size")
    args = parser.parse_args(argv)
    n_items, repeat = (100, 1) if args.tiny else (args.items, max(1, args.repeat))

    server = None
    uri = args.uri
    if not uri:
        server = SecantusServer(storage_path=":memory:").start()
        uri = server.uri
    client: MongoClient[dict[str, Any]] = MongoClient(uri)
    items = [synthetic_post(n) for n in range(1, n_items + 1)]
    best: dict[tuple[str, str], float] = {}  # (mode, run) -> seconds
    try:
        for label, write in (
            (f"pipeline bulk (batch {args.batch_size})", lambda db: run_pipeline(uri, db, items, args.batch_size)),
            (SINGLE, lambda db: run_one_by_one(uri, db, items, 50)),
        ):
            for _ in range(repeat):
                db = f"kongblog_bench_{uuid.uuid4().hex[:8]}"
                try:
                    for run in RUNS:
                        best[label, run] = min(best.get((label, run), float("inf")), write(db))
                finally:
                    client.drop_database(db)
        history = history_cost(uri, client, items, args.batch_size, args.changed)
    finally:
        client.close()
        if server is not None:
            server.cleanup()

    where = "SecantusDB started here" if server else "the server at --uri"
    print_table(
        f"MongoDB bulk vs one write per item: {n_items} items, best of {repeat}",
        ["mode", "run", "seconds", "items/s", "speed-up"],
        [
            [label, run, seconds, n_items / seconds, f"{best[SINGLE, run] / seconds:.1f}x"]
            for (label, run), seconds in best.items()
        ],
        [f"server: {where}; speed-up = update_one per item's seconds / this row's."],
    )
    print_table(
        f"MongoDB re-crawl with and without history: {n_items} items, {args.changed:.0%} edited, one run each",
        ["pipeline", "seconds", "items/s", "vs no history"],
        history,
        ["The same pipeline (batch of the first table) re-crawling the same collection after a first crawl."],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
