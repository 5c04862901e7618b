"""(4) Adaptive rendering: render=auto vs render=always.

    .venv/bin/python -m bench.render --pages 20 --js-page 7

The replica has one JavaScript-only listing page (``--js-page``: its cards
are built by an inline script). ``auto`` fetches every page over plain HTTP
and sends only the page without cards to Chromium; ``always`` renders every
listing page in Chromium (/usr/bin/chromium, or KONGBLOG_CHROMIUM_PATH).
Both must yield every post of the truth. The peak RSS is the crawl process's
own (Chromium's processes are not included).
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/render.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

from bench.common import LISTING, base_parser, median, median_times, print_table, run_spider, warm, workdir
from kongblog.settings import KONGBLOG_CHROMIUM_PATH
from replica import ReplicaServer


def measure(pages: int, js_page: int, repeat: int) -> dict[str, list]:
    base = workdir("render")
    runs: dict[str, list] = {}
    with ReplicaServer(pages=pages, js_pages={js_page}) as server:
        expected = len(server.expected_items())
        warm(server, pages)
        plan = ["auto", "always"]
        for round_ in range(repeat):
            for mode in plan if round_ % 2 == 0 else reversed(plan):
                run = run_spider(server.url(LISTING), base / f"{mode}-{round_}", label=f"render={mode}",
                                 args={"render": mode}, server=server)
                runs.setdefault(run.label, []).append(run.check(expected))
    return runs


def report(runs: dict[str, list], pages: int, js_page: int, repeat: int) -> str:
    auto_wall, _ = median_times(runs["render=auto"])
    rows = []
    for label, measured in runs.items():
        wall, engine = median_times(measured)
        stats = measured[0].stats
        rows.append([
            label, int(stats.get("kongblog/render/browser_pages", 0)), int(stats.get("kongblog/render/escalated", 0)),
            measured[0].listing_requests, measured[0].items, wall, engine,
            f"{wall / auto_wall:.2f}x", median(r.peak_rss_mb for r in measured),
        ])
    return print_table(
        f"render auto vs always: {pages} pages, JS page {js_page}, median of {repeat}",
        ["mode", "browser pages", "escalated", "listing requests", "items", "wall s", "engine s", "wall vs auto",
         "peak RSS MB"],
        rows,
        ["listing requests: what the replica served (HTTP fetches and the browser's page loads)."],
    )


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.split("\n\n")[0], pages=20, repeat=3)
    parser.add_argument("--js-page", type=int, default=7, help="the JavaScript-only listing page (default 7)")
    args = parser.parse_args(argv)
    if KONGBLOG_CHROMIUM_PATH is None:
        print("### render auto vs always: skipped\n\nno Chromium found (see docs/benchmarks.md)\n")
        return 0
    pages, repeat, js_page = (3, 1, 2) if args.tiny else (args.pages, args.repeat, args.js_page)
    report(measure(pages, js_page, repeat), pages, js_page, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
