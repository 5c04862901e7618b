"""The crawl command's exit status: 1 whenever the output cannot be trusted."""

import asyncio
import os
import shutil
import subprocess

import pytest
from scrapy.http import Request, Response

from kongblog.commands.crawl import crawl_failure
from kongblog.items import PostItem
from kongblog.spiders.kongblog import KongBlogSpider
from replica import ReplicaServer
from tests.support.crawl import REPO, run_crawl
from tests.support.responses import project_crawler


@pytest.mark.parametrize(
    "stats, expected",
    [
        ({"finish_reason": "finished"}, None),
        ({"finish_reason": "shutdown"}, "finish reason 'shutdown'"),
        ({"finish_reason": "finished", "kongblog/failed": "mongo_dead_lettered: x"}, "mongo_dead_lettered: x"),
        ({"finish_reason": "finished", "feedexport/success_count/FileFeedStorage": 1}, None),
        (
            {"finish_reason": "finished", "spider_exceptions/count": 2, "spider_exceptions/ValueError": 2},
            "2 exception(s) in spider callbacks (see the log)",
        ),
    ],
)
def test_crawl_failure_reasons(stats, expected):
    assert crawl_failure(stats) == expected


def test_a_feed_that_was_not_stored_is_a_failure():
    stats = {"finish_reason": "finished", "item_scraped_count": 30}
    assert crawl_failure(stats, feeds=1) == "the feed could not be written: 0 of 1 feed(s) stored (see the log)"
    assert crawl_failure({**stats, "feedexport/success_count/FileFeedStorage": 1}, feeds=1) is None


@pytest.mark.slow
@pytest.mark.parametrize("output", ["/proc/kongblog-no-such-dir/posts.jsonl", "{tmp}/a-file/posts.jsonl", "{tmp}/a-folder.jsonl"])
def test_unwritable_feed_is_refused_before_any_request(tmp_path, output):
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "a-folder.jsonl").mkdir()
    output = output.format(tmp=tmp_path)
    with ReplicaServer(pages=2) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"render": "never"}, output_name=output)
        assert server.hits.total() == 0
    assert result.returncode == 2
    assert f"cannot write the feed {output}:" in result.log
    assert "Traceback" not in result.log


def test_unreadable_article_keeps_the_card():
    crawler = project_crawler(KongBlogSpider, KONGBLOG_HEALTH_CHECKS=False)
    spider = KongBlogSpider.from_crawler(crawler, start_url="https://blog.test/blog/engineering", render="never")
    card = PostItem(slug="x", url="https://blog.test/blog/engineering/x", title="X")
    binary = Response("https://blog.test/blog/engineering/x", body=b"\x89PNG\x00\x00", request=Request("https://blog.test/blog/engineering/x"))
    result = asyncio.run(spider.parse_article(binary, card))
    assert result is card
    report = spider.report
    assert (report.articles_failed, report.items_emitted, report.articles_enriched) == (1, 1, 0)


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, message",
    [
        ({"start_url": ""}, "start_url is empty: give the absolute http(s) URL of a listing"),
        ({"start_url": "blog/engineering"}, "start_url must be an absolute http(s) URL of a listing, got 'blog/engineering'"),
        ({"max_page": "1"}, "unknown spider argument 'max_page': the kongblog spider takes start_url, category,"),
        ({"max_pages": "abc"}, "max_pages must be a whole number of at least 1, got 'abc'"),
        ({"category": "../../etc", "start_url": None}, "category must be a category's name as in its URL"),
        ({"render": "maybe"}, "render must be one of auto, always, never, got 'maybe'"),
        ({"mode": "incremental"}, "mode=incremental needs to know which posts exist already"),
    ],
)
def test_bad_arguments_exit_two_with_one_line_and_fetch_nothing(tmp_path, args, message):
    with ReplicaServer(pages=2) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args=args)
        assert server.hits.total() == 0
    assert result.returncode == 2
    errors = [line for line in result.log.splitlines() if "error:" in line]
    assert len(errors) == 1 and message in errors[0], result.log[-2000:]
    assert "Traceback" not in result.log
    assert not result.output.exists()


@pytest.mark.slow
def test_spaces_around_the_start_url_are_no_redirect(tmp_path):
    with ReplicaServer(pages=2) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"render": "never", "start_url": f"  {server.url('/blog/engineering')} "})
    assert result.returncode == 0, result.log[-2000:]
    assert len(result.items) == 30
    assert "redirected to" not in result.log and "skipped" not in result.log


# --- scripts/crawl.sh: installs once, again only when the requirements change ------------------

FAKE_PYTHON3 = """#!/bin/sh
# python3 for scripts/venv.sh: the version check passes, `-m venv .venv` makes a .venv whose python and scrapy
# only record how they were called.
case "$1" in
  -c) exit 0 ;;
  -m) mkdir -p "$3/bin"
      for tool in python scrapy; do
        printf '#!/bin/sh\\necho "%s $*" >> "$CALLS"\\n' "$tool" > "$3/bin/$tool"; chmod +x "$3/bin/$tool"
      done ;;
esac
"""


def test_crawl_script_installs_once_and_again_when_requirements_change(tmp_path):
    repo = tmp_path / "clone"
    (repo / "scripts").mkdir(parents=True)
    for name in ("scripts/crawl.sh", "scripts/venv.sh", "requirements.txt"):
        shutil.copy(REPO / name, repo / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").write_text(FAKE_PYTHON3)
    (bin_dir / "python3").chmod(0o755)
    calls = tmp_path / "calls.txt"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CALLS": str(calls)}

    def crawl(*arguments: str) -> list[str]:
        done = subprocess.run(["bash", "scripts/crawl.sh", *arguments], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
        assert done.returncode == 0, done.stderr
        recorded = calls.read_text().splitlines()
        calls.unlink()
        return recorded

    install = ["python -m pip install -q --upgrade pip", "python -m pip install -r requirements.txt"]
    assert crawl("-a", "max_pages=2") == [*install, "scrapy crawl kongblog -O data/posts.jsonl -a max_pages=2"]
    assert crawl("-o", "x.jsonl") == ["scrapy crawl kongblog -o x.jsonl"]  # no second install
    with (repo / "requirements.txt").open("a") as requirements:
        requirements.write("w3lib\n")
    assert crawl() == [*install, "scrapy crawl kongblog -O data/posts.jsonl"]
    assert crawl() == ["scrapy crawl kongblog -O data/posts.jsonl"]
