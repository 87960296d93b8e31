"""Load and index a provider's OpenAPI 3.0/3.1 or Swagger 2.0 spec (JSON or YAML, one file or a
tree of files joined by relative $refs: ``hubtool.upstream.refs``; Swagger 2.0 operations are
read as OpenAPI 3.0 ones: ``hubtool.upstream.swagger2``).

Operations are indexed by (method, path shape), where a path shape writes every placeholder as
``{}`` so ``{organizationIdOrSlug}`` matches ``{organization_id_or_slug}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubtool.core import urls
from hubtool.core.errors import HubtoolError
from hubtool.core.manifest import as_dict, as_list, strings
from hubtool.upstream.refs import Place, Refs
from hubtool.upstream.specfile import json_value as _json_value  # noqa: F401 (bench, tests)
from hubtool.upstream.specfile import read_document
from hubtool.upstream.swagger2 import base_path, consumes_of, is_swagger2, request_parts

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")


def shape(path: str) -> str:
    """A path with every placeholder written ``{}``."""
    return _PLACEHOLDER.sub("{}", path)


def placeholders(path: str) -> list[str]:
    return _PLACEHOLDER.findall(path)


@dataclass
class Operation:
    """One operation, with $refs resolved and path-level parameters merged in."""

    method: str
    path: str
    """The full path under the server root, including any server base path."""
    operation_id: str
    summary: str
    description: str
    parameters: list[dict[str, Any]]
    body_schema: dict[str, Any] | None
    body_examples: list[Any]
    scopes: list[list[str]] = field(default_factory=list)
    """Alternatives from ``security``: each inner list is one scheme's scopes."""
    body_media_types: list[str] = field(default_factory=list)
    """Every media type of the request body (``body_schema`` is the JSON one's)."""
    body_required: bool = False
    deprecated: bool = False
    """``deprecated: true`` on the operation (OpenAPI 3.x and Swagger 2.0)."""

    def parameter(self, location: str, name: str) -> dict[str, Any] | None:
        return next(
            (p for p in self.parameters if p.get("in") == location and p.get("name") == name),
            None,
        )

    def names(self, location: str) -> list[str]:
        return [str(p.get("name")) for p in self.parameters if p.get("in") == location]


@dataclass
class Spec:
    path: str
    title: str
    operations: list[Operation]
    by_route: dict[tuple[str, str], Operation]
    by_id: dict[str, Operation]
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    """operationIds used more than once (OpenAPI: must be unique), with each operation's route."""

    def find(self, method: str, path: str) -> Operation | None:
        return self.by_route.get((method.lower(), shape(path)))

    def similar(self, path: str, limit: int = 3) -> list[str]:
        import difflib

        shapes = {shape(op.path): op.path for op in self.operations}
        close = difflib.get_close_matches(shape(path), list(shapes), n=limit, cutoff=0.6)
        return [shapes[s] for s in close]


def server_path(data: dict[str, Any]) -> str:
    """The base path of the first server URL, with variables at their defaults."""
    servers = as_list(data.get("servers"))
    server = as_dict(servers[0]) if servers else {}
    url = str(server.get("url", ""))
    for name, variable in as_dict(server.get("variables")).items():
        url = url.replace(f"{{{name}}}", str(as_dict(variable).get("default", "")))
    parts = urls.split(url)
    return parts.path.rstrip("/") if parts else ""


def load_spec(path: Path) -> Spec:
    """The spec at ``path`` (OpenAPI 3.0/3.1 or Swagger 2.0, JSON or YAML, one file or a tree
    of files joined by relative $refs), its operations indexed. Raises HubtoolError."""
    data = _read(path)
    refs = Refs(path, data)
    swagger = is_swagger2(data)
    prefix = base_path(data) if swagger else server_path(data)
    operations = []
    for route, raw_item in as_dict(data.get("paths")).items():
        if not isinstance(route, str):
            continue  # YAML allows keys such as 404 or null; a path is a string
        item, at = refs.deref(raw_item, refs.root)
        item = as_dict(item)
        shared = [(p, at) for p in as_list(item.get("parameters"))]
        for method in METHODS:
            op, op_at = refs.deref(item.get(method), at)
            if isinstance(op, dict):
                where = _Where(refs, data, op_at, swagger)
                operations.append(_operation(where, prefix + route, method, op, shared))
    by_route = {(op.method, shape(op.path)): op for op in operations}
    by_id: dict[str, Operation] = {}
    duplicates: dict[str, list[str]] = {}
    for op in operations:
        if op.operation_id in by_id:
            first = by_id[op.operation_id]
            duplicates.setdefault(op.operation_id, [_route(first)]).append(_route(op))
        elif op.operation_id:
            by_id[op.operation_id] = op
    title = str(as_dict(data.get("info")).get("title") or path.name)
    return Spec(str(path), title, operations, by_route, by_id, duplicates)


