"""Render an action and an input into the URL Harbor would request.

Path values are percent-encoded with no safe characters (and a value of '.' or '..' has its
dots encoded), so a value can never add or remove a segment; query arrays become repeated keys.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

from hubtool.core import urls
from hubtool.core.limits import cached_when_short
from hubtool.core.manifest import as_dict
from hubtool.validate.rules.paths import PLACEHOLDER


def scalar(value: Any) -> str:
    """How one input value is written into a URL (JSON spelling for booleans and null)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return str(value)


def path_segment(value: Any) -> str:
    """One path value as one segment: '/' and '%' encoded, and a '.' or '..' value too.

    A literal '..' segment would be resolved away by the client (RFC 3986, 5.2.4).
    """
    text = scalar(value)
    if text.strip(UNRESERVED):  # else quote would give it back as it is
        text = quote(text, safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
"""What ``quote`` never encodes (RFC 3986's unreserved characters)."""


def render_path(template: str, values: dict[str, Any]) -> str:
    """Fill ``{placeholders}`` with percent-encoded values (missing ones are left as is)."""
    pieces = template_pieces(template)
    if len(pieces) == 1:
        return template
    parts = [pieces[0]]
    for index in range(1, len(pieces), 2):
        name = pieces[index]
        parts.append(path_segment(values[name]) if name in values else f"{{{name}}}")
        parts.append(pieces[index + 1])
    return "".join(parts)


@cached_when_short(maxsize=1024)
def template_pieces(template: str) -> list[str]:
    """``template`` split at its placeholders: text, a placeholder's name, text, ... (what
    ``PLACEHOLDER.sub`` would replace, left to right); cached: actions repeat routes. The
    list is shared: read it, never change it."""
    return PLACEHOLDER.split(template)


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


TOKEN_PLACEHOLDER = "<configured in Harbor Node>"


class Request(NamedTuple):
    """The HTTP request an action would send. The token is never known here."""

    method: str
    url: str
    headers: dict[str, str]
    body: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "url": self.url, "headers": self.headers, "body": self.body}

    def text(self) -> str:
        """The request as HTTP/1.1-style text."""
        lines = [f"{self.method} {self.url}", *(f"{k}: {v}" for k, v in self.headers.items())]
        if self.body is not None:
            lines += ["", json.dumps(self.body, indent=2, ensure_ascii=False)]
        return "\n".join(lines) + "\n"


def render_request(port: dict[str, Any], action: dict[str, Any], data: dict[str, Any]) -> Request:
    """The request for a validated input; auth header shows where Harbor Node adds the token."""
    prefix = port.get("authTokenPrefix")
    token = f"{prefix} {TOKEN_PLACEHOLDER}" if prefix else TOKEN_PLACEHOLDER
    headers = {
        str(port.get("authHeaderName") or "Authorization"): token,
        "Accept": "application/json",
    }
    body = None
    if action.get("requestBodyMode") == "json":
        body = data.get("body")
        headers["Content-Type"] = "application/json"
    url = render_url(str(port.get("baseUrl", "")), action, data)
    return Request(str(action.get("method", "")).upper(), url, headers, body)
