"""The ``kongblog`` spider: every post card of a Kong blog category listing."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import asdict
from urllib.parse import urlsplit

import scrapy
from scrapy import Selector, signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from kongblog.browser import INSTALL_HINT, RENDER_MODES, configure_browser, is_launch_failure
from kongblog.cards import ListingPage, listing_path, page_number, page_url
from kongblog.failures import record_failure
from kongblog.items import ArticlePostItem, PostItem, item_fields
from kongblog.known import KnownPosts, KnownPostsUnavailable, known_from_jsonl, known_from_mongo
from kongblog.loaders import (
    PostLoader,
    absolute_url,
    category_slug_from_url,
    is_truncated,
    slug_from_url,
    utc_timestamp,
)
from kongblog.progress import ListingProgress

DEFAULT_BLOG = "https://konghq.com/blog"
DEFAULT_CATEGORY = "engineering"
MODES = ("full", "incremental")
# Statuses a bot check or a JavaScript challenge answers with: with render=auto
# such a listing page gets one try in the browser before it counts as lost.
CHALLENGE_STATUSES = [403, 429, 503]


class KongBlogSpider(scrapy.Spider):
    name = "kongblog"

    def __init__(
        self, start_url=None, category=None, max_pages=None, render=None, mode="full",
        known=None, articles="0", **kwargs,
    ):
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
        if render is not None and render not in RENDER_MODES:
            raise ValueError(f"render must be one of {', '.join(RENDER_MODES)}, got {render!r}")
        self.render = render
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.mode = mode
        self.known_path = known
        self.known = KnownPosts()
        if str(articles) not in ("0", "1"):
            raise ValueError(f"articles must be 0 or 1, got {articles!r}")
        self.articles = str(articles) == "1"
        self._progress = ListingProgress()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.render = spider.render or crawler.settings.get("KONGBLOG_RENDER", "auto")
        if spider.render not in RENDER_MODES:
            raise ValueError(f"KONGBLOG_RENDER must be one of {', '.join(RENDER_MODES)}")
        if spider.render != "never":
            configure_browser(crawler.settings, spider.netloc)
        if spider.mode == "incremental" and not (crawler.settings.get("MONGO_URI") or spider.known_path):
            raise ValueError(
                "incremental mode needs to know which posts exist already: set MONGO_URI "
                "(the collection is read) or pass -a known=path/to/previous/posts.jsonl"
            )
        crawler.signals.connect(spider.release_stuck_pages, signal=signals.spider_idle)
        return spider

    # -- bookkeeping -------------------------------------------------------------

    @property
    def progress(self) -> ListingProgress:
        """The listing bookkeeping; kept in the JOBDIR state when there is one."""
        state = getattr(self, "state", None)
        if state is None:
            return self._progress
        return state.setdefault("listing_progress", self._progress)

    # The health checks read these.
    @property
    def cards_per_page(self) -> dict[int, int]:
        return self.progress.cards_per_page

    @property
    def last_page(self) -> int | None:
        return self.progress.last_page

    @property
    def seen_posts(self) -> set[str]:
        return self.progress.seen_posts

    @property
    def complete_listing(self) -> bool:
        """Whether this crawl meant to see every listing page (the health checks ask)."""
        if self.mode == "incremental":
            return False
        return self.max_pages is None or (self.last_page is not None and self.max_pages >= self.last_page)

    @property
    def listing_path(self) -> str:
        return listing_path(self.start_url)

    def wanted_page(self, number: int) -> bool:
        return self.max_pages is None or number <= self.max_pages

    def fail_crawl(self, reason: str) -> None:
        """Mark the crawl failed; it goes on, and `scrapy crawl` exits 1 at the end."""
        if record_failure(self.crawler.stats, reason):
            self.logger.error("crawl failed: %s", reason)

    # -- start -------------------------------------------------------------------

    async def start(self):
        if self.mode == "incremental":
            self.known = await self.load_known()
            self.crawler.stats.set_value("kongblog/incremental/known_posts", len(self.known))
            self.logger.info("incremental crawl: %d posts known from %s", len(self.known), self.known.source)
        for request in self.listing_requests([self.start_url]):
            yield request

    async def load_known(self) -> KnownPosts:
        try:
            if self.settings.get("MONGO_URI"):
                return await known_from_mongo(self.settings)
            return await asyncio.to_thread(known_from_jsonl, self.known_path)
        except KnownPostsUnavailable as exc:
            raise ValueError(f"incremental mode cannot read the known posts: {exc}") from None

    # -- listing requests --------------------------------------------------------

    def listing_requests(self, urls):
        """Requests for the listing pages not asked for yet.

        The progress is the dupe filter of listing pages, so their requests
        bypass Scrapy's: a redirect to a page seen before must still reach
        the callback, or the page would never count as done. The page number
        travels with the request, since a redirect changes the URL.
        """
        for url in urls:
            number = page_number(url)
            if not self.progress.request(number):
                continue
            if self.render == "always":
                yield self.browser_request(url, number)
            else:
                yield scrapy.Request(
                    url,
                    callback=self.parse_listing,
                    errback=self.listing_failed,
                    cb_kwargs={"number": number},
                    meta={"handle_httpstatus_list": CHALLENGE_STATUSES} if self.render == "auto" else {},
                    dont_filter=True,
                    priority=-number,  # earlier pages first: later pages' items wait for them
                )

    def browser_request(self, url: str, number: int) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_rendered,
            errback=self.browser_failed,
            cb_kwargs={"number": number},
            meta={"playwright": True, "playwright_include_page": True},
            dont_filter=True,
            priority=-number,
        )

    async def parse_rendered(self, response, number):
        """Let the page's scripts build the cards, then parse the DOM like any page."""
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        page = response.meta["playwright_page"]
        try:
            try:
                await page.wait_for_selector(
                    f'a[href*="{self.listing_path}/"]:not([href*="/page/"])',
                    state="attached",
                    timeout=self.settings.getfloat("KONGBLOG_RENDER_WAIT", 10.0) * 1000,
                )
            except PlaywrightTimeout:  # no post link appeared in time: parse what is there
                self.logger.info("no post links rendered within the wait on %s", response.url)
            html = await page.content()
        except Exception as exc:
            for result in self.page_lost(response.url, number, f"browser rendering failed: {exc!r}"):
                yield result
            return
        finally:
            await page.close()
        self.crawler.stats.inc_value("kongblog/render/browser_pages")
        rendered = HtmlResponse(response.url, body=html, encoding="utf-8", request=response.request)
        for result in self.parse_listing(rendered, number, rendered_by_browser=True):
            yield result

    async def browser_failed(self, failure):
        page = failure.request.meta.get("playwright_page")
        if page is not None:
            await page.close()
        if is_launch_failure(failure):
            self.fail_crawl(f"the browser could not be launched ({failure.value}); {INSTALL_HINT}")
        for result in self.listing_failed(failure):
            yield result

    def listing_failed(self, failure):
        url = failure.request.url
        number = failure.request.cb_kwargs.get("number", page_number(url))
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # Forbidden by robots.txt or redirected off the host: skipped on purpose.
            yield from self.page_skipped(url, number, str(failure.value))
        else:
            yield from self.page_lost(url, number, str(failure.value))

    def page_lost(self, url: str, number: int, why: str):
        stats = self.crawler.stats
        append_stat(stats, "kongblog/lost_listing_urls", url)
        stats.inc_value("kongblog/listing_pages_lost")
        self.logger.error("listing page lost after retries: %s (%s)", url, why)
        self.fail_crawl(f"listing page lost after retries: {url}")
        yield from self.emit(self.progress.complete(number, []))  # later pages stop waiting for it

    def page_skipped(self, url: str, number: int, why: str):
        stats = self.crawler.stats
        append_stat(stats, "kongblog/ignored_listing_urls", url)
        stats.inc_value("kongblog/listing_pages_ignored")
        self.logger.warning("listing page skipped: %s (%s)", url, why)
        yield from self.emit(self.progress.complete(number, []))

    def release_stuck_pages(self, spider):
        """Nothing left to fetch, yet listing pages never finished (a bug or a lost callback)."""
        progress = self.progress
        if not progress.pending:
            return
        stuck = sorted(progress.pending)
        self.logger.error("listing pages never finished: %s", stuck)
        self.fail_crawl(f"listing pages never finished: {stuck}")
        progress.pending.clear()
        if progress.held:
            # The items held back for them leave through one local request.
            self.crawler.engine.crawl(
                scrapy.Request("data:,", callback=self.release_held, errback=self.release_held, dont_filter=True)
            )
            raise DontCloseSpider

    def release_held(self, _response_or_failure):
        yield from self.emit(self.progress.release_all())

    # -- listing pages -----------------------------------------------------------

    def parse_listing(self, response, number=None, rendered_by_browser=False):
        stats = self.crawler.stats
        number = number or page_number(response.url)
        # A selector of our own, not response.selector: that one is kept on
        # the response, which Scrapy holds until every item of the page has
        # left the pipelines, and a parsed page weighs about 20 times its HTML.
        page = Selector(response) if isinstance(response, TextResponse) else None
        listing = ListingPage(page.root, response.url) if page is not None and response.status == 200 else None
        cards = listing.cards() if listing else []
        if not cards and not rendered_by_browser and self.render == "auto" and needs_browser(response, page):
            stats.inc_value("kongblog/render/escalated")
            self.logger.info(
                "no cards over plain HTTP (status %d), rendering in the browser: %s", response.status, response.url
            )
            yield self.browser_request(response.url, number)
            return
        if listing is None:
            yield from self.page_lost(response.url, number, f"HTTP {response.status}")
            return
        if page_number(response.url) != number or listing.listing_path != self.listing_path:
            yield from self.page_skipped(response.url, number, f"page {number} redirected to {response.url}")
            return
        stats.inc_value("kongblog/listing_pages")
        if not cards:
            stats.inc_value("kongblog/empty_listing_pages")
            append_stat(stats, "kongblog/empty_listing_urls", response.url)
            self.logger.warning("listing page without post cards: %s", response.url)
        progress = self.progress
        progress.cards_per_page[number] = len(cards)
        stats.inc_value("kongblog/cards", len(cards))
        progress.seen_posts.update(card.post_url for card in cards)
        stats.set_value("kongblog/unique_cards", len(progress.seen_posts))

        if self.mode == "incremental":
            yield from self.follow_incrementally(listing, number, cards)
        else:
            yield from self.follow_pagination(listing, number)

        scraped_at = utc_timestamp()
        items = [self.load_item(card, response.url, number, scraped_at) for card in cards]
        count_fields(stats, items)
        yield from self.emit(progress.complete(number, [item for item in items if self.wanted(item)]))

    def emit(self, items):
        """Items released in listing order: to the pipelines, or first to their article."""
        for item in items:
            if self.articles:
                yield self.article_request(item)
            else:
                self.crawler.stats.inc_value("kongblog/items_emitted")
                yield item

    def wanted(self, item) -> bool:
        """In incremental mode only new posts (and, with articles, never enriched ones)."""
        if self.mode != "incremental" or item.slug not in self.known.slugs:
            return True
        return self.articles and item.slug not in self.known.enriched

    def follow_pagination(self, listing: ListingPage, number: int):
        pagination = listing.pagination()
        progress = self.progress
        progress.saw_last_page(pagination.last_page)
        # Knowing the last page lets every remaining page be fetched concurrently
        # (once: later pages only add what their widget shows beyond it); the
        # Next link covers widgets without numbers.
        numbers = set(pagination.pages)
        if pagination.last_page and pagination.last_page > progress.scheduled_through:
            numbers.update(range(progress.scheduled_through + 1, pagination.last_page + 1))
            progress.scheduled_through = pagination.last_page
        if pagination.next_page:
            numbers.add(pagination.next_page)
        fresh = sorted(n for n in numbers if n not in progress.requested and self.wanted_page(n))
        yield from self.listing_requests(page_url(listing.url, n) for n in fresh)

    def follow_incrementally(self, listing: ListingPage, number: int, cards):
        """One page after the other, until a page holds nothing new."""
        pagination = listing.pagination()
        self.progress.saw_last_page(pagination.last_page)
        new = [card for card in cards if slug_from_url(card.post_url) not in self.known.slugs]
        self.crawler.stats.inc_value("kongblog/incremental/new_posts", len(new))
        if cards and not new:
            skipped = max((self.last_page or number) - number, 0)
            self.crawler.stats.set_value("kongblog/incremental/pages_skipped", skipped)
            self.logger.info("page %d holds only known posts: stopping, %d listing pages skipped", number, skipped)
            return
        next_number = number + 1
        if ((self.last_page and next_number <= self.last_page) or pagination.next_page) and self.wanted_page(next_number):
            yield from self.listing_requests([page_url(listing.url, next_number)])

    # -- articles ----------------------------------------------------------------

    def article_request(self, item) -> scrapy.Request:
        return scrapy.Request(
            item.url,
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"item": item},
            priority=1,  # finish posts before walking further listing pages
        )

    async def parse_article(self, response, item):
        # Imported here: extruct and trafilatura cost 0.2 s to import, and only articles=1 uses them.
        from kongblog.articles import read_article

        try:
            # Parsing a page is CPU work: keep the event loop free for downloads.
            enrichment = await asyncio.to_thread(read_article, response.text, response.url)
        except Exception as exc:
            return self.card_without_article(item, response.url, f"unreadable article page: {exc!r}")
        self.crawler.stats.inc_value("kongblog/articles/enriched")
        self.crawler.stats.inc_value("kongblog/items_emitted")
        return ArticlePostItem(**asdict(item), **enrichment)

    def article_failed(self, failure):
        return self.card_without_article(failure.request.cb_kwargs["item"], failure.request.url, failure.value)

    def card_without_article(self, item, url: str, why):
        """The card is still worth having when its article page cannot be read."""
        self.crawler.stats.inc_value("kongblog/articles/failed")
        self.crawler.stats.inc_value("kongblog/items_emitted")
        self.logger.warning("article page failed, keeping the card only: %s (%s)", url, why)
        return item

    # -- items -------------------------------------------------------------------

    def load_item(self, card, listing_url: str, number: int, scraped_at: str) -> PostItem:
        """The card's strings normalised by the item loader, then where and when the crawl found it."""
        loader = PostLoader()
        loader.add_value("url", card.post_url)
        loader.add_value("title", card.title)
        loader.add_value("category", card.category or humanize(category_slug_from_url(card.post_url)))
        loader.add_value("published", card.date)
        loader.add_value("excerpt", card.excerpt)
        loader.add_value("excerpt_truncated", is_truncated(card.excerpt))
        loader.add_value("authors", card.authors)
        loader.add_value("image_url", absolute_url(card.image_src, listing_url))
        loader.add_value("image_alt", card.image_alt)
        item = loader.load_item()
        # Facts of the crawl, not text of the page: nothing to normalise, and
        # each pass through the loader costs about 8 us a field on every card.
        item.slug = slug_from_url(item.url)
        item.category_slug = category_slug_from_url(item.url)
        item.listing_page = number
        item.listing_position = card.position
        item.listing_url = listing_url
        item.scraped_at = scraped_at
        return item


def count_fields(stats, items) -> None:
    """Per-field presence over all cards: the health checks' field coverage."""
    present = Counter(
        name for item in items for name, value in item_fields(item).items() if value not in (None, "", [], {})
    )
    for name, count in present.items():
        stats.inc_value(f"kongblog/fields/{name}", count)


def append_stat(stats, key: str, value) -> None:
    stats.set_value(key, [*(stats.get_value(key) or []), value])


def needs_browser(response, page: Selector | None) -> bool:
    """Whether rendering might reveal cards: an HTML page (parsed as ``page``) that runs scripts."""
    if page is None:
        return False
    is_html = isinstance(response, HtmlResponse) or b"<html" in response.body[:4096].lower()
    return is_html and bool(page.xpath("//script[not(@type) or contains(@type, 'javascript') or @type='module']"))


def humanize(slug: str | None) -> str | None:
    """A display name from a path segment, for cards that do not print their category."""
    return slug.replace("-", " ").title() if slug else None
