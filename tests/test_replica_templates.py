"""Tests of the replica's generated card templates, traps and fault pages.

Everything here parses pages with plain lxml (and parsel where the point is
what Scrapy's selector sees); nothing imports kongblog.  The generated-markup
parser below KNOWS the template (it reads the ``Template`` fields), which is
how it proves that every template renders the ground truth unambiguously.
"""

from __future__ import annotations

import http.client
import re
import socket
import urllib.robotparser
from datetime import date
from functools import lru_cache
from urllib.parse import parse_qs, quote, unquote, urljoin, urlsplit, urlunsplit

import lxml.html
import pytest

from replica import ReplicaOptions, ReplicaServer, Site, expected_articles, expected_items
from replica.layout import pagination_entries
from replica.templates import (
    BYLINE_FORMS,
    BYLINE_POSITIONS,
    CATEGORY_FORMS,
    DATE_FORMATS,
    FIELDS,
    IMAGE_FORMS,
    LINK_PLACEMENTS,
    PAGINATION_LABELS,
    TITLE_TAGS,
    Template,
    describe,
    template_for,
)
from tests.support.browser import rendered_html

BASE = "http://127.0.0.1:8000"
CAT = "/blog/engineering"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
TRAPS = ("far_links", "popular_sidebar", "featured_hero", "newsletter_card", "author_avatars")
MARKUP_CASES = [("utility", 0), ("semantic", 0), ("generated", 3), ("generated", 11), ("generated", 26)]


# --------------------------------------------------------------------------
# helpers


def collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def listing_path(page: int) -> str:
    return CAT if page == 1 else f"{CAT}/page/{page}"


def clean_url(page_url: str, href: str) -> str:
    parts = urlsplit(urljoin(page_url, href))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def is_post_url(url: str, base: str = BASE) -> bool:
    parts = urlsplit(url)
    return (f"{parts.scheme}://{parts.netloc}" == base and re.fullmatch(f"{CAT}/[^/]+", parts.path) is not None
            and not parts.path.startswith(f"{CAT}/page"))


def post_links(el, page_url: str, base: str = BASE) -> list[str]:
    """Distinct post URLs (query/fragment removed) in document order."""
    out: list[str] = []
    for href in el.xpath(".//a/@href" if el.tag != "a" else "./@href | .//a/@href"):
        url = clean_url(page_url, href)
        if is_post_url(url, base) and url not in out:
            out.append(url)
    return out


def parse(body: bytes):
    return lxml.html.fromstring(body)


@lru_cache(maxsize=8)
def truth(**changes) -> tuple[dict, ...]:
    return tuple(expected_items(BASE, **changes))


def truth_by_page(items) -> dict[int, list[dict]]:
    pages: dict[int, list[dict]] = {}
    for item in items:
        pages.setdefault(item["listing_page"], []).append(item)
    return pages


def site(**changes) -> Site:
    return Site(ReplicaOptions(**changes), BASE)


def body_of(s: Site, page: int) -> bytes:
    resp = s.respond(listing_path(page))
    assert resp.status == 200
    return resp.body


def iso_of(text: str, fmt: str) -> str:
    if fmt == "iso":
        return date.fromisoformat(text).isoformat()
    if fmt == "long":
        m = re.fullmatch(r"([A-Z][a-z]+) (\d{1,2}), (\d{4})", text)
        month, day, year = MONTHS.index(m.group(1)) + 1, int(m.group(2)), int(m.group(3))
    elif fmt == "short":
        m = re.fullmatch(r"([A-Z][a-z]{2}) (\d{1,2}), (\d{4})", text)
        month, day, year = [x[:3] for x in MONTHS].index(m.group(1)) + 1, int(m.group(2)), int(m.group(3))
    else:
        m = re.fullmatch(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})", text)
        month, day, year = MONTHS.index(m.group(2)) + 1, int(m.group(1)), int(m.group(3))
    return date(year, month, day).isoformat()


def split_names(text: str) -> list[str]:
    """'A, B and C' -> [A, B, C]."""
    text = collapse(text)
    if not text:
        return []
    head, _, last = text.rpartition(" and ")
    return ([n for n in head.split(", ")] if head else []) + [last]


# --------------------------------------------------------------------------
# a parser of generated pages that knows the template


def unwrap(el, n: int, what: str):
    for _ in range(n):
        assert el.tag == "div" and len(el) == 1 and not collapse(el.text), f"{what}: expected a wrapper <div>"
        el = el[0]
    return el


def only_child(el, tag: str, what: str):
    assert len(el) == 1 and el[0].tag == tag, f"{what}: expected one <{tag}> in <{el.tag}>"
    return el[0]


def image_of(el, tpl: Template) -> tuple[str, str | None]:
    """(original URL, alt or None) of an image field element (link removed)."""
    if tpl.image_form == "picture":
        assert el.tag == "picture"
        source, img = el.xpath("./source")[0], el.xpath("./img")[0]
        original = img.get("src")
        assert source.get("srcset") == f"{original} 1x"
    else:
        assert el.tag == "img"
        img, src = el, el.get("src")
        if tpl.image_form == "plain":
            original = src
        elif tpl.image_form == "next":
            assert src.startswith("/_next/image?url=") and src.endswith("&q=75") and img.get("srcset")
            original = parse_qs(urlsplit(src).query)["url"][0]
        elif tpl.image_form == "cdn":
            prefix = "/cdn-cgi/image/width=800,quality=75/"
            assert src.startswith(prefix)
            original = src[len(prefix):]
        else:
            assert src.startswith("data:image/gif;base64,")
            original = img.get("data-src")
    return original, collapse(img.get("alt")) or None


