"""Validate every post card against the shipped JSON Schema (kongblog/schemas/post.schema.json).

An invalid card is dropped with one :mod:`kongblog.pipelines.drops` class per
reason (a missing required field first, then a bad date, then anything
else), so Scrapy's ``item_dropped_reasons_count/<Class>`` stats say why.
Every problem field is counted in ``kongblog/invalid/<field>``; for the cards
that pass, every optional field they lack in ``kongblog/missing/<field>`` and
every field holding U+FFFD (text the page's charset could not decode) in
``kongblog/replacement_characters/<field>``. Valid cards pass unchanged.
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
            if name in self.schema.optional and value is None:
                self.stats.inc_value(MISSING_FIELD + name)
            elif any("\ufffd" in text for text in (value if isinstance(value, list) else [value]) if isinstance(text, str)):
                self.stats.inc_value(REPLACEMENT_CHARS + name)
        return item
