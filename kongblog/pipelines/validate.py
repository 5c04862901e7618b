"""Validate every post card against the shipped JSON Schema (kongblog/schemas/post.schema.json).

An invalid card is dropped for its worst problem (missing required field, then bad date, then anything else),
every problem field counted; of a valid card, null optional fields and fields holding U+FFFD are counted.
"""

from __future__ import annotations

from typing import Any, Self

from kongblog.items import item_fields
from kongblog.pipelines.drops import DROP_FOR
from kongblog.schemas import BAD_DATE, INVALID, MISSING, PostSchema
from kongblog.stats import INVALID as INVALID_FIELD, MISSING as MISSING_FIELD, REPLACEMENT_CHARS


class ValidatePostPipeline:
    def __init__(self, stats) -> None:
        self.stats = stats
        self.schema = PostSchema()

    @classmethod
    def from_crawler(cls, crawler) -> Self:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        data = item_fields(item)
        problems = self.schema.problems(data)
        if problems:
            for name in problems:
                self.stats.inc_value(INVALID_FIELD + name)
            reason = DROP_FOR[next(kind for kind in (MISSING, BAD_DATE, INVALID) if kind in problems.values())]
            described = "; ".join(f"{name}: {kind}" for name, kind in sorted(problems.items()))
            raise reason(f"{reason.__name__} slug={data.get('slug')!r} url={data.get('url')!r}: {described}")
        for name, value in data.items():
            texts = value if isinstance(value, list) else [value]
            if value is None:  # an optional field: the required ones passed the schema
                self.stats.inc_value(MISSING_FIELD + name)
            elif any(isinstance(text, str) and "\ufffd" in text for text in texts):
                self.stats.inc_value(REPLACEMENT_CHARS + name)
        return item
