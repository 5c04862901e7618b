"""(1c) kongblog's own work per page, in one process, without the network, the
scheduler or the store: parse each replica page, read its listing, load its
cards, validate and deduplicate the items. CPU seconds (``process_time``)
for all pages, best of 5 passes in each process; the processes alternate
between this checkout and ``--old-tree`` (if given), ``--repeat`` rounds.

    .venv/bin/python -m bench.inprocess_ab --pages 200 --repeat 3 --old-tree /tmp/kongblog-old

Whole crawls (benchmark 1) move by tens of percent from one run to the next
on this machine; this isolates the code that a change to kongblog touches.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file (the workers are): the repo, not bench/, on the path
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import pickle
import subprocess
import tempfile
import time
import urllib.request

PASSES = 5


def worker(tree: str, pages_file: str) -> float:
    """The best of PASSES over the pages, with the kongblog of ``tree``."""
    sys.path.insert(0, tree)
    from scrapy import Selector
    from scrapy.exceptions import DropItem
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from kongblog.extraction.links import LinkResolver
    from kongblog.extraction.listing import read_listing
    from kongblog.loaders import PostLoader
    from kongblog.pipelines.deduplicate import DeduplicatePostPipeline
    from kongblog.pipelines.validate import ValidatePostPipeline

    with open(pages_file, "rb") as stored:
        start_url, pages = pickle.load(stored)

    def one_pass() -> float:
        crawler = get_crawler(settings_dict={})
        validate = ValidatePostPipeline.from_crawler(crawler)
        dedupe = DeduplicatePostPipeline.from_crawler(crawler)
        links, shape = LinkResolver(start_url), None
        started = time.process_time()
        for number, url, body in pages:
            response = HtmlResponse(url, body=body, encoding="utf-8")
            listing = read_listing(Selector(response).root, url, number, shape, links)
            shape = shape or (listing.shape if listing.cards else None)
            for card in listing.cards:
                item = PostLoader.load_card(card, url, number, "2026-01-01T00:00:00Z")
                try:
                    dedupe.process_item(validate.process_item(item))
                except DropItem:
                    pass
        return time.process_time() - started

    return min(one_pass() for _ in range(PASSES))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        print(f"{worker(argv[1], argv[2]):.4f}")
        return 0
    from bench.common import LISTING, REPO, base_parser, median, print_table
    from replica import ReplicaServer

    parser = base_parser(__doc__.split("\n\n")[0], pages=200, repeat=3)
    parser.add_argument("--old-tree", type=Path, help="another checkout of kongblog, measured alternately")
    args = parser.parse_args(argv)
    pages, repeat = (5, 1) if args.tiny else (args.pages, args.repeat)
    trees = [("this checkout", REPO)] + ([("old tree", args.old_tree.resolve())] if args.old_tree else [])
    with ReplicaServer(pages=pages) as server, tempfile.TemporaryDirectory() as scratch:
        start_url = server.url(LISTING)
        fetched = []
        for number in range(1, pages + 1):
            url = start_url if number == 1 else f"{start_url}/page/{number}"
            with urllib.request.urlopen(url) as response:
                fetched.append((number, url, response.read()))
        pages_file = Path(scratch) / "pages.pickle"
        pages_file.write_bytes(pickle.dumps((start_url, fetched)))
        seconds: dict[str, list[float]] = {}
        for round_ in range(repeat):
            for label, tree in trees if round_ % 2 == 0 else reversed(trees):
                command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(tree), str(pages_file)]
                output = subprocess.run(command, cwd=tree, check=True, capture_output=True, text=True).stdout
                seconds.setdefault(label, []).append(float(output.split()[-1]))
    print_table(
        f"kongblog's work in one process: {pages} pages, best of {PASSES} passes, {repeat} processes each",
        ["tree", "CPU s (median)", "CPU s (each process)", "ms a page"],
        [[label, median(runs), " ".join(f"{run:.2f}" for run in runs), 1000 * median(runs) / pages]
         for label, runs in seconds.items()],
        ["parse + read_listing + PostLoader.load_card + validate + dedupe; no network, scheduler, export or store."],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
