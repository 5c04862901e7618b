"""Scrapy's memory limits, counting the browser's processes too.

scrapy-playwright ships such an extension, but importing it loads all of
Playwright, which most crawls never use (see :mod:`kongblog.browser`). The
browser's processes (Playwright's driver and Chromium) are this process's
children, so their resident memory is added to Scrapy's own figure.
"""

from __future__ import annotations

import psutil
from scrapy.extensions.memusage import MemoryUsage


def children_rss() -> int:
    """Resident bytes of every descendant process (0 when there is none)."""
    total = 0
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return 0
    for child in children:
        try:
            total += child.memory_info().rss
        except psutil.Error:  # it exited meanwhile
            continue
    return total


class MemoryUsageWithBrowser(MemoryUsage):
    def get_virtual_size(self) -> int:
        return super().get_virtual_size() + children_rss()
