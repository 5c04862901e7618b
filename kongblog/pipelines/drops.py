"""Why an item was dropped: one :class:`~scrapy.exceptions.DropItem` subclass per reason.

Scrapy counts drops per class (``item_dropped_reasons_count/<ClassName>``), so the stats say *why*
items were lost. Each class sets the level of Scrapy's "Dropped: ..." log line (else
``DEFAULT_DROPITEM_LOG_LEVEL``, WARNING): a live blog has odd cards now and then, and a listing that
shifts while it is read repeats cards, both as a matter of course.

Only what cannot be a post is dropped: a card without a post URL or a title. A missing or malformed
optional field (a date, a byline, an image) is null on a kept post (kongblog.pipelines.validate).
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from kongblog.schemas import MALFORMED, MISSING


class InvalidPost(DropItem):
    """Base class of the validation drops, logged at INFO: the stats count them."""

    def __init__(self, message: str, log_level: str = "INFO") -> None:
        super().__init__(message, log_level=log_level)


class MissingField(InvalidPost):
    """A required field (what makes a card a post: its URL, slug, title, page) is absent, null or blank."""


class InvalidField(InvalidPost):
    """A required field is not what the schema says (a URL with a query, page 0...), or the item holds
    a field the schema does not know."""


#: The drop of a card by its worst problem (see kongblog.schemas).
DROP_FOR: dict[str, type[InvalidPost]] = {MISSING: MissingField, MALFORMED: InvalidField}
VALIDATION_DROPS = tuple(DROP_FOR.values())


class DuplicatePost(DropItem):
    """A post whose slug was seen earlier in this crawl, logged at DEBUG."""

    def __init__(self, message: str, log_level: str = "DEBUG") -> None:
        super().__init__(message, log_level=log_level)
