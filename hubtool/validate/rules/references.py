"""Rule ``no-schema-references``: an action's input schemas hold no reference keywords.

Harbor Node compiles each action's inputs on their own, and hubtool compiles them inside its
own ``{path, query, body}`` schema: a ``$ref`` (or a base URI set by ``$id``) means something
different in each document, and one that leaves the document would make a schema engine fetch
a URL or read a file. So references are refused outright; the input subset has no ``$defs``
for them to point at, and a schema written out in full means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from hubtool.core.findings import Finding
from hubtool.core.manifest import action_name, actions, body_schema, parameters
from hubtool.core.schema import references
from hubtool.load.strict import Document
from hubtool.registry import finding

RULE = "no-schema-references"


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
