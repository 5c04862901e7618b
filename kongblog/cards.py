"""Finding post cards on a listing page without knowing its markup.

The blog's class names and element choices change with every redesign, so
nothing here looks at a class or an id. What stays stable is:

* a post is linked as ``<listing path>/<slug>`` on the crawl's host;
* a card is the largest element around that link that holds no other post
  (nor the pagination widget);
* within a card, the title is a heading or the post link's own text, the date
  is a ``<time>`` or text in a date format, the excerpt is the longest block
  of prose, and the byline is author links, "By A and B" text, or the short
  texts after the excerpt.

``ListingPage.cards`` returns the raw strings of each card;
``kongblog.loaders`` turns them into clean item fields.

The spider reads every listing page with this, so the work is shared rather
than repeated: each href is resolved once per page (root-relative ones once
per listing), and each card's elements and texts are gathered in one walk
(``CardElements``) that all the field finders then look through.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from lxml import etree

from kongblog.loaders import (
    canonical_post_url,
    clean_text,
    find_date,
    first_srcset_url,
    looks_like_date,
    parse_date,
    split_authors,
)

HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# Text inside these never belongs to a card's visible fields.
INVISIBLE = frozenset(("script", "style", "noscript", "template", "svg", "head", "title"))
INLINE = frozenset(
    (
        "a", "abbr", "b", "bdi", "br", "cite", "code", "data", "em", "i", "img", "kbd",
        "label", "mark", "picture", "q", "s", "small", "source", "span", "strong",
        "sub", "sup", "time", "u", "wbr",
    )
)
_LINK_OR_HEADING = HEADINGS | {"a"}
_NEVER_EXCERPT = HEADINGS | {"a", "time", "img"}
AUTHOR_PATH = re.compile(r"/(?:author|authors|people|team)/", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*by\b", re.IGNORECASE)
_PAGE_PATH = re.compile(r"/page/(\d+)/?$")
# Every date format needs a digit.
_MAY_HOLD_DATE = re.compile(r"\d")
# A root-relative href that ``urljoin`` would give back as it is: no dot
# segments, no ";params", no empty "?" or "#", nothing urlsplit strips.
_PLAIN_ROOTED = re.compile(r"(/(?!/)[^\s;.?#]*)(?:\?[^\s#]+)?(?:#\S+)?\Z")  # group 1: the path


@dataclass
class RawCard:
    """The strings of one card as the page shows them, before normalisation."""

    post_url: str
    position: int
    title: str | None = None
    date: str | None = None
    category: str | None = None
    excerpt: str | None = None
    authors: list[str] = field(default_factory=list)
    image_src: str | None = None
    image_alt: str | None = None


@dataclass
class Pagination:
    """The page numbers a listing page links to (see ``page_url`` for their URLs)."""

    pages: set[int]
    next_page: int | None

    @property
    def last_page(self) -> int | None:
        return max(self.pages) if self.pages else None


def listing_path(url: str) -> str:
    """``/blog/engineering`` from any page URL of that listing."""
    path = urlsplit(url).path.rstrip("/")
    return _PAGE_PATH.sub("", path) or "/"


# The spider asks this of every listing request and response: parsed URLs are cached.
@lru_cache(maxsize=16384)
def page_number(url: str) -> int:
    match = _PAGE_PATH.search(urlsplit(url).path)
    return int(match.group(1)) if match else 1


def page_url(listing_url: str, number: int) -> str:
    """Page 1 is the listing itself; page N lives at ``<listing>/page/N``."""
    base = _listing_base(listing_url)
    return base if number == 1 else f"{base}/page/{number}"


@lru_cache(maxsize=1024)
def _listing_base(listing_url: str) -> str:
    parts = urlsplit(listing_url)
    return f"{parts.scheme}://{parts.netloc}{listing_path(listing_url)}"


def is_element(node) -> bool:
    return isinstance(node.tag, str)


def tag_of(node) -> str:
    return node.tag.lower() if is_element(node) else ""


def visible_text(node) -> str | None:
    """The text a reader sees in ``node``, whitespace collapsed."""
    parts: list[str] = []

    def walk(el):
        if tag_of(el) in INVISIBLE:
            return
        if el.text and is_element(el):
            parts.append(el.text)
        for child in el:
            if is_element(child):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(node)
    return clean_text(" ".join(parts))


_UNKNOWN = object()  # a text not worked out yet (None is a text: there is none)


class CardElements:
    """A card's element and what its finders look through: its elements and their texts.

    The finders ask for the text of nearly every element of a card, nested
    ones included. Rather than walking each element's subtree, the texts are
    gathered in one walk up from the leaves, each element joining its
    children's: ``text(node)`` is then ``visible_text(node)`` for the cost of
    cleaning one string.
    """

    def __init__(self, element):
        self.element = element
        # (element, tag, text) in document order, the card first, less
        # the INVISIBLE elements (not their descendants: the finders that
        # care skip those themselves).
        self.shown: list[tuple] = []
        self._joined: dict = {}  # element -> its text pieces joined, not yet cleaned
        self._texts: dict = {}
        shown, joined = self.shown, self._joined
        for node in reversed(list(element.iter(etree.Element))):  # children before their parent
            tag = node.tag.lower()
            if tag in INVISIBLE:
                continue
            text = node.text
            if len(node):
                # What ``visible_text`` joins for the node, its children's share already joined.
                pieces = [text] if text else []
                for child in node:
                    below = joined.get(child)  # none for INVISIBLE elements and comments
                    if below:
                        pieces.append(below)
                    tail = child.tail
                    if tail:
                        pieces.append(tail)
                joined[node] = " ".join(pieces)
            else:
                joined[node] = text or ""
            shown.append((node, tag, text))
        shown.reverse()

    def text(self, node) -> str | None:
        """``visible_text(node)``, once per element."""
        text = self._texts.get(node, _UNKNOWN)
        if text is _UNKNOWN:
            joined = self._joined.get(node)
            text = self._texts[node] = visible_text(node) if joined is None else clean_text(joined)
        return text

    def may_be_byline(self, node) -> bool:
        """False when ``node``'s text cannot be a byline: it does not start with "By".

        Cleaning the text only collapses whitespace, which ``_BYLINE`` looks
        past alike: the joined pieces tell without cleaning them.
        """
        joined = self._joined.get(node)
        return joined is None or _BYLINE.match(joined) is not None


@lru_cache(maxsize=2048)
def _classify_link(netloc: str, listing: str, absolute: str) -> tuple[str | None, int | None]:
    """(canonical post URL, listing page number) of a link, for the listing at
    path ``listing`` on ``netloc``; None where the link is not one."""
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != netloc:
        return None, None
    return _classify_site_link(listing, absolute, parts.path)


def _classify_site_link(listing: str, absolute: str, path: str) -> tuple[str | None, int | None]:
    """``_classify_link`` of a link on the site, whose URL has this ``path``."""
    path = path.rstrip("/")
    post = None
    prefix = listing.rstrip("/") + "/"
    if path.startswith(prefix):
        slug = path[len(prefix):]
        if slug and "/" not in slug and slug != "page":
            post = canonical_post_url(absolute)
    if path == listing.rstrip("/"):
        number = 1
    else:
        match = _PAGE_PATH.search(path)
        # (The listing_path of the link.)
        number = int(match.group(1)) if match and (_PAGE_PATH.sub("", path) or "/") == listing else None
    return post, number


@lru_cache(maxsize=1024)
def _is_category_url(netloc: str, absolute: str) -> bool:
    """Whether ``absolute`` is a page of the blog on ``netloc`` one level deep,
    ``/blog/<category>``, but no tag page."""
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != netloc:
        return False
    segments = [s for s in parts.path.split("/") if s]
    return bool(segments) and segments[0] == "blog" and len(segments) <= 2 and "tag" not in segments


class Link(NamedTuple):
    """What an href of a listing page links to."""

    absolute: str
    post: str | None  # the canonical post URL, when a post of the listing
    page: int | None  # the page number, when a page of the listing


# What the hrefs that do not depend on the page's own path link to (see
# ``ListingPage._resolve``), shared by all pages of a listing; emptied when it
# grows past this many hrefs, as every page adds the hrefs of its own posts.
_SHARED_LINKS_MAX = 16384


@lru_cache(maxsize=64)
def _shared_links(origin: str, listing: str) -> dict[str, Link]:
    """href -> Link for the listing at path ``listing`` of the site at ``origin``."""
    return {}


# Marks an element that holds the links of more than one post.
_SEVERAL_POSTS = object()


class ListingPage:
    """One listing page: its post links, cards and pagination."""

    def __init__(self, root, url: str):
        self.root = root
        self.url = url
        parts = urlsplit(url)
        self.netloc = parts.netloc.lower()
        self.listing_path = listing_path(url)
        self._origin = f"{parts.scheme}://{parts.netloc}/"
        # urljoin gives a plain root-relative href back behind the origin.
        self._joins_plainly = parts.scheme in ("http", "https") and bool(parts.netloc)
        # A page links the same URLs many times over (each post from its
        # title, image and overlay, the category from every card), and every
        # page of the listing repeats the site's navigation: each href is
        # resolved and classified once per page, and a root-relative one
        # (whose meaning does not depend on the page) once per listing.
        self._shared = _shared_links(self._origin, self.listing_path)
        self._local: dict[str, Link] = {}
        # (anchor, Link) of the links to a post or a page of the listing
        self._links: list[tuple] = []
        shared, local = self._shared, self._local
        # Every anchor is held, not only those kept below: lxml makes a new
        # Python object for an element no one holds each time it is reached,
        # and the cards' finders reach their category and author links again.
        self._anchors = list(root.iter("a"))
        for a in self._anchors:
            href = a.get("href")
            if href:
                link = shared.get(href) or local.get(href) or self._resolve(href)
                if link.post or link.page is not None:
                    self._links.append((a, link))
        self._post_of: dict = {}

    def _link(self, href: str) -> Link:
        """What ``href`` links."""
        return self._shared.get(href) or self._local.get(href) or self._resolve(href)

    def _resolve(self, href: str) -> Link:
        """``_link`` the first time: resolves, classifies and keeps what ``href`` links."""
        stripped = href.strip()
        if not stripped:
            # Back to this page, which its own pagination does not list.
            link = self._local[href] = Link(self.url, None, None)
            return link
        plain = _PLAIN_ROOTED.match(stripped) if self._joins_plainly else None
        if plain:
            # What urljoin would give, on this site and with this path.
            absolute = self._origin + stripped[1:]
            link = Link(absolute, *_classify_site_link(self.listing_path, absolute, plain.group(1)))
        else:
            absolute = urljoin(self.url, stripped)
            link = Link(absolute, *_classify_link(self.netloc, self.listing_path, absolute))
        # The page's own path plays no part in resolving a root-relative href,
        # nor one that names its host (a bare "//" does not): the other pages
        # of the listing can take it as it is.
        rooted = stripped.startswith("/") and not stripped.startswith("//")
        if rooted or urlsplit(stripped).netloc:
            if len(self._shared) >= _SHARED_LINKS_MAX:
                self._shared.clear()
            self._shared[href] = link
        else:
            self._local[href] = link
        return link

    def absolute(self, href: str) -> str:
        """``href`` as the page writes it, resolved against the page URL."""
        return self._link(href).absolute

    def post_url(self, absolute: str) -> str | None:
        """The canonical post URL when ``absolute`` links a post of this listing."""
        return _classify_link(self.netloc, self.listing_path, absolute)[0]

    # -- pagination -----------------------------------------------------------

    def pagination(self) -> Pagination:
        pages: set[int] = set()
        next_page = None
        for a, link in self._links:
            number = link.page
            if number is None:
                continue
            pages.add(number)
            if next_page is None and self._says_next(a):
                next_page = number
        return Pagination(pages, next_page)

    def _says_next(self, a) -> bool:
        label = (visible_text(a) or "") + " " + (a.get("rel") or "") + " " + (a.get("aria-label") or "")
        return "next" in label.lower()

    # -- cards ------------------------------------------------------------------

    def cards(self) -> list[RawCard]:
        post_links: dict[str, list] = {}
        for a, link in self._links:
            if link.post:
                post_links.setdefault(link.post, []).append(a)
        if not post_links:
            return []
        self._post_of = {a: post for post, anchors in post_links.items() for a in anchors}

        holders = _post_holders(post_links)
        pagination_under = self._pagination_holders()
        headings_under: dict = defaultdict(int)
        if len(post_links) == 1:
            for heading in self.root.iter(*HEADINGS):
                for ancestor in heading.iterancestors():
                    headings_under[ancestor] += 1
                headings_under[heading] += 1

        cards = []
        for position, (post, anchors) in enumerate(post_links.items(), start=1):
            element = self._card_element(anchors[0], holders, pagination_under, headings_under)
            cards.append(self._read_card(element, post, position))
        return cards

    def _pagination_holders(self) -> set:
        """The elements around a link to another page of the listing."""
        holders: set = set()
        for a, link in self._links:
            # Page 1 is the bare listing path, which cards also use as their category link.
            if (link.page or 1) > 1:
                for ancestor in a.iterancestors():
                    if ancestor in holders:
                        break  # and so are all above it
                    holders.add(ancestor)
        return holders

    def _card_element(self, anchor, holders, pagination_under, headings_under):
        node = anchor
        while True:
            parent = node.getparent()
            if parent is None or tag_of(parent) in ("body", "html", "main"):
                return node
            if holders.get(parent) is _SEVERAL_POSTS or parent in pagination_under:
                return node
            # A lone post on the page: stop before taking in the page's other headings.
            if headings_under and (
                headings_under[parent] > max(headings_under[node], 1)
                or (headings_under[node] and headings_under[parent] > headings_under[node])
            ):
                return node
            node = parent

    def _read_card(self, element, post: str, position: int) -> RawCard:
        raw = RawCard(post_url=post, position=position)
        card = CardElements(element)
        used: set = set()  # elements whose text is already a field

        raw.title = self._title(card, post, used)
        raw.date = self._date(card, used)
        raw.category = self._category(card, post, used)
        raw.image_src, raw.image_alt = self._image(element)
        byline_authors = self._byline(card, used)
        excerpt_block = self._excerpt_block(card, used)
        if excerpt_block is not None:
            raw.excerpt = card.text(excerpt_block)
            used.add(excerpt_block)
        raw.authors = byline_authors or self._trailing_names(card, excerpt_block, used)
        return raw

    def _title(self, card, post, used):
        if tag_of(card.element) in HEADINGS:
            headings = [card.element]
        else:
            headings = [node for node, tag, _ in card.shown if tag in HEADINGS]
        linked = [h for h in headings if any(self._is_post_link(a, post) for a in h.iter("a"))]
        for heading in linked + headings:
            text = card.text(heading)
            if text:
                used.add(heading)
                return text
        texts = [
            (card.text(a), a) for a in card.element.iter("a") if self._is_post_link(a, post)
        ]
        texts = [(t, a) for t, a in texts if t]
        if not texts:
            return None
        text, a = max(texts, key=lambda pair: len(pair[0]))
        used.add(a)
        return text

    def _is_post_link(self, a, post) -> bool:
        return self._post_of.get(a) == post

    def _date(self, card, used):
        for time in card.element.iter("time"):
            value = time.get("datetime") or card.text(time)
            if parse_date(value):
                used.add(time)
                return value
        for element, _, own in card.shown:
            if own and _MAY_HOLD_DATE.search(own):
                own = clean_text(own)
                if own and looks_like_date(own):
                    used.add(element)
                    return own
        for element, _, own in card.shown:
            for text in (own, element.tail):
                if text and _MAY_HOLD_DATE.search(text):
                    found = find_date(clean_text(text))
                    if found:
                        return found
        return None

    def _category(self, card, post, used):
        for a in card.element.iter("a"):
            href = a.get("href")
            if not href or self._is_post_link(a, post):
                continue
            if _is_category_url(self.netloc, self.absolute(href)):
                text = card.text(a)
                if text:
                    used.add(a)
                    return text
        return None

    def _image(self, element):
        for img in element.iter("img"):
            src = _image_source(img)
            if src:
                return src, img.get("alt")  # made absolute by the loader
        return None, None

    def _byline(self, card, used) -> list[str]:
        author_links = [a for a in card.element.iter("a") if (href := a.get("href")) and AUTHOR_PATH.search(href)]
        if author_links:
            names = [card.text(a) for a in author_links]
            for a in author_links:
                used.add(a)
                parent = a.getparent()
                if parent is not None and parent is not card.element:
                    used.add(parent)
            return [name for name in names if name]
        for element, tag, _ in card.shown:
            if element in used:
                continue
            if tag in INLINE and element.getparent() is not card.element:
                continue
            if not card.may_be_byline(element):
                continue
            text = card.text(element)
            if is_byline(text):
                used.add(element)
                return split_authors(text)
        return []

    def _excerpt_block(self, card, used):
        best, best_len = None, 0
        # The elements with a used element somewhere below them (up to the
        # card), and those in a used element below the card.
        above_used: set = set()
        in_used: set = set()
        for element in used:
            node = element.getparent()
            while node is not None and node is not card.element:
                above_used.add(node)
                node = node.getparent()
            if node is not None and element is not card.element:
                if len(element):
                    in_used.update(element.iter())
                else:
                    in_used.add(element)
        for element, tag, _ in card.shown:
            if tag in _NEVER_EXCERPT or element is card.element or element in in_used or element in above_used:
                continue
            if len(element) and any(tag_of(child) not in INLINE for child in element.iterchildren(etree.Element)):
                continue  # only leaf blocks: their text is one paragraph
            text = card.text(element)
            # (Only a longer text can win: the others need no closer look.)
            if not text or len(text) <= best_len or looks_like_date(text) or is_byline(text):
                continue
            best, best_len = element, len(text)
        return best

    def _trailing_names(self, card, excerpt_block, used) -> list[str]:
        """The short texts after the excerpt: the byline of cards that print bare names."""
        chunks: list[str] = []
        following = card.shown
        if excerpt_block is not None:
            chunks.append(excerpt_block.tail or "")
            start = [shown[0] for shown in card.shown].index(excerpt_block) + 1
            following = card.shown[start:]
            if len(excerpt_block):
                inside = set(excerpt_block.iter())
                following = [shown for shown in following if shown[0] not in inside]
        for element, _, own in following:
            texts = [element.tail]
            if own and element not in used and not within(element, card.element, used, _LINK_OR_HEADING):
                texts.append(own)
            for text in texts:
                text = clean_text(text) if text else None
                if text and not looks_like_date(text) and len(text) < 120:
                    chunks.append(text)
        return split_authors(", ".join(chunk for chunk in chunks if clean_text(chunk)))


def _image_source(img) -> str | None:
    """The first of the image's URLs that is not inline data."""
    # One after the other: a srcset is long, and seldom needed.
    for candidate in (img.get("src"), img.get("data-src")):
        if candidate and candidate.strip() and not candidate.strip().startswith("data:"):
            return candidate.strip()
    for srcset in (img.get("srcset"), img.get("data-srcset")):
        candidate = first_srcset_url(srcset)
        if candidate and candidate.strip() and not candidate.strip().startswith("data:"):
            return candidate.strip()
    return None


