"""The memory-limit extension counts the browser's processes (children) too."""

import subprocess
import sys
import time

import pytest
from scrapy.utils.test import get_crawler

from kongblog.extensions.memory import MemoryUsageWithBrowser, children_rss

CHILD_BYTES = 80 * 1024 * 1024


@pytest.fixture
def big_child():
    """A child process holding CHILD_BYTES resident, as Chromium would."""
    child = subprocess.Popen(
        [sys.executable, "-c", f"import sys, time; b = b'x' * {CHILD_BYTES}; print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert child.stdout.readline().strip() == "ready"
    yield child
    child.kill()
    child.wait()


def test_children_rss_counts_a_child_process(big_child):
    with_child = children_rss()
    big_child.kill()
    big_child.wait()
    deadline = time.monotonic() + 50  # the kernel frees it at once: a bound, not an expectation
    while (without := children_rss()) > with_child - CHILD_BYTES and time.monotonic() < deadline:
        time.sleep(0.05)
    assert with_child - without >= CHILD_BYTES, (with_child, without)


def test_memory_usage_adds_the_children_to_scrapys_figure(big_child):
    crawler = get_crawler(settings_dict={"MEMUSAGE_ENABLED": True})
    extension = MemoryUsageWithBrowser.from_crawler(crawler)
    own = super(MemoryUsageWithBrowser, extension).get_virtual_size()
    assert extension.get_virtual_size() >= own + CHILD_BYTES
