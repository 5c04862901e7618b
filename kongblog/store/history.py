"""A post's changes, oldest first: from its MongoDB document, or from earlier exports.

Both sources give the same :class:`Event` list, printed by :func:`render`:

* a document: ``first_seen_at``, then its ``history`` entries (each
  "changed" entry holds the previous values; the new ones are the next
  entry's previous values, or the current fields), a gap ("gone" at its
  ``gone_since``, "back" when seen again), and ``last_seen_at``;
* a folder of JSON lines exports (``-O``/``-o`` feeds, dead-letter files):
  every line of the post is an observation at its ``scraped_at``; two
  consecutive observations that differ in a tracked field make a "changed"
  event. Exports do not say whether their crawl read the whole listing, so
  this source shows no gaps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kongblog.store.deadletters import read_records
from kongblog.store.documents import TRACKED_FIELDS, format_time

if TYPE_CHECKING:
    import datetime as dt

    from kongblog.store.documents import Observation

EXPORT_PATTERNS = ("*.jsonl", "*.jl")
SHOWN = 400  # characters of a value shown before it is cut (article bodies)


@dataclass
class Event:
    at: dt.datetime
    what: str  # first seen, changed, gone, back, last seen
    note: str = ""
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, before, after)


def _tracked(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in TRACKED_FIELDS if name in values}


def events_from_document(doc: dict[str, Any]) -> list[Event]:
    """The events of a stored post."""
    state = _tracked(doc)
    older: list[Event] = []
    for entry in reversed(doc.get("history") or []):
        if entry.get("event") == "changed":
            previous = entry.get("previous") or {}
            changes = [(name, before, state.get(name)) for name, before in previous.items()]
            state.update(previous)
            note = f"the previous values were last seen {format_time(entry['last_seen_at'])}"
            older.append(Event(entry["at"], "changed", note, changes))
        elif entry.get("event") == "back":
            older.append(Event(entry["at"], "back", f"gone since {format_time(entry['gone_since'])}"))
            older.append(Event(entry["gone_since"], "gone", f"last seen {format_time(entry['last_seen_at'])}"))
    events = [Event(doc["first_seen_at"], "first seen"), *reversed(older)]
    if doc.get("gone_since"):
        events.append(Event(doc["gone_since"], "gone", "missed by a healthy full crawl of its listing"))
    events.append(Event(doc["last_seen_at"], "last seen"))
    return events


def read_exports(folder: Path, slug: str) -> tuple[list[Observation], list[str]]:
    """The post's observations in the folder's exports, oldest first, and
    the problems met (unreadable files and lines)."""
    seen: list[Observation] = []
    problems: list[str] = []
    paths = sorted({path for pattern in EXPORT_PATTERNS for path in folder.glob(pattern)})
    for path in paths:
        try:
            for number, record in read_records(path):
                if isinstance(record, str):
                    problems.append(f"{path}:{number}: {record}")
                elif record.slug == slug:
                    seen.append(record)
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
    seen.sort(key=lambda observation: observation.seen_at)
    return seen, problems


def events_from_observations(seen: list[Observation]) -> list[Event]:
    """The events of a post's observations (oldest first). A field one of
    two observations lacks (an export without articles) is not compared."""
    events = [Event(seen[0].seen_at, "first seen")]
    for before, after in zip(seen, seen[1:], strict=False):
        old, new = _tracked(before.data), _tracked(after.data)
        changes = [(name, old[name], new[name]) for name in new if name in old and old[name] != new[name]]
        if changes:
            note = f"the previous values were last seen {format_time(before.seen_at)}"
            events.append(Event(after.seen_at, "changed", note, changes))
    events.append(Event(seen[-1].seen_at, "last seen"))
    return events


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}... ({len(text)} characters)"


def render(slug: str, url: Any, events: list[Event]) -> str:
    lines = [f"{slug}  {url}"]
    for event in events:
        lines.append(f"{format_time(event.at)}  {event.what}" + (f" ({event.note})" if event.note else ""))
        lines.extend(f"    {name}: {_shown(before)} -> {_shown(after)}" for name, before, after in event.changes)
    return "\n".join(lines)
