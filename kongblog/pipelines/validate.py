"""Validate every post card against the shipped JSON Schema.

Invalid cards are dropped with one :mod:`kongblog.pipelines.drops` class per
reason, so Scrapy's ``item_dropped_reasons_count/<Class>`` stats say why.
Besides, every problem field is counted in ``kongblog/invalid/<field>`` and,
for cards that pass, every optional field that is absent or null in
``kongblog/missing/<field>``.

Valid cards pass through untouched: the very same object, unchanged.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator

from kongblog.pipelines.drops import (
    InvalidDate,
    InvalidField,
    InvalidPost,
    MissingField,
    OffsiteUrl,
)
from kongblog.schemas import load_schema

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

__all__ = ["Problems", "ValidatePostPipeline", "check_post", "host_matches"]

#: A field name that stands for the item as a whole (e.g. not a mapping).
WHOLE_ITEM = "_item"


class Problems:
    """What is wrong with one card: problem fields grouped by drop reason."""

    def __init__(self) -> None:
        self.by_reason: dict[type[InvalidPost], dict[str, str]] = {}

    def add(self, reason: type[InvalidPost], field: str, detail: str) -> None:
        # A field keeps its first (most specific) reason only.
        if any(field in fields for fields in self.by_reason.values()):
            return
        self.by_reason.setdefault(reason, {})[field] = detail

    def __bool__(self) -> bool:
        return bool(self.by_reason)

    @property
    def fields(self) -> list[str]:
        return sorted({f for fields in self.by_reason.values() for f in fields})

    @property
    def reason(self) -> type[InvalidPost]:
        """The class to drop with: the first present in this order."""
        for cls in (MissingField, InvalidDate, OffsiteUrl, InvalidField):
            if cls in self.by_reason:
                return cls
        raise LookupError("no problem recorded")

    def describe(self) -> str:
        return "; ".join(
            f"{field}: {detail}"
            for fields in self.by_reason.values()
            for field, detail in fields.items()
        )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def host_matches(url: str, domains: Iterable[str]) -> bool:
    """Whether *url*'s host is one of *domains* or a subdomain of one.

    The port of *url* is ignored unless the domain entry names one
    (``"127.0.0.1:8080"``), as Scrapy's offsite filtering does.
    """
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return False
    if not host:
        return False
    host = host.rstrip(".")
    for domain in domains:
        if not domain:
            continue
        try:
            allowed = urlsplit(f"//{domain.strip()}")
            dhost, dport = allowed.hostname, allowed.port
        except ValueError:
            continue
        if not dhost:
            continue
        dhost = dhost.rstrip(".")
        if host != dhost and not host.endswith(f".{dhost}"):
            continue
        if dport is not None:
            default = {"http": 80, "https": 443}.get(parts.scheme)
            if (port or default) != dport:
                continue
        return True
    return False


def check_post(
    data: dict[str, Any],
    validator: Draft202012Validator,
    allowed_domains: Iterable[str] | None = None,
) -> Problems:
    """Every problem of the card *data* (a plain dict), by reason."""
    problems = Problems()
    schema = validator.schema
    required = set(schema.get("required", ()))
    known = set(schema.get("properties", {}))

    for error in validator.iter_errors(data):
        if error.validator == "required" and not error.path:
            for field in error.validator_value:
                if field not in data:
                    problems.add(MissingField, field, "missing")
            continue
        if error.validator == "additionalProperties" and not error.path:
            for field in sorted(set(data) - known):
                problems.add(InvalidField, field, "unknown field")
            continue
        if not error.path:
            problems.add(InvalidField, WHOLE_ITEM, error.message)
            continue
        field = str(error.path[0])
        value = data.get(field)
        if field in required and _blank(value):
            problems.add(MissingField, field, "null or blank")
        elif field == "published":
            problems.add(InvalidDate, field, f"{value!r} is not YYYY-MM-DD")
        else:
            problems.add(InvalidField, field, error.message)

    published = data.get("published")
    if isinstance(published, str) and "published" not in problems.fields:
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            problems.add(InvalidDate, "published", f"{published!r} is not a calendar date")

    url = data.get("url")
    domains = [d for d in (allowed_domains or ()) if d]
    if domains and isinstance(url, str) and "url" not in problems.fields:
        if not host_matches(url, domains):
            host = urlsplit(url).hostname
            problems.add(OffsiteUrl, "url", f"host {host!r} is not in {domains!r}")
    return problems


class ValidatePostPipeline:
    """Drop cards that break ``kongblog/schemas/post.schema.json``."""

    def __init__(self, crawler: Crawler, schema: dict[str, Any]) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        Draft202012Validator.check_schema(schema)
        self.validator = Draft202012Validator(schema)
        required = set(schema.get("required", ()))
        self.optional_fields = tuple(
            f for f in schema.get("properties", {}) if f not in required
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, load_schema())

    def _allowed_domains(self) -> list[str]:
        spider = getattr(self.crawler, "spider", None)
        return list(getattr(spider, "allowed_domains", None) or ())

    def process_item(self, item: Any) -> Any:
        if ItemAdapter.is_item(item):
            data = ItemAdapter(item).asdict()
        else:
            data = item
        if not isinstance(data, dict):
            problems = Problems()
            problems.add(InvalidField, WHOLE_ITEM, f"not an item: {type(item).__name__}")
        else:
            problems = check_post(data, self.validator, self._allowed_domains())
        if problems:
            for field in problems.fields:
                self.stats.inc_value(f"kongblog/invalid/{field}")
            slug = data.get("slug") if isinstance(data, dict) else None
            url = data.get("url") if isinstance(data, dict) else None
            reason = problems.reason
            raise reason(
                f"{reason.__name__} slug={slug!r} url={url!r}: {problems.describe()}",
                fields=problems.fields,
            )
        # Only the fields this kind of item carries: a card has no article fields.
        for field in self.optional_fields:
            if field in data and data[field] is None:
                self.stats.inc_value(f"kongblog/missing/{field}")
        return item
