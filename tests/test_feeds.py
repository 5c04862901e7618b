"""`-O FILE` replaces FILE only when the crawl ends healthy; a failed crawl leaves its items beside it."""

import json
import socket

import pytest

from replica import ReplicaServer
from tests.support.crawl import read_jsonl, run_crawl
from tests.support.overrides import answering, gzip_bomb

pytestmark = pytest.mark.slow

NEVER = {"render": "never"}
PREVIOUS = "".join(json.dumps({"slug": f"old-{n}", "title": f"Old {n}"}) + "\n" for n in range(300)).encode()


def last_line(log: str) -> str:
    return [line for line in log.splitlines() if line.strip()][-1]


def previous_export(workdir):
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "posts.jsonl").write_bytes(PREVIOUS)
    return workdir / "posts.jsonl"


def test_a_healthy_crawl_replaces_the_previous_export(tmp_path):
    output = previous_export(tmp_path)
    with ReplicaServer(pages=2) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args=NEVER)
        truth = server.expected_items()
    assert result.returncode == 0, result.log[-2000:]
    assert [item["slug"] for item in read_jsonl(output)] == [item["slug"] for item in truth]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["crawl.log", "httpcache", "posts.jsonl", "stats.json"]


def test_an_unreachable_site_keeps_the_previous_export(tmp_path):
    output = previous_export(tmp_path)
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = run_crawl(f"http://127.0.0.1:{port}/blog/engineering", tmp_path, args=NEVER,
                       settings={"RETRY_TIMES": "0"})
    assert result.returncode == 1
    assert output.read_bytes() == PREVIOUS
    # Nothing scraped: no empty sibling; the last line is the one that says the site cannot be reached.
    assert not (tmp_path / "posts.failed.jsonl").exists()
    assert last_line(result.log).startswith(f"kongblog: cannot reach 127.0.0.1:{port} ")
    assert not (tmp_path / "posts.jsonl.partial").exists()


def test_a_crawl_that_loses_a_page_keeps_the_previous_export_and_its_items_beside_it(tmp_path):
    output = previous_export(tmp_path)
    with ReplicaServer(pages=3) as server:
        truth = server.expected_items()
        with answering(server, {"/blog/engineering/page/2": gzip_bomb(2 * 1024 * 1024)}):
            result = run_crawl(server.url("/blog/engineering"), tmp_path, args=NEVER,
                               settings={"DOWNLOAD_MAXSIZE": str(1024 * 1024)})
    assert result.returncode == 1
    assert output.read_bytes() == PREVIOUS
    kept = read_jsonl(tmp_path / "posts.failed.jsonl")
    assert [item["slug"] for item in kept] == [item["slug"] for item in truth if item["listing_page"] != 2]
    assert str(tmp_path / "posts.failed.jsonl") in last_line(result.log)


def test_append_still_appends_whatever_the_verdict(tmp_path):
    output = previous_export(tmp_path)
    with ReplicaServer(pages=3) as server:
        with answering(server, {"/blog/engineering/page/2": gzip_bomb(2 * 1024 * 1024)}):
            result = run_crawl(server.url("/blog/engineering"), tmp_path, args=NEVER, append=True,
                               settings={"DOWNLOAD_MAXSIZE": str(1024 * 1024)})
    assert result.returncode == 1
    assert output.read_bytes().startswith(PREVIOUS)
    assert len(read_jsonl(output)) == 300 + 30
    assert not (tmp_path / "posts.failed.jsonl").exists()
