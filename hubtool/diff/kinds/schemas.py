"""Compare two value schemas: type, bounds, enums, patterns, defaults and body properties.

Defines the schema kinds of the ``inputs`` family: input-type-changed, constraint-narrowed,
constraint-widened and input-default-changed (the body-property kinds are in
``hubtool.diff.kinds.body``). Both schemas are in canonical form (``hubtool.diff.canonical``).
Widening and narrowing are judged by the set of values each schema accepts: a change that
accepts every value the old schema accepted (``"string"`` -> ``["null", "string"]``, a maximum
raised, an enum value added) is a widening; one that rejects some of them is a narrowing.
Messages name the field (``statusDetails.inRelease: maxLength 200 → 100``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from hubtool.core.manifest import as_dict, as_list, is_number, schema_types
from hubtool.core.registry import MAJOR, MINOR, ON_WRITE, ChangeKind
from hubtool.diff.canonical import accepts_type, declared_types, value_key
from hubtool.diff.kinds import Change, Scope, other_changes, short
from hubtool.diff.kinds.body import properties
from hubtool.diff.kinds.samples import LIMIT

INPUT_TYPE_CHANGED = ChangeKind(
    id="input-type-changed",
    bump=MAJOR,
    family="inputs",
    title="An input's type changed",
    description="Values of the old type are rejected: the new types neither include nor are "
    "included in the old ones (a type added, e.g. `null`, is constraint-widened; a type dropped is "
    'constraint-narrowed). `"string"` and `["string"]` are the same type.',
    before={},
    after={
        f"{LIMIT}/schema": {"type": "string", "maxLength": 3},
        f"{LIMIT}/default": "25",
        "/actionTemplates/0/examples/0/input/query/limit": "10",
    },
)

CONSTRAINT_NARROWED = ChangeKind(
    id="constraint-narrowed",
    bump=MAJOR,
    family="inputs",
    title="An input constraint was narrowed",
    description="An enum value removed, a type dropped (e.g. `null`), a maximum lowered, a minimum "
    "raised, a maxLength lowered, a pattern or format changed: values that were valid are "
    "now rejected. Judged by the set of accepted values, so a reordered enum or `required` "
    "list, or `100` for `100.0`, is no change.",
    before={},
    after={f"{LIMIT}/schema/maximum": 50},
    mirror="constraint-widened",
)

CONSTRAINT_WIDENED = ChangeKind(
    id="constraint-widened",
    bump=MINOR,
    family="inputs",
    title="An input constraint was widened",
    description='More values are accepted: an enum value added, a type added (`"string"` -> '
    '`["string", "null"]`: a nullable input), a bound raised or removed. On a write '
    "action that needs review.",
    before={},
    after={f"{LIMIT}/schema/maximum": 500},
    review=ON_WRITE,
    mirror="constraint-narrowed",
)

INPUT_DEFAULT_CHANGED = ChangeKind(
    id="input-default-changed",
    bump=MINOR,
    family="inputs",
    title="An input's default changed",
    description="Calls that omit the input now behave differently.",
    before={},
    after={f"{LIMIT}/default": 50},
)


_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_EXACT = ("pattern", "format", "multipleOf")
_HANDLED = {
    "type", "enum", "const", "default", "items", "properties", "required",
    "additionalProperties", "uniqueItems", *_UPPER, *_LOWER, *_EXACT,
}  # fmt: skip
NARROWED, WIDENED = CONSTRAINT_NARROWED, CONSTRAINT_WIDENED


def compare(
    old: Any, new: Any, where: tuple[str, str], scope: Scope, name: str = ""
) -> Iterator[Change]:
    """Changes between two schemas at (old pointer, new pointer); ``name`` is the field path."""
    old, new = as_dict(old), as_dict(new)
    ptr = where[1]
    if _allowed(old) is None or _allowed(new) is None:  # with enums on both sides, they decide
        change = _types(old, new, ptr, scope, name)
        if change is not None:
            yield change
            if change.kind == INPUT_TYPE_CHANGED.id:
                return
    for keyword in _UPPER:
        yield from _bound(keyword, old.get(keyword), new.get(keyword), (ptr, name), scope, True)
    for keyword in _LOWER:
        yield from _bound(keyword, old.get(keyword), new.get(keyword), (ptr, name), scope, False)
    yield from _enum(old, new, ptr, scope, name)
    yield from _exact(old, new, ptr, scope, name)
    yield from _closedness(old, new, where, scope, name)
    if old.get("default") != new.get("default"):
        yield scope.change(
            INPUT_DEFAULT_CHANGED,
            f"{ptr}/default",
            _say(name, f"default {short(old.get('default'))} → {short(new.get('default'))}"),
            old.get("default"),
            new.get("default"),
        )
    if "items" in old or "items" in new:
        yield from compare(
            old.get("items"),
            new.get("items"),
            (f"{where[0]}/items", f"{ptr}/items"),
            scope,
            f"{name}[]" if name else "items",
        )
    yield from properties(old, new, where, scope, name, compare)
    yield from other_changes(scope, old, new, ptr, _HANDLED)


def _say(name: str, text: str) -> str:
    return f"{name}: {text}" if name else text


def covers(wide: set[str], narrow: set[str]) -> bool:
    """Whether a schema typed ``wide`` accepts every value one typed ``narrow`` accepts.

    An empty set is an untyped schema (any value); every integer is a number.
    """
    if not wide:
        return True
    return bool(narrow) and all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _type_text(types: set[str]) -> str:
    """Type names as a reviewer reads them (each through ``short``: names are input too)."""
    if not types:
        return "any type"
    names = sorted(types)
    shown = " | ".join(map(short, names[:5]))
    return shown if len(names) <= 5 else f"{shown} and {len(names) - 5} more"


def _types(
    old: dict[str, Any], new: dict[str, Any], ptr: str, scope: Scope, name: str
) -> Change | None:
    before, after = schema_types(old), schema_types(new)
    if before == after:
        return None
    if covers(after, before):
        kind, verb = WIDENED, "type widened"
    elif covers(before, after):
        kind, verb = NARROWED, "type narrowed"
    else:
        kind, verb = INPUT_TYPE_CHANGED, "type changed"
    text = _say(name, f"{verb}: {_type_text(before)} → {_type_text(after)}")
    return scope.change(kind, f"{ptr}/type", text, old.get("type"), new.get("type"))


def _bound(
    keyword: str, old: Any, new: Any, at: tuple[str, str], scope: Scope, upper: bool
) -> Iterator[Change]:
    if old == new:
        return
    ptr, name = at
    if old is None:
        narrowed, text = True, f"{keyword} {short(new)} added"
    elif new is None:
        narrowed, text = False, f"{keyword} {short(old)} removed"
    elif is_number(old) and is_number(new):
        narrowed = new < old if upper else new > old
        text = f"{keyword} {short(old)} → {short(new)}"
    else:  # not two numbers: no order to compare, so the safe side (a narrowing)
        narrowed, text = True, f"{keyword} {short(old)} → {short(new)}"
    kind = NARROWED if narrowed else WIDENED
    yield scope.change(kind, f"{ptr}/{keyword}", _say(name, text), old, new)


def _allowed(schema: dict[str, Any]) -> list[Any] | None:
    """The values an enum or const admits (those of the declared type too), or None. The enum
    of a canonical schema is already a filtered, ordered set."""
    if "const" in schema:
        const = schema["const"]
        return [const] if accepts_type(declared_types(schema), const) else []
    return as_list(schema["enum"]) if "enum" in schema else None


def _enum(
    old: dict[str, Any], new: dict[str, Any], ptr: str, scope: Scope, name: str
) -> Iterator[Change]:
    before, after = _allowed(old), _allowed(new)
    if before == after:
        return
    if before is None or after is None:
        narrowed = after is not None
        verb = "added" if narrowed else "removed"
        values = after if narrowed else before
        text = f"enum {verb}: {_listed(values or [])}"
        yield scope.change(
            NARROWED if narrowed else WIDENED, f"{ptr}/enum", _say(name, text), before, after
        )
        return
    before_keys, after_keys = set(map(value_key, before)), set(map(value_key, after))
    removed = [v for v in before if value_key(v) not in after_keys]
    added = [v for v in after if value_key(v) not in before_keys]
    for values, kind, verb in ((removed, NARROWED, "removed"), (added, WIDENED, "added")):
        if values:
            noun = "value" if len(values) == 1 else "values"
            text = f"enum {noun} {_listed(values)} {verb}"
            old_value, new_value = (values, None) if kind is NARROWED else (None, values)
            yield scope.change(kind, f"{ptr}/enum", _say(name, text), old_value, new_value)


def _listed(values: list[Any], limit: int = 5) -> str:
    """The first ``limit`` values, then how many more: a message stays short."""
    shown = ", ".join(map(_json_value, values[:limit]))
    return shown if len(values) <= limit else f"{shown} and {len(values) - limit} more"


def _json_value(value: Any) -> str:
    """An enum value as a reviewer reads it: JSON's ``null``, ``true``, else ``short``."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return short(value)


