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

from lxml import etree

from kongblog.extraction.card import CardReader, RawCard
from kongblog.extraction.links import POST, LinkResolver
from kongblog.extraction.markup import HEADINGS, INVISIBLE, SubtreeText, strip_hidden, tag_of, visible_text
from kongblog.extraction.pagination import Pagination, read_pagination
from kongblog.text import find_date

_SEVERAL = object()  # marks an element holding more than one post's links
_STOP = frozenset(("body", "html"))
# A text this long, outside links and headings, is prose: an excerpt.
_PROSE_CHARS = 40
SCRIPTS = "//script[not(@type) or contains(@type, 'javascript') or @type='module']"
_RUNS_SCRIPTS = etree.XPath(SCRIPTS)  # compiled once, not on every page


@dataclass
class ListingPage:
    url: str
    number: int
    cards: list[RawCard] = field(default_factory=list)
    pagination: Pagination = field(default_factory=Pagination)
    shape: tuple | None = None  # of the main listing's cards
    mentions_elsewhere: int = 0  # post links outside the main listing (sidebars, heroes)
    runs_scripts: bool = False
    doubts: list[str] = field(default_factory=list)


@dataclass
class _Group:
    members: list  # (element, post, order) in document order
    shape: tuple

    def share(self, feature) -> float:
        return sum(1 for element, _, _ in self.members if feature(element)) / len(self.members)


class _CardLike:
    """What makes a mention read like a card — prose, a date, an image — asked
    once per element; the texts of each element it read, for its card."""

    def __init__(self) -> None:
        self._texts: dict = {}
        self._prose: dict = {}
        self._date: dict = {}

    def texts(self, element) -> SubtreeText:
        texts = self._texts.get(element)
        if texts is None:
            texts = self._texts[element] = SubtreeText(element)
        return texts

    def prose(self, element) -> bool:
        if element not in self._prose:
            self._prose[element] = _has_prose(self.texts(element))
        return self._prose[element]

    def date(self, element) -> bool:
        if element not in self._date:
            self._date[element] = _has_date(element)
        return self._date[element]

    @staticmethod
    def image(element) -> bool:
        return any(True for _ in element.iter("img"))


def read_listing(
    root, url: str, number: int, shape: tuple | None = None, links: LinkResolver | None = None
) -> ListingPage:
    """The listing page ``number`` at ``url``, parsed as ``root``; ``shape`` is the
    main listing's shape on an earlier page of the listing, when known; ``links``
    the crawl's resolver of the listing's hrefs."""
    resolver = (links or LinkResolver(url)).on_page(url)
    page = ListingPage(url, number)
    page.runs_scripts = bool(_RUNS_SCRIPTS(root))  # a page built by JavaScript shows no cards yet
    strip_hidden(root)
    shown = shown_links(root, resolver)
    page.pagination, widgets = read_pagination(shown, number)
    page.doubts.extend(page.pagination.doubts)
    post_links = [(a, link.post) for a, link in shown if link.kind == POST]
    if not post_links:
        return page

    mentions = _mentions(post_links, widgets)
    like = _CardLike()
    groups = _groups(mentions, {a for a, _ in post_links}, like)
    main = _main_group(groups, shape, like)
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
        page.cards.append(CardReader(element, post, resolver, like.texts(element)).read(len(page.cards) + 1))
    return page


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
        titled = None  # worked out when the walk asks: reading the links' texts costs
        node = start
        while node is not top:
            parent = node.getparent()
            parent_own = own + (tag_of(parent) in HEADINGS)
            if heading_count(parent) - parent_own > heading_count(node) - own:  # the parent adds a heading
                if titled is None and not heading_count(node):
                    titled = any(len((visible_text(a) or "").split()) >= 3 for a in anchors)
                if heading_count(node) or titled:
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


def _groups(mentions: dict, post_anchors: set, like: _CardLike) -> list[_Group]:
    by_key: dict = {}
    for element, (post, order) in mentions.items():
        by_key.setdefault((element.getparent(), element.tag), []).append((element, post, order))
    groups = [
        _Group(sorted(members, key=lambda m: m[2]), (tag_of(parent), tag))
        for (parent, tag), members in by_key.items()
    ]
    return _merge_rows(groups, post_anchors, like)


def _merge_rows(groups: list[_Group], post_anchors: set, like: _CardLike) -> list[_Group]:
    """A grid laid out in rows (``<div row><card>…</div><div row>…``) is one group.

    A row holding a single card (the last row, or one shared with a tile) is
    that card's mention, nothing else of the row being about another post: it
    joins the other rows as the card it holds.
    """
    rows: dict = {}

    def key(element, shape, prose: bool) -> tuple:
        return (element.getparent().getparent(), shape, prose)

    for group in groups:
        rows.setdefault(key(group.members[0][0], group.shape, group.share(like.prose) >= 0.5), []).append(group)
    for group in [g for g in groups if len(g.members) == 1]:
        element, post, order = group.members[0]
        inner = _card_child(element, post_anchors)
        if inner is None:
            continue
        inner_shape = (tag_of(element), inner.tag)
        inner_key = key(inner, inner_shape, like.prose(inner))
        if len(rows.get(inner_key, ())) > 1:  # rows, not one grid beside this element
            rows[key(element, group.shape, like.prose(element))].remove(group)
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


def _main_group(groups: list[_Group], shape: tuple | None, like: _CardLike) -> _Group:
    """The largest group that reads like cards (prose; failing that, dates), of the
    earlier pages' shape when there is one; equal sizes go to the richer group."""
    largest_first = sorted(groups, key=lambda g: (-len(g.members), g.members[0][2]))
    for feature in (like.prose, like.date, None):
        pool = [g for g in largest_first if feature is None or g.share(feature) >= 0.5]
        if pool:
            break
    if shape is not None and any(g.shape == shape for g in pool):
        pool = [g for g in pool if g.shape == shape]
    tied = [g for g in pool if len(g.members) == len(pool[0].members)]
    if len(tied) == 1:
        return tied[0]
    return max(tied, key=lambda g: (g.share(like.prose) + g.share(like.date) + g.share(like.image), -g.members[0][2]))


def _has_prose(texts: SubtreeText) -> bool:
    """Whether the element of ``texts`` holds a text as long as an excerpt that
    is no title: outside headings, and not all there is of a link (a title link)."""
    for node in texts.shown:
        text, children = texts.pieces[node]
        for piece in (text, *(tail for _, tail in children)):
            if not piece or len(piece) < _PROSE_CHARS:
                continue  # (the cheap test first: stripping only shortens a text)
            size = len(piece.strip())
            if size < _PROSE_CHARS:
                continue
            place = _place(node, texts.element)
            if place is None:
                continue  # in an element that never shows
            in_heading, link = place
            # (all there is of a link is a title)
            if not in_heading and (link is None or len(texts.text(link) or "") > 1.1 * size + 5):
                return True
    return False


def _place(node, top) -> tuple[bool, object] | None:
    """(whether ``node`` is in a heading, the outermost link around it), up to
    ``top``; None when it is in an element that never shows."""
    in_heading, link = False, None
    while True:
        tag = tag_of(node)
        if tag in INVISIBLE:
            return None
        in_heading = in_heading or tag in HEADINGS
        if tag == "a":
            link = node
        if node is top:
            return in_heading, link
        node = node.getparent()


def _has_date(element) -> bool:
    if any(True for _ in element.iter("time")):
        return True
    return any(find_date(text) for text in element.itertext() if len(text) < 120)
