"""Is an action's value schema one the provider's OpenAPI schema accepts? Pure comparisons.

``type_problems`` compares one action value schema with the provider's: types (an integer fits
a number), enums that must be subsets, and bounds no wider than the provider's (numeric bounds
only; a bound of another type is a schema finding). ``schema_problems`` adds a limit the
provider states only in prose ("The maximum is 100."), as a warning. Each problem is a
(message, severity) pair; ``hubtool.upstream.contract`` turns them into findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.manifest import as_dict, as_list, is_number, schema_types
from hubtool.core.secrets import safe_repr
from hubtool.upstream.openapi import Operation
from hubtool.upstream.schema import (
    applies,
    enum_of,
    flatten,
    stated_maximum,
    to_json_schema,
    types_of,
)
from hubtool.validate.rules.regexes import compile_error, min_length

_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems")
_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems")
_PARTIAL = {"put", "patch"}


def schema_problems(mine: Any, spec_param: dict[str, Any], title: str) -> Iterator[tuple[str, str]]:
    """``type_problems`` against a parameter's schema, and the limit its description states."""
    yield from type_problems(mine, spec_param.get("schema"), title)
    limit = stated_maximum(spec_param.get("schema"), str(spec_param.get("description", "")))
    if limit is not None:
        yield from _described_limit(as_dict(mine), limit, title)


def type_problems(mine: Any, theirs: Any, title: str = "the provider") -> Iterator[tuple[str, str]]:
    """Type, enum and bound incompatibilities of one value schema with the provider's."""
    mine, theirs = as_dict(mine), flatten(theirs)
    accepted = types_of(theirs)
    wanted = schema_types(mine)
    if accepted and wanted and not _types_fit(wanted, accepted):
        yield (
            f"type {'/'.join(sorted(wanted))} is not accepted; {title} takes "
            f"{'/'.join(sorted(accepted))}",
            "error",
        )
        return
    yield from _enum_problems(mine, theirs, title)
    yield from _bound_problems(mine, theirs, title)
    if "array" in wanted and ("items" in mine or "items" in theirs):
        for problem, severity in type_problems(mine.get("items"), theirs.get("items"), title):
            yield f"items: {problem}", severity


def request_schema(op: Operation) -> Any:
    """The provider's JSON request body schema as JSON Schema; PUT/PATCH drop ``required``,
    and a read-only property is never required of a request (OpenAPI 3.0.3, Schema Object
    ``readOnly``: its ``required`` applies to responses only), as ``required`` reads it."""
    schema = to_json_schema(op.body_schema)
    return _without_required(schema) if op.method in _PARTIAL else _writable(schema)


def _types_fit(wanted: set[str], accepted: set[str]) -> bool:
    widened = accepted | ({"integer"} if "number" in accepted else set())
    return wanted <= widened


def _enum_problems(
    mine: dict[str, Any], theirs: dict[str, Any], title: str
) -> Iterator[tuple[str, str]]:
    allowed = enum_of(theirs)
    if allowed is None:
        return
    if None not in allowed and "null" in types_of(theirs):
        allowed = [*allowed, None]  # a nullable enum (OpenAPI 3.0 ``nullable: true``) takes null
    listed = ", ".join(safe_repr(v) for v in allowed if v is not None)
    values = (
        as_list(mine["enum"]) if "enum" in mine else ([mine["const"]] if "const" in mine else None)
    )
    if values is None:
        yield f"allows any value, but {title} accepts only: {listed}; add an enum", "error"
        return
    extra = [v for v in values if v not in allowed]
    if extra:
        shown = ", ".join(safe_repr(v) for v in extra)
        yield (
            f"{shown} {'is' if len(extra) == 1 else 'are'} not accepted; {title} accepts: {listed}",
            "error",
        )


def _bound_problems(
    mine: dict[str, Any], theirs: dict[str, Any], title: str
) -> Iterator[tuple[str, str]]:
    """Only numeric bounds compare; a bound of another type is a schema finding, not a bound.
    A provider's bound on a type its schema does not admit (``maxLength`` on an array) is
    ignored, as JSON Schema ignores it."""
    types = types_of(theirs)
    for key in _UPPER:
        limit = theirs.get(key)
        if not applies(key, types):
            continue
        if _enum_within(mine, key, limit):
            continue
        if is_number(limit) and not (is_number(mine.get(key)) and mine[key] <= limit):
            yield f"{key} {_bound_text(mine.get(key))} is wider than {title}'s {limit}", "error"
    for key in _LOWER:
        floor = theirs.get(key)
        if not applies(key, types):
            continue
        if _enum_within(mine, key, floor):
            continue
        if is_number(floor) and not _at_least(mine, key, floor):
            yield f"{key} {_bound_text(mine.get(key))} is wider than {title}'s {floor}", "error"


def _enum_within(mine: dict[str, Any], key: str, limit: Any) -> bool:
    """An enum (or const) whose every value keeps within the provider's bound ``key``:
    narrower than any bound, so no bound of the action's own is needed."""
    values = as_list(mine["enum"]) if "enum" in mine else [mine["const"]] if "const" in mine else []
    if not values or not is_number(limit):
        return False
    for value in values:
        size = _measure(key, value)
        if value is None:
            continue  # null: the bound applies to another type
        if size is None or not _within(key, size, limit):
            return False
    return True


def _measure(key: str, value: Any) -> float | None:
    """What bound ``key`` measures of ``value``: a length, a count of items, or the number."""
    if key.endswith("Length"):
        return len(value) if isinstance(value, str) else None
    if key.endswith("Items"):
        return len(value) if isinstance(value, list) else None
    return value if is_number(value) else None


def _within(key: str, size: float, limit: float) -> bool:
    if key.startswith("exclusiveMax"):
        return size < limit
    if key.startswith("exclusiveMin"):
        return size > limit
    return size <= limit if key.startswith("max") else size >= limit


def _bound_text(value: Any) -> str:
    if value is None:
        return "unset"
    return str(value) if is_number(value) else safe_repr(value)


def _at_least(mine: dict[str, Any], key: str, floor: float) -> bool:
    if key in mine:
        return is_number(mine[key]) and mine[key] >= floor
    pattern = mine.get("pattern")
    if key == "minLength" and isinstance(pattern, str) and compile_error(pattern) is None:
        return min_length(pattern) >= floor
    enum = as_list(mine.get("enum"))
    return "enum" in mine and key == "minLength" and all(len(str(v)) >= floor for v in enum)


def _described_limit(mine: dict[str, Any], limit: int, title: str) -> Iterator[tuple[str, str]]:
    """Limits only written in prose ("The maximum is 100.") are warnings, not errors."""
    if is_number(mine.get("maximum")) and mine["maximum"] <= limit:
        return
    yield (
        f"maximum {_bound_text(mine.get('maximum'))} may exceed {title}'s documented limit "
        f"{limit} (stated only in its description)",
        "warning",
    )


def _without_required(schema: Any) -> Any:
    """PUT/PATCH bodies are partial updates: the provider's ``required`` lists do not apply."""
    if isinstance(schema, list):
        return [_without_required(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: _without_required(v) for k, v in schema.items() if k != "required"}


def _writable(schema: Any) -> Any:
    """``schema`` with read-only properties left out of every ``required`` list."""
    if isinstance(schema, list):
        return [_writable(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _writable(v) for k, v in schema.items()}
    properties = as_dict(schema.get("properties"))
    if isinstance(out.get("required"), list):
        out["required"] = [
            r for r in out["required"] if as_dict(properties.get(r)).get("readOnly") is not True
        ]
    return out
