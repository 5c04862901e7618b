"""Known posts for incremental mode, from a previous export."""

import json

import pytest

from kongblog.store.known import KnownPostsUnavailable, known_from_jsonl


def test_known_posts_from_an_export(tmp_path):
    export = tmp_path / "posts.jsonl"
    export.write_text(json.dumps({"slug": "a"}) + "\n\n" + json.dumps({"slug": "b", "word_count": 3}) + "\n")
    known = known_from_jsonl(export)
    assert (known.slugs, known.enriched) == ({"a", "b"}, {"b"})


@pytest.mark.parametrize("line, problem", [("[1, 2]", "is not a JSON object"), ("{oops", "is not JSON")])
def test_a_line_that_is_no_exported_item_is_named(tmp_path, line, problem):
    export = tmp_path / "posts.jsonl"
    export.write_text(json.dumps({"slug": "a"}) + "\n" + line + "\n")
    with pytest.raises(KnownPostsUnavailable, match=f"posts.jsonl:2 {problem}"):
        known_from_jsonl(export)
