"""The posts a previous crawl already has, for incremental crawls.

They come from the MongoDB collection when MONGO_URI is set (slugs only, one
query at start, async: :func:`known_from_mongo` is awaited on the crawl's
event loop), otherwise from a previous JSON lines export.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kongblog.pipelines.mongo import PostStore, StoreConfig

# A post counts as enriched once its article page was read.
ENRICHED_MARKER = "word_count"


class KnownPostsUnavailable(RuntimeError):
    pass


@dataclass
class KnownPosts:
    slugs: set[str] = field(default_factory=set)
    enriched: set[str] = field(default_factory=set)
    source: str = ""

    def __len__(self) -> int:
        return len(self.slugs)


def known_from_jsonl(path: str | Path) -> KnownPosts:
    path = Path(path)
    if not path.is_file():
        raise KnownPostsUnavailable(f"the known-posts file {path} does not exist")
    known = KnownPosts(source=str(path))
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise KnownPostsUnavailable(f"{path}:{number} is not JSON: {exc}") from None
            slug = record.get("slug")
            if slug:
                known.slugs.add(slug)
                if record.get(ENRICHED_MARKER) is not None:
                    known.enriched.add(slug)
    return known


async def known_from_mongo(settings) -> KnownPosts:
    """The slugs (and enriched slugs) of the collection, read once, on the
    running event loop (:class:`~pymongo.AsyncMongoClient`)."""
    config = StoreConfig.from_settings(settings)
    store = PostStore(config)
    try:
        await store.connect(ensure_indexes=False)
    except Exception as exc:
        raise KnownPostsUnavailable(str(exc)) from None
    try:
        known = KnownPosts(source=f"MongoDB {config.masked_uri} {config.database}.{config.collection}")
        async for document in store.collection.find({}, {"_id": 0, "slug": 1, ENRICHED_MARKER: 1}):
            known.slugs.add(document["slug"])
            if document.get(ENRICHED_MARKER) is not None:
                known.enriched.add(document["slug"])
        return known
    finally:
        await store.close()
