"""Card extraction on structurally different markups of the same three cards.

The extractor must not depend on class names or element choices: each
fixture under tests/fixtures/listings arranges the same content differently
(overlay link last, link around the heading, link wrapping the card, title as
link text with no heading at all, a lone card on the page).
"""

from urllib.parse import urljoin

import pytest
from scrapy.http import HtmlResponse

from kongblog.cards import CardElements, ListingPage, listing_path, page_number, page_url, visible_text
from kongblog.spiders.kongblog import KongBlogSpider
from tests.support.responses import fixture_response

PAGE_URL = "https://listing.test/blog/engineering/page/11"

CLOUDTRAIL = {
    "slug": "aws-cloudtrail-lake-isv-launch-partner",
    "url": "https://listing.test/blog/engineering/aws-cloudtrail-lake-isv-launch-partner",
    "title": "Maintain Your Kong Gateway Audit Log Trail in AWS CloudTrail Lake",
    "category": "Engineering",
    "category_slug": "engineering",
    "published": "2023-02-07",
    "excerpt": (
        "A critical and challenging requirement for many organizations is meeting audit and "
        "compliance obligations. AWS CloudTrail Lake now enables customers to record user"
    ),
    "excerpt_truncated": True,
    "authors": ["Danny Freese"],
    "image_url": "https://cdn.example.com/images/cloudtrail.png",
    "image_alt": "B1-10 API Automation Methods Using Kong and AWS Cover@2x",
}
GRPC = {
    "slug": "building-grpc-apis-with-rust",
    "url": "https://listing.test/blog/engineering/building-grpc-apis-with-rust",
    "title": "Building gRPC APIs with Rust",
    "category": "Engineering",
    "category_slug": "engineering",
    "published": "2023-02-01",
    "excerpt": "Viktor Gamov also contributed to this post.",
    "excerpt_truncated": False,
    "authors": ["Shane Utt", "Viktor Gamov"],
    "image_url": None,
    "image_alt": None,
}
CAFE = {
    "slug": "kong-and-cafe-tips",
    "url": "https://listing.test/blog/engineering/kong-and-cafe-tips",
    "title": "Kong & “Café” Tips — Ünïcode 🚀",
    "category": "Engineering",
    "category_slug": "engineering",
    "published": "2023-01-10",
    "excerpt": "Kong’s open-source API Gateway is a highly successful project with over 33k stars on GitHub",
    "excerpt_truncated": True,
    "authors": [],
    "image_url": "https://cdn.example.com/images/kong-logo.png",
    "image_alt": "Kong Logo",
}
THREE_CARDS = [CLOUDTRAIL, GRPC, CAFE]
MARKUPS = {
    "overlay.html": THREE_CARDS,
    "article.html": THREE_CARDS,
    "wrapped.html": THREE_CARDS,
    "linktext.html": THREE_CARDS,
    "single.html": [CLOUDTRAIL],
}


def parse_fixture(name):
    response = fixture_response(f"listings/{name}", PAGE_URL)
    spider = KongBlogSpider(start_url="https://listing.test/blog/engineering")
    listing = ListingPage(response.selector.root, response.url)
    return [spider.load_item(card, response.url, 11, "2026-11-26T00:00:00Z") for card in listing.cards()]


CASES = [
    pytest.param(name, position, expected, id=f"{name}-{expected['slug']}")
    for name, cards in MARKUPS.items()
    for position, expected in enumerate(cards, start=1)
]


@pytest.mark.parametrize("name", sorted(MARKUPS))
def test_every_card_found_once_in_order(name):
    items = parse_fixture(name)
    assert [item.slug for item in items] == [card["slug"] for card in MARKUPS[name]]


@pytest.mark.parametrize("name, position, expected", CASES)
def test_card_fields(name, position, expected):
    item = parse_fixture(name)[position - 1]
    actual = {key: getattr(item, key) for key in expected}
    assert actual == expected
    assert item.listing_page == 11
    assert item.listing_position == position
    assert item.listing_url == PAGE_URL


