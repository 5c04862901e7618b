"""A post's document, and the updates that write it (see docs/mongo.md, "How a batch is written").

Besides the item's fields a document holds ``first_seen_at``, ``last_seen_at``,
``content_hash`` (sha256 of the card fields), ``updated_at`` (when the card last
changed), ``gone_since`` (see :meth:`kongblog.store.posts.PostStore.mark_gone`)
and ``history``, oldest first, its newest ``MONGO_HISTORY_LIMIT`` entries::

    {"event": "changed", "at": <seen>, "last_seen_at": <old>, "previous": {"title": "Old title"}}
    {"event": "back", "at": <seen>, "gone_since": <mark>, "last_seen_at": <old>}

Every update matches only a document last seen *before* the observation: the
newest observation wins; an older one misses and, its slug being taken, gets
a duplicate-key error instead of an insert. :meth:`Observation.seen_op` is the
steady state (same card, not gone: a plain update); the posts it misses get
:meth:`Observation.revision_op`, where the stored values decide.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from functools import cached_property
from typing import Any, Self

from itemadapter import ItemAdapter
from pymongo import InsertOne, UpdateOne

from kongblog.items import CARD_FIELDS, ArticlePostItem, PostItem, item_fields

#: Fields whose previous values the history keeps: what a reader sees of the
#: post (where it sits on the listing, and when it was read, is not content).
ARTICLE_FIELDS = tuple(
    name for name in (f.name for f in dataclasses.fields(ArticlePostItem)) if name not in PostItem.__dataclass_fields__
)
TRACKED_FIELDS = tuple(name for name in CARD_FIELDS if name != "slug") + ARTICLE_FIELDS
BOOKKEEPING = ("_id", "first_seen_at", "last_seen_at", "content_hash", "updated_at", "gone_since", "history")


def content_hash(data: dict[str, Any]) -> str:
    """sha256 (hex) of the card fields of *data* as canonical JSON: keys
    sorted, no whitespace, UTF-8, absent fields as null."""
    card = {name: data.get(name) for name in CARD_FIELDS}
    text = json.dumps(card, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_now() -> dt.datetime:
    """Now, UTC, truncated to the millisecond (what BSON dates hold)."""
    now = dt.datetime.now(dt.timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def format_time(value: dt.datetime) -> str:
    """ISO 8601 UTC with milliseconds and a Z, e.g. 2026-11-26T20:10:11.123Z."""
    value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def parse_time(text: str) -> dt.datetime:
    """The inverse of :func:`format_time` (any ISO 8601 with an offset or Z)."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    value = value.astimezone(dt.timezone.utc)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


@dataclasses.dataclass(frozen=True)
class Observation:
    """A post as one crawl saw it, and when (the store's clock)."""

    data: dict[str, Any]
    seen_at: dt.datetime

    @classmethod
    def from_item(cls, item: Any, seen_at: dt.datetime | None = None) -> Self:
        data = item_fields(item) if ItemAdapter.is_item(item) else dict(item)
        return cls(data=data, seen_at=seen_at or utc_now())

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Self:
        """From a dead-letter line, or from a bare item line (a feed export),
        whose time is its ``scraped_at`` when set, else now."""
        if isinstance(record.get("item"), dict) and "seen_at" in record:
            return cls(data=dict(record["item"]), seen_at=parse_time(record["seen_at"]))
        scraped_at = record.get("scraped_at")
        return cls(data=dict(record), seen_at=parse_time(scraped_at) if isinstance(scraped_at, str) else utc_now())

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
        """Insert the post, or move ``last_seen_at`` of a post stored with this
        card (and these article fields) and not marked gone; its listing page
        and position may move."""
        query = {"slug": self.slug, "content_hash": self.content_hash,
                 "gone_since": {"$exists": False}, "last_seen_at": {"$lt": self.seen_at}}  # fmt: skip
        query |= {name: self.data[name] for name in ARTICLE_FIELDS if name in self.data}
        update = {"$set": {**self.fields, "last_seen_at": self.seen_at}, "$setOnInsert": {"first_seen_at": self.seen_at}}
        return UpdateOne(query, update, upsert=True)

    def revision_op(self, history_limit: int) -> UpdateOne:
        return UpdateOne(*self.revision_spec(history_limit), upsert=True)

    def revision_spec(self, history_limit: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """(filter, pipeline) of the write whatever is stored, unless newer:
        fields, hash, times, the mark cleared; with *history_limit* > 0, the
        end of a gap and the previous values of what changed go into the history."""
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
        """An array expression: ``[the "changed" entry]`` holding the stored
        values of the tracked fields this observation changes, or ``[]``.

        Stored and new values are compared as two arrays (one comparison
        when nothing changed), then ``$zip`` pairs them by field. An article
        field the document lacks (its page read for the first time) counts
        as unchanged."""
        names = [name for name in TRACKED_FIELDS if name in self.data]
        new = [self.data[name] for name in names]
        stored = [
            f"${name}" if name in CARD_FIELDS else {"$cond": [{"$ne": [{"$type": f"${name}"}, "missing"]}, f"${name}", {"$literal": value}]}
            for name, value in zip(names, new, strict=True)
        ]  # fmt: skip
        pairs = {"$zip": {"inputs": [{"$literal": names}, "$$stored", {"$literal": new}]}}
        differing = {"$filter": {"input": pairs, "cond": {"$ne": [{"$arrayElemAt": ["$$this", 1]}, {"$arrayElemAt": ["$$this", 2]}]}}}
        previous = {"$arrayToObject": {"$map": {"input": differing, "in": [{"$arrayElemAt": ["$$this", 0]}, {"$arrayElemAt": ["$$this", 1]}]}}}
        entry = {"event": "changed", "at": self.seen_at, "last_seen_at": "$last_seen_at", "previous": previous}
        return {"$let": {"vars": {"stored": stored}, "in": {"$cond": [{"$ne": ["$$stored", {"$literal": new}]}, [entry], []]}}}
