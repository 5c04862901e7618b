"""(11) Article bound: the cost of one 4 MB article page in an ``articles=1`` crawl.

A 2-page replica (30 posts) whose post 8 answers a 4 MB article page: one block of author links (the shape that
made the author-role reader quadratic). Each variant is one ``scrapy crawl kongblog -a articles=1``; wall and CPU
seconds of the crawl process, and what became of the big page. ``--before TREE`` also runs another checkout (the
code before the bound) with ``--patience`` seconds at most.

    python -m bench.article_bound [--size 4] [--before /path/to/old/checkout --patience 200]
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/article_bound.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.common import LISTING, base_parser, fmt, print_table, run_spider, workdir
from replica import ReplicaServer
from tests.support.overrides import answering, author_links_page


def outcome(run) -> str:
    stats = run.stats
    parts = [f"enriched {stats.get('kongblog/articles/enriched', 0)}"]
    for key, label in (("over_size_cap", "over the cap"), ("extraction_timeouts", "past the deadline")):
        if stats.get(f"kongblog/articles/{key}"):
            parts.append(f"{label} {stats[f'kongblog/articles/{key}']}")
    return ", ".join(parts) + f"; exit {run.result.returncode}"


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.split("\n\n")[0], pages=2)
    parser.add_argument("--size", type=float, default=4.0, help="MB of the big article page (default 4)")
    parser.add_argument("--before", type=Path, help="another checkout to run as the baseline")
    parser.add_argument("--patience", type=float, default=200.0, help="seconds the baseline may take (default 200)")
    args = parser.parse_args(argv)
    size = int((0.2 if args.tiny else args.size) * 1024 * 1024)
    variants = [("none (no big page)", {}, None, False), ("this checkout, defaults", {}, None, True),
                ("this checkout, KONGBLOG_ARTICLE_MAXSIZE=0 (no cap)", {"KONGBLOG_ARTICLE_MAXSIZE": "0"}, None, True)]
    if args.before:
        variants.append((f"{args.before.name} (before the bound)", {}, args.before, True))
    rows = []
    base = workdir("article-bound")
    with ReplicaServer(pages=args.pages) as server:
        big = server.expected_items()[7]["slug"]
        for n, (label, settings, tree, with_big) in enumerate(variants):
            pages = {f"{LISTING}/{big}": author_links_page(size)} if with_big else {}
            with answering(server, pages):
                try:
                    run = run_spider(server.url(LISTING), base / str(n), args={"render": "never", "articles": 1},
                                     settings=settings, timeout=args.patience, **({"tree": tree} if tree else {}))
                except TimeoutError:
                    rows.append([label, f"> {args.patience:g} (stopped)", "", "did not finish"])
                    continue
            rows.append([label, fmt(run.wall), fmt(run.cpu), outcome(run)])
    print_table(f"(8) one {size / 2**20:g} MB article page, articles=1, {args.pages} listing pages",
                ["big article page", "wall s", "CPU s", "articles"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