def test_markups_give_identical_items():
    by_markup = {name: [vars(item) for item in parse_fixture(name)] for name in MARKUPS if name != "single.html"}
    first, *others = by_markup.values()
    for other in others:
        assert other == first


def test_not_posts_are_ignored():
    response = fixture_response("listings/overlay.html", PAGE_URL)
    listing = ListingPage(response.selector.root, response.url)
    links = [
        "https://listing.test/blog/tag/ai-gateway",
        "https://listing.test/blog/page/1",
        "https://listing.test/blog/news/the-age-of-ai-connectivity",
        "https://listing.test/blog/engineering/page/12",
        "https://listing.test/blog/engineering",
        "https://listing.test/blog/author/danny-freese",
        "https://elsewhere.test/blog/engineering/some-post",
        "https://listing.test/blog/engineering/x/comments",
    ]
    assert [listing.post_url(link) for link in links] == [None] * len(links)
    assert listing.post_url("https://listing.test/blog/engineering/x?utm_source=a#b") == (
        "https://listing.test/blog/engineering/x"
    )


def test_pagination_numbers_and_next():
    response = fixture_response("listings/overlay.html", PAGE_URL)
    pagination = ListingPage(response.selector.root, response.url).pagination()
    assert pagination.last_page == 20
    assert pagination.pages == {1, 10, 12, 20}
    assert pagination.next_page == 12


@pytest.mark.parametrize("name, next_page", [("article.html", 12), ("wrapped.html", 12), ("linktext.html", None)])
def test_next_link_without_numbered_widget(name, next_page):
    response = fixture_response(f"listings/{name}", PAGE_URL)
    pagination = ListingPage(response.selector.root, response.url).pagination()
    assert pagination.next_page == next_page


def test_page_url_helpers():
    assert listing_path("https://h/blog/engineering/page/7") == "/blog/engineering"
    assert listing_path("https://h/blog/engineering/") == "/blog/engineering"
    assert page_number("https://h/blog/engineering/page/7") == 7
    assert page_number("https://h/blog/engineering") == 1
    assert page_url("https://h/blog/engineering/page/7", 1) == "https://h/blog/engineering"
    assert page_url("https://h/blog/engineering", 3) == "https://h/blog/engineering/page/3"


def test_page_without_cards_gives_none():
    from scrapy.http import HtmlResponse

    response = HtmlResponse(PAGE_URL, body=b"<html><body><h1>Engineering</h1><a href='/blog/tag/x'>x</a></body></html>")
    assert ListingPage(response.selector.root, response.url).cards() == []


def html_root(body: str, url: str = PAGE_URL):
    return HtmlResponse(url, body=body.encode(), encoding="utf-8").selector.root


CARD_WITH_HIDDEN_TEXT = """<html><body><main><div>
  <h3>  Building\n   gRPC <em>APIs</em>\t with&nbsp;Rust<script>var title = "not shown";</script></h3>
  <style>.by { color: red }</style>
  <p>By <a href="/blog/author/shane-utt">Shane   Utt</a><!-- a comment --> and
     <span>Viktor<noscript>no script</noscript>\n Gamov</span></p>
  <svg><title>icon</title><text>Drawn</text></svg> after the icon
  <template><p>Later</p></template>
</div></main></body></html>"""


def hidden_text_card():
    return CardElements(html_root(CARD_WITH_HIDDEN_TEXT).find(".//main/div"))


def test_card_texts_skip_script_and_style_and_collapse_whitespace():
    card = hidden_text_card()
    assert card.text(card.element.find("h3")) == "Building gRPC APIs with Rust"
    assert card.text(card.element.find("p")) == "By Shane Utt and Viktor Gamov"
    assert card.text(card.element) == "Building gRPC APIs with Rust By Shane Utt and Viktor Gamov after the icon"


