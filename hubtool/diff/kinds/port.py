"""Compare port templates (by position): origin, auth settings, kind and metadata.

Defines the change kinds of the ``port`` family: port-origin-changed, port-auth-changed,
port-kind-changed, port-added and port-removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.manifest import as_dict, as_list
from hubtool.core.registry import ALWAYS, BASE_MANIFEST, MAJOR, ChangeKind
from hubtool.diff.kinds import OLD, Change, Scope, other_changes, short

PORT_ORIGIN_CHANGED = ChangeKind(
    id="port-origin-changed",
    bump=MAJOR,
    family="port",
    title="The port's baseUrl changed",
    description="Requests go to a different origin or base path: credentials follow them.",
    before={},
    after={"/portTemplates/0/baseUrl": "https://api.acme.example/v2/"},
    review=ALWAYS,
)

PORT_AUTH_CHANGED = ChangeKind(
    id="port-auth-changed",
    bump=MAJOR,
    family="port",
    title="The port's auth settings changed",
    description="authMode, authHeaderName or authTokenPrefix changed: operators must reconfigure.",
    before={},
    after={"/portTemplates/0/authTokenPrefix": "Token"},
    review=ALWAYS,
)

PORT_KIND_CHANGED = ChangeKind(
    id="port-kind-changed",
    bump=MAJOR,
    family="port",
    title="The port's kind changed",
    description="A different kind of connection.",
    before={},
    after={"/portTemplates/0/kind": "webhook"},
    review=ALWAYS,
)

PORT_ADDED = ChangeKind(
    id="port-added",
    bump=MAJOR,
    family="port",
    title="A port template was added",
    description="Import creates another connection; review its origin and auth.",
    before={},
    after={"/portTemplates/-": BASE_MANIFEST["portTemplates"][0]},
    review=ALWAYS,
    mirror="port-removed",
)

PORT_REMOVED = ChangeKind(
    id="port-removed",
    bump=MAJOR,
    family="port",
    title="A port template was removed",
    description="Actions lose their connection.",
    before={"/portTemplates/-": BASE_MANIFEST["portTemplates"][0]},
    after={},
    review=ALWAYS,
    mirror="port-added",
)


_AUTH = ("authMode", "authHeaderName", "authTokenPrefix")


def diff(old_data: Any, new_data: Any) -> Iterator[Change]:
    old = as_list(as_dict(old_data).get("portTemplates"))
    new = as_list(as_dict(new_data).get("portTemplates"))
    scope = Scope(label="port")
    for index in range(len(new), len(old)):
        yield scope.change(
            PORT_REMOVED,
            f"/portTemplates/{index}",
            "port template removed",
            side=OLD,
            anchor="/portTemplates",
        )
    for index in range(len(old), len(new)):
        yield scope.change(PORT_ADDED, f"/portTemplates/{index}", "port template added")
    for index in range(min(len(old), len(new))):
        yield from _compare(as_dict(old[index]), as_dict(new[index]), f"/portTemplates/{index}")


def _compare(old: dict[str, Any], new: dict[str, Any], ptr: str) -> Iterator[Change]:
    scope = Scope(label="port")
    before, after = old.get("baseUrl"), new.get("baseUrl")
    if _normal(before) != _normal(after):
        yield scope.change(
            PORT_ORIGIN_CHANGED,
            f"{ptr}/baseUrl",
            f"baseUrl changed from {short(before)} to {short(after)}",
            before,
            after,
        )
    if old.get("kind") != new.get("kind"):
        yield scope.change(
            PORT_KIND_CHANGED,
            f"{ptr}/kind",
            f"kind changed from {short(old.get('kind'))} to {short(new.get('kind'))}",
            old.get("kind"),
            new.get("kind"),
        )
    for key in _AUTH:
        if old.get(key) != new.get(key):
            yield scope.change(
                PORT_AUTH_CHANGED,
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
