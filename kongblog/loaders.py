"""The item loader: every card string normalised here, once.

Extraction (:mod:`kongblog.extraction`) hands over the strings a card shows;
the processors below, small pure functions from :mod:`kongblog.text` and
:mod:`kongblog.urls`, turn them into item fields. Where and when the card was
found (page, position, time) comes with the item the loader starts from; the
slug and category slug are read off the normalised post URL.
"""

from __future__ import annotations

from datetime import datetime, timezone

from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from kongblog.items import PostItem
from kongblog.text import clean_text, is_truncated, parse_date, split_authors, strip_ellipsis
from kongblog.urls import absolute_url, canonical_post_url, category_slug_from_url, slug_from_url, unwrap_image_url


def utc_timestamp(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def humanize(slug: str | None) -> str | None:
    """A display name from a path segment, for cards that do not print their category."""
    return slug.replace("-", " ").title() if slug else None


_AS_GIVEN = Identity()
_FIRST = TakeFirst()


def absolute_image_url(src: str | None, loader_context) -> str | None:
    return absolute_url(src, loader_context["listing_url"])


class Each:
    """An input processor: ``functions`` applied in turn to every value, None
    dropped, lists flattened — MapCompose for functions that take no loader
    context and return a string, None or a list.

    MapCompose wraps each of its functions for the loader context on every
    call, which made the loader a fifth slower (docs/benchmarks.md).
    """

    def __init__(self, *functions) -> None:
        self.functions = functions

    def __call__(self, values: list) -> list:
        for function in self.functions:
            results: list = []
            for value in values:
                result = function(value)
                if isinstance(result, list):
                    results += result
                elif result is not None:
                    results.append(result)
            values = results
        return values


class PostLoader(ItemLoader):
    """Normalises the strings of a card; every field's processors are named in
    the two tables below (fields not named keep their value as given)."""

    default_item_class = PostItem
    input_processors = {
        "url": Each(canonical_post_url),
        "title": Each(clean_text),
        "category": Each(clean_text),
        "published": Each(parse_date),
        "excerpt": Each(clean_text, strip_ellipsis),
        "authors": Each(split_authors),
        "image_url": MapCompose(absolute_image_url, unwrap_image_url),
        "image_alt": Each(clean_text),
    }
    output_processors = {"authors": Identity()}

    # itemloaders looks a processor up on the loader, then on the item's
    # field metadata, for every value; the tables answer at once (half the
    # loader's time: see docs/benchmarks.md).
    def get_input_processor(self, field_name: str):
        return self.input_processors.get(field_name, _AS_GIVEN)

    def get_output_processor(self, field_name: str):
        return self.output_processors.get(field_name, _FIRST)

    @classmethod
    def load_card(cls, card, listing_url: str, number: int, scraped_at: str) -> PostItem:
        """The item of a :class:`~kongblog.extraction.card.RawCard` found on page ``number``."""
        loader = cls(listing_url=listing_url)
        strings = {
            "url": card.url,
            "title": card.title,
            "category": card.category,
            "published": card.date,
            "excerpt": card.excerpt,
            "authors": card.authors,
            "image_url": card.image_src,
            "image_alt": card.image_alt,
        }
        # One call for all fields, so itemloaders' per-call work is paid once a
        # card; a field with no string gets no value, as with add_value.
        loader.add_value(None, {name: value for name, value in strings.items() if value is not None})
        item = loader.load_item()
        item.excerpt_truncated = is_truncated(card.excerpt)  # the mark the excerpt loses above
        # Facts of the crawl, not strings of the page: nothing to normalise.
        item.listing_page, item.listing_position = number, card.position
        item.listing_url, item.scraped_at = listing_url, scraped_at
        return item

    def load_item(self) -> PostItem:
        item = super().load_item()
        # Read off the normalised URL, not the page: /blog/<category_slug>/<slug>.
        item.slug = slug_from_url(item.url)
        item.category_slug = category_slug_from_url(item.url)
        item.category = item.category or humanize(item.category_slug)
        return item

    @staticmethod
    def slug_of(card) -> str | None:
        """The slug a card's item will carry."""
        return slug_from_url(canonical_post_url(card.url))


