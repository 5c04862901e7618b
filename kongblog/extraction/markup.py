"""What a reader sees of an HTML element: its tag, whether it shows, its text."""

from __future__ import annotations

HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# Text inside these never shows on the page.
INVISIBLE = frozenset(("script", "style", "noscript", "template", "svg", "head", "title"))
# Elements that flow within a line of text rather than start a block.
INLINE = frozenset(
    (
        "a", "abbr", "b", "bdi", "br", "cite", "code", "data", "em", "i", "img", "kbd", "label",
        "mark", "picture", "q", "s", "small", "source", "span", "strong", "sub", "sup", "time", "u", "wbr",
    )
)


def tag_of(node) -> str:
    """The lower-case tag of an element; "" for comments and processing instructions."""
    tag = node.tag
    return tag.lower() if isinstance(tag, str) else ""


def visible_text(node) -> str | None:
    """The text a reader sees in ``node``, whitespace collapsed; None when there is none."""
    parts: list[str] = []

    def walk(element) -> None:
        if tag_of(element) in INVISIBLE:
            return
        if element.text:
            parts.append(element.text)
        for child in element:
            if tag_of(child):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    if tag_of(node):
        walk(node)
    return " ".join(" ".join(parts).split()) or None
