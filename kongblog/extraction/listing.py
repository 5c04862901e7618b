"""A listing page: its main listing of post cards, and its pagination; no class name or id is read.

A post may be linked from many places (the listing, a sidebar, a featured hero, a footer), so a
link alone makes no card: each post link is followed up to the largest element about that post
alone (a *mention*); sibling mentions of one tag, and rows of a grid, form groups; the main listing
is the largest group that reads like cards (prose, else dates), of the first page's shape if any.

A post the page shows outside its main listing, as a card of its own (a title and one more field: a
date, a byline, an excerpt or an image), and not in that listing, is kept aside in ``outside`` with
its reading place (the listing's cards before it, plus one): whether it is a post the listing lacks
(Pelican's featured article) or a hero repeating a later page's card, only the whole crawl can tell
(kongblog.progress). At most a handful a page are read, lone cards before lists (a sidebar's).
"""

from __future__ import annotations

from bisect import bisect
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from urllib.parse import urljoin

from lxml import etree

from kongblog.extraction.card import CardReader, RawCard
from kongblog.extraction.links import NO_SLUG, POST, LinkResolver
from kongblog.extraction.markup import HEADINGS, SubtreeText, strip_hidden, tag_of, visible_text
from kongblog.extraction.pagination import Pagination, next_is_page_one, read_pagination
from kongblog.text import DATE_ORDERS, date_in_order, find_date

_SEVERAL = object()  # marks an element holding more than one post's links
_PROSE_CHARS = 40  # a text this long, outside links and headings, is prose: an excerpt
MAX_OUTSIDE = 5  # posts shown outside the main listing read as cards, a page
SCRIPTS = "//script[not(@type) or contains(@type, 'javascript') or @type='module']"
_RUNS_SCRIPTS = etree.XPath(SCRIPTS)
_FEED_LINKS = etree.XPath("//link[contains(@rel, 'alternate')]"
                          "[contains(@type, 'rss+xml') or contains(@type, 'atom+xml')]/@href")


@dataclass
class ListingPage:
    url: str
    number: int
    cards: list[RawCard] = field(default_factory=list)
    pagination: Pagination = field(default_factory=Pagination)
    shape: tuple | None = None  # of the main listing's cards
    mentions_elsewhere: int = 0  # post links outside the main listing (sidebars, heroes)
    outside: list[RawCard] = field(default_factory=list)  # cards of posts shown outside the main listing only
    runs_scripts: bool = False
    feed_url: str | None = None  # the RSS or Atom feed the page links (a second source)
    doubts: list[str] = field(default_factory=list)


@dataclass
class _Group:
    members: list  # (element, post, order) in document order
    shape: tuple

    def share(self, feature) -> float:
        return sum(1 for element, _, _ in self.members if feature(element)) / len(self.members)


def read_listing(
    root, url: str, number: int, shape: tuple | None = None, links: LinkResolver | None = None,
    today: date | None = None,
) -> ListingPage:
    """The listing page ``number`` at ``url``, parsed as ``root``; ``shape`` is the main
    listing's shape on an earlier page, when known; ``links`` the crawl's resolver; ``today`` the UTC date."""
    resolver = (links or LinkResolver(url)).on_page(url)
    page = ListingPage(url, number)
    page.runs_scripts = bool(_RUNS_SCRIPTS(root))  # a page built by JavaScript shows no cards yet
    page.feed_url = next((urljoin(url, href.strip()) for href in _FEED_LINKS(root)), None)  # (in <head>: read first)
    strip_hidden(root)
    shown = shown_links(root, resolver)
    if number == 1 and resolver.second_page == 2 and next_is_page_one(shown):
        resolver.second_page_is(1)
        shown = shown_links(root, resolver)
    page.pagination, widgets = read_pagination(shown, number)
    page.doubts.extend(page.pagination.doubts)
    post_links = [(a, link.post) for a, link in shown if link.kind == POST]
    if no_slug := sorted({link.absolute for _, link in shown if link.kind == NO_SLUG}):
        # (".../guest%5Cpost-1-5" read as ".../guest/post-1-5" once took post-1-5's slug)
        page.doubts.append(f"{len(no_slug)} links where a post's would be have no slug once decoded: {no_slug[0]}")
    if not post_links:
        return page

    def prose(element) -> bool:
        return _has_prose(SubtreeText(element))

    groups = _groups(_mentions(post_links, widgets), {a for a, _ in post_links}, prose)
    main = _main_group(groups, shape, prose, _has_date)
    if shape is not None and main.shape != shape:
        page.doubts.append(f"the main listing's cards are shaped {main.shape}, not {shape} as before")
    page.shape = main.shape
    page.mentions_elsewhere = sum(len(group.members) for group in groups if group is not main)

    seen: set[str] = set()
    page_links = dict(shown)
    orders = []  # of the cards, in document order
    for element, post, order in main.members:
        if post in seen:
            continue
        seen.add(post)
        orders.append(order)
        reader = CardReader(element, post, SubtreeText(element), page_links, resolver.category_slug)
        page.cards.append(reader.read(len(page.cards) + 1))
    page.outside = _shown_outside([g for g in groups if g is not main], seen, orders, page_links, resolver)
    if len(seen) < len(main.members):  # kept once each, but no page lists a post twice by design
        listed = Counter(post for _, post, _ in main.members)
        post, times = listed.most_common(1)[0]
        page.doubts.append(f"{len(main.members)} cards for {len(seen)} distinct posts ({post}: {times} cards)")
    read_numeric_dates(page, today or datetime.now(timezone.utc).date())
    return page


