"""The spider's arguments (``-a NAME=VALUE``), checked once into one object.

Every mistake gets one line naming the argument and what it accepts, before
anything is fetched: ``scrapy crawl`` turns it into a usage error (exit
status 2, no traceback). Arguments Scrapyd adds (``_job``, ``_version``)
start with an underscore and are let through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_BLOG = "https://konghq.com/blog"
DEFAULT_CATEGORY = "engineering"
RENDER_MODES = ("auto", "always", "never")
MODES = ("full", "incremental")
ARGUMENTS = ("start_url", "category", "max_pages", "render", "mode", "known", "articles")
_CATEGORY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


class BadArgument(ValueError):
    """A spider argument that cannot be used; the message names it and what is accepted."""


@dataclass(frozen=True)
class CrawlParams:
    start_url: str
    max_pages: int | None = None
    render: str | None = None  # None: the KONGBLOG_RENDER setting decides
    mode: str = "full"
    known: str | None = None
    articles: bool = False

    @property
    def host(self) -> str:
        return urlsplit(self.start_url).hostname or ""

    @property
    def netloc(self) -> str:
        return urlsplit(self.start_url).netloc.lower()

    @classmethod
    def from_arguments(cls, arguments: dict) -> CrawlParams:
        unknown = sorted(name for name in arguments if name not in ARGUMENTS and not name.startswith("_"))
        if unknown:
            raise BadArgument(
                f"unknown spider argument {unknown[0]!r}: the kongblog spider takes {', '.join(ARGUMENTS)}"
            )
        return cls(
            start_url=_start_url(arguments.get("start_url"), arguments.get("category")),
            max_pages=_max_pages(arguments.get("max_pages")),
            render=_choice("render", arguments.get("render"), RENDER_MODES, None),
            mode=_choice("mode", arguments.get("mode"), MODES, "full"),
            known=_known(arguments.get("known"), arguments.get("mode")),
            articles=_choice("articles", arguments.get("articles"), ("0", "1"), "0") == "1",
        )

    @classmethod
    def for_crawl(cls, arguments: dict, settings) -> CrawlParams:
        """The parameters of a crawl with these settings, or :class:`BadArgument`
        naming what cannot work."""
        params = cls.from_arguments(arguments)
        render = params.render or settings.get("KONGBLOG_RENDER")
        if render not in RENDER_MODES:
            raise BadArgument(f"KONGBLOG_RENDER must be one of {', '.join(RENDER_MODES)}, got {render!r}")
        params.check_outputs(settings.getdict("FEEDS"))
        if params.mode == "incremental" and not (settings.get("MONGO_URI") or params.known):
            raise BadArgument(
                "mode=incremental needs to know which posts exist already: set MONGO_URI "
                "(the collection is read) or pass -a known=path/to/previous/posts.jsonl"
            )
        return params

    def check_outputs(self, feeds: dict) -> None:
        """Refuse a crawl that would overwrite the file it reads known posts from."""
        if not self.known:
            return
        known = Path(self.known).expanduser().resolve()
        for uri, options in feeds.items():
            path = feed_path(str(uri))
            if path is not None and path == known and (options or {}).get("overwrite"):
                raise BadArgument(
                    f"known={self.known} is also the output that -O overwrites: the crawl would destroy the "
                    f"posts it reads. Append the new posts to it with -o {self.known}, or write to another file"
                )


def feed_path(uri: str) -> Path | None:
    """The local file a feed URI writes to, or None (another storage, or a templated path)."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        uri = parts.path
    elif parts.scheme and len(parts.scheme) > 1:
        return None  # s3://, ftp://, stdout: ...
    if "%(" in uri:
        return None
    return Path(uri).expanduser().resolve()


def _start_url(start_url, category) -> str:
    if start_url is not None and category is not None:
        raise BadArgument("give either start_url or category, not both")
    if category is not None:
        if not _CATEGORY.match(str(category)):
            raise BadArgument(
                f"category must be a category's name as in its URL (lower-case letters, digits and -), "
                f"got {category!r}"
            )
        return f"{DEFAULT_BLOG}/{category}"
    if start_url is None:
        return f"{DEFAULT_BLOG}/{DEFAULT_CATEGORY}"
    url = str(start_url).strip()
    if not url:
        raise BadArgument(
            "start_url is empty: give the absolute http(s) URL of a listing, or leave it out "
            f"to crawl {DEFAULT_BLOG}/{DEFAULT_CATEGORY}"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadArgument(f"start_url must be an absolute http(s) URL of a listing, got {url!r}")
    return url


def _max_pages(value) -> int | None:
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise BadArgument(f"max_pages must be a whole number of at least 1, got {value!r}") from None
    if number < 1:
        raise BadArgument(f"max_pages must be a whole number of at least 1, got {value!r}")
    return number


def _choice(name: str, value, accepted: tuple[str, ...], default):
    if value is None:
        return default
    text = str(value).strip()
    if text not in accepted:
        raise BadArgument(f"{name} must be one of {', '.join(accepted)}, got {value!r}")
    return text


def _known(value, mode) -> str | None:
    if value is None:
        return None
    if str(mode or "full").strip() != "incremental":
        raise BadArgument("known goes with mode=incremental (the posts an earlier crawl found)")
    text = str(value).strip()
    if not text:
        raise BadArgument("known is empty: give the path of an earlier JSON lines export")
    return text
