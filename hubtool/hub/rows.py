"""A validated manifest as the Hub database's rows (``hubtool.hub.schema``).

Every manifest reaching here passed ``validate`` without errors, so the fields the schema
requires are present; optional text is stored as ``""`` and optional auth fields as NULL.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, NamedTuple

from hubtool.core.manifest import as_dict, as_list
from hubtool.hub.encode import compact, sha256


class Entry(NamedTuple):
    """One manifest: its key, version, canonical bytes and their sha256, and the parsed data."""

    publisher: str
    slug: str
    version: str
    manifest: bytes
    sha256: str
    data: dict[str, Any]


def entry(data: dict[str, Any]) -> Entry:
    """The Hub's record of one validated manifest."""
    body = compact(data)
    publisher = str(as_dict(data.get("publisher")).get("slug", ""))
    return Entry(publisher, str(data["slug"]), str(data["version"]), body, sha256(body), data)


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def integration_row(key: int, item: Entry) -> tuple[Any, ...]:
    data, compat = item.data, as_dict(item.data.get("compatibility"))
    return (
        key,
        item.publisher,
        item.slug,
        text(data.get("title")),
        text(data.get("summary")),
        text(data.get("description")),
        item.version,
        text(data.get("category")),
        text(data.get("requiredPlan")),
        text(compat.get("harborNode")),
        text(compat.get("notes")),
        item.manifest,
        item.sha256,
    )


def publisher_row(item: Entry) -> tuple[str, str, str]:
    publisher = as_dict(item.data.get("publisher"))
    return (item.publisher, text(publisher.get("name")), text(publisher.get("websiteUrl")))


def tag_rows(key: int, item: Entry) -> list[tuple[int, int, str]]:
    return [(key, i, tag) for i, tag in enumerate(as_list(item.data.get("tags"))) if text(tag)]


def port_rows(key: int, item: Entry) -> list[tuple[Any, ...]]:
    rows = []
    for i, port in enumerate(as_list(item.data.get("portTemplates"))):
        port = as_dict(port)
        rows.append(
            (
                key,
                i,
                text(port.get("kind")),
                text(port.get("label")),
                text(port.get("description")),
                text(port.get("baseUrl")),
                text(port.get("authMode")),
                port.get("authHeaderName") if isinstance(port.get("authHeaderName"), str) else None,
                port.get("authTokenPrefix")
                if isinstance(port.get("authTokenPrefix"), str)
                else None,
            )
        )
    return rows


def action_rows(first_id: int, key: int, item: Entry) -> list[tuple[Any, ...]]:
    """Action template rows, ids from ``first_id`` in manifest order."""
    rows = []
    for i, action in enumerate(as_list(item.data.get("actionTemplates"))):
        action = as_dict(action)
        rows.append(
            (
                first_id + i,
                key,
                i,
                text(action.get("slug")),
                text(action.get("label")),
                text(action.get("description")),
                text(action.get("method")).upper(),
                text(action.get("path")),
                text(action.get("approvalMode")),
                text(action.get("requestBodyMode")),
                text(action.get("resultMode")),
                compact(as_dict(action.get("inputs"))).decode("utf-8"),
            )
        )
    return rows


def shortcuts(items: list[Entry]) -> list[tuple[str, int]]:
    """``/api/resolve/:shortcut`` names: each manifest slug, and a publisher's slug when that
    publisher has one integration; a name that would point at two integrations is not made.
    ``items`` are in id order (id = index + 1)."""
    names: list[tuple[str, int]] = [(item.slug, key) for key, item in enumerate(items, 1)]
    per_publisher = Counter(item.publisher for item in items)
    names += [
        (it.publisher, k) for k, it in enumerate(items, 1) if per_publisher[it.publisher] == 1
    ]
    targets: dict[str, set[int]] = {}
    for name, key in names:
        targets.setdefault(name, set()).add(key)
    return sorted((name, keys.pop()) for name, keys in targets.items() if len(keys) == 1)


def search_texts(item: Entry) -> tuple[str, str, str, str, str, str, str]:
    data = item.data
    tags = " ".join(str(t) for t in as_list(data.get("tags")) if isinstance(t, str))
    return (
        item.publisher,
        item.slug,
        text(data.get("title")),
        text(data.get("summary")),
        tags,
        text(data.get("category")),
        text(data.get("description")),
    )


def inputs_summary(inputs: str) -> dict[str, Any]:
    """The API's view of an action's inputs (stored compact JSON): its parameters' name, place
    and whether required, and whether it takes a body."""
    value = as_dict(json.loads(inputs))
    params = [
        {
            "name": text(p.get("name")),
            "in": text(p.get("in")),
            "required": p.get("required") is True,
        }
        for p in map(as_dict, as_list(value.get("parameters")))
    ]
    return {"parameters": params, "body": "body" in value}