def is_image_slot(el, tpl: Template) -> bool:
    """Whether *el* (a card field, wrappers included) is the image field."""
    for _ in range(tpl.wrappers["image"]):
        if el.tag != "div" or len(el) != 1:
            return False
        el = el[0]
    if tpl.link in ("image", "image_and_title") and el.tag == "a":
        return len(el) == 0 or el[0].tag in ("img", "picture")
    return el.tag in ("img", "picture")


def byline_names(el, tpl: Template) -> list[str]:
    form = tpl.byline_form
    if form == "spans":
        assert el.tag == "div" and all(c.tag == "span" for c in el)
        return [collapse(c.text_content()) for c in el]
    if form == "list":
        assert el.tag == "ul" and all(c.tag == "li" for c in el)
        return [collapse(c.text_content()) for c in el]
    if form == "links":
        assert el.tag == "div" and all(c.tag == "a" for c in el)
        return [collapse(c.text_content()) for c in el]
    assert el.tag == "p"
    text = collapse(el.text_content())
    assert text.startswith(tpl.byline_prefix)
    names = split_names(text[len(tpl.byline_prefix):])
    if form == "text_links":
        assert [collapse(a.text_content()) for a in el.xpath("./a")] == names
    return names


def parse_meta(el, tpl: Template) -> dict:
    kids = list(el)
    out: dict = {"category": None}
    if tpl.category_form != "none":
        cat = kids.pop(0) if tpl.meta_order == "category_date" else kids.pop()
        want = {"link_category": ("a", CAT), "link_blog": ("a", "/blog"), "label": ("span", None)}[tpl.category_form]
        assert (cat.tag, cat.get("href")) == want
        out["category"] = collapse(cat.text_content())
    date_el = kids.pop(0)
    assert date_el.tag == tpl.date_element
    out["published"] = iso_of(collapse(date_el.text_content()), tpl.date_format)
    if tpl.date_element == "time":
        assert date_el.get("datetime") == out["published"]
    last = date_el
    if tpl.reading_time:
        rt = kids.pop(0)
        assert rt.tag == "span" and re.fullmatch(r"([3-9]|1[0-5]) min read", collapse(rt.text_content()))
        last = rt
    out["authors"] = None
    if tpl.byline_position == "beside_date":
        tail = collapse(last.tail)
        if not tail and not kids:
            out["authors"] = []
        else:
            assert tail.startswith(tpl.byline_separator), tail
            rest = collapse(tail[len(tpl.byline_separator):])
            if tpl.byline_form in ("spans", "links"):
                tag = "span" if tpl.byline_form == "spans" else "a"
                assert not rest and all(k.tag == tag for k in kids)
                out["authors"] = [collapse(k.text_content()) for k in kids]
            elif tpl.byline_form == "text":
                assert not kids
                out["authors"] = split_names(rest)
            else:  # text_links: <a>A</a>, <a>B</a> and <a>C</a>
                assert not rest and all(k.tag == "a" for k in kids)
                names = [collapse(k.text_content()) for k in kids]
                joins = [collapse(k.tail) for k in kids[:-1]]
                assert joins == ([","] * (len(names) - 2) + ["and"] if len(names) > 1 else [])
                out["authors"] = names
            kids = []
    assert not kids, f"unexpected elements in meta: {[k.tag for k in kids]}"
    return out


