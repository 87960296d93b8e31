"""The manifest JSON Schema shipped inside the package, and one cached validator per process.

``hubtool/schema/dock-integration.schema.json`` is a byte-identical copy of
``schemas/dock-integration.schema.json`` (a test enforces it) so hubtool works when installed
by pip or pre-commit and run from any directory.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

SCHEMA_FILE = "dock-integration.schema.json"


@functools.cache
def manifest_schema() -> dict[str, Any]:
    """The parsed manifest schema."""
    text = resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@functools.cache
def manifest_validator() -> Any:
    """The one compiled Draft 2020-12 validator of the manifest schema."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(manifest_schema())


@functools.cache
def action_validator() -> Any:
    """A validator of one action template against the manifest schema's definition."""
    from jsonschema import Draft202012Validator

    schema = manifest_schema()
    return Draft202012Validator({"$ref": "#/$defs/actionTemplate", "$defs": schema["$defs"]})
