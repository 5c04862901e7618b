"""What ``scrapy crawl kongblog`` prints for a person at a console: little, and the summary last.

Unreachable site, refused argument, a healthy crawl of the replica (quiet on the console, everything in a log
file), and the live progress line on a pseudo-terminal.
"""

from __future__ import annotations

import dataclasses
import os
import pty
import re
import subprocess
import time

import pytest

from kongblog.commands.crawl import REPLICA_HINT
from replica import ReplicaServer
from tests.support.crawl import REPO, crawl_command, crawl_env, run_crawl
from tests.support.mongo import free_port

pytestmark = pytest.mark.slow

SCRAPY_DUMPS = ("Overridden settings", "Enabled extensions", "Enabled downloader middlewares",
                "Enabled item pipelines", "Dumping Scrapy stats", "Scrapy 2.", "Versions:")  # fmt: skip


@pytest.mark.parametrize(
    "start_url, host, why",
    [
        ("http://kongblog-offline.invalid/blog/engineering", "kongblog-offline.invalid", "its name does not resolve"),
        ("http://127.0.0.1:{port}/blog/engineering", "127.0.0.1:{port}", "the connection was refused"),
    ],
)
def test_an_unreachable_site_is_one_line_naming_the_replica(tmp_path, start_url, host, why):
    port = free_port()  # nothing listens there
    start_url, host = start_url.format(port=port), host.format(port=port)
    result = run_crawl(start_url, tmp_path, settings={"RETRY_TIMES": "1"})
    assert result.returncode == 1
    lines = result.log.splitlines()
    assert lines[-1] == f"kongblog: cannot reach {host} ({why}): {REPLICA_HINT}", result.log
    assert "-m replica --port 8000 & bash scripts/crawl.sh -a start_url=http://127.0.0.1:8000/" in lines[-1]
    assert [line for line in lines if "replica" in line] == [lines[-1]]
    assert "Traceback" not in result.log
    assert [line for line in lines if " ERROR: " in line or " WARNING: " in line] == []
    # Before it: the start line (and the store's one line), nothing else.
    assert len(lines) <= 3 and f"INFO: crawling {start_url} into " in result.log, result.log


def test_a_refused_argument_prints_one_line(tmp_path):
    with ReplicaServer(pages=2) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"max_page": "1"})
        assert server.hits.total() == 0
    assert result.returncode == 2
    assert result.log.splitlines() == [
        "kongblog: error: unknown spider argument 'max_page': the kongblog spider takes start_url, category, "
        "max_pages, render, mode, known, articles"
    ]


def test_a_healthy_crawl_is_quiet_on_the_console_and_complete_in_its_log_file(tmp_path):
    with ReplicaServer(delay=0.05) as server:
        start_url = server.url("/blog/engineering")
        console = run_crawl(start_url, tmp_path / "console")
        logged = run_crawl(start_url, tmp_path / "file", settings={
            "LOG_FILE": str(tmp_path / "crawl.log"), "KONGBLOG_PROGRESS_INTERVAL": "0.1"})  # fmt: skip
    assert console.returncode == logged.returncode == 0
    assert len(console.items) == len(logged.items) == 300

    lines = console.log.splitlines()
    assert len(lines) <= 25, console.log
    assert f"INFO: crawling {start_url} into {tmp_path / 'console' / 'posts.jsonl'}" in lines[1]
    assert "kongblog summary: pages=20 empty_pages=0 cards=300 items=300 dropped=0" in lines[-1]
    assert not [dump for dump in SCRAPY_DUMPS if dump in console.log]

    # With LOG_FILE (as on Scrapyd) the file has Scrapy's dumps and progress lines, the console nothing.
    assert logged.log == ""
    log = (tmp_path / "crawl.log").read_text()
    assert [dump for dump in SCRAPY_DUMPS if dump in log] == list(SCRAPY_DUMPS)
    assert re.search(r"INFO: kongblog progress: listing pages \d+( of 20)?, items \d+, errors 0\n", log), log
    assert "\r" not in log
    # Scrapyd serves job logs at /logs/: the telnet console's password must not be in them; and no crawl
    # needs a port that runs Python code (Scrapy's remote control).
    assert "TelnetConsole" not in log and "Telnet Password" not in log
    assert "Remote control" not in log and "RemoteControl" not in log


