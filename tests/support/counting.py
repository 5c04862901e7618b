"""A parsed page that counts the nodes the code under test touches: each node an iterator yields, each
child ``len()`` counts, each step to a parent or sibling. Work that grows with the square of a page's
size shows here as a count, with no clock involved."""

from __future__ import annotations

import lxml.html
from lxml import etree


class CountingElement(lxml.html.HtmlElement):
    touched = 0  # (class-wide: lxml builds a new proxy object each time it hands out an element)

    @classmethod
    def _count(cls, nodes):
        for node in nodes:
            cls.touched += 1
            yield node

    def __len__(self):
        children = super().__len__()
        CountingElement.touched += children
        return children

    def __iter__(self):
        return self._count(super().__iter__())

    def iter(self, *args, **kwargs):
        return self._count(super().iter(*args, **kwargs))

    def itertext(self, *args, **kwargs):
        return self._count(super().itertext(*args, **kwargs))

    def iterancestors(self, *args, **kwargs):
        return self._count(super().iterancestors(*args, **kwargs))

    def iterdescendants(self, *args, **kwargs):
        return self._count(super().iterdescendants(*args, **kwargs))

    def itersiblings(self, *args, **kwargs):
        return self._count(super().itersiblings(*args, **kwargs))

    def iterchildren(self, *args, **kwargs):
        return self._count(super().iterchildren(*args, **kwargs))

    def getparent(self):
        CountingElement.touched += 1
        return super().getparent()

    def getnext(self):
        CountingElement.touched += 1
        return super().getnext()

    def getprevious(self):
        CountingElement.touched += 1
        return super().getprevious()


def counting_root(html: str):
    parser = etree.HTMLParser(huge_tree=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=CountingElement))
    return etree.fromstring(html, parser)


def nodes_touched(read, html: str) -> int:
    """How many nodes ``read(root)`` touches on the page ``html``."""
    root = counting_root(html)
    CountingElement.touched = 0
    read(root)
    return CountingElement.touched
