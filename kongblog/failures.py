"""One way to say that a crawl failed, whoever notices it.

Every component that finds the crawl untrustworthy (lost pages, health
checks, the store) records a reason here; the ``crawl`` command exits 1 when
there is any. Reasons are kept once each, in the order they came.
"""

from __future__ import annotations

FAILED = "kongblog/failed"
FAILURES = "kongblog/failures"


def record_failure(stats, reason: str) -> bool:
    """Add ``reason``; True when it is new."""
    reasons = stats.get_value(FAILURES) or []
    if reason in reasons:
        return False
    reasons = [*reasons, reason]
    stats.set_value(FAILURES, reasons)
    stats.set_value(FAILED, "; ".join(reasons))
    return True
