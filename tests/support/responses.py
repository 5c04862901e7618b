"""Saved listing pages loaded into Scrapy responses (as city-scrapers does)."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_response(name: str, url: str) -> HtmlResponse:
    body = (FIXTURES / name).read_bytes()
    return HtmlResponse(url=url, body=body, encoding="utf-8")
