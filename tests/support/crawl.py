"""Run ``scrapy crawl kongblog`` the way a user does, in a subprocess.

A subprocess gives every crawl a fresh Twisted reactor, the real command-line
entry point (settings module, custom ``crawl`` command, exit status) and the
real feed export.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Test crawls hit a local replica: no politeness delay is needed there.
TEST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlResult:
    returncode: int
    items: list[dict]
    stats: dict
    log: str
    output: Path

    def slugs(self) -> list[str]:
        return [item["slug"] for item in self.items]


def crawl_command(start_url: str, workdir: Path, args: dict | None = None,
                  settings: dict | None = None, output_name: str = "posts.jsonl", append: bool = False) -> list[str]:
    arguments = {"start_url": start_url, **(args or {})}  # args may replace start_url (None: leave it out)
    command = [sys.executable, "-m", "scrapy", "crawl", "kongblog"]
    for name, value in arguments.items():
        if value is not None:
            command += ["-a", f"{name}={value}"]
    # Each crawl its own HTTP cache (kongblog/httpcache.py) unless the test shares one on purpose.
    merged = {**TEST_SETTINGS, "KONGBLOG_STATS_FILE": str(workdir / "stats.json"),
              "HTTPCACHE_DIR": str(workdir / "httpcache"), **(settings or {})}
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    command += ["-o" if append else "-O", str(workdir / output_name)]
    return command


def crawl_env(env: dict | None = None) -> dict:
    """This process's environment without ``MONGO_*`` and ``KONGBLOG_*``
    variables (a developer's own settings must not leak into a test), the
    repository on ``PYTHONPATH``, plus *env*."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MONGO_", "KONGBLOG_"))}
    base["PYTHONPATH"] = str(REPO) + os.pathsep + base.get("PYTHONPATH", "")
    base.update(env or {})
    return base


def start_crawl(start_url: str, workdir: Path, args: dict | None = None, settings: dict | None = None,
                env: dict | None = None, output_name: str = "posts.jsonl", append: bool = False) -> subprocess.Popen:
    """A crawl running in the background (for tests that interrupt it)."""
    workdir.mkdir(parents=True, exist_ok=True)
    with open(workdir / "crawl.log", "w") as log:  # the child keeps its own handle
        return subprocess.Popen(
            crawl_command(start_url, workdir, args, settings, output_name, append),
            cwd=REPO, env=crawl_env(env), stdout=log, stderr=subprocess.STDOUT,
        )


def finish_crawl(process: subprocess.Popen, workdir: Path, timeout: float = 300,
                 output_name: str = "posts.jsonl") -> CrawlResult:
    process.wait(timeout=timeout)
    return read_result(process.returncode, workdir, output_name)


def read_result(returncode: int, workdir: Path, output_name: str = "posts.jsonl") -> CrawlResult:
    output = workdir / output_name
    items = read_jsonl(output)
    stats_file = workdir / "stats.json"
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    log_file = workdir / "crawl.log"
    log = log_file.read_text(errors="replace") if log_file.exists() else ""
    return CrawlResult(returncode, items, stats, log, output)


def run_crawl(start_url: str, workdir: Path, args: dict | None = None, settings: dict | None = None,
              env: dict | None = None, timeout: float = 300, output_name: str = "posts.jsonl",
              append: bool = False) -> CrawlResult:
    """Crawl to completion; the result holds the exported items, the stats and the log.
    ``append`` exports with ``-o`` (append) instead of ``-O`` (overwrite)."""
    process = start_crawl(start_url, workdir, args, settings, env, output_name, append)
    try:
        return finish_crawl(process, workdir, timeout, output_name)
    finally:
        if process.poll() is None:
            process.kill()


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
