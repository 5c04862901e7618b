"""The ``kongblog`` spider: every post card of a Kong blog category listing.

Listing pages are fetched over plain HTTP (or in a browser: ``render``), a bounded window ahead of the last page
with new posts (incremental crawls: one page after the other). Items leave in listing order (ListingProgress, then
pipelines/order.py), to the pipelines or first to their article (``articles=1``). What the crawl saw goes into
:class:`~kongblog.report.CrawlReport`, which the health checks judge."""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import Selector, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse, TextResponse

from kongblog import stats as keys
from kongblog.browser import INSTALL_HINT, close_page, configure_browser, is_launch_failure
from kongblog.extraction.links import LinkResolver
from kongblog.extraction.listing import SCRIPTS, ListingPage, read_listing
from kongblog.failures import failure_reason, ignored_cause, record_failure
from kongblog.store.known import KnownPosts, KnownPostsUnavailable, known_from_jsonl, known_from_mongo
from kongblog.loaders import PostLoader, utc_timestamp
from kongblog.progress import ListingProgress
from kongblog.report import MAX_NAMED, CrawlReport
from kongblog.spiders.params import BadArgument, CrawlParams
from kongblog.urls import listing_path, page_url

REDIRECT_STATUSES = frozenset((301, 302, 303, 307, 308))
MAX_REDIRECTS = 5


