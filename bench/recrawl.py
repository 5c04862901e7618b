"""(8) Conditional re-crawls: what re-crawling an unchanged blog costs the site, without and with the HTTP cache.

    .venv/bin/python -m bench.recrawl --pages 20

For each variant ("before": HTTPCACHE_ENABLED=False, as kongblog was; "after": the cache on, its own
directory), a first full crawl of the replica, then, with the blog unchanged, a full re-crawl and an
incremental run (``-a mode=incremental -a known=<the first crawl's posts.jsonl>``). Counted by the
replica: every request it answered (robots.txt included), those answered 304, and the body bytes it
sent (status lines and headers, a few hundred bytes a response, are not counted).
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/recrawl.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

from bench.common import LISTING, base_parser, print_table, run_spider, warm, workdir
from replica import ReplicaServer

VARIANTS = (("before (no cache)", False), ("after (HTTP cache)", True))


def measure(pages: int) -> list[list]:
    rows = []
    with ReplicaServer(pages=pages) as server:
        start_url, expected = server.url(LISTING), len(server.expected_items())
        warm(server, pages)
        for variant, enabled in VARIANTS:
            base = workdir("recrawl")
            settings = {"HTTPCACHE_ENABLED": str(enabled), "HTTPCACHE_DIR": str(base / "httpcache")}
            first = run_spider(start_url, base / "first", label="first", settings=settings, server=server)
            first.check(expected)
            plan = (("full re-crawl", {}, expected),
                    ("incremental run", {"mode": "incremental", "known": str(first.result.output)}, 0))  # fmt: skip
            for crawl, args, items in plan:
                run = run_spider(start_url, base / crawl.replace(" ", "_"), label=crawl, args=args,
                                 settings=settings, server=server).check(items)  # fmt: skip
                rows.append([
                    variant, crawl, server.hits.total(), run.listing_requests, server.not_modified.total(),
                    server.bytes_sent.total(), run.items,
                ])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.split("\n\n")[0], pages=20)
    args = parser.parse_args(argv)
    pages = 3 if args.tiny else args.pages
    print_table(
        f"re-crawls of an unchanged blog: {pages} listing pages",
        ["variant", "crawl", "requests", "listing requests", "answered 304", "body bytes", "items"],
        measure(pages),
        ["requests: every request the replica answered (robots.txt included); body bytes: what it sent."],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
