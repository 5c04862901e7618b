"""The spider's listing flow, driven with made-up responses (no network)."""

import asyncio

import pytest
from scrapy import Selector
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request
from twisted.python.failure import Failure

from kongblog.items import PostItem
from kongblog.progress import ListingProgress
from kongblog.spiders.kongblog import KongBlogSpider
from kongblog.spiders.params import BadArgument
from tests.support.responses import project_crawler

START = "https://listing.test/blog/engineering"
EXCERPT = "A paragraph long enough to be an excerpt, about gateways, plugins and the people who run them."


def make_spider(**args):
    crawler = project_crawler(KongBlogSpider, KONGBLOG_HEALTH_CHECKS=False)
    crawler.settings.frozen = False  # as in a real crawl, where from_crawler runs before the freeze
    return KongBlogSpider.from_crawler(crawler, start_url=START, render=args.pop("render", "never"), **args)


def page_html(number: int, slugs, last: int | None = 20, extra: str = "") -> bytes:
    cards = "".join(
        f'<article><h3><a href="/blog/engineering/{slug}">Title of {slug}</a></h3><p>Feb 7, 2023</p>'
        f"<p>{EXCERPT}</p><p>By Ada Lovelace</p></article>"
        for slug in slugs
    )
    widget = ""
    if last:
        links = "".join(
            f'<a href="/blog/engineering/page/{n}">{n}</a>' if n != number else f"<span>{n}</span>"
            for n in sorted({1, number - 1, number, number + 1, last})
            if 1 <= n <= last
        )
        widget = f"<nav>{links}</nav>"
    return f"<html><body>{extra}<section>{cards}</section>{widget}</body></html>".encode()


def response(number: int, body: bytes, status: int = 200, headers=None, url=None) -> HtmlResponse:
    url = url or (START if number == 1 else f"{START}/page/{number}")
    return HtmlResponse(url, status=status, body=body, headers=headers, encoding="utf-8",
                        request=Request(url, cb_kwargs={"number": number}))


def parse(spider, number, body, **kwargs):
    spider.progress.request(number)
    out = list(spider.parse_listing(response(number, body, **kwargs), number=number))
    return [r for r in out if isinstance(r, Request)], [i for i in out if isinstance(i, PostItem)]


def collect(results) -> list:
    """What an async generator callback yields."""
    async def run():
        return [result async for result in results]

    return asyncio.run(run())


def slugs_of(page: int, count: int = 15):
    return [f"p{page}-{n}" for n in range(1, count + 1)]


def test_progress_releases_pages_in_listing_order_one_page_ahead():
    progress = ListingProgress()
    item = lambda slug: PostItem(slug=slug, title=slug)  # noqa: E731
    assert [progress.request(n) for n in (1, 2, 3, 2)] == [True, True, True, False]
    assert progress.complete(1, [item("a1")]) == []  # page 2 may still repeat a card of page 1
    assert [i.slug for i in progress.complete(3, [item("c1")])] == []
    assert [i.slug for i in progress.complete(2, [item("b1")])] == ["a1", "b1", "c1"]
    assert progress.held == {} and progress.pending == set()


def test_the_fuller_of_two_neighbouring_copies_wins_whichever_page_came_first():
    progress = ListingProgress()
    for n in (1, 2):
        progress.request(n)
    thin = PostItem(slug="shifted", title="Shifted", listing_page=1)
    full = PostItem(slug="shifted", title="Shifted", excerpt="Words", authors=["Ada"], listing_page=2)
    alike = PostItem(slug="alike", title="Alike", listing_page=1)
    assert progress.complete(2, [full, PostItem(slug="alike", title="Alike", listing_page=2)]) == []
    released = progress.complete(1, [thin, alike])
    assert [(i.slug, i.listing_page) for i in released] == [("alike", 1), ("shifted", 2)]
    assert progress.thinner_dropped == 2


