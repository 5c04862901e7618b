"""MongoDB for tests: a real wire-protocol server, no fakes.

Fixtures (import them into ``conftest.py`` or a test module, or load this
module as a pytest plugin with ``-p tests.support.mongo``):

``mongo_uri`` (session)
    ``MONGO_TEST_URI`` when set, else the URI of a SecantusDB server started
    for the session (in memory, on a free port) and stopped at its end (at
    exit of the test process, so that modules that each import the fixtures
    still share one server).
``mongo_client`` (session)
    a pymongo client on ``mongo_uri``.
``mongo_db`` (function)
    a fresh, unique database name; the database is dropped afterwards.
``secantus_server`` (function)
    a SecantusDB server of the test's own, on a fixed port with on-disk
    storage, that the test may ``stop()``, ``kill()`` or ``start()``
    (data survives a stop and a start). Stopped afterwards.
    ``require_auth(user, password)`` adds a user and restarts the server
    with authentication (SCRAM-SHA-256) required.

:func:`store_settings` gives the project's ``MONGO_*`` settings (the store
components have no defaults of their own) with overrides.

:class:`SecantusServer` can also be used directly (benchmarks, scripts).

For store tests that need a real ``scrapy crawl`` but no web site, this module
is also a spider module: ``scrapy crawl synthetic_posts -s
SPIDER_MODULES=tests.support.mongo`` yields made-up post cards
(:func:`synthetic_post`) with no HTTP at all; :func:`run_scrapy` runs such a
command in a subprocess.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

import pytest
import scrapy
from pymongo import MongoClient
from pymongo.errors import PyMongoError

from kongblog.items import PostItem
from tests.support.crawl import REPO, crawl_env

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "PASSWORD",
    "SecantusServer",
    "SyntheticPostsSpider",
    "free_port",
    "mongo_client",
    "mongo_db",
    "mongo_uri",
    "run_scrapy",
    "session_server_uri",
    "stop_session_server",
    "secantus_server",
    "spellings",
    "store_settings",
    "synthetic_post",
    "wait_for_ping",
]


#: Seconds a server gets to answer ``ping`` after it is started.
START_TIMEOUT = float(os.environ.get("SECANTUS_START_TIMEOUT", "30"))


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_for_ping(
    uri: str,
    timeout: float = START_TIMEOUT,
    process: subprocess.Popen[bytes] | None = None,
) -> None:
    """Return once the server at *uri* answers ``ping``; raise
    :class:`TimeoutError` after *timeout* seconds, or :class:`RuntimeError`
    at once if *process* exits meanwhile."""
    deadline = time.monotonic() + timeout
    client: MongoClient[dict[str, Any]] = MongoClient(
        uri, serverSelectionTimeoutMS=250, connectTimeoutMS=250, socketTimeoutMS=2000
    )
    try:
        while True:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"server exited with status {process.returncode}")
            try:
                client.admin.command("ping")
                return
            except PyMongoError as exc:
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"no ping answer from {uri} in {timeout:g}s: {exc}") from None
                time.sleep(0.05)
    finally:
        client.close()


class SecantusServer:
    """A SecantusDB server in a subprocess (``python -m secantus``).

    The port is fixed for the object's life, so a client keeps its URI across
    a :meth:`stop` and :meth:`start`. ``storage_path=":memory:"`` keeps data in a temporary
    directory the server deletes at exit; otherwise data lives in
    *storage_path* (by default a temporary directory that :meth:`cleanup`
    removes, with the server log) and survives restarts, even :meth:`kill`
    when *durable* (the default: every commit is fsynced).
    """

    def __init__(
        self,
        port: int | None = None,
        host: str = "127.0.0.1",
        storage_path: str | os.PathLike[str] | None = None,
        log_path: str | os.PathLike[str] | None = None,
        durable: bool = True,
    ) -> None:
        self.host = host
        self.durable = durable
        self.port = port or free_port(host)
        self._tmpdir: str | None = tempfile.mkdtemp(prefix="secantus-")
        if storage_path is None:
            storage_path = Path(self._tmpdir) / "data"
        self.storage_path = str(storage_path)
        self.log_path = Path(log_path) if log_path else Path(self._tmpdir) / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.auth = False

    @property
    def uri(self) -> str:
        return f"mongodb://{self.host}:{self.port}/"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = START_TIMEOUT) -> SecantusServer:
        """Start the server and wait until it answers ``ping``."""
        if self.running:
            return self
        command = [
            sys.executable, "-m", "secantus",
            "--host", self.host,
            "--port", str(self.port),
            "--storage-path", self.storage_path,
        ]  # fmt: skip
        if self.durable and self.storage_path != ":memory:":
            # Fsync every commit, as mongod's journal does, so that kill()
            # loses no acknowledged write.
            command.append("--sync-on-commit")
        if self.auth:
            command.append("--auth")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            wait_for_ping(self.uri, timeout, self.process)
        except (TimeoutError, RuntimeError) as exc:
            self.kill()
            raise RuntimeError(f"SecantusDB did not start: {exc}\n{self.log_tail()}") from None
        return self

    def require_auth(self, user: str, password: str, roles: list[Any] | None = None) -> None:
        """Add *user* (root by default) while no authentication is asked,
        then restart with authentication required (data survives: on-disk
        storage only). Once restarted, ``ping`` still answers without
        credentials; everything else needs them."""
        client: MongoClient[dict[str, Any]] = MongoClient(self.uri, serverSelectionTimeoutMS=5000)
        try:
            client.admin.command("createUser", user, pwd=password, roles=roles or [{"role": "root", "db": "admin"}])
        finally:
            client.close()
        self.stop()
        self.auth = True
        self.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop gracefully (SIGTERM), killing after *timeout* seconds."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """Kill at once (SIGKILL), as a crash would."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def cleanup(self) -> None:
        """Stop, and remove the temporary directory this object made.

        A server whose data lives in that directory is simply killed (a
        graceful stop takes SecantusDB about two seconds and the data is
        about to go anyway); an in-memory one is stopped gracefully so that
        it removes its own temporary files.
        """
        if self._tmpdir is not None and Path(self.storage_path).is_relative_to(self._tmpdir):
            self.kill()
        else:
            self.stop()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> SecantusServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()


