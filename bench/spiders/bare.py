"""Two reference spiders that only yield post slugs.

``bench_bare``
    the floor for ``bench.crawl_overhead``: the same listing pages, the same
    project settings (concurrency, robots.txt, reactor, feed export) and the
    same scheduling strategy as kongblog (read the last page number from the
    pagination and request every page once, all at once), but the post links
    are found with one regular expression over the HTML and nothing else is
    done: no card extraction, no item loader, no pipelines, no health checks.
``bench_naive``
    what a user writes first: parse a page, follow its "Next" link, one page
    at a time (for ``bench.naive_next``).

Both yield ``{"slug": ..., "page": ...}`` once per post and page.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import scrapy

_HREF = re.compile(r"""<a\b[^>]*?\shref\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a>""", re.IGNORECASE | re.DOTALL)
_PAGE = re.compile(r"/page/(\d+)/?$")

# Nothing of kongblog's item flow: the floor only exports what it yields.
BARE_SETTINGS = {
    "ITEM_PIPELINES": {},
    "KONGBLOG_HEALTH_CHECKS": False,
}


class _SlugSpider(scrapy.Spider):
    custom_settings = BARE_SETTINGS

    def __init__(self, start_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_url = start_url
        parts = urlsplit(start_url)
        self.allowed_domains = [parts.hostname]
        self.netloc = parts.netloc
        self.listing = _PAGE.sub("", parts.path.rstrip("/"))
        self.base = f"{parts.scheme}://{parts.netloc}{self.listing}"
        self.seen: set[str] = set()

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse)

    def links(self, response):
        """(slugs, {page number: url}, next url) of a listing page."""
        slugs: list[str] = []
        pages: dict[int, str] = {}
        next_url = None
        prefix = self.listing + "/"
        for href, text in _HREF.findall(response.text):
            absolute = urljoin(response.url, href.replace("&amp;", "&").strip())
            parts = urlsplit(absolute)
            if parts.netloc != self.netloc:
                continue
            path = parts.path.rstrip("/")
            if path.startswith(prefix) and "/" not in path[len(prefix):]:
                slugs.append(path[len(prefix):])
                continue
            match = _PAGE.search(path)
            if match and path.startswith(prefix):
                number = int(match.group(1))
                pages[number] = f"{self.base}/page/{number}"
                if "next" in text.lower():
                    next_url = pages[number]
        return slugs, pages, next_url

    def slug_items(self, response, slugs):
        page = int(m.group(1)) if (m := _PAGE.search(urlsplit(response.url).path)) else 1
        for slug in dict.fromkeys(slugs):
            if slug not in self.seen:
                self.seen.add(slug)
                yield {"slug": slug, "page": page}


class BareSlugSpider(_SlugSpider):
    """Every listing page at once, as soon as the last page number is known."""

    name = "bench_bare"

    def __init__(self, start_url: str, **kwargs):
        super().__init__(start_url, **kwargs)
        self.scheduled: set[int] = {1}

    def parse(self, response):
        slugs, pages, next_url = self.links(response)
        yield from self.slug_items(response, slugs)
        last = max(pages, default=1)
        numbers = [n for n in range(2, last + 1) if n not in self.scheduled]
        self.scheduled.update(numbers)
        for number in numbers:
            # Earlier pages first, as kongblog asks.
            yield scrapy.Request(f"{self.base}/page/{number}", callback=self.parse, priority=-number)


class NaiveNextSpider(_SlugSpider):
    """Follow "Next" from page to page: one listing request in flight at a time."""

    name = "bench_naive"

    def parse(self, response):
        slugs, pages, next_url = self.links(response)
        yield from self.slug_items(response, slugs)
        if next_url:
            yield scrapy.Request(next_url, callback=self.parse)
