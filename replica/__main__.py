"""``python -m replica``: serve the replica, or dump its ground truth.

    python -m replica --port 8000 [--markup semantic] [--pages 20] [--page-size 15]
                      [--js-pages 3,7] [--empty-pages 5] [--new-posts 3] [--delay 0.2]
                      [--markup generated --template-seed 7] [--traps far_links,author_avatars]
                      [--disallowed-pages 7] [--mislabeled-charset-page 2] [--unicode-slug-page 4]
                      [--deep-nesting-page 3] [--looping-script-page 9]
                      [--widget-last-page 99999]
    python -m replica --truth [--port 8000 ...]          # expected items, JSON lines
    python -m replica --truth-articles [--port 8000 ...] # article truth, JSON lines
"""

from __future__ import annotations

import argparse
import json
import sys

from .options import MARKUPS, TRAPS, ReplicaOptions
from .server import ReplicaServer
from .site import expected_articles, expected_items


def _pages(text: str) -> frozenset[int]:
    try:
        return frozenset(int(v) for v in text.replace(" ", "").split(",") if v)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected page numbers like 3,7: {text!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m replica", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="0 picks a free port (default 8000)")
    p.add_argument("--truth", action="store_true", help="print expected items as JSON lines and exit")
    p.add_argument("--truth-articles", action="store_true", help="print article truth as JSON lines and exit")
    p.add_argument("--verbose", action="store_true", help="log every request")
    g = p.add_argument_group("content")
    g.add_argument("--markup", choices=MARKUPS, default="utility")
    g.add_argument("--template-seed", type=int, default=0, help="template of --markup generated")
    g.add_argument("--pages", type=int, default=20)
    g.add_argument("--page-size", type=int, default=15)
    g.add_argument("--category", default="engineering")
    g.add_argument("--revision", type=int, default=0)
    g.add_argument("--new-posts", type=int, default=0)
    g.add_argument("--removed-posts", default="", help="comma-separated slugs taken off the blog")
    g.add_argument("--js-pages", type=_pages, default=frozenset())
    g.add_argument("--empty-pages", type=_pages, default=frozenset())
    g.add_argument("--delay", type=float, default=0.0)
    f = p.add_argument_group("faults")
    f.add_argument("--fail-first", type=_pages, default=frozenset())
    f.add_argument("--reset-pages", type=_pages, default=frozenset())
    f.add_argument("--slow-once", type=_pages, default=frozenset())
    f.add_argument("--slow-seconds", type=float, default=3.0)
    f.add_argument("--duplicate-card", type=_pages, default=frozenset())
    f.add_argument("--broken-html-pages", type=_pages, default=frozenset())
    f.add_argument("--huge-page", type=int)
    f.add_argument("--invalid-utf8-page", type=int)
    f.add_argument("--offsite-link", type=int)
    f.add_argument("--redirect-offsite-page", type=int)
    f.add_argument("--disallowed-pages", type=_pages, default=frozenset(),
                   help="robots.txt forbids exactly these listing pages (their posts leave the truth)")
    f.add_argument("--mislabeled-charset-page", type=int, help="Latin-1 body labelled utf-8")
    f.add_argument("--unicode-slug-page", type=int, help="N >= 2: last post of page N-1 gets a 'café-' slug")
    f.add_argument("--deep-nesting-page", type=int, help="cards from position 8 on inside 2,500 nested <div>s")
    f.add_argument("--looping-script-page", type=int, help="no cards, a script that loops forever after load")
    f.add_argument("--widget-last-page", type=int, help="the pagination widget claims this last page")
    t = p.add_argument_group("traps")
    t.add_argument("--traps", default="", help=f"comma-separated, any of: {', '.join(TRAPS)}")
    return p


def options_from_args(args: argparse.Namespace) -> ReplicaOptions:
    return ReplicaOptions(
        markup=args.markup, pages=args.pages, page_size=args.page_size, category=args.category,
        delay=args.delay, js_pages=args.js_pages, empty_pages=args.empty_pages,
        revision=args.revision, new_posts=args.new_posts, removed_posts=args.removed_posts,
        fail_first=args.fail_first,
        reset_pages=args.reset_pages, slow_once=args.slow_once, slow_seconds=args.slow_seconds,
        duplicate_card=args.duplicate_card, broken_html_pages=args.broken_html_pages,
        huge_page=args.huge_page, invalid_utf8_page=args.invalid_utf8_page,
        offsite_link=args.offsite_link, redirect_offsite_page=args.redirect_offsite_page,
        template_seed=args.template_seed, traps=args.traps, disallowed_pages=args.disallowed_pages,
        mislabeled_charset_page=args.mislabeled_charset_page, unicode_slug_page=args.unicode_slug_page,
        deep_nesting_page=args.deep_nesting_page, looping_script_page=args.looping_script_page,
        widget_last_page=args.widget_last_page,
    )


def _dump(args: argparse.Namespace, base_url: str, options: ReplicaOptions) -> None:
    if args.truth:
        for item in expected_items(base_url, options):
            print(json.dumps(item, ensure_ascii=False))
    if args.truth_articles:
        for article in expected_articles(base_url, options).values():
            print(json.dumps(article, ensure_ascii=False))
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        options = options_from_args(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    base_url = f"http://{args.host}:{args.port}"
    if args.truth or args.truth_articles:
        try:
            _dump(args, base_url, options)
        except BrokenPipeError:  # e.g. piped into head
            sys.stderr.close()
        return 0
    server = ReplicaServer(options, host=args.host, port=args.port, verbose=args.verbose)
    server.start()
    print(server.base_url, flush=True)
    print(f"listing: {server.base_url}/blog/{options.category}  (Ctrl-C to stop)", file=sys.stderr, flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
