"""Why an item was dropped: one :class:`~scrapy.exceptions.DropItem` subclass per reason.

Scrapy counts drops per class (``item_dropped_reasons_count/<ClassName>``), so the stats say *why*
items were lost. Each class sets the level of Scrapy's "Dropped: ..." log line (else
``DEFAULT_DROPITEM_LOG_LEVEL``, WARNING): a live blog has odd cards now and then, and a listing that
shifts while it is read repeats cards, both as a matter of course.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from kongblog.schemas import BAD_DATE, INVALID, MISSING


class InvalidPost(DropItem):
    """Base class of the validation drops, logged at INFO: the stats count them."""

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
VALIDATION_DROPS = tuple(DROP_FOR.values())


class DuplicatePost(DropItem):
    """A post whose slug was seen earlier in this crawl, logged at DEBUG."""

    def __init__(self, message: str, log_level: str = "DEBUG") -> None:
        super().__init__(message, log_level=log_level)