def parse_card(card, tpl: Template, page_url: str) -> dict | None:
    """The item a card shows, or None for tiles without a post link."""
    if not post_links(card, page_url):
        return None
    hrefs = []
    root = card
    if tpl.link == "card":
        assert card.tag == "a"
        hrefs.append(card.get("href"))
    else:
        assert card.tag == tpl.card_tag
    if tpl.link == "card_child":
        root = only_child(card, "a", "card link")
        hrefs.append(root.get("href"))
    kids = list(root)
    if tpl.link in ("overlay_first", "overlay_last"):
        overlay = kids.pop(0 if tpl.link == "overlay_first" else -1)
        assert overlay.tag == "a" and len(overlay) == 0 and not collapse(overlay.text_content())
        hrefs.append(overlay.get("href"))
        label = overlay.get("aria-label")
    for _ in range(tpl.card_wrappers):
        assert len(kids) == 1 and kids[0].tag == "div", "card wrapper"
        kids = list(kids[0])
    order = list(tpl.order)
    # a post without image has no image slot (unless the placeholder link), one without authors no byline
    candidates = []
    for has_image in (True, False):
        for has_byline in (True, False):
            fields = [f for f in order if (f != "image" or has_image) and (f != "byline" or has_byline)]
            if len(fields) == len(kids) and (not has_image or is_image_slot(kids[fields.index("image")], tpl)) and (
                has_image or "image" not in order or not any(is_image_slot(k, tpl) for k in kids)
            ):
                candidates.append(fields)
    assert len(candidates) >= 1, f"cannot map {[k.tag for k in kids]} onto {order}"
    fields = candidates[0]
    slots = {name: unwrap(el, tpl.wrappers[name], name) for name, el in zip(fields, kids, strict=True)}
    item: dict = {"image_url": None, "image_alt": None, "authors": []}
    # title (and its link)
    el = slots["title"]
    if tpl.link == "heading":
        assert el.tag == "a"
        hrefs.append(el.get("href"))
        el = only_child(el, tpl.title_tag, "title")
    assert el.tag == tpl.title_tag
    if tpl.link in ("title_text", "image_and_title"):
        a = only_child(el, "a", "title link")
        assert not collapse(el.text) and not collapse(a.tail)
        hrefs.append(a.get("href"))
    item["title"] = collapse(el.text_content())
    if tpl.link in ("overlay_first", "overlay_last"):
        assert label == item["title"]
    # image
    if "image" in slots:
        el = slots["image"]
        if tpl.link in ("image", "image_and_title"):
            assert el.tag == "a"
            hrefs.append(el.get("href"))
            el = el[0] if len(el) else None
            if el is None:
                assert tpl.link == "image" and slots["image"].get("aria-label")
        if el is not None:
            item["image_url"], item["image_alt"] = image_of(el, tpl)
    # meta
    meta = parse_meta(slots["meta"], tpl)
    item["published"] = meta["published"]
    item["category"] = meta["category"] or "Engineering"  # no category on the card: truth keeps the name
    if meta["authors"] is not None:
        item["authors"] = meta["authors"]
    if "byline" in slots:
        item["authors"] = byline_names(slots["byline"], tpl)
    # excerpt
    el = slots["excerpt"]
    assert el.tag == tpl.excerpt_tag and len(el) == 0
    text = collapse(el.text_content())
    item["excerpt_truncated"] = text.endswith("\u2026")
    item["excerpt"] = text[:-1].rstrip() if item["excerpt_truncated"] else text
    urls = {clean_url(page_url, h) for h in hrefs}
    assert len(urls) == 1, f"card links to several posts: {urls}"
    item["url"] = urls.pop()
    item["slug"] = unquote(urlsplit(item["url"]).path.rsplit("/", 1)[1])
    item["category_slug"] = "engineering"
    return item


def grid_children(doc, tpl: Template) -> list:
    grid = doc.get_element_by_id(tpl.grid_id)
    assert grid.tag == tpl.grid_tag
    kids = list(grid)
    if not tpl.row_size:
        return kids
    for i, row in enumerate(kids):
        assert row.tag == "div" and (len(row) == tpl.row_size or (i == len(kids) - 1 and 0 < len(row) <= tpl.row_size))
    return [card for row in kids for card in row]


def parse_generated_page(body: bytes, tpl: Template, page: int) -> list[dict]:
    page_url = BASE + listing_path(page)
    items = []
    for card in grid_children(parse(body), tpl):
        assert card.tag in (tpl.card_tag, tpl.tile_tag)
        item = parse_card(card, tpl, page_url)
        if item is None:
            continue
        item.update(listing_page=page, listing_position=len(items) + 1, listing_url=page_url)
        items.append(item)
    return items


def widget_entries(widget, tpl: Template) -> list[tuple[str, str | None, str]]:
    if tpl.pagination_container == "nav_ul":
        assert widget.tag == "nav" and widget.get("aria-label") == "Pagination"
        ul = only_child(widget, "ul", "pagination")
        assert all(li.tag == "li" and len(li) == 1 for li in ul)
        els = [li[0] for li in ul]
    else:
        assert widget.tag == "div"
        els = list(widget)
    return [(collapse(el.text_content()), el.get("href"), el.tag) for el in els]


def expected_widget(tpl: Template, page: int, count: int) -> list[tuple[str, str | None, str]]:
    prev_text, next_text, _, _ = PAGINATION_LABELS[tpl.pagination_labels]
    current_tag = "strong" if tpl.pagination_current == "strong" else "span"
    out = []
    for kind, text, target in pagination_entries(page, count):
        if kind == "gap":
            out.append((tpl.pagination_gap, None, "span"))
        elif kind == "current":
            out.append((text, None, current_tag))
        else:
            label = prev_text if text.startswith("\u2039") else next_text if text.startswith("Next") else text
            out.append((label, listing_path(target), "a"))
    return out


def _covering_seeds(base: int = 8) -> list[int]:
    """Seeds 0..base-1 plus, for every value of the enumerated Template fields
    that these miss, the first seed that has it."""
    seeds = list(range(base))
    wanted = {
        "link": LINK_PLACEMENTS, "title_tag": TITLE_TAGS, "byline_form": BYLINE_FORMS,
        "byline_position": BYLINE_POSITIONS, "category_form": CATEGORY_FORMS, "date_format": DATE_FORMATS,
        "image_form": IMAGE_FORMS, "card_tag": ("article", "div", "section", "li", "a"),
        "grid_tag": ("div", "section", "ul", "ol"), "row_size": (0, 2, 3, 4), "card_wrappers": (0, 1, 2, 3),
        "pagination_labels": tuple(PAGINATION_LABELS), "pagination_current": ("aria", "strong", "span"),
        "pagination_container": ("nav_ul", "div"), "date_element": ("time", "span"), "reading_time": (True, False),
    }
    for name, values in wanted.items():
        for value in values:
            if any(getattr(template_for(s), name) == value for s in seeds):
                continue
            seeds.append(next(s for s in range(base, 5000) if getattr(template_for(s), name) == value))
    return seeds


