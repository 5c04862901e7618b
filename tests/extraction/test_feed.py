"""The blog's feed, a second source: read once, it fills what the cards lack and doubts what they contradict."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kongblog.extraction.feed import read_feed
from tests.support.crawl import run_crawl

RSS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>
<item><title>Securing Webhooks</title><link>https://blog.test/blog/engineering/securing-webhooks/?utm_source=rss</link>
<pubDate>Thu, 30 Nov 2023 23:30:00 -0500</pubDate><dc:creator>Danny Freese</dc:creator><dc:creator>Marco Palladino</dc:creator></item>
<item><title>Second &amp; last</title><link>https://blog.test/blog/engineering/caf%C3%A9-x</link>
<author>ada@example.com (Ada Lovelace)</author><pubDate>not a date</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
<entry><title type="html">Rate Limiting</title><link rel="alternate" href="https://blog.test/blog/engineering/rate-limiting/"/>
<published>2023-10-08T10:00:00+02:00</published><updated>2024-01-01T00:00:00Z</updated>
<author><name>Aisha Okafor</name></author></entry>
<entry><title>Only updated</title><link href="https://blog.test/blog/engineering/only-updated"/><updated>2023-09-01T00:00:00Z</updated></entry>
</feed>"""


def test_an_rss_feed_gives_each_posts_title_date_and_authors():
    assert read_feed(RSS) == {
        "https://blog.test/blog/engineering/securing-webhooks": {
            "title": "Securing Webhooks", "published": "2023-11-30", "authors": ["Danny Freese", "Marco Palladino"]},
        "https://blog.test/blog/engineering/caf%C3%A9-x": {
            "title": "Second & last", "published": None, "authors": ["Ada Lovelace"]},
    }


def test_an_atom_feed_gives_each_posts_title_date_and_authors():
    assert read_feed(ATOM) == {
        "https://blog.test/blog/engineering/rate-limiting": {
            "title": "Rate Limiting", "published": "2023-10-08", "authors": ["Aisha Okafor"]},
        "https://blog.test/blog/engineering/only-updated": {
            "title": "Only updated", "published": "2023-09-01", "authors": []},
    }


def test_what_is_no_feed_gives_no_posts():
    assert read_feed(b"<html><body>Not found</body></html>") == {}
    assert read_feed(b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><rss><channel><item>"
                     b"<title>&e;</title><link>https://h/blog/engineering/x</link></item></channel></rss>") == {
        "https://h/blog/engineering/x": {"title": None, "published": None, "authors": []}}


EXCERPT = "A paragraph long enough to be an excerpt, about gateways, plugins and the people who run them."
SLUGS = [f"post-{n}" for n in range(1, 7)]


def listing(base: str) -> str:
    # The cards show no date and no byline; the second card's title differs from the feed's.
    cards = "".join(
        f'<article><h2><a href="/blog/engineering/{slug}">{"A title of its own" if n == 2 else f"Post {n} on gateways"}</a></h2>'
        f"<p>{EXCERPT}</p></article>"
        for n, slug in enumerate(SLUGS, 1)
    )
    head = '<head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
    return f"<html>{head}<body><h1>Engineering</h1><main>{cards}</main></body></html>"


def feed(base: str) -> str:
    items = "".join(
        f"<item><title>Post {n} on gateways</title><link>{base}/blog/engineering/{slug}</link>"
        f"<pubDate>Mon, 0{n} Oct 2023 10:00:00 +0000</pubDate><dc:creator>Ada Lovelace</dc:creator></item>"
        for n, slug in enumerate(SLUGS, 1)
    )
    return f'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>{items}</channel></rss>'


class Site(BaseHTTPRequestHandler):
    hits: Counter = Counter()
    base = ""

    def do_GET(self):
        self.hits[self.path] += 1
        pages = {"/blog/engineering": ("text/html", listing), "/feed.xml": ("application/rss+xml", feed)}
        if self.path not in pages:
            self.send_error(404)
            return
        kind, render = pages[self.path]
        body = render(self.base).encode()
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    Site.hits, Site.base = Counter(), f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site.base
    server.shutdown()
    server.server_close()


def test_the_feed_fills_what_the_cards_lack_and_doubts_what_they_contradict(site, tmp_path):
    relaxed = {"KONGBLOG_MIN_COVERAGE": '{"authors": 0, "published": 0}'}
    result = run_crawl(f"{site}/blog/engineering", tmp_path, args={"render": "never"}, settings=relaxed)
    assert result.returncode == 0, result.log[-3000:]
    assert Site.hits["/feed.xml"] == 1
    assert [(item["slug"], item["published"], item["authors"]) for item in result.items] == [
        (slug, f"2023-10-0{n}", ["Ada Lovelace"]) for n, slug in enumerate(SLUGS, 1)]
    assert result.items[1]["title"] == "A title of its own"  # the card's own, never overwritten
    assert result.stats["kongblog/second_source/filled"] == 12
    assert result.stats["kongblog/second_source/disagreed"] == 1
    assert result.stats["kongblog/doubts"] == 1


def test_the_second_source_is_off_with_a_setting(site, tmp_path):
    settings = {"KONGBLOG_SECOND_SOURCE": "False", "KONGBLOG_MIN_COVERAGE": '{"authors": 0, "published": 0}'}
    result = run_crawl(f"{site}/blog/engineering", tmp_path, args={"render": "never"}, settings=settings)
    assert Site.hits["/feed.xml"] == 0
    # (dropped for the missing date before issue 21's null dates, kept with published null after)
    assert all(item["published"] is None for item in result.items)
    assert "kongblog/second_source/filled" not in result.stats
