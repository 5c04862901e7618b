"""Alerts through Apprise (kongblog/extensions/notify.py), received by a local JSON webhook.

Apprise's ``json://HOST:PORT/PATH`` POSTs ``{"version", "title", "message", "type", ...}`` to
``http://HOST:PORT/PATH``; the receiver here keeps every request it gets.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from replica import ReplicaServer
from tests.support.crawl import run_crawl
from tests.support.mongo import free_port

pytestmark = pytest.mark.timeout(240)

LISTING = "/blog/engineering"
SECRET = "s3cret-Passw0rd-xyz"
TOKEN = "tok-9f8e7d6c5b4a"


class Receiver:
    """A JSON webhook on 127.0.0.1: ``posts`` holds (path, JSON body) of every POST."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                outer.posts.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str = "hook") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def silent_server():
    """Accepts connections (the kernel does, from its backlog) and never answers one."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


def crawl(replica, tmp_path, name, notify=None, args=None, settings=None):
    env = {"KONGBLOG_NOTIFY": notify} if notify else {}
    return run_crawl(replica.url(LISTING), tmp_path / name, args=args, settings=settings, env=env, timeout=120)


def test_failed_crawl_posts_its_reasons(tmp_path, receiver):
    with ReplicaServer(pages=3, fail_first={2}) as replica:
        result = crawl(replica, tmp_path, "failed", notify=receiver.url("alerts"), settings={"RETRY_TIMES": "0"})
        lost = replica.url(f"{LISTING}/page/2")
    assert result.returncode == 1, result.log[-2000:]
    assert [path for path, _ in receiver.posts] == ["/alerts"]
    body = receiver.posts[0][1]
    assert body["type"] == "failure"
    assert body["title"] == f"kongblog crawl of {replica.url(LISTING)} FAILED"
    reasons = result.stats["kongblog/failures"]
    assert reasons[0] == f"listing page lost: {lost}"
    assert body["message"].splitlines()[: len(reasons) + 1] == ["It failed:"] + [f"- {why}" for why in reasons]


def test_healthy_incremental_crawl_sends_the_new_posts(tmp_path, receiver):
    with ReplicaServer(pages=3) as replica:
        first = crawl(replica, tmp_path, "full", notify=receiver.url())
        assert first.returncode == 0 and receiver.posts == []  # a full crawl without MongoDB knows nothing new
        replica.set_options(new_posts=2)
        new = [item for item in replica.expected_items() if item["slug"] not in set(first.slugs())]
        result = crawl(replica, tmp_path, "incremental", notify=receiver.url(),
                       args={"mode": "incremental", "known": str(first.output)})  # fmt: skip
    assert result.returncode == 0, result.log[-2000:]
    assert len(new) == 2 and len(receiver.posts) == 1
    body = receiver.posts[0][1]
    assert body["type"] == "info"
    assert body["title"] == f"kongblog crawl of {replica.url(LISTING)}: 2 new"
    assert body["message"].splitlines() == ["2 new:"] + [f"- {item['title']} {item['url']}" for item in new]


def test_full_crawl_with_mongo_sends_new_changed_and_gone(tmp_path, receiver, mongo_uri, mongo_client, mongo_db):
    store = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db, "MONGO_COLLECTION": "posts"}
    with ReplicaServer(pages=3) as replica:
        before = {item["slug"]: item for item in replica.expected_items()}
        assert crawl(replica, tmp_path, "first", settings=store).returncode == 0
        removed = sorted(before)[0]
        replica.set_options(new_posts=1, revision=1, removed_posts={removed})
        after = {item["slug"]: item for item in replica.expected_items()}
        result = crawl(replica, tmp_path, "second", notify=receiver.url(), settings=store)
    assert result.returncode == 0, result.log[-2000:]
    new = sorted(set(after) - set(before))
    changed = sorted(slug for slug in set(after) & set(before) if after[slug]["title"] != before[slug]["title"])
    assert len(new) == 1 and changed
    assert len(receiver.posts) == 1
    body = receiver.posts[0][1]
    assert body["title"] == f"kongblog crawl of {replica.url(LISTING)}: 1 new, {len(changed)} changed, 1 gone"
    lines = body["message"].splitlines()
    post = after[new[0]]
    assert lines[:2] == ["1 new:", f"- {post['title']} {post['url']}"]
    assert lines[2] == f"{len(changed)} changed:"
    assert set(lines[3 : 3 + len(changed)]) == {f"- {after[s]['title']} {after[s]['url']}" for s in changed}
    gone = before[removed]
    assert lines[3 + len(changed) :] == ["1 gone:", f"- {gone['title']} {gone['url']}"]


def log_time(log: str, text: str) -> datetime:
    line = next(line for line in log.splitlines() if text in line)
    return datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")


def test_dead_channels_cost_a_bounded_wait_and_never_the_exit_status(tmp_path, receiver, silent_server):
    timeout = 1.0
    dead = [
        f"json://127.0.0.1:{free_port()}/closed",  # nothing listens: refused at once
        f"json://hook-user:{SECRET}@127.0.0.1:{silent_server}/never/{TOKEN}",  # accepts, never answers
        f"nosuch://hook-user:{SECRET}@host/{TOKEN}",  # Apprise cannot use it (and logs it)
    ]
    # Every line, Apprise's debug lines (which quote URL paths) included.
    settings = {"KONGBLOG_NOTIFY_TIMEOUT": str(timeout), "RETRY_TIMES": "0", "LOG_LEVEL": "DEBUG"}
    with ReplicaServer(pages=3, fail_first={2}) as replica:
        quiet = crawl(replica, tmp_path, "quiet", settings=settings)
        replica.reset_faults()
        noisy = crawl(replica, tmp_path, "noisy", notify=" ".join([*dead, receiver.url("alive")]), settings=settings)
    assert quiet.returncode == noisy.returncode == 1  # the crawl's own verdict, unchanged
    assert [path for path, _ in receiver.posts] == ["/alive"]  # the working channel still got it
    closing = log_time(noisy.log, "Closing spider (")
    closed = log_time(noisy.log, "Spider closed (")
    stamped = [line for line in noisy.log.splitlines() if re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", line)]
    last = datetime.strptime(stamped[-1][:19], "%Y-%m-%d %H:%M:%S")
    assert (closed - closing).total_seconds() <= 10 * timeout, noisy.log[-2000:]
    assert (last - closing).total_seconds() <= 10 * timeout, noisy.log[-2000:]  # no thread holds the exit
    assert re.search(r"ERROR: Notification not delivered \(PARTIAL\) within 1s", noisy.log), noisy.log[-2000:]
    for secret in (SECRET, TOKEN, "hook-user"):
        assert secret not in noisy.log


def test_unset_sends_nothing(tmp_path, receiver):
    with ReplicaServer(pages=2, fail_first={2}) as replica:
        result = crawl(replica, tmp_path, "unset", settings={"RETRY_TIMES": "0", "LOG_FILE": str(tmp_path / "scrapy.log")})
    assert result.returncode == 1 and receiver.posts == []
    log = (tmp_path / "scrapy.log").read_text(encoding="utf-8")  # the quiet console lists no components
    assert "CrawlNotifier" not in log.split("Enabled extensions:", 1)[1].split("]", 1)[0]
    assert "CrawlNotifier" not in result.log  # and no "Disabled" warning on the console
