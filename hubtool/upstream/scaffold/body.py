"""The JSON request body of a scaffolded action: closed, typed and bounded.

``request_body`` turns the operation's JSON request schema into the action's ``inputs.body``
(flattened, ``additionalProperties: false`` at every level, every string, number and array
bounded); PUT and PATCH are partial updates (nothing required, ``minProperties: 1``). The
decisions are in ``hubtool.upstream.scaffold``'s docstring (Body). Schemas are read as
``check-upstream`` reads them (``hubtool.upstream.schema``), so what is written is accepted:

* a field a POST body requires is never left out nor dropped from ``required``: when it
  cannot be represented (a free-form map without declared keys, untyped, a credential) its
  object cannot be either, and a required body or a required object refuses the operation
  with the reason; a required key the spec does not describe refuses too;
* ``oneOf``/``anyOf`` of ``const``/``enum`` branches is an enum; of object branches, one
  closed object of every branch's properties (none required); scalar branches mixed with
  object or array ones keep the scalar forms, with a note.

Raises ``HubtoolError`` when ``--body-field`` names a field that cannot be represented or the
body cannot be one.
"""

from __future__ import annotations

import difflib
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.core.inputs import value_problems
from hubtool.core.manifest import READ_METHODS, as_dict, as_list, is_number, strings
from hubtool.core.secrets.names import names_credential
from hubtool.upstream.openapi import Operation
from hubtool.upstream.scaffold.bounds import (
    array_bounds,
    clean_value,
    copy_counts,
    copy_enum,
    default_maximum,
    default_minimum,
    description_limits,
    json_type,
    numeric_bounds,
    set_bounds,
    string_bounds,
    value_types,
)
from hubtool.upstream.scaffold.names import safe_text
from hubtool.upstream.schema import enum_of, flatten, object_properties, types_of

_FREE_FORM = (
    "a free-form object (a map: additionalProperties, no declared keys); Harbor bodies are "
    "closed: declare the keys the action sends by hand"
)
_NO_PROPERTIES = "a free-form object (no representable declared properties)"
MAX_SAMPLES = 20
"""Example values read at one place of the body (array items of every example included)."""
MAX_MAP_KEYS = 50
"""At most this many keys of a free-form map are read from the spec's examples."""
MAX_DEPTH = 12
"""Body schemas nested deeper than this are not scaffolded."""
PARTIAL_UPDATES = frozenset({"PUT", "PATCH"})


