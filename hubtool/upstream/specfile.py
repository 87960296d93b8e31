"""Read one file of an OpenAPI spec (JSON or YAML) as the JSON value it stands for.

A ``.yaml``/``.yml`` file goes through ``hubtool.upstream.yamlspec`` (libyaml where PyYAML has
it) and ``json_value``; anything else is JSON. Errors are ``HubtoolError`` naming the file.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.core.files import read_capped
from hubtool.core.limits import MAX_SPEC_BYTES
from hubtool.upstream.yamlspec import load_yaml


def read_document(path: Path) -> Any:
    """The file's JSON value. Raises HubtoolError when it cannot be read or parsed, or is
    over ``MAX_SPEC_BYTES``."""
    try:
        text = read_capped(path, MAX_SPEC_BYTES, f"{path}: the OpenAPI spec is").decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HubtoolError(f"{path}: cannot read the OpenAPI spec: {exc}") from exc
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    try:
        return json_value(load_yaml(text)) if is_yaml else json.loads(text)
    except Exception as exc:  # ValueError, yaml.YAMLError (imported lazily), RecursionError
        why = _yaml_reason(exc) if is_yaml else str(exc)
        raise HubtoolError(f"{path}: not valid {'YAML' if is_yaml else 'JSON'}: {why}") from exc


def _yaml_reason(exc: Exception) -> str:
    """A YAML error's context and problem, each with its place (``line L, column C``), without
    the lines of the file PyYAML quotes: cut at 30-odd characters, a credential there would no
    longer look like one to the redaction. Any other error as it is."""
    said = [
        f"{text} (line {mark.line + 1}, column {mark.column + 1})" if mark else text
        for text, mark in (
            (getattr(exc, "context", None), getattr(exc, "context_mark", None)),
            (getattr(exc, "problem", None), getattr(exc, "problem_mark", None)),
        )
        if text
    ]
    return "; ".join(said) if said else str(exc)


def json_value(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A YAML value as the JSON it stands for: keys as strings (``200:`` is ``"200"``), dates
    as ISO text. An OpenAPI document is JSON; every reader of it may assume string keys.

    Shared nodes (YAML anchors) stay shared, so an alias-heavy document is converted in linear
    time.
    """
    memo = {} if memo is None else memo
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, dict):
        result: Any = {}
        memo[id(value)] = result
        for key, child in value.items():
            result[_json_key(key)] = json_value(child, memo)
    elif isinstance(value, list):
        result = []
        memo[id(value)] = result
        result.extend(json_value(child, memo) for child in value)
    elif isinstance(value, datetime.date):
        result = value.isoformat()
    else:
        return value
    return result


def _json_key(key: Any) -> str:
    """How JSON would spell a YAML key (``true``, ``null``, ``404``, ``2020-01-01``)."""
    if isinstance(key, str):
        return key
    if isinstance(key, datetime.date):
        return key.isoformat()
    return json.dumps(key) if isinstance(key, bool | None) else str(key)
