"""The posts of a blog's RSS 2.0 or Atom feed: a second source for the fields of its cards."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from lxml import etree

from kongblog.text import clean_text, parse_date
from kongblog.urls import canonical_post_url

_ATOM = "{http://www.w3.org/2005/Atom}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)


def read_feed(body: bytes) -> dict[str, dict]:
    """Post URL (canonical, as ``Link.post``) -> the title, published date and authors of its entry."""
    root = etree.fromstring(body, _PARSER)
    entries: dict[str, dict] = {}
    for entry in () if root is None else root.iter("item", f"{_ATOM}entry"):
        if entry.tag == "item":  # RSS 2.0: <author>mail@host (Name)</author>, or Dublin Core's creator
            link, title = entry.findtext("link"), entry.findtext("title")
            published = _rss_date(entry.findtext("pubDate"))
            names = [e.text or "" for e in entry.iter("{http://purl.org/dc/elements/1.1/}creator", "author")]
            names = [name.partition("(")[2].rstrip(") ") if "@" in name else name for name in names]
        else:
            links = entry.iter(f"{_ATOM}link")
            link = next((a.get("href") for a in links if a.get("rel", "alternate") == "alternate"), None)
            title = entry.findtext(f"{_ATOM}title")
            published = parse_date(entry.findtext(f"{_ATOM}published") or entry.findtext(f"{_ATOM}updated"))
            names = [e.text or "" for e in entry.iterfind(f"{_ATOM}author/{_ATOM}name")]
        if url := canonical_post_url(link):
            authors = [name for name in map(clean_text, names) if name]
            entries.setdefault(url, {"title": clean_text(title), "published": published, "authors": authors})
    return entries


def _rss_date(text: str | None) -> str | None:
    try:
        return parsedate_to_datetime(text.strip()).date().isoformat() if text else None
    except (TypeError, ValueError):  # not an RFC 822 date
        return parse_date(text)