def _route(op: Operation) -> str:
    return f"{op.method.upper()} {op.path}"


def _read(path: Path) -> dict[str, Any]:
    data = read_document(path)
    if isinstance(data, dict) and str(data.get("openapi", "")).startswith("3."):
        return data
    swagger = isinstance(data, dict) and is_swagger2(data)
    if swagger and isinstance(data.get("info"), dict) and isinstance(data.get("paths"), dict):
        return data
    raise HubtoolError(
        f"{path}: not an OpenAPI 3.x document (no 'openapi: 3.x' field), nor a Swagger 2.0 "
        "one ('swagger: \"2.0\"' with 'info' and 'paths')"
    )


@dataclass
class _Where:
    """What reading one operation needs: the refs, the root document, the operation's file."""

    refs: Refs
    data: dict[str, Any]
    at: Place
    swagger: bool


def _operation(
    where: _Where, path: str, method: str, op: dict[str, Any], shared: list[tuple[Any, Place]]
) -> Operation:
    refs = where.refs
    params: dict[tuple[Any, Any], dict[str, Any]] = {}
    for raw, at in [*shared, *((p, where.at) for p in as_list(op.get("parameters")))]:
        param = as_dict(refs.full(raw, at))
        params[(str(param.get("in")), str(param.get("name")))] = param
    parameters = list(params.values())
    if where.swagger:
        parameters, request_body = request_parts(parameters, consumes_of(op, where.data))
        body_at = where.at
    else:
        raw_body, body_at = refs.deref(op.get("requestBody"), where.at)
        request_body = as_dict(raw_body)
    content = as_dict(request_body.get("content"))
    raw_media = content.get("application/json") or content.get(_json_media_type(content))
    found, media_at = refs.deref(raw_media, body_at)
    media = as_dict(found)
    body = refs.full(media["schema"], media_at) if "schema" in media else None
    examples = [
        as_dict(e).get("value")
        for e in as_dict(refs.full(media.get("examples"), media_at)).values()
    ]
    if "example" in media:
        examples.insert(0, media["example"])
    scopes = [strings(v) for req in as_list(op.get("security")) for v in as_dict(req).values()]
    return Operation(
        method=method,
        path=path,
        operation_id=str(op.get("operationId", "")),
        summary=str(op.get("summary", "")),
        description=str(op.get("description", "")),
        parameters=parameters,
        body_schema=body if isinstance(body, dict) else None,
        body_examples=[e for e in examples if e is not None],
        scopes=scopes,
        body_media_types=[str(m) for m in content],
        body_required=request_body.get("required") is True,
        deprecated=op.get("deprecated") is True,
    )


def _json_media_type(content: dict[str, Any]) -> str:
    """The first JSON media type (``application/json; charset=utf-8``, ``*/*+json``), or ''."""
    for media_type in content:
        essence = str(media_type).split(";")[0].strip().lower()
        if essence == "application/json" or essence.endswith("+json"):
            return str(media_type)
    return ""


def flatten(schema: Any) -> dict[str, Any]:
    """One schema from generator wrappers: a one-element allOf, merged allOf, nullable.

    A ``oneOf``/``anyOf`` of one schema and ``{"type": "null"}`` branches (OpenAPI 3.1's
    nullable object, ``oneOf: [{type: "null"}, {$ref: ...}]``) is that schema, nullable;
    Swagger 2.0's ``x-nullable`` is ``nullable``.
    """
    schema = dict(as_dict(schema))
    if schema.get("x-nullable") is True:
        schema.setdefault("nullable", True)
    for key in ("oneOf", "anyOf"):
        branches = as_list(schema.get(key))
        real = [b for b in branches if not _is_null(b)]
        if len(real) == 1 and "allOf" not in schema:
            schema.pop(key)
            schema["allOf"] = real
            if len(branches) > 1:
                schema["nullable"] = True
            break
    parts = as_list(schema.pop("allOf", None))
    for part in parts:
        part = flatten(part)
        properties = {**as_dict(schema.get("properties")), **as_dict(part.get("properties"))}
        required = [*as_list(schema.get("required")), *as_list(part.get("required"))]
        schema = {**part, **schema}
        if properties:
            schema["properties"] = properties
        if required:
            schema["required"] = list(dict.fromkeys(r for r in required if isinstance(r, str)))
    return schema


