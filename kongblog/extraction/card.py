"""The fields of one post card as raw strings, found by what they are, never by markup: the title
is a heading or the post link's text less the dates it holds; the date (``YYYY-MM-DD``) a ``<time>``,
a text or adjacent pieces in a date format, or a month-day under a year heading; the category a link
to the blog or a category; the byline author-page links, "By A and B", names beside the date, a list
of names or elements holding a name each; the image the first that is no avatar nor placeholder; the
excerpt the longest block of prose left, less its "Read more" link. :mod:`kongblog.loaders` turns
these strings into item fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

from kongblog.extraction.byline import BylineReader
from kongblog.extraction.links import CATEGORY, PAGE, POST
from kongblog.extraction.markup import HEADINGS, INLINE, SubtreeText, tag_of
from kongblog.text import (byline_names, clean_text, date_only, find_date, is_fact, is_reading_time, may_hold_date,
                           names_after_date, numeric_date, parse_date, parse_month_day, reads_as_slug, rest_after_date,
                           starts_with_by, year_heading)

_NEVER_EXCERPT = HEADINGS | {"a", "time", "img", "picture", "source"}
# What stands in an image's src until a script puts the real one there (data-src, srcset): no image.
_PLACEHOLDERS = ("data:", "about:", "javascript:", "#")
# What a "Read more" link leaves behind it when it is taken out of an excerpt: "[", "→", "»".
_AFTER_READ_MORE = " \t\n\u00a0[]→»›|·•–—-"


_YEARS: dict = {}  # parent -> {child: the year of the nearest year heading before it}, for one document


def _year_before(element) -> int | None:
    """The year of the nearest heading naming one ("2023") before ``element``, its parent's or grandparent's:
    an archive prints "04-30" under its year. Each parent's children are read once for the document."""
    if _YEARS.get("root") is not (root := element.getroottree().getroot()):
        _YEARS.clear()
        _YEARS["root"] = root
    for parent in [*element.iterancestors()][:3]:
        if (years := _YEARS.get(parent)) is None:
            years, year = _YEARS.setdefault(parent, {}), None
            for child in parent.iterchildren("*"):
                small = sum(1 for _ in zip(range(6), child.iter()))  # (a heading is a few elements at most)
                if small < 6 and (found := year_heading(" ".join(child.itertext()))):
                    year = found
                elif year is not None:
                    years[child] = year
        if (year := years.get(element)) is not None:
            return year
        element = parent
    return None


@dataclass
class RawCard:
    """The strings of one card as the page shows them, before normalisation (the date already read)."""

    url: str  # the post URL as the card links it (Link.url)
    position: int
    slug: str | None = None  # the post's slug, decoded (Link.slug)
    href: str | None = None  # the post link as the card spells it, absolute (Link.absolute)
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD: the reader parses dates to find them
    date_text: str | None = None  # a date of three numbers as shown ("23/10/08"): the listing tells their order
    category: str | None = None
    excerpt: str | None = None
    authors: list[str] = field(default_factory=list)
    image_src: str | None = None
    image_alt: str | None = None


