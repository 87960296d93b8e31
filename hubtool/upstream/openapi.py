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
from hubtool.upstream.schema import (  # noqa: F401 (the schema reading, re-exported for callers)
    enum_of,
    flatten,
    object_properties,
    to_json_schema,
    types_of,
)
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
