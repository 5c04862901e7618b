"""(7) Reading a listing page whose pagination widget holds thousands of links (issue 20: 16,000
links took 6.2 s, 32,000 took 31 s). CPU seconds (``process_time``) of ``read_listing`` on a page
of twelve cards and one widget, best of ``--repeat`` runs per size, and the ratio to the size
before it: linear work gives about the ratio of the sizes (2x, 2.5x), a square four times that.

    .venv/bin/python -m bench.widget --sizes 5000,10000,20000,50000 --repeat 3
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if not __package__:  # run as a file: the repo, not bench/, on the path
    sys.path[0] = str(Path(__file__).resolve().parents[1])

URL = "https://blog.test/blog/engineering/page/3"
EXCERPT = "A paragraph long enough to be an excerpt, about gateways, plugins and the people who run them."
WIDGETS = {
    "one row of links": lambda n: "<div>" + "".join(
        f'<a href="/blog/engineering/page/{k}">{k}</a>' for k in range(1, n + 1)) + "</div>",
    "a list of list items": lambda n: "<nav><ul>" + "".join(
        f'<li><a href="/blog/engineering/page/{k}">{k}</a></li>' for k in range(1, n + 1)) + "</ul></nav>",
    "two-link widgets": lambda n: "".join(
        f'<div><a href="/blog/engineering/page/{k}">{k}</a><a href="/blog/engineering/page/{k + 1}">{k + 1}</a></div>'
        for k in range(1, n + 1, 2)),
}


def page(widget: str) -> str:
    cards = "".join(
        f'<article><h3><a href="/blog/engineering/post-{k}">Title of post {k}</a></h3>'
        f"<p>Feb 7, 2023</p><p>{EXCERPT}</p></article>"
        for k in range(12)
    )
    return f"<html><body><h1>Engineering</h1><section>{cards}</section>{widget}</body></html>"


def seconds(html: str, repeat: int) -> float:
    from kongblog.extraction.listing import read_listing
    from tests.support.responses import html_root

    best = float("inf")
    for _ in range(repeat):
        root = html_root(html, URL)  # parsing is not timed: read_listing strips the tree it reads
        started = time.process_time()
        listing = read_listing(root, URL, 3)
        best = min(best, time.process_time() - started)
        assert len(listing.cards) == 12 and listing.pagination.last_page, "the page was misread"
    return best


def main(argv: list[str] | None = None) -> int:
    from bench.common import base_parser, print_table

    parser = base_parser(__doc__.split("\n\n")[0], pages=0, repeat=3)
    parser.add_argument("--sizes", default="5000,10000,20000,50000", help="links in the widget, comma-separated")
    args = parser.parse_args(argv)
    sizes, repeat = ([500, 1000], 1) if args.tiny else ([int(s) for s in args.sizes.split(",")], args.repeat)
    rows = []
    for name, widget in WIDGETS.items():
        previous = None
        for size in sizes:
            cpu = seconds(page(widget(size)), repeat)
            ratio = f"{cpu / previous[1]:.2f}x for {size / previous[0]:g}x links" if previous else ""
            rows.append([name, size, cpu, ratio])
            previous = (size, cpu)
    print_table(
        f"read_listing on a page with a large pagination widget, best of {repeat}",
        ["widget", "links", "CPU s", "against the size before"],
        rows,
        ["CPU seconds of read_listing alone (process_time); the page is parsed before the clock starts."],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
