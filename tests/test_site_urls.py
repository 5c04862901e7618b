"""A site whose URLs end with a slash (static-site generators, most themes): its listing pages are
requested as it links them, and its posts keep the URL it links them with. Some (Nikola) call their
second page ``/page/1/``: its Older link says so."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.crawl import run_crawl

PAGES, CARDS = 5, 3
EXCERPT = "A paragraph long enough to be an excerpt, about gateways, plugins and the people who run them."


def slug(page: int, card: int) -> str:
    return f"post-{page}-{card}"


def page_path(number: int, second_page: int = 2) -> str:
    return "/blog/engineering/" if number == 1 else f"/blog/engineering/page/{number - 2 + second_page}/"


def listing_page(number: int, second_page: int = 2) -> str:
    cards = "".join(
        f'<article><h2><a href="/blog/engineering/{slug(number, k)}/">Post {number}.{k} on gateways</a></h2>'
        f"<time datetime=\"2023-0{number}-1{k}\">2023-0{number}-1{k}</time><p>{EXCERPT}</p></article>"
        for k in range(1, CARDS + 1)
    )
    # A widget of the previous and next page only, as many themes show: the others are not linked.
    around = [n for n in (number - 1, number + 1) if 1 <= n <= PAGES]
    widget = "".join(
        f'<a href="{page_path(n, second_page)}">{"Newer" if n < number else "Older"} posts</a>' for n in around
    )
    return f"<html><body><h1>Engineering</h1><main>{cards}</main><nav><p>Page {number} of {PAGES}</p>{widget}</nav></body></html>"


class TrailingSlashSite(BaseHTTPRequestHandler):
    """``/blog/engineering/`` and ``/blog/engineering/page/N/``; a path without its slash is redirected."""

    hits: Counter = Counter()
    second_page = 2  # Nikola calls its second page /page/1/

    def do_GET(self):
        path = self.path.split("?")[0]
        self.hits[path] += 1
        pages = {page_path(n, self.second_page): n for n in range(1, PAGES + 1)}
        if path + "/" in pages:
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.end_headers()
        elif path in pages:
            body = listing_page(pages[path], self.second_page).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture(params=[2, 1], ids=["page-2-second", "page-1-second"])
def site(request):
    TrailingSlashSite.hits, TrailingSlashSite.second_page = Counter(), request.param
    server = ThreadingHTTPServer(("127.0.0.1", 0), TrailingSlashSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_trailing_slash_site_costs_one_request_a_page_and_keeps_its_urls(site, tmp_path):
    result = run_crawl(f"{site}/blog/engineering/", tmp_path, args={"render": "never"})
    assert result.returncode == 0, result.log[-3000:]
    listing_hits = {path: n for path, n in TrailingSlashSite.hits.items() if path.startswith("/blog/engineering")}
    assert listing_hits == {page_path(n, TrailingSlashSite.second_page): 1 for n in range(1, PAGES + 1)}
    expected = [slug(page, card) for page in range(1, PAGES + 1) for card in range(1, CARDS + 1)]
    assert [item["slug"] for item in result.items] == expected
    assert [item["url"] for item in result.items] == [f"{site}/blog/engineering/{s}/" for s in expected]
