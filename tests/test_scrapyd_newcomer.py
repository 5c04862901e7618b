"""A Scrapyd job that refuses its arguments says why in its own log, and Scrapyd records that it failed.

Scrapyd 1.6 keeps no exit status in listjobs.json (a finished job is finished); its own log records a
non-zero one ("Process died: exitstatus=2"). The job's log, which listjobs.json links (log_url), ends with the
refusal: the one line ``scrapy crawl`` prints on a console. The Scrapyd machinery is tests/test_scrapyd.py's.
"""

from __future__ import annotations

import pytest

from tests.test_scrapyd import (  # noqa: F401 - fixtures
    PROJECT, SPIDER, copy_project, deploy, scrapyd, start_scrapyd, start_url, summary_of, wait_for_job,
)  # fmt: skip

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

REFUSAL = (
    "kongblog: error: unknown spider argument 'max_page': the kongblog spider takes start_url, category, "
    "max_pages, render, mode, known, articles"
)


def test_a_bad_argument_is_in_the_job_log_and_the_job_failed(scrapyd, tmp_path):
    from replica import ReplicaServer

    credentials = {"SCRAPYD_USERNAME": scrapyd.username, "SCRAPYD_PASSWORD": scrapyd.password}
    deployed = deploy(scrapyd, copy_project(tmp_path / "project"), SCRAPYD_URL=scrapyd.url, **credentials)
    assert deployed.returncode == 0, deployed.stderr + deployed.stdout

    with ReplicaServer(pages=3) as replica:
        listing = start_url(replica)
        jobs = {}
        for name, argument in (("misspelt", "max_page"), ("right", "max_pages")):
            scheduled = scrapyd.post("schedule.json", [
                ("project", PROJECT), ("spider", SPIDER),
                ("start_url", listing), (argument, "2"),
                ("setting", "AUTOTHROTTLE_ENABLED=False"),
            ])  # fmt: skip
            assert scheduled["status"] == "ok", scheduled
            jobs[name] = scheduled["jobid"]
        finished = {name: wait_for_job(scrapyd, job) for name, job in jobs.items()}
        assert replica.hits.total() > 0  # the right job crawled

    def job_log(name: str) -> list[str]:
        url = scrapyd.url + finished[name]["log_url"].lstrip("/")
        return scrapyd.http.get(url, timeout=10).text.splitlines()

    misspelt = job_log("misspelt")
    assert misspelt[-1].endswith(f"[kongblog] ERROR: {REFUSAL}"), misspelt[-5:]
    assert [line for line in misspelt if "error:" in line.lower()] == [misspelt[-1]]
    assert not [line for line in misspelt if "Usage" in line or "Traceback" in line]

    scrapyd_log = scrapyd.log_path.read_text(errors="replace")
    died = [line for line in scrapyd_log.splitlines() if "Process died: exitstatus=2" in line]
    assert len(died) == 1 and f"job='{jobs['misspelt']}'" in died[0], scrapyd.log_tail()
    assert "Process died" not in scrapyd_log.replace(died[0], "")  # the right job finished cleanly
    assert REFUSAL in scrapyd_log  # the job's stderr, which Scrapyd logs too

    right = "\n".join(job_log("right"))
    assert summary_of(right)["items"] == "30" and summary_of(right)["finish_reason"] == "finished"
    assert f"[kongblog.extensions.progress] INFO: crawling {listing} into " in right
