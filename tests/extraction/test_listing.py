"""The main listing is told from sidebars, heroes and tiles by structure and content."""

from datetime import date

import pytest

from kongblog.extraction.listing import read_listing
from tests.support.counting import nodes_touched
from tests.support.responses import html_root

URL = "https://blog.test/blog/engineering/page/2"
EXCERPT = "A paragraph long enough to be an excerpt, about gateways, plugins and the people who run them."


def card(slug: str, tag: str = "article") -> str:
    return (
        f'<{tag}><h3><a href="/blog/engineering/{slug}">Title of {slug.replace("-", " ")}</a></h3>'
        f"<p>Feb 7, 2023</p><p>{EXCERPT}</p><p>By Ada Lovelace</p></{tag}>"
    )


def grid(slugs, tag: str = "section") -> str:
    return f"<{tag}>" + "".join(card(slug) for slug in slugs) + f"</{tag}>"


def read(body: str, shape=None):
    return read_listing(html_root(f"<html><body><h1>Engineering</h1>{body}</body></html>", URL), URL, 2, shape)


def slugs(page):
    return [card.url.rsplit("/", 1)[1] for card in page.cards]


MAIN = [f"post-{n}" for n in range(1, 16)]
SIDEBAR = (
    "<aside><h2>Popular posts</h2><ul>"
    + "".join(f'<li><a href="/blog/engineering/later-{n}">A popular later post {n}</a><span>Jan {n}, 2023</span></li>' for n in range(1, 6))
    + "</ul></aside>"
)


def test_a_popular_sidebar_before_the_grid_is_not_the_listing():
    page = read(SIDEBAR + grid(MAIN))
    assert slugs(page) == MAIN
    assert [card.position for card in page.cards] == list(range(1, 16))
    assert page.mentions_elsewhere == 5


def test_a_sidebar_larger_than_the_last_page_is_not_the_listing():
    page = read(SIDEBAR + grid(["post-1", "post-2"]))
    assert slugs(page) == ["post-1", "post-2"]


def test_a_featured_hero_repeating_a_later_post_is_not_a_card():
    hero = (
        '<div><span>Featured</span><h2><a href="/blog/engineering/post-40">The featured post</a></h2>'
        f'<img src="/hero.png" alt="hero"><p>{EXCERPT}</p><p>By Grace Hopper</p><p>Mar 1, 2023</p>'
        '<a href="/blog/engineering/post-40">Read more</a></div>'
    )
    page = read(hero + grid(MAIN))
    assert slugs(page) == MAIN
    assert page.mentions_elsewhere == 1


def test_a_tile_without_a_post_link_takes_no_position():
    tile = (
        f"<article><h3>Get the Kong newsletter</h3><p>{EXCERPT}</p>"
        '<form action="/newsletter/subscribe"><input name="email"><button>Subscribe</button></form></article>'
    )
    body = "<section>" + "".join(card(s) for s in MAIN[:3]) + tile + "".join(card(s) for s in MAIN[3:]) + "</section>"
    page = read(body)
    assert slugs(page) == MAIN
    assert page.cards[3].position == 4 and page.cards[3].title == "Title of post 4"


def test_a_grid_laid_out_in_rows_is_one_listing():
    rows = "".join(f"<div>{''.join(card(s) for s in MAIN[i:i + 3])}</div>" for i in range(0, 15, 3))
    page = read(SIDEBAR + f"<div>{rows}</div>")
    assert slugs(page) == MAIN
    assert [card.position for card in page.cards] == list(range(1, 16))


def test_a_lone_card_does_not_take_in_the_page_or_a_tile():
    tile = f"<div><h3>Get the Kong newsletter</h3><p>{EXCERPT}</p></div>"
    body = f'<main><div>{card("only-post", "div")}{tile}</div></main>'
    (only,) = read(body).cards
    assert only.title == "Title of only post"
    assert only.excerpt == EXCERPT


def test_a_lone_card_titled_by_its_link_does_not_take_in_the_page_heading():
    body = f'<main><div><a href="/blog/engineering/only-post">The only post of the page</a><p>{EXCERPT}</p></div></main>'
    (only,) = read(body).cards
    assert only.title == "The only post of the page"


