"""Rendering of the ``generated`` markup: cards, tiles, pagination and trap
blocks shaped by one ``templates.Template``.

Every card of the site follows the template (same elements, same field
order); only the meaningless class soup differs from card to card.  The
content comes from ``content.Blog`` and is escaped with ``text.esc`` /
``text.attr`` exactly like the other markups, so the truth is unchanged.
"""

from __future__ import annotations

from datetime import date

from . import traps
from .content import Blog, Entry, Post, Promo
from .fragments import (
    CDN_IMAGE_PREFIX,
    LAZY_GIF,
    NEXT_IMAGE_WIDTHS,
    author_path,
    avatar,
    excerpt_html,
    join_names,
    next_image_src,
    post_href,
    title_html,
)
from .layout import Soup, pagination_entries
from .templates import HEADINGS, PAGINATION_LABELS, Template
from .text import MONTHS, MONTHS_SHORT, attr, collapse, esc, long_date, short_date, stable_hash


def format_date(d: date, fmt: str) -> str:
    if fmt == "long":
        return long_date(d)
    if fmt == "short":
        return short_date(d)
    if fmt == "day_month":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return d.isoformat()


def date_html(d: date, tpl: Template, s: Soup) -> str:
    """The date as the template prints it: one text, or the day and the month-year in two spans."""
    if tpl.date_pieces:
        return f"<span{s(1, 3)}>{d.day}</span> <span{s(1, 3)}>{MONTHS_SHORT[d.month - 1]} {d.year}</span>"
    return format_date(d, tpl.date_format)


def reading_minutes(post: Post) -> int:
    """The "N min read" label of a generated card (3..15, per post)."""
    return 3 + stable_hash("g-reading", post.slug) % 13


def _wrap(html: str, n: int, s: Soup) -> str:
    for _ in range(n):
        html = f"<div{s(1, 4)}>{html}</div>"
    return html


def _image(post: Post, tpl: Template, s: Soup) -> str | None:
    if not post.image_url:
        return None
    original = post.image_url
    alt = attr(post.image_alt or "")
    form = tpl.image_form
    if form == "plain":
        return f'<img src="{attr(original)}" alt="{alt}" width="1200" height="630" loading="lazy"{s(1, 3)}>'
    if form == "next":
        srcset = ", ".join(f"{next_image_src(original, w)} {w}w" for w in NEXT_IMAGE_WIDTHS)
        return (f'<img alt="{alt}" loading="lazy" width="1200" height="630" decoding="async" data-nimg="1"'
                f'{s(2, 4)} style="color:transparent" sizes="100vw" srcset="{attr(srcset)}" '
                f'src="{attr(next_image_src(original))}">')
    if form == "cdn":
        return f'<img src="{attr(CDN_IMAGE_PREFIX + original)}" alt="{alt}" width="800" height="420"{s(1, 3)}>'
    if form == "lazy":
        return (f'<img src="{tpl.image_placeholder or LAZY_GIF}" data-src="{attr(original)}" alt="{alt}" '
                f'width="1200" height="630"'
                f"{s(1, 3)}>")
    # "<source .../>": libxml2's HTML parser does not know <source> is void and
    # would otherwise nest the <img> inside it (HTML5 parsers ignore the slash)
    return (f'<picture{s(1, 2)}><source srcset="{attr(original)} 1x"/>'
            f'<img src="{attr(original)}" alt="{alt}" width="1200" height="630"{s(1, 3)}></picture>')


def _name(post: Post, name: str, avatars: bool) -> str:
    return (avatar(name) if avatars else "") + esc(name, post.entities)


def _author_link(post: Post, name: str, avatars: bool, s: Soup) -> str:
    return f'<a href="{attr(author_path(name))}"{s(1, 3)}>{_name(post, name, avatars)}</a>'


def _name_spans(post: Post, tpl: Template, s: Soup, avatars: bool) -> str:
    """One <span> per name, side by side or joined by <span>, </span> and <span> and </span>."""
    if tpl.portraits:  # the authors' portraits only, each named by its alt text
        return "".join(f"<span{s(1, 3)}>{avatar(n)}</span>" for n in post.authors)
    spans = [f"<span{s(1, 3)}>{_name(post, n, avatars)}</span>" for n in post.authors]
    if not tpl.name_joiners:
        return "".join(spans)
    joins = [f"<span{s(1, 2)}>, </span>"] * (len(spans) - 2) + [f"<span{s(1, 2)}> and </span>"]
    return "".join(span + (joins[i] if i < len(spans) - 1 else "") for i, span in enumerate(spans))


def _byline_inline(post: Post, tpl: Template, s: Soup, avatars: bool) -> str:
    """Byline beside the date (inside the meta element)."""
    names = post.authors
    form = tpl.byline_form
    if form == "spans":
        return _name_spans(post, tpl, s, avatars)
    if form == "links":
        return "".join(_author_link(post, n, avatars, s) for n in names)
    if form == "text":
        return join_names([_name(post, n, avatars) for n in names])
    return join_names([_author_link(post, n, avatars, s) for n in names])


