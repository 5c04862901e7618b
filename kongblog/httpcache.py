"""Conditional re-crawls: Scrapy's HTTP cache, asking the site before every reuse (docs/deploy.md).

A page an earlier crawl stored is asked for again with its validators (``If-None-Match`` /
``If-Modified-Since``, set by Scrapy's RFC2616Policy); the site's ``304 Not Modified`` hands the
stored page to the spider, status 200, so the spider, the health checks and the store see exactly
what a fresh download would have given. Three departures from RFC2616Policy keep a crawl honest:

* never reused without asking, whatever ``max-age`` says: a scheduled crawl is there to see the
  site now (a page cached for an hour would hide the new posts of an hourly crawl);
* only 200s are kept: an error page, even one sent with ``max-age``, is never read later as a page;
* only a 304 revalidates: a 5xx, or a connection that fails, stays what it is (retried, then the
  page is lost and the crawl fails), never a stale copy served in silence.

Browser-rendered requests bypass the cache (the browser talks to the site itself).
"""

from __future__ import annotations

import os

from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.settings import BaseSettings
from scrapy.utils.project import data_path


class RevalidatePolicy(RFC2616Policy):
    def should_cache_response(self, response, request) -> bool:
        return response.status == 200 and super().should_cache_response(response, request)

    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(self, cachedresponse, response, request) -> bool:
        return response.status == 304


def cache_dir(path: str) -> str:
    """HTTPCACHE_DIR as Scrapy reads it (relative: under the project's .scrapy/), or, outside any project
    (a Scrapyd job runs where no scrapy.cfg is), under ./.scrapy/, where Scrapy would turn the cache off."""
    try:
        return os.path.abspath(data_path(path))
    except NotConfigured:
        return os.path.abspath(os.path.join(".scrapy", path))


class ConditionalCacheMiddleware(HttpCacheMiddleware):
    """Scrapy's HttpCacheMiddleware, without its error recovery, and for plain HTTP requests only."""

    def __init__(self, settings, stats) -> None:
        if settings.getbool("HTTPCACHE_ENABLED"):
            settings = BaseSettings(settings)
            settings.set("HTTPCACHE_DIR", cache_dir(settings["HTTPCACHE_DIR"]), priority=100)
        super().__init__(settings, stats)

    def process_request(self, request, spider=None):
        if request.meta.get("playwright"):
            request.meta["dont_cache"] = True
        return super().process_request(request)

    def process_exception(self, request, exception, spider=None):
        request.meta.pop("cached_response", None)  # a failed download is not answered from the cache
        return None
