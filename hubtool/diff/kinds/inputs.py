"""Compare the parameters of two versions of an action, matched by location and name.

Defines the parameter kinds of the ``inputs`` family: input-added-required, input-added-optional,
input-removed, input-made-required and input-made-optional (a parameter's schema is compared by
``hubtool.diff.kinds.schemas``, which defines the type, constraint and default kinds).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.manifest import parameters
from hubtool.core.registry import MAJOR, MINOR, REMOVE, ChangeKind
from hubtool.diff.kinds import OLD, Change, Scope, other_changes, short
from hubtool.diff.kinds.samples import LIMIT
from hubtool.diff.kinds.schemas import INPUT_DEFAULT_CHANGED
from hubtool.diff.kinds.schemas import compare as compare_schema

Indexed = dict[str, tuple[str, dict[str, Any]]]
"""A key (slug, or ``in:name``) -> (pointer, object), in document order."""

_OPTIONAL_QUERY = {
    "name": "q",
    "in": "query",
    "schema": {"type": "string", "maxLength": 50},
    "description": "Search.",
}

INPUT_ADDED_REQUIRED = ChangeKind(
    id="input-added-required",
    bump=MAJOR,
    family="inputs",
    title="A required input was added",
    description="Existing calls lack it and fail.",
    before={},
    after={"/actionTemplates/0/inputs/parameters/-": _OPTIONAL_QUERY | {"required": True}},
    mirror="input-removed",
)

INPUT_ADDED_OPTIONAL = ChangeKind(
    id="input-added-optional",
    bump=MINOR,
    family="inputs",
    title="An optional input was added",
    description="Existing calls keep working.",
    before={},
    after={"/actionTemplates/0/inputs/parameters/-": _OPTIONAL_QUERY},
    mirror="input-removed",
)

INPUT_REMOVED = ChangeKind(
    id="input-removed",
    bump=MAJOR,
    family="inputs",
    title="An input was removed",
    description="Calls that send it are rejected.",
    before={},
    after={LIMIT: REMOVE, "/actionTemplates/0/examples": REMOVE},
    mirror="input-added-optional",
)

INPUT_MADE_REQUIRED = ChangeKind(
    id="input-made-required",
    bump=MAJOR,
    family="inputs",
    title="An input became required",
    description="Calls that omit it fail.",
    before={},
    after={f"{LIMIT}/required": True},
    mirror="input-made-optional",
)

INPUT_MADE_OPTIONAL = ChangeKind(
    id="input-made-optional",
    bump=MINOR,
    family="inputs",
    title="An input became optional",
    description="Existing calls keep working.",
    before={f"{LIMIT}/required": True},
    after={},
    mirror="input-made-required",
)


def _params(action: dict[str, Any], pointer: str) -> Indexed:
    found: Indexed = {}
    for param_ptr, param in parameters(action, pointer):
        found.setdefault(f"{param.get('in')}:{param.get('name')}", (param_ptr, param))
    return found


def compare(
    old_action: dict[str, Any], new_action: dict[str, Any], where: tuple[str, str], scope: Scope
) -> Iterator[Change]:
    """Changes between the parameters of two versions of an action at (old pointer, new
    pointer), matched by location and name."""
    old, new = _params(old_action, where[0]), _params(new_action, where[1])
    for key, (ptr, param) in old.items():
        if key not in new:
            yield scope.change(
                INPUT_REMOVED,
                ptr,
                f"{_name(param)} removed",
                side=OLD,
                anchor=f"{where[1]}/inputs/parameters",
            )
    for key, (ptr, param) in new.items():
        if key not in old:
            required = param.get("required") is True
            kind = INPUT_ADDED_REQUIRED if required else INPUT_ADDED_OPTIONAL
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
        yield inner.change(INPUT_MADE_REQUIRED, f"{ptr}/required", "is now required")
    elif was and not now:
        where = f"{ptr}/required" if "required" in after else ptr
        yield inner.change(INPUT_MADE_OPTIONAL, where, "is now optional")
    if before.get("default") != after.get("default"):
        yield inner.change(
            INPUT_DEFAULT_CHANGED,
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