RENDER_SEEDS = _covering_seeds()


# --------------------------------------------------------------------------
# templates


def test_templates_are_deterministic_and_differ():
    assert template_for(5) == template_for(5) and describe(5) == describe(5)
    assert template_for(5) != template_for(6)
    keys = {template_for(seed).key for seed in range(40)}
    assert len(keys) >= 30, keys  # (card tag, title tag, link placement, byline form, date format)
    assert "template 7" in describe(7) and template_for(7).grid_id in describe(7)
    a = site(markup="generated", template_seed=8, pages=3)
    b = site(markup="generated", template_seed=8, pages=3)
    c = site(markup="generated", template_seed=9, pages=3)
    assert body_of(a, 2) == body_of(b, 2) != body_of(c, 2)
    assert a.expected_items() == c.expected_items() == expected_items(BASE, pages=3)


# The template rules guard the replica, not kongblog: 20 seeds draw every choice often enough
# (test_render_seeds_cover_every_choice checks that the rendered ones cover each value).
@pytest.mark.parametrize("seed", range(20))
def test_template_rules(seed):
    t = template_for(seed)
    assert sorted(t.order) == sorted(f for f in FIELDS if f != "byline" or t.byline_position != "beside_date")
    assert [f for f, _ in t.field_wrappers] == list(FIELDS) and all(0 <= n <= 2 for _, n in t.field_wrappers)
    assert 0 <= t.card_wrappers <= 3 and t.row_size in (0, 2, 3, 4)
    assert (t.card_tag == "li") == (t.grid_tag in ("ul", "ol"))
    assert (t.card_tag == "a") == (t.link == "card")
    if t.grid_tag in ("ul", "ol"):
        assert t.row_size == 0
    if t.title_tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
        assert t.link in ("title_text", "image_and_title")
    if t.link in ("card", "card_child"):  # no nested links
        assert t.category_form in ("label", "none") and t.byline_form in ("spans", "list", "text")
    if t.byline_position == "beside_date":
        assert t.byline_form != "list" and t.byline_separator in ("\u00b7", "|", "\u2013") and t.byline_prefix == ""
    else:
        assert t.byline_separator == ""
        assert t.byline_prefix == ("By " if t.byline_form in ("text", "text_links") else "")
    neighbour = {  # byline position -> (offset from the byline, field found there)
        "before_title": (1, "title"), "after_title": (-1, "title"),
        "before_excerpt": (1, "excerpt"), "after_excerpt": (-1, "excerpt"),
    }
    if t.byline_position in neighbour:
        offset, name = neighbour[t.byline_position]
        assert t.order[t.order.index("byline") + offset] == name


def test_render_seeds_cover_every_choice():
    used = {name: {getattr(template_for(s), name) for s in RENDER_SEEDS} for name in ("link", "title_tag", "image_form")}
    assert used["link"] == set(LINK_PLACEMENTS)
    assert used["title_tag"] == set(TITLE_TAGS)
    assert used["image_form"] == set(IMAGE_FORMS)
    assert len(RENDER_SEEDS) == len(set(RENDER_SEEDS)) >= 8


@pytest.mark.parametrize("seed", RENDER_SEEDS)
def test_generated_template_renders_the_truth(seed):
    tpl = template_for(seed)
    s = site(markup="generated", template_seed=seed)
    want = truth_by_page(truth())
    assert s.expected_items() == list(truth())
    for page in range(1, 21):
        body = body_of(s, page)
        got = parse_generated_page(body, tpl, page)
        assert got == want[page], f"page {page}\n{describe(seed)}"
        doc = parse(body)
        text = collapse(doc.text_content())
        assert "Engineering" in [collapse(h.text_content()) for h in doc.xpath("//h1")]
        assert "See AI Gateway in Action" in text and "/private/x" in doc.xpath("//a/@href")
        for script in doc.xpath("//script"):
            assert "alert(1)" not in (script.text or "")
        grid = doc.get_element_by_id(tpl.grid_id)
        widgets = [grid.getnext()] + ([grid.getprevious()] if tpl.pagination_twice else [])
        assert len(doc.xpath("//*[@aria-current='page']")) == (
            (2 if tpl.pagination_twice else 1) if tpl.pagination_current == "aria" else 0
        ) + 1  # + the breadcrumb
        for widget in widgets:
            assert widget_entries(widget, tpl) == expected_widget(tpl, page, 20), describe(seed)
        if not tpl.pagination_twice:
            assert grid.getprevious() is None or not grid.getprevious().xpath(f".//a[@href='{listing_path(20)}']")


@pytest.mark.parametrize("seed", RENDER_SEEDS[:6])
def test_generated_broken_pages_recover_the_same_cards(seed):
    s = site(markup="generated", template_seed=seed, broken_html_pages={1, 11})
    want = truth_by_page(truth())
    for page in (1, 11):
        body = body_of(s, page)
        assert b"</div></div></span>" in body and not body.rstrip().endswith(b"</html>")
        assert parse_generated_page(body, template_for(seed), page) == want[page], describe(seed)


