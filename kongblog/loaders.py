"""The item loader: the raw strings of a card (and the fields of its article page) to an item.

Each field declares its processors (``<field>_in`` / ``<field>_out``), built from the functions of
kongblog.text and kongblog.urls; a field the card does not show gets no value and keeps its default
(null, or [] for authors). Adding a field means declaring it in kongblog.items and its processors here.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cache

from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from kongblog.items import ArticlePostItem, PostItem
from kongblog.text import clean_text, is_truncated, parse_date, split_authors, strip_ellipsis
from kongblog.urls import absolute_url, category_slug_from_url, unwrap_image_url


def utc_timestamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def category_label(category_slug: str) -> str:
    """"Product Releases" from ``product-releases``: the label of a card that shows none."""
    return category_slug.replace("-", " ").title()


def absolute_image_url(src: str, loader_context) -> str | None:
    """An image's ``src`` joined to the listing page it is on (the loader's ``listing_url``)."""
    return absolute_url(src, loader_context["listing_url"])


class PostLoader(ItemLoader):
    """Loads a :class:`~kongblog.extraction.card.RawCard` into a :class:`PostItem` (:meth:`load_card`),
    and an article page's fields into an :class:`ArticlePostItem` (:meth:`load_article`)."""

    default_item_class = PostItem
    default_output_processor = TakeFirst()  # one value a field; the first shown wins

    title_in = MapCompose(clean_text)
    category_in = MapCompose(clean_text)  # the card's label, then the one read off the URL
    published_in = MapCompose(parse_date)
    excerpt_in = MapCompose(clean_text, strip_ellipsis)
    excerpt_truncated_in = MapCompose(is_truncated)  # fed the raw excerpt: the mark excerpt_in strips
    authors_in = MapCompose(split_authors)  # each byline string to its names
    authors_out = Identity()
    image_url_in = MapCompose(absolute_image_url, unwrap_image_url)
    image_alt_in = MapCompose(clean_text)

    # itemloaders looks a field's processors up for every value it adds (in the item's field metadata when the
    # loader declares none); declared on this class only, they are looked up once a field: 9 % of a crawl's
    # CPU, docs/benchmarks.md (9).
    def get_input_processor(self, field_name: str):
        return self._processors(field_name)[0]

    def get_output_processor(self, field_name: str):
        return self._processors(field_name)[1]

    @classmethod
    @cache
    def _processors(cls, field_name: str) -> tuple:
        return (getattr(cls, f"{field_name}_in", None) or cls.default_input_processor,
                getattr(cls, f"{field_name}_out", None) or cls.default_output_processor)

    @classmethod
    def load_card(cls, card, listing_url: str, number: int, scraped_at: str) -> PostItem:
        loader = cls(listing_url=listing_url)
        # The post URL and slug come computed once, by kongblog.extraction.links.
        category_slug = category_slug_from_url(card.url)  # /blog/<category_slug>/<slug>
        loader.add_value(None, {
            "url": card.url, "slug": card.slug, "category_slug": category_slug, "title": card.title,
            "category": card.category, "published": card.date, "excerpt": card.excerpt,
            "excerpt_truncated": card.excerpt or "",  # no excerpt: False, not null
            "authors": card.authors, "image_url": card.image_src, "image_alt": card.image_alt,
            "listing_page": number, "listing_position": card.position, "listing_url": listing_url,
            "scraped_at": scraped_at,
        })
        loader.add_value("category", category_slug, category_label)  # after the card's own label, if any
        return loader.load_item()

    @classmethod
    def load_article(cls, item: PostItem, article: dict) -> ArticlePostItem:
        """``item`` enriched with the fields read off its article page (kongblog.extraction.article)."""
        loader = cls(item=ArticlePostItem(**vars(item)))
        loader.replace_value(None, article)  # the article's values, not the new item's defaults
        return loader.load_item()
