"""One way to say that a crawl failed, whoever notices it (lost pages, health checks, the store).

The ``crawl`` command exits 1 when any reason was recorded. Reasons are kept once each, in order; past the first
KEPT only their number grows, so a crawl failing a thousand ways still writes a short stat.
"""

from __future__ import annotations

from scrapy.exceptions import DownloadCancelledError, IgnoreRequest

from kongblog.stats import FAILED, FAILURES, FAILURES_MORE

KEPT = 10


def record_failure(stats, reason: str) -> bool:
    """Add ``reason``; True when it is new."""
    reasons = stats.get_value(FAILURES) or []
    if reason in reasons:
        return False
    more = stats.get_value(FAILURES_MORE, 0)
    if len(reasons) < KEPT:
        reasons = [*reasons, reason]
        stats.set_value(FAILURES, reasons)
    else:
        more += 1
        stats.set_value(FAILURES_MORE, more)
    stats.set_value(FAILED, "; ".join(reasons) + (f"; and {more} more" if more else ""))
    return True


def failure_reason(exc: BaseException) -> str:
    """What went wrong, never empty: an exception without a message is named by its type."""
    return str(exc) or type(exc).__name__


def ignored_cause(failure) -> str | None:
    """Why Scrapy ignored a request (it gives robots.txt, size cap and offsite one type), or None."""
    text = str(failure.value)
    # A body cancelled past DOWNLOAD_MAXSIZE (an endless chunked one: with no message), a decompression stopped.
    if "max size" in text or "DOWNLOAD_MAXSIZE" in text or (failure.check(DownloadCancelledError) and not text):
        return "size cap"
    if not failure.check(IgnoreRequest):
        return None
    return "robots.txt" if "robots.txt" in text else "offsite" if "offsite" in text else text
