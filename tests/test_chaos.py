"""Chaos suite: `scrapy crawl kongblog` against a replica that misbehaves.

Each scenario runs real crawls (subprocesses) once per module and several
small tests read the result, so one failing expectation does not hide the
others. Every assertion message states the figures the scenario expects.

1. Flaky network: 503s, connection resets, a page slower than the download
   timeout -> every truth post once, thanks to retries.
2. Hostile content: a card repeated on the next page, promo tiles, tag links,
   broken HTML, a 5 MB page, `<script>` in titles, invalid UTF-8 -> exact items.
3. Offsite traps: a card linking to another host, a listing page redirecting
   to another host -> that host is never requested.
4. Interrupted crawl: SIGINT halfway with JOBDIR, then resume -> the union of
   both outputs is complete, MongoDB holds every post once.
5. MongoDB restarted mid-crawl -> the pipeline reconnects, nothing is
   dead-lettered, exit 0.
"""

from __future__ import annotations

import re
import signal
import time
import uuid

import pytest
from pymongo import MongoClient

from replica import ReplicaServer
from tests.support.chaos import (
    duplicated_slugs,
    field_mismatches,
    listing_hits,
    listing_paths,
    stats_with,
    wait_until,
)
from tests.support.crawl import finish_crawl, run_crawl, start_crawl
from tests.support.mongo import SecantusServer, stored_count

pytestmark = pytest.mark.slow

NEVER_RENDER = {"render": "never"}
ALL_PAGES = range(1, 21)
CRAWL_TIMEOUT = 120


def every_listing_page_once() -> dict[str, int]:
    """Replica hits of a polite full crawl: robots.txt and each listing page once."""
    return {"/robots.txt": 1, **{path: 1 for path in listing_paths(ALL_PAGES)}}


# --- 1. Flaky network ----------------------------------------------------------

FAIL_FIRST = {1, 8}  # 503 + Retry-After on the first request (page 1 is the start URL)
RESET_PAGES = {5, 16}  # TCP RST, no response, on the first request
SLOW_ONCE = {12}  # first response takes 3 s, the download timeout is 1 s
FAULTED = FAIL_FIRST | RESET_PAGES | SLOW_ONCE


@pytest.fixture(scope="module")
def flaky_network(tmp_path_factory):
    options = dict(fail_first=FAIL_FIRST, reset_pages=RESET_PAGES, slow_once=SLOW_ONCE, slow_seconds=3.0)
    with ReplicaServer(markup="utility", **options) as server:
        result = run_crawl(
            server.url("/blog/engineering"),
            tmp_path_factory.mktemp("chaos-network"),
            args=NEVER_RENDER,
            settings={"DOWNLOAD_TIMEOUT": "1"},
            timeout=CRAWL_TIMEOUT,
        )
        yield server, result, server.expected_items(), server.hits.snapshot()


def test_flaky_network_every_truth_post_exactly_once(flaky_network):
    server, result, truth, _hits = flaky_network
    assert result.returncode == 0, (
        f"expected exit 0 after 5 retried faults, got {result.returncode}: {result.stats.get('kongblog/failed')}"
        f"\n{result.log[-3000:]}"
    )
    assert len(truth) == 300
    assert duplicated_slugs(result.items) == {}, "expected 300 items, none twice"
    assert sorted(result.slugs()) == sorted(t["slug"] for t in truth), (
        f"expected the 300 truth posts, got {len(result.items)} items"
    )
    assert field_mismatches(result.items, truth) == [], "expected every field of the 300 items equal to the truth"
    assert result.stats.get("item_dropped_count", 0) == 0


