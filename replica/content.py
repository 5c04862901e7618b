"""The CONTENT model of the replica: which posts exist, on which page, in which order.

Catalog
-------
The listing is one newest-first *catalog* of posts, cut into pages of
``page_size`` cards.  With ``new_posts = K`` the catalog is::

    fresh posts (K, newest first) + new region + seed region + old region

* new region   generated posts shown on pages 1-10 of the healthy blog
               (``min(total, 10 * page_size)`` posts, "new index" i = 0 is the
               newest); dated strictly after 2023-02-07.
* seed region  the 15 real cards of page 11 (``fixtures/seed_page11.json``),
               starting at position 1 of page 11 (the whole of page 11 when
               ``page_size == 15``); dated 2023-02-07 ... 2022-10-19.
* old region   generated posts of pages 12+ ("old index" j = 0 is the newest),
               dated strictly before 2022-10-19.
* fresh posts  ``new_posts`` posts published after everything else.  Fresh
               post m = 0 is the oldest of them, so raising K only adds posts
               on top (the K - 1 earlier ones keep their slugs).

Generated posts are deterministic functions of (region, index): the same
index always yields the same slug/title/excerpt/authors/image whatever the
page size.  Dates are non-increasing along the catalog.

Edge cases are pinned to fixed (region, index) pairs, listed in ``EDGE_CASES``
with their page/position in the default 20 x 15 layout.
"""

from __future__ import annotations

import json
import math
import random
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from urllib.parse import quote

from .options import ReplicaOptions
from .text import collapse, esc, slugify

FIXTURE = Path(__file__).with_name("fixtures") / "seed_page11.json"
SEED_PAGE = 11
IMAGE_HOST = "https://images.replica-cdn.invalid"
OFFSITE_HOST = "http://offsite.invalid"
NEW_REGION_PAGES = 10  # pages before the seed page
NEW_ANCHOR = date(2023, 2, 8)  # oldest possible date of the new region
OLD_ANCHOR = date(2022, 10, 18)  # newest possible date of the old region

UTM = "?utm_source=blog&utm_medium=listing"

CATEGORY_NAMES = {
    "engineering": "Engineering",
    "news": "News",
    "product-releases": "Product Releases",
    "learning-center": "Learning Center",
}


def category_name(slug: str) -> str:
    return CATEGORY_NAMES.get(slug, slug.replace("-", " ").title())


# --------------------------------------------------------------------------
# Data classes


@dataclass(frozen=True)
class Post:
    """One post as the listing shows it.

    ``title``/``excerpt``/author names hold the *source* text: they may carry
    odd whitespace (tabs, newlines, NBSP, double spaces).  ``excerpt`` never
    holds the trailing ellipsis: ``truncated`` says whether the card shows
    one, ``ellipsis`` how it is written before entity encoding ("…" or " …").
    ``image_alt`` "" means an empty ``alt`` attribute.
    """

    slug: str
    title: str
    excerpt: str
    truncated: bool
    published: date
    authors: tuple[str, ...]
    image_url: str | None
    image_alt: str | None
    origin: str  # "seed" | "new" | "old" | "fresh" | "offsite"
    index: int
    entities: bool = False  # write ’ “ ” NBSP … as &#8217; ... &nbsp; &hellip;
    ellipsis: str = "\u2026"
    link_query: str = ""
    link_fragment: str = ""
    absolute_link: bool = False
    byline_plain: bool = False  # semantic markup: byline without author links
    external_url: str | None = None  # offsite card only
    edges: tuple[str, ...] = ()

    def path(self, category: str) -> str:
        return f"/blog/{category}/{self.slug}"


@dataclass(frozen=True)
class Promo:
    """A promo tile inside the card grid: never a post, never counted."""

    key: str
    heading: str
    text: str
    href: str
    link_text: str


@dataclass(frozen=True)
class Entry:
    """One child of a page's card grid."""

    kind: str  # "post" | "promo" | "offsite" | "newsletter"
    post: Post | None = None
    promo: Promo | None = None
    position: int | None = None  # 1-based among post cards of this page
    duplicate: bool = False
    encoded_link: bool = False  # link the post path percent-encoded (unicode_slug_page repeat)