def test_pages_are_asked_for_a_window_ahead_of_the_last_page_with_cards():
    spider = make_spider()
    requests, items = parse(spider, 1, page_html(1, slugs_of(1)))
    assert [r.cb_kwargs["number"] for r in requests] == list(range(2, 12))  # window of 10
    assert [r.priority for r in requests] == [-n for n in range(2, 12)]
    requests, _ = parse(spider, 2, page_html(2, slugs_of(2)))
    assert [r.cb_kwargs["number"] for r in requests] == [12]
    assert items == []  # page 1's items wait for page 2


def test_a_listing_page_is_never_serialized_back_to_html(monkeypatch):
    # A Selector's truth value is its whole page written out as HTML again: work thrown away on every page.
    def serialized(selector):
        raise AssertionError("the page was serialized back to HTML")

    monkeypatch.setattr(Selector, "get", serialized)
    requests, _ = parse(make_spider(), 1, page_html(1, slugs_of(1)))
    assert len(requests) == 10


def test_a_widget_claiming_page_99999_asks_for_a_window_only():
    spider = make_spider()
    requests, _ = parse(spider, 1, page_html(1, slugs_of(1), last=99_999))
    assert [r.cb_kwargs["number"] for r in requests] == list(range(2, 12))
    assert spider.report.promised_last == 99_999


def test_404s_past_the_last_page_end_the_listing():
    spider = make_spider()
    parse(spider, 1, page_html(1, slugs_of(1), last=99_999))
    for number in range(2, 12):
        spider.progress.request(number)
    assert parse(spider, 2, page_html(2, slugs_of(2), last=99_999))[0][0].cb_kwargs["number"] == 12
    list(spider.parse_listing(response(3, b"<html><body>Not found</body></html>", status=404), number=3))
    assert spider.report.past_end == [3]
    # Page 4 still has cards: page 3 was a hole, not the end; nothing is asked for beyond the next 404.
    requests, _ = parse(spider, 4, page_html(4, slugs_of(4), last=99_999))
    assert [r.cb_kwargs["number"] for r in requests] == [13, 14]  # 12 was asked for after page 2
    assert spider.report.lost_pages == {3: f"HTTP 404 at {START}/page/3"}
    assert spider.report.past_end == []


def test_a_listing_link_outside_the_widget_schedules_nothing():
    spider = make_spider()
    archive = '<nav><a href="/">Home</a><a href="/blog/engineering/page/999">Archive</a><a href="/about">About</a></nav>'
    requests, _ = parse(spider, 1, page_html(1, slugs_of(1, 3), last=None, extra=archive))
    assert requests == []
    assert spider.report.promised_last is None


def test_a_lost_page_releases_the_pages_after_it():
    spider = make_spider()
    parse(spider, 1, page_html(1, slugs_of(1), last=3))
    spider.progress.request(3)
    parse(spider, 3, page_html(3, slugs_of(3, 2), last=3))
    failure = Failure(ConnectionRefusedError("connection refused"))
    failure.request = Request(f"{START}/page/2", cb_kwargs={"number": 2})
    released = collect(spider.listing_failed(failure))
    assert [(i.listing_page, i.listing_position) for i in released] == [(1, n) for n in range(1, 16)] + [(3, 1), (3, 2)]
    assert spider.report.lost == {2: "connection refused"}
    assert spider.crawler.stats.get_value("kongblog/failed") == f"listing page lost: {START}/page/2"


def test_a_page_forbidden_by_robots_is_not_part_of_the_listing():
    spider = make_spider()
    spider.progress.request(7)
    failure = Failure(IgnoreRequest("Forbidden by robots.txt"))
    failure.request = Request(f"{START}/page/7", cb_kwargs={"number": 7})
    assert collect(spider.listing_failed(failure)) == []
    assert spider.report.forbidden == {7}
    assert spider.crawler.stats.get_value("kongblog/failed") is None


