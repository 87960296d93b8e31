"""Compare action templates (matched by slug, renames by method and path) and their inputs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.manifest import actions, as_dict, body_schema, is_write, parameters
from hubtool.diff.kinds import OLD, Change, Scope, other_changes, short
from hubtool.diff.kinds.schemas import compare as compare_schema

Indexed = dict[str, tuple[str, dict[str, Any]]]
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
    "method": "action-method-changed",
    "path": "action-path-changed",
    "requestBodyMode": "request-body-mode-changed",
    "resultMode": "result-mode-changed",
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
                "action-removed", pointer, "removed", side=OLD, anchor="/actionTemplates"
            )
    renamed_to = set(renames.values())
    for slug, (pointer, action) in new.items():
        if slug not in old and slug not in renamed_to:
            scope = Scope(slug, is_write(action), f"action {short(slug)}")
            kind = "write" if is_write(action) else "read"
            yield scope.change("action-added", pointer, f"added ({kind} action)")
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
            "action-slug-changed",
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
    yield from _parameters(old, new, where, scope)
    body = Scope(scope.action, scope.write, f"{scope.label} body")
    yield from compare_schema(
        body_schema(old), body_schema(new), (f"{where[0]}/inputs/body", f"{ptr}/inputs/body"), body
    )
    if old.get("examples") != new.get("examples"):
        yield scope.change("examples-changed", f"{ptr}/examples", "examples changed")
    yield from other_changes(scope, old, new, ptr, _HANDLED)
    old_inputs, new_inputs = as_dict(old.get("inputs")), as_dict(new.get("inputs"))
    yield from other_changes(scope, old_inputs, new_inputs, f"{ptr}/inputs", {"parameters", "body"})


def _approval(old: dict[str, Any], new: dict[str, Any], ptr: str, scope: Scope) -> Iterator[Change]:
    before, after = old.get("approvalMode"), new.get("approvalMode")
    if before == after:
        return
    if before == "require_approval":
        kind, text = "approval-loosened", "approval loosened"
    elif after == "require_approval":
        kind, text = "approval-tightened", "approval tightened"
    else:
        kind, text = "approval-loosened", "approval mode changed"
    yield scope.change(
        kind, f"{ptr}/approvalMode", f"{text} from {short(before)} to {short(after)}", before, after
    )


def _params(action: dict[str, Any], pointer: str) -> Indexed:
    found: Indexed = {}
    for param_ptr, param in parameters(action, pointer):
        found.setdefault(f"{param.get('in')}:{param.get('name')}", (param_ptr, param))
    return found


def _parameters(
    old_action: dict[str, Any], new_action: dict[str, Any], where: tuple[str, str], scope: Scope
) -> Iterator[Change]:
    old, new = _params(old_action, where[0]), _params(new_action, where[1])
    for key, (ptr, param) in old.items():
        if key not in new:
            yield scope.change(
                "input-removed",
                ptr,
                f"{_name(param)} removed",
                side=OLD,
                anchor=f"{where[1]}/inputs/parameters",
            )
    for key, (ptr, param) in new.items():
        if key not in old:
            required = param.get("required") is True
            kind = "input-added-required" if required else "input-added-optional"
            yield scope.change(
                kind, ptr, f"{'required' if required else 'optional'} {_name(param)} added"
            )
            continue
        yield from _parameter(old[key], (ptr, param), scope)


def _parameter(
    old: tuple[str, dict[str, Any]], new: tuple[str, dict[str, Any]], scope: Scope
) -> Iterator[Change]:
    (old_ptr, before), (ptr, after) = old, new
    inner = Scope(scope.action, scope.write, f"{scope.label} {_name(after)}")
    was, now = before.get("required") is True, after.get("required") is True
    if now and not was:
        yield inner.change("input-made-required", f"{ptr}/required", "is now required")
    elif was and not now:
        where = f"{ptr}/required" if "required" in after else ptr
        yield inner.change("input-made-optional", where, "is now optional")
    if before.get("default") != after.get("default"):
        yield inner.change(
            "input-default-changed",
            f"{ptr}/default",
            f"default changed from {short(before.get('default'))} to {short(after.get('default'))}",
            before.get("default"),
            after.get("default"),
        )
    yield from compare_schema(
        before.get("schema"), after.get("schema"), (f"{old_ptr}/schema", f"{ptr}/schema"), inner
    )
    yield from other_changes(
        inner, before, after, ptr, {"name", "in", "required", "default", "schema"}
    )


def _name(param: dict[str, Any]) -> str:
    return f"{param.get('in')} parameter {short(param.get('name'))}"
