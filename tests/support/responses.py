"""Saved listing pages loaded into Scrapy responses (as city-scrapers does), and
crawlers built with the project's own settings."""

from __future__ import annotations

from pathlib import Path

from scrapy import Selector
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

import kongblog.settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_response(name: str, url: str) -> HtmlResponse:
    body = (FIXTURES / name).read_bytes()
    return HtmlResponse(url=url, body=body, encoding="utf-8")


def html_root(body: str | bytes, url: str):
    """The parsed root element of an HTML text, as the spider parses a page."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Selector(HtmlResponse(url, body=data, encoding="utf-8")).root


def project_settings(**overrides) -> dict:
    """kongblog/settings.py as a dict (every default lives there), with overrides."""
    names = (name for name in dir(kongblog.settings) if name.isupper())
    return {**{name: getattr(kongblog.settings, name) for name in names}, **overrides}


def project_crawler(spidercls=None, **overrides):
    """A crawler with the project's settings, for driving components without a crawl."""
    return get_crawler(spidercls, project_settings(**overrides))
