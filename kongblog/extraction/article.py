"""What an article page adds to its card: body text, reading time, author roles.

The page's own metadata (JSON-LD, OpenGraph and ``article:*`` tags, read with extruct) comes first,
the visible page second. The body is taken with trafilatura, which keeps the article's paragraphs
and leaves out navigation, footers and promos.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urljoin

import extruct
import lxml.html
import trafilatura
from lxml import etree

from kongblog.extraction.links import AUTHOR_PATH
from kongblog.extraction.markup import strip_hidden, visible_text
from kongblog.text import clean_text, minutes_to_read
from kongblog.urls import canonical_post_url

# Reading speed behind "N min read" labels, for pages that print none.
WORDS_PER_MINUTE = 238
MAX_ROLES = 20  # a page of a thousand author links is no byline
_ROLE_SEPARATORS = " \u2014\u2013-,|:·"


def reading_minutes_for(word_count: int) -> int:
    """Minutes at WORDS_PER_MINUTE, rounded up (a 10-word post is a 1-minute read)."""
    return max(1, -(-word_count // WORDS_PER_MINUTE))


def read_article(html: str, url: str) -> dict:
    """The enrichment fields of one article page (absent values are None)."""
    if not html or not html.strip():
        return {"body_text": None, "word_count": None, "reading_time_minutes": None, "author_roles": {},
                "canonical_url": None, "modified": None}
    # Parsed once, from UTF-8 bytes (lxml refuses text that declares an encoding), for extruct and
    # trafilatura (which works on a copy).
    root = lxml.html.fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    # JSON-LD lives in scripts and the canonical link in <head>: read before they go.
    metadata = page_metadata(root, url)
    canonical = canonical_url(root, metadata, url)
    body_text = article_body(root, url)
    strip_hidden(root)
    word_count = len(body_text.split()) if body_text else None
    shown_minutes = next(filter(None, map(minutes_to_read, root.itertext())), None)
    return {
        "body_text": body_text,
        "word_count": word_count,
        "reading_time_minutes": shown_minutes or (reading_minutes_for(word_count) if word_count else None),
        "author_roles": author_roles(root),
        "canonical_url": canonical,
        "modified": metadata.get("modified"),
    }


def page_metadata(root, url: str) -> dict:
    data = extruct.extract(root, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True, errors="log")
    found: dict = {}
    for entry in data.get("json-ld", []):
        if not isinstance(entry, dict):
            continue
        # A page may carry several blocks (Organization, WebSite, ...): take the values where they are.
        if entry.get("dateModified"):
            found.setdefault("modified", entry["dateModified"])
        page = entry.get("mainEntityOfPage")
        if isinstance(page, dict) and page.get("@id"):
            found.setdefault("canonical", page["@id"])
    for entry in data.get("opengraph", []):
        found["modified"] = found.get("modified") or entry.get("article:modified_time")
        found["canonical"] = found.get("canonical") or entry.get("og:url")
    return {key: value for key, value in found.items() if value}


def article_body(root, url: str) -> str | None:
    """The article's paragraphs as plain text, separated by blank lines."""
    extracted = trafilatura.extract(root, url=url, output_format="xml", favor_precision=True,
                                    include_comments=False, include_tables=False, deduplicate=False)
    if not extracted:
        return None
    paragraphs = (clean_text("".join(p.itertext())) for p in etree.fromstring(extracted.encode("utf-8")).iter("p"))
    return "\n\n".join(p for p in paragraphs if p) or None


def canonical_url(root, metadata: dict, url: str) -> str | None:
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return canonical_post_url(urljoin(url, link.get("href").strip()))
    return canonical_post_url(urljoin(url, metadata["canonical"])) if metadata.get("canonical") else None


def author_roles(root) -> dict[str, str]:
    """Name -> role line, where an author link shares its block with a role text."""
    links = [link for link in root.iter("a") if AUTHOR_PATH.search(link.get("href") or "")]
    # Author links per block, counted once (a block of 50,000 author links is no byline, and no quadratic walk).
    per_block = Counter(ancestor for link in links for ancestor in link.iterancestors())
    roles: dict[str, str] = {}
    for link in links:
        name = visible_text(link)
        block = link.getparent()
        if not name or name in roles or block is None or per_block[block] != 1:
            continue  # per_block above 1: a byline of several authors, not one author's card
        rest = (visible_text(block) or "").replace(name, "", 1).strip(_ROLE_SEPARATORS)
        if rest and len(rest) <= 120 and not name.startswith("$"):  # "$": a MongoDB operator as a key
            roles[name] = rest
            if len(roles) == MAX_ROLES:
                break
    return roles
