"""The path and query parameters of a scaffolded action.

Path values are route-safe (``PATH_STRING``, an anchored safe pattern, an enum of route-safe
values, or a bounded integer); query values are typed and bounded scalars or arrays of them.
Header, cookie, deprecated, credential-named and unrepresentable parameters are skipped with a
note; a query parameter the provider requires is never skipped (credential-named ones aside,
which the port's authentication sends): the operation is refused with the reason. An array
the provider takes as one delimited value (``style``/``explode``, Swagger 2.0's
``collectionFormat``) is not representable: Harbor sends arrays as repeated keys. The
decisions are in ``hubtool.upstream.scaffold``'s docstring (Path/Query parameters).
"""

from __future__ import annotations

import re
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.core.inputs import value_problems
from hubtool.core.secrets.names import names_credential
from hubtool.upstream.openapi import Operation
from hubtool.upstream.scaffold.bounds import (
    SAFE_INTEGER,
    array_bounds,
    clean_value,
    copy_enum,
    description_limits,
    fits,
    is_count,
    numeric_bounds,
    safe_pattern,
    set_bounds,
    string_bounds,
    unique,
    value_types,
)
from hubtool.upstream.scaffold.names import safe_text
from hubtool.upstream.schema import flatten, query_array_form
from hubtool.validate.rules.paths import value_schema_problem

PATH_STRING = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", "maxLength": 100}
"""A string path value: one segment that can never change the route."""
_SCALARS = ("string", "integer", "number", "boolean")
_QUERY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\[\]-]{0,63}")


def path_parameters(
    operation: Operation, renames: dict[str, str], notes: list[str]
) -> list[dict[str, Any]]:
    """One required parameter per placeholder (``renames``: spec name -> action name)."""
    declared = {str(p.get("name")): p for p in operation.parameters if p.get("in") == "path"}
    for name in declared:
        if name not in renames:
            notes.append(f"path parameter {name!r} is not in the path; skipped")
    result = []
    for spec_name, name in renames.items():
        param = declared.get(spec_name)
        if param is None:
            notes.append(f"placeholder {{{spec_name}}} has no path parameter in the spec")
            param = {}
        schema, why = path_schema(param.get("schema"))
        if why:
            notes.append(f"path parameter {name!r}: {why}")
        description = safe_text(param.get("description")) or f"The {name} path parameter."
        result.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": schema,
                "description": description,
            }
        )
    return result


def path_schema(raw: Any) -> tuple[dict[str, Any], str | None]:
    """A route-safe schema for a path value, and a note when the spec's was not kept."""
    spec = flatten(raw)
    types = value_types(spec) - {"null"}
    enum = spec.get("enum")
    if isinstance(enum, list) and enum:
        kind = "integer" if types == {"integer"} else "string"
        schema: dict[str, Any] = {
            "type": kind,
            "enum": unique([v for v in enum if fits(v, kind)]),
        }
        values = schema["enum"]
        if values and value_schema_problem(schema) is None:
            return schema, None
        return dict(PATH_STRING), "its enum has values that could change the route; a pattern"
    if types == {"integer"}:
        low, high = numeric_bounds(spec)
        low = 1 if low is None else max(low, -SAFE_INTEGER)
        high = SAFE_INTEGER if high is None else min(high, SAFE_INTEGER)
        return {"type": "integer", "minimum": low, "maximum": high}, None
    pattern = spec.get("pattern")
    if isinstance(pattern, str):
        max_length = spec.get("maxLength")
        schema = {
            "type": "string",
            "pattern": pattern,
            "maxLength": max_length if is_count(max_length) else PATH_STRING["maxLength"],
        }
        if len(pattern) <= 1024 and value_schema_problem(schema) is None and safe_pattern(pattern):
            return schema, None
        return dict(PATH_STRING), "the spec's pattern is not route-safe; the default pattern"
    return dict(PATH_STRING), None


def query_parameters(operation: Operation, notes: list[str]) -> list[dict[str, Any]]:
    """The operation's representable query parameters; every skipped one gets a note."""
    result = []
    for param in operation.parameters:
        location, name = param.get("in"), str(param.get("name"))
        if location in ("header", "cookie"):
            notes.append(f"{location} parameter {name!r} skipped: actions send path and query only")
            continue
        if location != "query":
            continue
        if names_credential(name):
            notes.append(f"query parameter {name!r} skipped: it names a credential")
            continue
        required = param.get("required") is True
        if param.get("deprecated") is True and not required:
            notes.append(f"query parameter {name!r} skipped: deprecated")
            continue
        schema, why = None, query_array_form(param)
        if not _QUERY_NAME.fullmatch(name):
            why = "not a valid action parameter name"
        elif why:
            why += "; Harbor sends an array as repeated keys"
        else:
            schema, why = query_schema(param.get("schema"), str(param.get("description", "")))
        if schema is None and required:
            raise HubtoolError(
                f"query parameter {name!r}, which the provider requires, cannot be "
                f"represented: {why}"
            )
        if schema is None:
            notes.append(f"query parameter {name!r} skipped: {why}")
            continue
        if why:
            notes.append(f"query parameter {name!r}: {why}")
        out: dict[str, Any] = {"name": name, "in": "query"}
        if param.get("required") is True:
            out["required"] = True
        out["schema"] = schema
        default = flatten(param.get("schema")).get("default")
        if default is not None and clean_value(default) and not value_problems(schema, default):
            out["default"] = default
        out["description"] = safe_text(param.get("description")) or f"The {name} query parameter."
        result.append(out)
    return result


def query_schema(raw: Any, description: str = "") -> tuple[dict[str, Any] | None, str | None]:
    """A typed, bounded query schema, or None with the reason it cannot be one."""
    spec = flatten(raw)
    types = value_types(spec) - {"null"}
    if "object" in types:
        return None, "an object; query values are scalars or arrays of scalars"
    if "array" in types:
        if types != {"array"}:
            return None, "mixes an array with scalars"
        items, why = _query_scalar(flatten(spec.get("items")), "")
        if items is None:
            return None, f"its items are {why}"
        note = f"items {why}" if why else None
        schema: dict[str, Any] = {"type": "array", "items": items}
        array_bounds(spec, schema)
        return schema, note
    return _query_scalar(spec, description)


def _query_scalar(
    spec: dict[str, Any], description: str
) -> tuple[dict[str, Any] | None, str | None]:
    types = value_types(spec) - {"null"}
    note = None
    if not types:
        return None, "untyped (no type the scaffold can bound)"
    if not types <= set(_SCALARS):
        return None, f"of type {'|'.join(sorted(types))}"
    if len(types) > 1:
        chosen = "number" if types == {"integer", "number"} else "string"
        note = f"{'|'.join(sorted(types))} in the spec; typed {chosen}"
        types = {chosen}
        spec = {k: v for k, v in spec.items() if k not in ("enum", "const")}
    (kind,) = types
    schema: dict[str, Any] = {"type": kind}
    copy_enum(spec, kind, schema)
    if kind == "string":
        string_bounds(spec, schema)
    elif kind in ("integer", "number"):
        low, high = numeric_bounds(spec)
        if high is None and low is None:
            low, high = description_limits(description)
        elif high is None:
            high = description_limits(description)[1]
        set_bounds(spec, schema, low, high)
    return schema, note
