"""The Hub's catalog browser: server-rendered pages, no script and no external asset (they
read the same with JavaScript off; the server's CSP forbids loading anything).

``/``: the action search form (GET ``/?q=``) and its results, the shelves, and every
integration with its action count and how many are approval-gated; ``/integrations/P/S``:
one integration, its actions (label, slug, method, path, approval mode; a write that needs
approval is marked "approval-gated") and a link to its manifest. Links are relative, so the
static export (``integrations/P/S.html``) works under any prefix.

Every value from the database is a stranger's text: each passes ``text`` (HTML-escaped,
control characters replaced) and links are built from slugs percent-encoded.
"""

from __future__ import annotations

import html
import re
import sqlite3
from typing import Any
from urllib.parse import quote

from hubtool.core.escape import visible
from hubtool.hub import queries

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem;color:#1b1b1b}
h1{margin:.2rem 0}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
code{font-size:.9em}.gated{background:#fde7c8;color:#6b3a00;font-weight:bold;padding:0 .3rem}
.auto{color:#285e28}section{margin:1.5rem 0}.meta{color:#555}
"""
_UP = "../../"
"""From ``/integrations/P/S`` back to the root."""


def text(value: Any) -> str:
    """``value`` as HTML text or attribute content: escaped, control characters shown as
    U+FFFD, and invisible ones (bidi overrides and isolates, zero-width: they reorder or hide
    the text around them, e.g. another integration's title on a shelf) shown as escapes
    (``\\u202e``, as ``escape.visible`` writes them)."""
    return html.escape(visible(_CONTROL.sub("\ufffd", str(value))), quote=True)


def href(path: str, up: str = "") -> str:
    """A relative link to the site path ``path`` from a page ``up`` levels below the root,
    each segment percent-encoded."""
    return text(up + quote(path.lstrip("/"), safe="/"))


def page_path(publisher: str, slug: str) -> str:
    """The site path of an integration's page."""
    return f"/integrations/{publisher}/{slug}"


def index_page(
    conn: sqlite3.Connection, search: str | None, found: list[queries.Json] | None
) -> str:
    """``/``; ``found``: the action search's results for ``search``, if any."""
    parts = [_head("Harbor Hub catalog", ""), _form(search)]
    if search is not None and found is not None:
        parts.append(_results(search, found))
    parts.append(_shelves(queries.shelves(conn)["shelves"]))
    parts.append(_catalog(queries.integrations(conn, None, None)["integrations"], conn))
    return "".join(parts) + "</main></body></html>\n"


def integration_page(conn: sqlite3.Connection, publisher: str, slug: str) -> str | None:
    """``/integrations/P/S``; None when there is no such integration."""
    found = queries.integration(conn, publisher, slug)
    if found is None:
        return None
    item = found["integration"]
    head = _head(f"{item['title']} · Harbor Hub", _UP)
    back = f'<p><a href="{href("/", _UP)}">All integrations</a></p>'
    return head + back + _integration(item) + "</main></body></html>\n"


def _head(title: str, up: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)}</title><style>{_STYLE}</style></head><body><main>"
        "<h1>Harbor Hub catalog</h1>"
        f'<p class="meta">Dock integrations built by hubtool. API: <a href="{up}api/openapi.json">'
        f'OpenAPI description</a>, <a href="{up}api/integrations">index</a>.</p>'
    )


def _form(search: str | None) -> str:
    value = f' value="{text(search)}"' if search else ""
    return (
        '<form method="get" action="" role="search"><label for="q">Search actions</label> '
        f'<input id="q" name="q" type="search" maxlength="200"{value}> '
        '<button type="submit">Search</button></form>'
    )


def _approval(mode: str, gated: bool) -> str:
    if gated:
        return (
            f'<span class="gated" data-gated="true">approval-gated</span> <code>{text(mode)}</code>'
        )
    return f'<span class="auto">{text(mode)}</span>'


def _link(item: dict[str, Any], title: str, up: str = "") -> str:
    return f'<a href="{href(page_path(item["publisher"], item["slug"]), up)}">{text(title)}</a>'


def _header(first: str) -> str:
    return f"<tr><th>{first}</th><th>Action</th><th>Method</th><th>Path</th><th>Approval</th></tr>"


def _results(search: str, found: list[queries.Json]) -> str:
    rows = "".join(
        f'<tr data-action="{text(r["action"])}" data-approval="{text(r["approvalMode"])}">'
        f"<td>{_link(r['integration'], r['integration']['title'])}</td>"
        f"<td><code>{text(r['action'])}</code></td><td>{text(r['method'])}</td>"
        f"<td><code>{text(r['path'])}</code></td>"
        f"<td>{_approval(r['approvalMode'], r['approvalGated'])}</td></tr>"
        for r in found
    )
    table = (
        f"<table>{_header('Integration')}{rows}</table>" if found else "<p>No action matches.</p>"
    )
    return f'<section id="results"><h2>Actions matching “{text(search)}”</h2>{table}</section>'


def _shelves(shelves: list[queries.Json]) -> str:
    out = ['<section id="shelves"><h2>Shelves</h2>']
    for shelf in shelves:
        links = ", ".join(_link(i, i["title"]) for i in shelf["integrations"])
        out.append(f'<p class="shelf"><strong>{text(shelf["category"])}</strong>: {links}</p>')
    return "".join(out) + "</section>"


def _catalog(index: list[queries.Json], conn: sqlite3.Connection) -> str:
    gated = queries.gated_counts(conn)
    rows = "".join(
        f'<tr data-integration="{text(i["publisher"]["slug"])}/{text(i["slug"])}">'
        f"<td>{_link({'publisher': i['publisher']['slug'], 'slug': i['slug']}, i['title'])}</td>"
        f"<td>{text(i['publisher']['name'])}</td><td>{text(i['version'])}</td>"
        f"<td>{text(i['category'])}</td><td>{i['actionCount']}</td>"
        f"<td>{gated.get((i['publisher']['slug'], i['slug']), 0)}</td></tr>"
        for i in index
    )
    return (
        '<section id="integrations"><h2>Integrations</h2><table><tr><th>Integration</th>'
        "<th>Publisher</th><th>Version</th><th>Category</th><th>Actions</th>"
        f"<th>Approval-gated</th></tr>{rows}</table></section>"
    )


def _integration(item: queries.Json) -> str:
    publisher, slug = item["publisher"]["slug"], item["slug"]
    rows = "".join(
        f'<tr data-action="{text(a["slug"])}" data-approval="{text(a["approvalMode"])}">'
        f"<td>{text(a['label'])}</td><td><code>{text(a['slug'])}</code></td>"
        f"<td>{text(a['method'])}</td><td><code>{text(a['path'])}</code></td>"
        f"<td>{_approval(a['approvalMode'], a['approvalGated'])}</td></tr>"
        for a in item["actions"]
    )
    return (
        f'<section data-integration="{text(publisher)}/{text(slug)}">'
        f"<h2>{text(item['title'])}</h2>"
        f'<p class="meta">{text(item["publisher"]["name"])} · <code>{text(publisher)}/'
        f"{text(slug)}</code> · version {text(item['version'])} · {text(item['category'])}</p>"
        f"<p>{text(item['summary'])}</p><p>{text(item['description'])}</p>"
        f'<p><a href="{href(item["links"]["manifest"], _UP)}">Manifest</a> (sha256 '
        f"<code>{text(item['sha256'])}</code>) · "
        f'<a href="{href(item["links"]["integration"], _UP)}">Details (JSON)</a></p>'
        f"<table>{_header('Label')}{rows}</table></section>"
    )
