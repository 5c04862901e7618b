"""(1d) benchmark (1) counted in instructions: the crawl process's own work.

    .venv/bin/python -m bench.crawl_instructions --pages 200
    .venv/bin/python -m bench.crawl_instructions --pages 200 --old-tree /tmp/kongblog-old

Seconds on this shared two-core machine move by tens of percent from one run
to the next, and in (1) the SecantusDB server competes with the crawl for the
same two cores. valgrind's callgrind counts the instructions a process
executes instead: the same code on the same input gives the same count
whatever else the machine is doing, so one run a variant is enough and two
variants run at a time. The count covers the crawl process alone (Python's
start and imports included, as (1)'s wall time does), not the replica nor
the MongoDB server. Under valgrind a crawl runs 30-50 times slower: a few
minutes a variant at 200 pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/crawl_instructions.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

import re
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor

from bench.common import LISTING, REPO, base_parser, print_table, run_spider, warm, workdir
from bench.crawl_overhead import TARGET
from replica import ReplicaServer
from tests.support.mongo import SecantusServer

COLLECTED = re.compile(r"==\d+== Collected : (\d+)")
# valgrind slows the MongoDB client as much as the crawl: give the store's timeouts room.
SLOW_CLIENT = {
    "MONGO_SERVER_SELECTION_TIMEOUT_MS": 120_000,
    "MONGO_CONNECT_TIMEOUT_MS": 120_000,
    "MONGO_SOCKET_TIMEOUT_MS": 300_000,
}


def plan(old_tree: Path | None) -> list[tuple[str, Path, str, dict | None, bool]]:
    """(label, checkout, spider, spider arguments, with MongoDB) of each variant."""
    trees = [("", REPO)] + ([("old tree: ", old_tree)] if old_tree else [])
    variants = []
    for prefix, tree in trees:
        variants += [
            (f"{prefix}kongblog full", tree, "kongblog", None, True),
            (f"{prefix}kongblog render=never, no MongoDB", tree, "kongblog", {"render": "never"}, False),
        ]
    return variants + [("bare floor", REPO, "bench_bare", None, False)]


def count(run) -> int:
    """The instructions callgrind collected (its summary line in the crawl's log)."""
    found = COLLECTED.findall(run.result.log)
    if not found:
        raise RuntimeError(f"{run.label}: no callgrind total in the log\n{run.result.log[-3000:]}")
    return int(found[-1])


def measure(pages: int, old_tree: Path | None) -> dict[str, tuple[int, int]]:
    """label -> (instructions, items) of each variant, two variants at a time."""
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    base = workdir("instructions")
    with ReplicaServer(pages=pages) as server, SecantusServer(storage_path=":memory:") as mongo:
        expected = len(server.expected_items())
        warm(server, pages)

        def one(index: int, label: str, tree: Path, spider: str, args: dict | None, store: bool):
            settings = {"MONGO_URI": mongo.uri, "MONGO_DATABASE": f"ir_{uuid.uuid4().hex[:8]}", **SLOW_CLIENT}
            folder = base / f"variant-{index}"
            wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder / 'callgrind.out'}"]
            run = run_spider(
                server.url(LISTING), folder, spider=spider, label=label, args=args,
                settings=settings if store else {}, env={"PYTHONHASHSEED": "0"}, tree=tree, wrapper=wrapper,
            ).check(expected)
            if store:
                stored = sum(run.stats.get(f"kongblog/mongo/{k}", 0) for k in ("upserted", "modified", "unchanged"))
                if stored != expected:
                    raise RuntimeError(f"{label}: {stored} documents stored, expected {expected}")
            return label, (count(run), run.items)

        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(one, index, *variant) for index, variant in enumerate(plan(old_tree))]
            return dict(future.result() for future in futures)


def report(pages: int, counted: dict[str, tuple[int, int]], old_tree: Path | None) -> str:
    floor = counted["bare floor"][0]
    rows = [
        [label, f"{instructions / 1e9:.2f}", items, f"{instructions / floor:.2f}x"]
        for label, (instructions, items) in counted.items()
    ]
    full = counted["kongblog full"][0] / floor
    verdict = "within" if full <= TARGET else "ABOVE"
    return print_table(
        f"crawl instructions: {pages} pages" + (f" (old tree: {old_tree})" if old_tree else ""),
        ["variant", "instructions (billions)", "items", "ratio"],
        rows,
        [
            f"kongblog full executes {full:.2f}x the bare floor's instructions ({verdict} the target <= {TARGET}x).",
            "callgrind's total for the crawl process alone (valgrind --tool=callgrind), PYTHONHASHSEED=0; "
            "the replica and the SecantusDB server are not counted.",
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.split("\n\n")[0], pages=200)
    parser.add_argument("--old-tree", type=Path, help="another checkout (git worktree), counted beside this one")
    args = parser.parse_args(argv)
    pages = 3 if args.tiny else args.pages
    old_tree = args.old_tree.resolve() if args.old_tree else None
    report(pages, measure(pages, old_tree), old_tree)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
