"""A post's document, the updates that write it (docs/mongo.md, "How a batch is written"), and
the dead-letter file of the posts that could not be stored (JSON lines, for ``scrapy replay``).

Every update matches only a document last seen *before* the observation, so
the newest observation wins; an older one misses and, its slug being taken,
gets a duplicate-key error instead of an insert.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from itemadapter import ItemAdapter
from pymongo import InsertOne, UpdateOne

from kongblog.items import CARD_FIELDS, ArticlePostItem, PostItem
from kongblog.jsonlines import read_objects

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

ARTICLE_FIELDS = tuple(
    name for name in ArticlePostItem.__dataclass_fields__ if name not in PostItem.__dataclass_fields__
)
#: Fields whose previous values the history keeps: what a reader sees of the post.
TRACKED_FIELDS = tuple(name for name in CARD_FIELDS if name != "slug") + ARTICLE_FIELDS
BOOKKEEPING = ("_id", "first_seen_at", "last_seen_at", "content_hash", "updated_at", "gone_since", "history")
CANONICAL_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(data: dict[str, Any]) -> str:
    """sha256 (hex) of the card fields as canonical JSON (sorted keys, no whitespace, UTF-8, absent = null)."""
    card = {name: data.get(name) for name in CARD_FIELDS}
    return hashlib.sha256(CANONICAL_JSON.encode(card).encode("utf-8")).hexdigest()


def to_millisecond(value: dt.datetime) -> dt.datetime:
    """Truncated to the millisecond (what BSON dates hold)."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def utc_now() -> dt.datetime:
    return to_millisecond(dt.datetime.now(dt.timezone.utc))


def format_time(value: dt.datetime) -> str:
    """ISO 8601 UTC with milliseconds and a Z, e.g. 2026-11-26T20:10:11.123Z."""
    return value.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str) -> dt.datetime:
    """Any ISO 8601 time (UTC when it has no offset), to the millisecond."""
    value = dt.datetime.fromisoformat(text)
    return to_millisecond(value.astimezone(dt.timezone.utc) if value.tzinfo else value.replace(tzinfo=dt.timezone.utc))


