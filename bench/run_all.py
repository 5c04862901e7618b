"""Every benchmark, one after the other, each printing its table(s).

    .venv/bin/python -m bench                      # full size (tens of minutes)
    .venv/bin/python -m bench --tiny               # smoke size (well under a minute)
    .venv/bin/python -m bench --pages 200 --sizes 20,200 --only overhead,memory

``--pages`` sizes the overhead (1), incremental (3) and conventional (7) replicas; render (4) and
naive (6) use the 20-page replica; ``--sizes`` are the memory (5) crawls;
``--items`` the MongoDB bulk (2) run.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/run_all.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

import argparse
import time

from bench import cpu_vs_conventional, crawl_overhead, incremental_recrawl, memory, mongo_bulk, naive_next, render

BENCHES = {
    "overhead": crawl_overhead,
    "mongo": mongo_bulk,
    "incremental": incremental_recrawl,
    "render": render,
    "memory": memory,
    "naive": naive_next,
    "conventional": cpu_vs_conventional,
}


def bench_argv(name: str, args: argparse.Namespace) -> list[str]:
    if args.tiny:
        return ["--tiny"]
    repeat = ["--repeat", str(args.repeat)]
    return {
        "overhead": ["--pages", str(args.pages), *repeat],
        "mongo": ["--items", str(args.items), *repeat],
        "incremental": ["--pages", str(args.pages), *repeat],
        "render": ["--pages", "20", *repeat],
        "memory": ["--sizes", args.sizes],
        "naive": ["--pages", "20", "--delay", "0.2", *repeat],
        "conventional": ["--pages", str(args.pages), *repeat],
    }[name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="smoke-test size for every benchmark")
    parser.add_argument("--pages", type=int, default=200, help="replica size of benchmarks 1 and 3 (default 200)")
    parser.add_argument("--sizes", default="20,200,2000", help="memory benchmark sizes (default 20,200,2000)")
    parser.add_argument("--items", type=int, default=2000, help="MongoDB bulk benchmark items (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per variant (default 3)")
    parser.add_argument("--only", default=",".join(BENCHES), help=f"comma-separated subset of {','.join(BENCHES)}")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(names) - set(BENCHES))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    for name in names:
        started = time.perf_counter()
        BENCHES[name].main(bench_argv(name, args))
        print(f"({name}: {time.perf_counter() - started:.0f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
