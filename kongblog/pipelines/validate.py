"""Validate every post card against the shipped JSON Schema.

Invalid cards are dropped with one :mod:`kongblog.pipelines.drops` class per
reason, so Scrapy's ``item_dropped_reasons_count/<Class>`` stats say why.
Besides, every problem field is counted in ``kongblog/invalid/<field>`` and,
for cards that pass, every optional field that is absent or null in
``kongblog/missing/<field>``.

Valid cards pass through untouched: the very same object, unchanged.

Nearly every card is valid, and jsonschema takes about 0.1 ms to say so. A
card is therefore first checked by the same schema compiled to Python code
by fastjsonschema (ten times faster); only a card it rejects is diagnosed by
jsonschema, which names every problem field. Both read the shipped schema,
and a test holds them to the same verdicts.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

import fastjsonschema
from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator

from kongblog.items import item_fields
from kongblog.pipelines.drops import (
    VALIDATION_DROPS,
    InvalidDate,
    InvalidField,
    InvalidPost,
    MissingField,
    OffsiteUrl,
)
from kongblog.schemas import load_schema
from kongblog.stats import REPLACEMENT_CHARS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

__all__ = ["Problems", "ValidatePostPipeline", "check_post", "compile_fast_check", "host_matches"]

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
        for cls in VALIDATION_DROPS:
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


def compile_fast_check(schema: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """A yes/no check of *schema*, compiled to Python code.

    Formats are not asserted, as jsonschema does not assert them without a
    format checker (2020-12 makes them annotations): the date is checked by
    :func:`check_post` itself.
    """
    validate = fastjsonschema.compile(schema, use_formats=False)

    def passes(data: dict[str, Any]) -> bool:
        try:
            validate(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return passes


def is_calendar_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_ORIGIN = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


def _origin_matches(url: str, domains: tuple[str, ...]) -> bool:
    """``host_matches`` for the many URLs of one crawl, which share an origin."""
    origin = _ORIGIN.match(url)
    return origin is not None and _host_matches_cached(origin.group(), domains)


@lru_cache(maxsize=256)
def _host_matches_cached(origin: str, domains: tuple[str, ...]) -> bool:
    return host_matches(origin, domains)


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
    if isinstance(published, str) and "published" not in problems.fields and not is_calendar_date(published):
        problems.add(InvalidDate, "published", f"{published!r} is not a calendar date")

    url = data.get("url")
    domains = [d for d in (allowed_domains or ()) if d]
    if domains and isinstance(url, str) and "url" not in problems.fields:
        if not host_matches(url, domains):
            host = urlsplit(url).hostname
            problems.add(OffsiteUrl, "url", f"host {host!r} is not in {domains!r}")
    return problems


def garbled_fields(data: dict[str, Any]) -> list[str]:
    """The fields holding U+FFFD: bytes the page's declared charset could not decode."""
    garbled = []
    for name, value in data.items():
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\ufffd" in text for text in texts):
            garbled.append(name)
    return garbled


class ValidatePostPipeline:
    """Drop cards that break ``kongblog/schemas/post.schema.json``."""

    def __init__(self, crawler: Crawler, schema: dict[str, Any]) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        Draft202012Validator.check_schema(schema)
        self.validator = Draft202012Validator(schema)
        self.passes_schema = compile_fast_check(schema)
        required = set(schema.get("required", ()))
        self.optional_fields = tuple(
            f for f in schema.get("properties", {}) if f not in required
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, load_schema())

    @cached_property
    def allowed_domains(self) -> tuple[str, ...]:
        """The spider's, read once: they are set when it is built."""
        spider = getattr(self.crawler, "spider", None)
        return tuple(d for d in getattr(spider, "allowed_domains", None) or () if d)

    def is_valid(self, data: dict[str, Any], domains: tuple[str, ...]) -> bool:
        """The fast verdict; :func:`check_post` gives the same one, with reasons."""
        if not self.passes_schema(data):
            return False
        published = data["published"]  # required by the schema
        if not is_calendar_date(published):
            return False
        return not domains or _origin_matches(data["url"], domains)

    def process_item(self, item: Any) -> Any:
        data = item_fields(item) if ItemAdapter.is_item(item) else item
        if not isinstance(data, dict):
            problems = Problems()
            problems.add(InvalidField, WHOLE_ITEM, f"not an item: {type(item).__name__}")
        else:
            domains = self.allowed_domains
            problems = Problems() if self.is_valid(data, domains) else check_post(data, self.validator, domains)
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
        for field in garbled_fields(data):
            self.stats.inc_value(REPLACEMENT_CHARS + field)
        # Only the fields this kind of item carries: a card has no article fields.
        for field in self.optional_fields:
            if field in data and data[field] is None:
                self.stats.inc_value(f"kongblog/missing/{field}")
        return item
