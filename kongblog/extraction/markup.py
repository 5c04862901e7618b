"""What a reader sees of an HTML element: its tag, whether it shows, its text."""

from __future__ import annotations

from lxml import etree

HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# Text inside these never shows on the page.
INVISIBLE = frozenset(("script", "style", "noscript", "template", "svg", "head", "title"))
# Elements that flow within a line of text rather than start a block.
INLINE = frozenset("a abbr b bdi br cite code data em i img kbd label mark picture q s small source span strong"
                   " sub sup time u wbr".split())


def tag_of(node) -> str:
    """The lower-case tag of an element; "" for comments and processing instructions."""
    tag = node.tag
    return tag.lower() if isinstance(tag, str) else ""


def strip_hidden(root) -> None:
    """Remove what never shows (scripts, styles, templates, ...) from a parsed page."""
    etree.strip_elements(root, *INVISIBLE, with_tail=False)


def visible_text(node) -> str | None:
    """The text a reader sees in ``node`` (after :func:`strip_hidden`), whitespace collapsed, or None."""
    if not len(node):  # a leaf: its own text is all of it
        return " ".join((node.text or "").split()) or None
    return " ".join(" ".join(node.itertext()).split()) or None


class SubtreeText:
    """The elements of the subtree of ``element`` (document order, ``element`` first) and what a
    reader sees of each, read in one walk up from the leaves: each element joins its children's texts,
    so a card's text is read once, not once per element above it. ``pieces`` keeps the text pieces as
    they stand (comments' tails show too)."""

    def __init__(self, element) -> None:
        self.element = element
        self.shown = list(element.iter(etree.Element))
        self.texts: dict = {}  # element -> visible_text(element)
        self.word_counts: dict = {}  # element -> words in its text
        self.pieces: dict = {}  # element -> (element.text, [(child, child.tail), ...])
        texts, word_counts, pieces = self.texts, self.word_counts, self.pieces
        for node in reversed(self.shown):
            text = node.text
            parts = text.split() if text else []
            count = len(parts)
            children = []
            for child in node:
                below = texts.get(child)  # None for comments
                if below:
                    parts.append(below)
                    count += word_counts[child]
                tail = child.tail
                if tail:
                    words = tail.split()
                    parts += words
                    count += len(words)
                children.append((child, tail))
            pieces[node] = (text, children)
            texts[node] = " ".join(parts) or None
            word_counts[node] = count

    def text(self, element) -> str | None:
        """:func:`visible_text` of ``element``, an element of the subtree or not."""
        return self.texts[element] if element in self.texts else visible_text(element)
