"""The spider's arguments (``-a NAME=VALUE``), checked once into one object.

Every mistake is one line naming the argument and what it accepts, before anything is fetched: ``scrapy crawl``
makes it a usage error (exit status 2). Scrapyd's own arguments (``_job``, ``_version``) are let through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kongblog.jobdir import JobdirUnusable, claim
from kongblog.store.known import KnownPostsUnavailable, known_from_jsonl

RENDER_MODES = ("auto", "always", "never")
ARGUMENTS = ("start_url", "category", "max_pages", "render", "mode", "known", "articles")


class BadArgument(ValueError):
    """A spider argument that cannot be used; the message names it and what is accepted."""


def is_listing_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # http://[x
        return False


# (argument, whether its value, stripped, is accepted, the line that says what is); checked in this order.
CHECKS = (
    ("start_url", bool, "start_url is empty: give the absolute http(s) URL of a listing, or leave it out "
                        "to crawl KONGBLOG_DEFAULT_BLOG/KONGBLOG_DEFAULT_CATEGORY"),
    ("start_url", is_listing_url, "start_url must be an absolute http(s) URL of a listing, got {!r}"),
    ("category", re.compile(r"[a-z0-9][a-z0-9-]{0,99}").fullmatch,
     "category must be a category's name as in its URL (lower-case letters, digits and -), got {!r}"),
    ("max_pages", lambda text: text.isdecimal() and int(text) >= 1,
     "max_pages must be a whole number of at least 1, got {!r}"),
    ("render", lambda text: text in RENDER_MODES, "render must be one of auto, always, never, got {!r}"),
    ("mode", lambda text: text in ("full", "incremental"), "mode must be one of full, incremental, got {!r}"),
    ("known", bool, "known is empty: give the path of an earlier JSON lines export"),
    ("articles", lambda text: text in ("0", "1"), "articles must be one of 0, 1, got {!r}"),
)


@dataclass(frozen=True)
class CrawlParams:
    start_url: str | None  # None until the settings give the default
    max_pages: int | None
    render: str | None  # None: the KONGBLOG_RENDER setting decides
    mode: str
    known: str | None
    articles: bool

    @classmethod
    def from_arguments(cls, arguments: dict, settings=None) -> CrawlParams:
        unknown = sorted(name for name in arguments if name not in ARGUMENTS and not name.startswith("_"))
        if unknown:
            raise BadArgument(
                f"unknown spider argument {unknown[0]!r}: the kongblog spider takes {', '.join(ARGUMENTS)}"
            )
        given = {name: str(value).strip() for name, value in arguments.items() if value is not None}
        if "start_url" in given and "category" in given:
            raise BadArgument("give either start_url or category, not both")
        if "known" in given and given.get("mode") != "incremental":
            raise BadArgument("known goes with mode=incremental (the posts an earlier crawl found)")
        for name, accepts, message in CHECKS:
            if name in given and not accepts(given[name]):
                raise BadArgument(message.format(arguments[name]))
        return cls(
            start_url=given.get("start_url") or (default_url(settings, given.get("category")) if settings else None),
            max_pages=int(given["max_pages"]) if "max_pages" in given else None,
            render=given.get("render"),
            mode=given.get("mode", "full"),
            known=given.get("known"),
            articles=given.get("articles") == "1",
        )

    def check(self, settings) -> None:
        """Raise :class:`BadArgument` when these arguments cannot work with these settings."""
        render = self.render or settings.get("KONGBLOG_RENDER")
        if render not in RENDER_MODES:
            raise BadArgument(f"KONGBLOG_RENDER must be one of {', '.join(RENDER_MODES)}, got {render!r}")
        if self.mode == "incremental" and not (settings.get("MONGO_URI") or self.known):
            raise BadArgument(
                "mode=incremental needs to know which posts exist already: set MONGO_URI "
                "(the collection is read) or pass -a known=path/to/previous/posts.jsonl"
            )
        known = self.known and Path(self.known).expanduser().resolve()
        for uri, options in settings.getdict("FEEDS").items():
            if known and feed_path(str(uri)) == known and (options or {}).get("overwrite"):
                raise BadArgument(
                    f"known={self.known} is also the output that -O overwrites: the crawl would destroy the "
                    f"posts it reads. Append the new posts to it with -o {self.known}, or write to another file"
                )


    def check_files(self, settings) -> None:
        """The known= file read and the JOBDIR held (to the end of the crawl) before anything is fetched."""
        try:
            if self.mode == "incremental" and self.known and not settings.get("MONGO_URI"):
                known_from_jsonl(self.known)
            if settings.get("JOBDIR"):
                claim(settings.get("JOBDIR"))
        except KnownPostsUnavailable as exc:
            raise BadArgument(f"known={self.known} cannot be used: {exc}") from None
        except JobdirUnusable as exc:
            raise BadArgument(str(exc)) from None


def default_url(settings, category: str | None) -> str:
    blog = settings.get("KONGBLOG_DEFAULT_BLOG").rstrip("/")
    return f"{blog}/{category or settings.get('KONGBLOG_DEFAULT_CATEGORY')}"


def feed_path(uri: str) -> Path | None:
    """The local file a feed URI writes to, or None (another storage, or a templated path)."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        uri = parts.path
    elif len(parts.scheme) > 1:
        return None  # s3://, ftp://, stdout: ...
    return None if "%(" in uri else Path(uri).expanduser().resolve()
