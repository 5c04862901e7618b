"""The scheduler: BusyBox crond, started by the scheduler service's entrypoint, triggers crawls on Scrapyd.

End to end on this machine: docker/scheduler-entrypoint.sh writes the crontab from the environment and
runs the real ``busybox crond``; its entries run docker/schedule-crawl.py (the image's
kongblog-schedule-crawl), which POSTs schedule.json to a real Scrapyd (tests/test_scrapyd.py's
fixtures: authentication, kongblog_scrapyd hooks) where the project is deployed; the crawls read the
replica and store into MongoDB. Both schedules are "every minute", so the test waits for the next
minute (at most 60 s) and stops crond once it has started one crawl of each kind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from replica import ReplicaServer
from tests.support.crawl import read_jsonl
from tests.test_scrapyd import PROJECT, SPIDER, copy_project, deploy, start_scrapyd, summary_of, wait_for_job  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
ENTRYPOINT = ROOT / "docker" / "scheduler-entrypoint.sh"
SCHEDULE_CRAWL = ROOT / "docker" / "schedule-crawl.py"
LISTING = "/blog/engineering"
CROND_WAIT = 90.0  # the next minute, and some
USER = subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()  # the crontab's name

pytestmark = pytest.mark.timeout(240)


def has_crond() -> bool:
    busybox = shutil.which("busybox")
    return bool(busybox) and "crond" in subprocess.run([busybox, "--list"], capture_output=True, text=True).stdout


needs_crond = pytest.mark.skipif(not has_crond(), reason="busybox with crond not installed (apt-get install busybox-static)")


def scheduler_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What the scheduler container has: the image's commands on PATH, its variables."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    link = bin_dir / "kongblog-schedule-crawl"
    if not link.exists():
        link.symlink_to(SCHEDULE_CRAWL)
    return {"PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path),
            "KONGBLOG_CRONTABS": str(tmp_path / "crontabs"), **extra}  # fmt: skip


def jobs_of(scrapyd) -> list[dict]:
    jobs = scrapyd.get("listjobs.json", project=PROJECT)
    return jobs["pending"] + jobs["running"] + jobs["finished"]


@needs_crond
def test_crond_starts_an_incremental_and_a_full_crawl_on_scrapyd(
    start_scrapyd, tmp_path, mongo_uri, mongo_client, mongo_db  # noqa: F811
):
    scrapyd = start_scrapyd()
    credentials = {"SCRAPYD_USERNAME": scrapyd.username, "SCRAPYD_PASSWORD": scrapyd.password}
    deployed = deploy(scrapyd, copy_project(tmp_path / "project"), SCRAPYD_URL=scrapyd.url, **credentials)
    assert deployed.returncode == 0, deployed.stderr

    with ReplicaServer(pages=2) as replica:
        params = [f"start_url={replica.url(LISTING)}", "setting=AUTOTHROTTLE_ENABLED=False",
                  f"setting=MONGO_URI={mongo_uri}", f"setting=MONGO_DATABASE={mongo_db}"]  # fmt: skip
        env = scheduler_env(
            tmp_path, SCRAPYD_URL=scrapyd.url, **credentials, KONGBLOG_SCHEDULE_PARAMS=" ".join(params),
            KONGBLOG_INCREMENTAL_SCHEDULE="* * * * *", KONGBLOG_FULL_SCHEDULE="* * * * *",
        )  # fmt: skip
        log_path = tmp_path / "scheduler.log"
        with log_path.open("ab") as log:  # O_APPEND, as a pipe behaves: crond and its jobs all write to it
            crond = subprocess.Popen(["/bin/sh", str(ENTRYPOINT)], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + CROND_WAIT
            while time.monotonic() < deadline and crond.poll() is None:
                if len(jobs_of(scrapyd)) >= 2 and log_path.read_text().count(" crawl scheduled as job ") >= 2:
                    break
                time.sleep(0.5)
        finally:
            crond.terminate()
            crond.wait(10)
        scheduler_log = log_path.read_text(errors="replace")
        started = jobs_of(scrapyd)
        assert len(started) == 2, f"crond started {len(started)} crawls in {CROND_WAIT:g}s\n{scheduler_log}"
        finished = {job["id"]: wait_for_job(scrapyd, job["id"]) for job in started}
        truth = replica.expected_items()

    crontab = (tmp_path / "crontabs" / USER).read_text()
    assert scrapyd.password not in crontab and scrapyd.password not in scheduler_log
    scheduled = dict(re.findall(r"kongblog-schedule-crawl: (\w+) crawl scheduled as job (\w+)", scheduler_log))
    assert set(scheduled) == {"full", "incremental"} and set(scheduled.values()) == set(finished), scheduler_log

    logs = {mode: (scrapyd.dirs["logs"] / PROJECT / SPIDER / f"{job}.log").read_text() for mode, job in scheduled.items()}
    for mode, log in logs.items():
        assert summary_of(log)["finish_reason"] == "finished" and "FAILED:" not in log, (mode, log[-2000:])
    assert "incremental crawl:" in logs["incremental"] and "incremental crawl:" not in logs["full"]
    items = read_jsonl(scrapyd.dirs["items"] / PROJECT / SPIDER / f"{scheduled['full']}.jl")
    assert sorted(item["slug"] for item in items) == sorted(item["slug"] for item in truth)
    assert mongo_client[mongo_db]["posts"].count_documents({}) == len(truth)
    # The HTTP cache is on under Scrapyd too (a job runs outside any project: Scrapy alone would turn it off),
    # in the job's working directory, Scrapyd's, where the next job finds it.
    assert list((scrapyd.workdir / ".scrapy" / "httpcache" / SPIDER).glob("*/*/response_body"))


def test_crontab_from_the_environment(tmp_path):
    """The entrypoint's crontab, without starting crond (a stand-in busybox records its arguments)."""
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "busybox").write_text('#!/bin/sh\necho "busybox $*"\n')
    (fake / "busybox").chmod(0o755)
    env = scheduler_env(tmp_path, KONGBLOG_FULL_SCHEDULE="15 4 * * 1-5", KONGBLOG_INCREMENTAL_SCHEDULE="")
    env["PATH"] = f"{fake}:{env['PATH']}"
    result = subprocess.run(["/bin/sh", str(ENTRYPOINT)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("busybox crond -f -l 8 -L /proc/")
    lines = (tmp_path / "crontabs" / USER).read_text().splitlines()
    assert len(lines) == 1 and re.fullmatch(r"15 4 \* \* 1-5 kongblog-schedule-crawl full >>/proc/\d+/fd/2 2>&1", lines[0])
    assert "incremental 'off', full '15 4 * * 1-5'" in result.stderr

    defaults = scheduler_env(tmp_path)
    defaults["PATH"] = f"{fake}:{defaults['PATH']}"
    subprocess.run(["/bin/sh", str(ENTRYPOINT)], env=defaults, capture_output=True, text=True, timeout=30, check=True)
    crontab = (tmp_path / "crontabs" / USER).read_text()
    assert [line.split(" >")[0] for line in crontab.splitlines()] == [
        "0 * * * * kongblog-schedule-crawl incremental", "30 3 * * * kongblog-schedule-crawl full",
    ]

    for bad in ("hourly", "0 * * *", "0 * * * * rm -rf /"):
        env["KONGBLOG_FULL_SCHEDULE"] = bad
        refused = subprocess.run(["/bin/sh", str(ENTRYPOINT)], env=env, capture_output=True, text=True, timeout=30)
        assert refused.returncode == 64 and "KONGBLOG_FULL_SCHEDULE" in refused.stderr, bad
        assert "busybox" not in refused.stdout


def test_schedule_crawl_says_why_it_could_not(tmp_path):
    """Scrapyd unreachable: one line on stderr, exit 1, no password."""
    from tests.support.mongo import free_port

    env = {"PATH": os.environ["PATH"], "SCRAPYD_URL": f"http://127.0.0.1:{free_port()}/",
           "SCRAPYD_USERNAME": "u", "SCRAPYD_PASSWORD": "a-secret-password-123"}  # fmt: skip
    result = subprocess.run(["python3", str(SCHEDULE_CRAWL), "incremental"], env=env, capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("kongblog-schedule-crawl: incremental crawl not scheduled: ")
    assert "a-secret-password-123" not in result.stderr
    usage = subprocess.run(["python3", str(SCHEDULE_CRAWL), "hourly"], env=env, capture_output=True, text=True)
    assert usage.returncode == 2
