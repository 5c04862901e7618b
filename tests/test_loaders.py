"""Unit tests of every processor the item loader uses (kongblog.text, kongblog.urls) and of the loader."""

from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

import pytest
from w3lib.url import safe_url_string

from kongblog.extraction.article import reading_minutes_for
from kongblog.extraction.card import RawCard
from kongblog.items import ArticlePostItem
from kongblog.loaders import PostLoader, utc_timestamp
from kongblog.text import (
    byline_names,
    clean_text,
    find_date,
    is_truncated,
    looks_like_name,
    minutes_to_read,
    parse_date,
    reads_as_slug,
    rest_after_date,
    split_authors,
    strip_ellipsis,
)
from kongblog.urls import (
    absolute_url,
    canonical_post_url,
    category_slug_from_url,
    page_number,
    page_url,
    listing_path,
    slug_from_url,
    unwrap_image_url,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("February 7, 2023", "2023-02-07"),
        ("Feb 7, 2023", "2023-02-07"),
        ("  December\n 19,   2022 ", "2022-12-19"),
        ("2023-02-07T10:00:00Z", "2023-02-07"),
        ("2023-02-07 at noon", "2023-02-07"),
        ("\uff17 February 2023", "2023-02-07"),  # a fullwidth digit is a digit
        ("Released February 7, 2023", None),
        ("Feb 7 2023 extra", None),
        ("Sept 30, 2026", "2026-09-30"),
        ("Sep. 30, 2026", "2026-09-30"),
        ("7 February 2023", "2023-02-07"),
        ("2023-02-07", "2023-02-07"),
        ("2023-02-07T09:30:00Z", "2023-02-07"),
        ("2023-02-07T09:30:00+02:00", "2023-02-07"),
        ("February 30, 2023", None),
        ("Feb 2023", None),
        ("Engineering", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


def test_find_date_in_glued_text():
    assert find_date("EngineeringFebruary 7, 2023") == ("February 7, 2023", "")
    assert find_date("posted on Nov 3, 2022 by Damon") == ("Nov 3, 2022", " by Damon")
    assert find_date("ratified in March 2005") is None


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Feb 7, 2023 · Priya Natarajan and Marcus Chen", "Priya Natarajan and Marcus Chen"),
        ("Feb 7, 2023 · 7 min read · Ana Souza", "Ana Souza"),
        ("Feb 7, 2023 | 7 min read", None),
        ("Engineering · Feb 7, 2023 – Ana Souza", "Ana Souza"),  # what comes before the date is no byline
        ("Engineering", None),
    ],
)
def test_rest_after_date(raw, expected):
    assert rest_after_date(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Zoë Brückner", True), ("Jean-Luc de la Tour", True), ("J. R. Smith", True), ("O’Neil Adams", True),
        ("Engineering", True), ("Read more", False), ("7 min read", False), ("A sentence that goes on and on", False),
        ("Kong Logo…", False), ("", False),
    ],
)
def test_looks_like_name(raw, expected):
    assert looks_like_name(raw) is expected


