"""Rules ``typed-query``, ``defaults-valid``, ``valid-pattern`` and ``safe-pattern`` on inputs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.findings import WARNING, Finding
from hubtool.inputs import value_problems, walk_schemas
from hubtool.loader import Document, pointer_of
from hubtool.manifest import action_name, actions, as_dict, body_schema, parameters, schema_types
from hubtool.registry import finding
from hubtool.rules.regexes import anchored, backtracking_problem, compile_error, max_length
from hubtool.rules.secrets import safe_repr

_SCALARS = {"string", "integer", "number", "boolean", "null"}
_BOUNDED_FORMATS = {"date-time", "date", "time", "uuid"}


def bound_problem(schema: dict[str, Any]) -> str | None:
    """Why a scalar or array value schema admits unboundedly large values, or None."""
    if "enum" in schema or "const" in schema:
        return None
    types = schema_types(schema)
    if "string" in types and not _string_bounded(schema):
        return "an unbounded string: add maxLength, an enum, or an anchored pattern of fixed length"
    if types & {"integer", "number"} and not _number_bounded(schema):
        return "an unbounded number: add minimum and maximum, or an enum"
    if "array" in types:
        if "maxItems" not in schema:
            return "an array without maxItems"
        items = as_dict(schema.get("items"))
        return bound_problem(items) if items else "an array without typed items"
    return None


def _string_bounded(schema: dict[str, Any]) -> bool:
    if "maxLength" in schema or schema.get("format") in _BOUNDED_FORMATS:
        return True
    pattern = schema.get("pattern")
    return (
        isinstance(pattern, str)
        and compile_error(pattern) is None
        and anchored(pattern)
        and max_length(pattern) is not None
    )


def _number_bounded(schema: dict[str, Any]) -> bool:
    low = "minimum" in schema or "exclusiveMinimum" in schema
    high = "maximum" in schema or "exclusiveMaximum" in schema
    return low and high


def type_problem(schema: Any) -> str | None:
    """Why a query parameter schema is not typed as a scalar or a bounded array of scalars."""
    types = schema_types(schema)
    if not types:
        return "has no type; give it a scalar type (string, integer, number or boolean)"
    if "object" in types:
        return "is an object; query values are scalars or arrays of scalars"
    if "array" in types:
        items = schema_types(as_dict(schema).get("items"))
        if not items or not items <= _SCALARS:
            return "is an array without typed scalar items"
        if "maxItems" not in as_dict(schema):
            return "is an array without maxItems"
    return None


def check(doc: Document) -> Iterator[Finding]:
    for pointer, action in actions(doc.data):
        yield from _typed_query(doc, pointer, action)
        yield from _defaults(doc, pointer, action)
        yield from _patterns(doc, pointer, action)


def _typed_query(doc: Document, pointer: str, action: dict[str, Any]) -> Iterator[Finding]:
    name = action_name(action, pointer)
    seen: set[tuple[str, str]] = set()
    for param_pointer, param in parameters(action, pointer):
        key = _param_key(param)
        label = safe_repr(param.get("name"))
        if key is not None and key in seen:
            yield finding(
                doc,
                "typed-query",
                f"{param_pointer}/name",
                f"{name}: {key[0]} parameter {label} is declared twice; keep one",
            )
        if key is not None:
            seen.add(key)
        if param.get("in") != "query":
            continue
        schema = param.get("schema")
        problem = type_problem(schema)
        if problem:
            yield finding(
                doc,
                "typed-query",
                f"{param_pointer}/schema",
                f"{name}: query parameter {label} {problem}",
            )
            continue
        unbounded = bound_problem(as_dict(schema))
        if unbounded:
            yield finding(
                doc,
                "typed-query",
                f"{param_pointer}/schema",
                f"{name}: query parameter {label} is {unbounded}",
                severity=WARNING,
            )


def _param_key(param: dict[str, Any]) -> tuple[str, str] | None:
    """(in, name) of a parameter, or None when either is not a string (a schema finding)."""
    location, name = param.get("in"), param.get("name")
    return (location, name) if isinstance(location, str) and isinstance(name, str) else None


def _schemas(action: dict[str, Any], pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for param_pointer, param in parameters(action, pointer):
        yield from walk_schemas(param.get("schema"), f"{param_pointer}/schema")
    yield from walk_schemas(body_schema(action), f"{pointer}/inputs/body")


def _defaults(doc: Document, pointer: str, action: dict[str, Any]) -> Iterator[Finding]:
    name = action_name(action, pointer)
    for param_pointer, param in parameters(action, pointer):
        if "default" in param and isinstance(param.get("schema"), dict):
            for problem in value_problems(param["schema"], param["default"]):
                yield finding(
                    doc,
                    "defaults-valid",
                    f"{param_pointer}/default",
                    f"{name}: default of {safe_repr(param.get('name'))}: {problem.message}",
                )
    for schema_pointer, schema in _schemas(action, pointer):
        if "default" in schema:
            for problem in value_problems(schema, schema["default"]):
                at = pointer_of(*problem.path)
                yield finding(
                    doc,
                    "defaults-valid",
                    f"{schema_pointer}/default{at}",
                    f"{name}: default: {problem.message}",
                )


def _patterns(doc: Document, pointer: str, action: dict[str, Any]) -> Iterator[Finding]:
    for schema_pointer, schema in _schemas(action, pointer):
        pattern = schema.get("pattern")
        if not isinstance(pattern, str):
            continue
        name = action_name(action, pointer)
        error = compile_error(pattern)
        if error:
            yield finding(
                doc,
                "valid-pattern",
                f"{schema_pointer}/pattern",
                f"{name}: invalid regular expression {safe_repr(pattern, limit=80)}: {error}",
            )
            continue
        slow = backtracking_problem(pattern)
        if slow:
            yield finding(
                doc,
                "safe-pattern",
                f"{schema_pointer}/pattern",
                f"{name}: pattern {safe_repr(pattern, limit=80)} {slow}",
            )