def read_numeric_dates(page: ListingPage, today: date) -> None:
    """The dates of three numbers no card reads alone ("23/10/08": year, day or month first?) read as a person
    reads them, from the whole page: in the one order that makes every such date of the page a day from 1990
    to tomorrow, the page's dates newest first. No order, or several: they stay null, and the page a doubt."""
    if not any(card.date_text and not card.date for card in page.cards):
        return
    fitting = []
    for order in DATE_ORDERS:
        dates = [date_in_order(card.date_text, order, today) if card.date_text else date.fromisoformat(card.date)
                 for card in page.cards if card.date_text or card.date]
        if all(dates) and all(newer >= older for newer, older in zip(dates, dates[1:])):
            fitting.append(order)
    if len(fitting) != 1:
        shown = next(card.date_text for card in page.cards if card.date_text and not card.date)
        page.doubts.append(f"dates such as {shown!r} fit {len(fitting)} orders of year, month and day, not one")
        return
    for card in page.cards:
        if card.date_text and not card.date:
            card.date = date_in_order(card.date_text, fitting[0], today).isoformat()


def _shown_outside(others: list[_Group], listed: set, orders: list, page_links: dict, resolver) -> list[RawCard]:
    """The cards of posts shown outside the main listing and not in it, in document order: the first
    MAX_OUTSIDE such posts, lone mentions first; each placed after the listing's cards before it."""
    first: dict = {}  # post -> (order, element): its first mention, smaller groups first
    for group in sorted(others, key=lambda g: (len(g.members), g.members[0][2])):
        for element, post, order in group.members:
            if post not in listed and post not in first:
                first[post] = (order, element)
    cards = []
    for post, (order, element) in sorted(list(first.items())[:MAX_OUTSIDE], key=lambda entry: entry[1][0]):
        reader = CardReader(element, post, SubtreeText(element), page_links, resolver.category_slug)
        card = reader.read(bisect(orders, order) + 1)
        if card.title and (card.date or card.authors or card.excerpt or card.image_src):  # a card, not a bare link
            cards.append(card)
    return cards


def shown_links(root, resolver: LinkResolver) -> list:
    """(anchor, Link) of every link a reader can see, in document order."""
    resolve = resolver.resolve
    return [(a, resolve(href)) for a in root.iter("a") if (href := a.get("href")) is not None]


def _mentions(post_links: list, widgets: set) -> dict:
    """element -> (post, order): the largest element around each link that is about that post only."""
    holders: dict = {}
    for a, post in post_links:
        for ancestor in a.iterancestors():
            held = holders.get(ancestor)
            if held == post or held is _SEVERAL:
                break  # an earlier walk went on from here
            holders[ancestor] = post if held is None else _SEVERAL
    around_widgets = {ancestor for widget in widgets for ancestor in widget.iterancestors()} | widgets

    def part_of_page(node):
        """The highest element around ``node`` that holds this post's links only."""
        for parent in node.iterancestors():
            if tag_of(parent) in ("body", "html") or holders.get(parent) is _SEVERAL or parent in around_widgets:
                break
            node = parent
        return node

    # A post's links in one part of the page (its image, its title, "Read more") make one mention.
    parts: dict = {}
    for order, (a, post) in enumerate(post_links):
        parts.setdefault((post, part_of_page(a)), (order, []))[1].append(a)

    order_of = {a: order for order, (a, _) in enumerate(post_links)}
    mentions: dict = {}
    for (post, top), (_, anchors) in parts.items():
        node = _common_ancestor(anchors)
        units = _repeated_cards(node, anchors)
        if units:  # one post's link in every card of a grid (twelve cards, one slug): each card a mention
            for unit, held in units.items():
                mentions.setdefault(_mention(_common_ancestor(held), held, unit), (post, order_of[held[0]]))
        else:
            mentions.setdefault(_mention(node, anchors, top), (post, order_of[anchors[0]]))
    return mentions


def _mention(node, anchors: list, top):
    """From ``node`` around a post's ``anchors`` up to ``top``, the element about that post alone."""
    # The headings the links sit in are the card's title; so is a link of three words or more.
    # "Read more" or an empty overlay is not, and leaves the title to a heading.
    own = len({h for a in anchors for h in _up_to(a, node) if tag_of(h) in HEADINGS})
    titled = None  # worked out when the walk asks: reading the links' texts costs
    while node is not top:
        parent = node.getparent()
        parent_own = own + (tag_of(parent) in HEADINGS)
        if _heading_count(parent) - parent_own > _heading_count(node) - own:  # the parent adds a heading
            if titled is None and not _heading_count(node):
                titled = any(len((visible_text(a) or "").split()) >= 3 for a in anchors)
            if _heading_count(node) or titled:
                break  # the card has its title: the parent's heading is another's (the page's, a tile's)
        node, own = parent, parent_own
    return node