def test_generated_markup_escapes_like_the_other_markups():
    s = site(markup="generated", template_seed=4)
    raw1 = body_of(s, 1).decode("utf-8")
    assert "Kong &amp; Kubernetes" in raw1
    assert "&#8220;Zero Trust&#8221; Isn&#8217;t" in raw1 and "with&nbsp;Pongo" in raw1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw1 and "<script>alert(1)" not in raw1
    assert "&hellip;" in body_of(s, 10).decode("utf-8") and "\u2026" in body_of(s, 11).decode("utf-8")


def test_class_soup_and_ids_carry_no_meaning():
    # ("grid" is a Tailwind layout utility in the soup, like in the utility markup)
    forbidden = ("card", "post", "title", "excerpt", "author", "date", "byline", "teaser", "entry", "thumb",
                 "meta", "avatar", "news", "feature", "popular", "hero", "replica")
    for seed in (0, 3, 11):
        doc = parse(body_of(site(markup="generated", template_seed=seed, traps=TRAPS), 1))
        for value in doc.xpath("//@class") + doc.xpath("//@id"):
            for token in value.split():
                assert not any(word in token.lower() for word in forbidden), token


def test_generated_pages_are_lazy_and_cached():
    big = site(markup="generated", template_seed=2, pages=2000)
    body = body_of(big, 1999)
    assert len(parse_generated_page(body, template_for(2), 1999)) == 15
    assert body_of(big, 1999) is body
    # Counted, not timed: one page rendered (lazy), once (cached); 15 posts built of the 30,000.
    rendered = big._listing.cache_info()
    assert (rendered.misses, rendered.hits, rendered.currsize) == (1, 1, 1)
    assert big.blog.post_at.cache_info().misses <= 15 + 15


def test_generated_js_page_carries_the_same_cards():
    import json

    from replica.markup import DATA_ID

    tpl = template_for(11)
    s = site(markup="generated", template_seed=11, js_pages={2})
    doc = parse(body_of(s, 2))
    assert post_links(doc, BASE + listing_path(2)) == []
    data = json.loads(doc.xpath(f"//script[@id='{DATA_ID}']")[0].text)
    cards = [c["html"] for c in data["cards"]]
    normal = body_of(site(markup="generated", template_seed=11), 2).decode("utf-8")
    assert all(card in normal for card in cards)
    assert f"getElementById('{tpl.grid_id}')" in body_of(s, 2).decode("utf-8")


def test_generated_js_page_with_rows_renders_in_a_browser():
    seed = next(s for s in range(100) if template_for(s).row_size == 3)
    tpl = template_for(seed)
    with ReplicaServer(markup="generated", template_seed=seed, js_pages={2}, pages=3) as server:
        html = rendered_html(server.base_url + listing_path(2))
    want = [dict(i, listing_url=BASE + listing_path(2)) for i in truth(pages=3) if i["listing_page"] == 2]
    got = parse_generated_page(html.encode(), tpl, 2)
    base = server.base_url
    assert [dict(i, url=i["url"].replace(base, BASE)) for i in got] == want


# --------------------------------------------------------------------------
# traps


def all_traps_site(markup: str, seed: int, **changes) -> Site:
    return site(markup=markup, template_seed=seed, traps=",".join(TRAPS), **changes)


def grid_of(doc, markup: str, seed: int):
    if markup == "generated":
        return doc.get_element_by_id(template_for(seed).grid_id)
    return doc.get_element_by_id("__replica_grid")


def test_traps_do_not_change_the_truth():
    for markup, seed in MARKUP_CASES:
        assert all_traps_site(markup, seed).expected_items() == list(truth())
    with pytest.raises(ValueError):
        ReplicaOptions(traps="far_links,fake_trap")


@pytest.mark.parametrize("markup,seed", MARKUP_CASES)
def test_far_links_trap(markup, seed):
    s = site(markup=markup, template_seed=seed, traps="far_links")
    doc = parse(body_of(s, 4))
    archive = doc.xpath("//header//nav//a[normalize-space()='Archive']")
    assert [a.get("href") for a in archive] == [f"{CAT}/page/999"]
    older = doc.xpath("//footer//a[normalize-space()='Older stories']")
    assert [a.get("href") for a in older] == [f"{CAT}/page/500"]
    assert s.respond(f"{CAT}/page/999").status == 404 and s.respond(f"{CAT}/page/500").status == 404
    robots = s.respond("/robots.txt").body.decode()
    assert f"Disallow: {CAT}/page/999\n" in robots
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(robots.splitlines())
    from protego import Protego

    pg = Protego.parse(robots)
    for n, allowed in ((999, False), (99, True), (9990, True), (500, True), (4, True)):
        url = BASE + f"{CAT}/page/{n}"
        assert rp.can_fetch("*", url) is allowed and pg.can_fetch(url, "Scrapy") is allowed, n


