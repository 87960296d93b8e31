"""Rule ``no-schema-references``: an action's input schemas hold no reference keywords.

Harbor Node compiles each action's inputs on their own, and hubtool compiles them inside its
own ``{path, query, body}`` schema: a ``$ref`` (or a base URI set by ``$id``) means something
different in each document, and one that leaves the document would make a schema engine fetch
a URL or read a file. So references are refused outright; the input subset has no ``$defs``
for them to point at, and a schema written out in full means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.findings import Finding
from hubtool.loader import Document, escape
from hubtool.manifest import action_name, actions, body_schema, parameters
from hubtool.registry import finding

RULE = "no-schema-references"
KEYWORDS = (
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$schema",
    "$vocabulary",
    "$defs",
    "definitions",
)
"""Keywords that name, define or re-base a reference target (JSON Schema drafts 4 to 2020-12)."""
_DATA = frozenset({"const", "enum", "default", "examples"})
"""Keywords whose value is data, not a schema: a "$ref" key inside them is a value."""
_NAME_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "dependencies"})
"""Keywords whose value maps names (not keywords) to schemas."""


def references(schema: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, keyword) of every reference keyword at a schema position under ``schema``.

    Every member is walked except data (``const``, ``enum``, ``default``, ``examples``), so a
    keyword under an applicator hubtool's subset does not allow (``allOf``, ``not``, ...) is
    found too. Linear in the size of ``schema``.
    """
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from references(item, f"{pointer}/{index}")
        return
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        at = f"{pointer}/{escape(key)}"
        if key in KEYWORDS:
            yield at, key
        elif key in _NAME_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                yield from references(sub, f"{at}/{escape(name)}")
        elif key not in _DATA:
            yield from references(value, at)


def check(doc: Document) -> Iterator[Finding]:
    for pointer, action in actions(doc.data):
        schemas = [(f"{p}/schema", param.get("schema")) for p, param in parameters(action, pointer)]
        schemas.append((f"{pointer}/inputs/body", body_schema(action)))
        for schema_pointer, schema in schemas:
            for at, keyword in references(schema, schema_pointer):
                yield finding(
                    doc,
                    RULE,
                    at,
                    f"{action_name(action, pointer)}: {keyword} in an input schema; hubtool "
                    "and Harbor Node follow no references: write the schema out in full",
                    at_key=True,
                )
