"""The browser set-up: scrapy-playwright started on demand, Chromium's sandbox kept where it can be."""

import inspect

import pytest

from kongblog import browser
from kongblog.browser import CHROMIUM_ARGS, chromium_sandbox, configure_browser
from tests.support.responses import project_crawler


def test_the_private_hook_of_scrapy_playwright_is_still_there():
    """kongblog starts Playwright's driver on the first browser request with the
    coroutine scrapy-playwright runs on engine_started; it has no public name."""
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

    hook = getattr(ScrapyPlaywrightDownloadHandler, "_maybe_launch_in_thread", None)
    assert hook is not None and inspect.iscoroutinefunction(hook), (
        "scrapy-playwright changed: BrowserOnDemandDownloadHandler.browser_handler needs another way to start it"
    )
    assert list(inspect.signature(hook).parameters) == ["self"]


@pytest.mark.parametrize("setting, expected", [("1", True), ("true", True), ("0", False), ("off", False)])
def test_the_sandbox_setting_decides_when_given(setting, expected):
    assert chromium_sandbox(setting) is expected


def test_auto_keeps_the_sandbox_for_a_user_where_the_kernel_allows_it(monkeypatch):
    kernel = {
        "/proc/sys/kernel/unprivileged_userns_clone": "1",
        "/proc/sys/user/max_user_namespaces": "63000",
        "/proc/sys/kernel/apparmor_restrict_unprivileged_userns": "0",
    }
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(browser.Path, "read_text", lambda self: kernel[str(self)])
    assert chromium_sandbox("auto") is True
    # Unprivileged user namespaces off, or forbidden by AppArmor: no sandbox can start.
    for path, forbidding in (("/proc/sys/kernel/unprivileged_userns_clone", "0"),
                             ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1")):
        monkeypatch.setitem(kernel, path, forbidding)
        assert chromium_sandbox("auto") is False


def test_auto_drops_the_sandbox_as_root(monkeypatch):
    monkeypatch.setattr(browser.os, "geteuid", lambda: 0)
    assert chromium_sandbox("auto") is False


def test_the_launch_options_carry_the_sandbox_choice_not_a_flag():
    crawler = project_crawler(KONGBLOG_CHROMIUM_SANDBOX="1")
    crawler.settings.frozen = False
    configure_browser(crawler.settings, "blog.test")
    options = crawler.settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert options["chromium_sandbox"] is True
    assert "--no-sandbox" not in options["args"] and options["args"] == CHROMIUM_ARGS



def test_a_browser_that_never_starts_costs_one_deadline():
    import asyncio

    from scrapy import Request

    class DriverThatNeverStarts:  # the handler's own state, without a Twisted reactor to build one
        _deadline = 0.2

        async def browser_handler(self):
            await asyncio.Event().wait()

    async def download():
        request = Request("https://x.test/", meta={"playwright": True})
        with pytest.raises(browser.BrowserTimeout, match="did not start within KONGBLOG_RENDER_TIMEOUT=0.2s"):
            await asyncio.wait_for(
                browser.BrowserOnDemandDownloadHandler.download_request(DriverThatNeverStarts(), request), 5
            )

    asyncio.run(download())
