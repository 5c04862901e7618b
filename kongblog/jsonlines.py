"""JSON lines read one line at a time, for every reader of exports and dead letters (replay, history, known=).

A line that is not a JSON object (cut inside a multi-byte character, not JSON, nested past Python's recursion
limit) is named by its number and left out; every other line is kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator


def read_objects(path) -> Iterator[tuple[int, dict | str]]:
    """``(line number, object)`` per non-blank line; ``(line number, why)`` for a line that is not an object."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode("utf-8"))
            except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
                yield number, f"not JSON ({type(exc).__name__}: {str(exc)[:120]})"
                continue
            yield number, record if isinstance(record, dict) else "not a JSON object (an exported item)"