@pytest.mark.parametrize("markup,seed", MARKUP_CASES)
def test_popular_sidebar_trap(markup, seed):
    s = all_traps_site(markup, seed)
    items = truth()
    by_url = {i["url"]: i for i in items}
    for page in (1, 2, 11):
        doc = parse(body_of(s, page))
        heading = doc.xpath("//*[self::h2 or self::h3][normalize-space()='Popular posts']")
        assert len(heading) == 1
        box = heading[0].getparent()
        want_tag = template_for(seed).sidebar_tag if markup == "generated" else "aside"
        assert box.tag == want_tag
        grid = grid_of(doc, markup, seed)
        assert grid not in box.iterancestors() and box not in grid.iterancestors()
        assert list(box.iterdescendants()).count(grid) == 0
        order = list(doc.iter())
        assert order.index(box) < order.index(grid)
        links = box.xpath(".//a")
        assert len(links) == 5 and not box.xpath(".//img")
        urls = [clean_url(BASE + listing_path(page), a.get("href")) for a in links]
        assert len(set(urls)) == 5
        for a, url in zip(links, urls):
            item = by_url[url]
            assert collapse(a.text_content()) == item["title"]
            assert item["listing_page"] == 19 > page  # listed in full on a later page
            li_text = collapse(a.getparent().text_content())
            assert item["excerpt"][:40] not in li_text
            y, m, d = map(int, item["published"].split("-"))
            assert str(y) in li_text and str(d) in li_text


@pytest.mark.parametrize("markup,seed", MARKUP_CASES)
def test_featured_hero_trap(markup, seed):
    s = all_traps_site(markup, seed)
    target = next(i for i in truth() if (i["listing_page"], i["listing_position"]) == (3, 4))
    doc = parse(body_of(s, 1))
    grid = grid_of(doc, markup, seed)
    # (the header has its own "Read more" link, to a news post)
    read_more = [a for a in doc.xpath("//a[normalize-space()='Read more']")
                 if is_post_url(clean_url(BASE + CAT, a.get("href")))]
    assert len(read_more) == 1
    assert clean_url(BASE + CAT, read_more[0].get("href")) == target["url"]
    hero = read_more[0]
    while "Featured" not in collapse("".join(hero.itertext())) or not hero.xpath(".//h1|.//h2"):
        hero = hero.getparent()
    assert grid not in hero.iterancestors() and grid not in hero.iterdescendants()
    order = list(doc.iter())
    assert order.index(hero) < order.index(grid)
    heading = hero.xpath(".//h1|.//h2")
    assert len(heading) == 1 and collapse(heading[0].text_content()) == target["title"]
    assert [clean_url(BASE + CAT, h) for h in heading[0].xpath(".//a/@href")] == [target["url"]]
    text = collapse(hero.text_content())
    assert target["excerpt"] in text and "Engineering" in text
    for author in target["authors"]:
        assert author in text
    y, m, d = map(int, target["published"].split("-"))
    assert f"{MONTHS[m - 1]} {d}, {y}" in text
    if target["image_url"]:
        assert target["image_url"] in hero.xpath(".//img/@src")
    # page 3 lists the same post in full; no other page has a hero
    assert target["url"] in post_links(grid_of(parse(body_of(s, 3)), markup, seed), BASE + listing_path(3))
    assert not [a for a in parse(body_of(s, 2)).xpath("//a[normalize-space()='Read more']")
                if is_post_url(clean_url(BASE + CAT, a.get("href")))]
    assert "Featured" not in parse(body_of(s, 2)).xpath("//section/@aria-label")


@pytest.mark.parametrize("markup,seed", MARKUP_CASES)
def test_newsletter_card_trap(markup, seed):
    s = all_traps_site(markup, seed)
    want = truth_by_page(truth())
    for page in (1, 2, 13):
        page_url = BASE + listing_path(page)
        doc = parse(body_of(s, page))
        grid = grid_of(doc, markup, seed)
        heading = grid.xpath(".//*[normalize-space()='Get the Kong newsletter']")
        assert len(heading) == 1
        tile = heading[0]
        while tile.getparent() is not grid and tile.getparent().getparent() is not grid:
            tile = tile.getparent()
        if tile.getparent() is not grid and (markup != "generated" or not template_for(seed).row_size):
            tile = tile.getparent()
        if markup == "generated":
            assert tile.tag == template_for(seed).tile_tag
            kids = grid_children(doc, template_for(seed))
        else:
            assert tile.tag == {"utility": "div", "semantic": "article"}[markup]
            kids = list(grid)
        assert tile in kids
        assert not post_links(tile, page_url) and not tile.xpath(".//a")
        form = tile.xpath(".//form")
        assert len(form) == 1 and form[0].get("action") == "/newsletter/subscribe" and form[0].get("method") == "post"
        assert form[0].xpath(".//input[@type='email'][@name='email']") and form[0].xpath(".//button")
        # after the 3rd post card
        before = kids[: kids.index(tile)]
        assert sum(1 for k in before if post_links(k, page_url)) == 3
        assert post_links(grid, page_url) == [i["url"] for i in want[page]]


