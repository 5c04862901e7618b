"""The ``kongblog`` spider: every post card of a Kong blog category listing."""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy

from kongblog.cards import ListingPage, page_number, page_url
from kongblog.loaders import (
    PostLoader,
    absolute_url,
    category_slug_from_url,
    is_truncated,
    slug_from_url,
    utc_timestamp,
)

DEFAULT_BLOG = "https://konghq.com/blog"
DEFAULT_CATEGORY = "engineering"


class KongBlogSpider(scrapy.Spider):
    name = "kongblog"

    def __init__(self, start_url=None, category=None, max_pages=None, **kwargs):
        super().__init__(**kwargs)
        if start_url and category:
            raise ValueError("give either start_url or category, not both")
        self.start_url = start_url or f"{DEFAULT_BLOG}/{category or DEFAULT_CATEGORY}"
        parts = urlsplit(self.start_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"start_url must be an absolute http(s) URL, got {self.start_url!r}")
        self.max_pages = int(max_pages) if max_pages not in (None, "") else None
        if self.max_pages is not None and self.max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        # Nothing but the start URL's host is ever requested.
        self.allowed_domains = [parts.hostname]
        self.netloc = parts.netloc.lower()

    async def start(self):
        yield self.listing_request(self.start_url)

    def listing_request(self, url: str, **kwargs) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_listing, **kwargs)

    def wanted_page(self, number: int) -> bool:
        return self.max_pages is None or number <= self.max_pages

    def parse_listing(self, response):
        stats = self.crawler.stats
        stats.inc_value("kongblog/listing_pages")
        listing = ListingPage(response.selector.root, response.url)
        cards = listing.cards()
        if not cards:
            stats.inc_value("kongblog/empty_listing_pages")
            self.logger.warning("listing page without post cards: %s", response.url)
        stats.inc_value("kongblog/cards", len(cards))

        number = page_number(response.url)
        scraped_at = utc_timestamp()
        for card in cards:
            yield self.load_item(card, response.url, number, scraped_at)

        yield from self.follow_pagination(listing, response.url)

    def follow_pagination(self, listing: ListingPage, url: str):
        pagination = listing.pagination()
        # Knowing the last page lets every remaining page be fetched concurrently;
        # the Next link covers widgets without numbers. The dupe filter drops repeats.
        numbers = set(pagination.page_urls)
        if pagination.last_page:
            numbers.update(range(2, pagination.last_page + 1))
        for number in sorted(numbers):
            if number != page_number(url) and self.wanted_page(number):
                yield self.listing_request(page_url(url, number))
        if pagination.next_url and self.wanted_page(page_number(pagination.next_url)):
            yield self.listing_request(pagination.next_url)

    def load_item(self, card, listing_url: str, number: int, scraped_at: str):
        loader = PostLoader()
        loader.add_value("url", card.post_url)
        loader.add_value("slug", slug_from_url(card.post_url))
        loader.add_value("category_slug", category_slug_from_url(card.post_url))
        loader.add_value("title", card.title)
        loader.add_value("category", card.category or humanize(category_slug_from_url(card.post_url)))
        loader.add_value("published", card.date)
        loader.add_value("excerpt", card.excerpt)
        loader.add_value("excerpt_truncated", is_truncated(card.excerpt))
        loader.add_value("authors", card.authors)
        loader.add_value("image_url", absolute_url(card.image_src, listing_url))
        loader.add_value("image_alt", card.image_alt)
        loader.add_value("listing_page", number)
        loader.add_value("listing_position", card.position)
        loader.add_value("listing_url", listing_url)
        loader.add_value("scraped_at", scraped_at)
        return loader.load_item()


def humanize(slug: str | None) -> str | None:
    """A display name from a path segment, for cards that do not print their category."""
    return slug.replace("-", " ").title() if slug else None
