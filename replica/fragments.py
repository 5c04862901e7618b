"""Small HTML fragments every markup shares: post links, image URLs, the
escaped title / excerpt of a card, author links and avatars.

Only produces HTML; the ground truth never depends on anything here.
"""

from __future__ import annotations

from urllib.parse import quote

from .content import Blog, Post
from .text import attr, collapse, esc, slugify

NEXT_IMAGE_WIDTHS = (640, 750, 828, 1080, 1200, 1920, 2048, 3840)
CDN_IMAGE_PREFIX = "/cdn-cgi/image/width=800,quality=75/"
LAZY_GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
AVATAR_SIZE = 32


def next_image_src(original: str, width: int = 3840) -> str:
    return f"/_next/image?url={quote(original, safe='')}&w={width}&q=75"


def post_href(blog: Blog, post: Post, base_url: str, encoded: bool = False) -> str:
    """The link a card uses for *post* (may carry utm query / fragment).

    The path is written as the slug is (raw UTF-8 for a non-ASCII slug)
    unless *encoded*, which percent-encodes it.
    """
    if post.external_url:
        return post.external_url
    path = post.path(blog.category)
    if encoded:
        path = quote(path)
    path += post.link_query + post.link_fragment
    return base_url.rstrip("/") + path if post.absolute_link else path


def title_html(post: Post) -> str:
    return esc(post.title, post.entities)


def excerpt_html(post: Post) -> str:
    text = esc(post.excerpt, post.entities)
    if post.truncated:
        text += esc(post.ellipsis, post.entities)
    return text


def author_path(name: str) -> str:
    return f"/blog/author/{slugify(collapse(name))}"


def avatar(name: str) -> str:
    """author_avatars trap: the avatar shown before an author's name."""
    clean = collapse(name)
    return (f'<img src="/avatars/{slugify(clean)}.png" alt="{attr(clean)}" '
            f'width="{AVATAR_SIZE}" height="{AVATAR_SIZE}">')


def join_names(parts: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
