"""Article enrichment (articles=1): every item gains its article's fields."""

import pytest

from kongblog.extraction.article import author_roles, read_article
from replica import ReplicaServer
from tests.support.crawl import run_crawl

pytestmark = pytest.mark.slow

ARTICLE_FIELDS = ("body_text", "word_count", "reading_time_minutes", "author_roles", "canonical_url", "modified")


@pytest.fixture(scope="module")
def enriched_crawl(tmp_path_factory):
    with ReplicaServer(markup="semantic") as server:
        result = run_crawl(
            server.url("/blog/engineering"), tmp_path_factory.mktemp("articles"), args={"render": "never", "articles": 1}
        )
        yield server, result


def test_every_item_is_enriched_exactly_as_the_page_says(enriched_crawl):
    server, result = enriched_crawl
    assert result.returncode == 0, result.log[-3000:]
    truth = server.expected_articles()
    assert sorted(result.slugs()) == sorted(item["slug"] for item in server.expected_items())
    mismatches = [
        (item["slug"], field, item[field], truth[item["slug"]][field])
        for item in result.items
        for field in ARTICLE_FIELDS
        if item[field] != truth[item["slug"]][field]
    ]
    assert mismatches == []
    assert result.stats["kongblog/articles/enriched"] == 300


def test_card_fields_are_unchanged_by_enrichment(enriched_crawl):
    server, result = enriched_crawl
    scraped = {item["slug"]: item for item in result.items}
    for expected in server.expected_items():
        assert {key: scraped[expected["slug"]][key] for key in expected} == expected


def test_reading_time_is_computed_when_the_page_shows_none(enriched_crawl):
    server, result = enriched_crawl
    truth = server.expected_articles()
    computed = [item for item in result.items if not truth[item["slug"]]["reading_time_shown"]]
    assert computed, "the replica must have posts without a 'min read' label"
    for item in computed:
        assert item["reading_time_minutes"] == -(-item["word_count"] // 238)


def test_failed_article_keeps_the_card(tmp_path):
    with ReplicaServer(pages=2) as server:
        victim = server.expected_items()[3]
        server.set_options(broken_articles={victim["slug"]})
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"render": "never", "articles": 1})
        article_hits = server.hits[f"/blog/engineering/{victim['slug']}"]
    assert result.returncode == 0, result.log[-2000:]
    assert len(result.items) == 30
    card = next(item for item in result.items if item["slug"] == victim["slug"])
    assert card == {**victim, "scraped_at": card["scraped_at"]}
    assert result.stats["kongblog/articles/failed"] == 1
    assert result.stats["kongblog/articles/enriched"] == 29
    assert article_hits == 4  # the first try and RETRY_TIMES=3 retries


def test_author_roles_need_one_author_per_block():
    html = (
        "<div><a href='/blog/author/a'>Ana Bo</a>, <a href='/blog/author/c'>Cy Do</a></div>"
        "<ul><li><a href='/blog/author/a'>Ana Bo</a> — <span>Staff Engineer</span></li>"
        "<li><a href='/blog/author/c'>Cy Do</a></li></ul>"
    )
    from lxml import etree

    assert author_roles(etree.HTML(html)) == {"Ana Bo": "Staff Engineer"}


def test_read_article_without_metadata_falls_back_to_the_page():
    html = (
        "<html><head><link rel='canonical' href='/blog/engineering/x?utm_source=a'></head><body>"
        "<nav><p>Products Pricing Docs Community Events and more navigation text here</p></nav>"
        "<article><h1>T</h1><p>" + " ".join(["word"] * 300) + "</p><p>Second paragraph of the body text here.</p></article>"
        "<footer><p>© Kong Inc. 2026 Terms Privacy</p></footer></body></html>"
    )
    fields = read_article(html, "https://konghq.com/blog/engineering/x")
    assert fields["canonical_url"] == "https://konghq.com/blog/engineering/x"
    assert fields["body_text"] == " ".join(["word"] * 300) + "\n\nSecond paragraph of the body text here."
    assert fields["word_count"] == 307
    assert fields["reading_time_minutes"] == 2
    assert fields["modified"] is None
    assert fields["author_roles"] == {}


def test_read_article_of_an_xhtml_page_that_declares_its_encoding():
    # lxml refuses str input with an encoding declaration; the page must still be read, accents intact.
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        "<link rel='canonical' href='https://konghq.com/blog/engineering/café'/></head><body>"
        "<article><h1>T</h1><p>" + " ".join(["déjà"] * 250) + "</p><p>Fin du café.</p></article></body></html>"
    )
    fields = read_article(html, "https://konghq.com/blog/engineering/caf%C3%A9")
    assert fields["body_text"] == " ".join(["déjà"] * 250) + "\n\nFin du café."
    assert fields["word_count"] == 253
    assert fields["canonical_url"] == "https://konghq.com/blog/engineering/caf%C3%A9"  # one form, as the url field


def test_author_roles_are_bounded_and_never_a_mongodb_operator():
    from lxml import etree

    from kongblog.extraction.article import MAX_ROLES

    blocks = "".join(f"<p><a href='/blog/author/a{n}'>Author {n}</a> Engineer</p>" for n in range(100))
    roles = author_roles(etree.HTML(f"<div><p><a href='/blog/author/x'>$where</a> Role</p>{blocks}</div>"))
    assert len(roles) == MAX_ROLES and "$where" not in roles
    assert roles["Author 0"] == "Engineer"
