"""Downloader middlewares of kongblog."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest

REDIRECT_STATUSES = frozenset((301, 302, 303, 307, 308))


class OffsiteRedirectError(IgnoreRequest):
    """A page redirected off the start URL's host."""


class RefuseOffsiteRedirectMiddleware:
    """Turn a redirect to another host into a failure of the request.

    Listing requests bypass Scrapy's filters (``dont_filter``, which their
    redirects inherit), so this is what keeps a redirect from leaving the
    start URL's host; for other requests Scrapy's offsite filter would drop
    it without calling the errback. Raising here, before RedirectMiddleware
    follows the Location, lets the errback count and name the page.
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