def test_the_shape_of_earlier_pages_decides_between_equal_groups():
    # Two lists of two posts each, both with prose: the one shaped like page 1's listing wins.
    body = grid(["a-1", "a-2"], "section") + "<div>" + "".join(card(s, "div") for s in ["b-1", "b-2"]) + "</div>"
    assert slugs(read(body)) == ["a-1", "a-2"]
    page = read(body, shape=("div", "div"))
    assert slugs(page) == ["b-1", "b-2"]
    assert page.doubts == []
    assert read(body, shape=("ul", "li")).doubts == ["the main listing's cards are shaped ('section', 'article'), not ('ul', 'li') as before"]


def test_a_post_listed_twice_on_a_page_is_kept_once_and_doubted():
    page = read(grid(["post-1", "post-2", "post-1"]))
    assert slugs(page) == ["post-1", "post-2"]
    assert page.doubts == ["3 cards for 2 distinct posts (https://blog.test/blog/engineering/post-1: 2 cards)"]


def test_twelve_cards_linking_one_post_are_a_doubt_not_one_card():
    cards = "".join(_full_card("same-post").replace("Title of same-post", f"Card number {n}") for n in range(1, 13))
    page = read(f"<section>{cards}</section>")
    assert [(card.slug, card.title) for card in page.cards] == [("same-post", "Card number 1")]
    assert page.shape == ("section", "article")
    assert page.doubts == ["12 cards for 1 distinct posts (https://blog.test/blog/engineering/same-post: 12 cards)"]


def test_links_inside_templates_and_scripts_are_not_cards():
    body = grid(MAIN[:2]) + f"<template>{card('hidden-post')}</template><noscript>{card('noscript-post')}</noscript>"
    assert slugs(read(body)) == MAIN[:2]


def _full_card(slug: str) -> str:
    link = f'href="/blog/engineering/{slug}"'
    return (f'<article><a {link}><img src="/{slug}.png"></a><h3><a {link}>Title of {slug}</a></h3><p>Feb 7, 2023</p>'
            f'<p>{EXCERPT}</p><p>By Ada Lovelace and Grace Hopper</p><a {link}>Read more</a></article>')


@pytest.mark.parametrize("many", [
    pytest.param(lambda n: "<section>" + "".join(_full_card(f"post-{k}") for k in range(n)) + "</section>", id="cards"),
    pytest.param(lambda n: grid(MAIN[:12]) + "<aside><ul>" + "".join(
        f'<li><a href="/blog/engineering/later-{k}">Later post {k}</a></li>' for k in range(n)) + "</ul></aside>",
        id="sidebar-links"),
])
def test_reading_a_listing_is_linear_in_its_links(many):
    def touched(n: int) -> int:
        html = f"<html><body><h1>Engineering</h1>{many(n)}</body></html>"
        return nodes_touched(lambda root: read_listing(root, URL, 2), html)

    assert touched(1000) <= 5 * touched(250)  # 4x for linear work, 16x for a square


# Dates of three numbers ("23/10/08") are read in the one order that fits every such date of the page.
TODAY = date(2024, 1, 15)


def dated_cards(*shown: str) -> str:
    return "<main>" + "".join(
        f'<article><h3><a href="/blog/engineering/post-{n}">Title of post {n}</a></h3>'
        f"<ul><li>{text}</li><li>10:00</li></ul><p>{EXCERPT}</p></article>" for n, text in enumerate(shown, 1)
    ) + "</main>"


def read_dated(*shown: str):
    body = f"<html><body><h1>Engineering</h1>{dated_cards(*shown)}</body></html>"
    return read_listing(html_root(body, URL), URL, 2, today=TODAY)


@pytest.mark.parametrize(
    "shown, expected",
    [
        # year first: read day first, 23/10/08 would be 2008 after 2011; month first, no month 23
        (("23/11/30", "23/10/08", "23/08/11"), ["2023-11-30", "2023-10-08", "2023-08-11"]),
        # day first: read month first, no month 30; year first, no day 2023
        (("30/11/23", "08/10/23", "11/08/23"), ["2023-11-30", "2023-10-08", "2023-08-11"]),
        # month first: read day first, 11/30 has no month 30
        (("11/30/23", "10/08/23", "08/11/23"), ["2023-11-30", "2023-10-08", "2023-08-11"]),
        # newest first decides: month first, June 5 would come before May 6; year first, 2005 before 2006
        (("05/06/23", "06/05/23"), ["2023-06-05", "2023-05-06"]),
        # 04/05/2023 alone is April 5 or May 4: 13/05/2023 on its page tells day first
        (("13/05/2023", "04/05/2023"), ["2023-05-13", "2023-05-04"]),
    ],
)
def test_numeric_dates_read_in_the_one_order_the_page_allows(shown, expected):
    page = read_dated(*shown)
    assert [card.date for card in page.cards] == expected
    assert [card.date_text for card in page.cards] == list(shown)
    assert page.doubts == []


