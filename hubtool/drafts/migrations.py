"""The draft store's schema: versioned SQL migrations, applied in order.

``MIGRATIONS[n]`` takes a store from schema version ``n`` to ``n + 1``; SQLite's
``PRAGMA user_version`` holds the version a store file has reached (0: new or not hubtool's).
Statements are separated by ``;`` (none holds one in a literal). No table has a column for a
credential.
"""

from __future__ import annotations

import sqlite3

STATES = (
    "draft",
    "validated",
    "tested",
    "publish_requested",
    "published",
    "rejected",
    "superseded",
)
"""Every state a draft can be in, as the ``drafts.state`` CHECK constraint lists them."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE ports (
        id TEXT PRIMARY KEY,
        publisher_slug TEXT NOT NULL,
        manifest_slug TEXT NOT NULL,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        description TEXT NOT NULL,
        base_url TEXT NOT NULL,
        auth_mode TEXT NOT NULL,
        auth_header_name TEXT NOT NULL,
        auth_token_prefix TEXT NOT NULL,
        needs_local_auth INTEGER NOT NULL DEFAULT 1,
        manifest_version TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (publisher_slug, manifest_slug)
    );
    CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        port_id TEXT NOT NULL REFERENCES ports (id),
        slug TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('draft', 'validated', 'tested',
            'publish_requested', 'published', 'rejected', 'superseded')),
        template TEXT NOT NULL,
        template_sha256 TEXT NOT NULL,
        input_schema TEXT NOT NULL,
        approval_mode TEXT NOT NULL,
        request_body_mode TEXT NOT NULL,
        result_mode TEXT NOT NULL,
        manifest_slug TEXT NOT NULL,
        manifest_version TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        source_path TEXT NOT NULL,
        supersedes TEXT REFERENCES drafts (id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX drafts_one_current ON drafts (port_id, slug)
        WHERE state != 'superseded';
    CREATE TABLE transitions (
        id INTEGER PRIMARY KEY,
        draft_id TEXT NOT NULL REFERENCES drafts (id),
        from_state TEXT,
        to_state TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
    );
    CREATE INDEX transitions_by_draft ON transitions (draft_id, id);
    """,
    # 2: a published draft stays live while its replacement is reviewed, so one slug may have
    # one published draft and one open draft at the same time.
    """
    DROP INDEX drafts_one_current;
    CREATE UNIQUE INDEX drafts_one_open ON drafts (port_id, slug)
        WHERE state NOT IN ('superseded', 'published');
    CREATE UNIQUE INDEX drafts_one_published ON drafts (port_id, slug)
        WHERE state = 'published';
    """,
)


def empty_store() -> sqlite3.Connection:
    """An empty store of the newest schema, in memory: what a reader sees where none exists."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    for version, script in enumerate(MIGRATIONS, 1):
        db.executescript(script)
        db.execute(f"PRAGMA user_version = {version}")
    return db
