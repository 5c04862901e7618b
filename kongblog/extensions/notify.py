"""Alerts at the end of a crawl, through Apprise, to the channels a team already reads (docs/deploy.md).

``KONGBLOG_NOTIFY`` (environment) holds one or more Apprise URLs (Slack, Teams, Discord, e-mail, ntfy,
``json://`` webhooks ...), separated by spaces or commas; unset, this extension is off. A crawl that
failed sends its reasons; a healthy one sends a digest of the posts it found new, changed and gone,
with links, when there is any. Without MongoDB only an incremental crawl knows what is new (the posts
it exported); a full one then sends nothing. A channel that fails is logged: it never fails the crawl,
and the whole sending takes at most ``KONGBLOG_NOTIFY_TIMEOUT`` seconds. The secrets in those URLs
(passwords, tokens) are masked in every log line, Apprise's own included.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

import apprise
from scrapy import signals
from scrapy.exceptions import NotConfigured

from kongblog import stats as keys

logger = logging.getLogger(__name__)

MASK = "****"
LISTED = 20  # links per section of a digest; the rest are counted


def secrets_of(url: str) -> list[str]:
    """What must never be logged of an Apprise URL: the URL, its user and password, and the tokens that
    many services put in the host (slack://TOKEN/...) or the path and query (discord://ID/TOKEN)."""
    found = [url]
    try:
        parts = urlsplit(url)
        found += [parts.username or "", parts.password or ""]
        if parts.hostname and "." not in parts.hostname and parts.hostname != "localhost":
            found.append(parts.hostname)
        found += [piece for piece in parts.path.split("/") if len(piece) >= 8]
        found += [value for _, value in parse_qsl(parts.query) if len(value) >= 8]
    except ValueError:  # a URL urllib refuses is masked whole
        pass
    found += [unquote(secret) for secret in found]
    return sorted({secret for secret in found if secret}, key=len, reverse=True)


class Redact(logging.Filter):
    """Masks the given secrets in a record's message (attached to this module's and Apprise's loggers)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, MASK)
        record.msg, record.args = message, ()
        return True


@dataclass
class Digest:
    """Posts a crawl found new, changed and gone: (url, title) pairs, the first LISTED of each, and counts."""

    new: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    gone: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "changed": 0, "gone": 0})

    def __bool__(self) -> bool:
        return any(self.counts.values())

    def text(self) -> str:
        lines = []
        for name in ("new", "changed", "gone"):
            posts, count = getattr(self, name), self.counts[name]
            if count:
                lines.append(f"{count} {name}:")
                lines += [f"- {title} {url}" for url, title in posts]
                if count > len(posts):
                    lines.append(f"- and {count - len(posts)} more")
        return "\n".join(lines)


def stored_digest(settings, since: dt.datetime) -> Digest:
    """What the store says changed since *since* (this crawl's start): the documents it inserted, revised
    or marked gone (docs/mongo.md's first_seen_at, updated_at, gone_since)."""
    from pymongo import MongoClient

    from kongblog.store.config import StoreConfig

    config = StoreConfig.from_settings(settings)
    queries = {
        "new": {"first_seen_at": {"$gte": since}},
        "changed": {"updated_at": {"$gte": since}, "first_seen_at": {"$lt": since}},
        "gone": {"gone_since": {"$gte": since}},
    }
    digest = Digest()
    timeout = config.server_selection_timeout_ms
    with MongoClient(config.uri, serverSelectionTimeoutMS=timeout, socketTimeoutMS=timeout) as client:
        posts = client[config.database][config.collection]
        for name, query in queries.items():
            digest.counts[name] = posts.count_documents(query)
            found = posts.find(query, {"url": 1, "title": 1}).sort("url", 1).limit(LISTED)
            setattr(digest, name, [(doc.get("url", ""), doc.get("title", "")) for doc in found])
    return digest


class CrawlNotifier:
    def __init__(self, crawler, urls: str, timeout: float) -> None:
        self.crawler = crawler
        self.timeout = timeout
        self.channels = apprise.Apprise()
        self.redact = Redact([secret for url in re.split(r"[\s,]+", urls) for secret in secrets_of(url)])
        for name in (__name__, "apprise"):
            logging.getLogger(name).addFilter(self.redact)
        self.channels.add(urls)  # Apprise logs the URLs it cannot use (masked by the filter)
        if not len(self.channels):
            raise NotConfigured("KONGBLOG_NOTIFY holds no URL Apprise can use")
        for channel in self.channels:  # a hung channel's thread must not outlive the crawl by much either
            channel.socket_connect_timeout = min(channel.socket_connect_timeout or timeout, timeout)
            channel.socket_read_timeout = min(channel.socket_read_timeout or timeout, timeout)
        self.started = dt.datetime.now(dt.timezone.utc)  # before the store writes anything
        self.exported: list[tuple[str, str]] = []
        self.exported_count = 0
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        urls = (crawler.settings.get("KONGBLOG_NOTIFY") or "").strip()
        if not urls:
            raise NotConfigured("KONGBLOG_NOTIFY is not set")
        return cls(crawler, urls, crawler.settings.getfloat("KONGBLOG_NOTIFY_TIMEOUT"))

    def item_scraped(self, item, spider) -> None:
        self.exported_count += 1
        if len(self.exported) < LISTED:
            self.exported.append((getattr(item, "url", ""), getattr(item, "title", "")))

    def spider_closed(self, spider, reason: str) -> None:
        try:
            message = self.message(spider, reason)
            if message is not None:
                self.send(*message)
        except Exception as exc:  # an alert never fails the crawl
            logger.error("Could not send the crawl's notification: %s", self.redact_text(repr(exc)))

    def message(self, spider, reason: str) -> tuple[str, str, apprise.NotifyType] | None:
        stats = self.crawler.stats.get_stats()
        where = getattr(spider, "start_url", spider.name)
        job = getattr(spider, "_job", None)
        head = f"kongblog crawl of {where}" + (f" (job {job})" if job else "")
        reasons = list(stats.get(keys.FAILURES) or [])
        if reason != "finished":
            reasons.append(f"finish reason {reason!r}")
        if reasons:
            more = stats.get(keys.FAILURES_MORE, 0)
            lines = [f"- {why}" for why in reasons] + ([f"- and {more} more"] if more else [])
            items = stats.get("item_scraped_count", 0)
            body = "\n".join(["It failed:", *lines, f"{items} posts exported.", "See its log for details."])
            return f"{head} FAILED", body, apprise.NotifyType.FAILURE
        digest = self.digest(spider)
        if not digest:
            return None
        return f"{head}: {self.headline(digest)}", digest.text(), apprise.NotifyType.INFO

    def digest(self, spider) -> Digest:
        settings = self.crawler.settings
        if settings.get("MONGO_URI"):
            return stored_digest(settings, self.started)
        digest = Digest()
        if getattr(getattr(spider, "params", None), "mode", "full") == "incremental":
            digest.new, digest.counts["new"] = self.exported, self.exported_count
        return digest

    @staticmethod
    def headline(digest: Digest) -> str:
        return ", ".join(f"{count} {name}" for name, count in digest.counts.items() if count)

    def send(self, title: str, body: str, kind: apprise.NotifyType) -> None:
        result = self.channels.notify(body=body, title=title, notify_type=kind, timeout=self.timeout)
        if result:
            logger.info("Notification sent to %d channel(s): %s", len(self.channels), title)
        else:
            status = getattr(result.status, "name", result.status)
            logger.error("Notification not delivered (%s) within %gs: %s", status, self.timeout, title)

    def redact_text(self, text: str) -> str:
        for secret in self.redact.secrets:
            text = text.replace(secret, MASK)
        return text
