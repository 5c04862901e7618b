"""Card extraction on structurally different markups of the same three cards.

The extractor must not depend on class names or element choices: each
fixture under tests/fixtures/listings arranges the same content differently
(overlay link last, link around the heading, link wrapping the card, title as
link text with no heading at all, a lone card on the page).
"""

import pytest

from kongblog.extraction.listing import read_listing
from kongblog.loaders import PostLoader
from tests.support.responses import fixture_response, html_root

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
    page = read_listing(html_root(response.body, PAGE_URL), PAGE_URL, 11)
    return [PostLoader.load_card(card, PAGE_URL, 11, "2026-11-26T00:00:00Z") for card in page.cards]


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
    # A card that shows no category gets the URL's, made readable.
    assert actual == expected
    assert item.listing_page == 11
    assert item.listing_position == position
    assert item.listing_url == PAGE_URL
    assert item.scraped_at == "2026-11-26T00:00:00Z"


def test_markups_give_identical_items():
    by_markup = {name: [vars(item) for item in parse_fixture(name)] for name in MARKUPS if name != "single.html"}
    first, *others = by_markup.values()
    for other in others:
        assert other == first


def test_page_without_cards_gives_none():
    root = html_root("<html><body><h1>Engineering</h1><a href='/blog/tag/x'>x</a></body></html>", PAGE_URL)
    assert read_listing(root, PAGE_URL, 11).cards == []


CARD_WITH_HIDDEN_TEXT = """<html><body><main>
<div>
  <h3>  Building\n   gRPC <em>APIs</em>\t with&nbsp;Rust<script>var title = "not shown";</script></h3>
  <a href="/blog/engineering/building-grpc-apis-with-rust" aria-label="Read"></a>
  <style>.by { color: red }</style>
  <p>Feb 1, 2023</p>
  <p>By <a href="/blog/author/shane-utt">Shane   Utt</a><!-- a comment --> and
     <a href="/blog/author/viktor-gamov">Viktor<noscript>no script</noscript>\n Gamov</a></p>
  <svg><title>icon</title><text>Drawn</text></svg>
  <p>In recent decades it's become common for backend services to talk HTTP and JSON.</p>
  <template><p>A much longer paragraph that is never shown to any reader of this page at all.</p></template>
</div>
<div><h3>Other</h3><a href="/blog/engineering/other">Other</a><p>Feb 2, 2023</p></div>
</main></body></html>"""


def test_hidden_text_is_not_read():
    (card, _) = read_listing(html_root(CARD_WITH_HIDDEN_TEXT, PAGE_URL), PAGE_URL, 11).cards
    assert card.title == "Building gRPC APIs with Rust"
    assert card.authors == ["Shane Utt", "Viktor Gamov"]
    assert card.excerpt == "In recent decades it's become common for backend services to talk HTTP and JSON."


def test_entities_are_decoded_once():
    # A post about escaping: its title shows "&amp;", written as "&amp;amp;" in the HTML.
    html = """<html><body><main>
      <div><h3>Escaping &amp;amp; in HTML &#8211; the &lt;script&gt; case</h3>
        <a href="/blog/engineering/escaping">Read</a><time datetime="2024-05-02">May 2, 2024</time>
        <p>Why &amp;lt; is not &lt; and Kong&#8217;s take</p></div>
      <div><h3>Other</h3><a href="/blog/engineering/other">Read</a><time datetime="2024-05-01">May 1, 2024</time></div>
    </main></body></html>"""
    cards = read_listing(html_root(html, PAGE_URL), PAGE_URL, 11).cards
    assert [card.title for card in cards] == ["Escaping &amp; in HTML – the <script> case", "Other"]
    assert cards[0].excerpt == "Why &lt; is not < and Kong’s take"
    item = PostLoader.load_card(cards[0], PAGE_URL, 1, "2026-11-26T00:00:00Z")
    assert (item.title, item.excerpt) == ("Escaping &amp; in HTML – the <script> case", "Why &lt; is not < and Kong’s take")


def test_a_card_of_many_bylines_reads_each_run_a_bounded_length(monkeypatch):
    # Each "By" piece starts a run that takes the pieces after it: unbounded,
    # a card of n such pieces would read n runs of up to n pieces each.
    from kongblog.extraction import byline as card_module  # (the byline reader of the card reader)

    longest = []
    real = card_module.byline_names
    monkeypatch.setattr(card_module, "byline_names",
                        lambda text, **kw: longest.append(len((text or "").split())) or real(text, **kw))
    spans = "<span>By Ann Lee</span>" * 400
    html = f"""<html><body><main>
      <div><h3><a href="/blog/engineering/x">X</a></h3><p>Feb 1, 2023</p><div>{spans}</div></div>
      <div><h3><a href="/blog/engineering/y">Y</a></h3><p>Feb 2, 2023</p></div>
    </main></body></html>"""
    cards = read_listing(html_root(html, PAGE_URL), PAGE_URL, 11).cards
    assert [card.title for card in cards] == ["X", "Y"]
    assert longest and max(longest) <= 3 * 13  # "By Ann Lee" and at most twelve pieces after it


def test_cards_that_are_links_never_read_the_whole_grid(monkeypatch):
    # A card that is one link has the grid for parent: reading the parent's text for each card would read
    # the whole listing once per card.
    from kongblog.extraction import markup

    read = []
    real = markup.visible_text
    monkeypatch.setattr(markup, "visible_text", lambda node: read.append(len(real(node) or "")) or real(node))
    cards = "".join(f'<a href="/blog/engineering/p{n}"><span>Securing Webhooks Part {n}</span><span>Apr 30, 2023</span></a>'
                    for n in range(1000))
    page = read_listing(html_root(f"<html><body><h1>Blog</h1><div>{cards}</div></body></html>", PAGE_URL), PAGE_URL, 1)
    assert len(page.cards) == 1000 and page.cards[999].title == "Securing Webhooks Part 999"
    assert sum(read) <= 10 * len(cards)


def test_a_numeric_date_no_card_reads_alone_is_kept_as_shown():
    # <li>23/10/08</li><li>10:00</li> (hexo-async): year, day or month first? The listing tells (test_listing).
    body = ('<html><body><main>' + "".join(
        f'<article><h3><a href="/blog/engineering/post-{n}">Post {n}</a></h3><ul><li>{shown}</li><li>10:00</li></ul>'
        f"<p>A paragraph long enough to be an excerpt about gateways and plugins.</p></article>"
        for n, shown in enumerate(["30/04/2023", "23/10/08"], 1)) + "</main></body></html>")
    cards = read_listing(html_root(body, PAGE_URL), PAGE_URL, 11).cards
    assert [(card.date_text, card.excerpt) for card in cards] == [
        ("30/04/2023", "A paragraph long enough to be an excerpt about gateways and plugins."),
        ("23/10/08", "A paragraph long enough to be an excerpt about gateways and plugins.")]
    # 30/04/2023 is read alone, day first; so is 23/10/08 on its page (year first, 2023-10-08 would be newer).
    assert [card.date for card in cards] == ["2023-04-30", "2008-10-23"]