def test_bare_names_need_two_words_and_bylines_all_names():
    assert looks_like_name("Engineering", min_words=2) is False
    assert byline_names("By Ana and Bo") == ["Ana", "Bo"]
    assert byline_names("By default, Kong waits") == []


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Danny Freese", ["Danny Freese"]),
        ("By Danny Freese", ["Danny Freese"]),
        ("by: Danny Freese", ["Danny Freese"]),
        ("Shane Utt and Viktor Gamov", ["Shane Utt", "Viktor Gamov"]),
        ("By A. One, B. Two and C. Three", ["A. One", "B. Two", "C. Three"]),
        ("A. One, B. Two, and C. Three", ["A. One", "B. Two", "C. Three"]),
        ("Ana & Bo", ["Ana", "Bo"]),
        ("By, Ana, and, Bo", ["Ana", "Bo"]),
        ("José  Núñez\u00a0and Zoë Brandt", ["José Núñez", "Zoë Brandt"]),
        ("Andrea Sanders", ["Andrea Sanders"]),  # "and" inside a name is not a separator
        ("", []),
        (None, []),
    ],
)
def test_split_authors(raw, expected):
    assert split_authors(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  Kong & Friends\n\t rock ", "Kong & Friends rock"),
        ("Token’s\u00a0\u00a0claim", "Token’s claim"),
        # Text from a parsed page: its entities were decoded by the parser, what is left is literal.
        ("Escaping &amp; and &#8217; in HTML", "Escaping &amp; and &#8217; in HTML"),
        ("“Context Mesh” — café 🚀", "“Context Mesh” — café 🚀"),
        ("   ", None),
        (None, None),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_ellipsis_handling():
    assert strip_ellipsis("record user…") == "record user"
    assert strip_ellipsis("record user ...") == "record user"
    assert strip_ellipsis("complete sentence.") == "complete sentence."
    assert strip_ellipsis("…") is None
    assert is_truncated("record user…") is True
    assert is_truncated("complete sentence.") is False
    assert is_truncated(None) is False


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://konghq.com/blog/engineering/x?utm_source=a&utm_medium=b", "https://konghq.com/blog/engineering/x"),
        ("https://konghq.com/blog/engineering/x/#section", "https://konghq.com/blog/engineering/x"),
        ("HTTPS://KongHQ.com/blog/engineering/x?ref=1#a", "https://konghq.com/blog/engineering/x"),
        ("https://h/blog/engineering/caf%C3%A9-x", "https://h/blog/engineering/caf%C3%A9-x"),
        ("https://h/blog/engineering/café-x", "https://h/blog/engineering/caf%C3%A9-x"),
        ("https://h/blog/engineering/cafe%CC%81-x", "https://h/blog/engineering/caf%C3%A9-x"),  # NFC
        ("https://h/blog/engineering/a%2Fb", None),  # no slug holds a slash
        (None, None),
    ],
)
def test_canonical_post_url(raw, expected):
    assert canonical_post_url(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            "https://konghq.com/_next/image?url=https%3A%2F%2Fcdn.example.com%2Fimg%2Fa%20b.png&w=3840&q=75",
            "https://cdn.example.com/img/a%20b.png",
        ),
        (
            "https://konghq.com/_next/image?url=%2Fimages%2Fkuma.png&w=640&q=75",
            "https://konghq.com/images/kuma.png",
        ),
        ("https://cdn.example.com/img/a.png", "https://cdn.example.com/img/a.png"),
        ("https://cdn.example.com/img/a.png?w=200", "https://cdn.example.com/img/a.png?w=200"),
        (
            "https://h/cdn-cgi/image/width=800,quality=75/https://img.test/a%20b.jpg?fm=webp&w=1600",
            "https://img.test/a%20b.jpg?fm=webp&w=1600",
        ),
        ("https://h/cdn-cgi/image/width=800/images/a.png", "https://h/images/a.png"),
        (None, None),
    ],
)
def test_unwrap_image_url(raw, expected):
    assert unwrap_image_url(raw) == expected




def test_absolute_url():
    assert absolute_url("/blog/x", "http://127.0.0.1:8000/blog/engineering") == "http://127.0.0.1:8000/blog/x"
    assert absolute_url("  ", "http://h/") is None
    assert absolute_url("/img/café.png", "https://h/") == "https://h/img/caf%C3%A9.png"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/blog/engineering/caf%C3%A9-x",
        "https://cdn.test/kong%20cover.jpg?w=640&q=75%25#a%2F",
        "https://images.test/_next/image?url=https%3A%2F%2Fcdn.test%2Fa.png&w=3840",
        "https://Cdn.test/a%20b.png",  # w3lib lowers the host
        "https://cdn.test/a%20b.png?it's",  # and escapes a quote in a query
        "https://cdn.test:080/a%20b.png",
        "https://cdn.test:65536/a%20b.png",  # no such port: w3lib refuses it
        "https://cdn.test/a%20b.png?",
        "https://u@cdn.test/a%20b.png",
        "https://cdn.test?a%20b",
    ],
)
def test_absolute_url_escapes_as_safe_url_string_does(url):
    def outcome(function):
        try:
            return function(url)
        except ValueError as error:
            return type(error)

    expected = outcome(lambda u: safe_url_string(urljoin("http://h/", u)))
    # where w3lib or urllib refuse the URL, the card has no such URL: None, not an error
    assert absolute_url(url, "http://h/") == (None if expected is ValueError else expected)


@pytest.mark.parametrize(
    "text, slug, expected",
    [
        ("Product Releases", "product-releases", True),
        (" Engineering ", "engineering", True),
        ("Engineering blog", "engineering", False),
        ("Eng", "engineering", False),
        ("Releases, product", "product-releases", False),
    ],
)
def test_reads_as_slug(text, slug, expected):
    assert reads_as_slug(text, slug) is expected


def test_slug_and_category_from_url():
    url = "https://konghq.com/blog/engineering/scalable-timer-library"
    assert slug_from_url(url) == "scalable-timer-library"
    assert category_slug_from_url(url) == "engineering"
    assert slug_from_url("https://konghq.com/") is None
    assert slug_from_url("https://h/blog/engineering/caf%C3%A9-x") == "café-x"
    assert category_slug_from_url("https://konghq.com/x") is None


def test_page_url_helpers():
    assert listing_path("https://h/blog/engineering/page/7") == "/blog/engineering"
    assert listing_path("https://h/blog/engineering/") == "/blog/engineering"
    assert page_number("https://h/blog/engineering/page/7") == 7
    assert page_number("https://h/blog/engineering") == 1
    assert page_url("https://h/blog/engineering/page/7", 1) == "https://h/blog/engineering"
    assert page_url("https://h/blog/engineering", 3) == "https://h/blog/engineering/page/3"