def test_a_date_in_the_future_rules_its_order_out():
    # Year first 24/01/20 is 2024-01-20, after tomorrow (2024-01-16): day first (2020, then 2005) is left.
    assert [card.date for card in read_dated("24/01/20", "24/01/05").cards] == ["2020-01-24", "2005-01-24"]
    # Ten days later both orders fit: no guess.
    later = read_listing(html_root(f"<html><body>{dated_cards('24/01/20', '24/01/05')}</body></html>", URL), URL, 2,
                         today=date(2024, 1, 25))
    assert [card.date for card in later.cards] == [None, None]
    assert later.doubts == ["dates such as '24/01/20' fit 2 orders of year, month and day, not one"]


def test_a_page_no_order_fits_keeps_its_dates_null_and_a_doubt():
    # Year first, 30/05/23 is 2030 (future); day first, 23/05/30 is; month first, there is no month 23 or 30.
    page = read_dated("23/05/30", "30/05/23")
    assert [card.date for card in page.cards] == [None, None]
    assert page.doubts == ["dates such as '23/05/30' fit 0 orders of year, month and day, not one"]
    # 13/05/2023 is day first, 05/14/2023 month first: no order for 04/05/2023; those read alone stay as read.
    page = read_dated("13/05/2023", "05/14/2023", "04/05/2023")
    assert [card.date for card in page.cards] == ["2023-05-13", "2023-05-14", None]
    assert page.doubts == ["dates such as '04/05/2023' fit 0 orders of year, month and day, not one"]


# --- posts shown outside the main listing, as cards of their own (issue 21: Pelican's notmyidea)

FEATURED = (
    '<aside><article><h1><a href="/blog/engineering/newest-post">The newest post, shown in full</a></h1>'
    f'<p>Published: Thu 30 November 2023</p><p>By Danny Freese</p><p>{EXCERPT}</p></article></aside>'
)


def test_a_post_shown_outside_the_listing_as_a_card_of_its_own_is_read_with_its_place():
    page = read(FEATURED + grid(MAIN))
    assert slugs(page) == MAIN
    assert [card.position for card in page.cards] == list(range(1, 16))  # the spider shifts them if it is kept
    (featured,) = page.outside
    assert (featured.slug, featured.title, featured.date, featured.authors, featured.position) == (
        "newest-post", "The newest post, shown in full", "2023-11-30", ["Danny Freese"], 1)
    assert featured.excerpt == EXCERPT
    assert page.mentions_elsewhere == 1
    # After the listing, its place is after the listing's last card.
    assert [card.position for card in read(grid(MAIN) + FEATURED).outside] == [16]


def test_a_hero_repeating_a_post_of_the_page_and_a_bare_link_are_not_outside_cards():
    hero = FEATURED.replace("newest-post", "post-3")
    bare = '<footer><a href="/blog/engineering/an-older-post">An older post of the blog</a></footer>'
    page = read(hero + grid(MAIN) + bare)
    assert slugs(page) == MAIN and page.outside == []
    assert page.mentions_elsewhere == 2


def test_outside_cards_are_a_handful_a_page_lone_cards_first():
    sidebar = "<aside><ul>" + "".join(
        f'<li><a href="/blog/engineering/later-{n}">A popular later post {n}</a><span>Jan 3, 2023</span></li>'
        for n in range(1, 60)) + "</ul></aside>"
    page = read(sidebar + grid(MAIN) + FEATURED)
    # 60 candidates: the lone card and the sidebar's first four are read, and kept in document order.
    assert [card.slug for card in page.outside] == ["later-1", "later-2", "later-3", "later-4", "newest-post"]
    assert [card.position for card in page.outside] == [1, 1, 1, 1, 16]
    assert page.doubts == []
