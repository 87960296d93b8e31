"""Compare top-level fields: identity (slug, publisher, format) and descriptive metadata.

Defines the change kinds manifest-slug-changed, publisher-changed and format-changed of the
``metadata`` family; its catch-all metadata-changed is in ``hubtool.diff.kinds`` (every family
emits it) and examples-changed in ``actions``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.manifest import as_dict
from hubtool.core.registry import MAJOR, ChangeKind
from hubtool.diff.kinds import METADATA_CHANGED, Change, Scope, differing, safe_name, short
from hubtool.load.strict import escape

MANIFEST_SLUG_CHANGED = ChangeKind(
    id="manifest-slug-changed",
    bump=MAJOR,
    family="metadata",
    title="The manifest slug changed",
    description="The Hub URL and import name change.",
    before={},
    after={"/slug": "acme-widgets-api"},
)

PUBLISHER_CHANGED = ChangeKind(
    id="publisher-changed",
    bump=MAJOR,
    family="metadata",
    title="The publisher slug changed",
    description="The Hub URL changes.",
    before={},
    after={"/publisher/slug": "acme-corp"},
)

FORMAT_CHANGED = ChangeKind(
    id="format-changed",
    bump=MAJOR,
    family="metadata",
    title="formatVersion or kind changed",
    description="Readers of the old format cannot read it.",
    before={},
    after={"/formatVersion": "2"},
)

_IDENTITY = {
    "slug": MANIFEST_SLUG_CHANGED,
    "formatVersion": FORMAT_CHANGED,
    "kind": FORMAT_CHANGED,
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
            PUBLISHER_CHANGED,
            ptr,
            f"publisher.slug changed from {short(old)} to {short(new)}",
            old,
            new,
        )
        return
    yield scope.change(METADATA_CHANGED, ptr, f"{key} changed", old, new)