def test_a_lost_page_is_named_by_its_error_type_when_the_error_says_nothing():
    from twisted.internet.defer import CancelledError  # what an endless body past DOWNLOAD_MAXSIZE ends in

    spider = make_spider()
    spider.progress.request(3)
    failure = Failure(CancelledError())
    failure.request = Request(f"{START}/page/3", cb_kwargs={"number": 3})
    collect(spider.listing_failed(failure))
    assert spider.report.lost == {3: "CancelledError"}


def test_an_endless_body_cut_at_the_size_cap_is_named_so():
    from scrapy.exceptions import DownloadCancelledError  # what Scrapy 2.19 raises, with no message

    spider = make_spider()
    spider.progress.request(3)
    failure = Failure(DownloadCancelledError())
    failure.request = Request(f"{START}/page/3", cb_kwargs={"number": 3})
    collect(spider.listing_failed(failure))
    assert spider.report.lost == {3: "ignored: size cap"}
    assert spider.crawler.stats.get_value("kongblog/ignored_requests/size cap") == 1


@pytest.mark.parametrize(
    "location, outcome",
    [
        (f"{START}/page/2/", "follow"),
        ("https://elsewhere.test/blog/engineering/page/2", "skip"),
        (START, "skip"),
    ],
)
def test_redirects_are_followed_only_to_the_same_page(location, outcome):
    spider = make_spider()
    spider.progress.request(2)
    redirect = response(2, b"", status=301, headers={"Location": location})
    out = list(spider.parse_listing(redirect, number=2))
    if outcome == "follow":
        (request,) = out
        assert (request.url, request.cb_kwargs) == (location, {"number": 2, "redirects": 1})
    else:
        assert out == [] and spider.report.skipped == {2: f"redirected to {location}"}


def test_challenge_status_goes_to_the_browser_once_in_auto_mode():
    spider = make_spider(render="auto")
    challenge = b"<html><head><script>setTimeout(check, 100)</script></head><body>Checking your browser</body></html>"
    spider.progress.request(1)
    (request,) = list(spider.parse_listing(response(1, challenge, status=403), number=1))
    assert request.meta["playwright"] is True and request.cb_kwargs == {"number": 1, "redirects": 0}
    assert spider.crawler.stats.get_value("kongblog/render/escalated") == 1
    # Rendered, still blocked: the page is lost, not retried in the browser again.
    assert list(spider.parse_listing(response(1, challenge, status=403), number=1, rendered_by_browser=True)) == []
    assert spider.report.lost == {1: "HTTP 403"}


def test_challenge_status_without_scripts_is_a_lost_page():
    spider = make_spider()
    spider.progress.request(1)
    assert list(spider.parse_listing(response(1, b"<html><body>Forbidden</body></html>", status=403), number=1)) == []
    assert spider.report.lost == {1: "HTTP 403"}


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"start_url": ""}, "start_url is empty"),
        ({"start_url": "/blog/engineering"}, "start_url must be an absolute http(s) URL of a listing, got '/blog/engineering'"),
        ({"max_page": "1"}, "unknown spider argument 'max_page'"),
        ({"max_pages": "abc"}, "max_pages must be a whole number of at least 1, got 'abc'"),
        ({"category": "../../etc"}, "category must be a category's name"),
        ({"render": "sometimes"}, "render must be one of auto, always, never, got 'sometimes'"),
    ],
)
def test_bad_arguments_are_refused_by_name(arguments, message):
    with pytest.raises(BadArgument, match=message.replace("(", r"\(").replace(")", r"\)")):
        KongBlogSpider(**arguments)


@pytest.mark.parametrize("arguments, start_url", [
    ({}, "https://blog.test/posts/eng"), ({"category": "news"}, "https://blog.test/posts/news"),
])
def test_the_default_listing_comes_from_the_settings(arguments, start_url):
    crawler = project_crawler(KongBlogSpider, KONGBLOG_DEFAULT_BLOG="https://blog.test/posts/",
                              KONGBLOG_DEFAULT_CATEGORY="eng")
    crawler.settings.frozen = False
    spider = KongBlogSpider.from_crawler(crawler, render="never", **arguments)
    assert (spider.start_url, spider.allowed_domains) == (start_url, ["blog.test"])


