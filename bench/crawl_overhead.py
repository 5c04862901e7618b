"""(1) kongblog's full crawl vs a bare Scrapy spider over the same pages.

    .venv/bin/python -m bench.crawl_overhead --pages 200 --repeat 5

``kongblog full``: ``scrapy crawl kongblog`` with its defaults (render=auto,
validate -> dedupe -> MongoDB on a SecantusDB server started here, a fresh
database per run) and the JSON lines export. ``bare floor``: the
``bench_bare`` spider (bench/spiders/bare.py), same settings and the same
scheduling strategy, slugs by regex, no pipelines. Two more kongblog rows
(render=never; render=never without MongoDB) attribute the difference. The
variants alternate, each ``--repeat`` times, on one warmed-up replica
(every page fetched once beforehand); medians are printed. Every run must
yield every post of the replica's truth (and store it, with MongoDB).
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/crawl_overhead.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

import uuid

import psutil

from bench.common import LISTING, base_parser, median, median_times, print_table, run_spider, warm, workdir
from replica import ReplicaServer
from tests.support.mongo import SecantusServer

TARGET = 1.3


def variants(mongo_uri: str, attribution: bool = True):
    """(label, run_spider keyword arguments) of each variant; the middle two
    split kongblog's overhead into Playwright's start, the MongoDB store and
    the rest (card extraction, item loader, validation, dedupe)."""
    plan = [("kongblog full", dict(spider="kongblog", settings={"MONGO_URI": mongo_uri}))]
    if attribution:
        plan += [
            ("kongblog render=never", dict(spider="kongblog", args={"render": "never"},
                                           settings={"MONGO_URI": mongo_uri})),
            ("kongblog render=never, no MongoDB", dict(spider="kongblog", args={"render": "never"})),
        ]
    return plan + [("bare floor", dict(spider="bench_bare"))]


def measure(pages: int, repeat: int, attribution: bool = True) -> dict[str, list]:
    runs: dict[str, list] = {}
    base = workdir("overhead")
    with ReplicaServer(pages=pages) as server, SecantusServer(storage_path=":memory:") as mongo:
        expected = len(server.expected_items())
        warm(server, pages)
        start_url = server.url(LISTING)
        plan = variants(mongo.uri, attribution)
        for round_ in range(repeat):
            for label, kwargs in plan if round_ % 2 == 0 else reversed(plan):
                kwargs = dict(kwargs)
                settings = dict(kwargs.pop("settings", {}))
                if "MONGO_URI" in settings:
                    settings["MONGO_DATABASE"] = f"bench_{uuid.uuid4().hex[:8]}"
                store_server = psutil.Process(mongo.process.pid)
                before = sum(store_server.cpu_times()[:2])
                run = run_spider(
                    start_url, base / f"{label.replace(' ', '_')}-{round_}", label=label,
                    settings=settings, server=server, **kwargs,
                ).check(expected)
                run.extra["store_cpu"] = sum(store_server.cpu_times()[:2]) - before
                if "MONGO_URI" in settings:
                    stored = sum(run.stats.get(f"kongblog/mongo/{k}", 0) for k in ("upserted", "modified", "unchanged"))
                    if stored != expected:
                        raise RuntimeError(f"{label}: {stored} documents stored, expected {expected}")
                runs.setdefault(label, []).append(run)
    return runs


def report(pages: int, repeat: int, runs: dict[str, list]) -> str:
    floor, floor_engine = median_times(runs["bare floor"])
    floor_cpu = median(r.cpu for r in runs["bare floor"])
    rows = []
    for label, measured in runs.items():
        wall, engine = median_times(measured)
        cpu = median(r.cpu for r in measured)
        items = measured[0].items
        rows.append([
            label, wall, engine, items, items / wall, items / engine,
            median(r.peak_rss_mb for r in measured), f"{wall / floor:.2f}x", f"{engine / floor_engine:.2f}x",
            cpu, f"{cpu / floor_cpu:.2f}x", median(r.extra["store_cpu"] for r in measured),
        ])
    full = rows[0]
    verdict = "meets" if float(full[7].rstrip("x")) <= TARGET else "MISSES"
    return print_table(
        f"crawl overhead: {pages} pages, median of {repeat}",
        ["variant", "wall s", "engine s", "items", "items/s (wall)", "items/s (engine)", "peak RSS MB",
         "wall ratio", "engine ratio", "crawl CPU s", "CPU ratio", "store server CPU s"],
        rows,
        [
            f"full/bare wall-time ratio {full[7]} ({verdict} the target <= {TARGET}x); "
            f"engine-time ratio {full[8]}.",
            "wall = spawn to exit of `scrapy crawl` (imports and shutdown included); "
            "engine = Scrapy's elapsed_time_seconds (engine start to spider close); "
            "crawl CPU = user + system seconds of the crawl process alone; "
            "store server CPU = the SecantusDB server's, on the same two cores, during the run.",
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.split("\n\n")[0], pages=200, repeat=3)
    args = parser.parse_args(argv)
    pages, repeat = (5, 1) if args.tiny else (args.pages, args.repeat)
    report(pages, repeat, measure(pages, repeat, attribution=not args.tiny))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