def test_card_texts_are_the_visible_text_of_every_element():
    card = hidden_text_card()
    elements = list(card.element.iter())
    assert any(element.tag == "script" for element in elements)
    assert [card.text(element) for element in elements] == [visible_text(element) for element in elements]


def test_entities_are_decoded_once():
    # A post about escaping: its title shows "&amp;", written as "&amp;amp;" in the HTML.
    html = """<html><body><main>
      <div><h3>Escaping &amp;amp; in HTML &#8211; the &lt;script&gt; case</h3>
        <a href="/blog/engineering/escaping">Read</a><time datetime="2024-05-02">May 2, 2024</time>
        <p>Why &amp;lt; is not &lt; and Kong&#8217;s take</p></div>
      <div><h3>Other</h3><a href="/blog/engineering/other">Read</a><time datetime="2024-05-01">May 1, 2024</time></div>
    </main></body></html>"""
    cards = ListingPage(html_root(html), PAGE_URL).cards()
    assert [card.title for card in cards] == ["Escaping &amp; in HTML – the <script> case", "Other"]
    assert cards[0].excerpt == "Why &lt; is not < and Kong’s take"
    spider = KongBlogSpider(start_url="https://listing.test/blog/engineering")
    item = spider.load_item(cards[0], PAGE_URL, 1, "2026-11-26T00:00:00Z")
    assert (item.title, item.excerpt) == ("Escaping &amp; in HTML – the <script> case", "Why &lt; is not < and Kong’s take")


def test_invisible_elements_are_not_looked_through():
    card = hidden_text_card()
    tags = [tag for _, tag, _ in card.shown]
    assert not {"script", "style", "noscript", "svg", "template"} & set(tags)
    assert tags[0] == "div" and "text" in tags  # the card first; inside an svg still looked at, as before


@pytest.mark.parametrize(
    "href",
    [
        "/blog/engineering/a-post",
        "/blog/engineering/a-post?utm_source=x#read",
        "/blog/engineering/a-post?",
        "/blog/engineering/a-post#",
        "/blog/engineering/./a-post",
        "/blog/tag/../engineering/a-post",
        "/blog/engineering/a-post;v=1",
        "  /blog/engineering/a-post  ",
        "/blog/engineering/a\tpost",
        "//listing.test/blog/engineering/a-post",
        "//",
        "a-post",
        "../a-post",
        "?page=2",
        "#top",
        "https://LISTING.test/blog/engineering/a-post",
        "mailto:someone@listing.test",
    ],
)
def test_links_resolve_as_urljoin_does(href):
    listing = ListingPage(html_root("<html><body></body></html>"), PAGE_URL)
    assert listing.absolute(href) == urljoin(PAGE_URL, href.strip())


def test_relative_links_resolve_against_each_page():
    """Pages of a listing share what root-relative links mean, not what relative ones do."""
    body = """<html><body><main>
      <div><h3><a href="/blog/engineering/a-post">A post</a></h3><p>Some words about it.</p></div>
      <nav><a href="3">3</a><a href="//" rel="next">Next</a><a href="/blog/engineering/page/20">20</a></nav>
    </main></body></html>"""
    page_2, page_5 = "https://listing.test/blog/engineering/page/2", "https://listing.test/blog/engineering/page/5/"
    on_page_2 = ListingPage(html_root(body, page_2), page_2)
    # "3" is page 3 from there, and "//" (no host) this page again.
    assert on_page_2.pagination().pages == {2, 3, 20}
    on_page_5 = ListingPage(html_root(body, page_5), page_5)
    # "3" is /blog/engineering/page/5/3 from there: no page of the listing; "//" is page 5 itself.
    pagination = on_page_5.pagination()
    assert pagination.pages == {5, 20}
    assert pagination.next_page == 5
    assert [card.post_url for card in on_page_5.cards()] == ["https://listing.test/blog/engineering/a-post"]
