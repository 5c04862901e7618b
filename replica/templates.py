"""Random but self-consistent card templates for ``markup="generated"``.

``template_for(seed)`` draws every choice of one listing-page template from
``random.Random(f"template:{seed}")``: the same seed gives the same template
on every page and in every run; different seeds give visibly different
markup.  Every choice is an explicit field of ``Template`` so a test can
parse a page knowing exactly how it was built, and ``describe(seed)`` spells
the template out for failure messages.

The template only decides the SHAPE of the page.  The content (posts, their
text, dates, authors, images, positions) is the same ``Blog`` as for the
other markups, and so is the ground truth.  Rendering lives in
``generated.py``.

Rules that keep every template unambiguous to a careful human reader:

* one card element per grid child, the same field order on every card;
* when the post link wraps the whole card (``link`` "card" or
  "card_child"), the card holds no other link (category is a plain label or
  absent, the byline has no author links), since nested links are not HTML;
* a title that is not a heading (``div``/``p``/``strong``) is the post
  link's own text (``link`` "title_text" or "image_and_title");
* ``<li>`` cards only in a ``<ul>``/``<ol>`` grid, and no row wrappers there.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields

FIELDS = ("image", "meta", "title", "excerpt", "byline")

GRID_TAGS = ("div", "section", "ul", "ol")
GRID_WEIGHTS = (3, 2, 1, 1)
CARD_TAGS = ("article", "div", "section")  # plus "li" (list grids) and "a" (link == "card")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TITLE_TAGS = HEADINGS + ("div", "p", "strong")
TITLE_WEIGHTS = (1, 4, 4, 3, 1, 1, 1, 1, 1)

LINK_PLACEMENTS = (
    "card",             # the card element itself is <a href=post> around block content
    "card_child",       # <a href=post> is the card's only child and wraps everything
    "title_text",       # <hN><a href=post>title</a></hN>
    "heading",          # <a href=post><hN>title</hN></a>
    "image",            # <a href=post><img></a>; posts without image: an empty placeholder
                        # link with aria-label in the image slot
    "overlay_first",    # empty <a href=post aria-label=title></a>, first child of the card
    "overlay_last",     # same, last child of the card
    "image_and_title",  # image linked (when there is one) AND title text linked
)
LINK_WEIGHTS = (2, 1, 3, 2, 2, 1, 2, 2)
CARD_LINKS = ("card", "card_child")

BYLINE_POSITIONS = ("before_title", "after_title", "before_excerpt", "after_excerpt", "beside_date")
BYLINE_FORMS = (
    "spans",       # <div><span>A</span><span>B</span></div>, no "By"
    "list",        # <ul><li>A</li><li>B</li></ul>
    "links",       # <div><a href="/blog/author/a">A</a><a ...>B</a></div>
    "text",        # <p>By A, B and C</p>
    "text_links",  # <p>By <a href="/blog/author/a">A</a> and <a ...>B</a></p>
)
BYLINE_SEPARATORS = ("\u00b7", "|", "\u2013")
CATEGORY_FORMS = ("link_category", "link_blog", "label", "none")
DATE_FORMATS = ("long", "short", "day_month", "iso")
IMAGE_FORMS = ("plain", "next", "cdn", "lazy", "picture")
# Seeds from READING_SEED on also draw what real themes print (issue 21): a date in pieces, a run of facts
# beside the date, names joined by separator spans, "A, B and C" with no "By", a title link holding the
# date, a "Read more" link inside the excerpt, placeholder image sources. Earlier seeds keep their
# templates byte for byte (tests pin them); the extra choices come from a random stream of their own.
READING_SEED = 10_000
FACT_SEPARATORS = ("", "\u00b7", "|")  # "&nbsp;·&nbsp;" runs: date, "N min", "N words", an icon, the names
READ_MORE_LINKS = ("", "[Read More]", "Continue reading \u2192", "Read more \u00bb")
IMAGE_PLACEHOLDERS = ("", "about:blank", "javascript:void(0)")  # the lazy image's src ("": the 1x1 GIF)
PAGINATION_LABELS = {
    # name -> (prev text, next text, prev extra attributes, next extra attributes)
    "chevron": ("\u2039Prev", "Next\u203a", "", ""),
    "guillemet": ("\u00ab Previous", "Next \u00bb", "", ""),
    "arrow": ("\u2190", "\u2192", ' aria-label="Previous page"', ' aria-label="Next page"'),
    "newer_older": ("Newer", "Older", ' rel="prev"', ' rel="next"'),
}


@dataclass(frozen=True)
class Template:
    """Every choice of one generated listing template (see module docstring).

    Grid
      grid_tag          "div" | "section" | "ul" | "ol": the grid container.
      grid_id           a random, meaningless id on the grid (the JS pages'
                        loader needs a hook); never "posts", "grid", ...
      row_size          0: cards are direct children of the grid; 2..4: grid
                        children (cards, promo tiles, ...) grouped by that
                        many per row ``<div>`` inside the grid.
    Card
      card_tag          "article" | "div" | "section" | "li" | "a": the card
                        element ("li" iff the grid is a list, "a" iff
                        ``link == "card"``).  Promo, offsite and newsletter
                        tiles use the same element ("div" when cards are "a").
      card_wrappers     0..3 ``<div>``s inside the card around all its fields
                        (inside the card link for "card_child"; the overlay
                        link stays a direct child of the card).
      order             the card's fields, a permutation of FIELDS; "byline"
                        is absent when ``byline_position == "beside_date"``
                        (the byline then lives in the meta element).  A post
                        without image has no image field (except the
                        placeholder link of ``link == "image"``), a post
                        without authors no byline.
      field_wrappers    ((field, n), ...) in FIELDS order: n = 0..2 ``<div>``s
                        around that field's element.
    Title and post link
      title_tag         "h1".."h6" or "div" | "p" | "strong" (no heading).
      link              where the post link sits, one of LINK_PLACEMENTS.
                        Links carry the content's decorations (utm query,
                        #fragment, absolute URL) as in markup.post_href.
    Meta (category + date [+ reading time] [+ byline])
      meta_order        "category_date" | "date_category".
      category_form     "link_category" (<a href="/blog/<cat>">),
                        "link_blog" (<a href="/blog">), "label" (<span>), or
                        "none" (no category on the card); text = display name.
      date_format       "long" (February 7, 2023) | "short" (Feb 7, 2023) |
                        "day_month" (7 February 2023) | "iso" (2023-02-07).
      date_element      "time" (<time datetime="2023-02-07">) | "span".
      reading_time      "N min read" (<span>, N = 3..15 per post) after the date.
    Byline
      byline_position   one of BYLINE_POSITIONS, relative to the card fields.
      byline_form       one of BYLINE_FORMS ("list" never beside the date).
      byline_prefix     "By " for the text forms in their own element, else "".
      byline_separator  beside_date only: text between date and names
                        ("·", "|" or "–"), else "".
    Image and excerpt
      image_form        "plain" (src = original), "next" (/_next/image proxy
                        + srcset), "cdn" (/cdn-cgi/image/width=800,quality=75/
                        <original>), "lazy" (1x1 GIF data: src, data-src =
                        original), "picture" (<picture><source srcset="<orig>
                        1x"><img src=orig></picture>).
      excerpt_tag       "p" | "div".
    Pagination widget (same numbers as layout.pagination_entries)
      pagination_container  "nav_ul" (<nav aria-label="Pagination"><ul><li>)
                        | "div" (bare <a>/<span> runs in a <div>).
      pagination_current    "aria" (<span aria-current="page">) | "strong" |
                        "span" (no aria attribute).
      pagination_gap    "…" | "..." (in a <span>).
      pagination_labels a key of PAGINATION_LABELS.
      pagination_twice  widget above and below the grid (else below only).
    Traps
      sidebar_tag       container of the popular_sidebar trap:
                        "aside" | "div" | "section".
    What real themes print (seeds >= READING_SEED; the defaults otherwise)
      date_pieces       the day and the month-year in two spans: <span>7</span> <span>Feb 2023</span>.
      fact_separator    "" or "·" / "|": the meta is a run "date&nbsp;·&nbsp;N min&nbsp;·&nbsp;N words"
                        (and, beside the date, "&nbsp;·&nbsp;<i></i> names"); no reading-time span.
      name_joiners      names of the "spans" form joined by <span>, </span> and <span> and </span>.
      byline_no_by      the text forms in their own element without "By ": "A, B and C".
      title_link_date   the title link holds <span>title</span> <span>date</span> (the meta no date);
                        only with link "title_text" or "image_and_title".
      read_more         "" or the text of a post link at the end of the excerpt element (not with
                        a link around the card).
      image_placeholder "" or the src of a "lazy" image instead of the 1x1 GIF.
      portraits         names of the "spans" form shown as portraits only: <span><img alt="A B"></span>
                        (no joiners then).
    """

    seed: int
    grid_tag: str
    grid_id: str
    row_size: int
    card_tag: str
    card_wrappers: int
    order: tuple[str, ...]
    field_wrappers: tuple[tuple[str, int], ...]
    title_tag: str
    link: str
    meta_order: str
    category_form: str
    date_format: str
    date_element: str
    reading_time: bool
    byline_position: str
    byline_form: str
    byline_prefix: str
    byline_separator: str
    image_form: str
    excerpt_tag: str
    pagination_container: str
    pagination_current: str
    pagination_gap: str
    pagination_labels: str
    pagination_twice: bool
    sidebar_tag: str
    date_pieces: bool = False
    fact_separator: str = ""
    name_joiners: bool = False
    byline_no_by: bool = False
    title_link_date: bool = False
    read_more: str = ""
    image_placeholder: str = ""
    portraits: bool = False

    @property
    def wrappers(self) -> dict[str, int]:
        return dict(self.field_wrappers)

    @property
    def title_is_heading(self) -> bool:
        return self.title_tag in HEADINGS

    @property
    def list_grid(self) -> bool:
        return self.grid_tag in ("ul", "ol")

    @property
    def tile_tag(self) -> str:
        """Outer element of promo / offsite / newsletter tiles."""
        return "div" if self.card_tag == "a" else self.card_tag

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """(card tag, title tag, link placement, byline form, date format)."""
        return (self.card_tag, self.title_tag, self.link, self.byline_form, self.date_format)


def _weighted(rng: random.Random, options: tuple[str, ...], weights: tuple[int, ...]) -> str:
    return rng.choices(options, weights=weights, k=1)[0]


def _draw(seed: int) -> Template:
    rng = random.Random(f"template:{seed}")
    grid_tag = _weighted(rng, GRID_TAGS, GRID_WEIGHTS)
    list_grid = grid_tag in ("ul", "ol")
    link = _weighted(rng, LINK_PLACEMENTS, LINK_WEIGHTS)
    if list_grid and link == "card":
        link = "card_child"  # a list's children must be <li>
    card_choice = rng.choice(CARD_TAGS)
    card_tag = "li" if list_grid else ("a" if link == "card" else card_choice)
    if link in ("title_text", "image_and_title"):
        title_tag = _weighted(rng, TITLE_TAGS, TITLE_WEIGHTS)
    else:
        title_tag = _weighted(rng, HEADINGS, TITLE_WEIGHTS[:6])
    row_choice = rng.choice((0, 0, 2, 3, 4))
    row_size = 0 if list_grid else row_choice
    card_wrappers = rng.randint(0, 3)
    byline_position = rng.choice(BYLINE_POSITIONS)
    base = ["image", "meta", "title", "excerpt"]
    rng.shuffle(base)
    if byline_position == "before_title":
        base.insert(base.index("title"), "byline")
    elif byline_position == "after_title":
        base.insert(base.index("title") + 1, "byline")
    elif byline_position == "before_excerpt":
        base.insert(base.index("excerpt"), "byline")
    elif byline_position == "after_excerpt":
        base.insert(base.index("excerpt") + 1, "byline")
    field_wrappers = tuple((name, rng.randint(0, 2)) for name in FIELDS)
    if byline_position == "beside_date":
        field_wrappers = tuple((n, 0 if n == "byline" else w) for n, w in field_wrappers)
    meta_order = rng.choice(("category_date", "date_category"))
    category_forms = ("label", "none") if link in CARD_LINKS else CATEGORY_FORMS
    category_form = rng.choice(category_forms)
    date_format = rng.choice(DATE_FORMATS)
    date_element = rng.choice(("time", "span"))
    reading_time = rng.random() < 0.4
    forms = BYLINE_FORMS
    if byline_position == "beside_date":
        forms = tuple(f for f in forms if f != "list")
    if link in CARD_LINKS:
        forms = tuple(f for f in forms if f not in ("links", "text_links"))
    byline_form = rng.choice(forms)
    beside = byline_position == "beside_date"
    byline_prefix = "By " if byline_form in ("text", "text_links") and not beside else ""
    separator = rng.choice(BYLINE_SEPARATORS)
    image_form = rng.choice(IMAGE_FORMS)
    excerpt_tag = rng.choice(("p", "div"))
    pagination_container = rng.choice(("nav_ul", "div"))
    pagination_current = rng.choice(("aria", "strong", "span"))
    pagination_gap = rng.choice(("\u2026", "..."))
    pagination_labels = rng.choice(tuple(PAGINATION_LABELS))
    pagination_twice = rng.random() < 0.5
    sidebar_tag = rng.choice(("aside", "div", "section"))
    grid_id = f"{rng.choice('bcdfghjkmnpqrstvwxz')}{rng.getrandbits(36):09x}"
    reading = _reading_choices(seed, link, byline_form, byline_position) if seed >= READING_SEED else {}
    if reading.get("byline_no_by"):
        byline_prefix = ""
    return Template(
        seed=seed,
        grid_tag=grid_tag,
        grid_id=grid_id,
        row_size=row_size,
        card_tag=card_tag,
        card_wrappers=card_wrappers,
        order=tuple(base),
        field_wrappers=field_wrappers,
        title_tag=title_tag,
        link=link,
        meta_order=meta_order,
        category_form=category_form,
        date_format=date_format,
        date_element=date_element,
        reading_time=reading_time,
        byline_position=byline_position,
        byline_form=byline_form,
        byline_prefix=byline_prefix,
        byline_separator=separator if beside else "",
        image_form=image_form,
        excerpt_tag=excerpt_tag,
        pagination_container=pagination_container,
        pagination_current=pagination_current,
        pagination_gap=pagination_gap,
        pagination_labels=pagination_labels,
        pagination_twice=pagination_twice,
        sidebar_tag=sidebar_tag,
        **reading,
    )


def _reading_choices(seed: int, link: str, byline_form: str, byline_position: str) -> dict:
    """The choices of what real themes print (see READING_SEED), from a stream of their own."""
    rng = random.Random(f"template-reading:{seed}")
    return {
        "date_pieces": rng.random() < 0.4,
        "fact_separator": rng.choice(FACT_SEPARATORS),
        "name_joiners": byline_form == "spans" and rng.random() < 0.6,
        "portraits": byline_form == "spans" and rng.random() < 0.3,
        "byline_no_by": byline_form in ("text", "text_links") and byline_position != "beside_date"
                        and rng.random() < 0.6,
        "title_link_date": link in ("title_text", "image_and_title") and byline_position != "beside_date"
                           and rng.random() < 0.5,
        "read_more": rng.choice(READ_MORE_LINKS) if link not in CARD_LINKS else "",
        "image_placeholder": rng.choice(IMAGE_PLACEHOLDERS),
    }


_CACHE: dict[int, Template] = {}


def template_for(seed: int) -> Template:
    """The template of *seed* (deterministic, cached)."""
    seed = int(seed)
    tpl = _CACHE.get(seed)
    if tpl is None:
        tpl = _CACHE[seed] = _draw(seed)
    return tpl


_LINK_TEXT = {
    "card": "the card element itself is <a href=post>",
    "card_child": "<a href=post> is the card's only child and wraps everything",
    "title_text": "wraps the title text inside the title element",
    "heading": "wraps the title element",
    "image": "wraps the image (empty placeholder link with aria-label when a post has no image)",
    "overlay_first": "empty overlay <a aria-label=title>, first child of the card",
    "overlay_last": "empty overlay <a aria-label=title>, last child of the card",
    "image_and_title": "wraps the image AND the title text",
}
_BYLINE_TEXT = {
    "spans": "one <span> per author",
    "list": "<ul> with one <li> per author",
    "links": "one <a href=/blog/author/<slug>> per author",
    "text": "text 'A, B and C'",
    "text_links": "'A, B and C' with each name an author link",
}
_DATE_TEXT = {"long": "February 7, 2023", "short": "Feb 7, 2023", "day_month": "7 February 2023",
              "iso": "2023-02-07"}
_IMAGE_TEXT = {
    "plain": "<img src=original>",
    "next": "Next.js proxy /_next/image?url=<percent-encoded original>&w=3840&q=75 + srcset",
    "cdn": "/cdn-cgi/image/width=800,quality=75/<original>",
    "lazy": "lazy <img src=data:image/gif... data-src=original>",
    "picture": "<picture><source srcset='<original> 1x'><img src=original></picture>",
}


def describe(seed: int) -> str:
    """Human-readable account of the template of *seed* (for failure messages)."""
    t = template_for(seed)
    w = t.wrappers
    rows = f"rows of {t.row_size} <div>" if t.row_size else "no row wrappers"
    fields_text = " > ".join(f"{f}({w[f]} wrapper{'s' if w[f] != 1 else ''})" if w[f] else f for f in t.order)
    category = {"link_category": "link to /blog/<cat>", "link_blog": "link to /blog",
                "label": "<span> label", "none": "absent"}[t.category_form]
    date = f"'{_DATE_TEXT[t.date_format]}' in <{t.date_element}>" + (
        ' with datetime="YYYY-MM-DD"' if t.date_element == "time" else "")
    byline = f"{t.byline_position}, {_BYLINE_TEXT[t.byline_form]}"
    if t.byline_prefix:
        byline += f", prefix {t.byline_prefix!r}"
    if t.byline_separator:
        byline += f", after the date and {t.byline_separator!r}"
    prev_text, next_text, _, _ = PAGINATION_LABELS[t.pagination_labels]
    lines = [
        f"template {t.seed} (random.Random('template:{t.seed}')), key {t.key}",
        f"  grid: <{t.grid_tag} id={t.grid_id!r}>, {rows}, cards <{t.card_tag}> "
        f"with {t.card_wrappers} inner wrapper <div>(s)",
        f"  fields: {fields_text}",
        f"  title: <{t.title_tag}>; post link {_LINK_TEXT[t.link]}",
        f"  meta: {t.meta_order}; category {category}; date {date}"
        + ("; 'N min read'" if t.reading_time else ""),
        f"  byline: {byline}",
        f"  image: {_IMAGE_TEXT[t.image_form]}; excerpt <{t.excerpt_tag}>",
        f"  pagination: {t.pagination_container}, current {t.pagination_current}, gap {t.pagination_gap!r}, "
        f"labels {prev_text!r}/{next_text!r}, {'above and below' if t.pagination_twice else 'below only'} the grid",
        f"  popular_sidebar container: <{t.sidebar_tag}>",
    ]
    reading = {name: getattr(t, name) for name in _READING_FIELDS if getattr(t, name)}
    if reading:
        lines.append(f"  as real themes print: {reading}")
    return "\n".join(lines)


_READING_FIELDS = ("date_pieces", "fact_separator", "name_joiners", "byline_no_by", "title_link_date", "read_more",
                   "image_placeholder", "portraits")


def field_names() -> tuple[str, ...]:
    """Names of the Template fields, in declaration order."""
    return tuple(f.name for f in fields(Template))