PROMOS = {
    "summit": Promo(
        "summit",
        "API + AI Summit 2026",
        "Two days of talks, workshops and hallway conversations, Sept 30 \u2013 Oct 1.",
        "/events/conferences/api-ai-summit",
        "Register now",
    ),
    "ebook": Promo(
        "ebook",
        "eBook: The API Platform Playbook",
        "Consolidate gateways, portals and meshes without slowing your teams down.",
        "/resources/e-book",
        "Download the eBook",
    ),
    "demo": Promo(
        "demo",
        "See AI Gateway in Action",
        "Prompt guards, PII sanitization and token-based rate limiting in one walkthrough.",
        "/contact-sales",
        "Get a Demo",
    ),
    "webinar": Promo(
        "webinar",
        "Webinar: Governing MCP Traffic",
        "Learn how platform teams put guardrails around agent-to-tool traffic.",
        "/events/webinars",
        "Save your seat",
    ),
}

# listing page -> [(after how many post cards, promo key)]
PROMO_SLOTS: dict[int, list[tuple[int, str]]] = {
    1: [(6, "summit")],
    2: [(4, "ebook")],
    6: [(9, "demo")],
    13: [(1, "webinar")],
    20: [(15, "summit")],
}

# --------------------------------------------------------------------------
# Word banks for generated posts (invented names and texts)

TOPICS = (
    "Kong Gateway", "Kong Mesh", "Kuma", "Insomnia", "Kong Konnect", "decK",
    "Kong Ingress Controller", "AI Gateway", "Event Gateway", "Dev Portal",
    "Rate Limiting", "OpenTelemetry", "gRPC", "GraphQL", "WebAssembly Filters",
    "mTLS", "OIDC", "Terraform", "Helm Charts", "Kubernetes Gateway API",
    "Lua Plugins", "Go Plugins", "Service Catalog", "Vault Secrets",
    "Prometheus Metrics", "Canary Releases", "Blue-Green Deployments",
    "JWT Validation", "Request Transformation", "Response Caching",
    "Circuit Breakers", "Zero-Downtime Upgrades", "Hybrid Mode", "DB-less Mode",
    "Declarative Config", "API Versioning", "Load Balancing", "Health Checks",
    "Audit Logging", "Redis Clusters",
)  # 40

PATTERNS = (
    "Getting Started with {t}", "A Deep Dive into {t}", "{t} in Production: Lessons Learned",
    "Scaling {t} to Millions of Requests", "Five Patterns for {t}", "Testing {t} Locally",
    "Securing {t} End to End", "Observability for {t}", "Automating {t} with CI/CD",
    "Migrating to {t}", "Debugging {t}", "Benchmarking {t}", "{t} Best Practices",
    "How We Rebuilt Our {t} Setup", "Designing APIs Around {t}", "Troubleshooting {t} Latency",
    "Extending {t} with Custom Logic", "{t} on Kubernetes", "Understanding {t} Internals",
    "Hardening {t}", "A Practical Guide to {t}", "Monitoring {t} with Grafana",
    "Cost-Efficient {t}", "From Zero to {t}", "{t} Anti-Patterns to Avoid",
)  # 25 -> 1000 distinct titles, then ", Part N"

SENTENCES = (
    "In this post we walk through how teams use {t} to keep their APIs fast, secure and observable.",
    "{t} has come a long way since its first release, and the operational story is now much simpler.",
    "We will look at configuration, common pitfalls, and the metrics worth watching once traffic grows.",
    "Most of the examples below run on a laptop with Docker, but the same ideas apply to large clusters.",
    "If you have ever wondered what happens between the client and the upstream service, read on.",
    "Along the way we compare declarative and imperative workflows and explain when each one makes sense.",
    "The approach described here is the one our platform team settled on after several iterations.",
    "We also share a few benchmarks, with the caveat that results vary with payload size and plugin chain.",
    "Security teams care about authentication, authorization and audit trails, and all three show up here.",
    "At the end you should have a working setup and a checklist for taking {t} to production.",
    "Distributed systems fail in creative ways, so we start with the failure modes before the happy path.",
    "Nothing here requires a managed control plane, although Konnect makes several steps shorter.",
)

AUTHOR_POOL = (
    "Priya Natarajan", "Marcus Chen", "Elena Petrova", "Tomás García", "Hannah Becker",
    "Samuel Okafor", "Mei Lin", "Daniel Novak", "Aisha Rahman", "Lucas Moreau",
    "Ingrid Solberg", "Rafael Costa", "Yuki Tanaka", "Oliver Grant", "Nadia Karim",
    "Ben Whitfield", "Sofia Rossi", "Arjun Mehta",
)

