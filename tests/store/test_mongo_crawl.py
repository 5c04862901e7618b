"""`scrapy crawl kongblog` over the replica, storing into a real MongoDB server.

1. The same blog crawled twice, then once more after two posts were edited:
   every post stored once, first_seen_at stable, last_seen_at moving,
   updated_at and a history entry with the old values only on the edited
   posts; ``scrapy history`` tells the same story from MongoDB and from the
   crawls' exports.
2. A post removed from the blog: marked gone by a healthy full crawl only
   (not by one with a lost page, nor with max_pages, nor incremental), and
   cleared, with the gap in its history, when it comes back.
3. Two crawls of the blog at the same time, into an empty collection and
   after an edit: no duplicate, no lost post, one history entry per edit.
4. The server killed mid-crawl: the crawl goes on, the posts it could not
   store go to the dead-letter file, it exits non-zero; documents plus
   dead-letter lines cover every post and ``scrapy replay`` completes the
   collection.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
import time
from typing import Any

import pytest
from pymongo import MongoClient

from replica import REVISED_POSTS, ReplicaServer
from replica.content import generated_post
from tests.support.chaos import field_mismatches
from tests.support.crawl import CrawlResult, finish_crawl, run_crawl, start_crawl
from tests.support.mongo import SecantusServer, run_scrapy, stored_count

pytestmark = pytest.mark.slow

PAGES = 4  # 60 posts: enough for several batches, quick to crawl
ARGS = {"render": "never"}
BATCH = {"MONGO_BATCH_SIZE": "15", "MONGO_FLUSH_INTERVAL": "0.5"}


def mongo_stats(result: CrawlResult) -> dict[str, Any]:
    return {k: v for k, v in result.stats.items() if k.startswith(("kongblog/mongo/", "kongblog/failed"))} | {
        "finish_reason": result.stats.get("finish_reason")
    }


def by_slug(documents: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {doc["slug"]: doc for doc in documents}


# --- 1. Crawled twice, then after a change ----------------------------------------


EDITED = generated_post(*REVISED_POSTS[0]).slug  # page 1, position 2


@pytest.fixture(scope="module")
def three_crawls(tmp_path_factory, mongo_uri, mongo_client):
    database = f"kongblog_crawl_{time.monotonic_ns()}"
    env = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": database}
    posts = mongo_client[database]["posts"]
    exports = tmp_path_factory.mktemp("exports")
    runs: list[dict[str, Any]] = []
    try:
        with ReplicaServer(markup="semantic", pages=PAGES) as server:
            start_url = server.url("/blog/engineering")
            truths = []
            for number, options in enumerate([{}, {}, {"revision": 1}], 1):
                if options:
                    server.set_options(**options)
                truths.append(server.expected_items())
                result = run_crawl(start_url, tmp_path_factory.mktemp(f"crawl{number}"), ARGS, BATCH, env)
                shutil.copy(result.output, exports / f"crawl-{number}.jsonl")
                runs.append({"result": result, "documents": by_slug(list(posts.find({}, {"_id": 0})))})
        indexes = posts.index_information()
        history = {
            "mongodb": run_scrapy("history", EDITED, env=env),
            "exports": run_scrapy("history", EDITED, "--exports", str(exports)),
        }
    finally:
        mongo_client.drop_database(database)
    return {"runs": runs, "truths": truths, "indexes": indexes, "history": history}


def test_every_crawl_succeeds(three_crawls):
    for run in three_crawls["runs"]:
        result = run["result"]
        assert result.returncode == 0, f"{mongo_stats(result)}\n{result.log[-3000:]}"
        assert result.stats["finish_reason"] == "finished"
        assert "kongblog/mongo/dead_lettered" not in result.stats


def test_first_crawl_stores_every_truth_post_once(three_crawls):
    truth = three_crawls["truths"][0]
    first = three_crawls["runs"][0]
    assert len(truth) == PAGES * 15
    assert sorted(first["documents"]) == sorted(post["slug"] for post in truth)
    assert first["result"].stats["kongblog/mongo/upserted"] == len(truth)
    assert field_mismatches(first["documents"].values(), truth) == []
    assert three_crawls["indexes"]["slug_unique"]["unique"] is True


def test_documents_equal_the_exported_items(three_crawls):
    first = three_crawls["runs"][0]
    for item in first["result"].items:
        doc = first["documents"][item["slug"]]
        assert {k: doc[k] for k in item} == item


def test_second_crawl_moves_last_seen_only(three_crawls):
    first, second = (run["documents"] for run in three_crawls["runs"][:2])
    stats = three_crawls["runs"][1]["result"].stats
    assert stats.get("kongblog/mongo/upserted", 0) == 0
    assert stats.get("kongblog/mongo/modified", 0) == 0
    assert stats["kongblog/mongo/unchanged"] == PAGES * 15
    for slug, doc in second.items():
        assert doc["first_seen_at"] == first[slug]["first_seen_at"]
        assert doc["last_seen_at"] > first[slug]["last_seen_at"]
        assert doc["content_hash"] == first[slug]["content_hash"]
        assert "updated_at" not in doc


def test_changed_posts_get_updated_at_and_a_new_hash(three_crawls):
    before, after = three_crawls["truths"][1], three_crawls["truths"][2]
    changed = sorted(
        new["slug"] for old, new in zip(before, after, strict=True) if old != new
    )
    assert changed, "the replica's revision=1 changes at least one post on the first pages"
    second, third = (run["documents"] for run in three_crawls["runs"][1:])
    stats = three_crawls["runs"][2]["result"].stats
    assert stats["kongblog/mongo/modified"] == len(changed)
    assert stats["kongblog/mongo/unchanged"] == PAGES * 15 - len(changed)
    assert sorted(slug for slug, doc in third.items() if "updated_at" in doc) == changed
    for slug in changed:
        assert third[slug]["updated_at"] == third[slug]["last_seen_at"] > second[slug]["last_seen_at"]
        assert third[slug]["content_hash"] != second[slug]["content_hash"]
        assert third[slug]["title"] == next(p["title"] for p in after if p["slug"] == slug)
        assert third[slug]["first_seen_at"] == second[slug]["first_seen_at"]
        # the old title and excerpt, and when they were last seen
        old = next(p for p in before if p["slug"] == slug)
        assert third[slug]["history"] == [{
            "event": "changed", "at": third[slug]["last_seen_at"], "last_seen_at": second[slug]["last_seen_at"],
            "previous": {"title": old["title"], "excerpt": old["excerpt"]},
        }]  # fmt: skip
    assert not any("history" in doc for slug, doc in third.items() if slug not in changed)


# What `scrapy history` prints for the edited post, times aside (MongoDB's
# are the store's clock, the exports' the listing page's scrape time).
EDITED_HISTORY = """\
rate-limiting-strategies-for-public-apis  <base>/blog/engineering/rate-limiting-strategies-for-public-apis
<time>  first seen
<time>  changed (the previous values were last seen <time>)
    title: "Rate Limiting Strategies for Public APIs" -> "Rate Limiting Strategies for Public APIs (Update 1)"
    excerpt: "<old excerpt>" -> "Updated in revision 1: <old excerpt>"
