"""Provider spec tools: list the operations of an OpenAPI spec, scaffold one as an action.

The listing is ``scaffold --list``'s (``hubtool.upstream.scaffold.listing``); the scaffold is
``scaffold --operation``'s (``hubtool.upstream.scaffold.scaffold``), checked by every policy
rule inside the manifest it is meant for. A route the policy refuses (DELETE, a bulk mutation
on a collection, a route outside the port's origin, a deprecated operation) comes back as
``refused`` with the reason, not as an action. A loaded spec is kept (``MAX_SPECS``, keyed by
path, size and mtime): an agent lists, then scaffolds, from one spec.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from hubtool.agents import models
from hubtool.agents.workspace import Workspace
from hubtool.core.errors import HubtoolError

if TYPE_CHECKING:
    from hubtool.upstream.openapi import Spec

MAX_SPECS = 4
"""Specs kept loaded in the server process (a provider spec is a few MB)."""
MAX_LISTED = 500
"""The most operations one listing returns (``limit``'s ceiling)."""


def load(ws: Workspace, spec: str) -> Spec:
    path = ws.spec_path(spec)
    stat = path.stat()
    return _load(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=MAX_SPECS)
def _load(path: Path, size: int, mtime: int) -> Spec:
    from hubtool.upstream.openapi import load_spec

    return load_spec(path)


def operations(
    ws: Workspace, spec: str, grep: str | None = None, limit: int = 100
) -> models.OperationList:
    """The spec's operations in its order (``grep``: those whose operationId, path or summary
    contains it, any case), at most ``limit``."""
    from hubtool.core.escape import redacted
    from hubtool.upstream.scaffold.listing import list_operations

    loaded = load(ws, spec)
    listed = list_operations(loaded, grep or None)
    shown = listed[: max(0, min(limit, MAX_LISTED))]
    return models.OperationList(
        operations=[
            models.Operation(
                method=row.method,
                path=redacted(row.path),
                operationId=redacted(row.operation_id),
                summary=redacted(row.summary),
                deprecated=row.deprecated,
            )
            for row in shown
        ],
        count=len(listed),
        total=len(loaded.operations),
    )


def scaffold(
    ws: Workspace,
    spec: str,
    operation_id: str,
    manifest: str | None = None,
    slug: str | None = None,
    body_fields: list[str] | None = None,
    include_deprecated: bool = False,
) -> models.Scaffolded:
    """Operation ``operation_id`` as an action for ``manifest`` (under its port's baseUrl,
    beside its actions; default: a minimal manifest at the server root), or refused with the
    reason. An unknown operationId is an error (HubtoolError)."""
    from hubtool.core.escape import redacted
    from hubtool.upstream.scaffold import scaffold as build
    from hubtool.upstream.scaffold.listing import lookup
    from hubtool.upstream.scaffold.template import find_operation

    loaded = load(ws, spec)
    find_operation(loaded, operation_id)  # an unknown id is the caller's mistake, not a refusal
    data, base_url = _target(ws, manifest)
    try:
        lookup(loaded, operation_id, include_deprecated)
        result = build(loaded, operation_id, slug, tuple(body_fields or ()), base_url, data)
    except HubtoolError as exc:
        reason = "; ".join([exc.message.rstrip(":"), *exc.details])
        return models.Scaffolded(refused=True, reason=redacted(reason))
    notes = [redacted(note) for note in result.notes]
    return models.Scaffolded(refused=False, action=result.action, notes=notes)


def _target(ws: Workspace, manifest: str | None) -> tuple[dict | None, str | None]:
    """The manifest data and its first port's baseUrl (None, None: none named)."""
    if manifest is None:
        return None, None
    from hubtool.agents.catalog import find
    from hubtool.core.manifest import ports

    data = find(ws, manifest).data
    base_url = next((p.get("baseUrl") for _, p in ports(data)), None)
    if not isinstance(base_url, str) or not base_url:
        raise HubtoolError(f"manifest {manifest!r} has no port with a baseUrl")
    return data, base_url
