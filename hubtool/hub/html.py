"""The Hub's catalog browser: one server-rendered page, no script and no external asset
(works with JavaScript off; the server's CSP forbids loading anything). Shelves, every
integration with its actions (method, path, approval mode; a write that needs approval is
marked "approval-gated"), an action search form (GET ``/?q=``) and a link to each manifest.

Every value from the database is a stranger's text: each passes ``text`` (HTML-escaped,
control characters replaced) and links are built from slugs percent-encoded.
"""

from __future__ import annotations

import html
import re
import sqlite3
from typing import Any
from urllib.parse import quote

from hubtool.hub import queries

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem;color:#1b1b1b}
h1{margin:.2rem 0}nav ul{padding-left:1.2rem}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
code{font-size:.9em}.gated{background:#fde7c8;color:#6b3a00;font-weight:bold;padding:0 .3rem}
.auto{color:#285e28}section{margin:1.5rem 0}.meta{color:#555}
"""


def text(value: Any) -> str:
    """``value`` as HTML text or attribute content: escaped, control characters shown as
    U+FFFD."""
    return html.escape(_CONTROL.sub("\ufffd", str(value)), quote=True)


def href(path: str) -> str:
    """A relative link to ``path`` (an API path), each segment percent-encoded."""
    return text(quote(path.lstrip("/"), safe="/"))


def page(conn: sqlite3.Connection, search: str | None, found: list[queries.Json] | None) -> str:
    """The whole page; ``found``: the action search's results for ``search``, if any."""
    index = queries.integrations(conn, None, None)["integrations"]
    parts = [_head(), _form(search)]
    if search is not None and found is not None:
        parts.append(_results(search, found))
    parts.append(_shelves(queries.shelves(conn)["shelves"]))
    for item in index:
        detail = queries.integration(conn, item["publisher"]["slug"], item["slug"])
        if detail is not None:
            parts.append(_integration(detail["integration"]))
    parts.append("</main></body></html>\n")
    return "".join(parts)


def _head() -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Harbor Hub catalog</title><style>{_STYLE}</style></head><body><main>"
        "<h1>Harbor Hub catalog</h1>"
        '<p class="meta">Dock integrations built by hubtool. API: <a href="api/openapi.json">'
        'OpenAPI description</a>, <a href="api/integrations">index</a>.</p>'
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


def _results(search: str, found: list[queries.Json]) -> str:
    rows = "".join(
        f'<tr data-action="{text(r["action"])}"><td><a href="#{_anchor(r["integration"])}">'
        f"{text(r['integration']['title'])}</a></td><td><code>{text(r['action'])}</code></td>"
        f"<td>{text(r['method'])}</td><td><code>{text(r['path'])}</code></td>"
        f"<td>{_approval(r['approvalMode'], r['approvalGated'])}</td></tr>"
        for r in found
    )
    empty = "" if found else "<p>No action matches.</p>"
    return (
        f'<section id="results"><h2>Actions matching “{text(search)}”</h2>{empty}'
        + (f"<table>{_header()}{rows}</table>" if found else "")
        + "</section>"
    )


def _header(first: str = "Integration") -> str:
    return f"<tr><th>{first}</th><th>Action</th><th>Method</th><th>Path</th><th>Approval</th></tr>"


def _anchor(item: dict[str, Any]) -> str:
    return text(f"{item['publisher']}--{item['slug']}")


def _shelves(shelves: list[queries.Json]) -> str:
    out = ['<section id="shelves"><h2>Shelves</h2>']
    for shelf in shelves:
        links = ", ".join(
            f'<a href="#{_anchor(i)}">{text(i["title"])}</a>' for i in shelf["integrations"]
        )
        out.append(f'<p class="shelf"><strong>{text(shelf["category"])}</strong>: {links}</p>')
    return "".join(out) + "</section>"


def _integration(item: queries.Json) -> str:
    publisher, slug = item["publisher"]["slug"], item["slug"]
    anchor = _anchor({"publisher": publisher, "slug": slug})
    rows = "".join(
        f'<tr data-action="{text(a["slug"])}" data-approval="{text(a["approvalMode"])}">'
        f"<td>{text(a['label'])}</td><td><code>{text(a['slug'])}</code></td>"
        f"<td>{text(a['method'])}</td><td><code>{text(a['path'])}</code></td>"
        f"<td>{_approval(a['approvalMode'], a['approvalGated'])}</td></tr>"
        for a in item["actions"]
    )
    return (
        f'<section id="{anchor}" data-integration="{text(publisher)}/{text(slug)}">'
        f"<h2>{text(item['title'])}</h2>"
        f'<p class="meta">{text(item["publisher"]["name"])} · <code>{text(publisher)}/'
        f"{text(slug)}</code> · version {text(item['version'])} · {text(item['category'])}</p>"
        f"<p>{text(item['summary'])}</p>"
        f'<p><a href="{href(item["links"]["manifest"])}">Manifest</a> (sha256 '
        f'<code>{text(item["sha256"])}</code>) · <a href="{href(item["links"]["integration"])}">'
        f"Details (JSON)</a></p><table>{_header('Label')}{rows}</table></section>"
    )
