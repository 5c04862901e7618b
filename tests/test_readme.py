"""README.md as a newcomer follows it: its shell blocks that can run offline, run here, against the replica.

A block runs when the line before its fence is ``<!-- readme-test: runs offline -->``; the set-up step's
crawl command (``<!-- crawl-command -->``) runs with the live blog's URL replaced by a local replica's. They
run in a copy of the project whose ``.venv`` calls this test's Python, already installed (its stamp says so),
so scripts/crawl.sh installs nothing; the replica's documented port 8000 becomes a free one.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from replica import ReplicaServer
from tests.support.crawl import REPO, crawl_env, read_jsonl
from tests.support.mongo import free_port

README = (REPO / "README.md").read_text(encoding="utf-8")
RUNS_OFFLINE = "<!-- readme-test: runs offline -->"
PROJECT = ("README.md", "scrapy.cfg", "setup.py", "requirements.txt", "requirements-dev.txt")
PACKAGES = ("scripts", "kongblog", "replica")
SUMMARY_300 = "kongblog summary: pages=20 empty_pages=0 cards=300 items=300 dropped=0 finish_reason=finished"


def block_after(marker: str) -> str:
    """The fenced block right after *marker*'s line."""
    match = re.search(re.escape(marker) + r"\n```(?:sh|bash)\n(.*?)\n```\n", README, re.S)
    assert match, f"README.md has no ```sh block right after {marker}"
    return match.group(1)


def sandbox(tmp_path: Path) -> Path:
    """A fresh clone's files, with a .venv that is this interpreter and whose install stamp is current."""
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in PROJECT:
        shutil.copy2(REPO / name, clone / name)
    for name in PACKAGES:
        shutil.copytree(REPO / name, clone / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    bin_dir = clone / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool, command in (("python", sys.executable), ("scrapy", f"{sys.executable} -m scrapy")):
        (bin_dir / tool).write_text(f'#!/bin/sh\nexec {command} "$@"\n')
        (bin_dir / tool).chmod(0o755)
    stamp = subprocess.run(["bash", "-c", "source scripts/venv.sh && requirements_hash requirements.txt"],
                           cwd=clone, capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    (clone / ".venv" / ".installed-requirements.txt.sha256").write_text(stamp + "\n")
    return clone


def run_block(clone: Path, block: str) -> subprocess.CompletedProcess:
    """The block in bash, in its own process group, which is ended afterwards (a replica left in the
    background by a block that failed half-way goes with it)."""
    env = crawl_env()
    env.pop("PYTHONPATH")  # the clone's own kongblog, as a user has it
    process = subprocess.Popen(["bash", "-euo", "pipefail", "-c", block], cwd=clone, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=300)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        if process.poll() is None:
            process.kill()
            process.wait()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_the_two_set_up_commands_keep_the_layout_ci_reads():
    """.ci/run takes the second line after the test-command marker: the command itself."""
    for marker, command in (("<!-- crawl-command -->", "bash scripts/crawl.sh"),
                            ("<!-- test-command -->", "bash scripts/test.sh")):  # fmt: skip
        lines = README.split(marker + "\n", 1)[1].splitlines()
        assert lines[:3] == ["```sh", command, "```"]
    assert "about 7 minutes on 2 cores" in README


def test_every_local_link_and_script_exists():
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)", README):
        assert (REPO / target).exists(), target
    for script in re.findall(r"scripts/[\w.-]+\.sh", README):
        assert (REPO / script).is_file(), script
    tools = {Path(sys.executable).parent / name for name in re.findall(r"\.venv/bin/([\w-]+)", README)}
    assert {tool.name for tool in tools if not tool.exists()} == set()  # scrapy, python, scrapyd-deploy


@pytest.mark.slow
def test_the_offline_demo_runs_as_written(tmp_path):
    blocks = re.findall(re.escape(RUNS_OFFLINE) + r"\n```sh\n(.*?)\n```\n", README, re.S)
    assert len(blocks) == 1
    port = free_port()
    assert "--port 8000" in blocks[0] and "start_url=http://127.0.0.1:8000/" in blocks[0]
    clone = sandbox(tmp_path)
    done = run_block(clone, blocks[0].replace("8000", str(port)))
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stderr.splitlines()
    assert lines[-1].endswith(SUMMARY_300), done.stderr[-3000:]
    assert f"INFO: crawling http://127.0.0.1:{port}/blog/engineering into data/replica.jsonl" in done.stderr
    assert len(lines) <= 25 and "Traceback" not in done.stderr
    items = read_jsonl(clone / "data" / "replica.jsonl")
    assert len(items) == 300 and len({item["slug"] for item in items}) == 300
    assert SUMMARY_300 in README  # what the README says it prints


@pytest.mark.slow
def test_the_crawl_command_runs_against_the_replica(tmp_path):
    command = block_after("<!-- crawl-command -->")
    clone = sandbox(tmp_path)
    with ReplicaServer() as server:
        truth = {item["slug"] for item in server.expected_items()}
        done = run_block(clone, f"{command} -a start_url={server.url('/blog/engineering')} -s AUTOTHROTTLE_ENABLED=0")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.splitlines()[-1].endswith(SUMMARY_300)
    assert "Installing" not in done.stderr  # the stamp said installed
    assert {item["slug"] for item in read_jsonl(clone / "data" / "posts.jsonl")} == truth
