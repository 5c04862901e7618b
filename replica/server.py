"""The replica HTTP server (standard library only).

    from replica import ReplicaServer
    with ReplicaServer(pages=3, markup="semantic") as server:
        server.base_url            # "http://127.0.0.1:<free port>"
        server.hits["/blog/engineering"]
        server.set_options(new_posts=2)   # takes effect for the next request
        server.expected_items()

Request-level faults (see ``ReplicaOptions``):
  reset_pages   first request of the page: the socket is closed with
                SO_LINGER=0, so the client sees a TCP RST and no response.
  fail_first    first request of the page: 503 with ``Retry-After: 1``.
  slow_once     first request of the page sleeps ``slow_seconds`` first.
Caching, like a CDN: a 200 carries ``ETag`` (a hash of its body) and
``Cache-Control: public, max-age=0, must-revalidate`` (store it, ask before
reusing it); a GET or HEAD whose ``If-None-Match`` names the current ETag is
answered ``304 Not Modified`` with no body (and counted in ``not_modified``).
Any other status carries ``Cache-Control: no-store``.  Change a page between
crawls with ``set_options`` (``revision``, ``new_posts``, ``removed_posts``):
its body, hence its ETag, changes.

"First request" is per listing page number (``/blog/<cat>`` counts as page
1), over GET and HEAD alike, since the last ``set_options``/``reset_faults``;
if a page is in several sets, only the first matching fault in the order
reset, 503, slow fires (on that first request) and later requests are
healthy.  ``delay`` applies to every response.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .options import ReplicaOptions
from .site import Response, Site

# What a CDN in front of the blog sends with a page: store it, revalidate before every reuse.
REVALIDATE = "public, max-age=0, must-revalidate"


def entity_tag(body: bytes) -> str:
    """A strong ETag of a body (a quoted hash, as CDNs make them)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, RFC 9110 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