def request_body(
    operation: Operation, method: str, wanted: list[str], notes: list[str]
) -> dict[str, Any] | None:
    """The action's body schema (None: no body), narrowed to ``wanted`` fields when given."""
    json_body = operation.body_schema is not None
    if method in READ_METHODS:
        if json_body or operation.body_media_types:
            notes.append(f"{method} requests carry no body; the spec's request body is ignored")
        if wanted:
            raise HubtoolError(f"--body-field: {method} actions have no body")
        return None
    if not json_body:
        other = ", ".join(operation.body_media_types)
        if other and operation.body_required:
            raise HubtoolError(f"the request body is {other}; Harbor actions send only JSON bodies")
        if other:
            notes.append(f"the optional {other} request body is not supported; none declared")
        if wanted:
            raise HubtoolError("--body-field: the operation has no JSON request body")
        return None
    spec = flatten(operation.body_schema)
    properties = as_dict(spec.get("properties"))
    if "object" not in value_types(spec) and not properties:
        raise HubtoolError("the JSON request body is not an object with declared properties")
    unknown = [name for name in wanted if name not in properties]
    if unknown:
        available = ", ".join(properties) or "none"
        names = ", ".join(map(repr, unknown))
        close = difflib.get_close_matches(unknown[0], list(properties), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise HubtoolError(f"--body-field {names}: not a body field{hint} (available: {available})")
    partial = method in PARTIAL_UPDATES
    converter = _BodyConverter(partial, notes)
    spec["x-samples"] = operation.body_examples
    body = converter.object(spec, "body", only=list(dict.fromkeys(wanted)) or None)
    if body is None and not operation.body_required:
        notes.append(f"the optional request body is not representable: {converter.reasons[-1]}")
        return None
    if body is None:
        raise HubtoolError(f"the request body cannot be represented: {converter.reasons[-1]}")
    if partial:
        properties_last = body.pop("properties")
        body["minProperties"] = max(body.get("minProperties", 0), 1)
        body["properties"] = properties_last
    elif wanted:
        left_out = [n for n in strings(spec.get("required")) if n in properties and n not in wanted]
        if left_out:
            notes.append(
                f"the spec requires body field(s) {', '.join(map(repr, left_out))}, "
                "left out by --body-field: the provider may reject calls"
            )
    return body


class _BodyConverter:
    """Closed, typed, bounded JSON Schema from an OpenAPI body schema."""

    def __init__(self, partial: bool, notes: list[str]) -> None:
        self.partial = partial
        self.notes = notes
        self.reasons: list[str] = []

    def object(
        self, spec: dict[str, Any], where: str, only: list[str] | None = None, depth: int = 0
    ) -> dict[str, Any] | None:
        properties: dict[str, Any] = {}
        declared, extra = object_properties(spec)  # oneOf/anyOf object branches' too
        samples = _samples(spec)
        if not declared and extra is not None:
            declared = _map_keys(extra, samples)
            if declared:
                self.notes.append(
                    f"{where}: a free-form map; its keys are those of the spec's examples "
                    f"({', '.join(declared)}): keep the ones the action sends"
                )
        required = set() if self.partial else set(strings(spec.get("required")))
        undescribed = sorted(n for n in required - set(declared) if only is None or n in only)
        if undescribed:
            names = ", ".join(f"{where}.{n}" for n in undescribed)
            self.reasons.append(f"the provider requires {names} but does not describe it")
            return None
        for name, raw in declared.items():
            if only is not None and name not in only:
                continue
            at = f"{where}.{name}"
            sub = flatten(raw)
            sub["x-samples"] = [v[name] for v in samples if isinstance(v, dict) and name in v]
            named = only is not None
            reason = None
            if names_credential(name):
                reason = "names a credential"
            elif sub.get("readOnly") is True:
                reason = "read-only"
            elif sub.get("deprecated") is True and not named and name not in required:
                reason = "deprecated"
            converted = None if reason else self.value(sub, at, depth + 1)
            if converted is None:
                if reason is None:
                    reason = self.reasons[-1] if self.reasons else "not representable"
                if named:
                    raise HubtoolError(f"--body-field {name!r} cannot be represented: {reason}")
                if name in required and reason != "read-only":
                    self.reasons.append(f"{at}, which the provider requires, {_cannot(reason)}")
                    return None  # never dropped from required: the object is not representable
                self.notes.append(f"{at} skipped: {reason}")
                continue
            properties[name] = converted
        if not properties:
            self.reasons.append(_FREE_FORM if extra is not None else _NO_PROPERTIES)
            return None
        schema: dict[str, Any] = {"type": "object", "additionalProperties": False}
        text = safe_text(spec.get("description"))
        if text and depth:
            schema["description"] = text
        if not self.partial:
            required = [n for n in strings(spec.get("required")) if n in properties]
            if required:
                schema["required"] = list(dict.fromkeys(required))
        copy_counts(spec, schema, ("minProperties", "maxProperties"))
        schema["properties"] = properties
        return schema

    def value(self, spec: dict[str, Any], where: str, depth: int) -> dict[str, Any] | None:
        if depth > MAX_DEPTH:
            self.reasons.append(f"nested deeper than {MAX_DEPTH} levels")
            return None
        spec = _single_branch(spec)
        if spec.get("x-dropped"):
            kept = "|".join(sorted(value_types(spec) - {"null"}))
            dropped = "|".join(spec["x-dropped"])
            self.notes.append(f"{where}: the {dropped} form(s) of the spec left out; {kept} kept")
        types = value_types(spec)
        nullable = "null" in types
        types.discard("null")
        if not types and isinstance(spec.get("enum"), list):
            types = {json_type(v) for v in spec["enum"] if v is not None}
        if not types and isinstance(spec.get("properties"), dict):
            types = {"object"}
        if not types:
            self.reasons.append("untyped")
            return None
        if "object" in types or "array" in types:
            if len(types) > 1:
                self.reasons.append(f"mixes {'|'.join(sorted(types))}")
                return None
            (kind,) = types
            schema = (
                self.object(spec, where, depth=depth)
                if kind == "object"
                else self.array(spec, where, depth)
            )
            if schema is None:
                return None
        else:
            schema = self.scalars(spec, types)
        if nullable:
            kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            schema["type"] = [*kinds, "null"]
            if "enum" in schema and None not in schema["enum"]:
                schema["enum"].append(None)
        return _with_description_first(schema, spec)

    def array(self, spec: dict[str, Any], where: str, depth: int) -> dict[str, Any] | None:
        item_schema = flatten(spec.get("items"))
        item_schema["x-samples"] = [i for v in _samples(spec) if isinstance(v, list) for i in v]
        items = self.value(item_schema, f"{where}[]", depth + 1)
        if items is None:
            return None
        schema: dict[str, Any] = {"type": "array", "items": items}
        array_bounds(spec, schema)
        return schema

    def scalars(self, spec: dict[str, Any], types: set[str]) -> dict[str, Any]:
        kinds = [t for t in ("string", "integer", "number", "boolean") if t in types]
        if "integer" in kinds and "number" in kinds:
            kinds.remove("integer")
        schema: dict[str, Any] = {"type": kinds[0] if len(kinds) == 1 else kinds}
        if len(kinds) == 1:
            copy_enum(spec, kinds[0], schema)
        elif isinstance(spec.get("enum"), list):
            schema["enum"] = [v for v in spec["enum"] if v is not None and clean_value(v)]
            if not schema["enum"]:
                schema.pop("enum")
        if "string" in kinds:
            string_bounds(_branch(spec, "string"), schema)
        if "integer" in kinds or "number" in kinds:
            numeric = _branch(spec, "integer") or _branch(spec, "number")
            low, high = numeric_bounds(numeric)
            stated = description_limits(str(spec.get("description", "")))
            if low is None and high is None:
                low, high = stated
            elif high is None:
                high = stated[1]
            if "enum" not in schema:
                low = default_minimum(low, high)
                high = default_maximum(low, high)
            set_bounds(numeric, schema, low, high)
            if is_number(numeric.get("multipleOf")) and numeric["multipleOf"] > 0:
                schema["multipleOf"] = numeric["multipleOf"]
        default = spec.get("default")
        if "default" in spec and clean_value(default) and not value_problems(schema, default):
            schema["default"] = default
        return schema


def _samples(spec: dict[str, Any]) -> list[Any]:
    """The values the spec's examples give this schema (``x-samples``: the body examples'
    values at this place, passed down by the converter; the first ``MAX_SAMPLES``, so the
    work stays linear in the schema) and its own ``example``."""
    values = as_list(spec.get("x-samples"))[:MAX_SAMPLES]
    return [*values, spec["example"]] if spec.get("example") is not None else values


def _map_keys(extra: dict[str, Any], samples: list[Any]) -> dict[str, Any]:
    """A free-form map's keys from the spec's examples (at most ``MAX_MAP_KEYS``), each with
    the map's value schema when it has a type, else a schema read from the example value."""
    keys: dict[str, Any] = {}
    for sample in samples:
        for key, value in as_dict(sample).items():
            if len(keys) >= MAX_MAP_KEYS or not isinstance(key, str) or not clean_value({key: 0}):
                continue
            if key not in keys:
                keys[key] = dict(extra) if types_of(extra) else _schema_of(value)
    return keys


def _schema_of(value: Any, depth: int = 0) -> dict[str, Any]:
    """An OpenAPI schema of one example value (``{}``, untyped, for null or too deep); an
    object's first ``MAX_MAP_KEYS`` keys that neither name nor look like a credential."""
    if value is None or depth > MAX_DEPTH:
        return {}
    if isinstance(value, dict):
        keys = [k for k in value if isinstance(k, str) and clean_value({k: 0})][:MAX_MAP_KEYS]
        return {"type": "object",
                "properties": {k: _schema_of(value[k], depth + 1) for k in keys}}  # fmt: skip
    if isinstance(value, list):
        first = next((v for v in value if v is not None), None)
        return {"type": "array", "items": _schema_of(first, depth + 1)}
    return {"type": json_type(value)}


def _cannot(reason: str) -> str:
    """``reason`` as a clause: "cannot be represented: untyped"."""
    return f"cannot be represented: {reason}"


def _with_description_first(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    text = safe_text(spec.get("description"))
    if not text or "description" in schema:
        return schema
    out = {"type": schema["type"], "description": text}
    out.update(schema)
    return out


def _single_branch(spec: dict[str, Any]) -> dict[str, Any]:
    """``anyOf``/``oneOf`` branches merged into one schema of their union of types: an enum
    when every branch is one (3.1's ``oneOf`` of ``const``); one object of every branch's
    properties when every branch is an object (the provider's alternative shapes); the
    scalar branches when scalars are mixed with objects or arrays (``x-dropped`` names the
    rest, for a note)."""
    branches = [flatten(b) for key in ("anyOf", "oneOf") for b in as_list(spec.get(key))]
    if not branches:
        return spec
    base = {k: v for k, v in spec.items() if k not in ("anyOf", "oneOf")}
    values = enum_of(spec)
    if values is not None and "enum" not in spec and "const" not in spec:
        return {**base, "type": sorted(value_types(spec)), "enum": values}
    real = [b for b in branches if value_types(b) != {"null"}]
    nullable = len(real) < len(branches) or spec.get("nullable") is True
    kinds = [value_types(b) - {"null"} for b in real]
    if real and all(k == {"object"} for k in kinds):
        properties, _ = object_properties(spec)
        return {**base, "type": ["object", "null"] if nullable else "object",
                "properties": properties}  # fmt: skip
    scalars = [b for b, k in zip(real, kinds, strict=True) if k and not k & {"object", "array"}]
    if scalars and len(scalars) < len(real):
        dropped = sorted(set().union(*kinds) - set().union(*map(value_types, scalars)))
        kept = {**spec, "oneOf": scalars + ([{"type": "null"}] if nullable else [])}
        kept.pop("anyOf", None)
        return {**_single_branch(kept), "x-dropped": dropped}
    if len(real) == 1:
        merged = {**real[0], **{k: v for k, v in base.items() if k != "type"}}
        if nullable:
            merged["nullable"] = True
        return merged
    types: set[str] = set()
    for branch in real:
        branch_types = value_types(branch)
        if not branch_types:
            return {**base, "type": []}  # an untyped branch: not representable
        types |= branch_types
    merged = {k: v for k, v in base.items() if k != "type"}
    merged["type"] = sorted(types | ({"null"} if nullable else set()))
    merged["x-branches"] = real
    return merged


def _branch(spec: dict[str, Any], kind: str) -> dict[str, Any]:
    """The keywords of the ``kind`` branch of a merged union (or the schema itself)."""
    for branch in as_list(spec.get("x-branches")):
        if kind in value_types(branch):
            return branch
    return spec if "x-branches" not in spec else {}
