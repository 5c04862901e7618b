#!/usr/bin/env python3
"""Start one kongblog crawl on Scrapyd: what the scheduler's crontab runs (docs/deploy.md).

    kongblog-schedule-crawl full|incremental

POSTs schedule.json to SCRAPYD_URL (default http://scrapyd:6800/) with HTTP basic auth from
SCRAPYD_USERNAME / SCRAPYD_PASSWORD: project and spider kongblog, the spider argument mode, and
the extra schedule.json parameters of KONGBLOG_SCHEDULE_PARAMS (space-separated NAME=VALUE,
e.g. "max_pages=5 setting=LOG_LEVEL=DEBUG"). Prints one line with the job id; exits 1 with one
line on stderr when Scrapyd cannot be reached or refuses. Never prints the password. Standard
library only: the scheduler needs nothing of kongblog but this file.
"""

import base64
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

MODES = ("full", "incremental")
PROJECT = SPIDER = "kongblog"
TIMEOUT = 30


def parameters(mode: str) -> list[tuple[str, str]]:
    extra = os.environ.get("KONGBLOG_SCHEDULE_PARAMS", "").split()
    bad = [item for item in extra if "=" not in item]
    if bad:
        raise ValueError(f"KONGBLOG_SCHEDULE_PARAMS: not NAME=VALUE: {bad[0]!r}")
    return [("project", PROJECT), ("spider", SPIDER), ("mode", mode)] + [tuple(i.split("=", 1)) for i in extra]


def schedule(mode: str) -> str:
    url = urllib.parse.urljoin(os.environ.get("SCRAPYD_URL", "http://scrapyd:6800/"), "schedule.json")
    request = urllib.request.Request(url, data=urllib.parse.urlencode(parameters(mode)).encode(), method="POST")
    credentials = f"{os.environ.get('SCRAPYD_USERNAME', '')}:{os.environ.get('SCRAPYD_PASSWORD', '')}"
    request.add_header("Authorization", "Basic " + base64.b64encode(credentials.encode()).decode("ascii"))
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        answer = json.load(response)
    if answer.get("status") != "ok":
        raise RuntimeError(f"Scrapyd refused: {answer.get('message', answer)}")
    return answer["jobid"]


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in MODES:
        print(f"usage: {os.path.basename(argv[0])} {'|'.join(MODES)}", file=sys.stderr)
        return 2
    try:
        job = schedule(argv[1])
    except (OSError, ValueError, RuntimeError, urllib.error.URLError) as error:
        print(f"kongblog-schedule-crawl: {argv[1]} crawl not scheduled: {error}", file=sys.stderr)
        return 1
    print(f"kongblog-schedule-crawl: {argv[1]} crawl scheduled as job {job}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
