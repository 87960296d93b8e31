"""Reads of the Hub database, as the API's JSON values (README "The Hub" lists each shape).

Every function takes a read-only connection and returns plain dicts and lists in a fixed
order (integrations by publisher then slug, actions in manifest order, search by rank then
id), so a response's bytes depend only on the database.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from hubtool.hub.rows import inputs_summary
from hubtool.hub.schema import ACTION_WEIGHTS, INTEGRATION_WEIGHTS

Json = dict[str, Any]
GATED = "require_approval"

_SUMMARY = (
    "SELECT i.id, i.publisher, p.name, i.slug, i.title, i.summary, i.version, i.category,"
    " i.sha256, (SELECT count(*) FROM action_templates a WHERE a.integration_id = i.id)"
    " FROM integrations i JOIN publishers p ON p.slug = i.publisher"
)


def links(publisher: str, slug: str) -> Json:
    return {
        "integration": f"/api/integrations/{publisher}/{slug}",
        "manifest": f"/api/manifests/{publisher}/{slug}",
    }


def _tags(conn: sqlite3.Connection, key: int) -> list[str]:
    found = conn.execute(
        "SELECT tag FROM tags WHERE integration_id = ? ORDER BY position", (key,)
    ).fetchall()
    return [tag for (tag,) in found]


def _summary(conn: sqlite3.Connection, row: tuple[Any, ...]) -> Json:
    key, publisher, name, slug, title, summary, version, category, digest, count = row
    return {
        "publisher": {"slug": publisher, "name": name},
        "slug": slug,
        "title": title,
        "summary": summary,
        "version": version,
        "category": category,
        "tags": _tags(conn, key),
        "actionCount": count,
        "sha256": digest,
        "links": links(publisher, slug),
    }


def integrations(conn: sqlite3.Connection, match: str | None, category: str | None) -> Json:
    """``GET /api/integrations``: every integration by publisher then slug (or those ``match``
    finds, best first), or those of one ``category``."""
    sql, args = _SUMMARY, []
    order = " ORDER BY i.publisher, i.slug"
    if match is not None:
        weights = ", ".join(map(str, INTEGRATION_WEIGHTS))
        sql += " JOIN integration_search f ON f.rowid = i.id WHERE integration_search MATCH ?"
        order = f" ORDER BY bm25(integration_search, {weights}), i.publisher, i.slug"
        args.append(match)
    if category is not None:
        sql += (" AND" if args else " WHERE") + " i.category = ?"
        args.append(category)
    found = conn.execute(sql + order, args).fetchall()
    return {"integrations": [_summary(conn, row) for row in found]}


def _key(conn: sqlite3.Connection, publisher: str, slug: str) -> int | None:
    found = conn.execute(
        "SELECT id FROM integrations WHERE publisher = ? AND slug = ?", (publisher, slug)
    ).fetchone()
    return found[0] if found else None


def integration(conn: sqlite3.Connection, publisher: str, slug: str) -> Json | None:
    """``GET /api/integrations/:publisher/:slug``; None when unknown."""
    key = _key(conn, publisher, slug)
    if key is None:
        return None
    row = conn.execute(_SUMMARY + " WHERE i.id = ?", (key,)).fetchone()
    out = _summary(conn, row)
    extra = conn.execute(
        "SELECT i.description, i.required_plan, i.harbor_node, i.notes, p.website_url"
        " FROM integrations i JOIN publishers p ON p.slug = i.publisher WHERE i.id = ?",
        (key,),
    ).fetchone()
    out["publisher"]["websiteUrl"] = extra[4]
    out |= {
        "description": extra[0],
        "requiredPlan": extra[1],
        "compatibility": {"harborNode": extra[2], "notes": extra[3]},
        "portTemplates": _ports(conn, key),
        "actions": actions(conn, key),
    }
    return {"integration": out}


def _ports(conn: sqlite3.Connection, key: int) -> list[Json]:
    found = conn.execute(
        "SELECT kind, label, description, base_url, auth_mode, auth_header_name,"
        " auth_token_prefix FROM port_templates WHERE integration_id = ? ORDER BY position",
        (key,),
    ).fetchall()
    names = ("kind", "label", "description", "baseUrl", "authMode", "authHeaderName")
    return [dict(zip((*names, "authTokenPrefix"), row, strict=True)) for row in found]


_ACTION = (
    "SELECT a.slug, a.label, a.description, a.method, a.path, a.approval_mode,"
    " a.request_body_mode, a.result_mode, a.inputs FROM action_templates a"
)


def _action(row: tuple[Any, ...]) -> Json:
    slug, label, description, method, path, approval, body_mode, result_mode, inputs = row
    return {
        "slug": slug,
        "label": label,
        "description": description,
        "method": method,
        "path": path,
        "approvalMode": approval,
        "approvalGated": approval == GATED,
        "requestBodyMode": body_mode,
        "resultMode": result_mode,
        "inputs": inputs_summary(inputs),
    }


def actions(conn: sqlite3.Connection, key: int) -> list[Json]:
    """One integration's action templates, in manifest order."""
    found = conn.execute(
        _ACTION + " WHERE a.integration_id = ? ORDER BY a.position", (key,)
    ).fetchall()
    return [_action(row) for row in found]


