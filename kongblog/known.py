from kongblog.store.known import KnownPosts, KnownPostsUnavailable, known_from_jsonl, known_from_mongo  # noqa: F401 -- shim: import kongblog.store.known
