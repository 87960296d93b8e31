"""`hubtool hub build`: the database's content, determinism, immutability, refusals."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from hubkit import SENTRY_REL, build, copy_catalog, env

from hubtool.hub import build as hub_build
from hubtool.hub.encode import compact, sha256
from hubtool.hub.location import DEFAULT, database_path
from hubtool.hub.rows import entry


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_build_writes_every_table(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    result = build(db)
    assert result.returncode == 0, result.stderr
    assert "9 integrations" in result.stdout
    sentry = json.loads((REPO / SENTRY_REL).read_text(encoding="utf-8"))
    manifest, digest, version = rows(
        db, "SELECT manifest, sha256, version FROM integrations WHERE slug = 'sentry-api'"
    )[0]
    assert manifest == compact(sentry) and digest == sha256(manifest) and version == "0.1.0"
    assert rows(db, "SELECT name FROM publishers WHERE slug = 'sentry'") == [("Sentry",)]
    tags = rows(
        db,
        "SELECT tag FROM tags JOIN integrations i ON i.id = integration_id"
        " WHERE i.slug = 'sentry-api' ORDER BY position",
    )
    assert [t for (t,) in tags] == sentry["tags"]
    actions = rows(
        db,
        "SELECT slug, method, path, approval_mode, request_body_mode"
        " FROM action_templates ORDER BY id",
    )
    assert len(actions) == sum(
        len(json.loads(p.read_text())["actionTemplates"])
        for p in (REPO / "apps/hub/catalog/integrations").glob("*/*.json")
        if not p.name.endswith(".upstream.json")
    )
    resolve = [a for a in actions if a[0] == "resolve-issue"]
    assert resolve and resolve[0][1] == "PUT" and resolve[0][3] == "require_approval"
    assert ("Observability",) in rows(db, "SELECT category FROM shelves")
    assert rows(db, "SELECT count(*) FROM port_templates") == [(9,)]
    shortcuts = dict(rows(db, "SELECT shortcut, integration_id FROM shortcuts"))
    assert shortcuts["sentry"] == shortcuts["sentry-api"]
    found = rows(db, "SELECT slug FROM action_search WHERE action_search MATCH 'resolve'")
    assert ("resolve-issue",) in found
    assert rows(db, "SELECT slug FROM integration_search WHERE integration_search MATCH 'sentry'")
    assert rows(db, "PRAGMA page_size") == [(4096,)]


def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    assert build(first).returncode == 0
    assert build(second).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    assert build(first).returncode == 0  # over itself: the releases carried are the same
    assert first.read_bytes() == second.read_bytes()


def test_default_path_and_hub_database_url(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    result = run_cli("hub", "build", cwd=root, env=env())
    assert result.returncode == 0, result.stderr
    assert (root / DEFAULT).is_file()
    target = tmp_path / "elsewhere" / "hub.db"
    result = run_cli("hub", "build", cwd=root, env=env(HUB_DATABASE_URL=f"sqlite:///{target}"))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == (root / DEFAULT).read_bytes()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", DEFAULT),
        ("data/x.db", Path("data/x.db")),
        ("file:/srv/hub.db", Path("/srv/hub.db")),
        ("sqlite:///rel/hub.db", Path("rel/hub.db")),
        ("sqlite:////abs/hub.db", Path("/abs/hub.db")),
        ("sqlite:///a%20b.db?mode=rw", Path("a b.db")),
    ],
)
def test_database_url_forms(url: str, expected: Path) -> None:
    assert database_path(None, {"HUB_DATABASE_URL": url}) == expected
    assert database_path(Path("given.db"), {"HUB_DATABASE_URL": url}) == Path("given.db")


def test_a_database_url_of_another_kind_is_refused(tmp_path: Path) -> None:
    result = run_cli("hub", "build", env=env(HUB_DATABASE_URL="postgres://h/db"), cwd=REPO)
    assert result.returncode == 2 and "HUB_DATABASE_URL" in result.stderr


def _edit(root: Path, change) -> None:
    path = root / SENTRY_REL
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def test_a_released_version_is_immutable(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    db = tmp_path / "hub.db"
    assert build(db, cwd=root).returncode == 0
    before = db.read_bytes()
    _edit(root, lambda d: d.update(summary=d["summary"] + " Changed."))
    result = build(db, cwd=root)
    assert result.returncode == 1
    assert "sentry/sentry-api 0.1.0" in result.stderr and "version" in result.stderr
    assert db.read_bytes() == before
    _edit(root, lambda d: d.update(version="0.1.1"))
    assert build(db, cwd=root).returncode == 0
    assert rows(db, "SELECT version FROM integrations WHERE slug = 'sentry-api'") == [("0.1.1",)]
    # 0.1.0 stays released with its first content: going back to it changed is refused too
    _edit(root, lambda d: d.update(version="0.1.0"))
    result = build(db, cwd=root)
    assert result.returncode == 1 and "sentry/sentry-api 0.1.0" in result.stderr


def test_reformatting_a_manifest_is_no_change(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    db = tmp_path / "hub.db"
    assert build(db, cwd=root).returncode == 0
    before = db.read_bytes()
    _edit(root, lambda d: None)  # indent 2 again, but every byte of whitespace rewritten
    path = root / SENTRY_REL
    path.write_text(json.dumps(json.loads(path.read_text()), indent=7), encoding="utf-8")
    assert build(db, cwd=root).returncode == 0
    assert db.read_bytes() == before


def test_a_catalog_with_errors_is_not_built(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    db = tmp_path / "hub.db"
    assert build(db, cwd=root).returncode == 0
    before = db.read_bytes()
    _edit(root, lambda d: d["actionTemplates"][2].update(approvalMode="automatic"))
    result = build(db, cwd=root)
    assert result.returncode == 1
    assert "write-requires-approval" in result.stdout
    assert "sentry-api.json" in result.stderr and "not built" in result.stderr
    assert db.read_bytes() == before


def test_a_foreign_file_is_not_replaced(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    db.write_bytes(b"not a database at all" * 100)
    result = build(db)
    assert result.returncode == 2 and "not a Hub database" in result.stderr
    assert db.read_bytes() == b"not a database at all" * 100


def test_conflicts_names_each_changed_release() -> None:
    one = entry({"slug": "a", "version": "1.0.0", "publisher": {"slug": "p"}})
    two = entry({"slug": "b", "version": "1.0.0", "publisher": {"slug": "p"}})
    old = {("p", "a", "1.0.0"): one.sha256, ("p", "b", "1.0.0"): "0" * 64}
    assert hub_build.conflicts([one, two], old) == ["p/b 1.0.0"]
    assert hub_build.conflicts([one, two], {}) == []


def test_a_failed_write_leaves_the_old_database_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "hub.db"
    assert build(db).returncode == 0
    before = db.read_bytes()
    items = [entry({"slug": "a", "version": "1.0.0", "publisher": {"slug": "p"}})]

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(hub_build.os, "replace", fail)
    with pytest.raises(OSError):
        hub_build.build(items, db, {})
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub.db"]


def test_shortcuts_never_name_two_integrations() -> None:
    from hubtool.hub.rows import shortcuts

    def item(publisher: str, slug: str):
        return entry({"slug": slug, "version": "1.0.0", "publisher": {"slug": publisher}})

    items = [item("acme", "acme-api"), item("acme", "acme-extra"), item("solo", "acme")]
    assert shortcuts(items) == [("acme", 3), ("acme-api", 1), ("acme-extra", 2), ("solo", 3)]
    clash = [item("one", "two"), item("two", "x")]  # "two": a slug and a lone publisher
    assert shortcuts(clash) == [("one", 1), ("x", 2)]


def test_the_order_manifests_come_in_changes_no_byte(tmp_path: Path) -> None:
    """The build sorts what discovery gives it: any order of the same manifests, one file."""
    import random

    paths = sorted((REPO / "apps/hub/catalog/integrations").glob("*/*.json"))
    items = [entry(json.loads(p.read_text(encoding="utf-8"))) for p in paths]
    hub_build.build(items, tmp_path / "sorted.db", {})
    expected = (tmp_path / "sorted.db").read_bytes()
    rng = random.Random(15)
    for turn in range(3):
        shuffled = rng.sample(items, len(items))
        hub_build.build(shuffled, tmp_path / f"{turn}.db", {})
        assert (tmp_path / f"{turn}.db").read_bytes() == expected
    built_by_cli = tmp_path / "cli.db"
    assert build(built_by_cli).returncode == 0
    assert built_by_cli.read_bytes() == expected
