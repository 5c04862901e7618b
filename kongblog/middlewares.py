"""Downloader middlewares of kongblog."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest

REDIRECT_STATUSES = frozenset((301, 302, 303, 307, 308))


class OffsiteRedirectError(IgnoreRequest):
    """A page redirected off the start URL's host."""


class RefuseOffsiteRedirectMiddleware:
    """Turn a redirect to another host into a failure of the request.

    Scrapy's offsite filter drops such a redirect silently, without the
    request's errback: the spider would never learn that a listing page was
    lost. Raising here, before RedirectMiddleware follows the Location, lets
    the errback count and name the page. Nothing is requested off the host.
    """

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def __init__(self, crawler):
        self.crawler = crawler

    def process_response(self, request, response):
        if response.status not in REDIRECT_STATUSES or b"Location" not in response.headers:
            return response
        location = urljoin(request.url, response.headers[b"Location"].decode("latin-1"))
        allowed = getattr(self.crawler.spider, "netloc", None) or urlsplit(request.url).netloc.lower()
        if urlsplit(location).netloc.lower() != allowed:
            self.crawler.stats.inc_value("kongblog/offsite_redirects")
            raise OffsiteRedirectError(f"redirect to another host refused: {request.url} -> {location}")
        return response
