"""One reading of an OpenAPI schema, shared by ``check-upstream`` and ``scaffold``.

Both commands ask the same questions of a provider's schema, and answer them here only, so a
scaffolded action is one ``check-upstream`` accepts against the spec it came from:

* ``flatten``: generator wrappers (allOf, one-branch oneOf/anyOf, ``x-nullable``) as one schema;
* ``types_of``: the JSON types a schema admits, nullable forms included (3.0 ``nullable``,
  3.1 ``type: [t, "null"]`` and ``oneOf: [{type: "null"}, …]``); a declared ``type`` constrains
  its ``oneOf``/``anyOf`` branches (JSON Schema applies both);
* ``enum_of``: ``enum``, ``const``, or 3.1's ``oneOf`` of ``const`` (an empty ``enum``, which
  no value could match, is a generator's artefact and read as absent);
* ``object_properties``: declared properties (with ``oneOf``/``anyOf`` object branches) and the
  schema of any other key (a free-form map's ``additionalProperties``);
* ``applies``: whether a bound keyword constrains a type (``maxLength`` on an array is ignored,
  as JSON Schema 2020-12 Validation section 6 ignores a keyword on another type);
* ``stated_limits``/``stated_maximum``: a limit stated only in prose ("The maximum is 100.",
  "(max 100)", "between 1 and 10"), read for numbers only;
* ``query_array_form``: why an array query parameter's serialization is not Harbor's
  (repeated keys: OpenAPI 3's default ``form``, exploded), or None;
* ``to_json_schema``: the schema as JSON Schema, to validate example values against.
"""

from __future__ import annotations

import re
from typing import Any

from hubtool.core.manifest import as_dict, as_list, strings

_COUNT = r"(\d{1,15})(?!\d)"
"""A stated limit: 15 digits at most (int() refuses 4,300, and no page size has 16)."""
_INTEGER = r"(-?\d{1,15})(?!\d)"
_BETWEEN = re.compile(rf"\bbetween\s+`?{_INTEGER}`?\s+and\s+`?{_INTEGER}`?", re.IGNORECASE)
_MAXIMA = (
    re.compile(
        rf"\bmax(?:imum)?(?:\s+allowed)?(?:\s+value)?\s+(?:is|of)\s+`?{_COUNT}`?", re.IGNORECASE
    ),
    re.compile(rf"\(max(?:imum)?:?\s+{_COUNT}\)", re.IGNORECASE),
    re.compile(rf"(?<!\d){_COUNT}`?,?\s+which\s+is\s+also\s+the\s+maximum", re.IGNORECASE),
    re.compile(rf"\bat\s+most\s+`?{_COUNT}`?", re.IGNORECASE),
)
_NUMBERS = frozenset({"integer", "number"})
APPLIES_TO = {
    "maxLength": frozenset({"string"}),
    "minLength": frozenset({"string"}),
    "pattern": frozenset({"string"}),
    "format": frozenset({"string"}),
    "maxItems": frozenset({"array"}),
    "minItems": frozenset({"array"}),
    "uniqueItems": frozenset({"array"}),
    "maxProperties": frozenset({"object"}),
    "minProperties": frozenset({"object"}),
}
"""Keywords and the types they constrain (bounds not listed constrain numbers)."""


def applies(key: str, types: set[str]) -> bool:
    """Does keyword ``key`` constrain a value of ``types`` (empty: any type)?"""
    return not types or bool(APPLIES_TO.get(key, _NUMBERS) & types)


def flatten(schema: Any) -> dict[str, Any]:
    """One schema from generator wrappers: a one-element allOf, merged allOf, nullable.

    A ``oneOf``/``anyOf`` of one schema and ``{"type": "null"}`` branches (OpenAPI 3.1's
    nullable object, ``oneOf: [{type: "null"}, {$ref: ...}]``) is that schema, nullable;
    Swagger 2.0's ``x-nullable`` is ``nullable``.
    """
    schema = dict(as_dict(schema))
    if schema.get("x-nullable") is True:
        schema.setdefault("nullable", True)
    if schema.get("enum") == []:
        schema.pop("enum")  # no value matches an empty enum: a generator's artefact
    for key in ("oneOf", "anyOf"):
        branches = as_list(schema.get(key))
        real = [b for b in branches if not _is_null(b)]
        if len(real) == 1 and "allOf" not in schema:
            schema.pop(key)
            schema["allOf"] = real
            if len(branches) > 1:
                schema["nullable"] = True
            break
    parts = as_list(schema.pop("allOf", None))
    for part in parts:
        part = flatten(part)
        properties = {**as_dict(schema.get("properties")), **as_dict(part.get("properties"))}
        required = [*as_list(schema.get("required")), *as_list(part.get("required"))]
        schema = {**part, **schema}
        if properties:
            schema["properties"] = properties
        if required:
            schema["required"] = list(dict.fromkeys(r for r in required if isinstance(r, str)))
    return schema


def types_of(schema: Any) -> set[str]:
    """The JSON types an OpenAPI schema admits (empty: any). anyOf/oneOf unite their branches;
    a declared type narrows them (``type: integer`` with ``oneOf`` of ``const`` is integer)."""
    schema = flatten(schema)
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(strings(declared))
    united = _branch_types(schema)
    if united and types:
        both = (types & united) | ({"integer"} & united if "number" in types else set())
        types = both or types
    elif united:
        types = united
    if types and schema.get("nullable") is True:
        types.add("null")
    return types


