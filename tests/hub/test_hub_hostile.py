"""A stranger's input to the Hub: a foreign database file where the Hub's goes, a catalog PR
that renames another manifest's publisher, a manifest's text that reorders the page."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hubkit import SENTRY_REL, build, copy_catalog

from hubtool.hub.api import respond
from hubtool.hub.build import open_readonly

FORMAT_ROW = "CREATE TABLE meta(key, value); INSERT INTO meta VALUES ('format', 'hubtool-hub/1');"
RELEASES = "CREATE TABLE releases(publisher, slug, version, sha256);"
FOREIGN = {
    "a view that never ends": "CREATE VIEW meta(key, value) AS WITH RECURSIVE c(x) AS"
    " (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT 'format', 'hubtool-hub/1' FROM c"
    " WHERE x < 0;" + RELEASES,
    "releases as a view": FORMAT_ROW + "CREATE VIEW releases AS SELECT 1 AS publisher;",
    "a trigger": FORMAT_ROW
    + RELEASES
    + "CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM releases; END;",
    "no releases table": FORMAT_ROW,
    "null releases": FORMAT_ROW + RELEASES + "INSERT INTO releases VALUES (NULL, 1, 2, 3);",
    "mixed types": FORMAT_ROW
    + RELEASES
    + "INSERT INTO releases VALUES (1, 'a', 'b', 'c'), ('x', 'a', 'b', 'c');",
    "a blob": FORMAT_ROW
    + RELEASES
    + "INSERT INTO releases VALUES ('sentry', 'sentry-api', '0.1.0', zeroblob(1000000));",
    "not a sha256": FORMAT_ROW
    + RELEASES
    + "INSERT INTO releases VALUES ('sentry', 'sentry-api', '9.9.9', 'nothex');",
}


@pytest.mark.parametrize("script", FOREIGN.values(), ids=FOREIGN.keys())
def test_a_foreign_database_is_refused_never_read_for_ever(tmp_path: Path, script: str) -> None:
    db = tmp_path / "hub.db"
    conn = sqlite3.connect(db)
    conn.executescript(script)
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = build(db)  # run_cli's own timeout is the hang guard
    assert result.returncode == 2, result.stdout + result.stderr
    assert "not a Hub database" in result.stderr and "internal error" not in result.stderr
    assert db.read_bytes() == before


def test_a_manifest_cannot_rename_another_manifests_publisher(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    github = root / "apps/hub/catalog/integrations/github/github-rest-api.json"
    data = json.loads(github.read_text(encoding="utf-8"))
    data["slug"] = "sentry-other"
    data["publisher"] = {"slug": "sentry", "name": "A Sentry", "websiteUrl": "https://evil.test/"}
    (root / SENTRY_REL).with_name("sentry-other.json").write_text(json.dumps(data, indent=2))
    github.unlink()
    github.with_name("github-rest-api.upstream.yaml").unlink()
    result = build(tmp_path / "hub.db", cwd=root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "sentry" in result.stderr and "publisher" in result.stderr
    assert not (tmp_path / "hub.db").exists()


def test_invisible_and_bidi_characters_are_shown_escaped_in_the_page(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    path = root / SENTRY_REL
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title"] = "Sentry\u202e IPA\u200b"
    data["publisher"]["name"] = "Sentry\u2066"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    db = tmp_path / "hub.db"
    assert build(db, cwd=root).returncode == 0
    conn = open_readonly(db)
    try:
        pages = [
            respond(conn, "GET", "/").body.decode("utf-8"),
            respond(conn, "GET", "/integrations/sentry/sentry-api").body.decode("utf-8"),
        ]
    finally:
        conn.close()
    for page in pages:
        assert not {"\u202e", "\u200b", "\u2066"} & set(page)
        assert "Sentry\\u202e IPA\\u200b" in page