def test_utc_timestamp():
    moment = datetime(2026, 11, 26, 21, 5, 9, tzinfo=timezone(timedelta(hours=1)))
    assert utc_timestamp(moment) == "2026-11-26T20:05:09Z"
    assert utc_timestamp().endswith("Z")


def test_post_loader_leaves_out_what_normalises_to_nothing():
    card = RawCard(
        url="https://h/a", slug="a", position=1, title="   ", date="soon", category=" ", excerpt="…",
        authors=["By A and B", "", "C"], image_src="  ", image_alt="",
    )
    item = PostLoader.load_card(card, "https://h/blog/x", 1, "2026-12-01T00:00:00Z")
    # url and slug come as kongblog.extraction.links computed them; a URL without a folder has no category.
    assert (item.url, item.slug, item.category_slug, item.category) == ("https://h/a", "a", None, None)
    assert (item.title, item.published, item.excerpt, item.image_url, item.image_alt) == (None,) * 5
    assert item.excerpt_truncated is True
    assert item.authors == ["A", "B", "C"]


def test_post_loader_normalises_a_card():
    card = RawCard(
        url="https://konghq.com/blog/engineering/caf%C3%A9-x",  # as kongblog.extraction.links gives them
        slug="café-x",
        position=4,
        title="  A\u00a0 title & more ",
        date="Feb 7, 2023",
        excerpt="Some   text…",
        authors=["By Ana and Bo", " Cy "],
        image_src="/_next/image?url=https%3A%2F%2Fcdn%2Fa.png&w=1",
        image_alt=" Cover ",
    )
    item = PostLoader.load_card(card, "https://konghq.com/blog/engineering/page/2", 2, "2026-12-01T00:00:00Z")
    assert vars(item) == {
        "slug": "café-x",
        "url": "https://konghq.com/blog/engineering/caf%C3%A9-x",
        "title": "A title & more",
        "category": "Engineering",  # the card shows none: from the URL
        "category_slug": "engineering",
        "published": "2023-02-07",
        "excerpt": "Some text",
        "excerpt_truncated": True,
        "authors": ["Ana", "Bo", "Cy"],
        "image_url": "https://cdn/a.png",
        "image_alt": "Cover",
        "listing_page": 2,
        "listing_position": 4,
        "listing_url": "https://konghq.com/blog/engineering/page/2",
        "scraped_at": "2026-12-01T00:00:00Z",
    }


def test_a_card_without_date_byline_excerpt_image_or_category_label_is_loaded_with_nulls():
    card = RawCard(url="https://h/blog/engineering/no-date", slug="no-date", position=2, title="No date")
    item = PostLoader.load_card(card, "https://h/blog/engineering", 3, "2026-12-01T00:00:00Z")
    assert vars(item) == {
        "slug": "no-date", "url": "https://h/blog/engineering/no-date", "title": "No date",
        "category": "Engineering", "category_slug": "engineering", "published": None, "excerpt": None,
        "excerpt_truncated": False, "authors": [], "image_url": None, "image_alt": None, "listing_page": 3,
        "listing_position": 2, "listing_url": "https://h/blog/engineering", "scraped_at": "2026-12-01T00:00:00Z",
    }


def test_the_cards_own_category_label_comes_before_the_urls():
    card = RawCard(url="https://h/blog/product-releases/x", position=1, title="X", category=" Releases ")
    assert PostLoader.load_card(card, "https://h/blog/product-releases", 1, "t").category == "Releases"
    card.category = None
    assert PostLoader.load_card(card, "https://h/blog/product-releases", 1, "t").category == "Product Releases"


def test_the_same_loader_loads_an_articles_fields():
    card = RawCard(url="https://h/blog/engineering/a", position=1, title="A", date="2023-02-07", authors=["Ana Souza"])
    item = PostLoader.load_card(card, "https://h/blog/engineering", 1, "2026-12-01T00:00:00Z")
    article = {"body_text": "One two three.", "word_count": 3, "reading_time_minutes": 1,
               "author_roles": {"Ana Souza": "Engineer"}, "canonical_url": "https://h/blog/engineering/a",
               "modified": None}
    enriched = PostLoader.load_article(item, article)
    assert type(enriched) is ArticlePostItem
    assert vars(enriched) == {**vars(item), **article}
    assert enriched.authors is not item.authors  # the card item is left as it was
    empty = {"body_text": None, "word_count": None, "reading_time_minutes": None, "author_roles": {},
             "canonical_url": None, "modified": None}
    assert vars(PostLoader.load_article(item, empty)) == {**vars(item), **empty}


@pytest.mark.parametrize(
    "raw, expected",
    [("· 7 min read", 7), ("12 mins read", 12), ("3 minute read", 3), ("Read more", None), (None, None)],
)
def test_minutes_to_read(raw, expected):
    assert minutes_to_read(raw) == expected


@pytest.mark.parametrize("words, minutes", [(1, 1), (238, 1), (239, 2), (476, 2), (477, 3)])
def test_reading_minutes_for(words, minutes):
    assert reading_minutes_for(words) == minutes