@dataclasses.dataclass(frozen=True)
class Observation:
    """A post as one crawl saw it, and when (the store's clock)."""

    data: dict[str, Any]
    seen_at: dt.datetime

    @classmethod
    def from_item(cls, item: Any, seen_at: dt.datetime | None = None) -> Self:
        return cls(dict(ItemAdapter(item)), seen_at or utc_now())  # (its values shared, never mutated)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Self:
        """From a dead-letter line, or from a bare item line (a feed export) at its ``scraped_at``, else now."""
        if isinstance(record.get("item"), dict) and "seen_at" in record:
            seen_at = parse_time(record["seen_at"])
            # The newest observation wins: one from the future would win over every later crawl and freeze the post.
            if seen_at > utc_now() + dt.timedelta(days=1):
                raise ValueError(f"seen_at {record['seen_at']} is in the future")
            return cls(dict(record["item"]), seen_at)
        scraped_at = record.get("scraped_at")
        return cls(dict(record), parse_time(scraped_at) if isinstance(scraped_at, str) else utc_now())

    def to_record(self) -> dict[str, Any]:
        """The dead-letter line of this observation."""
        return {"seen_at": format_time(self.seen_at), "item": self.data}

    @property
    def slug(self) -> Any:
        return self.data.get("slug")

    @cached_property
    def content_hash(self) -> str:
        return content_hash(self.data)

    @property
    def fields(self) -> dict[str, Any]:
        """The item's own fields (never the store's bookkeeping)."""
        return {name: value for name, value in self.data.items() if name not in BOOKKEEPING}

    def insert_op(self) -> InsertOne:
        """The post as a new document (into a collection that was empty)."""
        t = self.seen_at
        return InsertOne({**self.fields, "content_hash": self.content_hash, "first_seen_at": t, "last_seen_at": t})

    def seen_op(self) -> UpdateOne:
        """Insert the post, or move ``last_seen_at`` of a post stored with this card
        (and these article fields) and not marked gone."""
        query = {"slug": self.slug, "content_hash": self.content_hash,
                 "gone_since": {"$exists": False}, "last_seen_at": {"$lt": self.seen_at}}  # fmt: skip
        query |= {name: self.data[name] for name in ARTICLE_FIELDS if name in self.data}
        update = {"$set": {**self.fields, "last_seen_at": self.seen_at}}
        return UpdateOne(query, update | {"$setOnInsert": {"first_seen_at": self.seen_at}}, upsert=True)

    def revision_op(self, history_limit: int) -> UpdateOne:
        return UpdateOne(*self.revision_spec(history_limit), upsert=True)

    def revision_spec(self, history_limit: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """(filter, pipeline) of the write whatever is stored, unless newer: fields,
        hash, times, the mark cleared, and (*history_limit* > 0) the history entries."""
        t, h = self.seen_at, self.content_hash
        changed = {"$ne": [{"$ifNull": ["$content_hash", h]}, h]}
        stage: dict[str, Any] = {name: {"$literal": value} for name, value in self.fields.items()}
        stage |= {
            "content_hash": {"$literal": h},
            "first_seen_at": {"$ifNull": ["$first_seen_at", t]},
            "last_seen_at": {"$max": ["$last_seen_at", t]},
            "updated_at": {"$cond": [changed, t, "$updated_at"]},
            "gone_since": "$$REMOVE",
        }
        if history_limit > 0:
            back = {"event": "back", "at": t, "gone_since": "$gone_since", "last_seen_at": "$last_seen_at"}
            entries = [{"$cond": [{"$ne": [{"$type": "$gone_since"}, "missing"]}, [back], []]}, self._change_entry()]
            grown = {"$concatArrays": [{"$ifNull": ["$history", []]}, *entries]}
            stage["history"] = {"$let": {"vars": {"grown": grown}, "in": {"$cond": [
                {"$gt": [{"$size": "$$grown"}, {"$size": {"$ifNull": ["$history", []]}}]},
                {"$slice": ["$$grown", -history_limit]},
                "$history",
            ]}}}  # fmt: skip
        return {"slug": self.slug, "last_seen_at": {"$not": {"$gte": t}}}, [{"$set": stage}]

    def _change_entry(self) -> dict[str, Any]:
        """``[the "changed" entry]`` (the stored values of the tracked fields that
        differ), or ``[]``. Stored and new values are compared as two arrays (one
        comparison when nothing changed), then ``$zip`` pairs them by field. An
        article field the document lacks (read for the first time) is unchanged."""
        names = [name for name in TRACKED_FIELDS if name in self.data]
        new = [self.data[name] for name in names]
        stored = [
            f"${name}" if name in CARD_FIELDS
            else {"$cond": [{"$eq": [{"$type": f"${name}"}, "missing"]}, {"$literal": value}, f"${name}"]}
            for name, value in zip(names, new, strict=True)
        ]  # fmt: skip
        key, before, after = ({"$arrayElemAt": ["$$this", i]} for i in range(3))
        pairs = {"$zip": {"inputs": [{"$literal": names}, "$$stored", {"$literal": new}]}}
        differing = {"$filter": {"input": pairs, "cond": {"$ne": [before, after]}}}
        previous = {"$arrayToObject": {"$map": {"input": differing, "in": [key, before]}}}
        entry = {"event": "changed", "at": self.seen_at, "last_seen_at": "$last_seen_at", "previous": previous}
        differs = {"$ne": ["$$stored", {"$literal": new}]}
        return {"$let": {"vars": {"stored": stored}, "in": {"$cond": [differs, [entry], []]}}}


class DeadLetterFile:
    """Created on first use (appended to when it exists); in the path template
    ``{timestamp}`` becomes the UTC time of that use and ``{pid}`` the process id.
    Appending blocks (it fsyncs): the pipeline's one writer calls it off the event loop."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.path: Path | None = None
        self.count = 0

    def append(self, posts: Iterable[Observation]) -> int:
        lines = [json.dumps(post.to_record(), ensure_ascii=False, default=str) + "\n" for post in posts]
        if self.path is None:
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            self.path = Path(self.template.replace("{timestamp}", stamp).replace("{pid}", str(os.getpid())))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.writelines(lines)
            handle.flush()
            os.fsync(handle.fileno())
        self.count += len(lines)
        return len(lines)


def read_records(path: str | os.PathLike[str]) -> Iterator[tuple[int, Observation | str]]:
    """``(line number, observation)`` per non-blank line of a dead-letter file or
    feed export; a line that is not a post gives ``(line number, why)``."""
    for number, record in read_objects(path):
        try:
            yield number, record if isinstance(record, str) else Observation.from_record(record)
        except (ValueError, TypeError, KeyError) as exc:
            yield number, f"{type(exc).__name__}: {exc}"