def test_scrapyd_arguments_and_spaces_are_accepted():
    spider = KongBlogSpider(start_url=f"  {START}  ", _job="abc123")
    assert spider.start_url == START and spider._job == "abc123"


# -- what a hostile page must not do to the crawl ---------------------------------


def test_a_page_that_breaks_the_reader_is_lost_and_holds_back_no_later_page(monkeypatch):
    from kongblog.spiders import kongblog as module

    spider = make_spider()
    parse(spider, 1, page_html(1, slugs_of(1), last=3))
    real = module.read_listing

    def breaks_on_page_2(root, url, number, *args):
        if number == 2:
            raise RuntimeError("a bug the page found")
        return real(root, url, number, *args)

    monkeypatch.setattr(module, "read_listing", breaks_on_page_2)
    _, items = parse(spider, 2, page_html(2, slugs_of(2), last=3))
    assert spider.report.lost == {2: "RuntimeError while reading it: a bug the page found"}
    assert [i.slug for i in items] == slugs_of(1)  # page 1 no longer waits for page 2
    _, items = parse(spider, 3, page_html(3, slugs_of(3), last=3))
    assert [i.slug for i in items] == slugs_of(3)
    assert spider.progress.pending == set() and spider.progress.held == {}


def test_urls_and_digits_the_standard_library_refuses_cost_nothing_but_themselves():
    spider = make_spider()
    widget_noise = '<nav><span>\u00b2</span><a href="/blog/engineering/page/2">2</a><span>1</span></nav>'
    bad_image = f'<article><img src="http://[x/a.png"><h3><a href="/blog/engineering/img">Img</a></h3>' \
                f"<p>Feb 7, 2023</p><p>{EXCERPT}</p></article>"
    body = page_html(1, slugs_of(1, 3), last=2).replace(b"<section>", f"<section>{bad_image}".encode())
    requests, _ = parse(spider, 1, body.replace(b"</body>", widget_noise.encode() + b"</body>"))
    assert [r.cb_kwargs["number"] for r in requests] == [2]
    _, items = parse(spider, 2, page_html(2, slugs_of(2, 3), last=2))
    assert [(i.slug, i.image_url) for i in items][:2] == [("img", None), ("p1-1", None)]
    assert spider.report.lost == {}

    spider.progress.request(3)
    redirect = response(3, b"", status=301, headers={"Location": "http://[x/page/3"})
    assert list(spider.parse_listing(redirect, number=3)) == []
    assert spider.report.skipped == {3: "redirected to http://[x/page/3"}


def test_the_same_cards_on_every_page_number_do_not_move_the_window():
    spider = make_spider()
    requests, _ = parse(spider, 1, page_html(1, slugs_of(1), last=999_999_999))
    assert [r.cb_kwargs["number"] for r in requests] == list(range(2, 12))
    for number in range(2, 12):  # a server that answers every page number with page 1
        requests, _ = parse(spider, number, page_html(number, slugs_of(1), last=999_999_999))
        assert requests == [], number
    assert spider.report.last_new_page == 1


def test_article_requests_reach_the_pipelines_and_survive_a_jobdir():
    spider = make_spider(articles="1")
    item = PostItem(slug="a", url=f"{START}/a", title="A")
    request = spider.article_request(item)
    assert request.dont_filter  # a post redirected to a page seen before is not dropped unseen
    from scrapy.utils.request import request_from_dict

    assert request_from_dict(request.to_dict(spider=spider), spider=spider).errback == spider.article_failed


# --- posts shown outside the main listing, as cards of their own (issue 21: Pelican's notmyidea)

