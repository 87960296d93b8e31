"""Type-safe views of a manifest's parts.

Policy rules run even when the schema fails, so every accessor tolerates wrong types: a part
that is not the expected shape is simply skipped (the schema rule reports it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.limits import cached_when_short

READ_METHODS = frozenset({"GET", "HEAD"})


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def is_number(value: Any) -> bool:
    """A JSON number: int or float, but not bool (which Python counts as an int)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def strings(value: Any) -> list[str]:
    """The string items of an array (e.g. a ``required`` list); anything else is skipped."""
    return [item for item in as_list(value) if isinstance(item, str)]


def ports(data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (pointer, port template) for each object in portTemplates."""
    for index, port in enumerate(as_list(as_dict(data).get("portTemplates"))):
        if isinstance(port, dict):
            yield f"/portTemplates/{index}", port


def actions(data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (pointer, action template) for each object in actionTemplates."""
    for index, action in enumerate(as_list(as_dict(data).get("actionTemplates"))):
        if isinstance(action, dict):
            yield f"/actionTemplates/{index}", action


def parameters(action: dict[str, Any], base: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (pointer, parameter) for each object in an action's inputs.parameters."""
    params = as_list(as_dict(action.get("inputs")).get("parameters"))
    for index, param in enumerate(params):
        if isinstance(param, dict):
            yield f"{base}/inputs/parameters/{index}", param


def body_schema(action: dict[str, Any]) -> Any:
    """The action's inputs.body schema, or None."""
    return as_dict(action.get("inputs")).get("body")


def method(action: dict[str, Any]) -> str:
    value = action.get("method")
    return value.upper() if isinstance(value, str) else ""


def is_write(action: dict[str, Any]) -> bool:
    """True for every method but GET and HEAD (unknown methods count as writes)."""
    return method(action) not in READ_METHODS


def schema_types(schema: Any) -> set[str]:
    """The JSON types a value schema declares (empty when untyped)."""
    declared = as_dict(schema).get("type")
    if isinstance(declared, str):
        return {declared}
    return {t for t in as_list(declared) if isinstance(t, str)}


def action_name(action: dict[str, Any], pointer: str) -> str:
    """``action 'slug'`` (redacted if it looks like a credential), or ``action at pointer``."""
    slug = action.get("slug")
    if not isinstance(slug, str):
        return f"action at {pointer}"
    return _name(slug)


@cached_when_short(maxsize=1024)
def _name(slug: str) -> str:
    """Cached: every rule family names each action, in every message."""
    from hubtool.core.secrets import safe_repr

    return f"action {safe_repr(slug)}"