def test_flaky_network_retry_stats(flaky_network):
    _server, result, _truth, hits = flaky_network
    retry = stats_with(result.stats, "retry/", "downloader/exception", "response_status_count/503")
    prefix = "retry/reason_count/"
    reasons = {k.removeprefix(prefix): v for k, v in retry.items() if k.startswith(prefix)}
    timeouts = sum(v for k, v in reasons.items() if "Timeout" in k)
    resets = sum(v for k, v in reasons.items() if "Timeout" not in k and not k.startswith("503"))
    figures = (
        "expected 2 retries for 503 (pages 1, 8), 1 for the timeout (page 12) and 0-2 for the resets "
        "(pages 5, 16: Twisted's connection pool silently re-sends a GET once when a reused keep-alive "
        "connection dies before any response, so a reset may never reach Scrapy's RetryMiddleware)"
    )
    assert reasons.get("503 Service Unavailable") == 2, f"{figures}; got {retry}"
    assert result.stats.get("downloader/response_status_count/503") == 2, f"{figures}; got {retry}"
    assert timeouts == 1, f"{figures}; got {retry}"
    assert resets <= 2, f"{figures}; got {retry}"
    assert result.stats.get("retry/count") == 3 + resets, f"{figures}; got {retry}"
    assert result.stats.get("downloader/exception_count") == 1 + resets, f"{figures}; got {retry}"
    assert "retry/max_reached" not in result.stats, f"no request may run out of retries; got {retry}"
    # Whichever layer retried, the replica saw each faulted page twice (the
    # fault, then the retry) and every other page once.
    expected = every_listing_page_once()
    for path in listing_paths(FAULTED):
        expected[path] = 2
    assert hits == expected, "expected 2 requests for pages 1, 5, 8, 12, 16 and 1 for the 15 others"


# --- 2. Hostile content ----------------------------------------------------------

# Page 3's last card is repeated first on page 4. Page 3 also answers slowly
# once (2 s, well under the 30 s download timeout), so page 4 is always parsed
# first: the truth still wants the repeated card at its page-3 position.
CONTENT_FAULTS = dict(
    duplicate_card={3},
    slow_once={3},
    slow_seconds=2.0,
    broken_html_pages={2, 15},
    huge_page=5,
    invalid_utf8_page=1,
)
SCRIPT_SLUGS = (
    "why-script-alert-1-script-never-runs-in-your-dev-portal",  # page 1 (also the invalid UTF-8 page)
    "escaping-script-alert-1-script-in-custom-plugin-responses",  # page 15 (also broken HTML)
)


@pytest.fixture(scope="module", params=["utility", "semantic"])
def hostile_content(request, tmp_path_factory):
    with ReplicaServer(markup=request.param, **CONTENT_FAULTS) as server:
        result = run_crawl(
            server.url("/blog/engineering"),
            tmp_path_factory.mktemp(f"chaos-content-{request.param}"),
            args=NEVER_RENDER,
            timeout=CRAWL_TIMEOUT,
        )
        yield server, result, server.expected_items(), server.hits.snapshot()


def test_hostile_content_no_crash_each_post_once(hostile_content):
    _server, result, truth, _hits = hostile_content
    assert result.returncode == 0, f"expected exit 0\n{result.log[-3000:]}"
    assert "Traceback" not in result.log
    assert result.stats.get("log_count/ERROR", 0) == 0
    assert len(truth) == 300
    assert duplicated_slugs(result.items) == {}, "expected 300 items, the repeated card once"
    assert sorted(result.slugs()) == sorted(t["slug"] for t in truth), (
        f"expected the 300 truth posts, got {len(result.items)}"
    )
    figures = "expected 301 cards (the repeated one twice), 300 items, the copy on page 4 dropped by the spider"
    assert result.stats.get("kongblog/cards") == 301, figures
    assert result.stats.get("item_scraped_count") == 300, figures
    # Neighbouring pages are compared before their items leave: the later, alike copy never reaches the pipelines.
    assert result.stats.get("kongblog/duplicates_on_neighbouring_pages") == 1, figures
    assert result.stats.get("item_dropped_reasons_count/DuplicatePost") is None, figures
    assert result.stats.get("downloader/response_bytes", 0) > 5_000_000, "the 5 MB page was downloaded"