IMAGE_ALTS = (
    "background", "Kong Logo", "kuma background", "Blog header illustration",
    "Architecture diagram", "{t} cover",
)

# --------------------------------------------------------------------------
# Edge cases, pinned to (region, index).  "at" is the default-layout spot
# (20 pages x 15, no new_posts) and is only documentation.


def _edge(at: tuple[int, int], tags: tuple[str, ...], **fields: object) -> dict:
    return {"at": at, "tags": tags, **fields}


EDGE_CASES: dict[tuple[str, int], dict] = {}


def _pin(at: tuple[int, int], tags: tuple[str, ...], **fields: object) -> None:
    page, pos = at
    if page < SEED_PAGE:
        key = ("new", (page - 1) * 15 + pos - 1)
    else:
        key = ("old", (page - SEED_PAGE - 1) * 15 + pos - 1)
    EDGE_CASES[key] = _edge(at, tags, **fields)


_pin((1, 1), ("amp_title", "authors_2", "utm_link"),
     title="Kong & Kubernetes: Running the Gateway as an Ingress Controller",
     authors=("Priya Natarajan", "Marcus Chen"), image=True, link_query=UTM)
_pin((1, 2), ("revision_target",), title="Rate Limiting Strategies for Public APIs")
_pin((1, 3), ("curly_quotes", "numeric_entities"),
     title="\u201cZero Trust\u201d Isn\u2019t a Product: Securing Service-to-Service Traffic",
     excerpt="\u201cZero trust\u201d is a slogan until you write it down as policy. Here\u2019s how we "
             "express identity, mTLS and least privilege as configuration that reviewers can read "
             "and that the mesh enforces on every single request between services",
     entities=True)
_pin((1, 5), ("no_author",), title="Inside the Kong Gateway Release Pipeline", authors=())
_pin((1, 6), ("authors_3", "accents_in_authors"),
     title="Multi-Region Control Planes with Kong Konnect",
     authors=("José Müller", "Zoë Brückner", "Ana Souza"))
_pin((1, 7), ("odd_whitespace", "nbsp_entity", "space_before_ellipsis"),
     title="Debugging\n\t  Kong  Plugins with\u00a0Pongo",
     excerpt="Pongo  is a small CLI\tthat spins up Kong, a database and your plugin in\n"
             "      containers. We use it with\u00a0Docker Compose to run integration tests on every "
             "pull request and to reproduce  customer issues locally in minutes",
     entities=True, ellipsis=" \u2026")
_pin((1, 8), ("script_in_title", "lt_gt_in_text"),
     title="Why <script>alert(1)</script> Never Runs in Your Dev Portal",
     excerpt="Portal pages render Markdown written by many people. We explain how content like "
             "<img src=x onerror=alert(1)> is escaped & sanitized before it reaches a browser, and "
             "which response headers add a second layer of defense against injected scripts")
_pin((1, 9), ("emoji",), title="\U0001F680 Launching Your First API with Kong Konnect in 5 Minutes")
_pin((1, 10), ("untruncated_excerpt",), title="A Short Note on Upgrading decK",
     excerpt="Upgrading decK is a one-line change. That\u2019s all there is to it.", truncated=False)
_pin((1, 11), ("empty_alt",), title="Choosing Between DB-less and Hybrid Deployments",
     image=True, image_alt="")
_pin((1, 12), ("absolute_link",), title="Tracing Requests Across Kong and Your Services",
     absolute_link=True)
_pin((1, 13), ("fragment_link",), title="Canary Releases with Weighted Upstreams",
     link_fragment="#main-content")
_pin((1, 14), ("utm_link", "fragment_link"), title="Plugin Ordering Explained",
     link_query=UTM, link_fragment="#comments")
_pin((2, 1), ("emoji",), title="Service Mesh Observability \U0001F4C8 with Kuma and Grafana", image=True)
_pin((2, 5), ("authors_3", "plain_byline"), title="Running Kong Mesh Across Three Clouds",
     authors=("Lars Eriksen", "Fatima Haddad", "Kenji Watanabe"), byline_plain=True)
_pin((2, 9), ("accents_in_title",),
     title="Café Über Alles: Building a Proxy Cache That Survives Black Friday", image=True)
