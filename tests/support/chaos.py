"""Helpers for the chaos suite (tests/test_chaos.py): comparing a crawl with
the replica's ground truth, waiting on a background crawl, reading stats."""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


def duplicated_slugs(items: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Slugs that occur more than once in *items*, with their counts."""
    counts = Counter(item["slug"] for item in items)
    return {slug: count for slug, count in counts.items() if count > 1}


def field_mismatches(items: Iterable[dict[str, Any]], truth: Iterable[dict[str, Any]]) -> list[tuple]:
    """Every way *items* differ from *truth*, field by field.

    ``(slug, field, scraped value, true value)`` per differing field;
    ``(slug, "<missing>", None, None)`` for a truth post that was not scraped
    and ``(slug, "<extra>", None, None)`` for an item that is not in the truth.
    """
    scraped = {item["slug"]: item for item in items}
    truth = list(truth)
    problems: list[tuple] = []
    for expected in truth:
        actual = scraped.get(expected["slug"])
        if actual is None:
            problems.append((expected["slug"], "<missing>", None, None))
            continue
        for name, value in expected.items():
            if actual.get(name) != value:
                problems.append((expected["slug"], name, actual.get(name), value))
    known = {expected["slug"] for expected in truth}
    problems += [(slug, "<extra>", None, None) for slug in scraped if slug not in known]
    return problems


def listing_paths(pages: Iterable[int], category: str = "engineering") -> list[str]:
    """Replica paths of listing pages (page 1 is the category root)."""
    return [f"/blog/{category}" if n == 1 else f"/blog/{category}/page/{n}" for n in pages]


def listing_hits(server, category: str = "engineering") -> int:
    """Requests the replica saw for listing pages of *category*."""
    return sum(server.hits.listing(f"/blog/{category}").values())


def stats_with(stats: dict[str, Any], *fragments: str) -> dict[str, Any]:
    """The stats whose key contains one of *fragments* (for assertion messages)."""
    return {key: value for key, value in sorted(stats.items()) if any(f in key for f in fragments)}


def wait_until(
    condition: Callable[[], bool],
    timeout: float,
    what: str,
    alive: Callable[[], bool] | None = None,
    interval: float = 0.02,
) -> float:
    """Poll *condition* until true; return the seconds waited.

    Raises :class:`AssertionError` naming *what* after *timeout* seconds, or
    as soon as *alive* (e.g. "the crawl is still running") turns false first.
    """
    started = time.monotonic()
    while not condition():
        if alive is not None and not alive():
            raise AssertionError(f"gave up waiting for {what}: the process ended first")
        if time.monotonic() - started > timeout:
            raise AssertionError(f"gave up waiting for {what} after {timeout:g}s")
        time.sleep(interval)
    return time.monotonic() - started