def types_of(schema: Any) -> set[str]:
    """The JSON types an OpenAPI schema admits (empty: any). anyOf/oneOf unite their branches."""
    schema = flatten(schema)
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(strings(declared))
    for key in ("anyOf", "oneOf"):
        for branch in as_list(schema.get(key)):
            values = enum_of(branch) or []
            branch_types = types_of(branch) or {_json_type(v) for v in values}
            if not branch_types:
                return set()
            types |= branch_types
    if types and schema.get("nullable") is True:
        types.add("null")
    return types


def _is_null(schema: Any) -> bool:
    """``{"type": "null"}`` (or ``["null"]``, ``enum: [null]``, ``const: null``)."""
    schema = as_dict(schema)
    kind = schema.get("type")
    if kind == "null" or kind == ["null"]:
        return True
    return schema.get("enum") == [None] or ("const" in schema and schema["const"] is None)


def _json_type(value: Any) -> str:
    """The JSON type of a parsed JSON value (a bool is a boolean, not an integer)."""
    if value is None or isinstance(value, bool):
        return "null" if value is None else "boolean"
    if isinstance(value, int | float):
        return "integer" if isinstance(value, int) or value.is_integer() else "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "string")


def enum_of(schema: Any) -> list[Any] | None:
    """The values a schema allows (None: not an enum): ``enum``, ``const``, or a
    ``oneOf``/``anyOf`` whose every branch is one of those (3.1 enums as ``oneOf`` of ``const``)."""
    schema = flatten(schema)
    if "enum" in schema:
        return [v for v in as_list(schema["enum"])]
    if "const" in schema:
        return [schema["const"]]
    for key in ("oneOf", "anyOf"):
        branches = [enum_of(b) for b in as_list(schema.get(key))]
        if branches and all(b is not None for b in branches):
            return [v for b in branches for v in b or []]
    return None


def object_properties(schema: Any) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The properties an object schema declares (its own, then those of its ``oneOf``/``anyOf``
    object branches), and the schema any other key's value must match: ``additionalProperties``
    given as a schema, ``{}`` when it is ``true`` (a free-form map), None when no other key is
    declared (hubtool then reports it, though JSON Schema would accept it)."""
    schema = flatten(schema)
    properties = dict(as_dict(schema.get("properties")))
    extra = _additional(schema)
    for key in ("oneOf", "anyOf"):
        for branch in map(flatten, as_list(schema.get(key))):
            for name, sub in as_dict(branch.get("properties")).items():
                properties.setdefault(name, sub)
            extra = _additional(branch) if extra is None else extra
    return properties, extra


def _additional(schema: dict[str, Any]) -> dict[str, Any] | None:
    value = schema.get("additionalProperties")
    if value is True:
        return {}
    return value if isinstance(value, dict) else None


def to_json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: nullable becomes a null type, wrappers flattened.

    A ``oneOf`` of object schemas becomes ``anyOf``: providers list alternative shapes of one
    body (Confluence's page ``body``) as open objects that do not exclude each other, and as
    ``oneOf`` they would reject every value matching more than one.
    """
    if isinstance(schema, list):
        return [to_json_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    flat = flatten(schema)
    branches = as_list(flat.get("oneOf"))
    if branches and all(types_of(b) == {"object"} for b in branches) and "anyOf" not in flat:
        flat["anyOf"] = flat.pop("oneOf")
    out = {k: to_json_schema(v) for k, v in flat.items() if k not in ("nullable", "example")}
    if flat.get("nullable") is True and isinstance(flat.get("type"), str):
        out["type"] = [flat["type"], "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]  # nullable: null is a value, enum or not
    if isinstance(flat.get("properties"), dict):
        out["properties"] = {k: to_json_schema(v) for k, v in flat["properties"].items()}
    return out
