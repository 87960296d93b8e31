"""Compare two value schemas: type, bounds, enums, patterns, defaults and body properties."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.changes import OLD, Change, Scope, other_changes, short
from hubtool.loader import escape
from hubtool.manifest import as_dict, as_list, is_number, schema_types, strings

_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_EXACT = ("pattern", "format", "multipleOf")
_HANDLED = {
    "type", "enum", "const", "default", "items", "properties", "required",
    "additionalProperties", "uniqueItems", *_UPPER, *_LOWER, *_EXACT,
}  # fmt: skip


def compare(old: Any, new: Any, where: tuple[str, str], scope: Scope) -> Iterator[Change]:
    """Changes between two schemas at (old pointer, new pointer)."""
    old, new = as_dict(old), as_dict(new)
    ptr = where[1]
    if schema_types(old) != schema_types(new):
        yield scope.change(
            "input-type-changed",
            f"{ptr}/type",
            f"type changed from {short(old.get('type'))} to {short(new.get('type'))}",
            old.get("type"),
            new.get("type"),
        )
        return
    for keyword in _UPPER:
        yield from _bound(keyword, old.get(keyword), new.get(keyword), ptr, scope, upper=True)
    for keyword in _LOWER:
        yield from _bound(keyword, old.get(keyword), new.get(keyword), ptr, scope, upper=False)
    yield from _enum(old, new, ptr, scope)
    yield from _exact(old, new, ptr, scope)
    yield from _closedness(old, new, ptr, scope)
    if old.get("default") != new.get("default"):
        yield scope.change(
            "input-default-changed",
            f"{ptr}/default",
            f"default changed from {short(old.get('default'))} to {short(new.get('default'))}",
            old.get("default"),
            new.get("default"),
        )
    if "items" in old or "items" in new:
        yield from compare(
            old.get("items"), new.get("items"), (f"{where[0]}/items", f"{ptr}/items"), scope
        )
    yield from _properties(old, new, where, scope)
    yield from other_changes(scope, old, new, ptr, _HANDLED)


def _bound(
    keyword: str, old: Any, new: Any, ptr: str, scope: Scope, upper: bool
) -> Iterator[Change]:
    if old == new:
        return
    if old is None:
        narrowed, verb = True, "added"
    elif new is None:
        narrowed, verb = False, "removed"
    elif is_number(old) and is_number(new):
        narrowed = new < old if upper else new > old
        verb = "lowered" if new < old else "raised"
    else:  # not two numbers: no order to compare, so the safe side (a narrowing)
        narrowed, verb = True, "changed"
    kind = "constraint-narrowed" if narrowed else "constraint-widened"
    message = f"{keyword} {verb} ({short(old)} -> {short(new)})"
    yield scope.change(kind, f"{ptr}/{keyword}", message, old, new)


def _enum(old: dict[str, Any], new: dict[str, Any], ptr: str, scope: Scope) -> Iterator[Change]:
    before, after = _allowed(old), _allowed(new)
    if before == after:
        return
    if before is None or after is None:
        narrowed = after is not None
        kind = "constraint-narrowed" if narrowed else "constraint-widened"
        verb = "added" if narrowed else "removed"
        yield scope.change(kind, f"{ptr}/enum", f"enum {verb}", before, after)
        return
    removed = [v for v in before if v not in after]
    added = [v for v in after if v not in before]
    if removed:
        yield scope.change(
            "constraint-narrowed",
            f"{ptr}/enum",
            f"enum value(s) removed: {', '.join(map(short, removed))}",
            removed,
            None,
        )
    if added:
        yield scope.change(
            "constraint-widened",
            f"{ptr}/enum",
            f"enum value(s) added: {', '.join(map(short, added))}",
            None,
            added,
        )


def _allowed(schema: dict[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    return as_list(schema["enum"]) if "enum" in schema else None


def _exact(old: dict[str, Any], new: dict[str, Any], ptr: str, scope: Scope) -> Iterator[Change]:
    for keyword in _EXACT:
        before, after = old.get(keyword), new.get(keyword)
        if before == after:
            continue
        kind = "constraint-widened" if after is None else "constraint-narrowed"
        verb = "removed" if after is None else ("added" if before is None else "changed")
        yield scope.change(kind, f"{ptr}/{keyword}", f"{keyword} {verb}", before, after)
    if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
        kind = "constraint-narrowed" if new.get("uniqueItems") else "constraint-widened"
        yield scope.change(
            kind,
            f"{ptr}/uniqueItems",
            "uniqueItems changed",
            old.get("uniqueItems"),
            new.get("uniqueItems"),
        )


def _closedness(
    old: dict[str, Any], new: dict[str, Any], ptr: str, scope: Scope
) -> Iterator[Change]:
    before, after = old.get("additionalProperties"), new.get("additionalProperties")
    if before == after:
        return
    kind = "constraint-narrowed" if after is False else "constraint-widened"
    yield scope.change(
        kind,
        f"{ptr}/additionalProperties",
        f"additionalProperties changed from {short(before)} to {short(after)}",
        before,
        after,
    )


def _properties(
    old: dict[str, Any], new: dict[str, Any], where: tuple[str, str], scope: Scope
) -> Iterator[Change]:
    old_props, new_props = as_dict(old.get("properties")), as_dict(new.get("properties"))
    old_req, new_req = set(strings(old.get("required"))), set(strings(new.get("required")))
    for name in old_props.keys() - new_props.keys():
        yield scope.change(
            "body-property-removed",
            f"{where[0]}/properties/{escape(name)}",
            f"property {short(name)} removed",
            side=OLD,
        )
    for name in new_props:
        ptrs = (f"{where[0]}/properties/{escape(name)}", f"{where[1]}/properties/{escape(name)}")
        if name not in old_props:
            required = name in new_req
            kind = "body-property-added-required" if required else "body-property-added-optional"
            label = "required" if required else "optional"
            yield scope.change(kind, ptrs[1], f"{label} property {short(name)} added")
            continue
        if name in new_req and name not in old_req:
            yield scope.change(
                "body-property-made-required",
                f"{where[1]}/required",
                f"property {short(name)} is now required",
            )
        elif name in old_req and name not in new_req:
            at = f"{where[1]}/required" if "required" in new else where[1]
            yield scope.change(
                "body-property-made-optional", at, f"property {short(name)} is now optional"
            )
        yield from compare(old_props[name], new_props[name], ptrs, scope)