class CardReader(BylineReader):
    """Reads the card ``element`` of ``post``: its ``texts``, the page's links (anchor -> Link), the category."""

    def __init__(self, element, post: str, texts: SubtreeText, page_links: dict, category_slug: str) -> None:
        self.element = element
        self.post = post
        self.texts = texts
        self.shown = texts.shown
        self.text = texts.text  # what a reader sees of an element, whitespace collapsed
        self.links = {a: page_links[a] for a in self.shown if a in page_links}
        self.category_slug = category_slug
        self.used: set = set()  # elements whose text is a field
        self.date_text: str | None = None

    def read(self, position: int) -> RawCard:
        post_links = [a for a, link in self.links.items() if link.kind == POST and link.post == self.post]
        link = self.links[post_links[0]]  # (the card was found around its post's links)
        card = RawCard(url=link.url, slug=link.slug, href=link.absolute, position=position)
        card.title = self._title(post_links)
        if card.title:  # the title shown again ("Read more <span>Title</span>") is no other field
            self.used.update(e for e in self.shown if self.texts.texts[e] == card.title)
        card.category = self._category()
        card.date, beside_date = self._date()
        card.date_text = self.date_text
        card.authors, byline = self._byline(beside_date)
        card.authors = [name for name in card.authors if clean_text(name) != card.title]  # a title is no author
        card.image_src, card.image_alt = self._image(byline, card.authors)
        card.excerpt = self._excerpt()
        return card

    def _title(self, post_links: list):
        headings = [e for e in self.shown if e.tag in HEADINGS]
        in_link = {e for a in post_links for e in a.iter() if e.tag in HEADINGS}
        linked = [h for h in headings if h in in_link or any(a in post_links for a in h.iter("a"))]
        for element in chain(linked, headings, _later(self._title_links, post_links)):
            if self.text(element):
                self.used.add(element)
                return self._title_text(element)
        return next(filter(None, (clean_text(a.get("aria-label") or a.get("title")) for a in post_links)), None)

    def _title_links(self, post_links: list) -> list:
        """The link whose text is the title when no heading is: the longest standing alone ("Read more" at the
        end of the excerpt's line is none), else the longest. Asked of the card's own elements only."""
        texts = self.texts.texts
        alone = [a for a in post_links if (parent := a.getparent()) in texts and texts[parent] == texts[a]]
        return [max(alone or post_links, key=lambda a: len(self.text(a) or ""))] if post_links else []

    def _title_text(self, element) -> str:
        """The text of a title without the facts that share its element or link: a title link around a title
        span and a date span ("Title Apr 30, 2023") is titled "Title"; the title's own element is marked."""
        tokens = self._tokens(element)
        while len(tokens) == 1 and tokens[0][1] is not None and len(tokens[0][1]):  # <a><div>…</div></a>: inside
            tokens = self._tokens(tokens[0][1])
        if len(tokens) < 2:
            return self.text(element)  # (the common case first) one text: all of it is the title
        kept = [(text, piece) for text, piece in tokens if not is_fact(text)]
        if sum(1 for _, piece in kept if piece is not None and piece.tag not in INLINE) > 1:
            kept = kept[:1]  # <a><div>Title</div><div>Excerpt…</div></a>: a title is its first line
        first = kept[0][1] if kept and kept[0][1] is not None else element
        while len(kept) > 1 and tag_of(first) == "a" and byline_names(kept[-1][0], min_words=2):
            kept.pop()  # <h3><a>Title</a> <small>A and B</small></h3>: names after the title link, no part of it
        if len(kept) == len(tokens) or not kept:
            return self.text(element)
        if len(kept) == 1 and kept[0][1] is not None:  # the title's own element: the rest may be other fields
            self.used.discard(element)
            self.used.add(kept[0][1])
        return " ".join(text for text, _ in kept)

    def _date(self) -> tuple[str | None, list[str]]:
        """The date as ``YYYY-MM-DD``, and the names its text prints beside it (a byline, say)."""
        for time in (e for e in self.shown if e.tag == "time"):
            for value in (time.get("datetime"), self.text(time)):
                if iso := parse_date(value):
                    self.used.add(time)
                    # "<time>Feb 7, 2023</time> | A, B and C": the names beside it.
                    return iso, names_after_date(self._after(time))
        texts, nearby, month_day, in_pieces, unread = self.texts.texts, None, None, [], None
        for element in self.shown:  # (document order: the largest element that is a date first)
            whole = texts[element]
            if not may_hold_date(whole) or element in self.used or element.tag in HEADINGS:
                continue
            if len(whole) <= 60 and (iso := date_only(whole)):  # <span>30</span> <span>Apr 2023</span>
                self.used.add(element)
                self.date_text = whole if numeric_date(whole) else None  # (13/05/2023: its page's others too)
                return iso, names_after_date(self._after(element))
            if unread is None and numeric_date(whole):  # "23/10/08": read, if no other date, by the listing
                unread = element
            if len(whole) <= 60 and len(element) > 1:
                in_pieces.append(element)  # may hold a date in pieces among other facts: read last
            text, children = self.texts.pieces[element]
            for text in filter(may_hold_date, (text, *(tail for _, tail in children))):
                if iso := parse_date(text):
                    return iso, []
                if nearby is None and len(text) < 120 and (found := find_date(clean_text(text))):
                    nearby = (parse_date(found[0]), names_after_date(found[1]), rest_after_date(text), element)
                month_day = month_day or ((day, element) if (day := parse_month_day(text)) else None)
        if found := not nearby and next(filter(None, map(self._date_in_tokens, in_pieces)), None):
            return found
        if nearby:
            iso, names, rest, holder = nearby
            if not rest or names:
                self.used.add(holder)
            return iso, names
        if month_day and (year := _year_before(self.element)):  # an archive: "04-30" under "2023"
            self.used.add(month_day[1])
            return parse_date(f"{year}-{month_day[0]}"), []
        if unread is not None:
            self.used.add(unread)
            self.date_text = texts[unread]
            return None, names_after_date(self._after(unread))
        return None, []

    def _date_in_tokens(self, element):
        """A date written in adjacent pieces among others: <span>30</span><span>Apr 2023</span><span>5 min</span>."""
        tokens = self._tokens(element)
        for start in range(len(tokens)):
            for end in (start + 2, start + 3):
                if end <= len(tokens) and (iso := parse_date(" ".join(text for text, _ in tokens[start:end]))):
                    self.used.update(piece for _, piece in tokens[start:end] if piece is not None)
                    return iso, names_after_date(" ".join(text for text, _ in tokens[end:]))
        return None

    def _after(self, element) -> str:
        """The text that follows ``element`` (or the largest element showing no more) in its parent, fields left out."""
        texts = self.texts.texts
        if element is self.element:
            return ""  # (what follows the card is other cards)
        while (parent := element.getparent()) is not self.element and texts.get(parent) == texts.get(element):
            element = parent  # <span><i></i><time>…</time></span> | 1 min | A: what follows the span
        parts = [element.tail or ""]
        for sibling in element.itersiblings():
            if tag_of(sibling) and sibling not in self.used:  # (an element, not a comment)
                parts.append(self.text(sibling) or "")
            parts.append(sibling.tail or "")
        return " ".join(parts)

    def _category(self) -> str | None:
        """A link to the blog or to a category, else a label that names the listing's category."""
        for a, link in self.links.items():
            if (link.kind == CATEGORY or link.kind == PAGE and link.page == 1) and (text := self.text(a)):
                self.used.add(a)
                return text
        texts = self.texts.texts
        for element in self.shown:
            text = texts[element]
            if not text or element in self.used or len(element) or element.tag in _NEVER_EXCERPT:
                continue
            if reads_as_slug(text, self.category_slug):
                self.used.add(element)
                return text
        return None

    def _tokens(self, parent) -> list[tuple[str, object]]:
        """The children of ``parent`` as a reader meets them: (text, element or None for loose text)."""
        text, children = self.texts.pieces.get(parent) or (parent.text, [(child, child.tail) for child in parent])
        tokens = [(clean_text(text), None)] if text and text.strip() else []
        for child, tail in children:
            if tag_of(child) and (text := self.text(child)):  # (an element, not a comment)
                tokens.append((text, child))
            if tail and tail.strip():
                tokens.append((clean_text(tail), None))
        return tokens

    def _image(self, byline: set, authors: list[str]) -> tuple[str | None, str | None]:
        avatars = {img for element in byline for img in element.iter("img")}
        names = {clean_text(name) for name in authors}
        for img in (e for e in self.shown if e.tag == "img"):
            if img in avatars or (names and clean_text(img.get("alt")) in names):
                continue  # an author's portrait, not the post's image
            for src in _image_sources(img):
                if (src := (src or "").strip()) and not src.lower().startswith(_PLACEHOLDERS):
                    return src, img.get("alt")
        return None, None

    def _excerpt(self) -> str | None:
        taken: set = set()  # the fields' elements, what they hold and what holds them, up to the card
        for element in self.used:
            taken.update(element.iter())
            for ancestor in element.iterancestors():
                taken.add(ancestor)
                if ancestor is self.element:
                    break
        best, best_len, texts, holder = None, 0, self.texts.texts, None
        for element in self.shown:
            text = texts[element]
            if not text or len(text) <= best_len:
                continue  # (the cheap test first)
            if element.tag in _NEVER_EXCERPT or element in taken:
                continue
            if any(tag_of(child) not in INLINE for child in element if tag_of(child)):
                continue  # only blocks holding one paragraph of text
            if self.texts.word_counts[element] < 4 or parse_date(text) or is_reading_time(text):
                continue
            if not (starts_with_by(text) and byline_names(text)):
                best, best_len, holder = text, len(text), element
        if holder is not None and any(self._links_here(a) for a in holder.iter("a")):
            # "… <a href=post>[Read More]</a>": the link to the post is no part of the excerpt.
            best = clean_text(self._text_without_links(holder).rstrip(_AFTER_READ_MORE))
        return best

    def _links_here(self, a) -> bool:
        link = self.links.get(a)
        return link is not None and link.kind == POST and link.post == self.post

    def _text_without_links(self, element) -> str:
        parts = [element.text or ""]
        for child in element:
            if tag_of(child) and not self._links_here(child):
                parts.append(self._text_without_links(child))
            parts.append(child.tail or "")
        return " ".join(parts)


def _later(function, *args):
    """The items of ``function(*args)``, called only when the first is asked for."""
    yield from function(*args)


def _image_sources(img):
    """The URLs an image may show (src, data-src, srcset, a <picture>'s <source>), each looked up when needed."""
    yield img.get("src")
    yield img.get("data-src")
    for srcset in (img.get("srcset"), img.get("data-srcset")):
        yield (srcset or "").split(",")[0].strip().split(" ")[0]
    # lxml, knowing no HTML5, nests the <img> of a <picture> in its last <source>.
    picture = next((e for e in img.iterancestors() if tag_of(e) in ("picture", "a", "div")), None)
    if picture is not None and tag_of(picture) == "picture":
        for source in picture.iter("source"):
            yield (source.get("srcset") or "").split(",")[0].strip().split(" ")[0]
