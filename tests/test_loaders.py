"""Unit tests of every processor in kongblog.loaders."""

from datetime import datetime, timedelta, timezone

import pytest

from kongblog.loaders import (
    PostLoader,
    absolute_url,
    canonical_post_url,
    category_slug_from_url,
    clean_text,
    find_date,
    first_srcset_url,
    is_truncated,
    parse_date,
    reading_minutes_for,
    reading_minutes_from_label,
    slug_from_url,
    split_authors,
    strip_ellipsis,
    unwrap_image_url,
    utc_timestamp,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("February 7, 2023", "2023-02-07"),
        ("Feb 7, 2023", "2023-02-07"),
        ("  December\n 19,   2022 ", "2022-12-19"),
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
    assert find_date("EngineeringFebruary 7, 2023") == "2023-02-07"
    assert find_date("posted on Nov 3, 2022 by Damon") == "2022-11-03"
    assert find_date("ratified in March 2005") is None


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
        (None, None),
    ],
)
def test_unwrap_image_url(raw, expected):
    assert unwrap_image_url(raw) == expected


def test_first_srcset_url():
    assert first_srcset_url("/a.png?w=640 640w, /a.png?w=1080 1080w") == "/a.png?w=640"
    assert first_srcset_url("") is None


def test_absolute_url():
    assert absolute_url("/blog/x", "http://127.0.0.1:8000/blog/engineering") == "http://127.0.0.1:8000/blog/x"
    assert absolute_url("  ", "http://h/") is None
    assert absolute_url("/img/café.png", "https://h/") == "https://h/img/caf%C3%A9.png"


def test_slug_and_category_from_url():
    url = "https://konghq.com/blog/engineering/scalable-timer-library"
    assert slug_from_url(url) == "scalable-timer-library"
    assert category_slug_from_url(url) == "engineering"
    assert slug_from_url("https://konghq.com/") is None
    assert category_slug_from_url("https://konghq.com/x") is None


def test_utc_timestamp():
    moment = datetime(2026, 11, 26, 21, 5, 9, tzinfo=timezone(timedelta(hours=1)))
    assert utc_timestamp(moment) == "2026-11-26T20:05:09Z"
    assert utc_timestamp().endswith("Z")


def test_post_loader_normalises_a_card():
    loader = PostLoader()
    loader.add_value("url", "https://konghq.com/blog/engineering/x?utm_source=y")
    loader.add_value("title", "  A\u00a0 title & more ")
    loader.add_value("published", "Feb 7, 2023")
    loader.add_value("excerpt", "Some   text…")
    loader.add_value("excerpt_truncated", True)
    loader.add_value("authors", ["Ana ", " Bo"])
    loader.add_value("image_url", "https://konghq.com/_next/image?url=https%3A%2F%2Fcdn%2Fa.png&w=1")
    item = loader.load_item()
    assert item.url == "https://konghq.com/blog/engineering/x"
    assert item.title == "A title & more"
    assert item.published == "2023-02-07"
    assert item.excerpt == "Some text"
    assert item.excerpt_truncated is True
    assert item.authors == ["Ana", "Bo"]
    assert item.image_url == "https://cdn/a.png"
    assert item.image_alt is None
    assert item.slug is None and item.listing_page is None  # the spider's to set


@pytest.mark.parametrize(
    "raw, expected",
    [("· 7 min read", 7), ("12 mins read", 12), ("3 minute read", 3), ("Read more", None), (None, None)],
)
def test_reading_minutes_from_label(raw, expected):
    assert reading_minutes_from_label(raw) == expected


@pytest.mark.parametrize("words, minutes", [(1, 1), (238, 1), (239, 2), (476, 2), (477, 3)])
def test_reading_minutes_for(words, minutes):
    assert reading_minutes_for(words) == minutes
