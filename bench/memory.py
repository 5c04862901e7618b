"""(5) Peak RSS of the crawl process for growing blogs.

    .venv/bin/python -m bench.memory --sizes 20,200,2000

One full kongblog crawl per size, as in production: defaults (render=auto),
every pipeline on, MongoDB on a SecantusDB server started here (fresh
database per crawl), JSON lines export. The peak RSS is the kernel's
high-water mark (VmHWM) of the ``scrapy crawl`` process itself. (Not the
``ru_maxrss`` of ``wait4``: Linux records there the size of the process's
memory before ``exec``, which for a child spawned by this script is this
script's own, replica included.)
Target: the largest peak within 1.5x of the smallest.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/memory.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

import argparse
import uuid

from bench.common import LISTING, print_table, run_spider, warm, workdir
from replica import ReplicaServer
from tests.support.mongo import SecantusServer

TARGET = 1.5


def measure(sizes: list[int], timeout: float) -> list:
    base = workdir("memory")
    runs = []
    with SecantusServer(storage_path=":memory:") as mongo:
        for pages in sizes:
            with ReplicaServer(pages=pages) as server:
                expected = len(server.expected_items())
                warm(server, pages)
                settings = {"MONGO_URI": mongo.uri, "MONGO_DATABASE": f"bench_{uuid.uuid4().hex[:8]}"}
                run = run_spider(server.url(LISTING), base / str(pages), label=f"{pages} pages",
                                 settings=settings, server=server, timeout=timeout)
                runs.append(run.check(expected))
    return runs


def report(runs: list) -> str:
    smallest = min(r.peak_rss_mb for r in runs)
    rows = [
        [r.label, r.items, r.wall, r.engine_seconds, r.peak_rss_mb, f"{r.peak_rss_mb / smallest:.2f}x"]
        for r in runs
    ]
    spread = max(r.peak_rss_mb for r in runs) / smallest
    verdict = "meets" if spread <= TARGET else "MISSES"
    return print_table(
        "peak RSS of the crawl process",
        ["replica", "items", "wall s", "engine s", "peak RSS MB", "vs smallest"],
        rows,
        [f"largest/smallest peak RSS {spread:.2f}x ({verdict} the target <= {TARGET}x)."],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,200,2000", help="listing pages per crawl (default 20,200,2000)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per crawl (default 3600)")
    parser.add_argument("--tiny", action="store_true", help="smoke-test size")
    args = parser.parse_args(argv)
    sizes = [2, 6] if args.tiny else [int(size) for size in args.sizes.split(",")]
    report(measure(sizes, args.timeout))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
