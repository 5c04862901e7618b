"""The JSON Schema of a post (the contract for readers), and checking a card against it.

The schema is read through :mod:`importlib.resources`, never a ``__file__``
path, so it loads from a zipped Scrapyd egg as well as from a source tree.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib.resources import files
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

__all__ = ["MISSING", "BAD_DATE", "INVALID", "POST_SCHEMA", "PostSchema", "load_schema", "schema_text"]

#: Resource name of the post card schema.
POST_SCHEMA = "post.schema.json"
#: What can be wrong with a field, worst first.
MISSING, BAD_DATE, INVALID = "missing", "bad date", "invalid"


@cache
def schema_text(name: str = POST_SCHEMA) -> str:
    """The schema file *name* of this package, as text."""
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def load_schema(name: str = POST_SCHEMA) -> dict[str, Any]:
    """The schema *name* parsed into a fresh dict (callers may mutate it)."""
    return json.loads(schema_text(name))


class PostSchema:
    """Checks cards against the post schema, field by field.

    Nearly every card is valid, so a card is first checked by the same schema compiled to Python code by
    fastjsonschema (ten times faster, see docs/benchmarks.md); only a card it
    rejects is gone through by jsonschema, which names every problem field.
    """

    def __init__(self) -> None:
        schema = load_schema()
        Draft202012Validator.check_schema(schema)
        self.validator = Draft202012Validator(schema)
        self._passes = fastjsonschema.compile(schema, use_formats=False)
        self.required = frozenset(schema["required"])
        self.optional = tuple(name for name in schema["properties"] if name not in self.required)

    def problems(self, data: Any) -> dict[str, str]:
        """field -> what is wrong with it (MISSING, BAD_DATE or INVALID; "_item" for the whole)."""
        return {} if self.passes(data) else self.explain(data)

    def passes(self, data: Any) -> bool:
        """The verdict alone, fast."""
        try:
            self._passes(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return is_calendar_date(data["published"])

    def explain(self, data: Any) -> dict[str, str]:
        """Every problem field of ``data``, by jsonschema."""
        if not isinstance(data, dict):
            return {"_item": INVALID}
        problems: dict[str, str] = {}
        for error in self.validator.iter_errors(data):
            if error.validator == "required" and not error.path:
                problems.update((name, MISSING) for name in error.validator_value if name not in data)
            elif error.validator == "additionalProperties" and not error.path:
                problems.update((name, INVALID) for name in set(data) - set(self.validator.schema["properties"]))
            elif not error.path:
                problems["_item"] = INVALID
            else:
                name = str(error.path[0])
                value = data.get(name)
                blank = value is None or isinstance(value, str) and not value.strip()
                kind = MISSING if name in self.required and blank else BAD_DATE if name == "published" else INVALID
                problems.setdefault(name, kind)
        published = data.get("published")
        if isinstance(published, str) and "published" not in problems and not is_calendar_date(published):
            problems["published"] = BAD_DATE
        return problems


def is_calendar_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