def _branch_types(schema: dict[str, Any]) -> set[str]:
    """The union of the ``anyOf``/``oneOf`` branches' types (empty: any, or no branches)."""
    types: set[str] = set()
    for key in ("anyOf", "oneOf"):
        for branch in as_list(schema.get(key)):
            values = enum_of(branch) or []
            branch_types = types_of(branch) or {json_type(v) for v in values}
            if not branch_types:
                return set()
            types |= branch_types
    return types


def _is_null(schema: Any) -> bool:
    """``{"type": "null"}`` (or ``["null"]``, ``enum: [null]``, ``const: null``)."""
    schema = as_dict(schema)
    kind = schema.get("type")
    if kind == "null" or kind == ["null"]:
        return True
    return schema.get("enum") == [None] or ("const" in schema and schema["const"] is None)


def json_type(value: Any) -> str:
    """The JSON type of a parsed JSON value (a bool is a boolean, not an integer)."""
    if value is None or isinstance(value, bool):
        return "null" if value is None else "boolean"
    if isinstance(value, int | float):
        return "integer" if isinstance(value, int) or value.is_integer() else "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "string")


def enum_of(schema: Any) -> list[Any] | None:
    """The values a schema allows (None: not an enum): ``enum``, ``const``, or a
    ``oneOf``/``anyOf`` whose every branch is one of those (3.1 enums as ``oneOf`` of ``const``)."""
    schema = flatten(schema)
    if "enum" in schema:
        return [v for v in as_list(schema["enum"])]
    if "const" in schema:
        return [schema["const"]]
    for key in ("oneOf", "anyOf"):
        branches = [enum_of(b) for b in as_list(schema.get(key))]
        if branches and all(b is not None for b in branches):
            return [v for b in branches for v in b or []]
    return None


def object_properties(schema: Any) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The properties an object schema declares (its own, then those of its ``oneOf``/``anyOf``
    object branches), and the schema any other key's value must match: ``additionalProperties``
    given as a schema, ``{}`` when it is ``true`` (a free-form map), None when no other key is
    declared (hubtool then reports it, though JSON Schema would accept it)."""
    schema = flatten(schema)
    properties = dict(as_dict(schema.get("properties")))
    extra = _additional(schema)
    for key in ("oneOf", "anyOf"):
        for branch in map(flatten, as_list(schema.get(key))):
            for name, sub in as_dict(branch.get("properties")).items():
                properties.setdefault(name, sub)
            extra = _additional(branch) if extra is None else extra
    return properties, extra


def _additional(schema: dict[str, Any]) -> dict[str, Any] | None:
    value = schema.get("additionalProperties")
    if value is True:
        return {}
    return value if isinstance(value, dict) else None


def stated_limits(text: str) -> tuple[int | None, int | None]:
    """(minimum, maximum) a description states: "The maximum is 100.", "(max 100)",
    "between 1 and 10", "Defaults to 1000, which is also the maximum.", "at most 50". A
    stated maximum reads as a count or page size, so its minimum is 1."""
    between = _BETWEEN.search(text)
    if between:
        low, high = int(between.group(1)), int(between.group(2))
        return (low, high) if low <= high else (None, None)
    for regex in _MAXIMA:
        match = regex.search(text)
        if match:
            return 1, int(match.group(1))
    return None, None


def stated_maximum(schema: Any, description: str) -> int | None:
    """The maximum a number's description states, when its schema gives none (None: no
    stated limit, a schema maximum, or not a number)."""
    flat = flatten(schema)
    if not types_of(flat) & _NUMBERS or "maximum" in flat or "exclusiveMaximum" in flat:
        return None
    return stated_limits(description)[1]


def to_json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: nullable becomes a null type, wrappers flattened.

    A ``oneOf`` of object schemas becomes ``anyOf``: providers list alternative shapes of one
    body (Confluence's page ``body``) as open objects that do not exclude each other, and as
    ``oneOf`` they would reject every value matching more than one.
    """
    if isinstance(schema, list):
        return [to_json_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    flat = flatten(schema)
    branches = as_list(flat.get("oneOf"))
    if branches and all(types_of(b) == {"object"} for b in branches) and "anyOf" not in flat:
        flat["anyOf"] = flat.pop("oneOf")
    out = {k: to_json_schema(v) for k, v in flat.items() if k not in ("nullable", "example")}
    if flat.get("nullable") is True and isinstance(flat.get("type"), str):
        out["type"] = [flat["type"], "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]  # nullable: null is a value, enum or not
    if isinstance(flat.get("properties"), dict):
        out["properties"] = {k: to_json_schema(v) for k, v in flat["properties"].items()}
    return out


def query_array_form(param: dict[str, Any]) -> str | None:
    """Why a query parameter's array serialization is not Harbor's (``?a=1&a=2``: ``style``
    form, exploded, OpenAPI 3's default for query), or None when it is or when the value is
    not an array. Swagger 2.0's ``collectionFormat`` arrives converted (``swagger2``)."""
    if "array" not in types_of(param.get("schema")):
        return None
    if "x-collectionFormat" in param:
        form = param["x-collectionFormat"]
        return f"it takes an array as one value (Swagger 2.0 collectionFormat {form!r})"
    style = param.get("style", "form")
    if param.get("explode", style == "form") is True:
        return None  # exploded: one key per item, as Harbor sends
    shown = "comma-separated" if style == "form" else str(style)
    return f"it takes an array as one {shown} value (style {style!r}, not exploded)"