class HitCounter:
    """Thread-safe request counter keyed by path (query string removed)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, path: str, count: int = 1) -> None:
        with self._lock:
            self._counts[path] += count

    def __getitem__(self, path: str) -> int:
        with self._lock:
            return self._counts.get(path, 0)

    def get(self, path: str, default: int = 0) -> int:
        with self._lock:
            return self._counts.get(path, default)

    def __contains__(self, path: object) -> bool:
        with self._lock:
            return path in self._counts

    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def listing(self, listing_path: str = "/blog/engineering") -> dict[str, int]:
        """Requests per page of one listing: ``listing_path`` and its ``/page/N`` pages."""
        pages = listing_path.rstrip("/") + "/page/"
        with self._lock:
            return {
                path: count for path, count in self._counts.items()
                if path == listing_path or (path.startswith(pages) and path[len(pages):].isdigit())
            }

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def __repr__(self) -> str:
        return f"HitCounter({self.snapshot()!r})"


def _request_path(target: str) -> str:
    """Path of a request target without the query.  http.server reads the
    request line as Latin-1, so raw UTF-8 bytes (a client sending
    ``/blog/x/café-...`` unencoded) are turned back into text here; a
    percent-encoded path stays as sent."""
    path = urlsplit(target).path or "/"
    if not path.isascii():
        try:
            path = path.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return path


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ReplicaHTTP/1.0"
    sys_version = ""
    timeout = 30

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:  # noqa: N802
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if getattr(self.server, "replica").verbose:
            super().log_message(format, *args)

    def _serve(self, head: bool) -> None:
        replica: ReplicaServer = getattr(self.server, "replica")
        path = _request_path(self.path)
        replica.hits.add(path)
        site = replica.site
        opts = site.options
        try:
            resp = site.respond(path)
        except Exception as exc:  # pragma: no cover - a bug, but keep serving
            resp = Response(500, f"internal error: {exc!r}".encode(), {"Content-Type": "text/plain"})
        if resp.listing_page is not None:
            fault = replica._first_request_fault(resp.listing_page, opts)
            if fault == "reset":
                self._reset_connection()
                return
            if fault == "503":
                resp = Response(
                    503,
                    b"<html><body><h1>503 Service Unavailable</h1></body></html>",
                    {"Retry-After": "1"},
                )
            elif fault == "slow":
                time.sleep(opts.slow_seconds)
        if opts.delay > 0:
            time.sleep(opts.delay)
        headers, body = dict(resp.headers), resp.body
        status = resp.status
        if status == 200:
            headers.update({"ETag": entity_tag(body), "Cache-Control": REVALIDATE})
            if etag_matches(self.headers.get("If-None-Match"), headers["ETag"]):
                status, body = 304, b""
                headers = {name: value for name, value in headers.items() if name in ("ETag", "Cache-Control")}
                replica.not_modified.add(path)
        else:
            headers["Cache-Control"] = "no-store"
        replica.bytes_sent.add(path, len(body) if not head else 0)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _reset_connection(self) -> None:
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        # Client disconnects and faulted sockets are expected here.
        pass


class ReplicaServer:
    """A running replica: ``ReplicaServer(options=None, *, host, port, **changes)``.

    ``options`` is a ``ReplicaOptions`` (or a dict of its fields); keyword
    ``changes`` override fields, e.g. ``ReplicaServer(pages=3)``.  ``port=0``
    picks a free port.  Use as a context manager or call ``start()``/``stop()``.
    """

    def __init__(
        self,
        options: ReplicaOptions | dict | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        **changes: object,
    ) -> None:
        self._options = ReplicaOptions.coerce(options, **changes)
        self.host = host
        self.port = port
        self.verbose = verbose
        self.hits = HitCounter()
        self.not_modified = HitCounter()  # requests answered 304, by path
        self.bytes_sent = HitCounter()  # body bytes sent, by path
        self._lock = threading.Lock()
        self._fault_seen: set[int] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._site: Site | None = None

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> "ReplicaServer":
        if self._httpd is not None:
            return self
        httpd = _HTTPServer((self.host, self.port), _Handler)
        httpd.replica = self  # type: ignore[attr-defined]
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._site = Site(self._options, self.base_url)
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="replica-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "ReplicaServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Block until KeyboardInterrupt (used by the CLI)."""
        self.start()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    # -- state ---------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @property
    def options(self) -> ReplicaOptions:
        return self._options

    @options.setter
    def options(self, value: ReplicaOptions | dict) -> None:
        self.set_options(value)

    def set_options(self, options: ReplicaOptions | dict | None = None, **changes: object) -> ReplicaOptions:
        """Change what is served, without restarting.

        ``set_options(new_posts=3)`` changes fields of the current options;
        ``set_options(ReplicaOptions(...))`` replaces them.  Fault state
        ("first request" of each page) is reset; hits are not.
        """
        base = self._options if options is None else ReplicaOptions.coerce(options)
        new = ReplicaOptions.coerce(base, **changes)
        with self._lock:
            self._options = new
            self._site = Site(new, self.base_url)
            self._fault_seen.clear()
        return new

    @property
    def site(self) -> Site:
        with self._lock:
            if self._site is None or self._site.base_url != self.base_url:
                self._site = Site(self._options, self.base_url)
            return self._site

    def reset_faults(self) -> None:
        """Forget which pages were already requested (faults fire again)."""
        with self._lock:
            self._fault_seen.clear()

    def reset_hits(self) -> None:
        self.hits.reset()
        self.not_modified.reset()
        self.bytes_sent.reset()

    def _first_request_fault(self, page: int, opts: ReplicaOptions) -> str | None:
        with self._lock:
            if page in self._fault_seen:
                return None
            self._fault_seen.add(page)
        if page in opts.reset_pages:
            return "reset"
        if page in opts.fail_first:
            return "503"
        if page in opts.slow_once:
            return "slow"
        return None

    # -- truth ---------------------------------------------------------------
    def expected_items(self) -> list[dict]:
        """Ground truth for the current options at this server's base URL."""
        return self.site.expected_items()

    def expected_articles(self) -> dict[str, dict]:
        return self.site.expected_articles()
