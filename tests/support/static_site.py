"""Serve a directory of rendered pages on 127.0.0.1 the way a static host does.

``/blog/engineering/page/2/`` serves ``blog/engineering/page/2/index.html``;
``/blog/engineering/page/2`` (no slash) answers 301 to the slash form, as GitHub
Pages, Netlify or nginx do for a directory (``redirect_slashless=False`` serves it
directly instead). robots.txt allows everything unless the directory has its own.
Every request path is counted in ``hits``.
"""

from __future__ import annotations

import mimetypes
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ALLOW_ALL = b"User-agent: *\nDisallow:\n"


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:  # noqa: N802
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet: tests read hits, not logs

    def _serve(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        site = self.server.site
        with self.server.lock:
            self.server.hits[path] += 1
        if path == "/robots.txt" and not (site.root / "robots.txt").is_file():
            return self._send(200, ALLOW_ALL, "text/plain; charset=utf-8", head)
        target = site.resolve(path)
        if target is None:
            return self._send(404, b"<h1>Not found</h1>", "text/html; charset=utf-8", head)
        if target.is_dir():
            if site.redirect_slashless:
                return self._send(301, b"", "text/html; charset=utf-8", head, {"Location": path + "/"})
            target = target / "index.html"
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/"):
            kind += "; charset=utf-8"
        self._send(200, target.read_bytes(), kind, head)

    def _send(self, status: int, body: bytes, kind: str, head: bool, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: "StaticSite") -> None:
        super().__init__(("127.0.0.1", site.port), _Handler)
        self.site = site
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()


class StaticSite:
    """``with StaticSite(directory) as site: site.url("/blog/engineering/")``"""

    def __init__(self, root: Path | str, port: int = 0, redirect_slashless: bool = True) -> None:
        self.root = Path(root).resolve()
        self.port = port
        self.redirect_slashless = redirect_slashless
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def resolve(self, path: str) -> Path | None:
        """The file or directory (holding an index.html) a URL path names, never outside root."""
        candidate = (self.root / path.lstrip("/")).resolve()
        if candidate != self.root and self.root not in candidate.parents:
            return None
        if path.endswith("/"):
            index = candidate / "index.html"
            return index if index.is_file() else None
        if candidate.is_file():
            return candidate
        if (candidate / "index.html").is_file():
            return candidate
        return None

    def start(self) -> "StaticSite":
        self._server = _Server(self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "StaticSite":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def hits(self) -> Counter[str]:
        assert self._server is not None
        with self._server.lock:
            return Counter(self._server.hits)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"
