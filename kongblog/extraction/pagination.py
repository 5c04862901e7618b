"""The pagination widget of a listing page, found by its structure: an element whose children are
nearly all pagination slots (page-number links, Prev/Next links, the current page's number, gaps).
Only such a widget gives page numbers: a nav "Archive" link to page 999 is no pagination."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kongblog.extraction.links import PAGE
from kongblog.extraction.markup import INVISIBLE, tag_of, visible_text
from kongblog.urls import page_suffix, page_url

_DIRECTION = re.compile(r"\b(?:next|prev|previous|older|newer|more)\b|[‹›«»←→<>⟨⟩⟪⟫〈〉❮❯❬❭]", re.IGNORECASE)
_GAP = re.compile(r"^(?:…|\.\.\.|\.\.)$")


@dataclass
class Pagination:
    """What the widget(s) of one page say."""

    current: int | None = None  # the page the widget marks current
    pages: set[int] = field(default_factory=set)  # pages the widget links to
    urls: dict[int, str] = field(default_factory=dict)  # page -> its URL as the widget links it
    next_page: int | None = None
    doubts: list[str] = field(default_factory=list)

    @property
    def last_page(self) -> int | None:
        """The highest page the widget shows: the listing's last page."""
        return max(self.pages | ({self.current} if self.current else set()), default=None)

    def url_of(self, number: int, listing_url: str) -> str:
        """Page ``number``'s URL as the widget links it, else in the form of the pages it links
        (``/page/N/`` on a site whose page URLs end with a slash): no request a redirect away."""
        if number in self.urls:
            return self.urls[number]
        linked = [url for page, url in self.urls.items() if page > 1]
        return page_url(listing_url, number, linked[0].endswith("/") if linked else None)


def read_pagination(links: list, number: int) -> tuple[Pagination, set]:
    """The widget(s) of the page ``number`` among its shown ``links`` ((anchor, Link) pairs), and their elements."""
    slots_of: dict = {}  # container -> {slot: (kind, page)} of the pagination links in it
    for a, link in links:
        if link.kind != PAGE:
            continue
        label = visible_text(a) or ""
        if label == str(link.page):
            kind = "number"
        elif _is_direction(a):
            kind = "direction"
        elif not label and link.page in (number - 1, number + 1):
            kind = "direction"  # an arrow drawn by an icon: it shows no text
        else:
            continue  # "Archive", "View all": a listing link, but no pagination
        slot = _slot_of(a)
        if slot.getparent() is not None:
            slots_of.setdefault(slot.getparent(), {})[slot] = (kind, link.page, link.absolute)

    found = {c for c, slots in slots_of.items() if _is_widget(c, slots, number)}
    widgets = [w for w in slots_of if w in found and not _inside(w.iterancestors(), found)]  # the outermost
    pagination = Pagination()
    for container, slots in slots_of.items():
        in_widget = container in found or _inside(container.iterancestors(), found)
        for kind, page, url in slots.values():
            # Without a widget, a lone "Older posts" link: trusted only for the very next (or previous) page.
            if in_widget or not widgets and kind == "direction" and page in (number - 1, number + 1):
                pagination.pages.add(page)
                pagination.urls.setdefault(page, url.partition("#")[0].partition("?")[0])
    for widget in widgets:
        _read_current(widget, pagination, number)
    pagination.next_page = number + 1 if number + 1 in pagination.pages else None
    if pagination.current is not None and pagination.current != number:
        pagination.doubts.append(f"the widget marks page {pagination.current} current on page {number}")
    return pagination, set(widgets)


def next_is_page_one(links: list) -> bool:
    """Whether the first page's Older/Next link leads to ``/page/1``: a site whose second page is page 1."""
    return any(link.kind == PAGE and page_suffix(link.absolute) == 1 and _is_direction(a) for a, link in links)


def _is_direction(a) -> bool:
    return bool(_DIRECTION.search(" ".join((visible_text(a) or "", a.get("rel") or "", a.get("aria-label") or ""))))


def _inside(ancestors, widgets: set) -> bool:
    return any(ancestor in widgets for ancestor in ancestors)


def _slot_of(node):
    """The element standing for the link ``node`` among its siblings: ``<li><a>`` gives the ``<li>``."""
    parent = node.getparent()
    # (an only child has no sibling: ``len(parent)`` would count a parent's children for every link)
    while parent is not None and tag_of(parent) not in ("body", "html") and _only_child(node):
        if (parent.text or "").strip() or (node.tail or "").strip():
            break
        node, parent = parent, parent.getparent()
    return node


def _only_child(node) -> bool:
    return node.getprevious() is None and node.getnext() is None


def _child_kind(child, slots: dict, number: int) -> str:
    if child in slots:
        return slots[child][0]
    text = visible_text(child) or ""
    if text.isdecimal() and int(text) == number or (child.get("aria-current") and text.isdecimal()):
        return "current"
    if _GAP.match(text):
        return "gap"
    if any(descendant in slots for descendant in child.iterdescendants()):
        return "nested"  # Prev, <ul>numbers</ul>, Next
    return "foreign"


def _is_widget(container, slots: dict, number: int) -> bool:
    kinds = [_child_kind(child, slots, number) for child in container if tag_of(child) not in INVISIBLE]
    pagination = sum(kind != "foreign" for kind in kinds)
    has_numbers = any(kind in ("number", "current", "nested") for kind in kinds)
    return has_numbers and pagination >= 2 and pagination >= 2 * (len(kinds) - pagination)


def _read_current(widget, pagination: Pagination, number: int) -> None:
    """The page ``widget`` marks current: ``aria-current``, else the page's own number as plain text."""
    for element in widget.iter():
        text = visible_text(element) or ""
        marked = element.get("aria-current") is not None
        if text.isdecimal() and (marked or element.tag != "a" and int(text) == number and not len(element)):
            current = int(text)
            if pagination.current is not None and pagination.current != current:
                pagination.doubts.append(f"two widgets mark pages {pagination.current} and {current} current")
            pagination.current = current
            if marked:
                break
