"""The pagination widget is found by its structure; no other listing link is pagination."""

import pytest

from kongblog.extraction.links import LinkResolver
from kongblog.extraction.listing import shown_links
from kongblog.extraction.pagination import read_pagination
from tests.support.counting import nodes_touched
from tests.support.responses import html_root

URL = "https://blog.test/blog/engineering/page/11"


def read(body: str, url: str = URL, number: int = 11):
    root = html_root(f"<html><body>{body}</body></html>", url)
    pagination, _ = read_pagination(shown_links(root, LinkResolver(url)), number)
    return pagination


REAL_WIDGET = (
    '<div><a href="/blog/engineering/page/10">‹Prev</a><a href="/blog/engineering">1</a><span>…</span>'
    '<a href="/blog/engineering/page/10">10</a><span>11</span><a href="/blog/engineering/page/12">12</a>'
    '<span>…</span><a href="/blog/engineering/page/20">20</a><a href="/blog/engineering/page/12">Next›</a></div>'
)


@pytest.mark.parametrize(
    "widget",
    [
        pytest.param(REAL_WIDGET, id="real-page-11"),
        pytest.param(
            '<nav><ul><li><a rel="prev" href="/blog/engineering/page/10">« Previous</a></li>'
            '<li><a href="/blog/engineering">1</a></li><li>...</li><li><a href="/blog/engineering/page/10">10</a></li>'
            '<li aria-current="page"><span>11</span></li><li><a href="/blog/engineering/page/12">12</a></li>'
            '<li>...</li><li><a href="/blog/engineering/page/20">20</a></li>'
            '<li><a rel="next" href="/blog/engineering/page/12">Next »</a></li></ul></nav>',
            id="list-items",
        ),
        pytest.param(
            '<nav><a aria-label="Previous page" href="/blog/engineering/page/10">←</a>'
            '<ol><li><a href="/blog/engineering">1</a></li><li><a href="/blog/engineering/page/10">10</a></li>'
            '<li><strong>11</strong></li><li><a href="/blog/engineering/page/12">12</a></li>'
            '<li><a href="/blog/engineering/page/20">20</a></li></ol>'
            '<a aria-label="Next page" href="/blog/engineering/page/12">→</a></nav>',
            id="arrows-around-a-list",
        ),
    ],
)
def test_widget_forms(widget):
    pagination = read(widget)
    assert pagination.pages == {1, 10, 12, 20}
    assert pagination.current == 11
    assert pagination.last_page == 20
    assert pagination.next_page == 12
    assert pagination.doubts == []


def test_listing_links_outside_the_widget_are_not_pagination():
    body = (
        '<nav><a href="/">Home</a><a href="/blog">Blog</a><a href="/blog/engineering/page/999">Archive</a>'
        '<a href="/pricing">Pricing</a></nav>'
        + REAL_WIDGET
        + '<footer><ul><li><a href="/legal">Terms</a></li><li><a href="/blog/engineering/page/500">Older stories</a></li>'
        '<li><a href="/privacy">Privacy</a></li></ul></footer>'
    )
    assert read(body).last_page == 20


def test_a_lone_far_link_is_no_widget():
    # "Older stories" points far away, alone in its paragraph: no page number comes from it.
    pagination = read('<p><a href="/blog/engineering/page/500">Older stories</a></p>')
    assert pagination.pages == set() and pagination.last_page is None and pagination.next_page is None


def test_a_lone_next_link_is_read_for_the_next_page_only():
    pagination = read('<div><a href="/blog/engineering/page/12">Older posts ›</a></div>')
    assert pagination.next_page == 12
    assert pagination.last_page == 12


def test_numbers_in_a_menu_are_no_widget():
    # A site menu that happens to link one listing page by number.
    body = '<ul><li><a href="/a">About</a></li><li><a href="/b">Careers</a></li><li><a href="/blog/engineering/page/40">40</a></li></ul>'
    assert read(body).last_page is None


def test_a_widget_marking_another_page_current_is_a_doubt():
    body = REAL_WIDGET.replace("<span>11</span>", '<span aria-current="page">9</span>')
    assert read(body).doubts == ["the widget marks page 9 current on page 11"]


def test_widgets_of_other_listings_are_ignored():
    body = REAL_WIDGET.replace("/blog/engineering", "/blog/news")
    assert read(body).last_page is None


def _one_row(n: int) -> str:
    return "<div>" + "".join(f'<a href="/blog/engineering/page/{k}">{k}</a>' for k in range(1, n + 1)) + "</div>"


def _list_items(n: int) -> str:
    return "<nav><ul>" + "".join(f'<li><a href="/blog/engineering/page/{k}">{k}</a></li>' for k in range(1, n + 1)) + "</ul></nav>"


def _many_widgets(n: int) -> str:
    return "".join(
        f'<div><a href="/blog/engineering/page/{k}">{k}</a><a href="/blog/engineering/page/{k + 1}">{k + 1}</a></div>'
        for k in range(1, n + 1, 2)
    )


@pytest.mark.parametrize("widget", [_one_row, _list_items, _many_widgets])
def test_reading_a_widget_is_linear_in_its_links(widget):
    def touched(n: int) -> int:
        html = f"<html><body>{widget(n)}</body></html>"
        return nodes_touched(lambda root: read_pagination(shown_links(root, LinkResolver(URL)), 11), html)

    # Linear work touches 4x the nodes for 4x the links; a walk over the siblings per link, 16x.
    assert touched(4000) <= 5 * touched(1000)
    assert read(widget(4000)).last_page == 4000


def test_arrows_drawn_by_icons_lead_to_the_neighbouring_pages():
    # An icon font's arrows show no text; the page between them is an input ("2 / 5").
    body = (
        '<div><div><a><i></i></a></div><div><a href="/blog/engineering/page/10/"><i></i></a></div>'
        '<div><input type="number" value="11"><span>/</span><span>20</span></div>'
        '<div><a href="/blog/engineering/page/12/"><i></i></a></div><div><a><i></i></a></div></div>'
    )
    pagination = read(body)
    assert (pagination.pages, pagination.next_page) == ({10, 12}, 12)


def test_an_empty_link_far_away_is_no_pagination():
    assert read('<div><a href="/blog/engineering/page/500/"><i></i></a></div>').pages == set()


def test_angle_brackets_are_directions():
    body = (
        '<nav><ul><li><a href="/index.html">&Lang;</a></li><li><a href="/index.html">&lang;</a></li>'
        '<li>Page 11 / 20</li><li><a href="/blog/engineering/page/12/">&rang;</a></li>'
        '<li><a href="/blog/engineering/page/20/">&Rang;</a></li></ul></nav>'
    )
    assert read(body).next_page == 12


def test_pages_are_asked_for_as_the_widget_links_them():
    listing = "https://blog.test/blog/engineering"
    slashed = read(REAL_WIDGET.replace('/page/10"', '/page/10/"').replace('/page/12"', '/page/12/"').replace('/page/20"', '/page/20/"'))
    assert slashed.url_of(12, listing) == "https://blog.test/blog/engineering/page/12/"
    assert slashed.url_of(15, listing) == "https://blog.test/blog/engineering/page/15/"  # not linked: in the same form
    plain = read(REAL_WIDGET)
    assert plain.url_of(15, listing + "/") == "https://blog.test/blog/engineering/page/15"
    assert read("").url_of(15, listing + "/") == "https://blog.test/blog/engineering/page/15/"  # the start URL's form