def manifest(conn: sqlite3.Connection, publisher: str, slug: str) -> bytes | None:
    """``GET /api/manifests/:publisher/:slug``: the canonical bytes; None when unknown."""
    found = conn.execute(
        "SELECT manifest FROM integrations WHERE publisher = ? AND slug = ?", (publisher, slug)
    ).fetchone()
    return bytes(found[0]) if found else None


def resolve(conn: sqlite3.Connection, shortcut: str) -> Json | None:
    """``GET /api/resolve/:shortcut``; None when no integration has that shortcut."""
    found = conn.execute(
        "SELECT i.publisher, i.slug, i.version, i.sha256 FROM shortcuts s"
        " JOIN integrations i ON i.id = s.integration_id WHERE s.shortcut = ?",
        (shortcut,),
    ).fetchone()
    if found is None:
        return None
    publisher, slug, version, digest = found
    return {
        "shortcut": shortcut,
        "publisher": publisher,
        "slug": slug,
        "version": version,
        "sha256": digest,
        "links": links(publisher, slug),
    }


def shelves(conn: sqlite3.Connection) -> Json:
    """``GET /api/shelves``: one shelf per category (by name), its integrations by title."""
    found = conn.execute(
        "SELECT s.category, i.publisher, i.slug, i.title FROM shelves s"
        " JOIN integrations i ON i.id = s.integration_id"
        " ORDER BY s.category, i.title, i.publisher, i.slug"
    ).fetchall()
    out: list[Json] = []
    for category, publisher, slug, title in found:
        if not out or out[-1]["category"] != category:
            out.append({"category": category, "integrations": []})
        out[-1]["integrations"].append(
            {"publisher": publisher, "slug": slug, "title": title, "links": links(publisher, slug)}
        )
    return {"shelves": out}


def search_actions(conn: sqlite3.Connection, match: str, limit: int) -> list[Json]:
    """Action templates ``match`` (an FTS5 expression built by ``api``) finds, best first."""
    weights = ", ".join(map(str, ACTION_WEIGHTS))
    found = conn.execute(  # ranked inside FTS5 first: the joins see only the rows returned
        "SELECT i.publisher, i.slug, i.title, a.slug, a.label, a.method, a.path,"
        " a.approval_mode FROM (SELECT rowid AS id, bm25(action_search, "
        f"{weights}) AS score FROM action_search WHERE action_search MATCH ?"
        " ORDER BY score, rowid LIMIT ?) s"
        " JOIN action_templates a ON a.id = s.id JOIN integrations i ON i.id = a.integration_id"
        " ORDER BY s.score, s.id",
        (match, limit),
    ).fetchall()
    return [
        {
            "integration": {"publisher": p, "slug": s, "title": t, "links": links(p, s)},
            "action": slug,
            "label": label,
            "method": method,
            "path": path,
            "approvalMode": approval,
            "approvalGated": approval == GATED,
        }
        for p, s, t, slug, label, method, path, approval in found
    ]


def gated_counts(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """(publisher, slug) -> how many of its actions need approval (the page's index)."""
    found = conn.execute(
        "SELECT i.publisher, i.slug, count(*) FROM action_templates a"
        " JOIN integrations i ON i.id = a.integration_id WHERE a.approval_mode = ?"
        " GROUP BY i.id",
        (GATED,),
    ).fetchall()
    return {(p, s): n for p, s, n in found}