def outside_item(slug, page=1, position=1):
    return PostItem(slug=slug, title=slug, listing_page=page, listing_position=position)


def test_a_post_shown_only_outside_the_listing_waits_for_the_last_page_and_comes_first():
    progress = ListingProgress()
    for n in (1, 2, 3):
        progress.request(n)
    page1 = [outside_item(f"a{n}", 1, n) for n in (1, 2)]
    hero, featured = outside_item("c1", 1, 1), outside_item("new", 1, 1)
    assert progress.complete(1, page1, [featured, hero], whole=True) == []
    assert progress.complete(2, [outside_item("b1", 2, 1)], whole=True) == []  # held: page 3 may list them
    released = progress.complete(3, [outside_item("c1", 3, 1)], whole=True)
    # The hero repeats page 3's post: not emitted. The featured post comes first, the page's cards move down one.
    assert [(i.slug, i.listing_page, i.listing_position) for i in released] == [
        ("new", 1, 1), ("a1", 1, 2), ("a2", 1, 3), ("b1", 2, 1), ("c1", 3, 1)]
    assert progress.held == {} and progress.outside == {}
    assert (progress.take_shown_outside(), progress.outside_unconfirmed) == ([featured], 0)
    assert progress.take_shown_outside() == []


def test_a_hero_listed_on_a_later_page_releases_the_pages_once_that_page_is_read():
    progress = ListingProgress()
    for n in (1, 2, 3, 4):
        progress.request(n)
    assert progress.complete(1, [outside_item("a1")], [outside_item("b1")], whole=True) == []
    released = progress.complete(2, [outside_item("b1", 2)], whole=True)
    assert [i.slug for i in released] == ["a1"]  # page 2 listed the hero's post: page 1 leaves as before


def test_a_crawl_not_reading_the_whole_listing_counts_outside_posts_and_emits_none():
    progress = ListingProgress()
    progress.request(1)
    released = progress.complete(1, [outside_item("a1")], [outside_item("new")], whole=False)
    assert [(i.slug, i.listing_position) for i in released] == [("a1", 1)]
    assert (progress.take_shown_outside(), progress.outside_unconfirmed) == ([], 1)


FEATURED = ('<aside><article><h1><a href="/blog/engineering/newest">The newest post, in full</a></h1>'
            f"<p>Published: Thu 30 November 2023</p><p>{EXCERPT}</p></article></aside>")


def test_the_spider_emits_a_featured_post_no_page_lists_once_first_and_counts_it():
    spider = make_spider()
    _, items = parse(spider, 1, page_html(1, slugs_of(1), last=2, extra=FEATURED + FEATURED.replace("newest", "p2-3")))
    assert items == []
    _, items = parse(spider, 2, page_html(2, slugs_of(2, 5), last=2, extra=FEATURED))
    assert [(i.slug, i.listing_page, i.listing_position) for i in items[:3]] == [
        ("newest", 1, 1), ("p1-1", 1, 2), ("p1-2", 1, 3)]
    assert len(items) == 21 and len({i.slug for i in items}) == 21  # shown again on page 2: emitted once
    assert items[0].published == "2023-11-30" and items[0].title == "The newest post, in full"
    assert spider.report.cards_per_page == {1: 16, 2: 5} and "newest" in spider.report.seen_posts
    assert spider.report.stats()["kongblog/posts_only_outside_listing"] == 1


def test_a_crawl_with_max_pages_counts_a_featured_post_and_emits_none():
    spider = make_spider(max_pages="1")
    spider.report.new_run(max_pages=1)  # as start() does
    _, items = parse(spider, 1, page_html(1, slugs_of(1), last=2, extra=FEATURED))
    assert [(i.slug, i.listing_position) for i in items] == [(f"p1-{n}", n) for n in range(1, 16)]
    assert spider.report.stats()["kongblog/posts_only_outside_listing_not_emitted"] == 1
