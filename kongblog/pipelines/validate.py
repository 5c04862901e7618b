"""Validate every post card against the shipped JSON Schema (kongblog/schemas/post.schema.json).

Only what cannot be a post is dropped: a required field missing (then malformed) or a field the schema does
not know; every problem field is counted. A malformed optional field (a date that does not exist, an image
URL that is no http(s) URL) is set to null on the kept post and counted. Of a kept post, null optional
fields and fields holding U+FFFD are counted.
"""

from __future__ import annotations

from typing import Any, Self

from itemadapter import ItemAdapter

from kongblog import stats as keys
from kongblog.pipelines.drops import DROP_FOR
from kongblog.schemas import MALFORMED, MISSING, PostSchema


class ValidatePostPipeline:
    def __init__(self, stats) -> None:
        self.stats = stats
        self.schema = PostSchema()

    @classmethod
    def from_crawler(cls, crawler) -> Self:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        data = dict(adapter)  # the compiled schema takes a dict (a shallow one: asdict() costs 5x the check)
        if problems := self.schema.problems(data):
            for name in problems:
                self.stats.inc_value(keys.INVALID_FIELDS + name)
            fatal = {name: kind for name, kind in problems.items() if name not in self.schema.optional}
            if fatal:
                reason = DROP_FOR[MISSING if MISSING in fatal.values() else MALFORMED]
                described = "; ".join(f"{name}: {kind}" for name, kind in sorted(problems.items()))
                raise reason(f"{reason.__name__} slug={data.get('slug')!r} url={data.get('url')!r}: {described}")
            for name in problems:  # optional fields only: the post is kept without them
                adapter[name] = data[name] = [] if name == "authors" else None  # the item's own default
        for name, value in data.items():
            if value is None:  # an optional field: the required ones passed the schema
                self.stats.inc_value(keys.NULL_FIELDS + name)
                continue
            texts = value if isinstance(value, list) else [value]
            if any(isinstance(text, str) and "\ufffd" in text for text in texts):
                self.stats.inc_value(keys.REPLACEMENT_CHARS + name)
        return item