def test_a_terminal_gets_a_live_progress_line_and_the_summary_last(tmp_path):
    """stderr on a pseudo-terminal: the progress line is drawn and redrawn in place (carriage return, erase
    line), and once it is erased for good the output ends with the summary."""
    with ReplicaServer(delay=0.2) as server:
        command = crawl_command(server.url("/blog/engineering"), tmp_path)
        main, secondary = pty.openpty()
        process = subprocess.Popen(command, cwd=REPO, env=crawl_env(), stdin=subprocess.DEVNULL,
                                   stdout=secondary, stderr=secondary)  # fmt: skip
        os.close(secondary)
        output = read_all(main, process)
    assert process.returncode == 0, output
    redraws = re.findall(r"\r\x1b\[Kkongblog: listing pages (\d+)(?: of 20)?, items (\d+), errors 0", output)
    assert redraws, output
    assert int(redraws[-1][0]) <= 20 and int(redraws[-1][1]) <= 300
    shown = screen(output)
    assert shown[-1].endswith(
        "kongblog summary: pages=20 empty_pages=0 cards=300 items=300 dropped=0 finish_reason=finished"
    ), repr(output[-2000:])
    assert not [line for line in shown if "kongblog: listing pages" in line], shown  # erased in place
    assert len(shown) <= 25


def screen(output: str) -> list[str]:
    """The lines a terminal shows after *output*: carriage return, erase-to-end-of-line and new lines."""
    lines, current, cursor = [], "", 0
    for token in re.split(r"(\r\n|\n|\r|\x1b\[K)", output):
        if token in ("\r\n", "\n"):
            lines.append(current)
            current, cursor = "", 0
        elif token == "\r":
            cursor = 0
        elif token == "\x1b[K":
            current = current[:cursor]
        else:
            current = current[:cursor] + token + current[cursor + len(token):]
            cursor += len(token)
    return lines + ([current] if current else [])


def read_all(fd: int, process: subprocess.Popen, timeout: float = 300) -> str:
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the other end closed: the crawl exited
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(fd)
        if process.poll() is None:
            process.kill()
    return b"".join(chunks).decode(errors="replace")


def test_the_progress_line_counts_pages_of_those_promised_items_errors_and_articles():
    from kongblog.extensions.progress import CrawlProgress
    from kongblog.spiders.kongblog import KongBlogSpider
    from tests.support.responses import project_crawler

    crawler = project_crawler(KongBlogSpider)
    crawler.stats.open_spider()
    progress = CrawlProgress.from_crawler(crawler)
    spider = KongBlogSpider.from_crawler(crawler, start_url="https://blog.test/blog/engineering", render="never",
                                         max_pages="12", articles="1")  # fmt: skip
    progress.spider = spider
    spider.report.promised_last = 20
    spider.report.cards_per_page.update({1: 15, 2: 15, 3: 0})
    spider.report.articles_enriched, spider.report.articles_failed = 7, 1
    crawler.stats.set_value("item_scraped_count", 30)
    crawler.stats.set_value("log_count/ERROR", 2)
    assert progress.line() == "listing pages 3 of 12, items 30, errors 2, articles 8"
    spider.params = dataclasses.replace(spider.params, articles=False, max_pages=None)
    assert progress.line() == "listing pages 3 of 20, items 30, errors 2"


def test_progress_is_off_at_interval_zero():
    from scrapy.exceptions import NotConfigured

    from kongblog.extensions.progress import CrawlProgress
    from tests.support.responses import project_crawler

    with pytest.raises(NotConfigured):
        CrawlProgress.from_crawler(project_crawler(KONGBLOG_PROGRESS_INTERVAL=0))
