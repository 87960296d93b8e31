"""``scaffold --all``: every operation of a spec as actions of one manifest, or a reason why not.

Pure: returns data. In the spec's order, an operation is refused, with its reason, when it has
no operationId or shares it (OpenAPI requires them unique), is deprecated (unless
``include_deprecated``), is already an action of the manifest (same method and path), would
take the manifest past ``MAX_ACTIONS``, or cannot become a valid action (``template.scaffold``'s
error: a DELETE route, a multipart body ...). The others get unique slugs (``slugs``) and are
scaffolded one by one, each checked inside the manifest's ports but not beside its sibling
actions, so the run stays linear in the number of operations; the caller validates the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from hubtool.core.errors import HubtoolError
from hubtool.core.manifest import as_dict, as_list
from hubtool.upstream.openapi import Operation, Spec, shape
from hubtool.upstream.scaffold.names import relative, rename_placeholders
from hubtool.upstream.scaffold.slugs import unique_slugs
from hubtool.upstream.scaffold.template import duplicate_routes, scaffold

MAX_ACTIONS = 1000
"""The schema's ``actionTemplates`` maxItems (schemas/dock-integration.schema.json)."""


@dataclass(frozen=True)
class Refusal:
    """An operation left out, and why."""

    operation_id: str
    method: str
    """Upper case."""
    path: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {
            "operationId": self.operation_id,
            "method": self.method,
            "path": self.path,
            "reason": self.reason,
        }


@dataclass
class Scaffolded:
    """An operation made into an action, with the notes on what it left out or chose."""

    operation: Operation
    action: dict[str, Any]
    notes: list[str]


@dataclass
class Batch:
    """The outcome of ``scaffold_all``: every operation is in ``scaffolded`` or ``refused``."""

    operations: int
    scaffolded: list[Scaffolded] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def actions(self) -> list[dict[str, Any]]:
        return [s.action for s in self.scaffolded]


def scaffold_all(
    spec: Spec,
    manifest: dict[str, Any] | None = None,
    base_url: str | None = None,
    include_deprecated: bool = False,
) -> Batch:
    """Every operation of ``spec`` scaffolded for ``manifest`` (its ports, beside its actions)
    under ``base_url`` (default: the server root), or refused with the reason.

    Raises HubtoolError when the spec has no operation at all.
    """
    if not spec.operations:
        raise HubtoolError(f"{spec.path}: the spec has no operations")
    existing = [a for a in as_list(as_dict(manifest).get("actionTemplates")) if isinstance(a, dict)]
    routes = {_route(a.get("method"), a.get("path")): a.get("slug") for a in existing}
    base_path = urlsplit(base_url).path.rstrip("/") if base_url else ""
    batch = Batch(len(spec.operations))
    refused: list[tuple[int, Refusal]] = []
    candidates: list[tuple[int, Operation]] = []
    for index, op in enumerate(spec.operations):
        reason = _refused_before(spec, op, include_deprecated, routes, base_path)
        if reason:
            refused.append((index, _refusal(op, reason)))
        else:
            candidates.append((index, op))
    taken = [a["slug"] for a in existing if isinstance(a.get("slug"), str)]
    slugs = unique_slugs([op for _, op in candidates], taken)
    shell = {**manifest, "actionTemplates": []} if manifest is not None else None
    room = MAX_ACTIONS - len(existing)
    for (index, op), slug in zip(candidates, slugs, strict=True):
        if len(batch.scaffolded) >= room:
            refused.append(
                (index, _refusal(op, f"the manifest holds at most {MAX_ACTIONS} actions"))
            )
            continue
        try:
            result = scaffold(spec, op.operation_id, slug, base_url=base_url, manifest=shell)
        except HubtoolError as exc:
            refused.append((index, _refusal(op, _reason(exc, spec))))
            continue
        batch.scaffolded.append(Scaffolded(op, result.action, result.notes))
    batch.refused = [refusal for _, refusal in sorted(refused, key=lambda pair: pair[0])]
    return batch


def _refused_before(
    spec: Spec,
    op: Operation,
    include_deprecated: bool,
    routes: dict[tuple[str, str], Any],
    base_path: str,
) -> str | None:
    """Why ``op`` is refused before it is scaffolded, or None."""
    if not op.operation_id:
        return "no operationId: scaffold names operations by their id"
    if op.operation_id in spec.duplicates:
        others = duplicate_routes(spec, op.operation_id)
        return f"operationId used by more than one operation ({others}); correct the spec"
    if op.deprecated and not include_deprecated:
        return "deprecated"
    try:
        path = relative(rename_placeholders(op.path)[0], base_path)
    except HubtoolError:
        return None  # scaffold says why
    slug = routes.get(_route(op.method, path))
    return f"already in the manifest as {slug!r}" if slug is not None else None


def _route(method: Any, path: Any) -> tuple[str, str]:
    return (str(method).upper(), shape(str(path)))


def _refusal(op: Operation, reason: str) -> Refusal:
    return Refusal(op.operation_id, op.method.upper(), op.path, reason)


def _reason(exc: HubtoolError, spec: Spec) -> str:
    """The error's reasons on one line, without the spec's file name."""
    if exc.details:
        return "; ".join(exc.details)
    return exc.message.removeprefix(f"{spec.path}: ")