_pin((3, 2), ("image_url_with_query",), title="Hero Images, CDNs and API Gateways",
     image=True, image_url=f"{IMAGE_HOST}/kong-blog/Q1w2E3r/hero.jpg?fm=webp&w=1600",
     image_alt="Gateway hero illustration")
_pin((3, 5), ("excerpt_starts_with_by",), title="Sensible Defaults for Proxy Timeouts",
     excerpt="By default, Kong waits sixty seconds for an upstream to answer. That is generous for "
             "most APIs and far too short for a few batch endpoints, so we show how to set connect, "
             "read and write timeouts per service and per route")
_pin((3, 8), ("accents_in_title", "accents_in_authors"),
     title="Naïve Retries Considered Harmful: Circuit Breakers in Kong Mesh",
     authors=("Chloé Martin",))
_pin((4, 7), ("authors_2", "plain_byline"), title="Pairing on Plugin Development",
     authors=("Lars Eriksen", "Chloé Martin"), byline_plain=True)
_pin((5, 12), ("odd_whitespace",),
     title="  Event-Driven  APIs\twith Kafka  ",
     excerpt="Kafka topics  are not APIs\t\tuntil you give them contracts, access control and "
             "quotas.\n  This post shows how the Event Gateway adds all three without touching  the brokers "
             "or the producers that already write to them every day")
_pin((6, 6), ("absolute_link",), title="Designing Idempotent Webhooks", absolute_link=True)
_pin((7, 3), ("amp_title", "numeric_entities"), title="Events & Streams: Kafka Meets Kong\u2019s Event Gateway",
     entities=True)
_pin((8, 8), ("untruncated_excerpt",), title="Release Notes Digest",
     excerpt="A quick digest of this month\u2019s patch releases.", truncated=False)
_pin((9, 15), ("no_author",), title="Community Call Recap: Plugin Hub Contributions", authors=())
_pin((10, 15), ("amp_in_excerpt", "numeric_entities", "hellip_entity"),
     title="Kong\u2019s Q&A on Gateway Sizing",
     excerpt="Q&A: how many nodes do you need? It depends on requests per second, plugin chain "
             "and payload size, so we\u2019ll show how to measure each one before buying hardware "
             "or reserving cloud capacity for the next big launch",
     entities=True)
_pin((12, 6), ("curly_quotes", "numeric_entities"),
     title="The \u201cBoring\u201d Gateway: Why We Don\u2019t Chase Features", entities=True)
_pin((12, 8), ("revision_target",), title="Service Discovery Without the Surprises")
_pin((13, 3), ("authors_2",), title="Building a Dev Portal Theme", authors=("Sofia Rossi", "Arjun Mehta"))
_pin((14, 1), ("no_author",), title="Changelog Conventions We Follow", authors=())
_pin((15, 5), ("script_in_title",),
     title="Escaping <script>alert(1)</script> in Custom Plugin Responses")
_pin((16, 2), ("odd_whitespace",), title="Retries,\nTimeouts\nand  Budgets")
_pin((17, 10), ("authors_3",), title="A Tour of the Kong Gateway Test Suite",
     authors=("Samuel Okafor", "Mei Lin", "Daniel Novak"))
_pin((18, 4), ("emoji",), title="\U0001F510 Rotating Secrets Without Downtime")
_pin((19, 3), ("empty_alt",), title="Sizing Redis for Rate Limiting", image=True, image_alt="")
_pin((20, 15), ("untruncated_excerpt",), title="The Oldest Post in This Replica",
     excerpt="Where it all started: a single gateway node and a lot of curiosity.", truncated=False)

# Posts whose card text changes when options.revision > 0.
REVISED_POSTS: tuple[tuple[str, int], ...] = (("new", 1), ("old", 7))

OFFSITE_POST_SLUG = "running-kong-at-the-edge-guest-post"
OFFSITE_AUTHOR = "Guest Author"
UNICODE_SLUG_PREFIX = "caf\u00e9-"  # unicode_slug_page: NFC "café-" + the usual ASCII slug

# Traps that take posts from other pages (see Blog.popular_posts / featured_post).
POPULAR_COUNT = 5
FEATURED_AT = (3, 4)  # (listing page, position) of the post the featured hero repeats
NEWSLETTER_AFTER = 3  # the newsletter tile follows this many post cards
DEEP_NESTING_FROM = 8  # deep_nesting_page: cards from this position on are buried