def test_hostile_content_every_field_equals_the_truth(hostile_content):
    _server, result, truth, _hits = hostile_content
    mismatches = field_mismatches(result.items, truth)
    assert mismatches == [], (
        f"expected all 300 items equal to the truth field by field; {len(mismatches)} differences "
        "(slug, field, scraped, truth)"
    )


def test_faulty_pages_yield_their_true_cards(hostile_content):
    """Broken HTML (pages 2, 15), the 5 MB page (5), invalid UTF-8 (1): same cards."""
    _server, result, truth, _hits = hostile_content
    pages = {1, 2, 5, 15}
    expected = [t for t in truth if t["listing_page"] in pages]
    scraped = [item for item in result.items if item["listing_page"] in pages]
    assert len(expected) == 60
    assert field_mismatches(scraped, expected) == [], "expected the 60 cards of pages 1, 2, 5, 15 exactly"


def test_script_in_titles_is_stored_as_text(hostile_content):
    _server, result, truth, _hits = hostile_content
    raw = result.output.read_bytes().decode("utf-8")  # strict: the feed is valid UTF-8
    assert "\ufffd" not in raw, "invalid bytes of the page must not leak into items"
    titles = {item["slug"]: item["title"] for item in result.items}
    true_titles = {t["slug"]: t["title"] for t in truth}
    for slug in SCRIPT_SLUGS:
        assert "<script>alert(1)</script>" in true_titles[slug]
        assert titles.get(slug) == true_titles[slug]
        line = next(line for line in raw.splitlines() if f'"slug": "{slug}"' in line)
        assert "<script>alert(1)</script>" in line, "the feed holds the literal text, not escaped or stripped"


def test_hostile_content_follows_no_trap(hostile_content):
    """Tag links, promo tiles, nav links, article links: none is requested."""
    _server, _result, _truth, hits = hostile_content
    assert hits == every_listing_page_once(), "expected robots.txt and the 20 listing pages, once each"


# --- 3. Offsite traps ---------------------------------------------------------------

