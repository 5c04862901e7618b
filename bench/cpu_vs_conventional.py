"""(7) kongblog's CPU against the conventional spider for one known markup (issue 22's yardstick).

    .venv/bin/python -m bench.cpu_vs_conventional --pages 200 --repeat 3

``conventional``: ``bench_conventional`` (bench/spiders/conventional.py), CSS selectors written for the
replica's default ``utility`` markup (the Next.js build: ``/_next/image`` proxy) plus a ``scrapy``
``ItemLoader``, every field of kongblog's item. ``kongblog``: ``scrapy crawl kongblog`` with its
defaults (render=auto, validate -> dedupe; the store is off without MONGO_URI). Both as subprocesses
with the same settings (the project's, AutoThrottle off, no MongoDB) and the same JSON lines export, on
one warmed-up replica. CPU = user + system seconds of the crawl process (``os.wait4``'s rusage), the best
of ``--repeat`` rounds that alternate the order (K C, C K, K C ...). Every run must exit 0 with every post
of the replica's truth; the two exports are then compared field by field (``scraped_at`` aside).
The last line is ``ratio kongblog/conventional: <x>``.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/cpu_vs_conventional.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

from bench.common import LISTING, base_parser, print_table, run_spider, warm, workdir
from replica import ReplicaServer

TARGET = 1.1
SPIDERS = {"kongblog": "kongblog", "conventional": "bench_conventional"}
COMPARED = ("slug", "url", "title", "category", "category_slug", "published", "excerpt", "excerpt_truncated",
            "authors", "image_url", "image_alt", "listing_page", "listing_position", "listing_url")


def measure(pages: int, repeat: int) -> dict[str, list]:
    runs: dict[str, list] = {label: [] for label in SPIDERS}
    base = workdir("conventional")
    with ReplicaServer(pages=pages) as server:
        expected = len(server.expected_items())
        warm(server, pages)
        start_url = server.url(LISTING)
        order = list(SPIDERS.items())
        for round_ in range(repeat):
            for label, spider in order if round_ % 2 == 0 else reversed(order):
                run = run_spider(start_url, base / f"{label}-{round_}", spider=spider, label=label, server=server)
                runs[label].append(run.check(expected))
    return runs


def differences(kongblog: list[dict], conventional: list[dict]) -> dict[str, int]:
    """Per field, how many posts the two exports disagree on (a post missing from one: every field)."""
    ours = {item["slug"]: item for item in kongblog}
    theirs = {item["slug"]: item for item in conventional}
    counts = {name: 0 for name in COMPARED}
    for slug in ours.keys() | theirs.keys():
        a, b = ours.get(slug, {}), theirs.get(slug, {})
        for name in COMPARED:
            counts[name] += (name not in a) or (name not in b) or a[name] != b[name]
    return counts


def report(pages: int, repeat: int, runs: dict[str, list]) -> float:
    best = {label: min(run.cpu for run in measured) for label, measured in runs.items()}
    ratio = best["kongblog"] / best["conventional"]
    rows = [
        [label, best[label], ", ".join(f"{run.cpu:.2f}" for run in measured), measured[0].items,
         f"{best[label] / best['conventional']:.2f}x"]
        for label, measured in runs.items()
    ]
    diff = differences(runs["kongblog"][0].result.items, runs["conventional"][0].result.items)
    disagree = {name: count for name, count in diff.items() if count}
    verdict = "within" if ratio <= TARGET else "ABOVE"
    print_table(
        f"CPU vs the conventional spider: {pages} pages, best of {repeat} alternating rounds",
        ["spider", "best CPU s", "every round CPU s", "items", "ratio"],
        rows,
        [
            f"kongblog/conventional {ratio:.2f}x ({verdict} the target <= {TARGET}x).",
            "CPU = user + system seconds of the `scrapy crawl` process alone (os.wait4), imports and shutdown "
            "included.",
            "fields the two exports disagree on: "
            + (", ".join(f"{name} ({count} posts)" for name, count in disagree.items()) or "none")
            + f" (of {', '.join(COMPARED)}).",
        ],
    )
    print(f"ratio kongblog/conventional: {ratio:.2f}", flush=True)
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.split("\n\n")[0], pages=200, repeat=3)
    args = parser.parse_args(argv)
    pages, repeat = (5, 1) if args.tiny else (args.pages, args.repeat)
    report(pages, repeat, measure(pages, repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
