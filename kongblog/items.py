"""The one item kongblog produces: a post card of a blog listing page."""

from __future__ import annotations

from dataclasses import dataclass, field

# What makes a card a post: a post URL (and its slug) and a title, on a listing page. Every other field is
# optional: null (or [] for authors) when the card does not show it, and the post is kept.
REQUIRED_FIELDS = ("slug", "url", "title", "listing_page")

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

