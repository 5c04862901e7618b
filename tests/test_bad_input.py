"""Pages that would corrupt data silently: each is noticed, counted and fails the crawl
where the data is wrong; each bounded.

Against the replica's fault pages: a page whose bytes are Latin-1 while it
says UTF-8, a post linked with its slug percent-encoded on one page and
as UTF-8 on the next, cards buried deeper than the HTML parser goes, and a
listing page whose script never lets the browser go.
"""


import pytest

from replica import ReplicaServer
from replica.site import Response
from tests.support.chaos import duplicated_slugs, field_mismatches
from tests.support.crawl import run_crawl
from tests.support.overrides import answering, author_links_page, gzip_bomb, redirect

pytestmark = pytest.mark.slow

NEVER = {"render": "never"}


def test_a_page_in_another_charset_than_it_says_fails_the_crawl(tmp_path):
    with ReplicaServer(mislabeled_charset_page=2) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args=NEVER)
        truth = server.expected_items()
    assert result.returncode == 1
    # The café title of page 2 came out garbled, and it says so.
    garbled = [item for item in result.items if "\ufffd" in item["title"]]
    assert [item["slug"] for item in garbled] == ["cafe-uber-alles-building-a-proxy-cache-that-survives-black-friday"]
    assert result.stats["kongblog/replacement_characters/title"] == 1
    assert "card texts hold U+FFFD, bytes the page's declared charset could not decode (title 1)" in result.log
    # Nothing else is lost: every other item is exported as it is.
    assert len(result.items) == 300
    clean = [item for item in truth if item["slug"] != garbled[0]["slug"]]
    assert field_mismatches([i for i in result.items if i not in garbled], clean) == []


def test_a_post_linked_percent_encoded_and_as_utf8_is_one_post(tmp_path):
    with ReplicaServer(unicode_slug_page=3, markup="semantic") as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args=NEVER)
        truth = server.expected_items()
    assert result.returncode == 0, result.log[-2000:]
    (cafe,) = [item for item in result.items if item["slug"].startswith("café-")]
    assert cafe["url"].endswith("/blog/engineering/caf%C3%A9-" + cafe["slug"][len("café-"):])
    assert (cafe["listing_page"], cafe["listing_position"]) == (2, 15)
    assert duplicated_slugs(result.items) == {}
    assert field_mismatches(result.items, truth) == []
    assert result.stats["kongblog/posts_linked_two_ways"] == 1


def test_cards_lost_by_the_parser_fail_the_crawl(tmp_path):
    with ReplicaServer(deep_nesting_page=5) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args=NEVER)
    assert result.returncode == 1
    assert (
        "listing pages with fewer cards than the other pages' 15 (cards lost in parsing?): 5 (7)" in result.log
    )
    assert sum(item["listing_page"] == 5 for item in result.items) == 7
    assert len(result.items) == 292


@pytest.mark.browser
def test_a_script_that_never_lets_go_costs_one_page_not_the_crawl(tmp_path):
    with ReplicaServer(looping_script_page=4, pages=6) as server:
        result = run_crawl(
            server.url("/blog/engineering"),
            tmp_path,
            args={"render": "auto"},
            settings={"KONGBLOG_RENDER_TIMEOUT": "10", "KONGBLOG_RENDER_WAIT": "3"},
            timeout=180,
        )
        truth = server.expected_items()
    # Counted, not timed (run_crawl's 180 s is the outer bound): the one page ended at its deadline.
    assert "within KONGBLOG_RENDER_TIMEOUT=10s" in result.log and result.stats["playwright/page_count"] == 1
    assert result.returncode == 1
    assert "listing pages lost: 4" in result.log
    assert len(truth) == 75 and field_mismatches(result.items, truth) == []
    assert result.stats["kongblog/listing_pages_lost"] == 1


def test_a_widget_promising_page_99999_costs_a_bounded_window(tmp_path):
    with ReplicaServer(widget_last_page=99_999) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args=NEVER, timeout=120)
        hits = server.hits.listing("/blog/engineering")
        truth = server.expected_items()
    # The 20 real pages, then at most a window of 10 past the last page with
    # cards (pages asked for before page 20 answered): nothing further.
    numbers = sorted(1 if path == "/blog/engineering" else int(path.rsplit("/", 1)[1]) for path in hits)
    past = numbers[20:]
    assert numbers[:20] == list(range(1, 21)) and set(hits.values()) == {1}
    assert past[0] == 21 and past == list(range(21, past[-1] + 1)) and past[-1] <= 30, numbers
    assert field_mismatches(result.items, truth) == [] and len(result.items) == 300
    assert result.returncode == 1
    reason = (
        "the pagination widget promised 99999 pages, but the listing ended after page 20 "
        f"(pages 21-{past[-1]} answered 404)"
    )
    assert result.stats["kongblog/failed"] == reason
    assert result.log.count(reason) == 3  # the health report, the summary line, the exit line
    assert result.stats["kongblog/listing_pages_past_end"] == len(past)
    summary = next(line for line in result.log.splitlines() if "kongblog summary:" in line)
    assert len(summary) < 400


