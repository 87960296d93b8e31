"""The manifest JSON Schema shipped inside the package, and one cached validator per process.

``hubtool/schema/dock-integration.schema.json`` is a byte-identical copy of
``schemas/dock-integration.schema.json`` (a test enforces it) so hubtool works when installed
by pip or pre-commit and run from any directory.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

SCHEMA_FILE = "dock-integration.schema.json"


@functools.cache
def manifest_schema() -> dict[str, Any]:
    """The parsed manifest schema."""
    text = resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@functools.cache
def validator_class() -> Any:
    """Draft 2020-12, with ``uniqueItems`` and ``enum`` in linear time, ``pattern`` in ECMA-262.

    jsonschema compares unsortable items (objects) pairwise: 5,000 distinct objects in one
    ``enum`` took 20 s, and a 1 MiB manifest holds far more. It matches ``pattern`` with Python's
    ``re`` (``$`` before a final newline, Unicode ``\\d``, exponential backtracking); hubtool
    matches with ``hubtool.ecma`` instead. Every validator hubtool builds (the manifest schema,
    action inputs, the provider's schemas) uses this class.
    """
    from jsonschema import Draft202012Validator, validators

    return validators.extend(
        Draft202012Validator,
        {"uniqueItems": _unique_items, "enum": _enum, "pattern": _pattern},
    )


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """ECMA-262 ``pattern``, linear time; an unusable pattern constrains nothing here
    (rule ``valid-pattern`` reports it)."""
    from jsonschema.exceptions import ValidationError

    from hubtool import ecma

    string = validator.is_type(instance, "string") and isinstance(pattern, str)
    if string and ecma.search(pattern, instance) is False:
        yield ValidationError(f"{_short(instance)} does not match {_short(pattern)}")


def _enum(validator: Any, enums: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """``enum`` by hashing canonical JSON: one lookup per instance, not a scan of the list."""
    from jsonschema.exceptions import ValidationError

    if not isinstance(enums, list):
        enums = [enums]
    if canonical(instance) not in _enum_keys(enums):
        yield ValidationError(f"{_short(instance)} is not one of {len(enums)} allowed values")


def _short(value: Any) -> str:
    """A bounded repr for raw engine messages (hubtool.jsonerrors writes the user's message)."""
    import reprlib

    return reprlib.repr(value)


_ENUM_CACHE: dict[int, tuple[list[Any], frozenset[str]]] = {}


def _enum_keys(enums: list[Any]) -> frozenset[str]:
    """The canonical keys of an enum list, cached by identity (bounded: 256 lists)."""
    hit = _ENUM_CACHE.get(id(enums))
    if hit is not None and hit[0] is enums:
        return hit[1]
    keys = frozenset(canonical(value) for value in enums)
    if len(_ENUM_CACHE) >= 256:
        _ENUM_CACHE.pop(next(iter(_ENUM_CACHE)))
    _ENUM_CACHE[id(enums)] = (enums, keys)
    return keys


def canonical(value: Any) -> str:
    """Canonical JSON of ``value``: equal JSON values (1 and 1.0, reordered keys) print alike."""
    return json.dumps(_comparable(value), sort_keys=True)


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if unique and validator.is_type(instance, "array") and has_duplicates(instance):
        yield ValidationError("has non-unique elements")


def has_duplicates(items: list[Any]) -> bool:
    """True when two items are equal as JSON values (1 == 1.0, but true != 1)."""
    seen: set[str] = set()
    for item in items:
        key = canonical(item)
        if key in seen:
            return True
        seen.add(key)
    return False


def _comparable(value: Any) -> Any:
    """``value`` with integral floats as ints, so equal numbers print alike."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _comparable(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_comparable(child) for child in value]
    return value


@functools.cache
def manifest_validator() -> Any:
    """The one compiled Draft 2020-12 validator of the manifest schema."""
    return validator_class()(manifest_schema())


@functools.cache
def action_validator() -> Any:
    """A validator of one action template against the manifest schema's definition."""
    schema = manifest_schema()
    return validator_class()({"$ref": "#/$defs/actionTemplate", "$defs": schema["$defs"]})
