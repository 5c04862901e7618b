"""Browser rendering through scrapy-playwright, for the pages that need it.

Only listing pages that come back without cards are rendered (``render=auto``),
or every listing page (``render=always``). The download handler is installed
only when a browser may be needed, and Chromium itself starts on the first
browser request, so a crawl that never escalates never launches it.
"""

from __future__ import annotations

import os
import shutil
from functools import partial
from urllib.parse import urlsplit

RENDER_MODES = ("auto", "always", "never")

# Flags that let Chromium run headless as root in containers and on machines
# without network access beyond the crawled host.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEBIAN_CHROMIUM = "/usr/bin/chromium"
BLOCKED_RESOURCES = frozenset(("image", "font", "media", "stylesheet"))

INSTALL_HINT = (
    "install Chromium (Debian/Ubuntu: `apt-get install chromium`; or "
    "`python -m playwright install --with-deps chromium`) or point "
    "KONGBLOG_CHROMIUM_PATH / -s KONGBLOG_CHROMIUM_PATH=... at a Chromium binary"
)


def chromium_path(configured: str | None) -> str | None:
    """The Chromium to launch: the configured one, Debian's, or None for Playwright's own."""
    if configured:
        return configured
    if os.path.exists(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    return shutil.which("chromium") or None


def should_abort_request(request, allowed_netloc: str) -> bool:
    """Keep the browser on the crawled host and away from heavy resources."""
    if request.resource_type in BLOCKED_RESOURCES:
        return True
    parts = urlsplit(request.url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    return parts.netloc.lower() != allowed_netloc


def configure_browser(settings, allowed_netloc: str) -> None:
    """Install scrapy-playwright on a crawler's (not yet frozen) settings."""
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    settings.set("DOWNLOAD_HANDLERS", {"http": handler, "https": handler}, priority="spider")
    launch_options = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    launch_options.setdefault("headless", True)
    launch_options.setdefault("args", CHROMIUM_ARGS)
    executable = chromium_path(settings.get("KONGBLOG_CHROMIUM_PATH"))
    if executable:
        launch_options.setdefault("executable_path", executable)
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch_options, priority="spider")
    settings.set(
        "PLAYWRIGHT_ABORT_REQUEST",
        partial(should_abort_request, allowed_netloc=allowed_netloc),
        priority="spider",
    )


def is_launch_failure(failure) -> bool:
    """True when a browser request failed because Chromium could not start."""
    text = f"{failure.type.__name__}: {failure.value}".lower()
    return any(
        marker in text
        for marker in (
            "executable doesn't exist",
            "browsertype.launch",
            "failed to launch",
            "no such file or directory",
            "spawn",
        )
    )
