"""``scrapy replay``: dead-letter files back into MongoDB, idempotently."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from pymongo import MongoClient
from scrapy.settings import Settings

from kongblog.store.config import StoreConfig
from kongblog.store.documents import Observation, parse_time
from kongblog.store.posts import PostStore
from tests.support.mongo import PASSWORD, free_port, run_scrapy, spellings, store_settings, synthetic_post

T0 = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.timezone.utc)


def record(number: int, seen_at: dt.datetime, **changes: Any) -> str:
    post = Observation(dataclasses.asdict(synthetic_post(number, **changes)), seen_at)
    return json.dumps(post.to_record())


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def env(mongo_uri: str, mongo_db: str) -> dict[str, str]:
    return {"MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db}


@pytest.fixture
def posts(mongo_client: MongoClient, mongo_db: str) -> Any:
    return mongo_client[mongo_db]["posts"]


def test_replay_needs_a_path_and_a_uri(tmp_path, env):
    no_path = run_scrapy("replay", env=env)
    assert no_path.returncode == 2
    assert "give at least one dead-letter file" in no_path.stderr
    no_uri = run_scrapy("replay", str(write(tmp_path / "dl.jsonl", [])))
    assert no_uri.returncode == 2
    assert "MONGO_URI is not set" in no_uri.stderr


def test_replay_from_several_files_keeps_the_newest_copy_of_a_post(tmp_path, env, posts):
    one = write(tmp_path / "one.jsonl", [record(1, T0), record(2, T0, title="Old title")])
    two = write(tmp_path / "two.jsonl", ["", record(2, T0 + dt.timedelta(minutes=5), title="New title")])
    result = run_scrapy("replay", str(one), str(two), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "read 3 line(s) from 2 file(s): 2 post(s), 1 older duplicate(s), 0 invalid"
    )
    assert "upserted 2, modified 0, unchanged 0, stale 0, rejected 0" in result.stdout
    doc = posts.find_one({"slug": "post-00002"})
    assert doc["title"] == "New title"
    assert doc["first_seen_at"] == doc["last_seen_at"] == T0 + dt.timedelta(minutes=5)
    assert posts.count_documents({}) == 2


def test_replay_never_rolls_back_a_newer_stored_post(tmp_path, env, posts, mongo_uri, mongo_db):
    newer = Observation(dataclasses.asdict(synthetic_post(1, title="Current")), T0 + dt.timedelta(days=1))

    async def store_newer() -> None:
        store = PostStore(StoreConfig.from_settings(Settings(store_settings(MONGO_URI=mongo_uri, MONGO_DATABASE=mongo_db))))
        await store.connect()
        try:
            await store.write([newer])
        finally:
            await store.close()

    asyncio.run(store_newer())
    path = write(tmp_path / "dl.jsonl", [record(1, T0, title="Outdated"), record(2, T0)])
    result = run_scrapy("replay", str(path), env=env)
    assert result.returncode == 0, result.stderr
    assert "upserted 1, modified 0, unchanged 0, stale 1, rejected 0" in result.stdout
    assert posts.find_one({"slug": "post-00001"})["title"] == "Current"


def test_replay_marks_changed_content_and_keeps_its_history(tmp_path, env, posts):
    write(tmp_path / "a.jsonl", [record(1, T0)])
    assert run_scrapy("replay", str(tmp_path / "a.jsonl"), env=env).returncode == 0
    later = T0 + dt.timedelta(hours=2)
    write(tmp_path / "b.jsonl", [record(1, later, title="Retitled")])
    result = run_scrapy("replay", str(tmp_path / "b.jsonl"), env=env)
    assert result.returncode == 0, result.stderr
    assert "upserted 0, modified 1, unchanged 0, stale 0, rejected 0" in result.stdout
    doc = posts.find_one({"slug": "post-00001"})
    assert doc["updated_at"] == later
    assert doc["first_seen_at"] == T0
    assert doc["history"] == [{"event": "changed", "at": later, "last_seen_at": T0, "previous": {"title": "Post number 1"}}]
    again = run_scrapy("replay", str(tmp_path / "b.jsonl"), env=env)  # idempotent: no second entry
    assert "upserted 0, modified 0, unchanged 1, stale 0, rejected 0" in again.stdout
    assert len(posts.find_one({"slug": "post-00001"})["history"]) == 1


def test_replay_accepts_feed_export_lines(tmp_path, env, posts):
    item = dataclasses.asdict(synthetic_post(3, scraped_at="2026-10-05T08:09:10Z"))
    path = write(tmp_path / "posts.jsonl", [json.dumps(item)])
    result = run_scrapy("replay", str(path), env=env)
    assert result.returncode == 0, result.stderr
    doc = posts.find_one({"slug": "post-00003"}, {"_id": 0})
    assert doc["last_seen_at"] == parse_time("2026-10-05T08:09:10Z")
    assert {k: doc[k] for k in item} == item


def test_replay_reports_bad_lines_and_exits_1(tmp_path, env, posts):
    path = write(
        tmp_path / "dl.jsonl",
        [
            record(1, T0),
            "{not json",
            record(2, T0, title=None),
            "[1, 2]",
            record(3, T0, published="2023-02-30"),
        ],
    )
    result = run_scrapy("replay", str(path), env=env)
    assert result.returncode == 1
    assert f"{path}:2: not a card: not JSON (JSONDecodeError" in result.stderr
    assert f"{path}:3: invalid card: title: missing" in result.stderr
    assert f"{path}:4: not a card: not a JSON object" in result.stderr
    assert f"{path}:5: invalid card: published:" in result.stderr
    assert "read 5 line(s) from 1 file(s): 1 post(s), 0 older duplicate(s), 4 invalid" in result.stdout
    assert [d["slug"] for d in posts.find()] == ["post-00001"]


@pytest.mark.parametrize("form", ["percent-encoded", "raw"])
def test_replay_to_an_unreachable_server_exits_1_with_masked_uri(tmp_path, form):
    path = write(tmp_path / "dl.jsonl", [record(1, T0)])
    password = quote_plus(PASSWORD) if form == "percent-encoded" else PASSWORD  # raw: pymongo refuses the URI
    port = free_port()
    uri = f"mongodb://bob:{password}@127.0.0.1:{port}/?authSource=admin"
    result = run_scrapy("replay", str(path), "-s", "MONGO_SERVER_SELECTION_TIMEOUT_MS=300", env={"MONGO_URI": uri})
    assert result.returncode == 1
    output = result.stderr + result.stdout
    assert f"error: MongoDB at mongodb://***@127.0.0.1:{port}/?authSource=admin " in result.stderr
    assert f"mongodb://***@127.0.0.1:{port}/?authSource=admin kongblog.posts: upserted 0" in result.stdout
    for spelling in spellings(PASSWORD):
        assert spelling not in output
    assert "bob" not in output


# A file cut inside a multi-byte character, and a line nested past Python's recursion limit: every reader of
# JSON lines (replay, history --exports; known= in tests/test_incremental.py) names the line and keeps the others.
CUT = '{"slug": "caf\u00e9'.encode()[:-1]
DEEP = b"[" * 200_000


def test_replay_keeps_every_good_line_of_a_damaged_file(tmp_path, env, posts):
    path = tmp_path / "dl.jsonl"
    path.write_bytes(b"".join(record(n, T0).encode() + b"\n" for n in (1, 2)) + DEEP + b"\n"
                     + b"".join(record(n, T0).encode() + b"\n" for n in (3, 4)) + CUT)
    result = run_scrapy("replay", str(path), env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}:3: not a card: not JSON (RecursionError" in result.stderr
    assert f"{path}:6: not a card: not JSON (UnicodeDecodeError" in result.stderr
    assert "read 6 line(s) from 1 file(s): 4 post(s), 0 older duplicate(s), 2 invalid" in result.stdout
    assert sorted(d["slug"] for d in posts.find()) == ["post-00001", "post-00002", "post-00003", "post-00004"]


def test_history_from_damaged_exports_shows_what_it_can_and_exits_1(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "a.jsonl").write_bytes(record(1, T0).encode() + b"\n" + DEEP + b"\n")
    later = record(1, T0 + dt.timedelta(days=1), title="A new title")
    (exports / "b.jsonl").write_bytes(later.encode() + b"\n" + CUT)
    result = run_scrapy("history", "post-00001", "--exports", str(exports))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"skipped {exports / 'a.jsonl'}:2: not JSON (RecursionError" in result.stderr
    assert f"skipped {exports / 'b.jsonl'}:2: not JSON (UnicodeDecodeError" in result.stderr
    assert '-> "A new title"' in result.stdout


def test_a_dead_letter_seen_in_the_future_is_refused_and_never_freezes_the_post(tmp_path, env, posts):
    """A line whose seen_at is past tomorrow (a wrong clock, a hand edit) would win over every later crawl
    ("the newest observation wins") and freeze the post: it is named by file:line and skipped, exit 1."""
    now = dt.datetime.now(dt.timezone.utc)
    path = write(tmp_path / "dl.jsonl", [
        record(1, now.replace(year=2099), title="Frozen"),
        record(2, now - dt.timedelta(hours=1)),
        record(3, now + dt.timedelta(minutes=5)),  # a few minutes of clock skew is no future
    ])
    result = run_scrapy("replay", str(path), env=env)
    assert result.returncode == 1
    assert f"{path}:1: not a card: ValueError: seen_at 2099-" in result.stderr
    assert "read 3 line(s) from 1 file(s): 2 post(s), 0 older duplicate(s), 1 invalid" in result.stdout
    assert sorted(d["slug"] for d in posts.find()) == ["post-00002", "post-00003"]