def _post_holders(post_links: dict[str, list]) -> dict:
    """Each element around a post link -> that post, or _SEVERAL_POSTS when it holds links to more than one."""
    holders: dict = {}
    for post, anchors in post_links.items():
        for a in anchors:
            for ancestor in a.iterancestors():
                held = holders.get(ancestor)
                if held is None:
                    holders[ancestor] = post
                elif held != post and held is not _SEVERAL_POSTS:
                    holders[ancestor] = _SEVERAL_POSTS
                else:
                    # An earlier walk went on from here, marking every element
                    # above with this post or as holding several already.
                    break
    return holders


def within(element, card, used, tags) -> bool:
    """True when ``element`` sits in a used element, or in one of ``tags``, below ``card``."""
    node = element
    while node is not None and node is not card:
        if node in used or tag_of(node) in tags:
            return True
        node = node.getparent()
    return False


def is_byline(text: str | None) -> bool:
    return bool(text) and bool(_BYLINE.match(text)) and len(text) < 200 and looks_like_names(split_authors(text))


def looks_like_names(names: list[str]) -> bool:
    """Whether a "By ..." text is a byline ("By Ana and Bo"), not prose ("By default, ...")."""
    return bool(names) and all(
        name[0].isupper() and len(name.split()) <= 5 and not name.endswith(("…", "...", "."))
        for name in names
    )
