"""Conditional re-crawls: Scrapy's HTTP cache, asking the site before every reuse (docs/deploy.md).

A stored page is asked for with its validators (RFC2616Policy sets If-None-Match / If-Modified-Since); a 304
hands the stored page to the spider as the 200 it was. Unlike RFC2616Policy: never reused without asking
(max-age would hide an hourly crawl's new posts), only 200s stored, and only a 304 revalidates (a 5xx or a
failed download stays an error, retried then lost, never a stale copy). Browser requests bypass the cache.
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
