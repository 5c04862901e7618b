"""The JSON Schema of a post (the contract for readers), and checking a card against it.

The schema is read through :mod:`importlib.resources`, never a ``__file__`` path, so it loads from
a zipped Scrapyd egg as well as from a source tree.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib.resources import files
from typing import Any

import fastjsonschema

POST_SCHEMA = "post.schema.json"
#: What can be wrong with a field: absent, null or blank where required; else not what the schema says.
MISSING, MALFORMED = "missing", "malformed"


@cache
def schema_text(name: str = POST_SCHEMA) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def load_schema(name: str = POST_SCHEMA) -> dict[str, Any]:
    """The schema *name* parsed into a fresh dict (callers may mutate it)."""
    return json.loads(schema_text(name))


class PostSchema:
    """Checks cards against the post schema compiled by fastjsonschema: whole (nearly every card is
    valid), then, for a rejected card, field by field to name every problem field."""

    def __init__(self) -> None:
        schema = load_schema()
        self._passes = fastjsonschema.compile(schema, use_formats=False)
        self._field_passes = {
            name: fastjsonschema.compile(spec, use_formats=False) for name, spec in schema["properties"].items()
        }
        self.required = frozenset(schema["required"])
        self.optional = frozenset(schema["properties"]) - self.required

    def problems(self, data: Any) -> dict[str, str]:
        """field -> what is wrong with it (MISSING or MALFORMED; "_item" for the whole)."""
        return {} if self.passes(data) else self.explain(data)

    def passes(self, data: Any) -> bool:
        return _valid(self._passes, data) and _real_date(data.get("published"))

    def explain(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict):
            return {"_item": MALFORMED}
        problems = {name: MISSING for name in self.required if name not in data}
        for name, value in data.items():
            check = self._field_passes.get(name)
            if check is None:  # a field the schema does not know
                problems[name] = MALFORMED
            elif not _valid(check, value):
                blank = value is None or isinstance(value, str) and not value.strip()
                problems[name] = MISSING if name in self.required and blank else MALFORMED
            elif name == "published" and not _real_date(value):
                problems[name] = MALFORMED
        return problems


def _real_date(value: Any) -> bool:
    """Null, or a date that exists (the schema's pattern lets 2023-02-30 through)."""
    return value is None or _valid(dt.date.fromisoformat, value)


def _valid(check, value: Any) -> bool:
    """Whether ``check`` (a compiled schema, or a date parser) accepts ``value``."""
    try:
        check(value)
    except ValueError:  # fastjsonschema's JsonSchemaException is a ValueError
        return False
    return True
