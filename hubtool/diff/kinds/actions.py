"""Compare action templates (matched by slug, renames by method and path).

Defines the change kinds of the ``actions`` family (action-removed, action-added,
action-slug-changed, action-method-changed, action-path-changed, request-body-mode-changed,
result-mode-changed, approval-loosened, approval-tightened) and examples-changed. An action's
parameters are compared by ``hubtool.diff.kinds.inputs``, its body by ``schemas``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.manifest import actions, as_dict, body_schema, is_write
from hubtool.core.registry import (
    ALWAYS,
    BASE_MANIFEST,
    MAJOR,
    MINOR,
    ON_WRITE,
    PATCH,
    REMOVE,
    ChangeKind,
)
from hubtool.diff.kinds import OLD, Change, Scope, other_changes, short
from hubtool.diff.kinds.inputs import Indexed
from hubtool.diff.kinds.inputs import compare as compare_parameters
from hubtool.diff.kinds.samples import RENAME
from hubtool.diff.kinds.schemas import compare as compare_schema

_ACTION_SORT = {
    "slug": "sort-widgets",
    "label": "Sort Widgets",
    "description": "Sort widgets.",
    "method": "POST",
    "path": "/v1/widgets/{widgetId}/sort",
    "inputs": {"parameters": [BASE_MANIFEST["actionTemplates"][1]["inputs"]["parameters"][0]]},
    "approvalMode": "require_approval",
    "requestBodyMode": "none",
    "resultMode": "json_summary",
}

ACTION_REMOVED = ChangeKind(
    id="action-removed",
    bump=MAJOR,
    family="actions",
    title="An action was removed",
    description="Agents and workflows that call it break.",
    before={},
    after={RENAME: REMOVE},
    mirror="action-added",
)

ACTION_ADDED = ChangeKind(
    id="action-added",
    bump=MINOR,
    family="actions",
    title="An action was added",
    description="A new capability. A new write action needs review.",
    before={},
    after={"/actionTemplates/-": _ACTION_SORT},
    review=ON_WRITE,
    mirror="action-removed",
)

ACTION_SLUG_CHANGED = ChangeKind(
    id="action-slug-changed",
    bump=MAJOR,
    family="actions",
    title="An action was renamed",
    description="Same method and path under a new slug: callers of the old slug break.",
    before={},
    after={f"{RENAME}/slug": "retitle-widget"},
)

ACTION_METHOD_CHANGED = ChangeKind(
    id="action-method-changed",
    bump=MAJOR,
    family="actions",
    title="An action's HTTP method changed",
    description="A different operation at the provider.",
    before={},
    after={f"{RENAME}/method": "PUT"},
    review=ALWAYS,
)

ACTION_PATH_CHANGED = ChangeKind(
    id="action-path-changed",
    bump=MAJOR,
    family="actions",
    title="An action's path changed",
    description="A different route at the provider.",
    before={},
    after={f"{RENAME}/path": "/v2/widgets/{widgetId}"},
    review=ALWAYS,
)

REQUEST_BODY_MODE_CHANGED = ChangeKind(
    id="request-body-mode-changed",
    bump=MAJOR,
    family="actions",
    title="requestBodyMode changed",
    description="Callers must send (or stop sending) a body.",
    before={},
    after={f"{RENAME}/requestBodyMode": "none"},
)

RESULT_MODE_CHANGED = ChangeKind(
    id="result-mode-changed",
    bump=MAJOR,
    family="actions",
    title="resultMode changed",
    description="Consumers receive a different result shape.",
    before={},
    after={f"{RENAME}/resultMode": "json_full"},
)

APPROVAL_LOOSENED = ChangeKind(
    id="approval-loosened",
    bump=MAJOR,
    family="actions",
    title="Approval was loosened",
    description="require_approval became automatic: the action now runs without an operator.",
    before={},
    after={f"{RENAME}/approvalMode": "automatic"},
    review=ALWAYS,
    mirror="approval-tightened",
)

APPROVAL_TIGHTENED = ChangeKind(
    id="approval-tightened",
    bump=MINOR,
    family="actions",
    title="Approval was tightened",
    description="automatic became require_approval: calls now wait for an operator.",
    before={f"{RENAME}/approvalMode": "automatic"},
    after={},
    mirror="approval-loosened",
)

EXAMPLES_CHANGED = ChangeKind(
    id="examples-changed",
    bump=PATCH,
    family="metadata",
    title="An action's examples changed",
    description="Documentation and offline tests only.",
    before={},
    after={"/actionTemplates/0/examples/0/input/query/limit": 20},
)


_HANDLED = {
    "slug",
    "method",
    "path",
    "approvalMode",
    "requestBodyMode",
    "resultMode",
    "inputs",
    "examples",
}
_ROUTE = {
    "method": ACTION_METHOD_CHANGED,
    "path": ACTION_PATH_CHANGED,
    "requestBodyMode": REQUEST_BODY_MODE_CHANGED,
    "resultMode": RESULT_MODE_CHANGED,
}


def _by_slug(data: Any) -> Indexed:
    found: Indexed = {}
    for pointer, action in actions(data):
        slug = action.get("slug")
        if isinstance(slug, str):
            found.setdefault(slug, (pointer, action))
    return found


def _route(action: dict[str, Any]) -> tuple[Any, Any]:
    return action.get("method"), action.get("path")


def _renames(old: Indexed, new: Indexed) -> dict[str, str]:
    """Removed slug -> added slug, where an added action has the removed one's method and path."""
    added = [slug for slug in new if slug not in old]
    pairs: dict[str, str] = {}
    for slug, (_, action) in old.items():
        if slug in new:
            continue
        match = next((a for a in added if _route(new[a][1]) == _route(action)), None)
        if match:
            pairs[slug] = match
            added.remove(match)
    return pairs


