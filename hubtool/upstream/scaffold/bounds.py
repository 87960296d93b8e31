"""Typed, bounded value schemas from OpenAPI schemas: what parameters and the body share.

Types (``type``, anyOf/oneOf branches, ``nullable``), enums of the chosen type, string lengths
and formats, counts, and numeric ranges in either OpenAPI form (3.0 boolean or 3.1 numeric
``exclusiveMinimum``/``exclusiveMaximum``); a limit stated only in a description
(``description_limits``: ``hubtool.upstream.schema.stated_limits``, the one prose reading
``check-upstream`` uses too); and the credential and backtracking checks every copied value or
pattern passes. The defaults applied where the spec leaves a value unbounded are here.
"""

from __future__ import annotations

from typing import Any

from hubtool.core.manifest import is_number
from hubtool.core.secrets import find_secret
from hubtool.core.secrets.names import names_credential
from hubtool.upstream.schema import enum_of, stated_limits, types_of
from hubtool.validate.rules.inputs import MAX_COUNT
from hubtool.validate.rules.regexes import backtracking_problem, compile_error

DEFAULT_MAX_LENGTH = 200
"""maxLength of a string the spec leaves unbounded."""
DEFAULT_MAX_ITEMS = 50
"""maxItems of an array the spec leaves unbounded."""
DEFAULT_MINIMUM = 0
DEFAULT_MAXIMUM = 2**31 - 1
"""The range of a body number the spec leaves unbounded (a count or an ID)."""
SAFE_INTEGER = 2**53 - 1
"""The largest integer every JSON reader represents exactly."""
_BOUNDED_FORMATS = frozenset({"date-time", "date", "time", "uuid"})
_FORMATS = frozenset({"date-time", "date", "time", "email", "uri", "uuid", "hostname"})


def value_types(spec: Any) -> set[str]:
    """The JSON types ``spec`` admits (``hubtool.upstream.schema.types_of``, as check-upstream
    reads them): its type, its anyOf/oneOf branches', null if nullable."""
    return types_of(spec)


description_limits = stated_limits
"""(minimum, maximum) a description states (``hubtool.upstream.schema.stated_limits``)."""


def json_type(value: Any) -> str:
    """The JSON Schema type name of a JSON value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object" if isinstance(value, dict) else "array"


def copy_enum(spec: dict[str, Any], kind: str, schema: dict[str, Any]) -> None:
    """Copy the spec's enum (or const, or 3.1's ``oneOf`` of ``const``: ``enum_of``), keeping
    values of the chosen type."""
    values = [v for v in enum_of(spec) or [] if fits(v, kind) and clean_value(v)]
    if values:
        schema["enum"] = list(unique(values))


def unique(values: list[Any]) -> list[Any]:
    """``values`` without repeats, in order (``1`` and ``True`` are different values)."""
    seen: list[Any] = []
    for value in values:
        if not any(value == s and type(value) is type(s) for s in seen):
            seen.append(value)
    return seen


def fits(value: Any, kind: str) -> bool:
    """True when ``value`` is of the scalar type ``kind`` (string, boolean, integer, number)."""
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return is_number(value)


def is_count(value: Any) -> bool:
    """A count the spec may set: an integer from 0 to the largest bound that bounds anything."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def clean_value(value: Any) -> bool:
    """True when no string inside ``value`` looks like a credential."""
    if isinstance(value, str):
        return find_secret(value) is None
    if isinstance(value, dict):
        return all(
            not names_credential(str(k)) and clean_value(str(k)) and clean_value(v)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return all(clean_value(v) for v in value)
    return True


def safe_pattern(pattern: str) -> bool:
    """True when ``pattern`` is usable ECMA-262 that cannot backtrack super-linearly."""
    return compile_error(pattern) is None and backtracking_problem(pattern) is None


def string_bounds(spec: dict[str, Any], schema: dict[str, Any]) -> None:
    """Format, a safe pattern, minLength and maxLength (the spec's, else the default)."""
    fmt = spec.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        schema["format"] = fmt
    pattern = spec.get("pattern")
    if isinstance(pattern, str) and pattern and len(pattern) <= 1024 and safe_pattern(pattern):
        schema["pattern"] = pattern
    copy_counts(spec, schema, ("minLength",))
    if "enum" in schema:
        return
    if is_count(spec.get("maxLength")):
        schema["maxLength"] = spec["maxLength"]
    elif schema.get("format") not in _BOUNDED_FORMATS:
        schema["maxLength"] = max(DEFAULT_MAX_LENGTH, schema.get("minLength", 0))


def array_bounds(spec: dict[str, Any], schema: dict[str, Any]) -> None:
    """minItems, maxItems (the spec's, else ``DEFAULT_MAX_ITEMS``) and uniqueItems."""
    copy_counts(spec, schema, ("minItems",))
    schema["maxItems"] = spec["maxItems"] if is_count(spec.get("maxItems")) else DEFAULT_MAX_ITEMS
    if spec.get("uniqueItems") is True:
        schema["uniqueItems"] = True


def numeric_bounds(spec: dict[str, Any]) -> tuple[float | None, float | None]:
    """The spec's inclusive-or-exclusive minimum and maximum (3.0 boolean or 3.1 numeric form)."""
    low = spec.get("minimum") if is_number(spec.get("minimum")) else None
    high = spec.get("maximum") if is_number(spec.get("maximum")) else None
    if is_number(spec.get("exclusiveMinimum")):
        low = spec["exclusiveMinimum"]
    if is_number(spec.get("exclusiveMaximum")):
        high = spec["exclusiveMaximum"]
    return low, high


def set_bounds(spec: dict[str, Any], schema: dict[str, Any], low: Any, high: Any) -> None:
    """Write ``low``/``high``, exclusive where the spec says so (either OpenAPI form)."""
    exclusive_low = spec.get("exclusiveMinimum") is True or (
        is_number(spec.get("exclusiveMinimum")) and spec["exclusiveMinimum"] == low
    )
    exclusive_high = spec.get("exclusiveMaximum") is True or (
        is_number(spec.get("exclusiveMaximum")) and spec["exclusiveMaximum"] == high
    )
    if low is not None:
        schema["exclusiveMinimum" if exclusive_low else "minimum"] = low
    if high is not None:
        schema["exclusiveMaximum" if exclusive_high else "maximum"] = high


def default_minimum(low: Any, high: Any) -> Any:
    """``low``, else ``DEFAULT_MINIMUM`` (or -2^53+1 when ``high`` is below it)."""
    if low is not None:
        return low
    return DEFAULT_MINIMUM if high is None or high >= DEFAULT_MINIMUM else -SAFE_INTEGER


def default_maximum(low: Any, high: Any) -> Any:
    """``high``, else ``DEFAULT_MAXIMUM`` (or 2^53-1 when ``low`` is above it)."""
    if high is not None:
        return high
    return DEFAULT_MAXIMUM if low is None or low <= DEFAULT_MAXIMUM else SAFE_INTEGER


def copy_counts(spec: dict[str, Any], schema: dict[str, Any], keys: tuple[str, ...]) -> None:
    """Copy each of ``keys`` the spec sets to a valid count."""
    for key in keys:
        if is_count(spec.get(key)):
            schema[key] = spec[key]