@pytest.mark.parametrize("markup,seed", MARKUP_CASES)
def test_author_avatars_trap(markup, seed):
    s = all_traps_site(markup, seed)
    want = truth_by_page(truth())
    for page in (1, 2):
        page_url = BASE + listing_path(page)
        doc = parse(body_of(s, page))
        grid = grid_of(doc, markup, seed)
        if markup == "generated":
            cards = [c for c in grid_children(doc, template_for(seed)) if post_links(c, page_url)]
        else:
            cards = [c for c in grid if post_links(c, page_url)]
        assert len(cards) == len(want[page])
        for card, item in zip(cards, want[page]):
            avatars = card.xpath(".//img[starts-with(@src, '/avatars/')]")
            assert [a.get("alt") for a in avatars] == item["authors"]
            for img, name in zip(avatars, item["authors"]):
                assert img.get("width") == "32" and img.get("height") == "32"
                assert img.get("src") == f"/avatars/{slug_of(name)}.png"
                if img.getparent().tag == "a":
                    assert img.getparent().get("href") == f"/blog/author/{slug_of(name)}"
            covers = [i for i in card.xpath(".//img") if not i.get("src").startswith("/avatars/")]
            assert bool(covers) == (item["image_url"] is not None)
    with_avatar_only = [i for i in want[1] if i["authors"] and i["image_url"] is None]
    assert with_avatar_only  # cards whose only image is an avatar; truth image_url stays None
    with ReplicaServer(markup=markup, template_seed=seed, traps="author_avatars", pages=1) as server:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
        conn.request("GET", "/avatars/jose-muller.png")
        resp = conn.getresponse()
        assert resp.status == 200 and resp.getheader("Content-Type") == "image/png"
        assert resp.read().startswith(b"\x89PNG")
        conn.close()


