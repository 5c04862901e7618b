"""End to end: kongblog deployed to a real Scrapyd and crawled from there.

A ``scrapyd`` subprocess runs in a temporary folder with the container's
``docker/scrapyd.conf`` (loopback, a free port, poll every second, every
directory in the temporary folder), its kongblog_scrapyd hooks imported from
docker/ (authentication required, Host / Origin checks, credentials kept out
of the jobs' environment) and HTTP basic auth from ``SCRAPYD_USERNAME`` /
``SCRAPYD_PASSWORD``. ``scrapyd-deploy prod`` (the
project's own ``scrapy.cfg`` target, whose URL and credentials come from the
environment) builds the egg in a temporary copy of the project, so nothing is
written into the repository, and uploads it. A crawl of the offline replica
is then scheduled through ``schedule.json`` with spider arguments and
``setting=`` overrides (MongoDB among them), and its items file, the MongoDB
collection and its log are checked against the replica's ground truth.

Smaller tests upload a throwaway "probe" egg, built here, whose spider module
records the environment of every process that imports it (from
/proc/self/environ): refused uploads (anonymous, forged Host, foreign
Origin) and what the jobs see. scripts/scrapyd-local.sh, the documented
local Scrapyd, is started too, and deployed to with scrapy.cfg's default
target.
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
import stat
import time
import zipfile
from pathlib import Path

import pytest
import requests

from tests.support.crawl import read_jsonl
from tests.support.mongo import free_port

ROOT = Path(__file__).resolve().parents[1]
SCRAPYD_CONF = ROOT / "docker" / "scrapyd.conf"
HEALTHCHECK = ROOT / "docker" / "scrapyd-healthcheck.py"
# Where kongblog_scrapyd (scrapyd.conf's application and webroot) is imported from.
HOOKS_DIR = ROOT / "docker"
LOCAL_SCRIPT = ROOT / "scripts" / "scrapyd-local.sh"
PROJECT = SPIDER = "kongblog"
VERSION = "e2e-1"

# What the egg is built from (a copy of it, outside the repository).
PROJECT_FILES = ("setup.py", "scrapy.cfg", "requirements.txt")
PROJECT_PACKAGE = "kongblog"
# What building an egg leaves next to setup.py.
BUILD_LEFTOVERS = ("build", "kongblog.egg-info", "project.egg-info", "dist")

# Besides the truth's fields (all compared exactly): the item's scrape time, and what the store adds.
ITEM_ONLY_FIELDS = {"scraped_at"}
STORE_FIELDS = {"first_seen_at", "last_seen_at", "content_hash"}

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

    def __init__(self, workdir: Path, home: Path, **extra_env: str) -> None:
        self.workdir = workdir
        self.home = home
        self.extra_env = extra_env
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
        return isolated_env(
            self.home, PYTHONPATH=str(HOOKS_DIR),
            SCRAPYD_USERNAME=self.username, SCRAPYD_PASSWORD=self.password, **self.extra_env,
        )  # fmt: skip

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
def start_scrapyd(tmp_path):
    """Starts a Scrapyd with extra variables in its environment (once)."""
    servers = []

    def start(**extra_env: str) -> Scrapyd:
        server = Scrapyd(tmp_path / "scrapyd", tmp_path / "home", **extra_env)
        (tmp_path / "home").mkdir()
        servers.append(server)
        server.start()
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def scrapyd(start_scrapyd):
    return start_scrapyd()


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


def wait_for_job(scrapyd: Scrapyd, job: str, project: str = PROJECT) -> dict:
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        jobs = scrapyd.get("listjobs.json", project=project)
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
    assert all(set(item) == set(wanted[0]) | ITEM_ONLY_FIELDS for item in items), sorted(items[0])

    # The MongoDB collection named by the setting= overrides: the same.
    documents = list(mongo_client[mongo_db][collection].find({}, {"_id": False}))
    assert_same_posts(documents, wanted, unwanted, "MongoDB collection")
    assert all(set(document) >= set(wanted[0]) | ITEM_ONLY_FIELDS | STORE_FIELDS for document in documents)

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
    for truth in wanted:  # every field of the truth: the card's texts, authors, image, listing place
        item = by_slug[truth["slug"]]
        wrong = {name: (item.get(name, "<absent>"), value) for name, value in truth.items()
                 if item.get(name, "<absent>") != value}
        assert not wrong, f"{where}: {truth['slug']}: (got, truth) {wrong}"


def expected_items(replica) -> list[dict]:
    return replica.expected_items()


def start_url(replica) -> str:
    return replica.url(f"/blog/{replica.options.category}")


# --- the probe egg ----------------------------------------------------------------------------

PROBE = "probe"
# The probe's spider module: on import (by `scrapy list` when the egg is
# uploaded, and by each crawl) it writes the environment its process was
# started with to PROBE_DIR/<pid>.json, with its command line.
PROBE_SPIDERS = '''
import json
import os
import sys

import scrapy


def _proc(name):
    with open(f"/proc/self/{name}", "rb") as handle:
        return [entry.decode("utf-8", "replace") for entry in handle.read().split(b"\\0") if entry]


if os.environ.get("PROBE_DIR"):
    try:
        record = {"argv": _proc("cmdline"), "environ": dict(e.partition("=")[::2] for e in _proc("environ"))}
    except OSError:  # no /proc: what Python saw
        record = {"argv": sys.orig_argv, "environ": dict(os.environ)}
    with open(os.path.join(os.environ["PROBE_DIR"], f"{os.getpid()}.json"), "w") as handle:
        json.dump(record, handle)


class ProbeSpider(scrapy.Spider):
    name = "probe"
    start_urls = []
'''


def probe_egg(path: Path) -> Path:
    """A Scrapy project egg, as Scrapyd's runner activates it: PKG-INFO and
    the scrapy/settings entry point in EGG-INFO, the package beside it."""
    with zipfile.ZipFile(path, "w") as egg:
        egg.writestr("EGG-INFO/PKG-INFO", "Metadata-Version: 1.0\nName: probe\nVersion: 1.0\n")
        egg.writestr("EGG-INFO/entry_points.txt", "[scrapy]\nsettings = probe.settings\n")
        egg.writestr("EGG-INFO/top_level.txt", "probe\n")
        egg.writestr("probe/__init__.py", "")
        egg.writestr(
            "probe/settings.py",
            'BOT_NAME = "probe"\nSPIDER_MODULES = ["probe.spiders"]\nTELNETCONSOLE_ENABLED = False\n',
        )
        egg.writestr("probe/spiders/__init__.py", PROBE_SPIDERS)
    return path


def raw_post(url: str, *, auth=None, headers=None, **kwargs) -> requests.Response:
    """A request exactly as given: no proxy or .netrc from the environment."""
    with requests.Session() as session:
        session.trust_env = False
        return session.post(url, auth=auth, headers=headers or {}, timeout=60, **kwargs)


def upload(scrapyd: Scrapyd, egg: Path, version: str, *, auth=True, headers=None) -> requests.Response:
    return raw_post(
        scrapyd.url + "addversion.json",
        auth=(scrapyd.username, scrapyd.password) if auth else None,
        headers=headers,
        data={"project": PROBE, "version": version},
        files={"egg": ("probe.egg", egg.read_bytes())},
    )  # fmt: skip


# --- authentication, Host and Origin ----------------------------------------------------------


def test_anonymous_upload_is_refused(scrapyd, tmp_path):
    egg = probe_egg(tmp_path / "probe.egg")
    for headers in ({}, {"Host": "evil.example", "Origin": "http://evil.example"}):
        refused = upload(scrapyd, egg, "anonymous", auth=False, headers=headers)
        assert refused.status_code == 401, headers
        assert refused.headers["WWW-Authenticate"] == 'basic realm="Scrapyd"'
    assert scrapyd.get("listprojects.json")["projects"] == []


def test_forged_host_and_foreign_origin_are_refused(scrapyd, tmp_path):
    """What a web page in the user's browser can send: a multipart POST
    needs no CORS preflight, and the browser may attach basic-auth
    credentials it remembers. So the credentials are right here; the Host
    (DNS rebinding) or the Origin / Sec-Fetch-Site (cross-site form) give the
    page away."""
    egg = probe_egg(tmp_path / "probe.egg")
    own = f"127.0.0.1:{scrapyd.port}"
    refusals = [
        (421, {"Host": f"evil.example:{scrapyd.port}", "Origin": f"http://evil.example:{scrapyd.port}"}),
        (421, {"Host": f"127.0.0.1.evil.example:{scrapyd.port}"}),
        (421, {"Host": "192.0.2.1"}),
        (403, {"Origin": "https://evil.example"}),
        (403, {"Origin": "null"}),
        (403, {"Origin": f"http://127.0.0.1:{scrapyd.port + 1}"}),  # another local web server
        (403, {"Sec-Fetch-Site": "cross-site"}),
        (403, {"Sec-Fetch-Site": "same-site", "Origin": f"http://{own}"}),
    ]
    for status, headers in refusals:
        refused = upload(scrapyd, egg, "forged", headers=headers)
        assert refused.status_code == status, (headers, refused.status_code, refused.text)
        assert refused.json()["status"] == "error", headers
        assert scrapyd.get("listprojects.json")["projects"] == [], f"{headers} uploaded the egg"

    # Scrapyd's own web page (same origin), by name or address, is served.
    accepted = upload(scrapyd, egg, "1", headers={"Host": f"localhost:{scrapyd.port}",
                                                  "Origin": f"http://localhost:{scrapyd.port}",
                                                  "Sec-Fetch-Site": "same-origin"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "ok" and accepted.json()["spiders"] == 1
    assert scrapyd.get("listversions.json", project=PROBE)["versions"] == ["1"]

    # Nor can such a page start a job of what is deployed.
    for status, headers in refusals[:1] + refusals[3:4]:
        refused = raw_post(scrapyd.url + "schedule.json", auth=(scrapyd.username, scrapyd.password),
                           headers=headers, data={"project": PROBE, "spider": PROBE})
        assert refused.status_code == status, headers
    jobs = scrapyd.get("listjobs.json", project=PROBE)
    assert jobs["pending"] == jobs["running"] == jobs["finished"] == []


def test_jobs_do_not_see_scrapyd_credentials(start_scrapyd, tmp_path):
    """Neither the crawl nor the `scrapy list` run at upload get
    SCRAPYD_USERNAME / SCRAPYD_PASSWORD in the environment they are started
    with; MONGO_URI, which crawls need, they do get."""
    probe_dir = tmp_path / "environ"
    probe_dir.mkdir()
    mongo_uri = f"mongodb://kongblog:{secrets.token_hex(24)}@127.0.0.1:27017/kongblog?authSource=kongblog"
    scrapyd = start_scrapyd(MONGO_URI=mongo_uri, PROBE_DIR=str(probe_dir))

    uploaded = upload(scrapyd, probe_egg(tmp_path / "probe.egg"), "1")
    assert uploaded.status_code == 200 and uploaded.json()["status"] == "ok", uploaded.text
    scheduled = scrapyd.post("schedule.json", [("project", PROBE), ("spider", PROBE)])
    finished = wait_for_job(scrapyd, scheduled["jobid"], project=PROBE)
    assert finished["id"] == scheduled["jobid"]

    records = [json.loads(path.read_text()) for path in sorted(probe_dir.glob("*.json"))]
    # python -m scrapyd.runner list|crawl ...
    commands = {record["argv"][record["argv"].index("scrapyd.runner") + 1] for record in records}
    assert commands == {"list", "crawl"}, [record["argv"] for record in records]
    for record in records:
        environ = record["environ"]
        assert "SCRAPYD_USERNAME" not in environ and "SCRAPYD_PASSWORD" not in environ, record["argv"]
        assert not [name for name, value in environ.items() if scrapyd.password in value], record["argv"]
        assert environ["MONGO_URI"] == mongo_uri, record["argv"]
        assert environ["SCRAPY_PROJECT"] == PROBE

    # Scrapyd itself still checks the credentials it was started with.
    assert requests.get(scrapyd.url + "daemonstatus.json", timeout=10).status_code == 401
    assert scrapyd.get("daemonstatus.json")["status"] == "ok"


def test_scrapyd_refuses_to_start_without_credentials(tmp_path):
    """Scrapyd alone would start without authentication when a credential is
    empty; kongblog_scrapyd.application refuses to."""
    server = Scrapyd(tmp_path / "scrapyd", tmp_path / "home")
    (tmp_path / "home").mkdir()
    server.write_config()
    for missing in ("SCRAPYD_USERNAME", "SCRAPYD_PASSWORD"):
        env = server.env
        env[missing] = ""
        result = subprocess.run(
            [sys.executable, "-m", "scrapyd"], cwd=server.workdir, env=env,
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stderr.strip().splitlines()[-1] == (
            "kongblog: refusing to start Scrapyd without authentication: "
            "set SCRAPYD_USERNAME and SCRAPYD_PASSWORD"
        )


# --- the documented local Scrapyd -------------------------------------------------------------


def test_local_scrapyd_script_and_default_deploy_target(tmp_path):
    """scripts/scrapyd-local.sh, as a user first runs it: it writes fresh
    credentials, and the Scrapyd it starts requires them and checks the
    Host. scrapy.cfg's default target, with only its URL pointed at this
    port, deploys with the credentials from the environment, and is refused
    without them."""
    home = tmp_path / "home"
    home.mkdir()
    folder = tmp_path / "my scrapyd"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = isolated_env(home, SCRAPYD_HTTP_PORT=str(port))
    bundled = Path(sys.executable).with_name("scrapyd")
    if bundled.exists():
        env["SCRAPYD"] = str(bundled)
    log_path = tmp_path / "scrapyd-local.log"
    credentials_file = folder / "credentials.env"
    with log_path.open("wb") as log:
        process = subprocess.Popen(["/bin/sh", str(LOCAL_SCRIPT), str(folder)], env=env,
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        http = requests.Session()
        http.trust_env = False
        while True:
            assert process.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, log_path.read_text(errors="replace")
            if credentials_file.exists():
                lines = credentials_file.read_text().splitlines()
                if len(lines) == 2:
                    try:
                        if http.get(url + "daemonstatus.json", timeout=5).status_code == 401:
                            break
                    except requests.RequestException:
                        pass
            time.sleep(0.1)

        assert stat.S_IMODE(credentials_file.stat().st_mode) == 0o600
        assert lines[0] == "export SCRAPYD_USERNAME=kongblog"
        assert re.fullmatch(r"export SCRAPYD_PASSWORD=[0-9a-f]{48}", lines[1]), lines[1]
        credentials = {"SCRAPYD_USERNAME": "kongblog", "SCRAPYD_PASSWORD": lines[1].partition("=")[2]}
        auth = (credentials["SCRAPYD_USERNAME"], credentials["SCRAPYD_PASSWORD"])
        assert http.get(url + "daemonstatus.json", auth=auth, timeout=10).json()["status"] == "ok"
        forged = http.get(url + "daemonstatus.json", auth=auth, headers={"Host": "evil.example"}, timeout=10)
        assert forged.status_code == 421
        assert (folder / "scrapyd.conf").read_text() == (ROOT / "docker" / "scrapyd-local.conf").read_text()

        project = tmp_path / "project"
        project.mkdir()
        cfg = (ROOT / "scrapy.cfg").read_text(encoding="utf-8")
        default_url = "[deploy]\nurl = http://127.0.0.1:6800/\n"
        assert cfg.count(default_url) == 1
        (project / "scrapy.cfg").write_text(cfg.replace(default_url, f"[deploy]\nurl = {url}\n"))
        egg = probe_egg(tmp_path / "probe.egg")

        def deploy_default(**extra: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, "-m", "scrapyd_client.deploy", "-p", PROBE, "--egg", str(egg),
                 "--version", "local-1"],
                cwd=project, env=isolated_env(home, **extra), capture_output=True, text=True, timeout=60,
            )  # fmt: skip

        refused = deploy_default()
        assert refused.returncode == 1 and "Deploy failed (401)" in refused.stderr, refused.stderr
        deployed = deploy_default(**credentials)
        assert deployed.returncode == 0, deployed.stderr
        assert json.loads(deployed.stdout)["status"] == "ok"
        listed = http.get(url + "listversions.json", params={"project": PROBE}, auth=auth, timeout=10)
        assert listed.json()["versions"] == ["local-1"]
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