def _byline_block(post: Post, tpl: Template, s: Soup, avatars: bool) -> str:
    """Byline in its own element."""
    names = post.authors
    form = tpl.byline_form
    if form == "spans":
        return f"<div{s()}>{_name_spans(post, tpl, s, avatars)}</div>"
    if form == "list":
        return f"<ul{s()}>" + "".join(f"<li{s(1, 3)}>{_name(post, n, avatars)}</li>" for n in names) + "</ul>"
    if form == "links":
        return f"<div{s()}>" + "".join(_author_link(post, n, avatars, s) for n in names) + "</div>"
    if form == "text":
        return f"<p{s()}>{tpl.byline_prefix}{join_names([_name(post, n, avatars) for n in names])}</p>"
    return f"<p{s()}>{tpl.byline_prefix}{join_names([_author_link(post, n, avatars, s) for n in names])}</p>"


def _meta(blog: Blog, post: Post, tpl: Template, s: Soup, avatars: bool) -> str:
    category = ""
    name = esc(blog.category_name)
    if tpl.category_form == "link_category":
        category = f'<a href="/blog/{attr(blog.category)}"{s(1, 3)}>{name}</a>'
    elif tpl.category_form == "link_blog":
        category = f'<a href="/blog"{s(1, 3)}>{name}</a>'
    elif tpl.category_form == "label":
        category = f"<span{s(1, 3)}>{name}</span>"
    text = date_html(post.published, tpl, s)
    if tpl.date_element == "time":
        when = f'<time datetime="{post.published.isoformat()}"{s(1, 3)}>{text}</time>'
    else:
        when = f"<span{s(1, 3)}>{text}</span>"
    if tpl.title_link_date:
        when = ""  # the title link holds it
    sep = f"&nbsp;{tpl.fact_separator}&nbsp;"
    if tpl.fact_separator and when:  # a run of facts: date · N min · N words
        when += f"{sep}{reading_minutes(post)} min{sep}{40 * reading_minutes(post)} words"
    elif tpl.reading_time:
        when += f" <span{s(1, 3)}>{reading_minutes(post)} min read</span>"
    if tpl.byline_position == "beside_date" and post.authors:
        if tpl.fact_separator:
            when += f'{sep}<i{s(1, 2)}></i> {_byline_inline(post, tpl, s, avatars)}'
        else:
            when += f" {tpl.byline_separator} {_byline_inline(post, tpl, s, avatars)}"
    parts = [category, when] if tpl.meta_order == "category_date" else [when, category]
    return f"<div{s()}>" + " ".join(p for p in parts if p) + "</div>"


def card(blog: Blog, entry: Entry, base_url: str, tpl: Template, avatars: bool = False,
         broken: bool = False) -> str:
    """One post card (also the offsite card) after the template."""
    post = entry.post
    assert post is not None
    s = Soup(f"g-card:{tpl.seed}:{post.slug}")
    href = attr(post_href(blog, post, base_url, encoded=entry.encoded_link))
    label = attr(collapse(post.title))
    fields: dict[str, str] = {}
    image = _image(post, tpl, s)
    if tpl.link in ("image", "image_and_title"):
        if image and tpl.link == "image":  # the card's only post link: named after the post
            fields["image"] = f'<a href="{href}" aria-label="{label}"{s(1, 3)}>{image}</a>'
        elif image:  # the title link follows: keep this one out of the tab order
            fields["image"] = f'<a href="{href}" tabindex="-1"{s(1, 3)}>{image}</a>'
        elif tpl.link == "image":
            fields["image"] = f'<a href="{href}" aria-label="{label}"{s(2, 4)}></a>'  # placeholder
    elif image:
        fields["image"] = image
    t = tpl.title_tag
    if tpl.title_link_date:  # the title link holds the date too
        fields["title"] = (f'<{t}{s()}><a href="{href}"{s(1, 3)}><span{s(1, 3)}>{title_html(post)}</span> '
                           f"<span{s(1, 3)}>{date_html(post.published, tpl, s)}</span></a></{t}>")
    elif tpl.link in ("title_text", "image_and_title"):
        fields["title"] = f'<{t}{s()}><a href="{href}"{s(1, 3)}>{title_html(post)}</a></{t}>'
    elif tpl.link == "heading":
        fields["title"] = f'<a href="{href}"{s(1, 3)}><{t}{s()}>{title_html(post)}</{t}></a>'
    else:
        fields["title"] = f"<{t}{s()}>{title_html(post)}</{t}>"
    fields["meta"] = _meta(blog, post, tpl, s, avatars)
    more = f' <a href="{href}"{s(1, 3)}>{esc(tpl.read_more)}</a>' if tpl.read_more else ""
    fields["excerpt"] = f"<{tpl.excerpt_tag}{s(2, 5)}>{excerpt_html(post)}{more}</{tpl.excerpt_tag}>"
    if post.authors and tpl.byline_position != "beside_date":
        fields["byline"] = _byline_block(post, tpl, s, avatars)
    wrappers = tpl.wrappers
    body = "".join(_wrap(fields[name], wrappers[name], s) for name in tpl.order if name in fields)
    if broken:
        body += "</span>"  # stray end tag, ignored by parsers
    body = _wrap(body, tpl.card_wrappers, s)
    if tpl.link == "card_child":
        body = f'<a href="{href}"{s()}>{body}</a>'
    overlay = f'<a href="{href}" aria-label="{label}"{s(2, 4)}></a>'
    if tpl.link == "overlay_first":
        body = overlay + body
    elif tpl.link == "overlay_last":
        body += overlay
    if tpl.link == "card":
        return f'<a href="{href}"{s(4, 9)}>{body}</a>'
    return f"<{tpl.card_tag}{s(4, 9)}>{body}</{tpl.card_tag}>"


