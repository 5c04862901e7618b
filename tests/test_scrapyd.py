"""End to end: kongblog deployed to a real Scrapyd and crawled from there.

A ``scrapyd`` subprocess runs in a temporary folder with the container's
``docker/scrapyd.conf`` (loopback, a free port, poll every second, every
directory in the temporary folder) and HTTP basic auth from
``SCRAPYD_USERNAME`` / ``SCRAPYD_PASSWORD``. ``scrapyd-deploy prod`` (the
project's own ``scrapy.cfg`` target, whose URL and credentials come from the
environment) builds the egg in a temporary copy of the project, so nothing is
written into the repository, and uploads it. A crawl of the offline replica
is then scheduled through ``schedule.json`` with spider arguments and
``setting=`` overrides (MongoDB among them), and its items file, the MongoDB
collection and its log are checked against the replica's ground truth.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support.crawl import read_jsonl
from tests.support.mongo import free_port

ROOT = Path(__file__).resolve().parents[1]
SCRAPYD_CONF = ROOT / "docker" / "scrapyd.conf"
HEALTHCHECK = ROOT / "docker" / "scrapyd-healthcheck.py"
PROJECT = SPIDER = "kongblog"
VERSION = "e2e-1"

# What the egg is built from (a copy of it, outside the repository).
PROJECT_FILES = ("setup.py", "scrapy.cfg", "requirements.txt")
PROJECT_PACKAGE = "kongblog"
# What building an egg leaves next to setup.py.
BUILD_LEFTOVERS = ("build", "kongblog.egg-info", "project.egg-info", "dist")

# Fields compared exactly between the ground truth, the items file and MongoDB.
COMPARED_FIELDS = ("url", "title", "published", "category_slug", "listing_page", "listing_position")

# Replica shape: pages 1..MAX_PAGES are crawled (max_pages spider argument),
# the page after them exists and must not be.
REPLICA_PAGES = 4
MAX_PAGES = 3

START_TIMEOUT = 30.0
JOB_TIMEOUT = 60.0

pytestmark = pytest.mark.timeout(180)


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without what would change what runs: no
    PYTHONPATH (the job must import kongblog from the egg), no settings or
    credentials of the developer's shell, no proxies, a home of its own (no
    ~/.scrapyd.conf, ~/.scrapy.cfg or ~/.netrc)."""
    dropped_prefixes = ("MONGO_", "KONGBLOG_", "SCRAPYD_", "SCRAPY_")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(dropped_prefixes)
        and key not in ("PYTHONPATH", "PYTHONHOME")
        and not key.lower().endswith("_proxy")
    }
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    env.update(extra)
    return env


class Scrapyd:
    """A scrapyd subprocess in *workdir*; see :func:`scrapyd`."""

    def __init__(self, workdir: Path, home: Path) -> None:
        self.workdir = workdir
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.username = "kongblog-e2e"
        self.password = secrets.token_urlsafe(16)
        self.dirs = {name: workdir / name for name in ("eggs", "dbs", "logs", "items")}
        self.log_path = workdir / "scrapyd.log"
        self.process: subprocess.Popen | None = None
        self.http = requests.Session()
        self.http.trust_env = False  # no proxy, no .netrc
        self.http.auth = (self.username, self.password)

    def write_config(self) -> None:
        """docker/scrapyd.conf, with this machine's loopback, port and folders."""
        config = configparser.ConfigParser(interpolation=None)
        config.read(SCRAPYD_CONF, encoding="utf-8")
        section = config["scrapyd"]
        section["bind_address"] = "127.0.0.1"
        section["http_port"] = str(self.port)
        section["poll_interval"] = "1"
        for name, path in self.dirs.items():
            section[f"{name}_dir"] = str(path)
        self.workdir.mkdir(parents=True, exist_ok=True)
        with (self.workdir / "scrapyd.conf").open("w", encoding="utf-8") as handle:
            config.write(handle)

    @property
    def env(self) -> dict[str, str]:
        return isolated_env(self.home, SCRAPYD_USERNAME=self.username, SCRAPYD_PASSWORD=self.password)

    def start(self) -> None:
        self.write_config()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "scrapyd"],
                cwd=self.workdir, env=self.env,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"scrapyd exited with status {self.process.returncode}\n{self.log_tail()}")
            try:
                if self.get("daemonstatus.json")["status"] == "ok":
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"scrapyd did not answer daemonstatus.json in {START_TIMEOUT:g}s\n{self.log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def get(self, endpoint: str, **params: str) -> dict:
        response = self.http.get(self.url + endpoint, params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, endpoint: str, data: list[tuple[str, str]]) -> dict:
        response = self.http.post(self.url + endpoint, data=data, timeout=60)
        response.raise_for_status()
        return response.json()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@pytest.fixture
