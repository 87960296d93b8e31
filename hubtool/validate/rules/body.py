"""Rule ``bounded-body``: a json body is declared, closed at every level, typed and bounded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.findings import ERROR, Finding
from hubtool.core.inputs import SchemaPointers, sub_schemas
from hubtool.core.manifest import (
    READ_METHODS,
    action_name,
    actions,
    as_dict,
    as_list,
    body_schema,
    schema_types,
)
from hubtool.core.manifest import method as method_of
from hubtool.core.registry import Example, Rule, finding
from hubtool.core.secrets import safe_repr
from hubtool.load.strict import Document
from hubtool.validate.rules.inputs import bound_problem

BOUNDED_BODY = Rule(
    id="bounded-body",
    severity=ERROR,
    family="body",
    title="Request bodies are declared, closed and bounded",
    description="`requestBodyMode: json` needs `inputs.body`: an object schema closed "
    "(`additionalProperties: false`) at every level, every property typed and bounded, every "
    "`required` name declared. Every type of a mixed `type` list is bounded (a property "
    "typed object, string and array is closed, has maxLength and maxItems); a maxLength, "
    "maxItems or pattern length above 1 MiB (the manifest byte cap) or a minimum/maximum "
    "beyond +/-2^53-1 bounds nothing. (The schema allows no anyOf/oneOf in input schemas.) "
    "`requestBodyMode: none` means no `inputs.body`. GET and HEAD use `none`.",
    fix="Declare exactly the body fields the action supports, closed and bounded.",
    failing=Example(patch={"/actionTemplates/1/inputs/body/additionalProperties": True}),
)


def check(doc: Document) -> Iterator[Finding]:
    for pointer, action in actions(doc.data):
        yield from _check_action(doc, pointer, action)


def _check_action(doc: Document, pointer: str, action: dict[str, Any]) -> Iterator[Finding]:
    name = action_name(action, pointer)
    mode = action.get("requestBodyMode")
    body = body_schema(action)
    if mode == "json" and method_of(action) in READ_METHODS:
        yield finding(
            doc,
            BOUNDED_BODY,
            f"{pointer}/requestBodyMode",
            f"{name}: {method_of(action)} requests carry no body; use requestBodyMode 'none'",
        )
    if mode == "none" and body is not None:
        yield finding(
            doc,
            BOUNDED_BODY,
            f"{pointer}/inputs/body",
            f"{name}: requestBodyMode is 'none' but inputs.body is declared; "
            "remove inputs.body or use requestBodyMode 'json'",
        )
    if mode != "json":
        return
    if not isinstance(body, dict):
        yield finding(
            doc,
            BOUNDED_BODY,
            f"{pointer}/requestBodyMode",
            f"{name}: requestBodyMode 'json' needs inputs.body, a closed object schema "
            "of the fields the action supports",
        )
        return
    if schema_types(body) != {"object"}:
        yield finding(
            doc,
            BOUNDED_BODY,
            f"{pointer}/inputs/body",
            f"{name}: inputs.body must be an object schema (type 'object')",
        )
        return
    pointers = SchemaPointers(body, f"{pointer}/inputs/body")  # built for a finding only
    for index, schema in enumerate(sub_schemas(body)):
        problem = _schema_problem(schema)
        if problem:
            where, message = problem
            yield finding(doc, BOUNDED_BODY, pointers[index] + where, f"{name}: body {message}")


Located = tuple[str, str]
"""(pointer suffix below the schema that is at fault, message)."""


def _schema_problem(schema: dict[str, Any]) -> Located | None:
    types = schema_types(schema)
    if not types and "enum" not in schema and "const" not in schema:
        return "", "value has no type; type every property"
    if "object" in types:
        problem = _object_problem(schema)
        if problem:
            return problem
    problem = bound_problem(schema)  # every other type of a mixed type list, too
    return ("", problem) if problem else None


def _object_problem(schema: dict[str, Any]) -> Located | None:
    if schema.get("additionalProperties") is not False:
        where = "/additionalProperties" if "additionalProperties" in schema else ""
        return where, "object is open; set additionalProperties: false and list its properties"
    properties = as_dict(schema.get("properties"))
    if not properties:
        return "", "object declares no properties; list the fields the action sends"
    for index, required in enumerate(as_list(schema.get("required"))):
        if not isinstance(required, str) or required not in properties:
            return (
                f"/required/{index}",
                f"object requires {safe_repr(required)}, which is not among its properties; "
                "add it to properties or remove it from required",
            )
    return None