OFFSITE_HOST = "offsite.invalid"
OFFSITE_LINK_PAGE = 4  # an extra card linking to http://offsite.invalid/blog/engineering/<slug>
REDIRECT_PAGE = 7  # answers 302 to http://offsite.invalid/blog/engineering/page/7
OFFSITE_SLUG = "running-kong-at-the-edge-guest-post"
DNS_ERRORS = re.compile(
    r"DNSLookupError|name resolution|Name or service not known|nodename nor servname|getaddrinfo|"
    r"No address associated|Could not resolve|ConnectionRefused|TCPTimedOut",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def offsite_traps(tmp_path_factory):
    options = dict(offsite_link=OFFSITE_LINK_PAGE, redirect_offsite_page=REDIRECT_PAGE)
    with ReplicaServer(markup="semantic", **options) as server:
        result = run_crawl(
            server.url("/blog/engineering"),
            tmp_path_factory.mktemp("chaos-offsite"),
            args=NEVER_RENDER,
            settings={"LOG_LEVEL": "DEBUG"},  # the offsite filter logs at DEBUG
            timeout=CRAWL_TIMEOUT,
        )
        yield server, result, server.expected_items(), server.hits.snapshot()


def test_offsite_host_is_never_requested(offsite_traps):
    server, result, _truth, hits = offsite_traps
    stats = result.stats
    offsite = stats_with(stats, "offsite/", "kongblog/offsite", "downloader/request_count", "downloader/exception")
    # The spider reads the redirect of its listing page itself and follows none to another host.
    assert stats.get("kongblog/listing_pages_skipped") == 1, f"expected the redirect to {OFFSITE_HOST} refused once; {offsite}"
    assert "offsite/filtered" not in stats, offsite
    assert stats.get("downloader/request_count") == 21, f"expected 21 downloads (robots + 20 pages); {offsite}"
    assert "downloader/exception_count" not in stats, offsite
    # The replica saw the redirecting page once (302s are not retried) and never the guest post.
    assert hits == every_listing_page_once(), "expected robots.txt and the 20 listing pages, once each"
    assert not any(OFFSITE_SLUG in path for path in hits)
    # The only log lines that name the offsite host: the refusal (and its health report).
    offsite_lines = [line for line in result.log.splitlines() if OFFSITE_HOST in line]
    redirect = server.url(f"/blog/engineering/page/{REDIRECT_PAGE}")
    assert any("listing page skipped" in line and redirect in line for line in offsite_lines), offsite_lines
    assert not any("Redirecting (302)" in line for line in offsite_lines), offsite_lines
    assert not any(f"{OFFSITE_HOST}/robots.txt" in line for line in offsite_lines), offsite_lines
    assert DNS_ERRORS.findall(result.log) == [], "no lookup of or connection to the offsite host"


def test_offsite_traps_truth_items_all_present(offsite_traps):
    _server, result, truth, _hits = offsite_traps
    assert len(truth) == 285, "20 pages x 15 cards, minus the 15 of the redirected page 7"
    assert OFFSITE_SLUG not in result.slugs(), "the offsite card is not a post of this blog"
    assert duplicated_slugs(result.items) == {}
    assert field_mismatches(result.items, truth) == [], (
        f"expected the 285 truth posts exactly; got {len(result.items)} items"
    )


def test_offsite_redirect_fails_the_crawl_and_names_the_page(offsite_traps):
    """Page 7 moved to another host: its 15 posts are out of reach. The crawl
    must not pass, and must say which listing page it could not follow."""
    server, result, _truth, _hits = offsite_traps
    stats = result.stats
    assert result.returncode == 1, "a listing page lost to an offsite redirect must fail the crawl (exit 1)"
    assert stats.get("finish_reason") == "failed_health_checks", stats_with(stats, "finish_reason", "kongblog/f")
    page = server.url(f"/blog/engineering/page/{REDIRECT_PAGE}")
    accounted = stats.get("kongblog/listing_pages_skipped", 0) + stats.get("kongblog/listing_pages_lost", 0)
    named = [line for line in result.log.splitlines() if page in line and " DEBUG: " not in line]
    assert accounted == 1 and named, (
        f"expected page {REDIRECT_PAGE} counted as 1 skipped/lost listing page and named above DEBUG; "
        f"got {stats_with(stats, 'kongblog/listing', 'kongblog/failed')}, lines naming it: {named}"
    )
    assert stats.get("kongblog/failed") == (
        f"listing pages skipped: {REDIRECT_PAGE} (redirected to http://{OFFSITE_HOST}/blog/engineering/page/{REDIRECT_PAGE})"
    )


# --- 4. Interrupted crawl, resumed with JOBDIR ------------------------------------------

INTERRUPT_DELAY = 0.4  # seconds per response: a crawl of about 3 s
INTERRUPT_AFTER_LISTING_HITS = 8  # SIGINT once 8 of the 20 listing pages were requested


@pytest.fixture(scope="module")
def interrupted_crawl(tmp_path_factory, mongo_uri, mongo_client):
    workdir = tmp_path_factory.mktemp("chaos-resume")
    database = f"kongblog_chaos_{uuid.uuid4().hex[:12]}"
    env = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": database}
    settings = {"JOBDIR": str(workdir / "job"), "MONGO_FLUSH_INTERVAL": "0.5", "MONGO_BATCH_SIZE": "15"}
    try:
        with ReplicaServer(markup="utility", delay=INTERRUPT_DELAY) as server:
            url = server.url("/blog/engineering")
            started = time.monotonic()
            process = start_crawl(url, workdir / "first", NEVER_RENDER, settings, env, output_name="first.jsonl")
            try:
                wait_until(
                    lambda: listing_hits(server) >= INTERRUPT_AFTER_LISTING_HITS,
                    timeout=60,
                    what=f"{INTERRUPT_AFTER_LISTING_HITS} listing pages requested",
                    alive=lambda: process.poll() is None,
                )
                process.send_signal(signal.SIGINT)
                first = finish_crawl(process, workdir / "first", timeout=CRAWL_TIMEOUT, output_name="first.jsonl")
            finally:
                if process.poll() is None:
                    process.kill()
            first_hits = server.hits.snapshot()
            server.reset_hits()
            second = run_crawl(url, workdir / "second", NEVER_RENDER, settings, env,
                               timeout=CRAWL_TIMEOUT, output_name="second.jsonl")  # fmt: skip
            elapsed = time.monotonic() - started
            documents = list(mongo_client[database]["posts"].find({}, {"_id": 0}))
            yield {
                "first": first, "second": second, "truth": server.expected_items(),
                "first_hits": first_hits, "second_hits": server.hits.snapshot(),
                "documents": documents, "elapsed": elapsed,
            }  # fmt: skip
    finally:
        mongo_client.drop_database(database)


def test_interrupted_run_stops_halfway_and_exits_non_zero(interrupted_crawl):
    first = interrupted_crawl["first"]
    assert 0 < len(first.items) < 300, f"the SIGINT must land mid-crawl: first run got {len(first.items)} of 300"
    assert "Received SIGINT, shutting down gracefully" in first.log
    assert first.stats.get("finish_reason") == "shutdown", stats_with(first.stats, "finish_reason")
    assert first.returncode == 1, f"an interrupted crawl is incomplete: expected exit 1, got {first.returncode}"
    assert "kongblog: crawl failed: finish reason 'shutdown'" in first.log


def test_resumed_run_completes_the_union(interrupted_crawl):
    first, second, truth = interrupted_crawl["first"], interrupted_crawl["second"], interrupted_crawl["truth"]
    assert re.search(r"Resuming crawl \(\d+ requests scheduled\)", second.log), "the second run resumed the JOBDIR"
    union = first.items + second.items
    assert duplicated_slugs(union) == {}, (
        f"expected each of the 300 posts in exactly one output: {len(first.items)} + {len(second.items)}"
    )
    assert field_mismatches(union, truth) == [], (
        f"expected the union of both outputs ({len(first.items)} + {len(second.items)} items) to be the 300 "
        "truth posts exactly"
    )
    # The resumed run neither repeats the pages the first one fetched nor skips any.
    total = dict(interrupted_crawl["first_hits"])
    for path, count in interrupted_crawl["second_hits"].items():
        if path != "/robots.txt":
            total[path] = total.get(path, 0) + count
    assert total == every_listing_page_once(), "expected each of the 20 listing pages requested once over both runs"


def test_mongo_holds_every_post_once_after_resume(interrupted_crawl):
    documents, truth = interrupted_crawl["documents"], interrupted_crawl["truth"]
    assert duplicated_slugs(documents) == {}, f"expected 300 documents, one per slug; got {len(documents)}"
    assert field_mismatches(documents, truth) == [], (
        f"expected the collection to hold the 300 truth posts exactly; it holds {len(documents)} documents"
    )


def test_resumed_run_finishes_and_exits_zero(interrupted_crawl):
    """The resumed run completes the job; a scheduler only sees its exit status."""
    second = interrupted_crawl["second"]
    assert second.returncode == 0 and second.stats.get("finish_reason") == "finished", (
        f"expected the resumed run (which scraped the remaining {len(second.items)} of 300 posts) to exit 0 "
        f"with finish_reason finished; got exit {second.returncode}, "
        f"{stats_with(second.stats, 'finish_reason', 'kongblog/failed', 'kongblog/unique_cards')}"
    )


# --- 5. MongoDB restarted mid-crawl ----------------------------------------------------------

RESTART_DELAY = 0.5  # seconds per response, 2 requests at a time: a crawl of about 6 s
OUTAGE_SECONDS = 2.0  # longer than the 0.5 s server selection timeout: writes fail and are retried


@pytest.fixture(scope="module")
def store_restart(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("chaos-store-restart")
    dead_letters = workdir / "dead-letter.jsonl"
    # On-disk storage in a temporary directory, fixed port: data and URI survive the restart.
    with SecantusServer() as db, ReplicaServer(markup="semantic", delay=RESTART_DELAY) as server:
        settings = {
            "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
            "MONGO_BATCH_SIZE": "15",
            "MONGO_FLUSH_INTERVAL": "0.5",
            "MONGO_SERVER_SELECTION_TIMEOUT_MS": "500",
            "MONGO_DEAD_LETTER_PATH": str(dead_letters),
        }
        env = {"MONGO_URI": db.uri, "MONGO_DATABASE": "kongblog_chaos"}
        client: MongoClient = MongoClient(db.uri, serverSelectionTimeoutMS=500)
        posts = client["kongblog_chaos"]["posts"]

        try:
            process = start_crawl(server.url("/blog/engineering"), workdir, NEVER_RENDER, settings, env)
            try:
                wait_until(lambda: stored_count(posts) >= 15, timeout=60, what="the first 15 posts stored",
                           alive=lambda: process.poll() is None)  # fmt: skip
                before = sorted(posts.distinct("slug"))
                db.stop()
                hits_at_stop = listing_hits(server)
                time.sleep(OUTAGE_SECONDS)
                hits_at_start = listing_hits(server)
                running_at_restart = process.poll() is None
                db.start()
                result = finish_crawl(process, workdir, timeout=CRAWL_TIMEOUT)
            finally:
                if process.poll() is None:
                    process.kill()
            documents = list(posts.find({}, {"_id": 0}))
        finally:
            client.close()
        yield {
            "result": result, "truth": server.expected_items(), "documents": documents, "before": before,
            "hits_at_stop": hits_at_stop, "hits_at_start": hits_at_start,
            "running_at_restart": running_at_restart, "dead_letters": dead_letters,
        }  # fmt: skip


def test_store_outage_happened_mid_crawl(store_restart):
    result = store_restart["result"]
    assert store_restart["running_at_restart"], "the crawl must still be running when the server comes back"
    assert store_restart["hits_at_start"] > store_restart["hits_at_stop"], (
        "the crawl kept fetching listing pages while the store was down "
        f"({store_restart['hits_at_stop']} -> {store_restart['hits_at_start']} of 20)"
    )
    assert result.stats.get("kongblog/mongo/retries", 0) >= 1, (
        f"writes during the {OUTAGE_SECONDS:g}s outage fail and are retried; {stats_with(result.stats, 'mongo')}"
    )


def test_store_restart_loses_nothing(store_restart):
    result, truth, documents = store_restart["result"], store_restart["truth"], store_restart["documents"]
    mongo = stats_with(result.stats, "kongblog/mongo", "kongblog/failed", "finish_reason")
    assert result.returncode == 0, f"expected exit 0, got {result.returncode}; {mongo}\n{result.log[-3000:]}"
    assert result.stats.get("finish_reason") == "finished", mongo
    assert result.stats.get("kongblog/mongo/dead_lettered", 0) == 0, f"expected 0 dead-lettered; {mongo}"
    assert not store_restart["dead_letters"].exists(), "expected no dead-letter file"
    assert result.stats.get("kongblog/mongo/upserted") == 300, f"expected 300 stored; {mongo}"
    assert len(result.items) == 300, f"expected 300 items exported, got {len(result.items)}"
    survivors = set(store_restart["before"]) & {d["slug"] for d in documents}
    assert len(survivors) == len(store_restart["before"]), "posts stored before the restart survive it"
    assert duplicated_slugs(documents) == {}
    assert field_mismatches(documents, truth) == [], (
        f"expected the collection to hold the 300 truth posts exactly; it holds {len(documents)} documents"
    )
