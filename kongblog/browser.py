"""Browser rendering through scrapy-playwright, for the pages that need it.

Only listing pages that come back without cards are rendered (``render=auto``),
or every listing page (``render=always``). scrapy-playwright's handler starts
Playwright's driver (a Node.js process) when the engine starts, and importing
it loads all of Playwright: about half a second of every crawl. So the handler
installed here is Scrapy's own HTTP handler, which builds and starts
scrapy-playwright's on the first request that asks for the browser
(``meta={"playwright": True}``); Chromium itself starts on that request too.
A crawl that never escalates never imports Playwright.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from pathlib import Path
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# Flags for a headless Chromium on machines without network access beyond
# the crawled host. (Its sandbox is Playwright's chromium_sandbox option:
# see chromium_sandbox().)
CHROMIUM_ARGS = [
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


def chromium_sandbox(setting) -> bool:
    """Whether Chromium keeps its sandbox: ``KONGBLOG_CHROMIUM_SANDBOX`` 1 or 0,
    or (auto) whenever the kernel lets it: not as root (Chromium refuses it
    there), and with unprivileged user namespaces allowed."""
    value = str(setting if setting is not None else "auto").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    if os.geteuid() == 0:
        return False
    for path, forbidding in (
        ("/proc/sys/kernel/unprivileged_userns_clone", "0"),
        ("/proc/sys/user/max_user_namespaces", "0"),
        ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"),
    ):
        try:
            if Path(path).read_text().strip() == forbidding:
                return False
        except OSError:
            continue
    return True


def should_abort_request(request, allowed_netloc: str) -> bool:
    """Keep the browser on the crawled host and away from heavy resources."""
    if request.resource_type in BLOCKED_RESOURCES:
        return True
    parts = urlsplit(request.url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    return parts.netloc.lower() != allowed_netloc


class BrowserTimeout(Exception):
    """A page took the browser longer than its deadline."""


class BrowserOnDemandDownloadHandler(HTTP11DownloadHandler):
    """Plain HTTP downloads; scrapy-playwright's handler for the requests that ask for a browser."""

    lazy = False

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self._crawler_for_browser = crawler
        self._browser_handler = None
        self._browser_handler_lock = asyncio.Lock()
        self._deadline = crawler.settings.getfloat("KONGBLOG_RENDER_TIMEOUT")

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        try:
            handler = await asyncio.wait_for(self.browser_handler(), self._deadline)
        except asyncio.TimeoutError:
            raise BrowserTimeout(
                f"the browser did not start within KONGBLOG_RENDER_TIMEOUT={self._deadline:g}s"
            ) from None
        try:
            # scrapy-playwright awaits the page's content with no timeout of its
            # own: a page whose scripts never let go would hold the crawl forever.
            return await asyncio.wait_for(handler.download_request(request), self._deadline)
        except asyncio.TimeoutError:
            page = request.meta.get("playwright_page")
            if page is not None:
                await close_page(page, self._deadline)
            raise BrowserTimeout(
                f"the browser did not deliver {request.url} within KONGBLOG_RENDER_TIMEOUT={self._deadline:g}s"
            ) from None

    async def browser_handler(self):
        """scrapy-playwright's handler, built and started on first use."""
        async with self._browser_handler_lock:
            if self._browser_handler is None:
                from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

                handler = ScrapyPlaywrightDownloadHandler.from_crawler(self._crawler_for_browser)
                # What scrapy-playwright runs on engine_started, which has fired
                # by now, to start the Playwright driver. It has no public
                # name: this is the one place kongblog uses it, and
                # tests/test_browser.py fails if it goes away.
                await handler._maybe_launch_in_thread()
                self._browser_handler = handler
        return self._browser_handler

    async def close(self) -> None:
        if self._browser_handler is not None:
            await self._browser_handler.close()
        await super().close()


def configure_browser(settings, allowed_netloc: str) -> None:
    """Install the browser-on-demand handler on a crawler's (not yet frozen) settings."""
    handler = f"{__name__}.BrowserOnDemandDownloadHandler"
    settings.set("DOWNLOAD_HANDLERS", {"http": handler, "https": handler}, priority="spider")
    launch_options = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    launch_options.setdefault("headless", True)
    launch_options.setdefault("args", CHROMIUM_ARGS)
    launch_options.setdefault("chromium_sandbox", chromium_sandbox(settings.get("KONGBLOG_CHROMIUM_SANDBOX")))
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


async def close_page(page, deadline: float) -> None:
    """Close a browser page, giving up after ``deadline`` seconds (a hung renderer)."""
    try:
        await asyncio.wait_for(page.close(), deadline)
    except Exception as exc:
        logger.warning("a browser page could not be closed: %r", exc)
