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
    """Draft 2020-12, with ``uniqueItems`` in linear time.

    jsonschema compares unsortable items (objects) pairwise: 5,000 distinct objects in one
    ``enum`` took 20 s, and a 1 MiB manifest holds far more. Every validator hubtool builds
    (the manifest schema, action inputs, the provider's schemas) uses this class.
    """
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"uniqueItems": _unique_items})


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if unique and validator.is_type(instance, "array") and has_duplicates(instance):
        yield ValidationError("has non-unique elements")


def has_duplicates(items: list[Any]) -> bool:
    """True when two items are equal as JSON values (1 == 1.0, but true != 1)."""
    seen: set[str] = set()
    for item in items:
        key = json.dumps(_comparable(item), sort_keys=True)
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
