"""The spider a Scrapy developer writes for ONE known markup: the replica's default
``utility`` markup, the Next.js build of the blog (``<div id="__next">``, ``/_next/image`` proxy).

It is kongblog's yardstick in ``bench.cpu_vs_conventional`` (issue 22): CSS selectors written for
that markup, a ``scrapy.loader.ItemLoader`` with ``itemloaders.processors``, and every field of
kongblog's item right (the same slugs, titles, dates, authors, excerpts, images). It knows what
kongblog must find out: where the grid is (``#__replica_grid``), that a card is a grid child ending
in an overlay ``<a aria-label>``, that the date follows the category link, that the image is proxied.
Same scheduling as kongblog (every page the pagination promises, earlier pages first), the same
project settings, but none of kongblog's pipelines or health checks (they are its features, not the
markup's). Items leave in the order pages answer, as any plain Scrapy spider's do.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import scrapy
from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

CONVENTIONAL_SETTINGS = {
    "ITEM_PIPELINES": {},
    "KONGBLOG_HEALTH_CHECKS": False,
}
_PAGE = re.compile(r"/page/(\d+)/?$")
_ELLIPSIS = "\u2026"


def collapse(text: str) -> str:
    return " ".join(text.split())  # NBSP and tabs included, unlike normalize-space()


def iso_date(text: str) -> str:
    """'February 7, 2023' or 'Feb 7, 2023' -> '2023-02-07'."""
    for form in ("%B %d, %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return None


def drop_ellipsis(text: str) -> str:
    return text[: -len(_ELLIPSIS)].rstrip() if text.endswith(_ELLIPSIS) else text


def original_image(src: str, loader_context) -> str:
    """The ``/_next/image?url=<original>`` proxy URL unwrapped to the original image."""
    url = urljoin(loader_context["base_url"], src)
    parts = urlsplit(url)
    if parts.path == "/_next/image":
        return parse_qs(parts.query)["url"][0]
    return url


def post_url(href: str, loader_context) -> str:
    parts = urlsplit(urljoin(loader_context["base_url"], href))
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def slug_of(url: str) -> str:
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


def none_if_empty(text: str):
    return text or None


class PostCard(scrapy.Item):
    slug = scrapy.Field(input_processor=MapCompose(post_url, slug_of))
    url = scrapy.Field(input_processor=MapCompose(post_url))
    title = scrapy.Field()
    category = scrapy.Field()
    category_slug = scrapy.Field(input_processor=Identity())
    published = scrapy.Field(input_processor=MapCompose(collapse, iso_date))
    excerpt = scrapy.Field(input_processor=MapCompose(collapse, drop_ellipsis))
    excerpt_truncated = scrapy.Field(input_processor=MapCompose(lambda text: collapse(text).endswith(_ELLIPSIS)))
    authors = scrapy.Field(input_processor=MapCompose(collapse), output_processor=Identity())
    image_url = scrapy.Field(input_processor=MapCompose(original_image))
    image_alt = scrapy.Field(input_processor=MapCompose(collapse, none_if_empty))
    listing_page = scrapy.Field(input_processor=Identity())
    listing_position = scrapy.Field(input_processor=Identity())
    listing_url = scrapy.Field(input_processor=Identity())
    scraped_at = scrapy.Field(input_processor=Identity())


class PostCardLoader(ItemLoader):
    default_item_class = PostCard
    default_input_processor = MapCompose(collapse)
    default_output_processor = TakeFirst()


class ConventionalSpider(scrapy.Spider):
    name = "bench_conventional"
    custom_settings = CONVENTIONAL_SETTINGS

    def __init__(self, start_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_url = start_url
        parts = urlsplit(start_url)
        self.allowed_domains = [parts.hostname]
        self.listing = parts.path.rstrip("/")
        self.category_slug = self.listing.rsplit("/", 1)[-1]
        self.scheduled: set[int] = {1}

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response):
        match = _PAGE.search(urlsplit(response.url).path)
        page = int(match.group(1)) if match else 1
        scraped_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        cards = response.css("#__replica_grid > div:has(> a[aria-label])")
        for position, card in enumerate(cards, 1):
            loader = PostCardLoader(selector=card, base_url=response.url)
            loader.add_css("url", "a[aria-label]::attr(href)")
            loader.add_css("slug", "a[aria-label]::attr(href)")
            loader.add_value("title", card.css("h2, h3").xpath("string()").get())
            loader.add_css("category", 'a[href="/blog"]::text')
            loader.add_value("category_slug", self.category_slug)
            loader.add_css("published", 'a[href="/blog"] + *::text')
            excerpt = card.css(":scope > p").xpath("string()").get()
            loader.add_value("excerpt", excerpt)
            loader.add_value("excerpt_truncated", excerpt)
            loader.add_value("authors", [span.xpath("string()").get() for span in card.css(":scope > div:not(:has(a)) > span")])
            loader.add_css("image_url", "img::attr(src)")
            loader.add_css("image_alt", "img::attr(alt)")
            loader.add_value("listing_page", page)
            loader.add_value("listing_position", position)
            loader.add_value("listing_url", response.url)
            loader.add_value("scraped_at", scraped_at)
            item = loader.load_item()
            item.setdefault("authors", [])
            item.setdefault("image_url", None)
            item.setdefault("image_alt", None)
            yield item
        pages = [int(n) for n in response.css('nav[aria-label="Pagination"] a::text').re(r"^\s*(\d+)\s*$")]
        for number in range(2, max(pages, default=1) + 1):
            if number not in self.scheduled:
                self.scheduled.add(number)
                yield scrapy.Request(f"{response.urljoin(self.listing)}/page/{number}", callback=self.parse,
                                     priority=-number)
