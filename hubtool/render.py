"""Render an action and an input into the URL Harbor would request.

Path values are percent-encoded with no safe characters, so a '/' or '..' inside a value can
never change the route; query arrays become repeated keys.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from hubtool import urls
from hubtool.manifest import as_dict
from hubtool.rules.paths import PLACEHOLDER


def scalar(value: Any) -> str:
    """How one input value is written into a URL (JSON spelling for booleans and null)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return str(value)


def render_path(template: str, values: dict[str, Any]) -> str:
    """Fill ``{placeholders}`` with percent-encoded values (missing ones are left as is)."""

    def fill(match: Any) -> str:
        name = match.group(1)
        return quote(scalar(values[name]), safe="") if name in values else match.group(0)

    return PLACEHOLDER.sub(fill, template)


def render_query(values: dict[str, Any]) -> str:
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, scalar(item)))
    return urlencode(pairs, quote_via=quote)


def render_url(base_url: str, action: dict[str, Any], data: dict[str, Any]) -> str:
    """The full URL of ``action`` under ``base_url`` for input ``data`` ({path, query, body})."""
    path = render_path(str(action.get("path", "")), as_dict(data.get("path")))
    url = urls.join(base_url, path)
    query = render_query(as_dict(data.get("query")))
    return f"{url}?{query}" if query else url
