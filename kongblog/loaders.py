"""The item loader: every card string normalised here, once.

Extraction (:mod:`kongblog.extraction`) hands over the strings a card shows;
the processors below, small pure functions from :mod:`kongblog.text` and
:mod:`kongblog.urls`, turn them into item fields.
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


def absolute_image_url(src: str | None, loader_context) -> str | None:
    return absolute_url(src, loader_context["listing_url"])


class PostLoader(ItemLoader):
    default_item_class = PostItem
    default_input_processor = MapCompose(clean_text)
    default_output_processor = TakeFirst()

    url_in = MapCompose(canonical_post_url)
    slug_in = MapCompose(canonical_post_url, slug_from_url)
    category_slug_in = MapCompose(canonical_post_url, category_slug_from_url)
    published_in = MapCompose(parse_date)
    excerpt_in = MapCompose(clean_text, strip_ellipsis)
    excerpt_truncated_in = MapCompose(is_truncated)
    authors_in = MapCompose(split_authors)
    authors_out = Identity()
    image_url_in = MapCompose(absolute_image_url, unwrap_image_url)
    listing_page_in = Identity()
    listing_position_in = Identity()

    @classmethod
    def load_card(cls, card, listing_url: str, number: int, scraped_at: str) -> PostItem:
        """The item of a :class:`~kongblog.extraction.card.RawCard` found on page ``number``."""
        loader = cls(listing_url=listing_url)
        loader.add_value("url", card.url)
        loader.add_value("slug", card.url)
        loader.add_value("title", card.title)
        loader.add_value("category", card.category or humanize(category_slug_from_url(canonical_post_url(card.url))))
        loader.add_value("category_slug", card.url)
        loader.add_value("published", card.date)
        loader.add_value("excerpt", card.excerpt)
        loader.add_value("excerpt_truncated", card.excerpt or "")
        loader.add_value("authors", card.authors)
        loader.add_value("image_url", card.image_src)
        loader.add_value("image_alt", card.image_alt)
        loader.add_value("listing_page", number)
        loader.add_value("listing_position", card.position)
        loader.add_value("listing_url", listing_url)
        loader.add_value("scraped_at", scraped_at)
        return loader.load_item()

    @staticmethod
    def slug_of(card) -> str | None:
        """The slug a card's item will carry."""
        return slug_from_url(canonical_post_url(card.url))