# --------------------------------------------------------------------------
# Seed cards


@lru_cache(maxsize=1)
def seed_cards() -> tuple[dict, ...]:
    """The 15 real cards of page 11 as stored in fixtures/seed_page11.json."""
    with FIXTURE.open(encoding="utf-8") as fh:
        return tuple(json.load(fh)["cards"])


@lru_cache(maxsize=None)
def seed_post(index: int) -> Post:
    card = seed_cards()[index]
    excerpt = card["excerpt"]
    truncated = excerpt.endswith("\u2026")
    if truncated:
        excerpt = excerpt[: -len("\u2026")]
    return Post(
        slug=card["slug"],
        title=card["title"],
        excerpt=excerpt,
        truncated=truncated,
        published=date.fromisoformat(card["published"]),
        authors=tuple(card["authors"]),
        image_url=card["image_url"],
        image_alt=card["image_alt"],
        origin="seed",
        index=index,
        link_query=UTM if index == 8 else "",
    )


# --------------------------------------------------------------------------
# Generated posts


def _excerpt(rng: random.Random, topic: str) -> str:
    sentences = list(SENTENCES)
    rng.shuffle(sentences)
    text = ""
    for s in sentences:
        text = f"{text} {s.format(t=topic)}".strip()
        if len(text) > 320:
            break
    limit = rng.randint(200, 290)
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip()


def _image(rng: random.Random, topic: str, key: str) -> tuple[str, str]:
    ident = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(7))
    alt = rng.choice(IMAGE_ALTS).format(t=topic)
    style = rng.randrange(4)
    if style == 0:
        name = f"{slugify(alt)}-card@2x.png"
    elif style == 1:
        name = f"{alt.replace(' ', '%20')}%20Cover.jpg"
    else:
        name = f"{key}-{slugify(topic)}.{'png' if style == 2 else 'webp'}"
    return f"{IMAGE_HOST}/kong-blog/{ident}/{name}", alt


def _variant(slug: str) -> dict:
    """Link decorations picked from the slug (deterministic)."""
    h = sum(slug.encode()) * 2654435761 % 1000
    return {
        "link_query": UTM if h % 10 in (1, 2) else "",
        "link_fragment": "#read" if h % 10 in (2, 3) else "",
        "byline_plain": h % 7 == 0,
    }


