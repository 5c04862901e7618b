"""Known posts for incremental mode, from a previous export."""

import json

import pytest

from kongblog.store.known import KnownPostsUnavailable, known_from_jsonl


def test_known_posts_from_an_export(tmp_path):
    export = tmp_path / "posts.jsonl"
    export.write_text(json.dumps({"slug": "a"}) + "\n\n" + json.dumps({"slug": "b", "word_count": 3}) + "\n")
    known = known_from_jsonl(export)
    assert (known.slugs, known.enriched) == ({"a", "b"}, {"b"})


@pytest.mark.parametrize("line, problem", [
    (b"[1, 2]", "not a JSON object"), (b"{oops", "not JSON"), (b"[" * 200_000, r"not JSON \(RecursionError"),
    ('{"slug": "café'.encode()[:-1], r"not JSON \(UnicodeDecodeError"),  # cut inside a character
])
def test_a_line_that_is_no_exported_item_is_named(tmp_path, line, problem):
    export = tmp_path / "posts.jsonl"
    export.write_bytes(json.dumps({"slug": "a"}).encode() + b"\n" + line + b"\n")
    with pytest.raises(KnownPostsUnavailable, match=f"posts.jsonl:2: {problem}"):
        known_from_jsonl(export)
