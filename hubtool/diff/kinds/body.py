"""Compare the properties of two object schemas (an action's body, or any object value).

Defines the change kinds of the ``body`` family: body-property-added-optional,
body-property-added-required, body-property-removed, body-property-made-required and
body-property-made-optional.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from hubtool.core.manifest import as_dict, strings
from hubtool.core.registry import ALWAYS, MAJOR, MINOR, REMOVE, ChangeKind
from hubtool.diff.kinds import OLD, Change, Scope, safe_name, short
from hubtool.diff.kinds.samples import RENAME
from hubtool.load.strict import escape

Compare = Callable[[Any, Any, tuple[str, str], Scope, str], Iterator[Change]]
"""``schemas.compare``: the changes between two value schemas at (old, new) pointers."""

_COLOR_PROPERTY = {"type": "string", "enum": ["red", "blue"]}

BODY_PROPERTY_ADDED_OPTIONAL = ChangeKind(
    id="body-property-added-optional",
    bump=MINOR,
    family="body",
    title="An optional body property was added",
    description="The write accepts more: review what it can now change.",
    before={},
    after={f"{RENAME}/inputs/body/properties/color": _COLOR_PROPERTY},
    review=ALWAYS,
    mirror="body-property-removed",
)

BODY_PROPERTY_ADDED_REQUIRED = ChangeKind(
    id="body-property-added-required",
    bump=MAJOR,
    family="body",
    title="A required body property was added",
    description="Existing calls lack it and fail.",
    before={},
    after={
        f"{RENAME}/inputs/body/properties/color": _COLOR_PROPERTY,
        f"{RENAME}/inputs/body/required": ["name", "color"],
        f"{RENAME}/examples": REMOVE,
    },
    review=ALWAYS,
    mirror="body-property-removed",
)

BODY_PROPERTY_REMOVED = ChangeKind(
    id="body-property-removed",
    bump=MAJOR,
    family="body",
    title="A body property was removed",
    description="Calls that send it are rejected.",
    before={f"{RENAME}/inputs/body/properties/color": _COLOR_PROPERTY},
    after={},
    mirror="body-property-added-optional",
)

BODY_PROPERTY_MADE_REQUIRED = ChangeKind(
    id="body-property-made-required",
    bump=MAJOR,
    family="body",
    title="A body property became required",
    description="Calls that omit it fail.",
    before={f"{RENAME}/inputs/body/required": REMOVE},
    after={},
    mirror="body-property-made-optional",
)

BODY_PROPERTY_MADE_OPTIONAL = ChangeKind(
    id="body-property-made-optional",
    bump=MINOR,
    family="body",
    title="A body property became optional",
    description="Existing calls keep working.",
    before={},
    after={f"{RENAME}/inputs/body/required": REMOVE},
    mirror="body-property-made-required",
)


def _join(name: str, key: str) -> str:
    return f"{name}.{safe_name(key)}" if name else safe_name(key)


def properties(
    old: dict[str, Any],
    new: dict[str, Any],
    where: tuple[str, str],
    scope: Scope,
    name: str,
    compare: Compare,
) -> Iterator[Change]:
    """Changes to the ``properties`` and ``required`` of two object schemas at (old pointer,
    new pointer); a property on both sides is compared by ``compare`` (``schemas.compare``, passed
    in because a property's schema holds properties again)."""
    old_props, new_props = as_dict(old.get("properties")), as_dict(new.get("properties"))
    old_req, new_req = set(strings(old.get("required"))), set(strings(new.get("required")))
    for prop in old_props.keys() - new_props.keys():
        yield scope.change(
            BODY_PROPERTY_REMOVED,
            f"{where[0]}/properties/{escape(prop)}",
            f"property {short(_join(name, prop))} removed",
            side=OLD,
            anchor=f"{where[1]}/properties" if "properties" in new else where[1],
        )
    for prop in new_props:
        ptrs = (f"{where[0]}/properties/{escape(prop)}", f"{where[1]}/properties/{escape(prop)}")
        field = _join(name, prop)
        if prop not in old_props:
            required = prop in new_req
            kind = BODY_PROPERTY_ADDED_REQUIRED if required else BODY_PROPERTY_ADDED_OPTIONAL
            label = "required" if required else "optional"
            yield scope.change(kind, ptrs[1], f"{label} property {short(field)} added")
            continue
        if prop in new_req and prop not in old_req:
            yield scope.change(
                BODY_PROPERTY_MADE_REQUIRED,
                f"{where[1]}/required",
                f"property {short(field)} is now required",
            )
        elif prop in old_req and prop not in new_req:
            at = f"{where[1]}/required" if "required" in new else where[1]
            yield scope.change(
                BODY_PROPERTY_MADE_OPTIONAL, at, f"property {short(field)} is now optional"
            )
        yield from compare(old_props[prop], new_props[prop], ptrs, scope, field)