<time>  last seen
"""


@pytest.mark.parametrize("source", ["mongodb", "exports"])
def test_scrapy_history_prints_the_edit_from_either_source(three_crawls, source):
    result = three_crawls["history"][source]
    assert result.returncode == 0, result.stderr
    before = next(p for p in three_crawls["truths"][0] if p["slug"] == EDITED)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", "<time>", result.stdout)
    text = text.replace(before["url"].split("/blog/")[0], "<base>").replace(before["excerpt"], "<old excerpt>")
    assert text == EDITED_HISTORY
    times = re.findall(r"^\S+(?=  )", result.stdout, re.MULTILINE)[1:]
    assert times == sorted(times) and len(times) == 3


# --- 2. A post removed, then back ---------------------------------------------------


REMOVED = generated_post("new", 20).slug  # page 2, position 6


@pytest.fixture(scope="module")
def gone_crawls(tmp_path_factory, mongo_uri, mongo_client):
    """Crawls of one blog; the post REMOVED disappears after the first one and
    comes back (while two others are edited) for the last one."""
    database = f"kongblog_gone_{time.monotonic_ns()}"
    env = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": database}
    posts = mongo_client[database]["posts"]
    plan = [
        ("first", {}, {}, {}),
        ("lost page", {"removed_posts": {REMOVED}, "fail_first": {3}}, {}, {"RETRY_TIMES": "0"}),
        ("max_pages", {"fail_first": set()}, {"max_pages": 2}, {}),
        ("incremental", {}, {"mode": "incremental"}, {}),
        ("healthy full", {}, {}, {}),
        ("back", {"removed_posts": set(), "revision": 1}, {}, {}),
    ]
    runs: dict[str, dict[str, Any]] = {}
    try:
        with ReplicaServer(markup="utility", pages=PAGES) as server:
            start_url = server.url("/blog/engineering")
            for label, options, args, settings in plan:
                if options:
                    server.set_options(**options)
                workdir = tmp_path_factory.mktemp(label.replace(" ", "_"))
                result = run_crawl(start_url, workdir, {**ARGS, **args}, {**BATCH, **settings}, env)
                runs[label] = {"result": result, "documents": by_slug(list(posts.find({}, {"_id": 0})))}
        history = run_scrapy("history", REMOVED, env=env)
    finally:
        mongo_client.drop_database(database)
    return {"runs": runs, "history": history}


def test_only_a_healthy_full_crawl_marks_a_missing_post_gone(gone_crawls):
    runs = gone_crawls["runs"]
    assert runs["first"]["result"].returncode == 0, runs["first"]["result"].log[-3000:]
    lost = runs["lost page"]["result"]
    assert lost.returncode == 1 and lost.stats["kongblog/listing_pages_lost"] == 1, lost.log[-3000:]
    for label in ("lost page", "max_pages", "incremental"):
        result, documents = runs[label]["result"], runs[label]["documents"]
        assert not any("gone_since" in doc for doc in documents.values()), label
        assert "kongblog/mongo/gone" not in result.stats, label
        assert "Posts missing from the listing are not marked gone" in result.log, label
    for label in ("max_pages", "incremental"):
        assert runs[label]["result"].returncode == 0, runs[label]["result"].log[-3000:]

    healthy = runs["healthy full"]
    assert healthy["result"].returncode == 0, healthy["result"].log[-3000:]
    assert healthy["result"].stats["kongblog/mongo/gone"] == 1
    assert " gone=1 " in healthy["result"].log
    marked = {slug: doc for slug, doc in healthy["documents"].items() if "gone_since" in doc}
    assert list(marked) == [REMOVED]
    # gone since that crawl (after the post was last seen, before anything it saw)
    doc = marked[REMOVED]
    assert runs["first"]["documents"][REMOVED]["last_seen_at"] == doc["last_seen_at"] < doc["gone_since"]
    assert doc["gone_since"] <= min(d["last_seen_at"] for s, d in healthy["documents"].items() if s != REMOVED)


def test_a_post_that_comes_back_is_cleared_and_its_history_shows_the_gap(gone_crawls):
    runs = gone_crawls["runs"]
    back = runs["back"]
    assert back["result"].returncode == 0, back["result"].log[-3000:]
    assert back["result"].stats["kongblog/mongo/back"] == 1
    assert " back=1 " in back["result"].log
    assert "kongblog/mongo/gone" not in back["result"].stats
    doc = back["documents"][REMOVED]
    assert "gone_since" not in doc
    was = runs["healthy full"]["documents"][REMOVED]
    assert doc["history"] == [
        {"event": "back", "at": doc["last_seen_at"], "gone_since": was["gone_since"], "last_seen_at": was["last_seen_at"]}
    ]
    assert doc["first_seen_at"] == runs["first"]["documents"][REMOVED]["first_seen_at"]
    history = gone_crawls["history"]
    assert history.returncode == 0, history.stderr
    lines = [re.sub(r"^\S+  ", "", line) for line in history.stdout.splitlines()[1:]]
    gone_since = doc["history"][0]["gone_since"].strftime("%Y-%m-%dT%H:%M:%S")
    assert lines[0] == "first seen"
    assert lines[1].startswith("gone (last seen ")
    assert lines[2].startswith(f"back (gone since {gone_since}.")
    assert lines[3] == "last seen"


# --- 3. Two crawls at once --------------------------------------------------------


def concurrent_crawls(server: ReplicaServer, workdir, env: dict[str, str]) -> list[CrawlResult]:
    settings = {"MONGO_BATCH_SIZE": "5", "MONGO_FLUSH_INTERVAL": "0.2"}
    start_url = server.url("/blog/engineering")
    processes = [start_crawl(start_url, workdir / name, ARGS, settings, env) for name in ("a", "b")]
    try:
        return [finish_crawl(p, workdir / name, timeout=120) for p, name in zip(processes, "ab", strict=True)]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()


def written(results: list[CrawlResult]) -> int:
    keys = ("upserted", "unchanged", "modified", "stale")
    return sum(r.stats.get(f"kongblog/mongo/{key}", 0) for r in results for key in keys)


def test_two_concurrent_crawls_store_each_post_once_and_each_edit_once(tmp_path, mongo_uri, mongo_client):
    database = f"kongblog_concurrent_{time.monotonic_ns()}"
    env = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": database}
    posts = mongo_client[database]["posts"]
    try:
        with ReplicaServer(markup="utility", pages=PAGES) as server:
            first = concurrent_crawls(server, tmp_path / "first", env)  # into an empty collection
            truth = sorted(post["slug"] for post in server.expected_items())
            slugs = [doc["slug"] for doc in posts.find({}, {"slug": 1})]
            server.set_options(revision=1)
            second = concurrent_crawls(server, tmp_path / "second", env)  # both see the edit
            documents = by_slug(list(posts.find({}, {"_id": 0})))
    finally:
        mongo_client.drop_database(database)
    for result in first + second:
        assert result.returncode == 0, f"{mongo_stats(result)}\n{result.log[-3000:]}"
    assert sorted(slugs) == truth
    assert sum(r.stats.get("kongblog/mongo/upserted", 0) for r in first) == len(truth)
    assert written(first) == written(second) == 2 * len(truth)
    assert sorted(documents) == truth
    assert [slug for slug, doc in documents.items() if "history" in doc] == [EDITED]  # the edit on these pages
    # one entry for the one edit, whichever crawl wrote it: none lost, none doubled
    assert [entry["previous"].keys() for entry in documents[EDITED]["history"]] == [{"title", "excerpt"}]


# --- 4. Server killed mid-crawl ---------------------------------------------------


def test_server_killed_mid_crawl_dead_letters_the_rest_and_replay_completes(tmp_path):
    workdir = tmp_path / "crawl"
    dead = tmp_path / "dead"
    settings = {
        **BATCH,
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        "MONGO_RETRY_WINDOW": "1",
        "MONGO_RETRY_INITIAL_DELAY": "0.1",
        "MONGO_SERVER_SELECTION_TIMEOUT_MS": "300",
        "MONGO_DEAD_LETTER_PATH": f"{dead}/dead-letter-{{timestamp}}.jsonl",
    }
    # 8 pages at 0.4 s each, one at a time, and page 6 answers only after 5 s:
    # the kill (after the first batch is stored) comes while pages are still to read
    replica = dict(markup="semantic", pages=2 * PAGES, delay=0.4, slow_once={6}, slow_seconds=5.0)
    with SecantusServer() as db, ReplicaServer(**replica) as server:
        env = {"MONGO_URI": db.uri, "MONGO_DATABASE": "kb"}
        client: MongoClient[dict[str, Any]] = MongoClient(db.uri, serverSelectionTimeoutMS=500)
        posts = client["kb"]["posts"]

        process = start_crawl(server.url("/blog/engineering"), workdir, ARGS, settings, env)
        try:
            deadline = time.monotonic() + 60
            while stored_count(posts) < 15 and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.05)
            assert process.poll() is None, "the crawl ended before the kill"
            stored_at_kill = stored_count(posts)
            db.kill()
            result = finish_crawl(process, workdir, timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
        truth = sorted(post["slug"] for post in server.expected_items())

        assert result.returncode != 0, f"{mongo_stats(result)}\n{result.log[-3000:]}"
        assert result.stats["kongblog/failed"].startswith("mongo_dead_lettered: ")
        assert "kongblog: crawl failed: mongo_dead_lettered" in result.log
        assert sorted(result.slugs()) == truth, "the feed export still gets every post"
        files = sorted(dead.glob("dead-letter-*.jsonl"))
        assert len(files) == 1, result.log[-3000:]
        lines = [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]
        assert result.stats["kongblog/mongo/dead_lettered"] == len(lines)
        assert any(str(files[0]) in line and " ERROR: " in line for line in result.log.splitlines())

        db.start()
        in_store = {doc["slug"] for doc in posts.find({}, {"slug": 1})}
        lettered = {line["item"]["slug"] for line in lines}
        assert len(in_store) >= stored_at_kill >= 15
        assert lettered, "posts scraped after the kill are dead-lettered"
        assert sorted(in_store | lettered) == truth
        # A batch in flight at the kill may have reached the store too.
        assert len(in_store & lettered) <= 15

        replay = run_scrapy("replay", str(files[0]), env=env)
        assert replay.returncode == 0, replay.stderr
        assert f"{len(lines)} post(s)" in replay.stdout
        assert sorted(doc["slug"] for doc in posts.find({}, {"slug": 1})) == truth
        client.close()


# --- 5. A listing whose cards show no date -------------------------------------------


class _UndatedListing(http.server.BaseHTTPRequestHandler):
    """One listing page of 12 cards, each a title link, an excerpt and a byline: no date anywhere."""

    CARDS = "".join(
        f'<article><h2><a href="/blog/engineering/undated-{n}">Undated post number {n}</a></h2>'
        f"<p>What the undated post number {n} is about, in a few words.</p><p>By Ana Souza</p></article>"
        for n in range(1, 13)
    )

    def do_GET(self) -> None:
        found = self.path.rstrip("/") == "/blog/engineering"
        body = f"<html><body><main>{self.CARDS}</main></body></html>".encode() if found else b"not found"
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_listing_without_dates_keeps_exports_and_stores_every_post_with_published_null(
    tmp_path, mongo_uri, mongo_client, mongo_db
):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _UndatedListing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = run_crawl(
            f"http://127.0.0.1:{server.server_address[1]}/blog/engineering", tmp_path, args=ARGS,
            settings={"KONGBLOG_MIN_COVERAGE": json.dumps({"published": 0})},  # as a user relaxes a field
            env={"MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db},
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.log[-3000:]
    expected = [f"undated-{n}" for n in range(1, 13)]
    assert [item["slug"] for item in result.items] == expected
    assert [(item["title"], item["published"], item["authors"]) for item in result.items] == [
        (f"Undated post number {n}", None, ["Ana Souza"]) for n in range(1, 13)
    ]
    assert result.stats["kongblog/missing/published"] == 12
    assert result.stats["kongblog/mongo/upserted"] == 12
    stored = by_slug(list(mongo_client[mongo_db]["posts"].find({}, {"_id": 0})))
    assert sorted(stored) == sorted(expected)
    assert all("published" in doc and doc["published"] is None for doc in stored.values())
