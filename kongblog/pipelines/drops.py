"""Why an item was dropped: one :class:`~scrapy.exceptions.DropItem` subclass
per reason.

Scrapy counts drops per exception class in the
``item_dropped_reasons_count/<ClassName>`` stats, so a class per reason makes
the end-of-crawl stats say *why* items were lost, not only how many.

Each class carries a default log level for Scrapy's "Dropped: ..." line
(``DropItem(message, log_level=...)``, which Scrapy 2.19's LogFormatter uses
before falling back to the ``DEFAULT_DROPITEM_LOG_LEVEL`` setting, WARNING). Invalid
cards are logged at INFO: a live blog has odd cards now and then and the stats
already count them. Duplicates are logged at DEBUG: a listing that shifts while
we page through it repeats cards as a matter of course.
"""

from __future__ import annotations

from collections.abc import Iterable

from scrapy.exceptions import DropItem

__all__ = [
    "DuplicatePost",
    "InvalidDate",
    "InvalidField",
    "InvalidPost",
    "MissingField",
    "OffsiteUrl",
    "VALIDATION_DROPS",
]


class InvalidPost(DropItem):
    """Base class of the validation drops; ``fields`` names the problem
    fields (all of them, not only the one that chose the class)."""

    default_log_level = "INFO"

    def __init__(
        self,
        message: str,
        fields: Iterable[str] = (),
        log_level: str | None = None,
    ) -> None:
        super().__init__(message, log_level=log_level or self.default_log_level)
        self.fields: tuple[str, ...] = tuple(fields)


class MissingField(InvalidPost):
    """A required field is absent, null or blank."""


class InvalidDate(InvalidPost):
    """``published`` is not a real calendar date written as YYYY-MM-DD."""


class OffsiteUrl(InvalidPost):
    """The post ``url`` is not on the host being crawled."""


class InvalidField(InvalidPost):
    """Any other schema violation (wrong type, bad URL shape, unknown field...)."""


#: Every validation drop, in the order that picks a card's one reason.
VALIDATION_DROPS: tuple[type[InvalidPost], ...] = (MissingField, InvalidDate, OffsiteUrl, InvalidField)


class DuplicatePost(DropItem):
    """A post whose slug was already seen earlier in this crawl."""

    default_log_level = "DEBUG"

    def __init__(self, message: str, log_level: str | None = None) -> None:
        super().__init__(message, log_level=log_level or self.default_log_level)
