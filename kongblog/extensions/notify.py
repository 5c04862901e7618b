"""Alerts at a crawl's end through Apprise: ``KONGBLOG_NOTIFY`` holds Apprise URLs (docs/deploy.md).

A failed crawl sends its reasons; a healthy one, the posts it found new, changed and gone (MongoDB's
first_seen_at, updated_at, gone_since; without MongoDB only an incremental crawl knows: its exports are
new). A channel that fails is logged, never fails the crawl, and the sending is bounded by
``KONGBLOG_NOTIFY_TIMEOUT``. The URLs' secrets are masked in every log line, Apprise's own included.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from urllib.parse import parse_qsl, unquote, urlsplit

import apprise
from scrapy import signals
from scrapy.exceptions import NotConfigured

from kongblog import stats as keys

logger = logging.getLogger(__name__)
LISTED = 20  # links per section of a digest; the rest are counted


def secrets_of(url: str) -> set[str]:
    """The URL, its user and password, and the tokens services put in the host (slack://TOKEN/...), the
    path or the query (discord://ID/TOKEN): what no log line may show."""
    found = {url}
    try:
        parts = urlsplit(url)
        found |= {parts.username or "", parts.password or ""}
        if parts.hostname and "." not in parts.hostname and parts.hostname != "localhost":
            found.add(parts.hostname)
        found |= {piece for piece in parts.path.split("/") + [v for _, v in parse_qsl(parts.query)] if len(piece) >= 8}
    except ValueError:  # a URL urllib refuses is masked whole
        pass
    return {secret for text in found for secret in (text, unquote(text)) if secret}


class Redact(logging.Filter):
    def __init__(self, secrets: set[str]) -> None:
        super().__init__()
        self.secrets = sorted(secrets, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, "****")
        record.msg, record.args = message, ()
        return True


def stored_changes(settings, since: dt.datetime) -> dict[str, tuple[int, list]]:
    """name -> (count, the first LISTED (url, title)) of the posts the store inserted, revised or marked
    gone since *since*."""
    from pymongo import MongoClient

    from kongblog.store.config import StoreConfig

    config = StoreConfig.from_settings(settings)
    queries = {
        "new": {"first_seen_at": {"$gte": since}},
        "changed": {"updated_at": {"$gte": since}, "first_seen_at": {"$lt": since}},
        "gone": {"gone_since": {"$gte": since}},
    }
    timeout = config.server_selection_timeout_ms
    with MongoClient(config.uri, serverSelectionTimeoutMS=timeout, socketTimeoutMS=timeout) as client:
        posts = client[config.database][config.collection]
        return {
            name: (posts.count_documents(query), [(doc.get("url"), doc.get("title")) for doc in
                                                  posts.find(query, {"url": 1, "title": 1}).sort("url").limit(LISTED)])
            for name, query in queries.items()
        }  # fmt: skip


class CrawlNotifier:
    def __init__(self, crawler, urls: str, timeout: float) -> None:
        self.crawler, self.timeout = crawler, timeout
        redact = Redact({secret for url in re.split(r"[\s,]+", urls) for secret in secrets_of(url)})
        for name in (__name__, "apprise"):
            logging.getLogger(name).addFilter(redact)
        self.channels = apprise.Apprise()
        self.channels.add(urls)  # Apprise logs the URLs it cannot use (masked)
        if not len(self.channels):
            raise NotConfigured("KONGBLOG_NOTIFY holds no URL Apprise can use")
        for channel in self.channels:  # nor may a hung channel's thread hold the process much longer
            channel.socket_connect_timeout = min(channel.socket_connect_timeout or timeout, timeout)
            channel.socket_read_timeout = min(channel.socket_read_timeout or timeout, timeout)
        self.started = dt.datetime.now(dt.timezone.utc)  # before the store writes anything
        self.exported: list[tuple[str, str]] = []
        self.exported_count = 0
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not (urls := (crawler.settings.get("KONGBLOG_NOTIFY") or "").strip()):
            raise NotConfigured  # unset: no alerts (no message: Scrapy would log one as a WARNING)
        return cls(crawler, urls, crawler.settings.getfloat("KONGBLOG_NOTIFY_TIMEOUT"))

    def item_scraped(self, item, spider) -> None:
        self.exported_count += 1
        if len(self.exported) < LISTED:
            self.exported.append((getattr(item, "url", ""), getattr(item, "title", "")))

    def spider_closed(self, spider, reason: str) -> None:
        try:
            if message := self.message(spider, reason):
                self.send(*message)
        except Exception as exc:  # an alert never fails the crawl
            logger.error("Could not send the crawl's notification: %r", exc)

    def message(self, spider, reason: str) -> tuple[str, str, apprise.NotifyType] | None:
        stats = self.crawler.stats.get_stats()
        job = getattr(spider, "_job", None)
        head = f"kongblog crawl of {getattr(spider, 'start_url', spider.name)}" + (f" (job {job})" if job else "")
        reasons = list(stats.get(keys.FAILURES) or []) + ([f"finish reason {reason!r}"] if reason != "finished" else [])
        if reasons:
            more = stats.get(keys.FAILURES_MORE, 0)
            lines = ["It failed:", *(f"- {why}" for why in reasons), *([f"- and {more} more"] if more else [])]
            lines.append(f"{stats.get('item_scraped_count', 0)} posts exported; see its log.")
            return f"{head} FAILED", "\n".join(lines), apprise.NotifyType.FAILURE
        if self.crawler.settings.get("MONGO_URI"):
            changes = stored_changes(self.crawler.settings, self.started)
        elif getattr(getattr(spider, "params", None), "mode", "full") == "incremental":
            changes = {"new": (self.exported_count, self.exported)}
        else:
            return None
        lines = []
        for name, (count, posts) in changes.items():
            if count:
                lines += [f"{count} {name}:", *(f"- {title} {url}" for url, title in posts)]
                lines += [f"- and {count - len(posts)} more"] if count > len(posts) else []
        headline = ", ".join(f"{count} {name}" for name, (count, _) in changes.items() if count)
        return (f"{head}: {headline}", "\n".join(lines), apprise.NotifyType.INFO) if lines else None

    def send(self, title: str, body: str, kind: apprise.NotifyType) -> None:
        result = self.channels.notify(body=body, title=title, notify_type=kind, timeout=self.timeout)
        if result:
            logger.info("Notification sent to %d channel(s): %s", len(self.channels), title)
        else:
            status = getattr(result.status, "name", result.status)
            logger.error("Notification not delivered (%s) within %gs: %s", status, self.timeout, title)
