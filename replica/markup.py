"""The MARKUPS of a listing page (same content, same ground truth).

``utility``
    Cards are ``<div>`` soup with meaningless utility classes, in the text
    order of the real page: title (``<h2>`` or ``<h3>``), optional image
    through the Next.js proxy (``/_next/image?url=<percent-encoded original>
    &w=3840&q=75`` + ``srcset``), category link ``<a href="/blog">``, the
    date as plain text (``<span>`` or ``<p>``; "February 7, 2023" or
    "Feb 7, 2023"), the excerpt ``<p>``, one ``<span>`` per author, and last
    an EMPTY overlay ``<a href="/blog/<category>/<slug>" aria-label=...>``.
``semantic``
    ``<article>`` cards: image linked to the post (original image URL as
    ``src``), category link ``/blog/<category>``, ``<time datetime>``,
    ``<h3><a href=post>title</a></h3>``, excerpt ``<p>``, byline
    ``<p>By <a href="/blog/author/x">A</a> and ...</p>`` (some plain text).
``generated``
    One random, self-consistent template per ``template_seed``
    (templates.py draws it, generated.py renders it).

All carry the full chrome of ``layout``; utility and semantic show the
pagination widget at the top and the bottom of the grid.  Rendering-level
faults (``js_pages``, ``empty_pages``, ``broken_html_pages``, ``huge_page``,
``invalid_utf8_page``, ``mislabeled_charset_page``, ``deep_nesting_page``,
``looping_script_page``) and the traps are applied here; request-level
faults live in ``server``.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache

from . import generated, layout, traps
from .content import DEEP_NESTING_FROM, Blog, Entry, Post, Promo
from .fragments import NEXT_IMAGE_WIDTHS, avatar, next_image_src, post_href
from .fragments import excerpt_html as _excerpt_html
from .fragments import title_html as _title_html
from .layout import Soup
from .templates import template_for
from .text import attr, collapse, esc, long_date, short_date, slugify, stable_hash

__all__ = ["NEXT_IMAGE_WIDTHS", "next_image_src", "post_href", "render_listing", "render_entry"]

INTRO = "Talk tech with tips and tutorials from builders at Kong and the Kong Community."
GRID_ID = "__replica_grid"  # the JS pages need a hook; same id on every page
DATA_ID = "__REPLICA_DATA__"
HUGE_BYTES = 5 * 1024 * 1024
INVALID_UTF8_MARKER = "<!--@@INVALID_UTF8@@-->"
INVALID_UTF8_BYTES = (
    b'<span hidden aria-hidden="true">legacy build caf\xe9 cr\xe8me \xff\xfe \xc3\x28 end</span>'
    b"<!-- ts \xf0\x28\x8c\x28 -->"
)



# --------------------------------------------------------------------------
# Utility markup


def utility_card(blog: Blog, post: Post, base_url: str, broken: bool = False, avatars: bool = False,
                 encoded: bool = False) -> str:
    s = Soup(f"u-card:{post.slug}")
    h = stable_hash("u", post.slug)
    heading = "h2" if h % 3 == 0 else "h3"
    date_tag = "p" if h % 5 == 0 else "span"
    date_text = long_date(post.published) if (h >> 3) % 2 == 0 else short_date(post.published)
    out = [f"<div{s(4, 9)}>", f"<div{s()}><{heading}{s(3, 6)}>{_title_html(post)}</{heading}></div>"]
    if post.image_url:
        srcset = ", ".join(f"{next_image_src(post.image_url, w)} {w}w" for w in NEXT_IMAGE_WIDTHS)
        out.append(
            f"<div{s()}><img alt=\"{attr(post.image_alt or '')}\" loading=\"lazy\" width=\"1200\" "
            f'height="630" decoding="async" data-nimg="1"{s(2, 4)} style="color:transparent" '
            f'sizes="100vw" srcset="{attr(srcset)}" src="{attr(next_image_src(post.image_url))}"></div>'
        )
    date_close = "" if broken else f"</{date_tag}>"
    out.append(
        f'<div{s()}><a href="/blog"{s(2, 4)}>{esc(blog.category_name)}</a>'
        f"<{date_tag}{s(1, 3)}>{date_text}{date_close}</div>"
    )
    out.append(f"<p{s(2, 5)}>{_excerpt_html(post)}</p>")
    if post.authors:
        face = avatar if avatars else (lambda name: "")
        spans = "".join(f"<span{s(1, 3)}>{face(name)}{esc(name, post.entities)}</span>" for name in post.authors)
        out.append(f"<div{s()}>{spans}</div>")
    if broken:
        out.append("</span>")  # stray end tag, ignored by parsers
    label = collapse(post.title)
    out.append(f'<a href="{attr(post_href(blog, post, base_url, encoded))}" aria-label="{attr(label)}"{s(2, 4)}></a>')
    out.append("</div>")
    return "".join(out)


def utility_promo(promo: Promo) -> str:
    s = Soup(f"u-promo:{promo.key}")
    return (
        f"<div{s(4, 8)}><div{s()}><h3{s()}>{esc(promo.heading)}</h3>"
        f"<p{s()}>{esc(promo.text)}</p>"
        f'<a href="{attr(promo.href)}"{s()}>{esc(promo.link_text)}</a></div></div>'
    )


# --------------------------------------------------------------------------
# Semantic markup


def _byline(post: Post, avatars: bool = False) -> str:
    names = list(post.authors)
    if post.byline_plain:
        parts = [(avatar(n) if avatars else "") + esc(n, post.entities) for n in names]
    elif avatars:
        parts = [f'<a href="{attr(f"/blog/author/{slugify(n)}")}" rel="author">{avatar(n)}{esc(n)}</a>'
                 for n in names]
    else:
        parts = [layout.a(f"/blog/author/{slugify(n)}", n, ' rel="author"') for n in names]
    if len(parts) == 1:
        joined = parts[0]
    else:
        joined = ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"<p>By {joined}</p>"


def semantic_card(blog: Blog, post: Post, base_url: str, broken: bool = False, avatars: bool = False,
                  encoded: bool = False) -> str:
    href = attr(post_href(blog, post, base_url, encoded))
    cls = f' class="sc-{stable_hash("s", post.slug) % 0xFFFFFF:06x}"'
    out = [f"<article{cls}>"]
    if post.image_url:
        out.append(
            f'<a href="{href}" tabindex="-1" aria-hidden="true">'
            f"<img src=\"{attr(post.image_url)}\" alt=\"{attr(post.image_alt or '')}\" width=\"600\" "
            'height="315" loading="lazy"></a>'
        )
    category_link = layout.a(f"/blog/{blog.category}", blog.category_name, ' rel="category tag"')
    out.append(
        f"<div>{category_link} "
        f'<span aria-hidden="true">\u00b7</span> '
        f'<time datetime="{post.published.isoformat()}">{short_date(post.published)}</time></div>'
    )
    out.append(f'<h3><a href="{href}">{_title_html(post)}</a></h3>')
    out.append(f"<p>{_excerpt_html(post)}" + ("" if broken else "</p>"))
    if post.authors:
        out.append(_byline(post, avatars))
    out.append("</article>")
    return "\n".join(out)


def semantic_promo(promo: Promo) -> str:
    return (
        f'<article class="sc-{stable_hash("p", promo.key) % 0xFFFFFF:06x}">'
        f'<h3><a href="{attr(promo.href)}">{esc(promo.heading)}</a></h3>'
        f"<p>{esc(promo.text)}</p><p>{layout.a(promo.href, promo.link_text)}</p></article>"
    )


# --------------------------------------------------------------------------
# Listing page


def render_entry(blog: Blog, entry: Entry, base_url: str, broken: bool = False) -> str:
    markup = blog.options.markup
    if markup == "generated":
        return generated.render_entry(blog, entry, base_url, template_for(blog.options.template_seed), broken)
    utility = markup == "utility"
    if entry.kind == "promo":
        assert entry.promo is not None
        return utility_promo(entry.promo) if utility else semantic_promo(entry.promo)
    if entry.kind == "newsletter":
        return traps.newsletter_tile(markup)
    assert entry.post is not None
    avatars = "author_avatars" in blog.options.traps
    if utility:
        return utility_card(blog, entry.post, base_url, broken, avatars, entry.encoded_link)
    return semantic_card(blog, entry.post, base_url, broken, avatars, entry.encoded_link)


def _json_for_script(data: object) -> str:
    """JSON safe inside <script>: no '<', '>', '&' or '/' appear literally."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("/", "\\/")
    )


