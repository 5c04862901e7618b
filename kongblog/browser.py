"""Browser rendering through scrapy-playwright, for the listing pages that need it.

scrapy-playwright's handler starts Playwright's driver (a Node.js process) when the engine starts, and importing
it loads all of Playwright: about half a second of every crawl. So the handler installed here is Scrapy's own HTTP
handler, which builds and starts scrapy-playwright's on the first request that asks for the browser
(``meta={"playwright": True}``). A crawl that never renders a page never imports Playwright.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

logger = logging.getLogger(__name__)

# A headless Chromium on machines without network access beyond the crawled host.
# (Its sandbox is Playwright's chromium_sandbox option, not a flag: see chromium_sandbox().)
CHROMIUM_ARGS = [
    "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
LAUNCH_FAILURES = (
    "executable doesn't exist", "browsertype.launch", "failed to launch", "no such file or directory", "spawn"
)
INSTALL_HINT = (
    "install Chromium (Debian/Ubuntu: `apt-get install chromium`; or "
    "`python -m playwright install --with-deps chromium`) or point "
    "KONGBLOG_CHROMIUM_PATH / -s KONGBLOG_CHROMIUM_PATH=... at a Chromium binary"
)


def chromium_sandbox(setting) -> bool:
    """Whether Chromium keeps its sandbox: KONGBLOG_CHROMIUM_SANDBOX 1 or 0, or (auto) whenever the kernel
    lets it: not as root (Chromium refuses it there), and with unprivileged user namespaces allowed."""
    value = str(setting).strip().lower()
    if value in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        return value in ("1", "true", "yes", "on")
    if os.geteuid() == 0:
        return False
    for path, forbidding in (
        ("/proc/sys/kernel/unprivileged_userns_clone", "0"),
        ("/proc/sys/user/max_user_namespaces", "0"),
        ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"),
    ):
        with contextlib.suppress(OSError):  # a kernel without that switch
            if Path(path).read_text().strip() == forbidding:
                return False
    return True


def should_abort_request(request, allowed_netloc: str) -> bool:
    """Keep the browser on the crawled host and away from heavy resources."""
    if request.resource_type in ("image", "font", "media", "stylesheet"):
        return True
    parts = urlsplit(request.url)
    return parts.scheme not in ("data", "blob", "about") and parts.netloc.lower() != allowed_netloc


class BrowserTimeout(Exception):
    """A page took the browser longer than its deadline."""


class BrowserOnDemandDownloadHandler(HTTP11DownloadHandler):
    """Plain HTTP downloads; scrapy-playwright's handler for the requests that ask for a browser."""

    lazy = False

    def __init__(self, crawler):
        super().__init__(crawler)
        self.browser = None
        self.browser_lock = asyncio.Lock()
        self._deadline = crawler.settings.getfloat("KONGBLOG_RENDER_TIMEOUT")

    async def download_request(self, request):
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        deadline = f"KONGBLOG_RENDER_TIMEOUT={self._deadline:g}s"
        try:
            handler = await asyncio.wait_for(self.browser_handler(), self._deadline)
        except asyncio.TimeoutError:
            raise BrowserTimeout(f"the browser did not start within {deadline}") from None
        try:
            # scrapy-playwright awaits the page's content with no timeout of its
            # own: a page whose scripts never let go would hold the crawl forever.
            return await asyncio.wait_for(handler.download_request(request), self._deadline)
        except asyncio.TimeoutError:
            if request.meta.get("playwright_page") is not None:
                await close_page(request.meta["playwright_page"], self._deadline)
            raise BrowserTimeout(f"the browser did not deliver {request.url} within {deadline}") from None

    async def browser_handler(self):
        """scrapy-playwright's handler, built and started on first use."""
        async with self.browser_lock:
            if self.browser is None:
                from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

                handler = ScrapyPlaywrightDownloadHandler.from_crawler(self.crawler)
                # What scrapy-playwright runs on engine_started (fired by now) to start
                # the Playwright driver. It has no public name: this is the one place
                # kongblog uses it, and tests/test_browser.py fails if it goes away.
                await handler._maybe_launch_in_thread()
                self.browser = handler
        return self.browser

    async def close(self) -> None:
        if self.browser is not None:
            await self.browser.close()
        await super().close()


def configure_browser(settings, allowed_netloc: str) -> None:
    """Install the browser-on-demand handler on a crawler's (not yet frozen) settings."""
    handler = f"{__name__}.BrowserOnDemandDownloadHandler"
    settings.set("DOWNLOAD_HANDLERS", {"http": handler, "https": handler}, priority="spider")
    options = {"headless": True, "args": CHROMIUM_ARGS}
    options["chromium_sandbox"] = chromium_sandbox(settings.get("KONGBLOG_CHROMIUM_SANDBOX"))
    if executable := settings.get("KONGBLOG_CHROMIUM_PATH"):  # None: Playwright's own
        options["executable_path"] = executable
    options.update(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))  # what the user set wins
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", options, priority="spider")
    abort = partial(should_abort_request, allowed_netloc=allowed_netloc)
    settings.set("PLAYWRIGHT_ABORT_REQUEST", abort, priority="spider")


def is_launch_failure(failure) -> bool:
    text = f"{failure.type.__name__}: {failure.value}".lower()
    return any(marker in text for marker in LAUNCH_FAILURES)


async def close_page(page, deadline: float) -> None:
    """Close a browser page, giving up after ``deadline`` seconds (a hung renderer)."""
    try:
        await asyncio.wait_for(page.close(), deadline)
    except Exception as exc:
        logger.warning("a browser page could not be closed: %r", exc)
