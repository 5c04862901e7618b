"""JSON Schemas shipped with kongblog, read as package data.

They are read through :mod:`importlib.resources`, never through ``__file__``
paths, so they load from a zipped Scrapyd egg as well as from a source tree.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

__all__ = ["POST_SCHEMA", "load_schema", "schema_text"]

#: Resource name of the post card schema.
POST_SCHEMA = "post.schema.json"


def schema_text(name: str = POST_SCHEMA) -> str:
    """The schema file *name* of this package, as text."""
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


@cache
def _load(name: str) -> str:
    return schema_text(name)


def load_schema(name: str = POST_SCHEMA) -> dict[str, Any]:
    """The schema *name* parsed into a fresh dict (callers may mutate it)."""
    return json.loads(_load(name))
