"""What the README promises and no other test exercised: the politeness defaults as a site owner sees
them, DOWNLOAD_MAXSIZE, the ``category`` argument, and the KONGBLOG_PAGE_WINDOW and
KONGBLOG_MIN_COVERAGE overrides. Everything offline: the replica, or a one-page site served here.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy.utils.test import get_crawler

from kongblog import __version__
from kongblog.spiders.kongblog import KongBlogSpider
from replica import ReplicaServer
from replica import server as replica_server
from tests.support.chaos import field_mismatches
from tests.support.crawl import REPO, crawl_command, crawl_env, read_result, run_crawl

pytestmark = pytest.mark.slow  # crawls, most of them

LISTING = "/blog/engineering"
NEVER = {"render": "never"}
DEFAULT_CONTACT = "https://github.com/kongblog/kongblog"  # kongblog/settings.py


def listing_hits(server) -> dict[str, int]:
    return {path: n for path, n in server.hits.snapshot().items() if path.startswith(LISTING)}


def pages_hit(server) -> list[int]:
    return sorted(1 if path == LISTING else int(path.rsplit("/", 1)[1]) for path in listing_hits(server))


# --- Politeness defaults left on ------------------------------------------------------------------


@pytest.fixture
def user_agents(monkeypatch):
    """The User-Agent header of every request the replica answers, per path."""
    seen: dict[str, list[str]] = defaultdict(list)
    serve = replica_server._Handler._serve

    def recording(handler, head):
        seen[replica_server._request_path(handler.path)].append(handler.headers.get("User-Agent"))
        return serve(handler, head)

    monkeypatch.setattr(replica_server._Handler, "_serve", recording)
    return seen


def crawl_as_shipped(start_url, workdir):
    """A crawl with the project's politeness settings: the tests' runner turns AutoThrottle off, this
    one leaves it as shipped (AUTOTHROTTLE_DEBUG only logs the delays it sets)."""
    # The log file, not the quiet console, has Scrapy's component list and AutoThrottle's delays.
    command = crawl_command(start_url, workdir, NEVER, {"AUTOTHROTTLE_DEBUG": "True",
                                                        "LOG_FILE": str(workdir / "scrapy.log")})
    at = command.index("AUTOTHROTTLE_ENABLED=False")
    del command[at - 1:at + 1]
    with open(workdir / "crawl.log", "w") as log:
        process = subprocess.run(command, cwd=REPO, env=crawl_env(), stdout=log, stderr=subprocess.STDOUT, timeout=120)
    result = read_result(process.returncode, workdir)
    result.log += (workdir / "scrapy.log").read_text(encoding="utf-8")
    return result


def test_politeness_defaults_as_the_site_sees_them(tmp_path, user_agents):
    with ReplicaServer(pages=3, disallowed_pages={2}) as server:
        result = crawl_as_shipped(server.url(LISTING), tmp_path)
        truth, hits = server.expected_items(), server.hits.snapshot()
    assert result.returncode == 0, result.log[-3000:]
    # User-Agent: the project, its version and the contact URL, on every request, robots.txt included.
    agent = f"kongblog/{__version__} (+{DEFAULT_CONTACT})"
    assert set(user_agents) == {"/robots.txt", LISTING, f"{LISTING}/page/3"}
    assert {ua for uas in user_agents.values() for ua in uas} == {agent}
    # robots.txt fetched once, first, and obeyed: page 2 is never asked for, and not part of the listing.
    assert next(iter(user_agents)) == "/robots.txt" and hits["/robots.txt"] == 1
    assert f"{LISTING}/page/2" not in hits and result.stats["robotstxt/forbidden"] == 1
    assert len(truth) == 30 and field_mismatches(result.items, truth) == []
    # AutoThrottle on, from its start delay of 1 s (each line: the new delay and its change).
    assert "scrapy.extensions.throttle.AutoThrottle" in result.log
    delays = re.findall(r"slot: 127\.0\.0\.1 \| conc:\s*\d+ \| delay:\s*(\d+) ms \(([+-]\d+)\)", result.log)
    assert len(delays) == 3, result.log[-3000:]  # robots.txt, pages 1 and 3
    first, change = map(int, delays[0])
    assert abs(first - change - 1000) <= 1, delays


def test_the_contact_url_comes_from_the_environment(tmp_path, user_agents):
    with ReplicaServer(pages=1) as server:
        result = run_crawl(server.url(LISTING), tmp_path, args=NEVER,
                           env={"KONGBLOG_CONTACT_URL": "mailto:data-team@example.org"})
    assert result.returncode == 0, result.log[-3000:]
    assert set(user_agents[LISTING]) == {f"kongblog/{__version__} (+mailto:data-team@example.org)"}


# --- DOWNLOAD_MAXSIZE -------------------------------------------------------------------------------


def test_download_maxsize_drops_an_oversized_listing_page(tmp_path):
    # The replica pads page 2 to about 5 MB; the limit is lowered to 1 MB (the default, 32 MiB, is
    # the same check at a size no listing page reaches).
    with ReplicaServer(pages=3, huge_page=2) as server:
        result = run_crawl(server.url(LISTING), tmp_path, args=NEVER, settings={"DOWNLOAD_MAXSIZE": "1000000"})
        truth = server.expected_items()
    assert result.returncode == 1
    assert result.stats["kongblog/listing_pages_lost"] == 1
    assert re.search(r"listing page lost after retries: \S+/page/2 ", result.log), result.log[-3000:]
    assert "larger than download max size" in result.log
    assert field_mismatches(result.items, [item for item in truth if item["listing_page"] != 2]) == []
    assert len(result.items) == 30


# --- category -----------------------------------------------------------------------------------------


async def first_requests(**arguments) -> list:
    from kongblog import settings as shipped  # the defaults as shipped: the blog and its category

    crawler = get_crawler(KongBlogSpider, settings_dict={
        "KONGBLOG_RENDER": "never", "KONGBLOG_PAGE_WINDOW": 10,
        "KONGBLOG_DEFAULT_BLOG": shipped.KONGBLOG_DEFAULT_BLOG, "KONGBLOG_DEFAULT_CATEGORY": shipped.KONGBLOG_DEFAULT_CATEGORY,
    })
    spider = KongBlogSpider.from_crawler(crawler, **arguments)
    return [request async for request in spider.start()]


@pytest.mark.parametrize("arguments,url", [
    ({"category": "kong-mesh"}, "https://konghq.com/blog/kong-mesh"),
    ({}, "https://konghq.com/blog/engineering"),
])
def test_category_builds_the_listing_url(arguments, url):
    [request] = asyncio.run(first_requests(**arguments))
    assert request.url == url  # nothing is fetched: the request the crawl would send first


def scrapy_crawl(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "kongblog", *arguments, "-s", "LOG_LEVEL=INFO"],
        cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120,
    )


def test_category_with_start_url_is_refused_in_one_line():
    result = scrapy_crawl("-a", "category=engineering", "-a", "start_url=http://127.0.0.1:9/blog/engineering")
    assert result.returncode == 2
    refusals = [line for line in (result.stdout + result.stderr).splitlines() if "start_url" in line]
    assert len(refusals) == 1 and "give either start_url or category, not both" in refusals[0], result.stderr
    assert "Traceback" not in result.stderr and "Spider opened" not in result.stderr


# --- KONGBLOG_PAGE_WINDOW -----------------------------------------------------------------------------


@pytest.mark.parametrize("window", [None, 3])
def test_page_window_bounds_the_pages_asked_for_past_the_last(tmp_path, window):
    # One page of cards whose widget promises page 99,999: every page past it answers 404.
    settings = {} if window is None else {"KONGBLOG_PAGE_WINDOW": str(window)}
    with ReplicaServer(pages=1, widget_last_page=99999) as server:
        result = run_crawl(server.url(LISTING), tmp_path, args=NEVER, settings=settings)
        hit = pages_hit(server)
    assert hit == list(range(1, 2 + (window or 10))), hit  # page 1, then the window: 10 by default
    assert len(result.items) == 15
    assert result.returncode == 1 and "promised" in result.log  # the widget promised pages that never came


# --- KONGBLOG_MIN_COVERAGE ----------------------------------------------------------------------------

CARDS = 45
AUTHORLESS = {4, 13, 22, 31, 40}  # 40 of 45 cards name an author: 88.9 %, below the default 95 %
NAMES = ("Ann Lee", "Bruno Costa", "Chidi Okeke", "Dana Park", "Emil Novak")


def one_page_listing() -> bytes:
    cards = []
    for n in range(1, CARDS + 1):
        byline = "" if n in AUTHORLESS else f"<p>By {NAMES[n % len(NAMES)]}</p>"
        cards.append(
            f'<article><h3><a href="/blog/engineering/post-{n}">Post number {n}</a></h3>'
            f'<time datetime="2023-03-{n % 28 + 1:02d}">March {n % 28 + 1}, 2023</time>'
            f"<p>What post {n} is about, in a sentence or two.</p>{byline}</article>"
        )
    return ("<!DOCTYPE html><html><head><title>Engineering</title></head><body><main><h1>Engineering</h1>"
            + "\n".join(cards) + "</main></body></html>").encode()


@pytest.fixture(scope="module")
def one_page_site():
    pages = {"/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain"),
             LISTING: (one_page_listing(), "text/html; charset=utf-8")}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body, kind = pages.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{LISTING}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("override,exit_status", [(None, 1), ('{"authors": 0.85}', 0)])
def test_min_coverage_override_relaxes_one_field(tmp_path, one_page_site, override, exit_status):
    settings = {} if override is None else {"KONGBLOG_MIN_COVERAGE": override}
    result = run_crawl(one_page_site, tmp_path, args=NEVER, settings=settings)
    assert len(result.items) == CARDS
    assert sum(1 for item in result.items if not item["authors"]) == len(AUTHORLESS)
    assert result.returncode == exit_status, result.log[-3000:]
    below = "field coverage of authors: 40/45 cards = 88.9%, below 95%"
    assert (below in result.log) == (override is None)