def diff(old_data: Any, new_data: Any) -> Iterator[Change]:
    old, new = _by_slug(old_data), _by_slug(new_data)
    renames = _renames(old, new)
    for slug, (pointer, action) in old.items():
        if slug not in new and slug not in renames:
            scope = Scope(slug, is_write(action), f"action {short(slug)}")
            yield scope.change(
                ACTION_REMOVED, pointer, "removed", side=OLD, anchor="/actionTemplates"
            )
    renamed_to = set(renames.values())
    for slug, (pointer, action) in new.items():
        if slug not in old and slug not in renamed_to:
            scope = Scope(slug, is_write(action), f"action {short(slug)}")
            kind = "write" if is_write(action) else "read"
            yield scope.change(ACTION_ADDED, pointer, f"added ({kind} action)")
    for slug, (old_ptr, old_action) in old.items():
        target = slug if slug in new else renames.get(slug)
        if target:
            yield from compare_action(old_action, new[target][1], (old_ptr, new[target][0]))


def compare_action(
    old: dict[str, Any], new: dict[str, Any], where: tuple[str, str]
) -> Iterator[Change]:
    slug = new.get("slug")
    scope = Scope(slug, is_write(old) or is_write(new), f"action {short(slug)}")
    ptr = where[1]
    if old.get("slug") != slug:
        yield scope.change(
            ACTION_SLUG_CHANGED,
            f"{ptr}/slug",
            f"renamed from {short(old.get('slug'))}",
            old.get("slug"),
            slug,
        )
    for key, kind in _ROUTE.items():
        if old.get(key) != new.get(key):
            yield scope.change(
                kind,
                f"{ptr}/{key}",
                f"{key} changed from {short(old.get(key))} to {short(new.get(key))}",
                old.get(key),
                new.get(key),
            )
    yield from _approval(old, new, ptr, scope)
    yield from compare_parameters(old, new, where, scope)
    body = Scope(scope.action, scope.write, f"{scope.label} body")
    yield from compare_schema(
        body_schema(old), body_schema(new), (f"{where[0]}/inputs/body", f"{ptr}/inputs/body"), body
    )
    if old.get("examples") != new.get("examples"):
        yield scope.change(EXAMPLES_CHANGED, f"{ptr}/examples", "examples changed")
    yield from other_changes(scope, old, new, ptr, _HANDLED)
    old_inputs, new_inputs = as_dict(old.get("inputs")), as_dict(new.get("inputs"))
    yield from other_changes(scope, old_inputs, new_inputs, f"{ptr}/inputs", {"parameters", "body"})


def _approval(old: dict[str, Any], new: dict[str, Any], ptr: str, scope: Scope) -> Iterator[Change]:
    before, after = old.get("approvalMode"), new.get("approvalMode")
    if before == after:
        return
    if before == "require_approval":
        kind, text = APPROVAL_LOOSENED, "approval loosened"
    elif after == "require_approval":
        kind, text = APPROVAL_TIGHTENED, "approval tightened"
    else:
        kind, text = APPROVAL_LOOSENED, "approval mode changed"
    yield scope.change(
        kind, f"{ptr}/approvalMode", f"{text} from {short(before)} to {short(after)}", before, after
    )
