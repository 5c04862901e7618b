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
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

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
_AUTHOR_PATH = re.compile(r"/(?:author|authors|people|team)/", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*by\b", re.IGNORECASE)
_PAGE_PATH = re.compile(r"/page/(\d+)/?$")


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
    page_urls: dict[int, str]
    next_url: str | None

    @property
    def last_page(self) -> int | None:
        return max(self.page_urls) if self.page_urls else None


def listing_path(url: str) -> str:
    """``/blog/engineering`` from any page URL of that listing."""
    path = urlsplit(url).path.rstrip("/")
    return _PAGE_PATH.sub("", path) or "/"


# The spider asks these for every page number of the listing on every listing
# page it parses (pages x pages calls): parsed URLs are cached.
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


@lru_cache(maxsize=2048)
def _join_rooted(origin: str, href: str) -> str:
    """``urljoin`` of a root-relative ``href``: only the base's origin matters."""
    return urljoin(origin, href)


@lru_cache(maxsize=2048)
def _classify_link(netloc: str, listing: str, absolute: str) -> tuple[str | None, int | None]:
    """(canonical post URL, listing page number) of a link, for the listing at
    path ``listing`` on ``netloc``; None where the link is not one."""
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != netloc:
        return None, None
    path = parts.path.rstrip("/")
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
        number = int(match.group(1)) if match and listing_path(absolute) == listing else None
    return post, number


class ListingPage:
    """One listing page: its post links, cards and pagination."""

    def __init__(self, root, url: str):
        self.root = root
        self.url = url
        parts = urlsplit(url)
        self.netloc = parts.netloc.lower()
        self.listing_path = listing_path(url)
        # A page links the same URLs many times over (each post from its
        # title, image and overlay, the category from every card), every card
        # asks about its links again, and every page of the listing repeats
        # the site's navigation: each URL is resolved and classified once.
        self._origin = f"{parts.scheme}://{parts.netloc}/"
        self._absolute: dict[str, str] = {}
        self._parts: dict = {}
        # The finders below ask for the text of the same elements again.
        self._texts: dict = {}
        self._links = [
            (a, self.absolute(a.get("href")))
            for a in root.iter("a")
            if a.get("href") and a.get("href").strip()
        ]

    def absolute(self, href: str) -> str:
        """``href`` as the page writes it, resolved against the page URL."""
        resolved = self._absolute.get(href)
        if resolved is None:
            stripped = href.strip()
            if stripped.startswith("/") and not stripped.startswith("//"):
                # The page's own path plays no part in resolving it.
                resolved = _join_rooted(self._origin, stripped)
            else:
                resolved = urljoin(self.url, stripped)
            self._absolute[href] = resolved
        return resolved

    def _text(self, node) -> str | None:
        """``visible_text(node)``, computed once per element of the page."""
        try:
            return self._texts[node]
        except KeyError:
            text = self._texts[node] = visible_text(node)
            return text

    def _split(self, absolute: str):
        parts = self._parts.get(absolute)
        if parts is None:
            parts = self._parts[absolute] = urlsplit(absolute)
        return parts

    def on_site(self, absolute: str) -> bool:
        parts = self._split(absolute)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == self.netloc

    def post_url(self, absolute: str) -> str | None:
        """The canonical post URL when ``absolute`` links a post of this listing."""
        return _classify_link(self.netloc, self.listing_path, absolute)[0]

    def listing_page_number(self, absolute: str) -> int | None:
        """The page number when ``absolute`` is a page of this same listing."""
        return _classify_link(self.netloc, self.listing_path, absolute)[1]

    # -- pagination -----------------------------------------------------------

    def pagination(self) -> Pagination:
        pages: dict[int, str] = {}
        next_url = None
        for a, absolute in self._links:
            number = self.listing_page_number(absolute)
            if number is None:
                continue
            pages.setdefault(number, page_url(self.url, number))
            label = (self._text(a) or "") + " " + (a.get("rel") or "") + " " + (a.get("aria-label") or "")
            if next_url is None and "next" in label.lower():
                next_url = page_url(self.url, number)
        return Pagination(pages, next_url)

    # -- cards ------------------------------------------------------------------

    def cards(self) -> list[RawCard]:
        post_links: dict[str, list] = {}
        for a, absolute in self._links:
            post = self.post_url(absolute)
            if post:
                post_links.setdefault(post, []).append(a)
        if not post_links:
            return []

        posts_under: dict = defaultdict(set)
        for post, anchors in post_links.items():
            for a in anchors:
                for ancestor in a.iterancestors():
                    posts_under[ancestor].add(post)
        pagination_under: set = set()
        for a, absolute in self._links:
            # Page 1 is the bare listing path, which cards also use as their category link.
            if (self.listing_page_number(absolute) or 1) > 1:
                pagination_under.update(a.iterancestors())
        headings_under: dict = defaultdict(int)
        if len(post_links) == 1:
            for heading in self.root.iter(*HEADINGS):
                for ancestor in heading.iterancestors():
                    headings_under[ancestor] += 1
                headings_under[heading] += 1

        cards = []
        for position, (post, anchors) in enumerate(post_links.items(), start=1):
            element = self._card_element(anchors[0], posts_under, pagination_under, headings_under)
            cards.append(self._read_card(element, post, position))
        return cards

    def _card_element(self, anchor, posts_under, pagination_under, headings_under):
        node = anchor
        while True:
            parent = node.getparent()
            if parent is None or tag_of(parent) in ("body", "html", "main"):
                return node
            if len(posts_under[parent]) > 1 or parent in pagination_under:
                return node
            # A lone post on the page: stop before taking in the page's other headings.
            if headings_under and (
                headings_under[parent] > max(headings_under[node], 1)
                or (headings_under[node] and headings_under[parent] > headings_under[node])
            ):
                return node
            node = parent

    def _read_card(self, card, post: str, position: int) -> RawCard:
        raw = RawCard(post_url=post, position=position)
        used: set = set()  # elements whose text is already a field

        raw.title = self._title(card, post, used)
        raw.date = self._date(card, used)
        raw.category = self._category(card, post, used)
        raw.image_src, raw.image_alt = self._image(card)
        byline_authors = self._byline(card, used)
        excerpt_block = self._excerpt_block(card, used)
        if excerpt_block is not None:
            raw.excerpt = self._text(excerpt_block)
            used.add(excerpt_block)
        raw.authors = byline_authors or self._trailing_names(card, excerpt_block, used)
        return raw

    def _title(self, card, post, used):
        headings = [h for h in card.iter(*HEADINGS)] if tag_of(card) not in HEADINGS else [card]
        linked = [h for h in headings if any(self._is_post_link(a, post) for a in h.iter("a"))]
        for heading in linked + headings:
            text = self._text(heading)
            if text:
                used.add(heading)
                return text
        texts = [
            (self._text(a), a) for a in card.iter("a") if self._is_post_link(a, post)
        ]
        texts = [(t, a) for t, a in texts if t]
        if not texts:
            return None
        text, a = max(texts, key=lambda pair: len(pair[0]))
        used.add(a)
        return text

    def _is_post_link(self, a, post) -> bool:
        href = a.get("href")
        return bool(href) and self.post_url(self.absolute(href)) == post

    def _date(self, card, used):
        for time in card.iter("time"):
            value = time.get("datetime") or self._text(time)
            if parse_date(value):
                used.add(time)
                return value
        for element in card.iter():
            if not is_element(element) or tag_of(element) in INVISIBLE:
                continue
            own = clean_text(element.text)
            if own and looks_like_date(own):
                used.add(element)
                return own
        for element in card.iter():
            if is_element(element) and tag_of(element) not in INVISIBLE:
                for text in (element.text, element.tail):
                    found = find_date(clean_text(text))
                    if found:
                        return found
        return None

    def _category(self, card, post, used):
        for a in card.iter("a"):
            href = a.get("href")
            if not href:
                continue
            absolute = self.absolute(href)
            if not self.on_site(absolute) or self._is_post_link(a, post):
                continue
            segments = [s for s in urlsplit(absolute).path.split("/") if s]
            if segments and segments[0] == "blog" and len(segments) <= 2 and "tag" not in segments:
                text = self._text(a)
                if text:
                    used.add(a)
                    return text
        return None

    def _image(self, card):
        for img in card.iter("img"):
            src = next(
                (
                    candidate
                    for candidate in (
                        img.get("src"),
                        img.get("data-src"),
                        first_srcset_url(img.get("srcset")),
                        first_srcset_url(img.get("data-srcset")),
                    )
                    if candidate and candidate.strip() and not candidate.strip().startswith("data:")
                ),
                None,
            )
            if src:
                return src.strip(), img.get("alt")  # made absolute by the loader
        return None, None

    def _byline(self, card, used) -> list[str]:
        author_links = [
            a for a in card.iter("a") if a.get("href") and _AUTHOR_PATH.search(a.get("href"))
        ]
        if author_links:
            names = [self._text(a) for a in author_links]
            for a in author_links:
                used.add(a)
                parent = a.getparent()
                if parent is not None and parent is not card:
                    used.add(parent)
            return [name for name in names if name]
        for element in card.iter():
            if not is_element(element) or element in used or tag_of(element) in INVISIBLE:
                continue
            if tag_of(element) in INLINE and element.getparent() is not card:
                continue
            text = self._text(element)
            if is_byline(text):
                used.add(element)
                return split_authors(text)
        return []

    def _excerpt_block(self, card, used):
        best, best_len = None, 0
        # The elements with a used element somewhere below them.
        above_used = {ancestor for element in used for ancestor in element.iterancestors()}
        for element in card.iter():
            if not is_element(element) or tag_of(element) in INVISIBLE | HEADINGS:
                continue
            if element is card or within(element, card, used, ()):
                continue
            if element in above_used:
                continue
            if tag_of(element) in ("a", "time", "img"):
                continue
            if any(is_element(child) and tag_of(child) not in INLINE for child in element):
                continue  # only leaf blocks: their text is one paragraph
            text = self._text(element)
            if not text or looks_like_date(text) or is_byline(text):
                continue
            if len(text) > best_len:
                best, best_len = element, len(text)
        return best

    def _trailing_names(self, card, excerpt_block, used) -> list[str]:
        """The short texts after the excerpt: the byline of cards that print bare names."""
        chunks: list[str] = []
        seen_excerpt = excerpt_block is None
        for element in card.iter():
            if not is_element(element) or tag_of(element) in INVISIBLE:
                continue
            if element is excerpt_block:
                seen_excerpt = True
                chunks.append(element.tail or "")
                continue
            if not seen_excerpt or (excerpt_block is not None and excerpt_block in element.iterancestors()):
                continue
            texts = [element.tail]
            if element not in used and not within(element, card, used, ("a",) + tuple(HEADINGS)):
                texts.append(element.text)
            for text in texts:
                text = clean_text(text)
                if text and not looks_like_date(text) and len(text) < 120:
                    chunks.append(text)
        return split_authors(", ".join(chunk for chunk in chunks if clean_text(chunk)))


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