def scrapyd(tmp_path):
    server = Scrapyd(tmp_path / "scrapyd", tmp_path / "home")
    (tmp_path / "home").mkdir()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def copy_project(destination: Path) -> Path:
    """What scrapyd-deploy needs to build the egg, outside the repository."""
    destination.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, destination / name)
    shutil.copytree(
        ROOT / PROJECT_PACKAGE, destination / PROJECT_PACKAGE,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )  # fmt: skip
    return destination


def deploy(scrapyd: Scrapyd, project_dir: Path, target: str = "prod", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", target, "--version", VERSION],
        cwd=project_dir,
        env=isolated_env(scrapyd.home, **env),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def wait_for_job(scrapyd: Scrapyd, job: str) -> dict:
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        jobs = scrapyd.get("listjobs.json", project=PROJECT)
        for entry in jobs["finished"]:
            if entry["id"] == job:
                return entry
        time.sleep(0.5)
    pytest.fail(f"job {job} did not finish in {JOB_TIMEOUT:g}s: {jobs}\n{scrapyd.log_tail()}")


def summary_of(log: str) -> dict[str, str]:
    lines = [line for line in log.splitlines() if "kongblog summary:" in line]
    assert len(lines) == 1, f"expected one kongblog summary line in the job log, found {len(lines)}"
    summary = lines[0].split("kongblog summary:", 1)[1]
    return dict(re.findall(r"(\w+)=(\S+)", summary))


def test_scrapyd_auth_and_container_healthcheck(scrapyd):
    """Scrapyd took the credentials from its environment, as in the container,
    and the container's healthcheck script passes only with them."""
    anonymous = requests.get(scrapyd.url + "daemonstatus.json", timeout=10)
    assert anonymous.status_code == 401
    wrong = requests.get(scrapyd.url + "daemonstatus.json", auth=(scrapyd.username, "wrong"), timeout=10)
    assert wrong.status_code == 401
    assert scrapyd.get("daemonstatus.json")["status"] == "ok"

    healthcheck_env = {"SCRAPYD_HEALTHCHECK_URL": scrapyd.url + "daemonstatus.json"}
    ok = subprocess.run(
        [sys.executable, str(HEALTHCHECK)],
        env={**scrapyd.env, **healthcheck_env}, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    refused = subprocess.run(
        [sys.executable, str(HEALTHCHECK)],
        env=isolated_env(scrapyd.home, **healthcheck_env), capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert refused.returncode == 1 and "401" in refused.stderr


def test_deploy_schedule_and_crawl_the_replica(scrapyd, tmp_path, mongo_uri, mongo_client, mongo_db):
    from replica import ReplicaServer

    leftovers_before = {name for name in BUILD_LEFTOVERS if (ROOT / name).exists()}

    # The job must import kongblog from the egg and nowhere else.
    probe = subprocess.run(
        [sys.executable, "-c", "import importlib.util; print(importlib.util.find_spec('kongblog'))"],
        cwd=scrapyd.workdir, env=scrapyd.env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert probe.stdout.strip() == "None", (
        "kongblog is importable without the egg (installed into the environment?): "
        "the Scrapyd job would not run the deployed code"
    )

    # Deploy with the project's own "prod" target.
    project_dir = copy_project(tmp_path / "project")
    credentials = {"SCRAPYD_USERNAME": scrapyd.username, "SCRAPYD_PASSWORD": scrapyd.password}
    refused = deploy(scrapyd, project_dir, SCRAPYD_URL=scrapyd.url)
    assert refused.returncode != 0 and "401" in refused.stderr, "deploy without credentials must be refused"
    deployed = deploy(scrapyd, project_dir, SCRAPYD_URL=scrapyd.url, **credentials)
    assert deployed.returncode == 0, deployed.stderr + deployed.stdout
    answer = json.loads(deployed.stdout)
    assert answer["status"] == "ok" and answer["project"] == PROJECT and answer["version"] == VERSION
    assert scrapyd.get("listversions.json", project=PROJECT)["versions"] == [VERSION]
    assert SPIDER in scrapyd.get("listspiders.json", project=PROJECT)["spiders"]
    assert {name for name in BUILD_LEFTOVERS if (ROOT / name).exists()} == leftovers_before, (
        "deploying wrote build files into the repository"
    )

    collection = "posts_e2e"
    with ReplicaServer(pages=REPLICA_PAGES) as replica:
        truth = expected_items(replica)
        wanted = [item for item in truth if item["listing_page"] <= MAX_PAGES]
        unwanted = {item["slug"] for item in truth} - {item["slug"] for item in wanted}
        assert wanted and unwanted, "the replica must have pages beyond max_pages"

        started = time.monotonic()
        scheduled = scrapyd.post("schedule.json", [
            ("project", PROJECT),
            ("spider", SPIDER),
            # spider arguments
            ("start_url", start_url(replica)),
            ("max_pages", str(MAX_PAGES)),
            # settings
            ("setting", f"MONGO_URI={mongo_uri}"),
            ("setting", f"MONGO_DATABASE={mongo_db}"),
            ("setting", f"MONGO_COLLECTION={collection}"),
            ("setting", "AUTOTHROTTLE_ENABLED=False"),
        ])  # fmt: skip
        assert scheduled["status"] == "ok", scheduled
        job = scheduled["jobid"]
        finished = wait_for_job(scrapyd, job)
        elapsed = time.monotonic() - started

    log_file = scrapyd.dirs["logs"] / PROJECT / SPIDER / f"{job}.log"
    items_file = scrapyd.dirs["items"] / PROJECT / SPIDER / f"{job}.jl"
    assert log_file.is_file(), f"no job log at {log_file}\n{scrapyd.log_tail()}"
    log = log_file.read_text(encoding="utf-8", errors="replace")
    context = f"(job took {elapsed:.1f}s)\n--- job log tail ---\n" + "\n".join(log.splitlines()[-30:])

    # The job log: the crawl summary says every wanted post came through.
    summary = summary_of(log)
    assert summary.get("finish_reason") == "finished", context
    assert "FAILED:" not in log, context
    assert int(summary["items"]) == len(wanted), context
    assert summary.get("dropped") == "0", context
    # Served over HTTP too (behind the same authentication).
    assert finished.get("log_url") == f"/logs/{PROJECT}/{SPIDER}/{job}.log"
    assert "kongblog summary:" in scrapyd.http.get(scrapyd.url + finished["log_url"].lstrip("/"), timeout=10).text

    # The items file Scrapyd's feed wrote: every wanted post once, no other.
    assert items_file.is_file(), context
    items = read_jsonl(items_file)
    assert finished.get("items_url") == f"/items/{PROJECT}/{SPIDER}/{job}.jl"
    assert_same_posts(items, wanted, unwanted, "items file")

    # The MongoDB collection named by the setting= overrides: the same.
    documents = list(mongo_client[mongo_db][collection].find({}, {"_id": False}))
    assert_same_posts(documents, wanted, unwanted, "MongoDB collection")

    # Job history is in SQLite (jobstorage in docker/scrapyd.conf): it survives a restart.
    scrapyd.stop()
    scrapyd.start()
    assert job in {entry["id"] for entry in scrapyd.get("listjobs.json", project=PROJECT)["finished"]}


def assert_same_posts(got: list[dict], wanted: list[dict], unwanted: set[str], where: str) -> None:
    slugs = [item["slug"] for item in got]
    assert len(slugs) == len(set(slugs)), f"{where}: duplicate slugs"
    assert not set(slugs) & unwanted, f"{where}: posts beyond max_pages: {sorted(set(slugs) & unwanted)}"
    missing = {item["slug"] for item in wanted} - set(slugs)
    extra = set(slugs) - {item["slug"] for item in wanted}
    assert not missing and not extra, f"{where}: missing {sorted(missing)}, unexpected {sorted(extra)}"
    assert len(got) == len(wanted)
    by_slug = {item["slug"]: item for item in got}
    for truth in wanted:
        item = by_slug[truth["slug"]]
        for name in COMPARED_FIELDS:
            assert item[name] == truth[name], f"{where}: {truth['slug']}.{name}: {item[name]!r} != {truth[name]!r}"


def expected_items(replica) -> list[dict]:
    return replica.expected_items()


def start_url(replica) -> str:
    return replica.url(f"/blog/{replica.options.category}")