class KongBlogSpider(scrapy.Spider):
    name = "kongblog"

    def __init__(self, *args, **arguments):
        self.params = CrawlParams.from_arguments(arguments)
        # Scrapyd's own arguments (_job, _version) stay attributes, as Scrapy makes them.
        super().__init__(*args, **{name: value for name, value in arguments.items() if name.startswith("_")})
        if self.params.start_url:
            self.aim(self.params.start_url)  # else from_crawler, once the settings give the default
        self.known = KnownPosts()
        self.feed_url = None  # the first feed a listing page links: the second source's (pipelines/second_source.py)
        self.asked_again: set[int] = set()  # listing pages asked for again at the end of this run
        self.release_order: dict[int, int] = {}  # id(item) -> its place in this run's listing order
        self.state = {}  # what a JOBDIR keeps across a resume: Scrapy's SpiderState replaces it on opening

    def aim(self, start_url: str) -> None:
        self.start_url = start_url
        self.allowed_domains = [urlsplit(start_url).hostname]  # nothing else is ever requested
        self.netloc = urlsplit(start_url).netloc.lower()
        self.listing = listing_path(start_url)
        self.links = LinkResolver(start_url)

    @staticmethod
    def check_arguments(arguments: dict, settings) -> None:
        """What ``scrapy crawl`` asks before anything starts (see kongblog.commands.crawl)."""
        params = CrawlParams.from_arguments(arguments, settings)
        params.check(settings)
        params.check_files(settings)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.params = CrawlParams.from_arguments(kwargs, settings)
        spider.params.check(settings)
        spider.aim(spider.params.start_url)
        spider.render = spider.params.render or settings.get("KONGBLOG_RENDER")
        spider.page_window = max(1, settings.getint("KONGBLOG_PAGE_WINDOW"))
        spider.render_wait = settings.getfloat("KONGBLOG_RENDER_WAIT")
        spider.article_maxsize = settings.getint("KONGBLOG_ARTICLE_MAXSIZE")
        spider.article_timeout = settings.getfloat("KONGBLOG_ARTICLE_TIMEOUT")
        if spider.render != "never":
            configure_browser(settings, spider.netloc)
        crawler.signals.connect(spider.check_unfinished_pages, signal=signals.spider_idle)
        return spider

    @property
    def progress(self) -> ListingProgress:
        return self.state.setdefault("listing_progress", ListingProgress())

    @property
    def report(self) -> CrawlReport:
        return self.state.setdefault("crawl_report", CrawlReport())

    @property
    def complete_listing(self) -> bool:
        """Whether this crawl means to read the whole listing (kept in its report, which the health checks read)."""
        return self.report.complete_listing

    def fail_crawl(self, reason: str) -> None:
        """Mark the crawl failed; it goes on, and `scrapy crawl` exits 1 at the end."""
        if record_failure(self.crawler.stats, reason):
            self.logger.error("crawl failed: %s", reason)

    async def start(self):
        # A resumed crawl is judged again at its end, on what this run is asked to read.
        self.report.new_run(self.params.max_pages, self.params.mode == "incremental")
        if self.params.mode == "incremental":
            try:
                if self.settings.get("MONGO_URI"):
                    self.known = await known_from_mongo(self.settings)
                else:
                    self.known = await asyncio.to_thread(known_from_jsonl, self.params.known)
            except KnownPostsUnavailable as exc:  # checked before the crawl: the file changed since
                self.fail_crawl(f"mode=incremental cannot read the known posts: {exc}")
                return
            self.crawler.stats.set_value(keys.KNOWN_POSTS, len(self.known))
            self.logger.info("incremental crawl: %d posts known from %s", len(self.known), self.known.source)
        for request in self.listing_requests([1]):
            yield request

    # -- listing pages -------------------------------------------------------------

    def listing_requests(self, numbers, pagination=None):
        """Requests for the listing pages within max_pages not asked for yet, in the form the site links them."""
        for number in numbers:
            if (self.params.max_pages is None or number <= self.params.max_pages) and self.progress.request(number):
                url = pagination.url_of(number, self.start_url) if pagination else page_url(self.start_url, number)
                yield self.listing_request(number, url)

    def listing_request(self, number: int, url: str, redirects: int = 0, browser: bool = False) -> scrapy.Request:
        # The spider reads every status and follows redirects itself, so a page
        # redirected off the host or to another page is named, never dropped.
        meta = {"handle_httpstatus_all": True, "dont_redirect": True}
        if browser or self.render == "always":
            meta.update(playwright=True, playwright_include_page=True)
        return scrapy.Request(
            url,
            callback=self.parse_rendered if meta.get("playwright") else self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"number": number, "redirects": redirects},
            meta=meta,
            dont_filter=True,  # each page is asked for once already (the progress)
            priority=-number,  # earlier pages first: later pages' items wait for them
        )

    def parse_listing(self, response, number, redirects=0, rendered_by_browser=False):
        try:
            yield from self.read_listing_response(response, number, redirects, rendered_by_browser)
        except Exception as exc:
            if number not in self.progress.pending:
                raise  # the page is done already: Scrapy logs it and the crawl exits 1
            # Scrapy gives a callback's error to no errback: unless the page ends
            # here, every later page's items would wait for it to the end.
            self.logger.exception("listing page %d could not be read: %s", number, response.url)
            yield from self.page_lost(number, response.url, f"{type(exc).__name__} while reading it: {exc}")

    def read_listing_response(self, response, number, redirects, rendered_by_browser):
        """What a listing response leads to: requests, and the items that may leave now."""
        status = response.status
        if status in REDIRECT_STATUSES and not rendered_by_browser:
            return self.follow_redirect(response, number, redirects)
        if status == 404:
            self.report.not_found[number] = response.url
            return self.emit(number)
        page = Selector(response) if isinstance(response, TextResponse) else None
        listing = None
        if page is not None and status == 200:  # (a Selector's truth value serializes the page)
            listing = read_listing(page.root, response.url, number, self.report.shape, self.links)
            self.feed_url = self.feed_url or listing.feed_url
        cards = listing.cards if listing else []
        runs_scripts = listing.runs_scripts if listing else needs_browser(response, page)
        if not cards and not rendered_by_browser and self.render == "auto" and runs_scripts:
            self.crawler.stats.inc_value(keys.RENDER_ESCALATED)
            self.logger.info("no cards over plain HTTP (status %d), rendering in the browser: %s", status, response.url)
            return [self.listing_request(number, response.url, browser=True)]
        if listing is None:
            return self.page_lost(number, response.url, f"HTTP {status}")
        if not self.is_page(response.url, number):
            return self.page_skipped(number, response.url, f"page {number} came back as {response.url}")
        for doubt in self.report.record_page(listing):
            self.logger.warning("doubt on %s: %s", listing.url, doubt)
        if not cards:
            self.logger.warning("listing page without post cards: %s", listing.url)
        scraped_at = utc_timestamp()
        outside = listing.outside if self.params.mode != "incremental" else []  # (where only new posts are read)
        items = [PostLoader.load_card(card, response.url, number, scraped_at) for card in cards + outside]
        self.report.record_items(items, cards)  # the listing's cards' items (zip ends with the cards)
        follow = self.follow_incrementally if self.params.mode == "incremental" else self.follow_pagination
        requests = list(follow(listing))  # asked for first: the page's items wait for the page after it
        return requests + list(self.emit(number, [i for i in items[:len(cards)] if self.wanted(i)], items[len(cards):]))

    def follow_redirect(self, response, number: int, redirects: int):
        target = redirect_target(response)
        if target is not None and self.is_page(target, number) and redirects < MAX_REDIRECTS:
            yield self.listing_request(number, target, redirects + 1)  # /page/3/ -> /page/3, http -> https
        else:
            yield from self.page_skipped(number, response.url, f"redirected to {target}")

    def is_page(self, url: str, number: int) -> bool:
        """Whether ``url`` is page ``number`` of the crawled listing, on its host."""
        return self.on_host(url) and listing_path(url) == self.listing and self.links.page_number(url) == number

    def on_host(self, url: str | None) -> bool:
        """Whether ``url`` is on the start URL's host and port: the only one ever requested."""
        try:
            return url is not None and urlsplit(url).netloc.lower() == self.netloc
        except ValueError:  # http://[x
            return False

    def emit(self, number: int, items=(), outside=()):
        """Page ``number`` is done: the items it releases in listing order, to the pipelines or to their article."""
        released = self.progress.complete(number, list(items), outside, self.complete_listing)
        self.report.record_progress(self.progress)  # posts emitted from outside the listing, duplicates dropped
        for item in released:
            if self.params.articles:
                yield self.article_request(item)
            else:
                self.release_order[id(item)] = self.report.items_emitted  # (read by pipelines/order.py)
                self.report.items_emitted += 1
                yield item

    def wanted(self, item) -> bool:
        """In incremental mode only new posts (and, with articles, never enriched ones)."""
        if self.params.mode != "incremental" or item.slug not in self.known.slugs:
            return True
        return self.params.articles and item.slug not in self.known.enriched

    def follow_pagination(self, listing: ListingPage):
        """The pages the widgets promised, up to a window past the last page with posts not
        seen before (a site serving the same cards on every page number does not move it)."""
        report = self.report
        reach = (report.last_new_page or 1) + self.page_window
        end = min(report.past_end, default=None)  # nothing is asked for beyond a 404 past the last cards
        numbers = set(range(2, min(report.promised_last or 0, reach) + 1))
        if listing.pagination.next_page and listing.pagination.next_page <= reach:
            numbers.add(listing.pagination.next_page)  # a widget without numbers
        yield from self.listing_requests(sorted(n for n in numbers if end is None or n < end), listing.pagination)

    def follow_incrementally(self, listing: ListingPage):
        """One page after the other, until a page holds nothing new."""
        cards = listing.cards
        new = [card for card in cards if card.slug not in self.known.slugs]
        self.crawler.stats.inc_value(keys.NEW_POSTS, len(new))
        if cards and not new:
            skipped = max((self.report.promised_last or listing.number) - listing.number, 0)
            self.crawler.stats.set_value(keys.PAGES_SKIPPED, skipped)
            self.logger.info("page %d holds only known posts: stopping, %d pages skipped", listing.number, skipped)
            return
        following = listing.number + 1
        if following in listing.pagination.pages or (self.report.promised_last or 0) >= following:
            yield from self.listing_requests([following], listing.pagination)

    # -- pages that could not be read -------------------------------------------

    async def listing_failed(self, failure):
        request = failure.request
        number = request.cb_kwargs["number"]
        page = request.meta.get("playwright_page")
        if page is not None:
            await close_page(page, self.render_wait)
        if request.meta.get("playwright") and is_launch_failure(failure):
            self.fail_crawl(f"the browser could not be launched ({failure.value}); {INSTALL_HINT}")
        cause = self.ignored(failure)
        if cause == "robots.txt":
            self.report.forbidden.add(number)
            self.logger.info("listing page forbidden by robots.txt, not part of the listing: %s", request.url)
            outcome = self.emit(number)
        else:  # a page over DOWNLOAD_MAXSIZE (a gzip bomb) is a page of the listing that could not be read
            why = f"ignored: {cause}" if cause else failure_reason(failure.value)
            outcome = self.page_lost(number, request.url, why)
        for result in outcome:
            yield result

    def ignored(self, failure) -> str | None:
        """The cause of a request Scrapy ignored (robots.txt, size cap, offsite), counted; None for other failures."""
        if cause := ignored_cause(failure):
            self.crawler.stats.inc_value(keys.IGNORED + cause)
        return cause

    def page_lost(self, number: int, url: str, why: str):
        self.report.lost[number] = why
        if len(self.report.lost) <= MAX_NAMED:
            self.logger.error("listing page lost after retries: %s (%s)", url, why)
            self.fail_crawl(f"listing page lost: {url}")
        yield from self.emit(number)  # later pages stop waiting for it

    def page_skipped(self, number: int, url: str, why: str):
        self.report.skipped[number] = why
        if len(self.report.skipped) <= MAX_NAMED:
            self.logger.warning("listing page skipped: %s (%s)", url, why)
        yield from self.emit(number)

    def check_unfinished_pages(self, spider):
        """Every listing request ends in a callback or an errback. A page still waiting when nothing is left to
        do lost its request (a resumed JOBDIR's queue): asked for again, once; past that, the crawl fails."""
        again = sorted(self.progress.pending - self.asked_again)
        if again:
            self.asked_again.update(again)
            self.logger.warning("listing pages never answered, asked for again: %s", again[:MAX_NAMED])
            for number in again:
                self.crawler.engine.crawl(self.listing_request(number, page_url(self.start_url, number)))
            raise DontCloseSpider
        if unfinished := sorted(self.progress.pending):
            self.fail_crawl(f"listing pages never finished: {unfinished[:MAX_NAMED]}")
            self.progress.pending.clear()

    # -- the browser ---------------------------------------------------------------

    async def parse_rendered(self, response, number, redirects=0):
        """Let the page's scripts build the cards, then parse the DOM; a page that misses a deadline is lost."""
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        page = response.meta["playwright_page"]
        wait = self.render_wait
        try:
            try:
                await page.wait_for_selector(
                    f'a[href*="{self.listing}/"]:not([href*="/page/"])', state="attached", timeout=wait * 1000
                )
            except PlaywrightTimeout:  # no post link appeared in time: parse what is there
                self.logger.info("no post links rendered within %gs on %s", wait, response.url)
            html = await asyncio.wait_for(page.content(), wait)
        except Exception as exc:
            if isinstance(exc, asyncio.TimeoutError):
                self.crawler.stats.inc_value(keys.RENDER_TIMEOUTS)
                exc = f"the page's scripts held the browser past the {wait:g}s deadline"
            for result in self.page_lost(number, response.url, f"browser rendering failed: {exc}"):
                yield result
            return
        finally:
            await close_page(page, wait)
        self.crawler.stats.inc_value(keys.RENDER_PAGES)
        rendered = response.replace(cls=HtmlResponse, body=html, encoding="utf-8")
        for result in self.parse_listing(rendered, number, rendered_by_browser=True):
            yield result

    # -- articles ----------------------------------------------------------------

    def article_request(self, item, url: str | None = None, redirects: int = 0):
        url = url or item.url
        if not self.on_host(url):
            self.crawler.stats.inc_value(keys.ARTICLES_OFF_HOST)
            return self.card_only(item, f"the article is off the host {self.netloc}: {url}")
        # Redirects followed here, on the host only (dont_filter passes the offsite filter); the cap bounds extraction.
        meta = {"dont_redirect": True, "handle_httpstatus_list": sorted(REDIRECT_STATUSES),
                "download_maxsize": self.article_maxsize}
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,  # a method: the request can be saved in a JOBDIR
            cb_kwargs={"item": item, "redirects": redirects},
            meta=meta,
            priority=1,  # finish posts before walking further listing pages
            dont_filter=True,  # a post listed twice reaches the pipelines, which count the duplicate
        )

    def article_failed(self, failure):
        if self.ignored(failure) == "size cap":
            self.crawler.stats.inc_value(keys.ARTICLES_OVERSIZED)
        return self.card_only(failure.request.cb_kwargs["item"], failure_reason(failure.value))

    async def parse_article(self, response, item, redirects=0):
        # Imported here: extruct and trafilatura cost 0.2 s to import, and only articles=1 uses them.
        from kongblog.extraction.article import read_article

        if response.status in REDIRECT_STATUSES:
            target = redirect_target(response)
            if target is None or redirects >= MAX_REDIRECTS:
                return self.card_only(item, f"HTTP {response.status} to {target} after {redirects} redirect(s)")
            return self.article_request(item, target, redirects + 1)
        try:
            # CPU work off the event loop, waited for until the deadline (the thread then ends on its own).
            enrichment = await asyncio.wait_for(
                asyncio.to_thread(read_article, response.text, response.url), self.article_timeout)
        except asyncio.TimeoutError:
            self.crawler.stats.inc_value(keys.ARTICLES_TIMED_OUT)
            return self.card_only(item, f"not extracted within KONGBLOG_ARTICLE_TIMEOUT={self.article_timeout:g}s")
        except Exception as exc:
            return self.card_only(item, f"unreadable article page: {exc!r}")
        self.report.articles_enriched += 1
        self.report.items_emitted += 1
        return PostLoader.load_article(item, enrichment)

    def card_only(self, item, why):
        """The card is still worth having when its article page cannot be read."""
        self.report.articles_failed += 1
        self.report.items_emitted += 1
        self.logger.warning("article page failed, keeping the card only: %s (%s)", item.url, why)
        return item


def redirect_target(response) -> str | None:
    """Where a redirect points, absolute (None without a Location; as written when urllib refuses it)."""
    location = response.headers.get(b"Location", b"").decode("latin-1")
    try:
        return urljoin(response.url, location) if location else None
    except ValueError:  # http://[x
        return location


def needs_browser(response, page: Selector | None) -> bool:
    """Whether rendering might reveal cards on a page with no listing: an HTML page that runs scripts."""
    if page is None:
        return False
    is_html = isinstance(response, HtmlResponse) or b"<html" in response.body[:4096].lower()
    return is_html and bool(page.xpath(SCRIPTS))
