"""(3) Incremental re-crawl vs full crawl, after a few new posts.

    .venv/bin/python -m bench.incremental_recrawl --pages 200 --new-posts 3

A full crawl of the replica makes ``posts.jsonl``; then ``--new-posts`` fresh
posts appear on top of page 1 and the blog is crawled again, alternately in
full and with ``-a mode=incremental -a known=<that posts.jsonl>``. Listing
requests are the replica's own count of listing-page GET/HEADs (retries and
redirects included). No MongoDB: the known posts come from the export.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/incremental_recrawl.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

from bench.common import LISTING, base_parser, median_times, print_table, run_spider, warm, workdir
from replica import ReplicaServer


def measure(pages: int, new_posts: int, repeat: int) -> tuple[dict[str, list], int, int]:
    base = workdir("incremental")
    runs: dict[str, list] = {}
    with ReplicaServer(pages=pages) as server:
        start_url = server.url(LISTING)
        warm(server, pages)
        first = run_spider(start_url, base / "first", label="first full crawl", server=server)
        first.check(len(server.expected_items()))
        server.set_options(new_posts=new_posts)
        expected = len(server.expected_items())
        now_pages = max(item["listing_page"] for item in server.expected_items())
        warm(server, now_pages)
        plan = [
            ("full re-crawl", {}, expected),
            ("incremental re-crawl", {"mode": "incremental", "known": str(first.result.output)}, new_posts),
        ]
        for round_ in range(repeat):
            for label, args, items in plan if round_ % 2 == 0 else reversed(plan):
                run = run_spider(start_url, base / f"{label.replace(' ', '_')}-{round_}", label=label,
                                 args=args, server=server)
                runs.setdefault(label, []).append(run.check(items))
    return runs, pages, now_pages


def report(runs: dict[str, list], pages: int, now_pages: int, new_posts: int, repeat: int) -> str:
    full_wall, full_engine = median_times(runs["full re-crawl"])
    rows = []
    for label, measured in runs.items():
        wall, engine = median_times(measured)
        rows.append([
            label, measured[0].listing_requests, int(measured[0].stats.get("downloader/request_count", 0)),
            measured[0].items, wall, engine, f"{wall / full_wall:.2f}x", f"{engine / full_engine:.2f}x",
        ])
    return print_table(
        f"incremental vs full re-crawl: {pages} pages + {new_posts} new posts ({now_pages} pages), median of {repeat}",
        ["crawl", "listing requests", "all requests", "items", "wall s", "engine s", "wall vs full",
         "engine vs full"],
        rows,
        ["all requests = Scrapy's downloader/request_count (robots.txt and redirects included)."],
    )


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.split("\n\n")[0], pages=200, repeat=3)
    parser.add_argument("--new-posts", type=int, default=3, help="fresh posts before the re-crawl (default 3)")
    args = parser.parse_args(argv)
    pages, repeat = (5, 1) if args.tiny else (args.pages, args.repeat)
    runs, pages, now_pages = measure(pages, args.new_posts, repeat)
    report(runs, pages, now_pages, args.new_posts, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
