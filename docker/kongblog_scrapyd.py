"""Scrapyd 1.6 hooks for kongblog, plugged in through scrapyd.conf.

    [scrapyd]
    application   = kongblog_scrapyd.application
    webroot       = kongblog_scrapyd.Root
    allowed_hosts = 127.0.0.1 localhost ::1

Both options are Scrapyd's own, documented ones (``application``: the
function that returns the Twisted application; ``webroot``: the resource
that serves the web UI and the API). This module must be importable by the
``scrapyd`` process: the image installs it into site-packages, and
scripts/scrapyd-local.sh puts docker/ on PYTHONPATH.

``application``
    Refuses to start without HTTP basic auth (Scrapyd itself silently turns
    authentication off when the user name or password is empty), then builds
    Scrapyd's own application, which reads SCRAPYD_USERNAME /
    SCRAPYD_PASSWORD from the environment, and removes those two variables
    from this process's environment. Every process Scrapyd starts copies that
    environment: crawls (scrapyd.environ.Environment) and the ``scrapy list``
    run on each upload and listspiders.json (scrapyd.webservice.SpiderList),
    so no deployed code gets the credentials through its environment. Scrapyd
    1.6 has no option to replace the Environment class (scrapyd/app.py builds
    it directly), hence this hook. It is not a wall against hostile code: a job
    runs as the same user as Scrapyd and can read what that user can read.

``Root``
    Scrapyd's own root resource behind two checks, made after basic auth
    (Scrapyd wraps the webroot in it) and before any page or API call:

    * the request's Host must name one of ``allowed_hosts`` (any port),
      otherwise 421 Misdirected Request. A web page that rebinds its own DNS
      name to 127.0.0.1 sends its own name as Host;
    * a request sent by a browser on behalf of another site is refused with
      403: an ``Origin`` header other than this server's own origin, or
      ``Sec-Fetch-Site`` other than same-origin / none. A plain HTML form can
      POST to addversion.json or schedule.json without a CORS preflight, and
      the browser may attach basic-auth credentials it remembers for the
      server. Non-browser clients (curl, scrapyd-deploy, requests) send
      neither header.
"""

from __future__ import annotations

import json
import os

from scrapyd.app import application as scrapyd_application
from scrapyd.exceptions import ConfigError
from scrapyd.website import Root as ScrapydRoot
from twisted.logger import Logger
from twisted.web import resource

log = Logger()

CREDENTIAL_VARIABLES = ("SCRAPYD_USERNAME", "SCRAPYD_PASSWORD")
DEFAULT_ALLOWED_HOSTS = "127.0.0.1 localhost ::1"
BROWSER_SITES_ALLOWED = {"same-origin", "none"}


def application(config):
    """Scrapyd's application, with authentication required and the
    credentials kept out of the environment of every process it starts."""
    username = os.environ.get("SCRAPYD_USERNAME") or config.get("username", "")
    password = os.environ.get("SCRAPYD_PASSWORD") or config.get("password", "")
    if not username or not password:
        raise ConfigError(
            "kongblog: refusing to start Scrapyd without authentication: "
            "set SCRAPYD_USERNAME and SCRAPYD_PASSWORD"
        )
    app = scrapyd_application(config)  # basic auth takes the credentials here
    for name in CREDENTIAL_VARIABLES:
        os.environ.pop(name, None)
    return app


def host_name(host: str) -> str:
    """The name part of a Host header value, lower case: 'LocalHost:6800' ->
    'localhost', '[::1]:6800' -> '::1'."""
    host = host.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


class Refusal(resource.Resource):
    """A JSON error answer, in the shape of Scrapyd's own."""

    isLeaf = True

    PHRASES = {403: b"Forbidden", 421: b"Misdirected Request"}  # Twisted lacks 421's

    def __init__(self, code: int, message: str) -> None:
        super().__init__()
        self.code = code
        self.message = message

    def render(self, request):
        body = json.dumps({"status": "error", "message": self.message}).encode() + b"\n"
        request.setResponseCode(self.code, self.PHRASES.get(self.code))
        request.setHeader(b"Content-Type", b"application/json")
        request.setHeader(b"Content-Length", str(len(body)).encode())
        return body


class Root(resource.Resource):
    """scrapyd.website.Root behind the Host / Origin checks described above."""

    def __init__(self, config, app) -> None:
        super().__init__()
        self.root = ScrapydRoot(config, app)
        allowed = config.get("allowed_hosts", DEFAULT_ALLOWED_HOSTS)
        self.allowed_hosts = frozenset(host_name(name) for name in allowed.split())

    def refusal(self, request) -> Refusal | None:
        host = (request.getHeader(b"host") or b"").decode("latin-1").strip()
        if not host or host_name(host) not in self.allowed_hosts:
            log.warn("Refused a request for host {host!r} (allowed_hosts)", host=host)
            return Refusal(421, "this server does not answer for that Host")
        origin = request.getHeader(b"origin")
        if origin is not None:
            origin = origin.decode("latin-1").strip().lower()
            if origin not in (f"http://{host.lower()}", f"https://{host.lower()}"):
                log.warn("Refused a request from origin {origin!r}", origin=origin)
                return Refusal(403, "cross-origin requests are refused")
        site = request.getHeader(b"sec-fetch-site")
        if site is not None and site.decode("latin-1").strip().lower() not in BROWSER_SITES_ALLOWED:
            log.warn("Refused a {site} browser request", site=site.decode("latin-1"))
            return Refusal(403, "cross-site requests are refused")
        return None

    def getChildWithDefault(self, path, request):
        return self.refusal(request) or self.root.getChildWithDefault(path, request)

    def render(self, request):
        refusal = self.refusal(request)
        return refusal.render(request) if refusal else self.root.render(request)