JS_LOADER = (
    "<script>document.addEventListener('DOMContentLoaded',function(){"
    f"var d=JSON.parse(document.getElementById('{DATA_ID}').textContent);"
    f"var g=document.getElementById('{GRID_ID}');"
    "g.innerHTML=d.cards.map(function(c){return c.html}).join('\\n');"
    "});</script>\n"
)


def js_loader(grid_id: str) -> str:
    """JS_LOADER for the generated markup: its own grid id, and the row
    wrappers rebuilt from ``d.row`` / ``d.rowOpen`` when the template has rows."""
    return (
        "<script>document.addEventListener('DOMContentLoaded',function(){"
        f"var d=JSON.parse(document.getElementById('{DATA_ID}').textContent);"
        f"var g=document.getElementById('{grid_id}');"
        "var h=d.cards.map(function(c){return c.html});"
        "if(d.row){var r=[];for(var i=0;i<h.length;i+=d.row){r.push(d.rowOpen+h.slice(i,i+d.row).join('\\n')+'</div>')}h=r}"
        "g.innerHTML=h.join('\\n');"
        "});</script>\n"
    )


DEEP_NESTING_DEPTH = 2500  # > libxml2's 2,048 limit (XML_PARSE_HUGE), so a parser drops what is inside
LOOPING_SCRIPT = (
    "<script>window.addEventListener('load',function(){"
    "/* hydrate the post grid */for(;;){}"
    "});</script>\n"
)