_SESSION_SERVER: SecantusServer | None = None


def session_server_uri() -> str:
    """URI of the one SecantusDB server of this test process, started on
    first use and stopped when the process (the pytest session) ends. Every
    module that imports the fixtures below shares it."""
    global _SESSION_SERVER
    if _SESSION_SERVER is None:
        _SESSION_SERVER = SecantusServer(storage_path=":memory:").start()
        atexit.register(stop_session_server)
    elif not _SESSION_SERVER.running:
        _SESSION_SERVER.start()
    return _SESSION_SERVER.uri


def stop_session_server() -> None:
    global _SESSION_SERVER
    if _SESSION_SERVER is not None:
        _SESSION_SERVER.cleanup()
        _SESSION_SERVER = None


@pytest.fixture(scope="session")
def mongo_uri() -> str:
    """URI of a MongoDB server for the whole session: ``MONGO_TEST_URI``, or
    the SecantusDB server of :func:`session_server_uri`."""
    env_uri = os.environ.get("MONGO_TEST_URI")
    if env_uri:
        wait_for_ping(env_uri, timeout=10)
        return env_uri
    return session_server_uri()


@pytest.fixture(scope="session")
def mongo_client(mongo_uri: str) -> Iterator[MongoClient[dict[str, Any]]]:
    client: MongoClient[dict[str, Any]] = MongoClient(mongo_uri, tz_aware=True)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def mongo_db(mongo_client: MongoClient[dict[str, Any]]) -> Iterator[str]:
    """A database name no other test uses; dropped after the test."""
    name = f"kongblog_test_{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        mongo_client.drop_database(name)


@pytest.fixture
def secantus_server() -> Iterator[SecantusServer]:
    """A server of this test's own, to stop, kill and restart at will."""
    server = SecantusServer()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


#: A password with every character a URI parser trips on, and non-ASCII.
PASSWORD = "p?a@s:s/w%rd-é#1"


def spellings(secret: str) -> list[str]:
    """How a secret may show up in text: as is, and percent-encoded both ways."""
    return [secret, quote_plus(secret), quote(secret, safe="")]


