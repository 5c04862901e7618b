"""Local feeds a failed crawl never empties: ``-O posts.jsonl`` writes beside the file and replaces it only when the
crawl ends healthy (the verdict ``scrapy crawl`` exits on). A failed crawl keeps the file as it was and leaves its
items in ``posts.failed.jsonl``, named in its failure reasons (so in its last line); with no file yet, the items
land where asked. A failed crawl that scraped nothing leaves no empty sibling. ``-o`` (append) is Scrapy's own.
"""

from __future__ import annotations

import os
from pathlib import Path

from scrapy.extensions.feedexport import FileFeedStorage

from kongblog.commands.crawl import crawl_failure
from kongblog.failures import record_failure


class HealthyOverwriteFeedStorage(FileFeedStorage):
    @classmethod
    def from_crawler(cls, crawler, uri, *, feed_options=None):
        storage = cls(uri, feed_options=feed_options)
        storage.stats = crawler.stats
        return storage

    def open(self, spider):
        if self.write_mode != "wb":
            return super().open(spider)
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.with_name(path.name + ".partial").open("wb")

    def store(self, file) -> None:
        file.close()
        if self.write_mode != "wb":
            return
        path = Path(self.path)
        written = Path(file.name)
        # Read at spider_closed: CoreStats (an extension connected before the feed exporter) has set the
        # finish reason, the pipelines have closed, and the health checks judged at the last spider_idle.
        failure = crawl_failure(self.stats.get_stats())
        if failure is None or not path.exists():
            os.replace(written, path)
            return
        if not written.stat().st_size:  # nothing scraped (the site unreachable, say): nothing to keep beside it
            written.unlink()
            return
        kept = path.with_name(f"{path.stem}.failed{path.suffix}")
        os.replace(written, kept)
        record_failure(self.stats, f"{path} left as it was: this crawl's items are in {kept}")