@lru_cache(maxsize=4)
def filler_block(size: int) -> tuple[str, str]:
    """(~size/5 bytes HTML comment, rest hidden <div>) of deterministic filler."""
    rng = random.Random(f"filler:{size}")
    words = ("lorem", "ipsum", "gateway", "latency", "upstream", "plugin", "cluster", "token",
             "mesh", "proxy", "route", "service", "consumer", "quota", "trace", "span")
    comment_target = size // 5

    def chunk(n: int) -> str:
        parts: list[str] = []
        total = 0
        while total < n:
            sentence = " ".join(rng.choice(words) for _ in range(12)) + ". "
            parts.append(sentence)
            total += len(sentence)
        return "".join(parts)

    comment = "<!-- prerender cache: " + chunk(comment_target).replace("--", "- ") + " -->\n"
    paras = []
    remaining = size - comment_target
    while remaining > 0:
        para = chunk(4000)
        paras.append(f"<p>{para}</p>")
        remaining -= len(para) + 7
    hidden = '<div hidden aria-hidden="true" style="display:none">' + "\n".join(paras) + "</div>\n"
    return comment, hidden


def _grid_html(fragments: list[str], entries: tuple[Entry, ...], deep: bool, row_size: int = 0,
               row_open: str = "") -> str:
    """The grid's children: fragments joined by newlines, grouped into row
    ``<div>``s (generated templates with rows), and, on the
    ``deep_nesting_page``, the entries from the card at position 8 on buried
    inside DEEP_NESTING_DEPTH nested ``<div>``s."""

    def group(frags: list[str]) -> str:
        if not row_size:
            return "\n".join(frags)
        return "\n".join(row_open + "\n".join(frags[i:i + row_size]) + "</div>"
                         for i in range(0, len(frags), row_size))

    split = len(fragments)
    if deep:
        split = next((i for i, e in enumerate(entries) if (e.position or 0) >= DEEP_NESTING_FROM), split)
    html = group(fragments[:split])
    if split < len(fragments):
        html += ("\n" if html else "") + "<div>" * DEEP_NESTING_DEPTH + "\n" + group(fragments[split:])
        html += "\n" + "</div>" * DEEP_NESTING_DEPTH
    return html


