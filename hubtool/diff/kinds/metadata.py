"""Compare top-level fields: identity (slug, publisher, format) and descriptive metadata."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.manifest import as_dict
from hubtool.diff.kinds import Change, Scope, differing, safe_name, short
from hubtool.load.strict import escape

_IDENTITY = {
    "slug": "manifest-slug-changed",
    "formatVersion": "format-changed",
    "kind": "format-changed",
}
_SKIP = {*_IDENTITY, "version", "portTemplates", "actionTemplates"}


def diff(old_data: Any, new_data: Any) -> Iterator[Change]:
    old, new = as_dict(old_data), as_dict(new_data)
    scope = Scope()
    for key, kind in _IDENTITY.items():
        if old.get(key) != new.get(key):
            yield scope.change(
                kind,
                f"/{key}",
                f"{key} changed from {short(old.get(key))} to {short(new.get(key))}",
                old.get(key),
                new.get(key),
            )
    for key in differing(old, new, _SKIP):
        yield from _field(safe_name(key), old.get(key), new.get(key), f"/{escape(key)}", scope)


def _field(key: str, old: Any, new: Any, ptr: str, scope: Scope) -> Iterator[Change]:
    """One change per differing leaf object member, so pointers stay precise."""
    if isinstance(old, dict) and isinstance(new, dict):
        for sub in differing(old, new, set()):
            yield from _field(
                f"{key}.{safe_name(sub)}", old.get(sub), new.get(sub), f"{ptr}/{escape(sub)}", scope
            )
        return
    if key == "publisher.slug":
        yield scope.change(
            "publisher-changed",
            ptr,
            f"publisher.slug changed from {short(old)} to {short(new)}",
            old,
            new,
        )
        return
    yield scope.change("metadata-changed", ptr, f"{key} changed", old, new)