def _tile_heading(tpl: Template) -> str:
    return tpl.title_tag if tpl.title_tag in HEADINGS else "h3"


def promo_tile(promo: Promo, tpl: Template) -> str:
    s = Soup(f"g-promo:{tpl.seed}:{promo.key}")
    h = _tile_heading(tpl)
    tag = tpl.tile_tag
    return (f"<{tag}{s(4, 8)}><{h}{s()}>{esc(promo.heading)}</{h}><p{s()}>{esc(promo.text)}</p>"
            f'<a href="{attr(promo.href)}"{s()}>{esc(promo.link_text)}</a></{tag}>')


def newsletter_tile(tpl: Template) -> str:
    s = Soup(f"g-newsletter:{tpl.seed}")
    h = _tile_heading(tpl)
    tag = tpl.tile_tag
    return (f"<{tag}{s(4, 8)}><{h}{s()}>{traps.NEWSLETTER_HEADING}</{h}>"
            f"<p{s()}>{esc(traps.NEWSLETTER_TEXT)}</p>{traps.NEWSLETTER_FORM}</{tag}>")


def render_entry(blog: Blog, entry: Entry, base_url: str, tpl: Template, broken: bool = False) -> str:
    if entry.kind == "promo":
        assert entry.promo is not None
        return promo_tile(entry.promo, tpl)
    if entry.kind == "newsletter":
        return newsletter_tile(tpl)
    return card(blog, entry, base_url, tpl, "author_avatars" in blog.options.traps, broken)


def pagination(tpl: Template, s: Soup, page: int, count: int, path_of) -> str:
    """The pagination widget: same numbers as layout.pagination_entries."""
    prev_text, next_text, prev_extra, next_extra = PAGINATION_LABELS[tpl.pagination_labels]
    els = []
    for kind, text, target in pagination_entries(page, count):
        if kind == "link":
            href = attr(path_of(target))
            if text.startswith("\u2039"):
                els.append(f'<a href="{href}"{prev_extra}{s(1, 4)}>{esc(prev_text)}</a>')
            elif text.startswith("Next"):
                els.append(f'<a href="{href}"{next_extra}{s(1, 4)}>{esc(next_text)}</a>')
            else:
                els.append(f'<a href="{href}"{s(1, 4)}>{esc(text)}</a>')
        elif kind == "current":
            if tpl.pagination_current == "aria":
                els.append(f'<span aria-current="page"{s(1, 4)}>{esc(text)}</span>')
            elif tpl.pagination_current == "strong":
                els.append(f"<strong{s(1, 4)}>{esc(text)}</strong>")
            else:
                els.append(f"<span{s(1, 4)}>{esc(text)}</span>")
        else:
            els.append(f"<span{s(1, 2)}>{esc(tpl.pagination_gap)}</span>")
    if tpl.pagination_container == "nav_ul":
        items = "".join(f"<li{s(1, 2)}>{el}</li>" for el in els)
        return f'<nav aria-label="Pagination"{s()}><ul{s()}>{items}</ul></nav>\n'
    return f"<div{s()}>{''.join(els)}</div>\n"


def sidebar(blog: Blog, base_url: str, tpl: Template) -> str:
    s = Soup(f"g-sidebar:{tpl.seed}")
    return traps.sidebar(blog, base_url, s, tag=tpl.sidebar_tag, heading=_tile_heading(tpl) if
                         tpl.title_tag in ("h2", "h3") else "h2",
                         date_text=lambda d: format_date(d, tpl.date_format))


def hero(blog: Blog, base_url: str, tpl: Template) -> str:
    s = Soup(f"g-hero:{tpl.seed}")
    heading = "h1" if tpl.title_tag == "h2" else "h2"
    return traps.hero(blog, base_url, s, heading=heading, avatars="author_avatars" in blog.options.traps)
