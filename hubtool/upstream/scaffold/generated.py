"""An example built from an action's parameter schemas, for an operation whose spec has none.

``drafts test`` runs an action's examples, so a scaffolded action carries at least one: when
the spec gives no example (``hubtool.upstream.scaffold.examples``), one is built from the
action's own schemas: each path parameter, each required query parameter and, for a JSON body,
each required property gets the simplest value its schema allows (``const``, the first
``enum`` value, a valid ``default``, the bound of a number, a string of a known format or of
the minimum length). The example is kept only when it validates against the action's input
schema (``hubtool.core.inputs``) and holds no credential-shaped value; its description says
the values are placeholders.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from hubtool.core.inputs import input_schema, value_problems
from hubtool.core.manifest import as_dict, as_list
from hubtool.upstream.scaffold.bounds import clean_value

SCHEMA_EXAMPLE = "schema-example"
MAX_DEPTH = 8
"""Nesting a built value reaches at most (a required object of required objects...)."""
_FORMATS = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "time": "00:00:00Z",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "hostname": "example.com",
}
_UNSET = object()


class Provider(NamedTuple):
    """What the provider's spec says of the values: the JSON Schema of each parameter by
    (location, the action's name for it), and of the request body (None: no spec schema)."""

    parameters: dict[tuple[str, str], Any]
    body: Any = None


def schema_example(
    action: dict[str, Any], provider: Provider | None = None
) -> dict[str, Any] | None:
    """The ``schema-example`` example of ``action``, or None when no simple value validates (a
    pattern none meets, say) or the value looks like a credential. With ``provider``, each value
    is built from the provider's schema first and must satisfy it too (what ``check-upstream
    --examples`` asks of an example)."""
    provider = provider or Provider({})
    inputs = as_dict(action.get("inputs"))
    data: dict[str, Any] = {}
    for param in as_list(inputs.get("parameters")):
        location, name = as_dict(param).get("in"), as_dict(param).get("name")
        if location not in ("path", "query") or not isinstance(name, str):
            continue
        if location == "query" and param.get("required") is not True:
            continue
        theirs = provider.parameters.get((location, name))
        value = _agreed(as_dict(param.get("schema")), theirs)
        if value is _UNSET:
            return None
        data.setdefault(location, {})[name] = value
    if action.get("requestBodyMode") == "json" and isinstance(inputs.get("body"), dict):
        body = _agreed(inputs["body"], provider.body, keep=inputs["body"].get("properties"))
        if body is _UNSET:
            return None
        data["body"] = body
    if not clean_value(data) or value_problems(input_schema(action), data):
        return None
    return {
        "name": SCHEMA_EXAMPLE,
        "description": "Built from the parameter schemas: placeholder values, replace them "
        "with real ones before testing.",
        "input": data,
    }


def _agreed(mine: dict[str, Any], theirs: Any, keep: Any = None) -> Any:
    """The first value built from ``theirs`` (the provider's schema; a body's members cut to
    the action's ``keep`` properties), then from ``mine``, that both schemas accept."""
    candidates = []
    if isinstance(theirs, dict):
        built = value_for(theirs)
        if isinstance(built, dict) and isinstance(keep, dict):
            built = {k: v for k, v in built.items() if k in keep}
        candidates.append(built)
    candidates.append(value_for(mine))
    for value in candidates:
        if value is _UNSET or value_problems(mine, value):
            continue
        if isinstance(theirs, dict) and value_problems(theirs, value):
            continue
        return value
    return _UNSET


def value_for(schema: dict[str, Any], depth: int = 0) -> Any:
    """The simplest value ``schema`` allows, or ``_UNSET`` when none is found."""
    if depth > MAX_DEPTH:
        return _UNSET
    if "const" in schema:
        return schema["const"]
    enum = as_list(schema.get("enum"))
    if enum:
        return enum[0]
    if "default" in schema and not value_problems(schema, schema["default"]):
        return schema["default"]
    for key in ("anyOf", "oneOf"):
        options = [as_dict(o) for o in as_list(schema.get(key))]
        if options:
            return value_for(options[0], depth + 1)
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    builder = _BUILDERS.get(kind) if isinstance(kind, str) else None
    if builder is None:
        return _object(schema, depth) if "properties" in schema else _UNSET
    return builder(schema, depth)


def _integer(schema: dict[str, Any], depth: int) -> Any:
    low = schema.get("minimum")
    if isinstance(schema.get("exclusiveMinimum"), int | float):
        low = int(schema["exclusiveMinimum"]) + 1
    high = schema.get("maximum")
    value = low if isinstance(low, int | float) else 1
    if isinstance(high, int | float) and value > high:
        value = high
    return int(value) if schema.get("type") == "integer" else value


def _string(schema: dict[str, Any], depth: int) -> Any:
    if schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    low = schema.get("minLength", 1)
    high = schema.get("maxLength", 64)
    if not isinstance(low, int) or not isinstance(high, int) or low > high or low > 256:
        return _UNSET
    text = ("example" * (low // 7 + 1))[: max(low, min(7, high))]
    for candidate in (text, *_PATTERNED):  # a pattern: the first simple text it accepts
        if not value_problems(schema, candidate):
            return candidate
    return _UNSET


_PATTERNED = ("1", "123456789012345678", "a", "A", "example-1", "EXAMPLE", "a1", "0")
"""Texts tried for a string with a pattern, once the plain placeholder fails: ids (numbers,
snowflakes), single letters, a slug."""


def _array(schema: dict[str, Any], depth: int) -> Any:
    count = schema.get("minItems", 0)
    if not isinstance(count, int) or count > 16:
        return _UNSET
    if count == 0:
        return []
    item = value_for(as_dict(schema.get("items")), depth + 1)
    return _UNSET if item is _UNSET else [item] * count


def _object(schema: dict[str, Any], depth: int) -> Any:
    properties = as_dict(schema.get("properties"))
    value: dict[str, Any] = {}
    for name in as_list(schema.get("required")):
        if not isinstance(name, str):
            return _UNSET
        member = value_for(as_dict(properties.get(name)), depth + 1)
        if member is _UNSET:
            return _UNSET
        value[name] = member
    wanted = schema.get("minProperties", 0)
    for name, sub in properties.items():  # minProperties: the first optional members too
        if not isinstance(wanted, int) or len(value) >= wanted:
            break
        member = value_for(as_dict(sub), depth + 1) if name not in value else _UNSET
        if member is not _UNSET:
            value[name] = member
    return value


_BUILDERS = {
    "integer": _integer,
    "number": _integer,
    "string": _string,
    "boolean": lambda schema, depth: False,
    "array": _array,
    "object": _object,
}