def _exact(
    old: dict[str, Any], new: dict[str, Any], ptr: str, scope: Scope, name: str
) -> Iterator[Change]:
    for keyword in _EXACT:
        before, after = old.get(keyword), new.get(keyword)
        if before == after:
            continue
        if after is None:
            kind, text = WIDENED, f"{keyword} {short(before)} removed"
        elif before is None:
            kind, text = NARROWED, f"{keyword} {short(after)} added"
        else:
            kind = WIDENED if _divides(after, before) and keyword == "multipleOf" else NARROWED
            text = f"{keyword} {short(before)} → {short(after)}"
        yield scope.change(kind, f"{ptr}/{keyword}", _say(name, text), before, after)
    if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
        kind = NARROWED if new.get("uniqueItems") else WIDENED
        text = "uniqueItems " + ("added" if new.get("uniqueItems") else "removed")
        yield scope.change(
            kind,
            f"{ptr}/uniqueItems",
            _say(name, text),
            old.get("uniqueItems"),
            new.get("uniqueItems"),
        )


def _divides(divisor: Any, number: Any) -> bool:
    """Whether every multiple of ``number`` is one of ``divisor`` (two integers only)."""
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (divisor, number))
    return ints and divisor > 0 and number % divisor == 0


def _open(value: Any) -> Any:
    """additionalProperties as a set of accepted values: absent, true and {} accept anything."""
    return None if value is None or value is True or value == {} else value


def _open_text(value: Any) -> str:
    return "any" if value is None else _json_value(value)


def _closedness(
    old: dict[str, Any], new: dict[str, Any], where: tuple[str, str], scope: Scope, name: str
) -> Iterator[Change]:
    before, after = _open(old.get("additionalProperties")), _open(new.get("additionalProperties"))
    if before == after:
        return
    ptr = f"{where[1]}/additionalProperties"
    if isinstance(before, dict) and isinstance(after, dict):
        yield from compare(
            before, after, (f"{where[0]}/additionalProperties", ptr), scope, f"{name}{{*}}"
        )
        return
    narrowed = after is False or (before is None and after is not None)
    text = f"additionalProperties {_open_text(before)} → {_open_text(after)}"
    yield scope.change(NARROWED if narrowed else WIDENED, ptr, _say(name, text), before, after)
