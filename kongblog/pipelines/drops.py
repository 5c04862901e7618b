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

from scrapy.exceptions import DropItem

from kongblog.schemas import BAD_DATE, INVALID, MISSING

__all__ = ["DROP_FOR", "DuplicatePost", "InvalidDate", "InvalidField", "InvalidPost", "MissingField", "VALIDATION_DROPS"]


class InvalidPost(DropItem):
    """Base class of the validation drops. Logged at INFO: a live blog has odd
    cards now and then, and the stats count them."""

    def __init__(self, message: str, log_level: str = "INFO") -> None:
        super().__init__(message, log_level=log_level)


class MissingField(InvalidPost):
    """A required field is absent, null or blank."""


class InvalidDate(InvalidPost):
    """``published`` is not a real calendar date written as YYYY-MM-DD."""


class InvalidField(InvalidPost):
    """Any other schema violation (wrong type, bad URL shape, unknown field...)."""


#: The drop of a card by its worst problem (see kongblog.schemas).
DROP_FOR: dict[str, type[InvalidPost]] = {MISSING: MissingField, BAD_DATE: InvalidDate, INVALID: InvalidField}
#: Every validation drop.
VALIDATION_DROPS: tuple[type[InvalidPost], ...] = (MissingField, InvalidDate, InvalidField)


class DuplicatePost(DropItem):
    """A post whose slug was already seen earlier in this crawl. Logged at
    DEBUG: a listing that shifts while it is read repeats cards."""

    def __init__(self, message: str, log_level: str = "DEBUG") -> None:
        super().__init__(message, log_level=log_level)
