"""The Hub database's tables (SQLite 3.35+, FTS5), written once per build by ``build``.

Layout after Harbor's HUB_DATABASE_ARCHITECTURE.md (FORMAT.md section 1): publishers,
integrations (with the manifest's canonical bytes and sha256), tags, port templates, action
templates, shelves (one per category), shortcuts, FTS5 indexes of integrations and actions,
and ``releases``: every (publisher, slug, version) ever built with its sha256, carried from
one database to the next so a published version's content stays immutable.
"""

from __future__ import annotations

FORMAT = "hubtool-hub/1"
"""``meta.format``: a database of another layout is refused (read or replaced)."""

PAGE_SIZE = 4096
"""Fixed page size: the same catalog gives the same bytes whatever SQLite's default."""

TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE publishers(
  slug TEXT PRIMARY KEY, name TEXT NOT NULL, website_url TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE integrations(
  id INTEGER PRIMARY KEY,
  publisher TEXT NOT NULL REFERENCES publishers(slug),
  slug TEXT NOT NULL,
  title TEXT NOT NULL, summary TEXT NOT NULL, description TEXT NOT NULL,
  version TEXT NOT NULL, category TEXT NOT NULL, required_plan TEXT NOT NULL,
  harbor_node TEXT NOT NULL, notes TEXT NOT NULL,
  manifest BLOB NOT NULL, sha256 TEXT NOT NULL,
  UNIQUE(publisher, slug)
);
CREATE TABLE tags(
  integration_id INTEGER NOT NULL REFERENCES integrations(id), position INTEGER NOT NULL,
  tag TEXT NOT NULL, PRIMARY KEY(integration_id, position)
) WITHOUT ROWID;
CREATE TABLE port_templates(
  integration_id INTEGER NOT NULL REFERENCES integrations(id), position INTEGER NOT NULL,
  kind TEXT NOT NULL, label TEXT NOT NULL, description TEXT NOT NULL, base_url TEXT NOT NULL,
  auth_mode TEXT NOT NULL, auth_header_name TEXT, auth_token_prefix TEXT,
  PRIMARY KEY(integration_id, position)
) WITHOUT ROWID;
CREATE TABLE action_templates(
  id INTEGER PRIMARY KEY,
  integration_id INTEGER NOT NULL REFERENCES integrations(id), position INTEGER NOT NULL,
  slug TEXT NOT NULL, label TEXT NOT NULL, description TEXT NOT NULL,
  method TEXT NOT NULL, path TEXT NOT NULL, approval_mode TEXT NOT NULL,
  request_body_mode TEXT NOT NULL, result_mode TEXT NOT NULL, inputs TEXT NOT NULL,
  UNIQUE(integration_id, position)
);
CREATE TABLE shelves(
  category TEXT NOT NULL, integration_id INTEGER NOT NULL REFERENCES integrations(id),
  PRIMARY KEY(category, integration_id)
) WITHOUT ROWID;
CREATE TABLE shortcuts(
  shortcut TEXT PRIMARY KEY, integration_id INTEGER NOT NULL REFERENCES integrations(id)
) WITHOUT ROWID;
CREATE TABLE releases(
  publisher TEXT NOT NULL, slug TEXT NOT NULL, version TEXT NOT NULL, sha256 TEXT NOT NULL,
  PRIMARY KEY(publisher, slug, version)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE integration_search USING fts5(
  publisher, slug, title, summary, tags, category, description,
  tokenize = 'porter unicode61'
);
CREATE VIRTUAL TABLE action_search USING fts5(
  slug, label, integration, description,
  tokenize = 'porter unicode61'
);
"""
"""``integration_search`` rowid = ``integrations.id``; ``action_search`` rowid =
``action_templates.id``. The porter stemmer finds ``resolve-issue`` for "resolving"."""

INTEGRATION_WEIGHTS = (4.0, 8.0, 6.0, 2.0, 3.0, 1.0, 1.0)
"""bm25 column weights of ``integration_search`` (a slug or title match ranks first)."""
ACTION_WEIGHTS = (8.0, 6.0, 2.0, 1.0)
"""bm25 column weights of ``action_search``."""
