"""The Hub's one response layer: a request (method, path, query) in, (status, headers, body)
out. The server (``hub serve``) and the static export (``hub export``) both answer from here,
so they return the same bytes.

Routes (FORMAT.md section 1, README "The Hub"): the pages ``/`` and
``/integrations/:publisher/:slug``, ``/api/openapi.json``,
``/api/integrations``, ``/api/integrations/:publisher/:slug``,
``/api/manifests/:publisher/:slug``, ``/api/resolve/:shortcut``, ``/api/shelves``,
``/api/actions/search?q=``. Errors are JSON ``{"error": {"status", "code", "message"}}``:
404 for an unknown route or name, 400 for a bad query, 405 for a method other than GET or
HEAD. User text reaches FTS5 only as quoted phrase tokens (``fts_query``), so no operator,
quote or NUL in a query is ever an FTS5 expression, and every input is capped in length.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote

from hubtool.hub import queries
from hubtool.hub.encode import compact, sha256

MAX_QUERY_STRING = 2048
"""Bytes of a query string; a longer one is a 400."""
MAX_SEARCH = 200
"""Characters of a search text (``q``); a longer one is a 400."""
MAX_TERMS = 16
"""Words of a search text used; more are a 400."""
MAX_PATH = 1024
"""Characters of a request path; a longer one is a 404."""
MIN_PREFIX = 3
"""Characters the last word needs to be searched as a prefix (``a*`` would match nearly every
row, each then ranked)."""
SEARCH_LIMIT = 20
MAX_LIMIT = 50

JSON = "application/json"
HTML = "text/html; charset=utf-8"
CACHE = "public, max-age=60"
"""Responses may be cached a minute, then revalidated with the ETag (If-None-Match)."""


class Response(NamedTuple):
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class BadQuery(Exception):
    """A query the API refuses with 400; its text is the message."""


def respond(conn: sqlite3.Connection, method: str, path: str, query: str = "") -> Response:
    """The response to ``method path?query`` (``path`` percent-encoded or not: each segment
    is decoded once). Never raises for any input: a database error is a 503."""
    if method not in ("GET", "HEAD"):
        refused = error(405, "method_not_allowed", "the Hub API is read-only: use GET or HEAD")
        return refused._replace(headers=(*refused.headers, ("allow", "GET, HEAD")))
    if len(path) > MAX_PATH or len(query) > MAX_QUERY_STRING:
        too_long = len(path) > MAX_PATH
        return error(404 if too_long else 400, "too_long", "the request is too long")
    try:
        return _route(conn, path, query)
    except BadQuery as exc:
        return error(400, "bad_query", str(exc))
    except UnicodeDecodeError:  # a percent-escape of bytes that are not UTF-8 in the path
        return not_found("no such page")
    except sqlite3.Error:
        return error(503, "unavailable", "the Hub database cannot be read")


def _route(conn: sqlite3.Connection, path: str, query: str) -> Response:
    parts = [unquote(part, errors="strict") for part in path.strip("/").split("/")]
    parts = [] if parts == [""] else parts
    params = _params(query)
    if not parts:
        from hubtool.hub.html import index_page

        _only(params, "q")
        text = params.get("q")
        return html(index_page(conn, text, _search(conn, text, SEARCH_LIMIT) if text else None))
    if parts[0] == "integrations" and len(parts) == 3:
        from hubtool.hub.html import integration_page

        _only(params)
        found = integration_page(conn, parts[1], parts[2])
        return html(found) if found is not None else _unknown(parts[1:])
    if parts[0] != "api" or len(parts) < 2:
        return not_found("no such page")
    handler = _ROUTES.get((parts[1], len(parts) - 2))
    if handler is None:
        return not_found("no such API route; see /api/openapi.json")
    return handler(conn, parts[2:], params)


def _params(query: str) -> dict[str, str]:
    """The query's parameters; BadQuery for a malformed or repeated one, or text that is not
    UTF-8 or holds a control character."""
    if not query:
        return {}
    try:
        pairs = parse_qsl(
            query, keep_blank_values=True, strict_parsing=True, errors="strict", max_num_fields=8
        )
    except (ValueError, UnicodeDecodeError):
        raise BadQuery("the query string is malformed") from None
    out: dict[str, str] = {}
    for name, value in pairs:
        if name in out:
            raise BadQuery(f"the parameter {name[:40]!r} is given twice")
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise BadQuery(f"the parameter {name[:40]!r} holds a control character")
        out[name] = value
    return out


def _only(params: dict[str, str], *allowed: str) -> None:
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        listed = ", ".join(allowed) or "none"
        raise BadQuery(f"unknown parameter {unknown[0][:40]!r} (known: {listed})")


def fts_query(text: str) -> str | None:
    """``text`` as an FTS5 query of quoted strings (each word one, ``"`` doubled; the last a
    prefix when it has ``MIN_PREFIX`` characters), all required; a control character (FTS5
    ends a string at NUL) separates words. None when it holds no word; BadQuery when it is
    too long. FTS5 syntax: sqlite.org/fts5.html section 3."""
    if len(text) > MAX_SEARCH:
        raise BadQuery(f"the search text is longer than {MAX_SEARCH} characters")
    spaced = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)
    words = [w for w in spaced.split() if any(c.isalnum() for c in w)]
    if len(words) > MAX_TERMS:
        raise BadQuery(f"the search text has more than {MAX_TERMS} words")
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    prefix = "*" if len(words[-1]) >= MIN_PREFIX else ""
    return " ".join(quoted) + prefix


def _search(conn: sqlite3.Connection, text: str, limit: int) -> list[queries.Json]:
    match = fts_query(text)
    return queries.search_actions(conn, match, limit) if match else []


def _limit(params: dict[str, str]) -> int:
    value = params.get("limit", str(SEARCH_LIMIT))
    if not (value.isascii() and value.isdigit() and len(value) <= 3):
        raise BadQuery(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    if not 1 <= int(value) <= MAX_LIMIT:
        raise BadQuery(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(value)


def _actions_search(conn: sqlite3.Connection, _: list[str], params: dict[str, str]) -> Response:
    _only(params, "q", "limit")
    text = params.get("q", "")
    if not text.strip():
        raise BadQuery("give the search text as q, e.g. /api/actions/search?q=resolve")
    limit = _limit(params)
    return json(200, {"query": text, "results": _search(conn, text, limit)})


def _integrations(conn: sqlite3.Connection, _: list[str], params: dict[str, str]) -> Response:
    _only(params, "q", "category")
    match = None
    if "q" in params:
        match = fts_query(params["q"])
        if match is None:
            return json(200, {"integrations": []})
    return json(200, queries.integrations(conn, match, params.get("category")))


def _integration(conn: sqlite3.Connection, names: list[str], params: dict[str, str]) -> Response:
    _only(params)
    found = queries.integration(conn, names[0], names[1])
    return json(200, found) if found else _unknown(names)


def _manifest(conn: sqlite3.Connection, names: list[str], params: dict[str, str]) -> Response:
    _only(params)
    found = queries.manifest(conn, names[0], names[1])
    return ok(found, JSON) if found is not None else _unknown(names)


def _resolve(conn: sqlite3.Connection, names: list[str], params: dict[str, str]) -> Response:
    _only(params)
    found = queries.resolve(conn, names[0])
    return json(200, found) if found else not_found(f"no integration has the shortcut {names[0]!r}")


def _shelves(conn: sqlite3.Connection, _: list[str], params: dict[str, str]) -> Response:
    _only(params)
    return json(200, queries.shelves(conn))


def _openapi(conn: sqlite3.Connection, _: list[str], params: dict[str, str]) -> Response:
    from hubtool.hub.openapi import DOCUMENT

    _only(params)
    return json(200, DOCUMENT)


def _unknown(names: list[str]) -> Response:
    return not_found(f"no integration {'/'.join(names)!r} in this Hub")


_ROUTES: dict[tuple[str, int], Callable[..., Response]] = {
    ("integrations", 0): _integrations,
    ("integrations", 2): _integration,
    ("manifests", 2): _manifest,
    ("resolve", 1): _resolve,
    ("shelves", 0): _shelves,
    ("actions", 1): lambda conn, names, params: (
        _actions_search(conn, names, params) if names == ["search"] else not_found("no such route")
    ),
    ("openapi.json", 0): _openapi,
}
"""(the segment after /api/, how many segments follow) -> handler."""


def ok(body: bytes, content_type: str) -> Response:
    """200 with ``body``, its ETag (sha256 of the body) and cache headers."""
    headers = (
        ("content-type", content_type),
        ("etag", f'"{sha256(body)}"'),
        ("cache-control", CACHE),
        ("x-content-type-options", "nosniff"),
    )
    if content_type == HTML:
        headers += (("content-security-policy", _CSP),)
    return Response(200, headers, body)


_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"
"""The page loads nothing (no script, no external asset); its one style sheet is inline."""


def json(status: int, value: object) -> Response:
    body = compact(value)
    if status == 200:
        return ok(body, JSON)
    headers = (
        ("content-type", JSON),
        ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
    )
    return Response(status, headers, body)


def html(text: str) -> Response:
    return ok(text.encode("utf-8"), HTML)


def error(status: int, code: str, message: str) -> Response:
    return json(status, {"error": {"status": status, "code": code, "message": message}})


def not_found(message: str) -> Response:
    return error(404, "not_found", message)


def not_modified(response: Response, if_none_match: str | None) -> bool:
    """Whether ``If-None-Match`` (RFC 9110 section 13.1.2: ``*`` or a list of entity tags,
    weak ones compared weakly) names the ETag of a 200 ``response``."""
    if response.status != 200 or not if_none_match:
        return False
    etag = dict(response.headers).get("etag", "")
    tags = [t.strip().removeprefix("W/") for t in if_none_match[:4096].split(",")]
    return "*" in tags or etag in tags
