"""The byline of a card, wherever a reader sees it: author-page links, "By A and B" (in one element or a
run of spans), elements holding a name each, a list of names ("A, B and C"), names beside the date, or
the authors' portraits; a one-word name ("Kong") where the context makes it one. A mixin of
:class:`~kongblog.extraction.card.CardReader`, which reads the other fields and marks them ``used``."""

from __future__ import annotations

from itertools import islice

from kongblog.extraction.links import AUTHOR, POST
from kongblog.extraction.markup import HEADINGS, INLINE, tag_of
from kongblog.text import byline_names, clean_text, is_caseless, looks_like_name, starts_with_by

# What an element holding a person's name may hold besides the name: an avatar, an icon.
_NAME_DECORATION = frozenset(("img", "picture", "source", "svg", "br", "i"))
_CONNECTOR = frozenset(("and", "&", ",", "·", "•", "|", "–", "—", "-"))
# The most pieces a "By" run takes: By, six names and the words between (ten thousand "By" spans cost no square).
_BYLINE_PIECES = 13
_NEVER_NAMES = HEADINGS | {"a", "time", "img", "picture", "source"}
_SLOTS_ASKED = 8  # the most elements a card asks the cards beside it about


class BylineReader:
    """The byline part of a card reader (``element``, ``texts``, ``shown``, ``links``, ``used``, ``_tokens``);
    ``taken``: what the other fields' elements hold."""

    asked = 0  # how often this card asked the cards beside it

    def _byline(self, beside_date: list[str]) -> tuple[list[str], set]:
        """The author names as written, and their elements ("Feb 7 · Featured" beside a date is a label, no name)."""
        author_links = [a for a, link in self.links.items() if link.kind == AUTHOR]
        names = [self.text(a) or clean_text(next((i.get("alt") for i in a.iter("img")), None)) for a in author_links]
        names = list(dict.fromkeys(filter(None, names)))  # each once, in order
        if names:
            self.used.update(author_links)
            return names, set(author_links)
        self.taken = {inside for element in self.used for inside in element.iter()}  # other fields' texts
        names, elements = (self._by_run() or self._name_run() or self._names_text()
                           or (beside_date and (beside_date, set())) or self._portraits() or self._lone_name()
                           or ([], set()))
        self.used.update(elements)
        return names, elements

    def _portraits(self):
        """Authors shown as their portraits only: images alone in their elements, each named by its alt text,
        side by side (one alone in a span: <span><img alt="A B"></span>); no image a post link holds alone.
        Each parent's children are read once."""
        texts, scanned = self.texts.texts, set()
        for img in (e for e in self.shown if e.tag == "img"):
            link, holder = next(img.iterancestors("a"), None), img.getparent()
            if holder is self.element or holder.getparent() in scanned or link in self.links and (
                    self.links[link].kind == POST and not texts.get(link)):
                continue  # (no element of its own in the card, or read already) or the post's own image
            scanned.add(parent := holder.getparent())
            run: list = []  # (element, name) of the image-only elements side by side
            for child in [*parent.iterchildren("*"), None]:
                textless = child is not None and not texts.get(child)
                alt = clean_text(next(child.iter("img"), child).get("alt")) if textless else None
                if textless and looks_like_name(alt):
                    run.append((child, alt))
                    if not (child.tail or "").strip(" \t\n\u00a0,&"):
                        continue
                names = [name for _, name in run]
                if run and (len(run) > 1 or run[0][0].tag in ("span", "a")) and (
                        any(" " in name for name in names) or self._names_beside(run[0][0])):
                    return names, {element for element, _ in run}
                run = []
        return None

    def _lone_name(self):
        """One word where the cards beside this one show names ("Kong" where they show "Ann Lee, Kong")."""
        words = self.texts.word_counts
        for element in self.shown[1:]:
            if words[element] == 1 and element.tag not in _NEVER_NAMES and len(element) < 3:
                if self._holds_a_name(element, one_word=lambda: True) and self._names_beside(element):
                    return [self.text(element)], {element}
        return None

    def _names_beside(self, element) -> bool:
        """Whether the cards beside this one show names where it shows ``element`` (the same child path): the
        byline's slot of the listing. A path as deep as the card, two cards: no square."""
        self.asked += 1
        if self.asked > _SLOTS_ASKED:
            return False  # (a bound: a card of ten thousand one-word spans asks about a few)
        return self._same_place_beside(element)

    def _same_place_beside(self, element) -> bool:
        path, node = [], element
        while node is not self.element:
            path.append(node.getparent().index(node))
            node = node.getparent()
        for card in (self.element.getprevious(), self.element.getnext()):
            node = card if card is not None and card.tag == self.element.tag else None
            for index in reversed(path):
                node = node[index] if node is not None and index < len(node) else None
            if node is not None and node.tag == element.tag and len(node) < 4:
                shown = clean_text(" ".join(islice(node.itertext(), 12))[:200]) or clean_text(
                    next((i.get("alt") for i in node.iter("img")), None))
                if any(" " in name for name in byline_names(shown)):
                    return True
        return False

    def _free(self, element) -> bool:
        """Whether ``element`` may hold a byline: no other field, no link but to an author."""
        if element is None:
            return True
        authors_only = all(self.links[a].kind == AUTHOR for a in element.iter("a") if a in self.links)
        return authors_only and element not in self.taken and self.used.isdisjoint(element.iter())

    def _by_run(self):
        """"By A and B": in one element, or as a run of spans ("By", "A", "and", "B")."""
        parents = set()  # those holding a text that starts with "By"
        pieces = self.texts.pieces
        for element in self.shown:
            text, children = pieces[element]
            if starts_with_by(text):
                parents.add(element)
                parents.add(element.getparent())  # <p><span>By</span> …</p>: the span stands for "By" in <p>
            for child, tail in children:
                if tail and tag_of(child) and starts_with_by(tail):  # (an element's tail, not a comment's)
                    parents.add(element)
        for parent in (element for element in self.shown if element in parents):
            tokens = self._tokens(parent)
            for start, (text, element) in enumerate(tokens):
                if not starts_with_by(text) or not self._free(element):
                    continue
                run = [tokens[start]]
                for more, more_element in tokens[start + 1 : start + _BYLINE_PIECES]:
                    free = self._free(more_element)
                    if not free or not (more.lower() in _CONNECTOR or looks_like_name(more, lower_case=True)
                                        or byline_names(f"By {more}")):
                        break
                    run.append((more, more_element))
                names = byline_names(" ".join(text for text, _ in run))
                if names:
                    elements = {element for _, element in run if element is not None}
                    if len(run) == len(tokens) and parent is not self.element:
                        elements.add(parent)  # <div><span>By</span> <span>A</span></div>: all of it
                    return names, elements
        return None

    def _name_run(self):
        """Elements that each hold one person's name, side by side: ``<span>A</span><span>B</span>``; a name of
        one word ("Kong") too where the run makes it one: after a connector, or among names only."""
        words = self.texts.word_counts  # (a name has two to five: the cheap test first)
        first = next((e for e in self.shown[1:] if 1 <= words[e] <= 5 and len(e) < 3 and self._holds_a_name(e)), None)
        if first is None:
            return None
        run: list = []  # names side by side, the first among them once it is met
        tokens, joined, listed = self._tokens(first.getparent()), False, None

        def one_word() -> bool:  # after a connector, in a list or among names only: <div><span>A B</span><span>C</span>
            nonlocal listed
            if listed is None:
                listed = first.getparent().tag in ("ul", "ol") or all(
                    element is not None and looks_like_name(text) for text, element in tokens)
            return joined or listed

        for text, element in tokens:
            if element is not None and (element is first or self._holds_a_name(element, text, one_word)):
                run.append((text, element))
            elif run and text.lower() in _CONNECTOR and (element is None or not len(element)):
                joined = True  # "A, B and C" as loose text or in spans of their own: <span>, </span>
                continue
            elif any(element is first for _, element in run):
                break
            else:
                run = []
            joined = False
        return [text for text, _ in run], {element for _, element in run}

    def _names_text(self):
        """A text that is a list of names and nothing else, with no "By": "A, B and C", in an element of its
        own or loose beside the title."""
        words, texts, pieces = self.texts.word_counts, self.texts.texts, self.texts.pieces
        for element in self.shown[1:]:
            if not 3 <= words[element] <= 30 or element.tag in _NEVER_NAMES:
                continue  # (the cheap tests first) two names or more
            if all(tag_of(child) in INLINE for child in element if tag_of(child)) and self._free(element):
                if _names_list(texts[element]):
                    return _names_list(texts[element]), {element}
        for element in (element for element in self.shown if element not in self.taken):
            text, children = pieces[element]
            for piece in (text, *(tail for _, tail in children)):
                if piece and len(piece) < 200 and (names := _names_list(piece)):
                    return names, set()
        return None

    def _holds_a_name(self, element, text: str | None = None, one_word=lambda: False) -> bool:
        """Whether ``element`` holds one name and nothing else but an avatar or an icon (or one word when
        ``one_word()`` says the context makes it a name)."""
        words = self.texts.word_counts.get(element)
        if words is not None and not 2 <= words <= 5 and not (
                words == 1 and (is_caseless(text or self.text(element)) or one_word())):
            return False  # (a cheap test first) a name has two to five words, or one in a script without case
        if element.tag in HEADINGS or element in self.used or len(element.text or "") > 80:
            return False
        wrappers = 0  # <p><span>Name</span></p>: one, or it is a list of names
        for child in element:
            if child.tag in _NAME_DECORATION:
                continue
            if child.tag not in ("a", "span") or any(c.tag not in _NAME_DECORATION for c in child):
                return False
            wrappers += 1
        text = self.text(element) if text is None else text
        return wrappers <= 1 and looks_like_name(text, min_words=1 if words == 1 else 2) and self._free(element)


def _names_list(text: str) -> list[str]:
    """The names of "A, B and C" (one of them two words at least, "Kong and Ann Lee"), else []."""
    if not ("," in text or " and " in text or "&" in text):
        return []  # (the cheap test first) no list without a separator
    names = byline_names(text)
    return names if len(names) > 1 and any(" " in name for name in names) else []
