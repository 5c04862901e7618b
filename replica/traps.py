"""TRAPS (``options.traps``): page furniture that looks like post cards or
pagination but is not part of the listing.  None of them changes the truth.

far_links        header nav "Archive" -> /blog/<cat>/page/999, footer "Older
                 stories" -> /blog/<cat>/page/500 (both 404); robots.txt
                 forbids page 999 (site.robots_txt).
popular_sidebar  before the grid and outside it: a "Popular posts" heading and
                 5 links (title as link text, date as text; no excerpt, no
                 image) to ``Blog.popular_posts()``: the first 5 posts of the
                 second-to-last page, listed in full there.
featured_hero    listing page 1 only, before the grid and outside it: a big
                 "Featured" card for ``Blog.featured_post()`` (the post at
                 page 3, position 4): image, category, title in an <h1>/<h2>
                 linked to the post, excerpt, "By ..." byline, date, and a
                 "Read more" link.
newsletter_card  a grid tile after the 3rd post card of every page with
                 cards (content.Blog.grid inserts it): heading "Get the Kong
                 newsletter", a sentence, a subscribe <form>; no link at all.
author_avatars   an <img src="/avatars/<slug>.png" alt="<name>" width="32"
                 height="32"> before each byline name (inside the author link
                 when the byline links authors); /avatars/<slug>.png serves a
                 tiny PNG for every known author.

This module renders the traps for the "utility" and "semantic" markups and
the parts all markups share; generated.py shapes them after the template.
"""

from __future__ import annotations

from .content import Blog
from .fragments import avatar, excerpt_html, join_names, post_href, title_html
from .layout import Soup
from .text import attr, esc, long_date, stable_hash

FAR_NAV_PAGE = 999
FAR_FOOTER_PAGE = 500
POPULAR_HEADING = "Popular posts"
FEATURED_LABEL = "Featured"
READ_MORE = "Read more"
NEWSLETTER_HEADING = "Get the Kong newsletter"
NEWSLETTER_TEXT = (
    "One email a month with the best engineering stories from Kong, release notes and event invitations."
)
NEWSLETTER_FORM = (
    '<form action="/newsletter/subscribe" method="post"><input type="email" name="email">'
    "<button>Subscribe</button></form>"
)


def far_nav(category: str) -> str:
    return f'<li><a href="/blog/{attr(category)}/page/{FAR_NAV_PAGE}">Archive</a></li>'


def far_footer(category: str) -> str:
    return f'<li><a href="/blog/{attr(category)}/page/{FAR_FOOTER_PAGE}">Older stories</a></li>'


def sidebar(blog: Blog, base_url: str, s: Soup, tag: str = "aside", heading: str = "h2",
            date_text=long_date) -> str:
    """The popular_sidebar block (placed before the grid, outside it)."""
    items = []
    for post in blog.popular_posts():
        href = attr(post_href(blog, post, base_url))
        items.append(f'<li{s(1, 3)}><a href="{href}"{s(1, 3)}>{title_html(post)}</a> '
                     f"<span{s(1, 2)}>{esc(date_text(post.published))}</span></li>")
    return (f"<{tag}{s()}><{heading}{s(1, 3)}>{POPULAR_HEADING}</{heading}>"
            f"<ol{s()}>{''.join(items)}</ol></{tag}>\n")


def hero(blog: Blog, base_url: str, s: Soup, heading: str = "h2", avatars: bool = False) -> str:
    """The featured_hero block (page 1, before the grid, outside it).

    Shaped unlike any grid card: a <section aria-label="Featured"> with a
    "Featured" label, the image linked, the category, the linked title in
    *heading*, the excerpt, "By A and B · <time>February 7, 2023</time>" and
    a "Read more" link.
    """
    post = blog.featured_post()
    href = attr(post_href(blog, post, base_url))
    out = [f'<section{s()} aria-label="{FEATURED_LABEL}"><div{s()}>', f"<span{s(1, 3)}>{FEATURED_LABEL}</span>"]
    if post.image_url:
        out.append(f'<a href="{href}" tabindex="-1"{s(1, 3)}><img src="{attr(post.image_url)}" '
                   f'alt="{attr(post.image_alt or "")}" width="1600" height="840"></a>')
    out.append(f'<p{s(1, 3)}><a href="/blog/{attr(blog.category)}"{s(1, 3)}>{esc(blog.category_name)}</a></p>')
    out.append(f'<{heading}{s()}><a href="{href}"{s(1, 3)}>{title_html(post)}</a></{heading}>')
    out.append(f"<p{s()}>{excerpt_html(post)}</p>")
    when = f'<time datetime="{post.published.isoformat()}">{long_date(post.published)}</time>'
    if post.authors:
        names = join_names([(avatar(n) if avatars else "") + esc(n, post.entities) for n in post.authors])
        out.append(f"<p{s()}>By {names} \u00b7 {when}</p>")
    else:
        out.append(f"<p{s()}>{when}</p>")
    out.append(f'<a href="{href}"{s(1, 3)}>{READ_MORE}</a>')
    out.append("</div></section>\n")
    return "".join(out)


def newsletter_tile(markup: str) -> str:
    """The newsletter_card tile for the utility / semantic markups."""
    if markup == "utility":
        s = Soup("u-newsletter")
        return (f"<div{s(4, 8)}><div{s()}><h3{s()}>{NEWSLETTER_HEADING}</h3>"
                f"<p{s()}>{esc(NEWSLETTER_TEXT)}</p>{NEWSLETTER_FORM}</div></div>")
    return (f'<article class="sc-{stable_hash("n", "newsletter") % 0xFFFFFF:06x}">'
            f"<h3>{NEWSLETTER_HEADING}</h3><p>{esc(NEWSLETTER_TEXT)}</p>{NEWSLETTER_FORM}</article>")