def render_listing(blog: Blog, page: int, base_url: str) -> bytes:
    """Full HTML of listing *page* as bytes (UTF-8 unless invalid_utf8_page
    or mislabeled_charset_page)."""
    o = blog.options
    base_url = base_url.rstrip("/")
    utility = o.markup == "utility"
    tpl = template_for(o.template_seed) if o.markup == "generated" else None
    broken = page in o.broken_html_pages
    if tpl is None:
        s = Soup(f"layout:{o.markup}:{page}", enabled=True)
    else:
        s = Soup(f"layout:generated:{tpl.seed}:{page}", enabled=True)
    count = blog.page_count
    entries = blog.grid(page)
    fragments = [render_entry(blog, e, base_url, broken) for e in entries]
    far = "far_links" in o.traps

    claimed = o.widget_last_page or count  # what the widget says the last page is

    def widget() -> str:
        if tpl is None:
            return layout.pagination(s, page, claimed, blog.listing_path)
        return generated.pagination(tpl, s, page, claimed, blog.listing_path)

    title = blog.category_name if page == 1 else f"{blog.category_name} | Page {page}"
    links = ""
    if page > 1:
        links += f'<link rel="prev" href="{attr(base_url + blog.listing_path(page - 1))}">\n'
    if page < count:
        links += f'<link rel="next" href="{attr(base_url + blog.listing_path(page + 1))}">\n'
    out = [layout.head(f"{title} | Kong Inc.", base_url + blog.listing_path(page), links)]
    out.append(f"<body{s()}>\n")
    out.append(layout.header(s, broken, traps.far_nav(blog.category) if far else ""))
    out.append(f"<main{s()}>\n" if not utility else f'<div{s()} id="__next">\n<main{s()}>\n')
    out.append(layout.breadcrumb(s, blog.category_name))
    if broken:
        out.append("</div></div></span>\n")  # stray end tags
    out.append(f"<h1{s()}>{esc(blog.category_name)}</h1>\n")
    out.append(f"<p{s()}>{esc(INTRO)}" + ("\n" if broken else "</p>\n"))
    if page == 1 and "featured_hero" in o.traps:
        if tpl is None:
            out.append(traps.hero(blog, base_url, Soup(f"hero:{o.markup}", enabled=utility),
                                  avatars="author_avatars" in o.traps))
        else:
            out.append(generated.hero(blog, base_url, tpl))
    if tpl is None or tpl.pagination_twice:
        out.append(widget())
    huge = page == o.huge_page
    if huge:
        comment, hidden = filler_block(HUGE_BYTES)
        out.append(comment)
    if "popular_sidebar" in o.traps:
        if tpl is None:
            out.append(traps.sidebar(blog, base_url, Soup(f"sidebar:{o.markup}", enabled=utility)))
        else:
            out.append(generated.sidebar(blog, base_url, tpl))
    if tpl is None:
        grid_tag, grid_id, row_size, row_open = ("div" if utility else "section"), GRID_ID, 0, ""
    else:
        grid_tag, grid_id, row_size = tpl.grid_tag, tpl.grid_id, tpl.row_size
        row_open = f"<div{Soup(f'g-row:{tpl.seed}')(2, 4)}>" if row_size else ""
    out.append(f'<{grid_tag} id="{grid_id}"{s(3, 6)}>')
    if page in o.js_pages:
        data: dict = {
            "page": page,
            "cards": [
                {"kind": e.kind, "slug": e.post.slug if e.post else None, "html": frag}
                for e, frag in zip(entries, fragments)
            ],
        }
        if row_size:
            data.update(row=row_size, rowOpen=row_open)
        out.append(f"</{grid_tag}>\n")
        out.append("<noscript>Enable JavaScript to see the latest posts.</noscript>\n")
        out.append(f'<script id="{DATA_ID}" type="application/json">{_json_for_script(data)}</script>\n')
        out.append(JS_LOADER if tpl is None else js_loader(grid_id))
    else:
        out.append(_grid_html(fragments, entries, page == o.deep_nesting_page, row_size, row_open))
        out.append(f"</{grid_tag}>\n")
        if broken:
            out.append("</div>\n")  # stray: closes the wrapper early
    out.append(widget())
    if huge:
        out.append(hidden)
    out.append("</main>\n" if not utility else "</main>\n</div>\n")
    out.append(layout.promo_sections(s))
    marker = INVALID_UTF8_MARKER if page == o.invalid_utf8_page else ""
    out.append(layout.footer(s, broken, marker, traps.far_footer(blog.category) if far else ""))
    out.append("<script src=\"/_next/static/chunks/main-app.js\" async></script>\n")
    if page == o.looping_script_page:
        out.append(LOOPING_SCRIPT)
    if not broken:
        out.append("</body>\n</html>\n")
    text = "".join(out)
    if page == o.mislabeled_charset_page:
        # Latin-1 bytes under a utf-8 label; what Latin-1 lacks survives as &#NNNN;
        body = text.encode("latin-1", "xmlcharrefreplace")
    else:
        body = text.encode("utf-8")
    if marker:
        body = body.replace(INVALID_UTF8_MARKER.encode(), INVALID_UTF8_BYTES)
    return body
