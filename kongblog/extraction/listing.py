"""A listing page: its main listing of post cards, and its pagination.

Nothing here looks at a class name or an id. A post may be linked from many
places of a page (the listing, a "Popular posts" sidebar, a featured hero,
a footer list), so a link alone does not make a card:

1. every link to a post of this listing is followed up to the largest
   element that holds no other post's link (nor the pagination widget, nor
   more of the page's headings): one *mention* of the post;
2. mentions that are siblings of the same shape (same tag) form a group; rows of a grid (sibling containers of such groups)
   are one group;
3. the main listing is the largest group whose members read like cards
   (most of them carry prose); failing that, dates; failing that, the
   largest group. A page whose best group has another shape than the
   listing's first page had is read with the group of that shape, if it has
   one, and the doubt is counted.

``listing_position`` counts the main listing's cards only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kongblog.extraction.card import CardReader, RawCard, shown_elements
from kongblog.extraction.links import POST, LinkResolver
from kongblog.extraction.markup import HEADINGS, INVISIBLE, tag_of, visible_text
from kongblog.extraction.pagination import Pagination, read_pagination
from kongblog.text import find_date

_SEVERAL = object()  # marks an element holding more than one post's links
_STOP = frozenset(("body", "html"))
# A text this long, outside links and headings, is prose: an excerpt.
_PROSE_CHARS = 40


@dataclass
class ListingPage:
    url: str
    number: int
    cards: list[RawCard] = field(default_factory=list)
    pagination: Pagination = field(default_factory=Pagination)
    shape: tuple | None = None  # of the main listing's cards
    mentions_elsewhere: int = 0  # post links outside the main listing (sidebars, heroes)
    doubts: list[str] = field(default_factory=list)


@dataclass
class _Group:
    members: list  # (element, post, order) in document order
    shape: tuple

    def share(self, feature) -> float:
        return sum(1 for element, _, _ in self.members if feature(element)) / len(self.members)


def read_listing(root, url: str, number: int, shape: tuple | None = None) -> ListingPage:
    """The listing page ``number`` at ``url``, parsed as ``root``; ``shape`` is the
    main listing's shape on an earlier page of the listing, when known."""
    resolver = LinkResolver(url)
    page = ListingPage(url, number)
    page.pagination, widgets = read_pagination(root, resolver, number)
    page.doubts.extend(page.pagination.doubts)

    post_links = []
    for a in root.iter("a"):
        href = a.get("href")
        if href is None or any(tag_of(ancestor) in INVISIBLE for ancestor in a.iterancestors()):
            continue
        link = resolver.resolve(href)
        if link.kind == POST:
            post_links.append((a, link.post))
    if not post_links:
        return page

    mentions = _mentions(post_links, widgets)
    groups = _groups(mentions, {a for a, _ in post_links})
    main = _main_group(groups, shape)
    if shape is not None and main.shape != shape:
        page.doubts.append(f"the main listing's cards are shaped {main.shape}, not {shape} as before")
    page.shape = main.shape
    page.mentions_elsewhere = sum(len(group.members) for group in groups if group is not main)

    seen: set[str] = set()
    for element, post, _ in main.members:
        if post in seen:
            page.doubts.append(f"post listed twice on the page: {post}")
            continue
        seen.add(post)
        page.cards.append(CardReader(element, post, resolver).read(len(page.cards) + 1))
    return page


def _mentions(post_links: list, widgets: set) -> dict:
    """element -> (post, order): the largest element around each link that is about that post only."""
    holders: dict = {}
    for a, post in post_links:
        for ancestor in a.iterancestors():
            held = holders.get(ancestor)
            if held is None:
                holders[ancestor] = post
            elif held != post and held is not _SEVERAL:
                holders[ancestor] = _SEVERAL
            else:
                break  # an earlier walk went on from here
    around_widgets = {ancestor for widget in widgets for ancestor in widget.iterancestors()} | widgets
    headings: dict = {}

    def heading_count(element) -> int:
        if element not in headings:
            headings[element] = sum(1 for _ in element.iter(*HEADINGS))
        return headings[element]

    def part_of_page(a):
        """The highest element around ``a`` that holds this post's links only."""
        node = a
        while True:
            parent = node.getparent()
            if parent is None or tag_of(parent) in _STOP or holders.get(parent) is _SEVERAL or parent in around_widgets:
                return node
            node = parent

    # A post's links in one part of the page (its image, its title, "Read more") make one mention.
    parts: dict = {}
    for order, (a, post) in enumerate(post_links):
        parts.setdefault((post, part_of_page(a)), (order, []))[1].append(a)

    mentions: dict = {}
    for (post, top), (order, anchors) in parts.items():
        start = _common_ancestor(anchors)
        # The headings the links sit in are the card's title; a link of three
        # words or more is one too. "Read more" or an empty overlay is not, and
        # leaves the title to a heading.
        own = len({h for a in anchors for h in _up_to(a, start) if tag_of(h) in HEADINGS})
        titled = any(len((visible_text(a) or "").split()) >= 3 for a in anchors)
        node = start
        while node is not top:
            parent = node.getparent()
            parent_own = own + (tag_of(parent) in HEADINGS)
            adds_heading = heading_count(parent) - parent_own > heading_count(node) - own
            if adds_heading and (heading_count(node) > 0 or titled):
                break  # the card has its title: the parent's heading is another's (the page's, a tile's)
            node, own = parent, parent_own
        mentions.setdefault(node, (post, order))
    return mentions


