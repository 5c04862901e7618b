"""The item loader: every card string normalised here, once, by the functions of kongblog.text and kongblog.urls.

A card's strings are known fields, not selectors: each is normalised by a plain call (itemloaders'
per-value machinery was most of the loader's time).
"""

from __future__ import annotations

from datetime import datetime, timezone

from kongblog.items import PostItem
from kongblog.text import clean_text, is_truncated, parse_date, split_authors, strip_ellipsis
from kongblog.urls import absolute_url, category_slug_from_url, unwrap_image_url


def utc_timestamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class PostLoader:
    """Turns the strings of a :class:`~kongblog.extraction.card.RawCard` into a :class:`PostItem`."""

    @staticmethod
    def load_card(card, listing_url: str, number: int, scraped_at: str) -> PostItem:
        url = card.url
        # Read off the post URL, not the page: /blog/<category_slug>/<slug>.
        category_slug = category_slug_from_url(url)
        category = clean_text(card.category) or (category_slug.replace("-", " ").title() if category_slug else None)
        return PostItem(
            slug=card.slug,
            url=url,
            title=clean_text(card.title),
            category=category,
            category_slug=category_slug,
            published=parse_date(card.date),
            excerpt=strip_ellipsis(clean_text(card.excerpt)),
            excerpt_truncated=is_truncated(card.excerpt),  # the mark the excerpt loses above
            authors=[name for byline in card.authors for name in split_authors(byline)],
            image_url=unwrap_image_url(absolute_url(card.image_src, listing_url)),
            image_alt=clean_text(card.image_alt),
            listing_page=number,
            listing_position=card.position,
            listing_url=listing_url,
            scraped_at=scraped_at,
        )

    @staticmethod
    def slug_of(card) -> str | None:
        return card.slug
