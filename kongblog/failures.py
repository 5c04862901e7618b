"""One way to say that a crawl failed, whoever notices it.

Every component that finds the crawl untrustworthy (lost pages, health
checks, the store) records a reason here; the ``crawl`` command exits 1 when
there is any. Reasons are kept once each, in the order they came; past the
first few only their number grows, so a crawl failing a thousand ways still
writes a short stat.
"""

from __future__ import annotations

from kongblog.stats import FAILED, FAILURES

KEPT = 10


def record_failure(stats, reason: str) -> bool:
    """Add ``reason``; True when it is new."""
    reasons = stats.get_value(FAILURES) or []
    if reason in reasons:
        return False
    more = stats.get_value(FAILURES + "_more", 0)
    if len(reasons) < KEPT:
        reasons = [*reasons, reason]
        stats.set_value(FAILURES, reasons)
    else:
        more += 1
        stats.set_value(FAILURES + "_more", more)
    stats.set_value(FAILED, "; ".join(reasons) + (f"; and {more} more" if more else ""))
    return True
