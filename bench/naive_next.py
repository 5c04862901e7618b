"""(6) Chasing "Next" one page at a time vs kongblog's concurrent scheduling.

    .venv/bin/python -m bench.naive_next --pages 20 --delay 0.2

The replica sleeps ``--delay`` seconds before every response (a slow site).
``naive Next-chasing``: the ``bench_naive`` spider (bench/spiders/bare.py),
which follows the "Next" link from page to page, the first thing a user
writes. ``kongblog``: the real spider (defaults, no MongoDB), which requests
every page at once when page 1 shows the last page number. ``bare
concurrent``: the floor spider of bench 1 with the same strategy. Same
settings for all (CONCURRENT_REQUESTS=8, 4 per domain, no AutoThrottle).
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/naive_next.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

from bench.common import LISTING, base_parser, median_times, print_table, run_spider, warm, workdir
from replica import ReplicaServer

PLAN = [
    ("naive Next-chasing", "bench_naive"),
    ("kongblog", "kongblog"),
    ("bare concurrent", "bench_bare"),
]


def measure(pages: int, delay: float, repeat: int) -> dict[str, list]:
    base = workdir("naive")
    runs: dict[str, list] = {}
    with ReplicaServer(pages=pages) as server:
        expected = len(server.expected_items())
        warm(server, pages)
        server.set_options(delay=delay)
        for round_ in range(repeat):
            for label, spider in PLAN if round_ % 2 == 0 else reversed(PLAN):
                run = run_spider(server.url(LISTING), base / f"{spider}-{round_}", spider=spider, label=label,
                                 server=server)
                runs.setdefault(label, []).append(run.check(expected))
    return runs


def report(runs: dict[str, list], pages: int, delay: float, repeat: int) -> str:
    naive_wall, naive_engine = median_times(runs["naive Next-chasing"])
    rows = []
    for label, measured in runs.items():
        wall, engine = median_times(measured)
        rows.append([
            label, measured[0].listing_requests, measured[0].items, wall, engine, pages / engine,
            f"{naive_wall / wall:.2f}x", f"{naive_engine / engine:.2f}x",
        ])
    return print_table(
        f"naive Next-chasing vs concurrent: {pages} pages, {delay:g} s per response, median of {repeat}",
        ["spider", "listing requests", "items", "wall s", "engine s", "pages/s (engine)", "speed-up (wall)",
         "speed-up (engine)"],
        rows,
        [f"lower bound for one page at a time: {pages + 1} responses x {delay:g} s = {(pages + 1) * delay:.1f} s "
         "(robots.txt included)."],
    )


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.split("\n\n")[0], pages=20, repeat=3)
    parser.add_argument("--delay", type=float, default=0.2, help="seconds before every response (default 0.2)")
    args = parser.parse_args(argv)
    pages, repeat, delay = (5, 1, 0.1) if args.tiny else (args.pages, args.repeat, args.delay)
    report(measure(pages, delay, repeat), pages, delay, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
