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

from hubtool.core.findings import ERROR, Finding
from hubtool.core.manifest import action_name, actions, as_dict, as_list, body_schema, parameters
from hubtool.core.registry import Example, Rule, finding
from hubtool.core.schema import KEYWORDS, may_hold_reference, references
from hubtool.load.strict import Document

NO_SCHEMA_REFERENCES = Rule(
    id="no-schema-references",
    severity=ERROR,
    family="references",
    title="Input schemas are self-contained: no $ref, $id or anchors",
    description="No input schema (a parameter's `schema`, `inputs.body`, at any depth) may "
    "use `$ref`, `$dynamicRef`, `$recursiveRef`, `$id`, `$anchor`, `$dynamicAnchor`, "
    "`$recursiveAnchor`, `$schema`, `$vocabulary`, `$defs` or `definitions`. They are "
    "refused rather than confined to the manifest: Harbor Node compiles each action's inputs "
    "on their own, so a reference (or the base URI `$id` sets) means something different in "
    "each document that compiles it; one that leaves the document would make a schema "
    "engine fetch a URL or read a file; and one that recurses (two in an `allOf` double the "
    "work at every level of a value) can hang a run. hubtool never retrieves a referenced "
    "schema, and never checks a value against a schema that holds a reference.",
    fix="Write the referenced schema out in full where the reference was.",
    failing=Example(
        patch={"/actionTemplates/1/inputs/body/properties/name": {"$ref": "#/$defs/name"}}
    ),
    passing=Example(
        patch={
            "/actionTemplates/1/inputs/body/properties/name": {
                "type": "string",
                "minLength": 1,
                "maxLength": 80,
            }
        }
    ),
)


def check(doc: Document) -> Iterator[Finding]:
    if keyword_free(doc):
        return  # most manifests: one look at their keys, no schema walked
    for pointer, action in actions(doc.data):
        if not may_hold_reference(_schemas(action)):
            continue  # most actions: one look at all their schemas, no pointer built
        schemas = [(f"{p}/schema", param.get("schema")) for p, param in parameters(action, pointer)]
        schemas.append((f"{pointer}/inputs/body", body_schema(action)))
        for schema_pointer, schema in schemas:
            for at, keyword in references(schema, schema_pointer):
                yield finding(
                    doc,
                    NO_SCHEMA_REFERENCES,
                    at,
                    f"{action_name(action, pointer)}: {keyword} in an input schema; hubtool "
                    "and Harbor Node follow no references: write the schema out in full",
                    at_key=True,
                )


def keyword_free(doc: Document) -> bool:
    """True when no key anywhere in ``doc`` is a reference keyword (``KEYWORDS``: ``$ref``,
    ``$id`` ... and ``definitions``): one set test against the distinct keys the loader
    gathered (``Document.texts``). False (ask the walk): maybe, or not gathered."""
    return doc.texts is not None and _KEYWORD_SET.isdisjoint(doc.texts[0])


_KEYWORD_SET = frozenset(KEYWORDS)


def _schemas(action: dict[str, Any]) -> list[Any]:
    """The schemas ``check`` walks for ``action``: each parameter's, then the body's."""
    params = as_list(as_dict(action.get("inputs")).get("parameters"))
    return [
        *(param.get("schema") for param in params if isinstance(param, dict)),
        body_schema(action),
    ]
