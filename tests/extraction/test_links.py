"""Each link's kind, and a post link's URL and slug, computed once from the href as the site writes it."""

import pytest

from kongblog.extraction.links import NO_SLUG, OTHER, PAGE, POST, LinkResolver
from kongblog.extraction.listing import read_listing
from tests.support.responses import html_root

URL = "https://blog.test/blog/engineering/page/2"


def resolve(href: str):
    return LinkResolver("https://blog.test/blog/engineering").on_page(URL).resolve(href)


@pytest.mark.parametrize(
    "href, url, slug",
    [
        ("/blog/engineering/x", "https://blog.test/blog/engineering/x", "x"),
        ("/blog/engineering/x/", "https://blog.test/blog/engineering/x/", "x"),  # the site's trailing slash
        ("/blog/engineering/x/?utm_source=a#top", "https://blog.test/blog/engineering/x/", "x"),
        ("HTTPS://Blog.Test/blog/engineering/x?ref=1", "https://blog.test/blog/engineering/x", "x"),
        ("../x", "https://blog.test/blog/engineering/x", "x"),
        ("/blog/engineering/café-x", "https://blog.test/blog/engineering/caf%C3%A9-x", "café-x"),
        ("/blog/engineering/caf%C3%A9-x", "https://blog.test/blog/engineering/caf%C3%A9-x", "café-x"),
        ("/blog/engineering/cafe%CC%81-x", "https://blog.test/blog/engineering/caf%C3%A9-x", "café-x"),  # NFC
        ("/blog/engineering/100%25-sure", "https://blog.test/blog/engineering/100%25-sure", "100%-sure"),
        ("/blog/engineering/a%3Fb", "https://blog.test/blog/engineering/a%3Fb", "a?b"),
    ],
)
def test_a_post_link_gives_its_url_as_written_and_its_decoded_slug(href, url, slug):
    link = resolve(href)
    assert (link.kind, link.url, link.slug, link.post) == (POST, url, slug, url.removesuffix("/"))


@pytest.mark.parametrize(
    "href",
    [
        "/blog/engineering/guest%5Cpost-1-5",  # a backslash, which reads as a slash
        "/blog/engineering/guest\\post-1-5",
        "/blog/engineering/a%2Fpost-1-5",
        "/blog/engineering/post%00-1-5",
        "/blog/engineering/post%0A-1-5",
        "/blog/engineering/post%C2%85-1-5",  # a C1 control character
        "/blog/engineering/%FF",  # no UTF-8
        "/blog/engineering/%2E%2E",
    ],
)
def test_a_last_segment_that_is_no_slug_once_decoded_makes_no_post_link(href):
    assert resolve(href).kind == NO_SLUG


def test_kinds_of_other_links():
    assert (resolve("/blog/engineering/page/3/").kind, resolve("/blog/engineering/page/3/").page) == (PAGE, 3)
    assert resolve("/blog/engineering/").page == 1
    assert resolve("https://elsewhere.test/blog/engineering/x").kind == OTHER
    assert resolve("/blog/engineering/x/y").kind == OTHER


EXCERPT = "A paragraph long enough to be an excerpt, about gateways, plugins and the people who run them."


def test_an_encoded_backslash_never_takes_another_posts_slug():
    cards = "".join(
        f'<article><h3><a href="/blog/engineering/{slug}">Title of {slug}</a></h3><p>Feb 7, 2023</p><p>{EXCERPT}</p></article>'
        for slug in ("post-1-4", "guest%5Cpost-1-5", "post-1-5", "post-1-6")
    )
    root = html_root(f"<html><body><h1>Engineering</h1><section>{cards}</section></body></html>", URL)
    page = read_listing(root, URL, 2)
    assert [(card.slug, card.url, card.title) for card in page.cards] == [
        (f"post-1-{n}", f"https://blog.test/blog/engineering/post-1-{n}", f"Title of post-1-{n}") for n in (4, 5, 6)
    ]
    assert page.doubts == [
        "1 links where a post's would be have no slug once decoded: https://blog.test/blog/engineering/guest%5Cpost-1-5"
    ]