def _up_to(element, top) -> list:
    """``element`` and its ancestors up to ``top``, both included."""
    chain = [element]
    while chain[-1] is not top:
        chain.append(chain[-1].getparent())
    return chain


def _common_ancestor(elements: list):
    first = [elements[0], *elements[0].iterancestors()]
    deepest = 0
    for element in elements[1:]:
        ancestors = {element, *element.iterancestors()}
        deepest = max(deepest, next(i for i, candidate in enumerate(first) if candidate in ancestors))
    return first[deepest]


def _groups(mentions: dict, post_anchors: set) -> list[_Group]:
    by_key: dict = {}
    for element, (post, order) in mentions.items():
        by_key.setdefault((element.getparent(), element.tag), []).append((element, post, order))
    groups = [
        _Group(sorted(members, key=lambda m: m[2]), (tag_of(parent), tag))
        for (parent, tag), members in by_key.items()
    ]
    return _merge_rows(groups, post_anchors)


def _merge_rows(groups: list[_Group], post_anchors: set) -> list[_Group]:
    """A grid laid out in rows (``<div row><card>…</div><div row>…``) is one group.

    A row holding a single card (the last row, or one shared with a tile) is
    that card's mention, nothing else of the row being about another post: it
    joins the other rows as the card it holds.
    """
    rows: dict = {}

    def key(element, shape, prose: bool) -> tuple:
        return (element.getparent().getparent(), shape, prose)

    for group in groups:
        rows.setdefault(key(group.members[0][0], group.shape, group.share(_has_prose) >= 0.5), []).append(group)
    for group in [g for g in groups if len(g.members) == 1]:
        element, post, order = group.members[0]
        inner = _card_child(element, post_anchors)
        if inner is None:
            continue
        inner_shape = (tag_of(element), inner.tag)
        inner_key = key(inner, inner_shape, _has_prose(inner))
        if len(rows.get(inner_key, ())) > 1:  # rows, not one grid beside this element
            rows[key(element, group.shape, _has_prose(element))].remove(group)
            rows[inner_key].append(_Group([(inner, post, order)], inner_shape))
    merged = []
    for (grandparent, _, _), parts in rows.items():
        if not parts:
            continue
        if len(parts) == 1 or grandparent is None:
            merged.extend(parts)
        else:
            members = sorted((m for part in parts for m in part.members), key=lambda m: m[2])
            merged.append(_Group(members, parts[0].shape))
    return merged


def _card_child(element, post_anchors: set):
    """The one child of ``element`` that holds post links, when there is one."""
    holding = [child for child in element if tag_of(child) and any(a in post_anchors for a in child.iter("a"))]
    if len(holding) != 1 or (element.text or "").strip():
        return None
    return holding[0]


def _main_group(groups: list[_Group], shape: tuple | None) -> _Group:
    pool = [g for g in groups if g.share(_has_prose) >= 0.5] or [g for g in groups if g.share(_has_date) >= 0.5] or groups
    if shape is not None and any(g.shape == shape for g in pool):
        pool = [g for g in pool if g.shape == shape]

    def weight(group: _Group):
        richness = group.share(_has_prose) + group.share(_has_date) + group.share(_has_image)
        return (len(group.members), richness, -group.members[0][2])

    return max(pool, key=weight)


def _has_prose(element) -> bool:
    """Whether ``element`` holds a text as long as an excerpt that is no title:
    outside headings, and not all there is of a link (a title link)."""
    for node in shown_elements(element):
        texts = [node.text or ""] + [child.tail or "" for child in node]
        for text in texts:
            if len(text.strip()) < _PROSE_CHARS:
                continue
            around = [node, *node.iterancestors()]
            around = around[: around.index(element) + 1] if element in around else around
            if any(tag_of(e) in HEADINGS for e in around):
                continue
            link = next((e for e in around if e.tag == "a"), None)
            if link is not None and len(visible_text(link) or "") <= 1.1 * len(text.strip()) + 5:
                continue  # all there is of the link: a title
            return True
    return False


def _has_date(element) -> bool:
    if any(True for _ in element.iter("time")):
        return True
    return any(find_date(text) for text in element.itertext() if len(text) < 120)


def _has_image(element) -> bool:
    return any(True for _ in element.iter("img"))
