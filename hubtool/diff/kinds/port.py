"""Compare port templates (by position): origin, auth settings, kind and metadata."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.manifest import as_dict, as_list
from hubtool.diff.kinds import OLD, Change, Scope, other_changes, short

_AUTH = ("authMode", "authHeaderName", "authTokenPrefix")


def diff(old_data: Any, new_data: Any) -> Iterator[Change]:
    old = as_list(as_dict(old_data).get("portTemplates"))
    new = as_list(as_dict(new_data).get("portTemplates"))
    scope = Scope(label="port")
    for index in range(len(new), len(old)):
        yield scope.change(
            "port-removed",
            f"/portTemplates/{index}",
            "port template removed",
            side=OLD,
            anchor="/portTemplates",
        )
    for index in range(len(old), len(new)):
        yield scope.change("port-added", f"/portTemplates/{index}", "port template added")
    for index in range(min(len(old), len(new))):
        yield from _compare(as_dict(old[index]), as_dict(new[index]), f"/portTemplates/{index}")


def _compare(old: dict[str, Any], new: dict[str, Any], ptr: str) -> Iterator[Change]:
    scope = Scope(label="port")
    before, after = old.get("baseUrl"), new.get("baseUrl")
    if _normal(before) != _normal(after):
        yield scope.change(
            "port-origin-changed",
            f"{ptr}/baseUrl",
            f"baseUrl changed from {short(before)} to {short(after)}",
            before,
            after,
        )
    if old.get("kind") != new.get("kind"):
        yield scope.change(
            "port-kind-changed",
            f"{ptr}/kind",
            f"kind changed from {short(old.get('kind'))} to {short(new.get('kind'))}",
            old.get("kind"),
            new.get("kind"),
        )
    for key in _AUTH:
        if old.get(key) != new.get(key):
            yield scope.change(
                "port-auth-changed",
                f"{ptr}/{key}",
                f"{key} changed from {short(old.get(key))} to {short(new.get(key))}",
                old.get(key),
                new.get(key),
            )
    skip = {"kind", *_AUTH} | ({"baseUrl"} if _normal(before) != _normal(after) else set())
    yield from other_changes(scope, old, new, ptr, skip)


def _normal(url: Any) -> Any:
    """A baseUrl without the trailing slash and with a lowercase scheme and host."""
    if not isinstance(url, str):
        return url
    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}{sep}{host.lower()}{slash}{path}".rstrip("/")
