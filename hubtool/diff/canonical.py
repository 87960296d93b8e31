"""The canonical form the classification works on: one spelling for each meaning.

JSON Schema (draft 2020-12, the validation vocabulary) makes these spellings equivalent, so they
are never a change: ``type`` is a set (``"string"`` is ``["string"]``, and ``"integer"`` adds
nothing next to ``"number"``), ``enum`` and ``required`` are sets, ``const: x`` is
``enum: [x]``, ``minLength: 0`` (and ``minItems``, ``minProperties``) and ``uniqueItems: false``
are their absence, and numbers compare by value (``100`` is ``100.0``, RFC 8259 section 6).
Only schema keywords are rewritten, in the value schemas of action inputs; every other member
keeps its order, and a pointer into the canonical document names the same member of the
original one, or (``enum`` for a ``const``) a sibling, so its line is the schema's.
"""

from __future__ import annotations

import json
import math
from typing import Any

_SUBSCHEMA = ("items", "additionalProperties")
_ZERO_MEANS_ABSENT = ("minLength", "minItems", "minProperties")
"""Keywords whose 0 accepts what their absence accepts (JSON Schema validation, section 6)."""


def canonical_document(data: Any) -> Any:
    """A copy of a parsed manifest in canonical form (see the module docstring)."""
    data = by_value(data)
    if not isinstance(data, dict) or not isinstance(data.get("actionTemplates"), list):
        return data
    return {**data, "actionTemplates": [_action(a) for a in data["actionTemplates"]]}


def by_value(value: Any) -> Any:
    """``value`` with every integral float replaced by the equal int (``100.0`` -> ``100``)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: by_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [by_value(item) for item in value]
    return value


def _action(action: Any) -> Any:
    if not isinstance(action, dict) or not isinstance(action.get("inputs"), dict):
        return action
    inputs = dict(action["inputs"])
    if isinstance(inputs.get("parameters"), list):
        inputs["parameters"] = [_parameter(p) for p in inputs["parameters"]]
    if "body" in inputs:
        inputs["body"] = schema(inputs["body"])
    return {**action, "inputs": inputs}


def _parameter(param: Any) -> Any:
    if not isinstance(param, dict) or "schema" not in param:
        return param
    return {**param, "schema": schema(param["schema"])}


def schema(value: Any) -> Any:
    """One value schema in canonical form: ``type``, ``enum`` and ``required`` sorted sets."""
    if not isinstance(value, dict):
        return value
    out = dict(value)
    if "const" in out:  # const x is enum [x] (of the enum too, when both are given)
        const = out.pop("const")
        enum = out.get("enum")
        keep = not isinstance(enum, list) or value_key(const) in set(map(value_key, enum))
        out["enum"] = [const] if keep else []
    for keyword in _ZERO_MEANS_ABSENT:
        if out.get(keyword) == 0 and not isinstance(out.get(keyword), bool):
            del out[keyword]
    if out.get("uniqueItems") is False:
        del out["uniqueItems"]
    if "type" in out:
        out["type"] = type_list(out["type"])
    if isinstance(out.get("enum"), list):  # a value the type rejects is never accepted
        types = declared_types(out)
        out["enum"] = value_set([v for v in out["enum"] if accepts_type(types, v)])
    if isinstance(out.get("required"), list):
        out["required"] = value_set(out["required"])
    if isinstance(out.get("properties"), dict):
        out["properties"] = {name: schema(s) for name, s in out["properties"].items()}
    for keyword in _SUBSCHEMA:
        if isinstance(out.get(keyword), dict):
            out[keyword] = schema(out[keyword])
    return out


_JSON_TYPES = {
    type(None): ("null",),
    bool: ("boolean",),
    int: ("integer", "number"),
    float: ("number",),
    str: ("string",),
    list: ("array",),
    dict: ("object",),
}


def declared_types(schema: dict[str, Any]) -> frozenset[str]:
    """The types a schema declares; empty (any type) when it declares none or a malformed
    ``type`` (neither a name nor a list of names: the schema rule reports it)."""
    declared = type_list(schema.get("type"))
    if not isinstance(declared, list) or not all(isinstance(name, str) for name in declared):
        return frozenset()
    return frozenset(declared)


def accepts_type(types: frozenset[str], value: Any) -> bool:
    """Whether ``value`` has one of ``types`` (any, when empty); an integral float is an
    integer (RFC 8259: numbers by value)."""
    if not types:
        return True
    if isinstance(value, float) and value.is_integer():
        return bool({"integer", "number"} & types)
    return any(t in types for t in _JSON_TYPES.get(type(value), ()))


def type_list(declared: Any) -> Any:
    """``type`` as a sorted list of names without repeats; a malformed value stays as written."""
    names = [declared] if isinstance(declared, str) else declared
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return declared
    kept = set(names)
    if "number" in kept:
        kept.discard("integer")  # every integer is a number
    return sorted(kept)


def value_set(values: list[Any]) -> list[Any]:
    """The distinct values of a JSON array, in one order (by their canonical JSON text)."""
    keyed = {value_key(v): v for v in values}
    return [keyed[k] for k in sorted(keyed)]


def value_key(value: Any) -> str:
    """A key for a JSON value: equal values (after ``by_value``), equal keys; ``True`` is not
    ``1``. Strings, the common case, skip the JSON encoder."""
    if isinstance(value, str):
        return "s" + value
    if isinstance(value, bool) or value is None:
        return "b" + json.dumps(value)
    if isinstance(value, int | float):
        return "n" + repr(value)
    return "j" + json.dumps(value, sort_keys=True, ensure_ascii=False)