def slug_of(name: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")


def test_every_author_page_a_card_can_link_is_served():
    s = site(markup="semantic", offsite_link=4)
    doc = parse(body_of(s, 4))
    hrefs = set(doc.xpath("//a[starts-with(@href, '/blog/author/')]/@href"))
    assert "/blog/author/guest-author" in hrefs
    for href in hrefs:
        assert s.respond(href).status == 200, href


# --------------------------------------------------------------------------
# fault pages


def test_disallowed_pages_robots_and_truth():
    from protego import Protego

    s = site(disallowed_pages={7, 2})
    robots = s.respond("/robots.txt").body.decode()
    lines = robots.splitlines()
    assert lines[0] == "User-agent: *"
    for n in (2, 7):
        assert f"Disallow: {CAT}/page/{n}" in lines
        guards = [f"Allow: {CAT}/page/{n}{d}" for d in range(10)]
        assert all(g in lines for g in guards)
        assert max(lines.index(g) for g in guards) < lines.index(f"Disallow: {CAT}/page/{n}") < lines.index(
            "Allow: /blog/")
    assert "Disallow: /search" in lines and "Disallow: /private/" in lines
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(lines)
    pg = Protego.parse(robots)
    for n in (1, 2, 3, 7, 8, 17, 20, 21, 27, 70, 71, 79, 700, 200):
        url = BASE + listing_path(n)
        blocked = n in (2, 7)
        assert rp.can_fetch("*", url) is not blocked, n
        assert pg.can_fetch(url, "Scrapy/2.19 (+https://scrapy.org)") is not blocked, n
    assert not rp.can_fetch("*", BASE + f"{CAT}/page/7?utm_source=x")
    assert not pg.can_fetch(BASE + f"{CAT}/page/7?utm_source=x", "*")
    assert rp.can_fetch("*", BASE + f"{CAT}/some-post") and pg.can_fetch(BASE + f"{CAT}/some-post", "*")
    # the pages still answer, with their cards; their posts leave the truth
    doc = parse(body_of(s, 7))
    assert len(post_links(doc, BASE + listing_path(7))) == 15
    items = s.expected_items()
    assert len(items) == 270 and {i["listing_page"] for i in items} == set(range(1, 21)) - {2, 7}
    assert [i for i in items if i["listing_page"] == 8] == [i for i in truth() if i["listing_page"] == 8]


def test_disallowed_pages_rules_stay_exact_for_prefix_pages():
    from protego import Protego

    s = site(pages=80, disallowed_pages={7, 70})
    robots = s.respond("/robots.txt").body.decode()
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(robots.splitlines())
    pg = Protego.parse(robots)
    for n in range(1, 81):
        url = BASE + listing_path(n)
        blocked = n in (7, 70)
        assert rp.can_fetch("*", url) is not blocked and pg.can_fetch(url, "*") is not blocked, n
    for n in (700, 701, 7000):
        url = BASE + f"{CAT}/page/{n}"
        assert rp.can_fetch("*", url) and pg.can_fetch(url, "*"), n


def test_scrapy_default_robots_parser_blocks_exactly_the_page():
    from scrapy.robotstxt import ProtegoRobotParser
    from scrapy.settings.default_settings import ROBOTSTXT_PARSER

    assert ROBOTSTXT_PARSER == "scrapy.robotstxt.ProtegoRobotParser"
    body = site(disallowed_pages={7}).respond("/robots.txt").body
    parser = ProtegoRobotParser(body, None)
    assert not parser.allowed(BASE + f"{CAT}/page/7", "Scrapy")
    assert parser.allowed(BASE + f"{CAT}/page/70", "Scrapy") and parser.allowed(BASE + f"{CAT}/page/17", "Scrapy")


@pytest.mark.parametrize("markup,seed", MARKUP_CASES)
def test_mislabeled_charset_page(markup, seed):
    s = site(markup=markup, template_seed=seed, mislabeled_charset_page=2)
    resp = s.respond(listing_path(2))
    assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        resp.body.decode("utf-8")
    text = resp.body.decode("latin-1")
    assert '<meta charset="utf-8">' in text
    assert "Caf\u00e9 \u00dcber Alles: Building a Proxy Cache That Survives Black Friday" in text
    assert "&#128200;" in text  # the emoji of page 2 survives as a character reference
    doc = lxml.html.fromstring(text)
    titles = collapse(doc.text_content())
    assert "Service Mesh Observability \U0001F4C8 with Kuma and Grafana" in titles
    assert s.expected_items() == list(truth())
    body_of(s, 3).decode("utf-8")  # other pages stay UTF-8
    affected = s.blog.latin1_card_fields(2)
    assert ("cafe-uber-alles-building-a-proxy-cache-that-survives-black-friday", "title") in affected


@pytest.mark.parametrize("markup,seed", MARKUP_CASES)
def test_unicode_slug_page(markup, seed):
    s = site(markup=markup, template_seed=seed, unicode_slug_page=4)
    plain = truth()
    moved = next(i for i in plain if (i["listing_page"], i["listing_position"]) == (3, 15))
    slug = "caf\u00e9-" + moved["slug"]
    encoded = quote(slug)
    assert encoded.startswith("caf%C3%A9-")
    items = s.expected_items()
    assert len(items) == 300
    item = next(i for i in items if (i["listing_page"], i["listing_position"]) == (3, 15))
    assert item["slug"] == slug and item["url"] == f"{BASE}{CAT}/{encoded}"
    assert {k: v for k, v in item.items() if k not in ("slug", "url")} == {
        k: v for k, v in moved.items() if k not in ("slug", "url")}
    assert [i["listing_position"] for i in items if i["listing_page"] == 4] == list(range(2, 17))
    raw3 = body_of(s, 3)
    raw4 = body_of(s, 4)
    assert f'href="{CAT}/{slug}'.encode() in raw3 and encoded.encode() not in raw3
    assert f'href="{CAT}/{encoded}'.encode() in raw4 and slug.encode() not in raw4
    links4 = post_links(parse(raw4), BASE + listing_path(4))
    assert links4[0] == item["url"] and len(links4) == 16
    links3 = post_links(parse(raw3), BASE + listing_path(3))
    assert links3[-1] == f"{BASE}{CAT}/{slug}"
    for path in (f"{CAT}/{slug}", f"{CAT}/{encoded}"):
        resp = s.respond(path)
        assert resp.status == 200 and f"<link rel=\"canonical\" href=\"{item['url']}\">".encode() in resp.body
    assert s.respond(f"{CAT}/{moved['slug']}").status == 404
    articles = expected_articles(BASE, unicode_slug_page=4)
    assert articles[slug]["url"] == item["url"] and moved["slug"] not in articles


def test_unicode_slug_article_over_http_both_forms():
    with ReplicaServer(unicode_slug_page=2, pages=3) as server:
        item = next(i for i in server.expected_items() if i["slug"].startswith("caf\u00e9-"))
        path = urlsplit(item["url"]).path
        conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
        conn.request("GET", path)
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read()
        conn.close()
        raw_path = unquote(path).encode("utf-8")
        with socket.create_connection((server.host, server.port), timeout=10) as sock:
            sock.sendall(b"GET " + raw_path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        assert data.startswith(b"HTTP/1.1 200 ")
        assert server.hits[path] == 1 and server.hits[unquote(path)] == 1  # counted as sent, raw bytes decoded


@pytest.mark.parametrize("markup,seed", MARKUP_CASES)
def test_deep_nesting_page_loses_cards_under_parsel(markup, seed):
    from parsel import Selector

    s = site(markup=markup, template_seed=seed, deep_nesting_page=3)
    body = body_of(s, 3)
    assert body.count(b"<div>" * 2500) == 1 and body.count(b"</div>" * 2500) == 1
    want = [i["url"] for i in truth() if i["listing_page"] == 3]
    sel = Selector(text=body.decode("utf-8"))
    got = []
    for href in sel.xpath("//a/@href").getall():
        url = clean_url(BASE + listing_path(3), href)
        if is_post_url(url) and url not in got:
            got.append(url)
    assert got == want[:7]
    # without the nesting the same parser sees all 15
    full = Selector(text=body_of(site(markup=markup, template_seed=seed), 3).decode("utf-8"))
    assert len({clean_url(BASE, h) for h in full.xpath("//a/@href").getall() if is_post_url(clean_url(BASE + CAT, h))}) == 15
    assert s.expected_items() == list(truth())


@pytest.mark.parametrize("markup,seed", MARKUP_CASES)
def test_looping_script_page(markup, seed):
    s = site(markup=markup, template_seed=seed, looping_script_page=9)
    doc = parse(body_of(s, 9))
    scripts = [collapse(x.text) for x in doc.xpath("//script") if x.text and "for(;;){}" in x.text]
    assert len(scripts) == 1 and "addEventListener('load'" in scripts[0]
    assert post_links(doc, BASE + listing_path(9)) == []
    assert doc.xpath(f"//a[@href='{listing_path(10)}']") and doc.xpath(f"//a[@href='{listing_path(8)}']")
    items = s.expected_items()
    assert len(items) == 285 and 9 not in {i["listing_page"] for i in items}
