"""JOBDIR: a crawl killed at any point and run again exports every post; a JOBDIR is held by one crawl; a queue
that cannot be read is refused. (A clean pause and resume: tests/test_chaos.py, 4.)"""

import signal

import pytest

from replica import ReplicaServer
from tests.support.chaos import listing_hits, wait_until
from tests.support.crawl import finish_crawl, run_crawl, start_crawl

pytestmark = pytest.mark.slow

NEVER = {"render": "never"}
DELAY = 0.2  # seconds per response: a crawl of a few seconds, killed mid-way


def interrupted(server, workdir, settings, listing_responses, how=signal.SIGKILL):
    """A crawl stopped by ``how`` once the replica saw ``listing_responses`` listing requests."""
    process = start_crawl(server.url("/blog/engineering"), workdir / "first", NEVER, settings, output_name="first.jsonl")
    try:
        wait_until(lambda: listing_hits(server) >= listing_responses, timeout=60,
                   what=f"{listing_responses} listing requests", alive=lambda: process.poll() is None)
        process.send_signal(how)
        return finish_crawl(process, workdir / "first", timeout=120, output_name="first.jsonl")
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize("listing_responses", [1, 6, 14])
def test_a_crawl_killed_at_any_point_then_run_again_exports_every_post(tmp_path, listing_responses):
    settings = {"JOBDIR": str(tmp_path / "job")}
    with ReplicaServer(delay=DELAY) as server:
        truth = [item["slug"] for item in server.expected_items()]
        first = interrupted(server, tmp_path, settings, listing_responses)
        assert first.returncode == -signal.SIGKILL
        second = run_crawl(server.url("/blog/engineering"), tmp_path / "second", NEVER, settings, timeout=120)
        third = run_crawl(server.url("/blog/engineering"), tmp_path / "third", NEVER, settings, timeout=120)
    assert second.returncode == 0, second.log[-3000:]
    assert f"JOBDIR {tmp_path / 'job'}: the last crawl in it did not close (killed?)" in second.log
    assert second.slugs() == truth  # whatever the killed run had exported, in listing order
    # A JOBDIR whose crawl ended is not "resumed" into a crawl of nothing: the next run crawls again.
    assert third.returncode == 0 and third.slugs() == truth
    assert "the last crawl in it ended" in third.log


def test_a_jobdir_held_by_a_running_crawl_is_refused(tmp_path):
    settings = {"JOBDIR": str(tmp_path / "job")}
    with ReplicaServer(delay=1.0) as server:  # a crawl of 5 s at least: the second starts meanwhile
        url = server.url("/blog/engineering")
        first = start_crawl(url, tmp_path / "first", NEVER, settings)
        try:
            wait_until(lambda: listing_hits(server) >= 1, timeout=60, what="the first crawl running",
                       alive=lambda: first.poll() is None)
            second = run_crawl(url, tmp_path / "second", NEVER, settings, timeout=60)
            done = finish_crawl(first, tmp_path / "first", timeout=120)
        finally:
            if first.poll() is None:
                first.kill()
        truth = [item["slug"] for item in server.expected_items()]
    assert second.returncode == 2
    assert second.log.strip().splitlines()[-1].endswith(
        f"error: JOBDIR {tmp_path / 'job'} is in use by another crawl (running: pid {first.pid})")
    assert "Spider opened" not in second.log
    assert done.returncode == 0 and done.slugs() == truth


def test_a_queue_that_cannot_be_read_is_refused_before_anything_starts(tmp_path):
    settings = {"JOBDIR": str(tmp_path / "job")}
    with ReplicaServer(delay=DELAY) as server:
        first = interrupted(server, tmp_path, settings, 6, how=signal.SIGINT)
        assert first.returncode == 1 and first.stats["finish_reason"] == "shutdown"
        queued = sorted(p for p in (tmp_path / "job" / "requests.queue").rglob("*") if p.name != "active.json"
                        and p.is_file())
        assert queued, "the paused crawl left requests in its queue"
        queued[0].write_bytes(queued[0].read_bytes()[:-3])  # cut, as a full disk or a copy leaves it
        server.reset_hits()
        resumed = run_crawl(server.url("/blog/engineering"), tmp_path / "second", NEVER, settings, timeout=60)
        assert server.hits.snapshot() == {}
    assert resumed.returncode == 2
    last = resumed.log.strip().splitlines()[-1]
    assert f"error: JOBDIR {tmp_path / 'job'}: its request queue cannot be read ({queued[0]}: " in last, last
    assert last.endswith(f"delete {tmp_path / 'job'} to crawl from the start")


def test_a_resumed_crawl_asks_again_for_a_page_its_queue_lost(tmp_path):
    settings = {"JOBDIR": str(tmp_path / "job")}
    with ReplicaServer(delay=DELAY) as server:
        first = interrupted(server, tmp_path, settings, 6, how=signal.SIGINT)
        assert first.returncode == 1 and first.stats["finish_reason"] == "shutdown"
        queued = sorted(p for p in (tmp_path / "job" / "requests.queue").rglob("*") if p.name != "active.json"
                        and p.is_file())
        assert queued, "the paused crawl left requests in its queue"
        queued[0].write_bytes(b"\0\0\0\0")  # a readable queue that lost its requests
        second = run_crawl(server.url("/blog/engineering"), tmp_path / "second", NEVER, settings, timeout=120)
        truth = [item["slug"] for item in server.expected_items()]
    assert second.returncode == 0, second.log[-3000:]
    assert "listing pages never answered, asked for again: [" in second.log
    assert sorted(first.slugs() + second.slugs()) == sorted(truth)
