"""The shipped post schema: valid, in step with PostItem, loadable from an egg."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from jsonschema import Draft202012Validator

from kongblog.items import REQUIRED_FIELDS, ArticlePostItem, PostItem
from kongblog.schemas import POST_SCHEMA, load_schema, schema_text
from tests.support.crawl import REPO
from tests.support.mongo import synthetic_post


def test_schema_is_valid_draft_2020_12():
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_matches_the_item():
    schema = load_schema()
    # The schema covers the enriched item (articles=1), a superset of the card.
    assert set(schema["properties"]) == {f.name for f in dataclasses.fields(ArticlePostItem)}
    assert {f.name for f in dataclasses.fields(PostItem)} < set(schema["properties"])
    assert schema["required"] == list(REQUIRED_FIELDS)
    for name, spec in schema["properties"].items():
        types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        assert ("null" in types) == (name not in REQUIRED_FIELDS), name


def test_load_schema_gives_a_fresh_copy():
    load_schema()["properties"].clear()
    assert "slug" in load_schema()["properties"]


def test_a_synthetic_post_is_valid():
    errors = list(Draft202012Validator(load_schema()).iter_errors(dataclasses.asdict(synthetic_post(1))))
    assert errors == []


def test_schema_loads_from_a_zipped_egg(tmp_path: Path):
    # Scrapyd runs projects from a zipped egg: no file paths, only package data.
    egg = tmp_path / "kongblog.egg"
    package = REPO / "kongblog"
    with zipfile.ZipFile(egg, "w") as zf:
        for path in package.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, path.relative_to(REPO).as_posix())
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1]);"
        "import kongblog.schemas as s; assert s.__file__.startswith(sys.argv[1]), s.__file__;"
        "print(json.dumps(s.load_schema()['required']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(egg)],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == list(REQUIRED_FIELDS)
    assert json.loads(schema_text(POST_SCHEMA))["required"] == list(REQUIRED_FIELDS)
