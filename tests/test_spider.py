"""The spider's listing bookkeeping, driven with saved responses (no network)."""

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from kongblog.items import PostItem
from kongblog.progress import ListingProgress
from kongblog.spiders.kongblog import KongBlogSpider
from tests.support.responses import fixture_response

START = "https://listing.test/blog/engineering"


def make_spider(**args):
    crawler = get_crawler(KongBlogSpider, {"KONGBLOG_HEALTH_CHECKS": False})
    return KongBlogSpider.from_crawler(crawler, start_url=START, render="never", **args)


def test_progress_releases_pages_in_listing_order():
    progress = ListingProgress()
    assert [progress.request(n) for n in (1, 2, 3, 2)] == [True, True, True, False]
    assert progress.complete(1, ["a1"]) == ["a1"]
    assert progress.complete(3, ["c1", "c2"]) == []  # page 2 is still pending
    assert progress.held == {3: ["c1", "c2"]}
    assert progress.complete(2, ["b1"]) == ["b1", "c1", "c2"]
    assert progress.held == {} and progress.pending == set()


def test_progress_release_all_keeps_order():
    progress = ListingProgress()
    for number in (1, 2, 3):
        progress.request(number)
    progress.complete(3, ["c"])
    progress.complete(2, ["b"])
    assert progress.release_all() == ["b", "c"]


def test_a_later_page_waits_for_an_earlier_one():
    spider = make_spider()
    list(spider.listing_requests([START]))
    page_one = fixture_response("listings/overlay.html", START)
    first = list(spider.parse_listing(page_one, number=1))
    requests = [r for r in first if isinstance(r, Request)]
    # Pages 2..20 are asked for at once, earlier pages first.
    assert [r.cb_kwargs["number"] for r in requests] == list(range(2, 21))
    assert [r.priority for r in requests] == [-n for n in range(2, 21)]
    assert [i.slug for i in first if isinstance(i, PostItem)] == [
        "aws-cloudtrail-lake-isv-launch-partner", "building-grpc-apis-with-rust", "kong-and-cafe-tips",
    ]
    page_three = fixture_response("listings/article.html", f"{START}/page/3")
    assert [x for x in spider.parse_listing(page_three, number=3) if isinstance(x, PostItem)] == []
    assert sorted(spider.progress.held) == [3]


def test_a_lost_page_releases_the_pages_after_it():
    spider = make_spider()
    list(spider.listing_requests([START]))
    list(spider.parse_listing(fixture_response("listings/overlay.html", START), number=1))
    list(spider.parse_listing(fixture_response("listings/article.html", f"{START}/page/3"), number=3))

    class LostPage:
        request = Request(f"{START}/page/2", cb_kwargs={"number": 2})
        value = "connection refused"

        @staticmethod
        def check(*_types):
            return None

    released = list(spider.listing_failed(LostPage()))
    assert [i.listing_page for i in released] == [3, 3, 3]
    stats = spider.crawler.stats
    assert stats.get_value("kongblog/lost_listing_urls") == [f"{START}/page/2"]
    assert stats.get_value("kongblog/failed") == f"listing page lost after retries: {START}/page/2"


def test_a_page_redirected_to_another_listing_page_is_skipped_not_parsed():
    spider = make_spider()
    list(spider.listing_requests([START, f"{START}/page/2"]))
    body = fixture_response("listings/overlay.html", START).body
    # Page 2 answered with page 1's content at page 1's URL (a redirect).
    redirected = HtmlResponse(START, body=body, encoding="utf-8")
    assert list(spider.parse_listing(redirected, number=2)) == []
    stats = spider.crawler.stats
    assert stats.get_value("kongblog/ignored_listing_urls") == [START]
    assert stats.get_value("kongblog/cards") is None
    assert 2 not in spider.progress.pending


def test_challenge_status_goes_to_the_browser_once_in_auto_mode():
    crawler = get_crawler(KongBlogSpider, {"KONGBLOG_HEALTH_CHECKS": False})
    crawler.settings.frozen = False  # as in a real crawl, where from_crawler runs before the freeze
    spider = KongBlogSpider.from_crawler(crawler, start_url=START, render="auto")
    list(spider.listing_requests([START]))
    challenge = HtmlResponse(
        START, status=403, encoding="utf-8",
        body=b"<html><head><script>setTimeout(check, 100)</script></head><body>Checking your browser</body></html>",
    )
    (request,) = list(spider.parse_listing(challenge, number=1))
    assert request.meta["playwright"] is True and request.cb_kwargs == {"number": 1}
    assert crawler.stats.get_value("kongblog/render/escalated") == 1
    # Rendered, still blocked: the page is lost, not retried in the browser again.
    assert list(spider.parse_listing(challenge, number=1, rendered_by_browser=True)) == []
    assert crawler.stats.get_value("kongblog/lost_listing_urls") == [START]


def test_challenge_status_without_scripts_is_a_lost_page():
    spider = make_spider()
    list(spider.listing_requests([START]))
    blocked = HtmlResponse(START, status=403, body=b"<html><body>Forbidden</body></html>", encoding="utf-8")
    assert list(spider.parse_listing(blocked, number=1)) == []
    assert spider.crawler.stats.get_value("kongblog/lost_listing_urls") == [START]
