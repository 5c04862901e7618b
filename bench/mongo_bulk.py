"""(2) MongoDB: the store pipeline's bulk writes vs one write per item.

    .venv/bin/python -m bench.mongo_bulk --items 2000

Runs ``bench/bench_mongo_bulk.py`` (a colleague's; its own SecantusDB server, N synthetic
cards written twice per mode: first crawl = inserts, re-crawl = updates; best
of ``--repeat``) in a subprocess, prints its output unchanged and the same
figures as a table.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/mongo_bulk.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

import argparse
import re
import subprocess
import sys

from bench.common import REPO, print_table

SCRIPT = REPO / "bench" / "bench_mongo_bulk.py"
_ROW = re.compile(r"^(?P<mode>.+?)\s{2,}(?P<run>(?:first crawl|re-crawl) \(\w+\))\s+(?P<seconds>[\d.]+)\s+(?P<rate>\d+)\s*$")
_SPEEDUP = re.compile(r"^speed-up of bulk over update_one, (?P<run>.+): (?P<factor>[\d.]+)x$")


def run_script(items: int, repeat: int, batch_size: int) -> str:
    # As a module: with the repo (not bench/) first on sys.path.
    command = [sys.executable, "-m", "bench.bench_mongo_bulk", "--items", str(items), "--repeat", str(repeat),
               "--batch-size", str(batch_size)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{SCRIPT.name} exited {done.returncode}:\n{done.stdout}\n{done.stderr[-3000:]}")
    return done.stdout


def report(items: int, repeat: int, output: str) -> str:
    print(output.rstrip() + "\n", flush=True)
    speedups = {m["run"]: m["factor"] for m in map(_SPEEDUP.match, output.splitlines()) if m}
    rows = []
    for match in filter(None, map(_ROW.match, output.splitlines())):
        single = match["mode"].startswith("update_one")
        rows.append([
            match["mode"].strip(), match["run"], float(match["seconds"]), int(match["rate"]),
            "1.0x" if single else f"{speedups.get(match['run'], '?')}x",
        ])
    if not rows:
        raise RuntimeError(f"no result rows in the output of {SCRIPT.name}:\n{output}")
    return print_table(
        f"MongoDB bulk vs one write per item: {items} items, best of {repeat}",
        ["mode", "run", "seconds", "items/s", "speed-up"],
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=2000, help="cards per run (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode, best kept (default 3)")
    parser.add_argument("--batch-size", type=int, default=100, help="MONGO_BATCH_SIZE (default 100)")
    parser.add_argument("--tiny", action="store_true", help="smoke-test size")
    args = parser.parse_args(argv)
    items, repeat = (100, 1) if args.tiny else (args.items, args.repeat)
    report(items, repeat, run_script(items, repeat, args.batch_size))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