@lru_cache(maxsize=65536)
def generated_post(origin: str, index: int) -> Post:
    """Identity (slug, title, excerpt, authors, image) of a generated post.

    ``published`` is a placeholder here; ``Blog`` sets the real date, which
    depends on the size of the region.
    """
    if origin == "fresh":
        g = index
        topic = TOPICS[(index * 7) % len(TOPICS)]
        title = f"{topic} Field Notes #{index + 1}"
    else:
        g = 2 * index + (0 if origin == "new" else 1)
        c = g % 1000
        part = g // 1000
        topic = TOPICS[c % 40]
        title = PATTERNS[(6 * (c // 40) + 7 * (c % 40)) % 25].format(t=topic)
        if part:
            title = f"{title}, Part {part + 1}"
    rng = random.Random(f"kong-replica:{origin}:{index}")
    excerpt = _excerpt(rng, topic)
    authors = (rng.choice(AUTHOR_POOL),)
    image_url = image_alt = None
    if rng.random() < 0.55:
        image_url, image_alt = _image(rng, topic, f"{origin[0]}{index}")
    edge = EDGE_CASES.get((origin, index)) if origin in ("new", "old") else None
    fields: dict = {}
    tags: tuple[str, ...] = ()
    if edge:
        tags = edge["tags"]
        title = edge.get("title", title)
        excerpt = edge.get("excerpt", excerpt)
        authors = tuple(edge.get("authors", authors))
        if edge.get("image"):
            if image_url is None:
                image_url, image_alt = _image(rng, topic, f"{origin[0]}{index}")
            image_url = edge.get("image_url", image_url)
            image_alt = edge.get("image_alt", image_alt)
        elif "image" in edge:
            image_url = image_alt = None
        for name in ("entities", "ellipsis", "link_query", "link_fragment", "absolute_link", "byline_plain"):
            if name in edge:
                fields[name] = edge[name]
    slug = slugify(title)
    if origin == "fresh":
        slug = f"{slugify(topic)}-field-notes-{index + 1}"
    defaults = _variant(slug)
    if edge:
        # pinned posts only get the decorations they ask for
        defaults = {"link_query": "", "link_fragment": "", "byline_plain": False}
    defaults.update(fields)
    truncated = edge.get("truncated", True) if edge else True
    return Post(
        slug=slug,
        title=title,
        excerpt=excerpt,
        truncated=truncated,
        published=NEW_ANCHOR,
        authors=authors,
        image_url=image_url,
        image_alt=image_alt,
        origin=origin,
        index=index,
        edges=tags,
        **defaults,
    )


def offsite_post(category: str) -> Post:
    return Post(
        slug=OFFSITE_POST_SLUG,
        title="Guest Post: Running Kong at the Edge with Our Partners",
        excerpt="Our friends at a partner company describe how they run Kong on edge nodes close "
                "to their users, and what they learned about configuration sync",
        truncated=True,
        published=NEW_ANCHOR,
        authors=(OFFSITE_AUTHOR,),
        image_url=None,
        image_alt=None,
        origin="offsite",
        index=0,
        external_url=f"{OFFSITE_HOST}/blog/{category}/{OFFSITE_POST_SLUG}",
        edges=("offsite_link",),
    )


def revise(post: Post, revision: int) -> Post:
    """Card text of a REVISED_POSTS post at *revision* (> 0)."""
    return replace(
        post,
        title=f"{post.title} (Update {revision})",
        excerpt=f"Updated in revision {revision}: {post.excerpt}",
    )


# --------------------------------------------------------------------------
# One blog = content for one ReplicaOptions value


class Blog:
    """Deterministic content of the blog for *options* (lazy, cached)."""

    def __init__(self, options: ReplicaOptions | None = None) -> None:
        self.options = options or ReplicaOptions()
        o = self.options
        self.category = o.category
        self.category_name = category_name(o.category)
        self.total_original = o.pages * o.page_size
        self.n_new = min(self.total_original, NEW_REGION_PAGES * o.page_size)
        self.n_seed = max(0, min(len(seed_cards()), self.total_original - self.n_new))
        self.n_old = self.total_original - self.n_new - self.n_seed
        self._revised = set(REVISED_POSTS) if o.revision > 0 else set()
        # removed_posts: catalog indices (before removal) of the posts taken off
        self._removed: list[int] = []
        if o.removed_posts:
            slugs = o.removed_posts
            self._removed = [c for c in range(self.total_original + o.new_posts) if self._catalog_post(c).slug in slugs]
        self.total = self.total_original + o.new_posts - len(self._removed)
        self.page_count = max(1, math.ceil(self.total / o.page_size))
        # unicode_slug_page N: catalog index of the last post of page N-1
        self.unicode_index: int | None = None
        n = o.unicode_slug_page
        if n is not None and n >= 2 and (n - 2) * o.page_size < self.total:
            self.unicode_index = min((n - 1) * o.page_size, self.total) - 1
        # per-instance caches (thread-safe, bounded)
        self.post_at = lru_cache(maxsize=65536)(self._post_at)  # type: ignore[method-assign]
        self.grid = lru_cache(maxsize=4096)(self._grid)  # type: ignore[method-assign]

    # -- catalog -----------------------------------------------------------
    def locate(self, c: int) -> tuple[str, int]:
        """(region, index) of catalog index *c* (0 = newest card of page 1)."""
        k = self.options.new_posts
        if c < k:
            return "fresh", k - 1 - c
        c -= k
        if c < self.n_new:
            return "new", c
        c -= self.n_new
        if c < self.n_seed:
            return "seed", c
        return "old", c - self.n_seed

    def _date(self, region: str, index: int) -> date:
        if region == "new":
            return NEW_ANCHOR + timedelta(days=((self.n_new - 1 - index) * 7) // 4)
        if region == "old":
            return OLD_ANCHOR - timedelta(days=(index * 5) // 4)
        if region == "fresh":
            newest = self._date("new", 0) if self.n_new else NEW_ANCHOR
            return newest + timedelta(days=1 + (index * 3) // 2)
        raise ValueError(region)

    def _post_at(self, c: int) -> Post:
        if not 0 <= c < self.total:
            raise IndexError(c)
        raw = c
        for removed in self._removed:  # sorted: each one before the post shifts it down one
            if removed <= raw:
                raw += 1
        post = self._catalog_post(raw)
        if c == self.unicode_index:
            post = replace(post, slug=unicodedata.normalize("NFC", UNICODE_SLUG_PREFIX + post.slug))
        return post

    def _catalog_post(self, c: int) -> Post:
        """The post at catalog index *c* counting removed posts (no unicode slug)."""
        region, index = self.locate(c)
        if region == "seed":
            post = seed_post(index)
        else:
            post = replace(generated_post(region, index), published=self._date(region, index))
        if (region, index) in self._revised:
            post = revise(post, self.options.revision)
        return post

    def page_posts(self, page: int) -> list[Post]:
        """Posts the catalog assigns to listing *page* (before faults)."""
        ps = self.options.page_size
        start = (page - 1) * ps
        return [self.post_at(c) for c in range(start, min(start + ps, self.total))]

    def all_posts(self) -> list[Post]:
        return [self.post_at(c) for c in range(self.total)]

    @cached_property
    def _slug_index(self) -> dict[str, int]:
        index: dict[str, int] = {}
        for c in range(self.total):
            index.setdefault(self.post_at(c).slug, c)
        return index

    def post_by_slug(self, slug: str) -> Post | None:
        c = self._slug_index.get(slug)
        return None if c is None else self.post_at(c)

    # -- pages -------------------------------------------------------------
    def has_page(self, page: int) -> bool:
        return 1 <= page <= self.page_count

    def listing_path(self, page: int) -> str:
        base = f"/blog/{self.category}"
        return base if page == 1 else f"{base}/page/{page}"

    def listing_url(self, base_url: str, page: int) -> str:
        return base_url.rstrip("/") + self.listing_path(page)

    def post_url(self, base_url: str, post: Post) -> str:
        """Absolute post URL; a non-ASCII slug is percent-encoded (UTF-8)."""
        return base_url.rstrip("/") + quote(post.path(self.category))

    def _grid(self, page: int) -> tuple[Entry, ...]:
        """Children of the card grid of *page*, in page order.

        Positions: ``Entry.position`` numbers the cards whose link is a post
        of this blog, in page order, starting at 1.  Promo tiles, the
        newsletter tile and the offsite card are not counted.  A duplicated
        card (``duplicate_card``, ``unicode_slug_page``) IS counted where it
        appears: with N in duplicate_card, page N+1 shows the duplicate at
        position 1 and its own cards at 2..page_size+1.
        """
        o = self.options
        if page in o.empty_pages or page == o.looping_script_page or not self.has_page(page):
            return ()
        items: list[tuple[str, object, bool]] = [("post", p, False) for p in self.page_posts(page)]
        encoded_first = False
        if page - 1 in o.duplicate_card and page > 1:
            prev = self.page_posts(page - 1)
            if prev:
                items.insert(0, ("post", prev[-1], True))
        if page == o.unicode_slug_page and self.unicode_index is not None:
            post = self.post_at(self.unicode_index)
            if not (items and items[0][2] and items[0][1].slug == post.slug):  # type: ignore[union-attr]
                items.insert(0, ("post", post, True))
            encoded_first = True
        if page == o.offsite_link:
            items.insert(min(2, len(items)), ("offsite", offsite_post(self.category), False))
        for after, key in sorted(PROMO_SLOTS.get(page, ()), reverse=True):
            seen = 0
            at = len(items)
            for i, (kind, _, _) in enumerate(items):
                if seen == after:
                    at = i
                    break
                if kind == "post":
                    seen += 1
            items.insert(at, ("promo", PROMOS[key], False))
        if "newsletter_card" in o.traps:
            post_indexes = [i for i, (kind, _, _) in enumerate(items) if kind == "post"]
            if post_indexes:
                after = post_indexes[min(NEWSLETTER_AFTER, len(post_indexes)) - 1]
                items.insert(after + 1, ("newsletter", None, False))
        entries: list[Entry] = []
        pos = 0
        for kind, obj, dup in items:
            if kind == "post":
                pos += 1
                encoded = encoded_first and pos == 1
                entries.append(Entry("post", post=obj, position=pos, duplicate=dup,  # type: ignore[arg-type]
                                     encoded_link=encoded))
            elif kind == "offsite":
                entries.append(Entry("offsite", post=obj))  # type: ignore[arg-type]
            elif kind == "newsletter":
                entries.append(Entry("newsletter"))
            else:
                entries.append(Entry("promo", promo=obj))  # type: ignore[arg-type]
        return tuple(entries)

    def page_served(self, page: int) -> bool:
        """True when the listing page answers with its cards (not redirected)."""
        return self.has_page(page) and page != self.options.redirect_offsite_page

    def page_in_truth(self, page: int) -> bool:
        """True when a correct crawl takes the page's cards (served, robots.txt allows it)."""
        return self.page_served(page) and page not in self.options.disallowed_pages

    # -- posts that traps repeat -------------------------------------------
    def popular_posts(self) -> list[Post]:
        """popular_sidebar: the first 5 catalog posts of the second-to-last page."""
        page = max(1, self.page_count - 1)
        return self.page_posts(page)[:POPULAR_COUNT]

    def featured_post(self) -> Post:
        """featured_hero: the post at page 3, position 4 (catalog order); on a
        smaller blog the nearest existing catalog post."""
        page, position = FEATURED_AT
        c = (page - 1) * self.options.page_size + position - 1
        return self.post_at(min(c, self.total - 1))

    def latin1_card_fields(self, page: int) -> list[tuple[str, str]]:
        """(slug, field) of the cards of *page* whose text holds non-ASCII
        characters that Latin-1 encodes as one byte (so they are invalid
        UTF-8 on the mislabeled_charset_page).  Fields: title, excerpt,
        authors, image_alt, as the cards write them (a post with
        ``entities`` writes NBSP as ``&nbsp;``, which stays ASCII).
        Characters beyond Latin-1 (curly quotes, emoji) are written as
        &#NNNN; there and survive any decoding; the footer's "©" is a Latin-1
        byte on every page."""
        out: list[tuple[str, str]] = []
        for entry in self.grid(page):
            post = entry.post
            if entry.kind != "post" or post is None:
                continue
            texts = {"title": esc(post.title, post.entities), "excerpt": esc(post.excerpt, post.entities),
                     "authors": " ".join(post.authors), "image_alt": post.image_alt or ""}
            for name, text in texts.items():
                if any(0x80 <= ord(ch) <= 0xFF for ch in text):
                    out.append((post.slug, name))
        return out

    # -- truth -------------------------------------------------------------
    def truth_item(self, base_url: str, post: Post, page: int, position: int) -> dict:
        has_image = post.image_url is not None
        alt = collapse(post.image_alt) if has_image and post.image_alt else ""
        return {
            "slug": post.slug,
            "url": self.post_url(base_url, post),
            "title": collapse(post.title),
            "category": self.category_name,
            "category_slug": self.category,
            "published": post.published.isoformat(),
            "excerpt": collapse(post.excerpt),
            "excerpt_truncated": post.truncated,
            "authors": [collapse(a) for a in post.authors],
            "image_url": post.image_url,
            "image_alt": alt or None,
            "listing_page": page,
            "listing_position": position,
            "listing_url": self.listing_url(base_url, page),
        }

    def expected_items(self, base_url: str) -> list[dict]:
        """Ground truth: one dict per post card a healthy crawl must yield.

        Sorted by (listing_page, listing_position).  Pages in ``empty_pages``
        and ``disallowed_pages``, the ``looping_script_page`` and the
        ``redirect_offsite_page`` contribute nothing; the offsite card, promo
        and newsletter tiles are never items; a post that appears twice
        (``duplicate_card``, ``unicode_slug_page``) is kept once, at its first
        (page, position) among the pages that contribute.
        """
        base_url = base_url.rstrip("/")
        seen: set[str] = set()
        items: list[dict] = []
        for page in range(1, self.page_count + 1):
            if not self.page_in_truth(page):
                continue
            for entry in self.grid(page):
                if entry.kind != "post" or entry.post is None or entry.position is None:
                    continue
                if entry.post.slug in seen:
                    continue
                seen.add(entry.post.slug)
                items.append(self.truth_item(base_url, entry.post, page, entry.position))
        return items


@lru_cache(maxsize=32)
def blog_for(options: ReplicaOptions) -> Blog:
    return Blog(options)


def edge_case_table() -> list[dict]:
    """Documentation helper: pinned edge cases with their default page/position."""
    rows = []
    for (region, index), edge in sorted(EDGE_CASES.items(), key=lambda kv: kv[1]["at"]):
        post = generated_post(region, index)
        rows.append({"page": edge["at"][0], "position": edge["at"][1], "slug": post.slug,
                     "tags": list(edge["tags"])})
    return rows
