"""The one item kongblog produces: a post card of a blog listing page."""

from __future__ import annotations

from dataclasses import dataclass, field, is_dataclass
from typing import Any

from itemadapter import ItemAdapter

# Fields that identify a card; everything else is optional and may be null.
REQUIRED_FIELDS = ("slug", "url", "title", "published", "category_slug", "listing_page")

# Fields that describe the post as the card shows it: their hash tells whether a card changed
# between crawls (listing position, page and scrape time move without the post changing).
CARD_FIELDS = (
    "slug", "url", "title", "category", "category_slug", "published", "excerpt", "excerpt_truncated", "authors",
    "image_url", "image_alt",
)


@dataclass
class PostItem:
    slug: str | None = None
    url: str | None = None
    title: str | None = None
    category: str | None = None
    category_slug: str | None = None
    published: str | None = None
    excerpt: str | None = None
    excerpt_truncated: bool | None = None
    authors: list[str] = field(default_factory=list)
    image_url: str | None = None
    image_alt: str | None = None
    listing_page: int | None = None
    listing_position: int | None = None
    listing_url: str | None = None
    scraped_at: str | None = None


@dataclass
class ArticlePostItem(PostItem):
    """A card enriched from its article page (spider argument ``articles=1``)."""

    body_text: str | None = None
    word_count: int | None = None
    reading_time_minutes: int | None = None
    author_roles: dict[str, str] = field(default_factory=dict)
    canonical_url: str | None = None
    modified: str | None = None


def item_fields(item: Any) -> dict[str, Any]:
    """The item's fields as a new dict sharing its values (not to be mutated): unlike ``dataclasses.asdict`` it
    copies no list, for every card passes through it several times (a dataclass's ``__dict__`` is its fields)."""
    return dict(vars(item)) if is_dataclass(item) else ItemAdapter(item).asdict()
