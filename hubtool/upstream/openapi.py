"""Load and index a provider's OpenAPI 3.0/3.1 spec (JSON or YAML, with or without local $refs).

Operations are indexed by (method, path shape), where a path shape writes every placeholder as
``{}`` so ``{organizationIdOrSlug}`` matches ``{organization_id_or_slug}``.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubtool.core import urls
from hubtool.core.errors import HubtoolError
from hubtool.core.limits import MAX_EXPANDED, MAX_REF_DEPTH
from hubtool.core.manifest import as_dict, as_list, strings
from hubtool.upstream.yamlspec import load_yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")
_INDEX = re.compile(r"0|[1-9][0-9]{0,8}")
"""An array index in a $ref (ASCII digits; str.isdigit() also accepts '²', which int() refuses)."""


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

    def find(self, method: str, path: str) -> Operation | None:
        return self.by_route.get((method.lower(), shape(path)))

    def similar(self, path: str, limit: int = 3) -> list[str]:
        import difflib

        shapes = {shape(op.path): op.path for op in self.operations}
        close = difflib.get_close_matches(shape(path), list(shapes), n=limit, cutoff=0.6)
        return [shapes[s] for s in close]


class _Resolver:
    """Resolves local ``#/...`` references, refusing cycles and remote documents."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.expanded = 0
        """Objects and arrays ``full`` has built so far, across the whole document."""

    def deref(self, node: Any) -> Any:
        return self._follow(node)[0]

    def _follow(self, node: Any) -> tuple[Any, frozenset[str]]:
        """The node a chain of $refs ends at, and the $refs followed to get there."""
        refs: list[str] = []
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if len(refs) >= MAX_REF_DEPTH:
                raise HubtoolError(f"$ref chain too deep at {node['$ref']!r}")
            refs.append(node["$ref"])
            node = self.target(node["$ref"])
        return node, frozenset(refs)

    def target(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise HubtoolError(f"only local $refs are supported, not {ref!r}")
        node: Any = self.root
        for token in ref[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list):
                index = int(token) if _INDEX.fullmatch(token) else len(node)
                node = node[index] if index < len(node) else None
            else:
                node = as_dict(node).get(token)
            if node is None:
                raise HubtoolError(f"$ref {ref!r} points at nothing")
        return node

    def full(self, node: Any, depth: int = 0, open_refs: frozenset[str] = frozenset()) -> Any:
        """``node`` with every nested $ref resolved.

        A $ref met again inside its own expansion (a recursive schema) becomes ``{}``, any
        value, as does anything nested deeper than MAX_REF_DEPTH; references (or YAML aliases)
        that fan out to more than MAX_EXPANDED objects and arrays (a "bomb") are refused.
        """
        node, refs = self._follow(node)
        if refs & open_refs or depth > MAX_REF_DEPTH:
            return {}
        if not isinstance(node, dict | list):
            return node
        self.expanded += 1
        if self.expanded > MAX_EXPANDED:
            raise HubtoolError(
                f"the spec expands to more than {MAX_EXPANDED} objects and arrays "
                "(through $refs or YAML aliases); dereference it into a smaller document"
            )
        open_refs |= refs
        if isinstance(node, dict):
            return {k: self.full(v, depth + 1, open_refs) for k, v in node.items()}
        return [self.full(v, depth + 1, open_refs) for v in node]


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HubtoolError(f"{path}: cannot read the OpenAPI spec: {exc}") from exc
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    try:
        data = _json_value(load_yaml(text)) if is_yaml else json.loads(text)
    except Exception as exc:  # ValueError, yaml.YAMLError (imported lazily), RecursionError
        raise HubtoolError(f"{path}: not valid {'YAML' if is_yaml else 'JSON'}: {exc}") from exc
    if not isinstance(data, dict) or not str(data.get("openapi", "")).startswith("3."):
        raise HubtoolError(f"{path}: not an OpenAPI 3.x document (no 'openapi: 3.x' field)")
    return data


def _json_value(value: Any, memo: dict[int, Any] | None = None) -> Any:
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
            result[_json_key(key)] = _json_value(child, memo)
    elif isinstance(value, list):
        result = []
        memo[id(value)] = result
        result.extend(_json_value(child, memo) for child in value)
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
    data = _read(path)
    resolver = _Resolver(data)
    prefix = server_path(data)
    operations = []
    for route, item in as_dict(data.get("paths")).items():
        if not isinstance(route, str):
            continue  # YAML allows keys such as 404 or null; a path is a string
        item = as_dict(resolver.deref(item))
        shared = as_list(item.get("parameters"))
        for method in METHODS:
            if isinstance(item.get(method), dict):
                operations.append(
                    _operation(resolver, prefix + route, method, item[method], shared)
                )
    by_route = {(op.method, shape(op.path)): op for op in operations}
    by_id = {op.operation_id: op for op in operations if op.operation_id}
    title = str(as_dict(data.get("info")).get("title") or path.name)
    return Spec(str(path), title, operations, by_route, by_id)


def _operation(
    resolver: _Resolver, path: str, method: str, op: dict[str, Any], shared: list[Any]
) -> Operation:
    params: dict[tuple[Any, Any], dict[str, Any]] = {}
    for raw in [*shared, *as_list(op.get("parameters"))]:
        param = as_dict(resolver.full(raw))
        params[(str(param.get("in")), str(param.get("name")))] = param
    request_body = as_dict(resolver.deref(op.get("requestBody")))
    content = as_dict(request_body.get("content"))
    media = as_dict(content.get("application/json") or content.get(_json_media_type(content)))
    body = resolver.full(media["schema"]) if "schema" in media else None
    examples = [
        as_dict(e).get("value") for e in as_dict(resolver.full(media.get("examples"))).values()
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
        parameters=list(params.values()),
        body_schema=body if isinstance(body, dict) else None,
        body_examples=[e for e in examples if e is not None],
        scopes=scopes,
        body_media_types=[str(m) for m in content],
        body_required=request_body.get("required") is True,
    )


def _json_media_type(content: dict[str, Any]) -> str:
    """The first JSON media type (``application/json; charset=utf-8``, ``*/*+json``), or ''."""
    for media_type in content:
        essence = str(media_type).split(";")[0].strip().lower()
        if essence == "application/json" or essence.endswith("+json"):
            return str(media_type)
    return ""


def flatten(schema: Any) -> dict[str, Any]:
    """One schema from generator wrappers: a one-element allOf, merged allOf, nullable."""
    schema = dict(as_dict(schema))
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
            branch_types = types_of(branch)
            if not branch_types:
                return set()
            types |= branch_types
    if types and schema.get("nullable") is True:
        types.add("null")
    return types


def enum_of(schema: Any) -> list[Any] | None:
    schema = flatten(schema)
    if "enum" in schema:
        return [v for v in as_list(schema["enum"])]
    return None


def to_json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: nullable becomes a null type, wrappers flattened."""
    if isinstance(schema, list):
        return [to_json_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    flat = flatten(schema)
    out = {k: to_json_schema(v) for k, v in flat.items() if k not in ("nullable", "example")}
    if flat.get("nullable") is True and isinstance(flat.get("type"), str):
        out["type"] = [flat["type"], "null"]
    if isinstance(flat.get("properties"), dict):
        out["properties"] = {k: to_json_schema(v) for k, v in flat["properties"].items()}
    return out