def store_settings(**overrides: Any) -> dict[str, Any]:
    """The project's ``MONGO_*`` settings (kongblog/settings.py, without
    what the environment says) plus *overrides*, e.g. for ``get_crawler``."""
    import kongblog.settings as project

    base = {name: getattr(project, name) for name in dir(project) if name.startswith("MONGO_")}
    base |= {"MONGO_URI": None, "MONGO_DATABASE": "kongblog", "MONGO_COLLECTION": "posts",
             "MONGO_DEAD_LETTER_PATH": "data/dead-letter-{timestamp}.jsonl"}  # fmt: skip
    return base | overrides


# --- Made-up posts, for store tests without a web site ---------------------


def synthetic_post(number: int, host: str = "blog.example", **changes: Any) -> PostItem:
    """A valid post card; *number* makes slug, URL, title and date unique."""
    day = dt.date(2020, 1, 1) + dt.timedelta(days=number)
    fields: dict[str, Any] = {
        "slug": f"post-{number:05d}",
        "url": f"https://{host}/blog/engineering/post-{number:05d}",
        "title": f"Post number {number}",
        "category": "Engineering",
        "category_slug": "engineering",
        "published": day.isoformat(),
        "excerpt": f"What post {number} is about.",
        "excerpt_truncated": False,
        "authors": ["Ada Lovelace", "Alan Turing"][: 1 + number % 2],
        "image_url": f"https://{host}/images/post-{number:05d}.png",
        "image_alt": f"Cover of post {number}",
        "listing_page": 1 + (number - 1) // 10,
        "listing_position": 1 + (number - 1) % 10,
        "listing_url": f"https://{host}/blog/engineering",
        "scraped_at": "2026-11-26T20:10:11Z",
    }
    fields.update(changes)
    return PostItem(**fields)


class SyntheticPostsSpider(scrapy.Spider):
    """Yields ``n`` made-up cards from ``start()``, ``delay`` seconds apart.

    Arguments (``-a``): ``n`` (10), ``first`` (1), ``delay`` (0), ``host``
    (blog.example), ``title_suffix`` (appended to every title), ``bad`` (a
    comma-separated list of extra broken cards to yield after the good ones:
    ``missing_title``, ``bad_date``, ``offsite``, ``invalid``, ``duplicate``).
    It ends with one ``data:`` request so that the crawl closes as soon as it
    is done.
    """

    BAD_CARDS: dict[str, dict[str, Any]] = {
        "missing_title": {"title": None},
        "bad_date": {"published": "2023-02-30"},
        "offsite": {"url": "https://elsewhere.example/blog/engineering/offsite"},
        "invalid": {"listing_page": 0},
        "duplicate": {},
    }

    name = "synthetic_posts"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.host = str(kwargs.get("host", "blog.example"))
        self.allowed_domains = [self.host]

    async def start(self) -> Any:
        first = int(getattr(self, "first", 1))
        count = int(getattr(self, "n", 10))
        delay = float(getattr(self, "delay", 0))
        suffix = str(getattr(self, "title_suffix", ""))
        for number in range(first, first + count):
            post = synthetic_post(number, self.host)
            post.title += suffix
            yield post
            if delay:
                await asyncio.sleep(delay)
        for kind in filter(None, str(getattr(self, "bad", "")).split(",")):
            number = first if kind == "duplicate" else 90000 + list(self.BAD_CARDS).index(kind)
            yield synthetic_post(number, self.host, **self.BAD_CARDS[kind])
        yield scrapy.Request("data:,done", callback=self.done, dont_filter=True)

    def done(self, response: Any) -> list[Any]:
        return []


def run_scrapy(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    cwd: str | os.PathLike[str] = REPO,
) -> subprocess.CompletedProcess[str]:
    """``python -m scrapy ARGS`` in the project, output captured as text,
    in the environment :func:`tests.support.crawl.crawl_env` gives."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=cwd,
        env=crawl_env(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def stored_count(collection) -> int:
    """Documents in ``collection``, or 0 while the server is down (tests that stop it poll this)."""
    try:
        return collection.count_documents({})
    except PyMongoError:
        return 0
