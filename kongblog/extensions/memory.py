"""Scrapy's memory limits, counting the browser's processes (this process's children) too.

scrapy-playwright ships such an extension, but importing it loads all of Playwright, which most crawls never use.
"""

from __future__ import annotations

import contextlib

import psutil
from scrapy.extensions.memusage import MemoryUsage


def children_rss() -> int:
    total = 0
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):  # it exited meanwhile
            total += child.memory_info().rss
    return total


class MemoryUsageWithBrowser(MemoryUsage):
    def get_virtual_size(self) -> int:
        return super().get_virtual_size() + children_rss()
