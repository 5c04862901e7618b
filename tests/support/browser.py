"""Render one page in Debian's Chromium, as a replica test needs it."""

from __future__ import annotations

import os
import shutil

import pytest


def rendered_html(url: str) -> str:
    """The page's HTML after its scripts ran. Skips without a browser, except
    in CI (``.ci/run`` installs Chromium, so its absence there is a failure)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs Chromium (scripts/test.sh); it is missing")
        pytest.skip("no chromium binary")
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url)
            html = page.content()
            browser.close()
    except Exception as exc:  # pragma: no cover - environment without a usable browser
        if os.environ.get("CI"):
            raise
        pytest.skip(f"browser unavailable: {exc}")
    return html
