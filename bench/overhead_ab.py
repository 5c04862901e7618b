"""(1b) benchmark (1) for two checkouts in one run: did a change add overhead?

    git worktree add /tmp/kongblog-old 4c20478
    .venv/bin/python -m bench.overhead_ab --old-tree /tmp/kongblog-old --pages 200 --repeat 3

The full crawl (render=auto, MongoDB) and the render=never crawl without
MongoDB of this checkout and of ``--old-tree``, and the bare floor, alternate
(A B C ... then backwards) on one warmed-up replica and one SecantusDB
server, so that the machine's drift hits every variant alike. The absolute
ratio moves with the machine from one day to the next; the difference
between the two checkouts in one run is what this measures.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/overhead_ab.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import uuid

from bench.common import LISTING, REPO, base_parser, median_times, print_table, run_spider, warm, workdir
from replica import ReplicaServer
from tests.support.mongo import SecantusServer


def measure(old_tree: Path, pages: int, repeat: int) -> dict[str, list]:
    plan = []
    for name, tree in (("this checkout", REPO), ("old tree", old_tree)):
        plan += [(f"{name}: full", tree, "kongblog", True), (f"{name}: render=never, no MongoDB", tree, "kongblog", False)]
    plan.append(("bare floor", REPO, "bench_bare", False))
    runs: dict[str, list] = {}
    base = workdir("overhead-ab")
    with ReplicaServer(pages=pages) as server, SecantusServer(storage_path=":memory:") as mongo:
        expected = len(server.expected_items())
        warm(server, pages)
        for round_ in range(repeat):
            for index, (label, tree, spider, store) in enumerate(plan if round_ % 2 == 0 else plan[::-1]):
                settings = {"MONGO_URI": mongo.uri, "MONGO_DATABASE": f"ab_{uuid.uuid4().hex[:8]}"} if store else {}
                args = {"render": "never"} if spider == "kongblog" and not store else None
                run = run_spider(
                    server.url(LISTING), base / f"{round_}-{index}", spider=spider, label=label,
                    args=args, settings=settings, server=server, tree=tree,
                ).check(expected)
                runs.setdefault(label, []).append(run)
    return runs


def report(old_tree: Path, pages: int, repeat: int, runs: dict[str, list]) -> str:
    floor, floor_engine = median_times(runs["bare floor"])
    rows = []
    for label, measured in runs.items():
        wall, engine = median_times(measured)
        rows.append([label, wall, engine, f"{wall / floor:.2f}x", f"{engine / floor_engine:.2f}x"])
    return print_table(
        f"crawl overhead A/B: {pages} pages, median of {repeat} (old tree: {old_tree})",
        ["variant", "wall s", "engine s", "wall ratio", "engine ratio"],
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.split("\n\n")[0], pages=200, repeat=3)
    parser.add_argument("--old-tree", type=Path, required=True, help="a checkout (git worktree) of the other commit")
    args = parser.parse_args(argv)
    pages, repeat = (5, 1) if args.tiny else (args.pages, args.repeat)
    report(args.old_tree, pages, repeat, measure(args.old_tree.resolve(), pages, repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