def _repeated_cards(node, anchors: list) -> dict:
    """The children of ``node`` holding ``anchors`` (child -> its anchors) when they are cards of one
    kind, each with its own heading; else nothing (an image, a title and "Read more" are one card)."""
    units: dict = {}
    for a in anchors:
        unit = a
        while unit is not node and unit.getparent() is not node:
            unit = unit.getparent()
        if unit is not node:
            units.setdefault(unit, []).append(a)
    alike = len(units) >= 2 and len({unit.tag for unit in units}) == 1
    return units if alike and all(_heading_count(unit) for unit in units) else {}


def _heading_count(element) -> int:
    return sum(1 for _ in element.iter(*HEADINGS))


def _up_to(element, top) -> list:
    """``element`` and its ancestors up to ``top``, both included."""
    chain = [element]
    while chain[-1] is not top:
        chain.append(chain[-1].getparent())
    return chain


def _common_ancestor(elements: list):
    common = [elements[0], *elements[0].iterancestors()]  # deepest first
    for element in elements[1:]:
        ancestors = {element, *element.iterancestors()}
        common = [candidate for candidate in common if candidate in ancestors]
    return common[0]


def _groups(mentions: dict, post_anchors: set, prose) -> list[_Group]:
    """Sibling mentions of one tag form a group; so do the rows of a grid (``<div row><card>…</div>
    <div row>…``), of one shape and prose alike. A row holding a single card (the last row, or one
    shared with a tile) is that card's mention: it joins the other rows as the card it holds."""
    by_parent: dict = {}
    for element, (post, order) in mentions.items():
        by_parent.setdefault((element.getparent(), element.tag), []).append((element, post, order))
    groups = [_Group(sorted(members, key=lambda m: m[2]), (tag_of(parent), tag))
              for (parent, tag), members in by_parent.items()]

    def row_key(element, shape, prose: bool) -> tuple:
        return element.getparent().getparent(), shape, prose

    rows: dict = {}
    for group in groups:
        rows.setdefault(row_key(group.members[0][0], group.shape, group.share(prose) >= 0.5), []).append(group)
    for group in [g for g in groups if len(g.members) == 1]:
        element, post, order = group.members[0]
        # The one child of this element holding post links, when it holds nothing else.
        holding = [child for child in element if tag_of(child) and any(a in post_anchors for a in child.iter("a"))]
        if len(holding) != 1 or (element.text or "").strip():
            continue
        inner = holding[0]
        inner_shape = (tag_of(element), inner.tag)
        inner_key = row_key(inner, inner_shape, prose(inner))
        if len(rows.get(inner_key, ())) > 1:  # rows, not one grid beside this element
            rows[row_key(element, group.shape, prose(element))].remove(group)
            rows[inner_key].append(_Group([(inner, post, order)], inner_shape))
    merged = []
    for (grandparent, _, _), parts in rows.items():
        if len(parts) <= 1 or grandparent is None:
            merged.extend(parts)
        else:
            members = sorted((m for part in parts for m in part.members), key=lambda m: m[2])
            merged.append(_Group(members, parts[0].shape))
    return merged


def _main_group(groups: list[_Group], shape: tuple | None, prose, date) -> _Group:
    """The largest group that reads like cards (prose, else dates), of the earlier pages' shape if any."""
    largest_first = sorted(groups, key=lambda g: (-len(g.members), g.members[0][2]))
    for feature in (prose, date, None):
        pool = [g for g in largest_first if feature is None or g.share(feature) >= 0.5]
        if pool:
            break
    if shape is not None and any(g.shape == shape for g in pool):
        pool = [g for g in pool if g.shape == shape]
    tied = [g for g in pool if len(g.members) == len(pool[0].members)]
    if len(tied) == 1:
        return tied[0]
    return max(tied, key=lambda g: (g.share(prose) + g.share(date) + g.share(_has_image), -g.members[0][2]))


def _has_prose(texts: SubtreeText) -> bool:
    """Whether the element of ``texts`` holds an excerpt's length of text outside headings and title links."""
    for node in texts.shown:
        text, children = texts.pieces[node]
        for piece in (text, *(tail for _, tail in children)):
            if not piece or len(piece.strip()) < _PROSE_CHARS:
                continue
            around = _up_to(node, texts.element)
            if any(tag_of(holder) in HEADINGS for holder in around):
                continue
            link = next((holder for holder in reversed(around) if tag_of(holder) == "a"), None)  # the outermost
            if link is None or len(texts.text(link) or "") > 1.1 * len(piece.strip()) + 5:
                return True
    return False


def _has_date(element) -> bool:
    has_time = next(element.iter("time"), None) is not None
    return has_time or any(find_date(text) for text in element.itertext() if len(text) < 120)


def _has_image(element) -> bool:
    return next(element.iter("img"), None) is not None
