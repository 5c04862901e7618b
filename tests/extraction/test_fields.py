"""Each field of a card found by what it is, wherever the template puts it."""

import pytest

from kongblog.extraction.listing import read_listing
from kongblog.loaders import PostLoader
from tests.support.responses import html_root

URL = "https://blog.test/blog/engineering/page/3"
TITLE = '<h3><a href="/blog/engineering/{slug}">Scaling the Gateway to Millions</a></h3>'
EXCERPT = "<p>In this post we walk through how teams keep their APIs fast, secure and observable.</p>"
DATE = "<span>Feb 7, 2023</span>"


def first_item(parts: list[str]):
    """The item of the first of two cards built from ``parts`` (two cards make a listing)."""
    cards = "".join(
        "<article>" + "".join(parts).replace("{slug}", slug) + "</article>" for slug in ("post-a", "post-b")
    )
    page = read_listing(html_root(f"<html><body><h1>Engineering</h1><section>{cards}</section></body></html>", URL), URL, 3)
    assert len(page.cards) == 2
    return PostLoader.load_card(page.cards[0], URL, 3, "2026-12-01T00:00:00Z")


BYLINES = {
    "spans": "<div><span>Priya Natarajan</span><span>Marcus Chen</span></div>",
    "list-items": "<ul><li>Priya Natarajan</li><li>Marcus Chen</li></ul>",
    "author-links": '<p><a href="/blog/author/priya">Priya Natarajan</a>, <a href="/blog/author/marcus">Marcus Chen</a></p>',
    "by-text": "<p>By Priya Natarajan and Marcus Chen</p>",
    "by-spans": "<div><span>By</span> <span>Priya Natarajan</span> <span>and</span> <span>Marcus Chen</span></div>",
    "by-links": '<p>By <a href="/team/priya">Priya Natarajan</a> &amp; <a href="/team/marcus">Marcus Chen</a></p>',
}
ORDERS = {
    "above-title": ["{byline}", TITLE, DATE, EXCERPT],
    "after-title": [TITLE, "{byline}", DATE, EXCERPT],
    "before-excerpt": [TITLE, DATE, "{byline}", EXCERPT],
    "after-excerpt": [TITLE, DATE, EXCERPT, "{byline}"],
}


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("form", BYLINES)
def test_bylines_anywhere_in_any_form(form, order):
    parts = [part.replace("{byline}", BYLINES[form]) for part in ORDERS[order]]
    item = first_item(parts)
    assert item.authors == ["Priya Natarajan", "Marcus Chen"]
    assert item.title == "Scaling the Gateway to Millions"
    assert item.published == "2023-02-07"
    assert item.excerpt == "In this post we walk through how teams keep their APIs fast, secure and observable."


@pytest.mark.parametrize(
    "meta, authors",
    [
        ("<p>Feb 7, 2023 · Priya Natarajan and Marcus Chen</p>", ["Priya Natarajan", "Marcus Chen"]),
        ("<p>Feb 7, 2023 | Priya Natarajan, Marcus Chen and Zoë Brückner</p>", ["Priya Natarajan", "Marcus Chen", "Zoë Brückner"]),
        ("<p>Feb 7, 2023 · 7 min read · Priya Natarajan</p>", ["Priya Natarajan"]),
        ("<p>Feb 7, 2023 · 7 min read</p>", []),
        ('<div><time datetime="2023-02-07">Feb 7</time> · <a href="/blog/author/p">Priya Natarajan</a></div>', ["Priya Natarajan"]),
    ],
)
def test_byline_beside_the_date(meta, authors):
    item = first_item([TITLE, meta, EXCERPT])
    assert (item.published, item.authors) == ("2023-02-07", authors)


def test_an_excerpt_starting_with_by_is_no_byline():
    excerpt = "<p>By default, Kong waits sixty seconds for an upstream to answer, which is generous for most APIs.</p>"
    item = first_item([TITLE, DATE, excerpt])
    assert item.authors == []
    assert item.excerpt.startswith("By default, Kong waits")


@pytest.mark.parametrize(
    "date",
    [
        "<span>February 7, 2023</span>", "<span>Feb 7, 2023</span>", "<span>7 February 2023</span>",
        "<span>2023-02-07</span>", "<span>Feb. 7, 2023</span>", '<time datetime="2023-02-07T08:00:00Z">Yesterday</time>',
        '<div><a href="/blog">Engineering</a>February 7, 2023</div>',
    ],
)
def test_date_formats(date):
    assert first_item([TITLE, date, EXCERPT]).published == "2023-02-07"


@pytest.mark.parametrize(
    "category, expected",
    [
        ('<a href="/blog">Engineering</a>', "Engineering"),
        ('<a href="/blog/engineering">Engineering</a>', "Engineering"),
        ("<span>Engineering</span>", "Engineering"),
        ("", "Engineering"),  # none shown: made from the URL
    ],
)
def test_category_link_label_or_none(category, expected):
    item = first_item([category, TITLE, DATE, EXCERPT, "<div><span>Priya Natarajan</span></div>"])
    assert item.category == expected
    assert item.authors == ["Priya Natarajan"]


ORIGINAL = "https://images.cdn.test/kong/hero%20shot.png"


@pytest.mark.parametrize(
    "image",
    [
        f'<img src="{ORIGINAL}" alt="Cover">',
        '<img src="/_next/image?url=https%3A%2F%2Fimages.cdn.test%2Fkong%2Fhero%2520shot.png&amp;w=3840&amp;q=75" alt="Cover">',
        f'<img src="/cdn-cgi/image/width=800,quality=75/{ORIGINAL}" alt="Cover">',
        f'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{ORIGINAL}" alt="Cover">',
        f'<picture><source srcset="{ORIGINAL} 1x"><img src="data:image/gif;base64,R0lGOD" alt="Cover"></picture>',
        f'<img srcset="{ORIGINAL} 640w, https://images.cdn.test/kong/big.png 1280w" alt="Cover">',
    ],
)
def test_image_sources_and_proxies(image):
    item = first_item([image, TITLE, DATE, EXCERPT])
    assert (item.image_url, item.image_alt) == (ORIGINAL, "Cover")


def test_author_avatars_are_not_the_post_image():
    byline = (
        '<div><a href="/blog/author/p"><img src="/avatars/p.png" alt="Priya Natarajan">Priya Natarajan</a></div>'
    )
    without_cover = first_item([byline, TITLE, DATE, EXCERPT])
    assert (without_cover.image_url, without_cover.authors) == (None, ["Priya Natarajan"])
    spans = '<div><span><img src="/avatars/p.png" alt="Priya Natarajan">Priya Natarajan</span></div>'
    with_cover = first_item([spans, f'<img src="{ORIGINAL}" alt="Cover">', TITLE, DATE, EXCERPT])
    assert (with_cover.image_url, with_cover.authors) == (ORIGINAL, ["Priya Natarajan"])


def test_reading_time_and_labels_are_neither_excerpt_nor_byline():
    item = first_item([TITLE, DATE, "<span>7 min read</span>", "<span>Featured</span>"])
    assert (item.excerpt, item.authors) == (None, [])