# --- only the start URL's host is ever requested, articles and their redirects included ------------------------


def test_an_article_redirected_to_another_host_is_never_fetched(tmp_path):
    with ReplicaServer() as other, ReplicaServer(pages=2) as server:
        truth = server.expected_items()
        off, moved = truth[3], truth[5]
        off_path, moved_path = (f"/blog/engineering/{item['slug']}" for item in (off, moved))
        # Another port of the same address is another host: Scrapy's offsite filter looks at the name only.
        responses = {off_path: redirect(other.url(off_path)), moved_path: redirect("/moved"), "/moved": moved_path}
        with answering(server, responses):
            result = run_crawl(server.url("/blog/engineering"), tmp_path, args={**NEVER, "articles": 1})
        assert other.hits.total() == 0
        assert server.hits["/moved"] == 1  # a redirect on the host is followed
    assert result.returncode == 0, result.log[-2000:]
    card = next(item for item in result.items if item["slug"] == off["slug"])
    assert card == {**off, "scraped_at": card["scraped_at"]}  # the card, without the other host's text
    assert next(item for item in result.items if item["slug"] == moved["slug"])["word_count"] > 0
    assert result.stats["kongblog/articles/off_host"] == 1
    assert (result.stats["kongblog/articles/enriched"], result.stats["kongblog/articles/failed"]) == (29, 1)
    assert f"the article is off the host 127.0.0.1:{server.port}: {other.url(off_path)}" in result.log
    assert "articles_failed=1 articles_off_host=1 " in result.log  # the summary line


# --- each ignored request named by its cause -------------------------------------------------------------------------


def test_a_listing_page_over_the_size_cap_is_lost_not_forbidden(tmp_path):
    cap = 1024 * 1024
    with ReplicaServer(pages=4) as server:
        huge = {"/blog/engineering/page/2": gzip_bomb(4 * cap),  # a few kB on the wire
                "/blog/engineering/page/3": Response(200, b"<html><body>" + b" " * 2 * cap + b"</body></html>")}
        with answering(server, huge):
            result = run_crawl(server.url("/blog/engineering"), tmp_path, args=NEVER,
                               settings={"DOWNLOAD_MAXSIZE": str(cap)})
    assert result.returncode == 1
    assert "robots.txt" not in result.log.replace("/robots.txt", "")
    assert "kongblog/listing_pages_forbidden" not in result.stats
    assert result.stats["kongblog/listing_pages_lost"] == 2
    assert result.stats["kongblog/ignored_requests/size cap"] == 2
    assert "listing pages lost: 2 (ignored: size cap), 3 (ignored: size cap)" in result.stats["kongblog/failed"]
    assert sorted({item["listing_page"] for item in result.items}) == [1, 4]


# --- article pages: bounded work per page --------------------------------------------------------------------------


def test_an_article_page_over_the_size_cap_keeps_its_card_and_costs_no_extraction(tmp_path):
    with ReplicaServer(pages=2) as server:
        truth = server.expected_items()
        big = truth[7]
        with answering(server, {f"/blog/engineering/{big['slug']}": author_links_page(4 * 1024 * 1024)}):
            result = run_crawl(server.url("/blog/engineering"), tmp_path, args={**NEVER, "articles": 1}, timeout=120)
    assert result.returncode == 0, result.log[-2000:]
    card = next(item for item in result.items if item["slug"] == big["slug"])
    assert card == {**big, "scraped_at": card["scraped_at"]}
    assert result.stats["kongblog/articles/over_size_cap"] == 1
    assert (result.stats["kongblog/articles/enriched"], result.stats["kongblog/articles/failed"]) == (29, 1)


def test_an_article_past_the_extraction_deadline_keeps_its_card(tmp_path):
    with ReplicaServer(pages=2) as server:
        big = server.expected_items()[7]
        with answering(server, {f"/blog/engineering/{big['slug']}": author_links_page(1024 * 1024)}):
            result = run_crawl(server.url("/blog/engineering"), tmp_path, args={**NEVER, "articles": 1},
                               settings={"KONGBLOG_ARTICLE_TIMEOUT": "0.05"}, timeout=120)
    card = next(item for item in result.items if item["slug"] == big["slug"])
    assert "word_count" not in card
    timed_out = result.stats["kongblog/articles/extraction_timeouts"]
    assert timed_out >= 1 and result.stats["kongblog/articles/failed"] == timed_out
    assert result.stats.get("kongblog/articles/enriched", 0) + timed_out == 30 == len(result.items)
    assert "not extracted within KONGBLOG_ARTICLE_TIMEOUT=0.05s" in result.log
