"""The posts an incremental crawl already has: from MongoDB when MONGO_URI is set
(posts marked gone are not known, so one that comes back is crawled again),
otherwise from a previous JSON lines export."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pymongo.errors import PyMongoError

from kongblog.jsonlines import read_objects
from kongblog.store.config import StoreConfig
from kongblog.store.posts import PostStore

ENRICHED_MARKER = "word_count"  # a post counts as enriched once its article page was read


class KnownPostsUnavailable(RuntimeError):
    pass


@dataclass
class KnownPosts:
    slugs: set[str] = field(default_factory=set)
    enriched: set[str] = field(default_factory=set)
    source: str = ""

    def __len__(self) -> int:
        return len(self.slugs)

    def add(self, record: dict) -> None:
        if slug := record.get("slug"):
            self.slugs.add(slug)
            if record.get(ENRICHED_MARKER) is not None:
                self.enriched.add(slug)


def known_from_jsonl(path: str | Path) -> KnownPosts:
    """Every post of an earlier export; a file that cannot be read whole is refused (line number and why)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise KnownPostsUnavailable(f"the known-posts file {path} does not exist")
    known = KnownPosts(source=str(path))
    try:
        for number, record in read_objects(path):
            if isinstance(record, str):
                raise KnownPostsUnavailable(f"{path}:{number}: {record}")
            known.add(record)
    except OSError as exc:
        raise KnownPostsUnavailable(f"{path}: {exc.strerror or exc}") from None
    return known


async def known_from_mongo(settings) -> KnownPosts:
    try:
        store = PostStore(StoreConfig.from_settings(settings))
        await store.connect(ensure_indexes=False)
    except Exception as exc:
        raise KnownPostsUnavailable(str(exc)) from None
    try:
        known = KnownPosts(source=f"MongoDB {store.config.where}")
        current = {"gone_since": {"$exists": False}}
        async for document in store.collection.find(current, {"_id": 0, "slug": 1, ENRICHED_MARKER: 1}):
            known.add(document)
        return known
    except PyMongoError as exc:
        raise KnownPostsUnavailable(store.config.describe(exc)) from None
    finally:
        await store.close()
