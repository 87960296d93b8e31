"""`hubtool import`: port shell + drafts in a real SQLite store, plans, idempotency, crash safety.

Every subprocess gets HUBTOOL_STORE (and XDG_DATA_HOME) pointing into tmp_path, so the
user's default store is never touched.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import select
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SENTRY, run_cli, store_env

from hubtool.core.inputs import input_schema
from hubtool.core.secrets import find_secret
from hubtool.core.secrets.names import names_credential

SENTRY_REL = "apps/hub/catalog/integrations/sentry/sentry-api.json"
SLUGS = {"list-projects", "list-issues", "resolve-issue"}
ACTOR = "import-tester"


# --- helpers -------------------------------------------------------------------------------


def hub(store: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, env=store_env(store, ACTOR))


def query(store: Path, sql: str, *args: Any) -> list[dict[str, Any]]:
    db = sqlite3.connect(store)
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute(sql, args)]
    finally:
        db.close()


def counts(store: Path) -> dict[str, int]:
    return {
        table: query(store, f"SELECT count(*) AS n FROM {table}")[0]["n"]
        for table in ("ports", "drafts", "transitions")
    }


def current(store: Path) -> dict[str, dict[str, Any]]:
    """The non-superseded drafts by action slug."""
    rows = query(store, "SELECT * FROM drafts WHERE state != 'superseded'")
    by_slug = {row["slug"]: row for row in rows}
    assert len(by_slug) == len(rows), "two current drafts for one action"
    return by_slug


def canonical_sha256(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def action(data: dict[str, Any], slug: str) -> dict[str, Any]:
    return next(a for a in data["actionTemplates"] if a["slug"] == slug)


def sentry_v2(data: dict[str, Any]) -> dict[str, Any]:
    """1.0.0: resolve-issue's status enum narrowed, list-projects removed, list-issues as is."""
    new = copy.deepcopy(data)
    new["version"] = "1.0.0"
    new["actionTemplates"] = [a for a in new["actionTemplates"] if a["slug"] != "list-projects"]
    status = action(new, "resolve-issue")["inputs"]["body"]["properties"]["status"]
    status["enum"] = ["resolved"]
    return new


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "state" / "store.sqlite3"


@pytest.fixture
def imported(store: Path) -> Path:
    """A store holding the catalog's Sentry manifest 0.1.0."""
    result = hub(store, "import", "sentry")
    assert result.returncode == 0, result.stderr
    return store


@pytest.fixture
def v2_path(tmp_path: Path, sentry_data: dict) -> Path:
    return write(tmp_path / "v2" / "sentry-api.json", sentry_v2(sentry_data))


# --- import: what lands in the store -------------------------------------------------------


def test_import_creates_port_shell_and_three_drafts(store: Path, sentry_data: dict) -> None:
    result = hub(store, "import", "sentry")
    assert result.returncode == 0, result.stderr
    assert f"imported into {store}" in result.stdout
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"  port port_[0-9a-f]{16}: create", lines[1])
    assert "needs local auth" in lines[2]
    assert sorted(line.split()[1] for line in lines[3:]) == sorted(SLUGS)
    assert all(re.fullmatch(r"  create +[a-z-]+ +dr_[0-9a-f]{16}", line) for line in lines[3:])

    digest = canonical_sha256(sentry_data)
    (port,) = query(store, "SELECT * FROM ports")
    shell = sentry_data["portTemplates"][0]
    assert port == port | {
        "publisher_slug": "sentry",
        "manifest_slug": "sentry-api",
        "kind": shell["kind"],
        "label": shell["label"],
        "description": shell["description"],
        "base_url": "https://sentry.io/",
        "auth_mode": "header_token",
        "auth_header_name": "Authorization",
        "auth_token_prefix": "Bearer",
        "needs_local_auth": 1,
        "manifest_version": "0.1.0",
        "manifest_sha256": digest,
    }
    assert set(port) == {
        "id", "publisher_slug", "manifest_slug", "kind", "label", "description", "base_url",
        "auth_mode", "auth_header_name", "auth_token_prefix", "needs_local_auth",
        "manifest_version", "manifest_sha256", "created_at", "updated_at",
    }  # fmt: skip

    drafts = current(store)
    assert set(drafts) == SLUGS
    for slug, draft in drafts.items():
        template = action(sentry_data, slug)
        assert draft["port_id"] == port["id"]
        assert draft["state"] == "draft"
        assert json.loads(draft["template"]) == template
        assert draft["template_sha256"] == canonical_sha256(template)
        schema = json.loads(draft["input_schema"])
        assert schema == input_schema(template)
        assert schema["type"] == "object" and "path" in schema["properties"]
        assert draft["approval_mode"] == template["approvalMode"]
        assert draft["request_body_mode"] == template["requestBodyMode"]
        assert draft["result_mode"] == template["resultMode"]
        assert draft["manifest_slug"] == "sentry-api"
        assert draft["manifest_version"] == "0.1.0"
        assert draft["manifest_sha256"] == digest
        assert draft["source_path"] == SENTRY_REL
        assert draft["supersedes"] is None
    assert drafts["resolve-issue"]["approval_mode"] == "require_approval"
    assert drafts["resolve-issue"]["request_body_mode"] == "json"
    assert drafts["list-issues"]["approval_mode"] == "automatic"

    history = query(store, "SELECT * FROM transitions ORDER BY id")
    assert [(h["from_state"], h["to_state"], h["actor"]) for h in history] == [
        (None, "draft", ACTOR)
    ] * 3
    assert {h["draft_id"] for h in history} == {d["id"] for d in drafts.values()}


def test_drafts_json_shows_provenance(imported: Path, sentry_data: dict) -> None:
    result = hub(imported, "drafts", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)["drafts"]
    assert {d["action"] for d in listed} == SLUGS
    for draft in listed:
        assert draft["provenance"] == {
            "manifest": "sentry-api",
            "version": "0.1.0",
            "sha256": canonical_sha256(sentry_data),
            "source": SENTRY_REL,
        }
        assert draft["state"] == "draft"


# --- NAME resolution ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sentry", "sentry-api", SENTRY_REL, str(SENTRY)])
def test_name_resolution(store: Path, name: str) -> None:
    result = hub(store, "import", name, "--format", "json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["manifest"] == "sentry-api"
    assert [s["op"] for s in plan["steps"]] == ["create"] * 3
    assert set(current(store)) == SLUGS


def test_unknown_name_lists_available_manifests(store: Path) -> None:
    result = hub(store, "import", "no-such-integration")
    assert result.returncode == 2
    assert "no manifest named 'no-such-integration'" in result.stderr
    assert "available:" in result.stderr and "sentry/sentry-api" in result.stderr
    assert "Traceback" not in result.stderr
    assert not store.exists()


def test_missing_path_exits_2(store: Path, tmp_path: Path) -> None:
    result = hub(store, "import", str(tmp_path / "absent.json"))
    assert result.returncode == 2
    assert "no such manifest file" in result.stderr


def test_ambiguous_publisher_lists_candidates(
    store: Path, tmp_path: Path, sentry_data: dict
) -> None:
    """A temporary catalog with two manifests of one publisher: the publisher slug is ambiguous."""
    root = tmp_path / "repo"
    folder = root / "apps/hub/catalog/integrations/sentry"
    write(folder / "sentry-api.json", sentry_data)
    other = copy.deepcopy(sentry_data)
    other["slug"] = "sentry-self-hosted"
    write(folder / "sentry-self-hosted.json", other)

    result = hub(store, "import", "sentry", cwd=root)
    assert result.returncode == 2
    assert "'sentry' matches several manifests" in result.stderr
    assert "integrations/sentry/sentry-api.json" in result.stderr
    assert "integrations/sentry/sentry-self-hosted.json" in result.stderr
    assert not store.exists()

    unknown = hub(store, "import", "nope", cwd=root)
    assert unknown.returncode == 2
    assert "sentry/sentry-api, sentry/sentry-self-hosted" in unknown.stderr

    chosen = hub(store, "import", "sentry-self-hosted", "--format", "json", cwd=root)
    assert chosen.returncode == 0, chosen.stderr
    assert json.loads(chosen.stdout)["manifest"] == "sentry-self-hosted"
    assert {d["manifest_slug"] for d in query(store, "SELECT * FROM drafts")} == {
        "sentry-self-hosted"
    }


# --- manifests with errors are not imported --------------------------------------------------

FAKE_TOKEN = "sntrys_" + "Q3ZkN2Y4aXVqZzVoYmE0ZGZnaGprbG1ub3Bxcg" + "x9"


def _loosen_write(data: dict[str, Any]) -> None:
    action(data, "resolve-issue")["approvalMode"] = "automatic"


def _plant_token(data: dict[str, Any]) -> None:
    action(data, "list-issues")["description"] += f" Example token: {FAKE_TOKEN}"


@pytest.mark.parametrize(
    ("breakage", "rule"),
    [(_loosen_write, "write-requires-approval"), (_plant_token, "no-secret-values")],
)
def test_manifest_with_errors_is_not_imported(
    imported: Path,
    tmp_path: Path,
    sentry_data: dict,
    breakage: Callable[[dict[str, Any]], None],
    rule: str,
) -> None:
    broken = copy.deepcopy(sentry_data)
    broken["version"] = "0.2.0"
    breakage(broken)
    path = write(tmp_path / "broken" / "sentry-api.json", broken)
    before = imported.read_bytes()

    result = hub(imported, "import", str(path))
    assert result.returncode == 1
    assert rule in result.stdout and "error" in result.stdout
    assert "nothing was imported" in result.stderr
    assert FAKE_TOKEN not in result.stdout + result.stderr  # findings redact the value
    assert imported.read_bytes() == before
    assert {d["manifest_version"] for d in query(imported, "SELECT * FROM drafts")} == {"0.1.0"}

    fresh = tmp_path / "fresh" / "store.sqlite3"
    assert hub(fresh, "import", str(path)).returncode == 1
    assert not fresh.exists()


# --- idempotency ----------------------------------------------------------------------------


def test_second_identical_import_writes_nothing(imported: Path) -> None:
    before, rows_before = imported.read_bytes(), counts(imported)
    history_before = query(imported, "SELECT * FROM transitions ORDER BY id")

    again = hub(imported, "import", "sentry")
    assert again.returncode == 0, again.stderr
    assert f"unchanged; nothing written to {imported}" in again.stdout
    as_json = hub(imported, "import", "sentry-api", "--format", "json")
    plan = json.loads(as_json.stdout)
    assert plan["unchanged"] is True and plan["port"]["op"] == "unchanged"
    assert [s["op"] for s in plan["steps"]] == ["unchanged"] * 3

    assert imported.read_bytes() == before
    assert counts(imported) == rows_before == {"ports": 1, "drafts": 3, "transitions": 3}
    assert query(imported, "SELECT * FROM transitions ORDER BY id") == history_before


# --- a new manifest version -----------------------------------------------------------------


def test_new_version_supersedes_changed_and_removed_actions(
    imported: Path, v2_path: Path, sentry_data: dict
) -> None:
    old = current(imported)
    before = imported.read_bytes()

    dry = hub(imported, "import", str(v2_path), "--dry-run", "--format", "json")
    assert dry.returncode == 0, dry.stderr
    plan = json.loads(dry.stdout)
    assert imported.read_bytes() == before
    assert set(plan) == {
        "ok", "dry_run", "store", "manifest", "version", "sha256", "unchanged", "port", "steps",
    }  # fmt: skip
    assert plan["dry_run"] is True and plan["unchanged"] is False
    assert plan["store"] == str(imported)
    assert plan["version"] == "1.0.0"
    assert plan["sha256"] == canonical_sha256(sentry_v2(sentry_data))
    assert plan["port"]["op"] == "update"
    assert set(plan["port"]["changes"]) == {"manifest_version", "manifest_sha256"}
    steps = {s["action"]: s for s in plan["steps"]}
    assert {a: s["op"] for a, s in steps.items()} == {
        "list-issues": "unchanged",
        "resolve-issue": "update",
        "list-projects": "supersede",
    }
    assert steps["list-issues"]["draft"] == old["list-issues"]["id"]
    assert steps["resolve-issue"]["supersedes"] == old["resolve-issue"]["id"]
    assert steps["resolve-issue"]["draft"] is None  # not created: a dry run
    assert steps["list-projects"]["draft"] == old["list-projects"]["id"]
    (change,) = steps["resolve-issue"]["changes"]
    assert set(change) == {"kind", "bump", "review", "message"}
    assert change["kind"] == "constraint-narrowed" and change["bump"] == "major"
    assert "resolvedInNextRelease" in change["message"]

    result = hub(imported, "import", str(v2_path))
    assert result.returncode == 0, result.stderr
    assert "[major] constraint-narrowed" in result.stdout
    assert "supersede list-projects" in result.stdout
    assert "unchanged list-issues" in result.stdout
    assert "needs local auth" not in result.stdout  # origin and auth did not move

    new = current(imported)
    assert set(new) == {"list-issues", "resolve-issue"}
    assert new["list-issues"]["id"] == old["list-issues"]["id"]
    assert new["list-issues"]["manifest_version"] == "0.1.0"
    assert new["resolve-issue"]["supersedes"] == old["resolve-issue"]["id"]
    assert new["resolve-issue"]["manifest_version"] == "1.0.0"
    assert new["resolve-issue"]["source_path"] == str(v2_path)
    states = {r["id"]: r["state"] for r in query(imported, "SELECT id, state FROM drafts")}
    assert states[old["resolve-issue"]["id"]] == "superseded"
    assert states[old["list-projects"]["id"]] == "superseded"
    notes = query(imported, "SELECT * FROM transitions WHERE to_state = 'superseded'")
    assert {n["note"] for n in notes} == {"superseded by sentry-api 1.0.0"}
    (port,) = query(imported, "SELECT * FROM ports")
    assert port["manifest_version"] == "1.0.0"  # the port records the latest import
    assert port["needs_local_auth"] == 1

    again = hub(imported, "import", str(v2_path))
    assert "unchanged" in again.stdout and again.returncode == 0


@pytest.mark.parametrize(
    ("old_mode", "new_mode", "kind", "bump"),
    [
        ("require_approval", "automatic", "approval-loosened", "major"),
        ("automatic", "require_approval", "approval-tightened", "minor"),
    ],
)
def test_plan_classifies_approval_changes(
    store: Path,
    tmp_path: Path,
    sentry_data: dict,
    old_mode: str,
    new_mode: str,
    kind: str,
    bump: str,
) -> None:
    old, new = copy.deepcopy(sentry_data), copy.deepcopy(sentry_data)
    action(old, "list-projects")["approvalMode"] = old_mode
    action(new, "list-projects")["approvalMode"] = new_mode
    new["version"] = "1.0.0"
    assert hub(store, "import", str(write(tmp_path / "a" / "m.json", old))).returncode == 0

    result = hub(store, "import", str(write(tmp_path / "b" / "m.json", new)), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"[{bump}] {kind}" in result.stdout
    assert "update    list-projects" in result.stdout


# --- dry run --------------------------------------------------------------------------------


def test_dry_run_creates_no_store(store: Path) -> None:
    for fmt in ("text", "json"):
        result = hub(store, "import", "sentry", "--dry-run", "--format", fmt)
        assert result.returncode == 0, result.stderr
    assert not store.exists() and not store.parent.exists()
    text = hub(store, "import", "sentry", "--dry-run").stdout
    assert f"would import into {store}" in text
    assert text.count("(new draft)") == 3
    listed = hub(store, "drafts", "list")
    assert listed.returncode == 0 and "no drafts" in listed.stdout
    assert not store.parent.exists()  # reading an absent store creates nothing either


def test_dry_run_on_existing_store_changes_no_byte(imported: Path, v2_path: Path) -> None:
    before = imported.read_bytes()
    result = hub(imported, "import", str(v2_path), "--dry-run")
    assert result.returncode == 0, result.stderr
    for op in ("unchanged", "update", "supersede"):
        assert op in result.stdout
    assert "would import" in result.stdout
    assert imported.read_bytes() == before
    assert sorted(p.name for p in imported.parent.iterdir()) == [imported.name]


# --- crash safety ---------------------------------------------------------------------------

HANG_AFTER_FIRST_INSERT = """
import sys, time
import hubtool.drafts.store

original = hubtool.drafts.store.Store.insert_draft

def insert_then_hang(self, draft, actor):
    original(self, draft, actor)
    print("inserted", draft.slug, flush=True)
    time.sleep(120)

hubtool.drafts.store.Store.insert_draft = insert_then_hang
from hubtool.cli import main
main(sys.argv[1:])
"""


def _kill_after_first_insert(store: Path, manifest: Path) -> str:
    """Run an import in a child, SIGKILL it inside its transaction; return its last line."""
    argv = [sys.executable, "-c", HANG_AFTER_FIRST_INSERT, "import", str(manifest)]
    return kill_at_first_line(argv, REPO, store_env(store, ACTOR))


def kill_at_first_line(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run ``argv``; when it prints its first line (``inserted ...``, from inside the store's
    transaction), SIGKILL it. Returns that line."""
    child = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], 60)
        assert ready and child.stdout is not None, "the child never reached the insert"
        line = child.stdout.readline()
        assert line.startswith("inserted"), child.stderr.read() if child.stderr else line
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()
    return line


def test_killed_import_keeps_the_previous_version(imported: Path, v2_path: Path) -> None:
    old, rows_before = current(imported), counts(imported)
    (port_before,) = query(imported, "SELECT * FROM ports")

    line = _kill_after_first_insert(imported, v2_path)
    assert line.strip() == "inserted resolve-issue"
    journal = imported.with_name(imported.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0  # killed mid-transaction

    assert query(imported, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert current(imported) == old  # same ids, same states: nothing superseded
    assert counts(imported) == rows_before
    assert query(imported, "SELECT * FROM drafts WHERE manifest_version = '1.0.0'") == []
    assert query(imported, "SELECT * FROM ports") == [port_before]

    result = hub(imported, "import", str(v2_path))
    assert result.returncode == 0, result.stderr
    assert "update    resolve-issue" in result.stdout
    assert set(current(imported)) == {"list-issues", "resolve-issue"}
    assert current(imported)["resolve-issue"]["manifest_version"] == "1.0.0"


def test_killed_first_import_leaves_an_empty_store(store: Path) -> None:
    line = _kill_after_first_insert(store, SENTRY)
    assert line.strip() == "inserted list-projects"
    assert query(store, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert counts(store) == {"ports": 0, "drafts": 0, "transitions": 0}

    result = hub(store, "import", "sentry")
    assert result.returncode == 0, result.stderr
    assert set(current(store)) == SLUGS and counts(store)["ports"] == 1


# --- concurrency ----------------------------------------------------------------------------

IMPORT_AT_SIGNAL = """
import sys, time
from pathlib import Path
import hubtool.drafts.importer, hubtool.report.json  # the slow imports, before the start line
from hubtool.cli import main

go, delay = Path(sys.argv[1]), float(sys.argv[2])
plan = hubtool.drafts.importer.make_plan

def slow_plan(store, source):
    result = plan(store, source)
    time.sleep(delay)  # widen the window between planning and writing
    return result

hubtool.drafts.importer.make_plan = slow_plan
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
main(sys.argv[3:])
"""


@pytest.mark.parametrize("delay", ["0", "0", "0.3"])
def test_concurrent_imports_do_not_duplicate(store: Path, tmp_path: Path, delay: str) -> None:
    """Both start at one moment into a store that does not exist yet; with a delay, each
    would plan 'create' unless planning and writing happen in one write transaction."""
    go = tmp_path / "go"
    args = [sys.executable, "-c", IMPORT_AT_SIGNAL, str(go), delay, "import", "sentry"]
    children = [
        subprocess.Popen(
            [*args, "--format", "json"], cwd=REPO, env=store_env(store, ACTOR),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]  # fmt: skip
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    go.touch()
    outputs = [child.communicate(timeout=60) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err

    plans = [json.loads(out) for out, _ in outputs]
    assert sorted(p["port"]["op"] for p in plans) == ["create", "unchanged"]
    created = next(p for p in plans if p["port"]["op"] == "create")
    other = next(p for p in plans if p is not created)
    assert [s["op"] for s in created["steps"]] == ["create"] * 3
    assert other["unchanged"] is True
    assert created["port"]["id"] == other["port"]["id"]
    assert counts(store) == {"ports": 1, "drafts": 3, "transitions": 3}
    assert set(current(store)) == SLUGS


# --- nothing token-like is stored -----------------------------------------------------------

DIGEST_COLUMNS = {"manifest_sha256", "template_sha256"}


def test_store_holds_no_credentials(imported: Path, v2_path: Path, sentry_data: dict) -> None:
    assert hub(imported, "import", str(v2_path)).returncode == 0
    assert hub(imported, "drafts", "test", "--all").returncode == 0
    v2 = sentry_v2(sentry_data)
    digests = {canonical_sha256(d) for d in (sentry_data, v2)} | {
        canonical_sha256(a) for d in (sentry_data, v2) for a in d["actionTemplates"]
    }

    tables = [
        r["name"] for r in query(imported, "SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    assert set(tables) == {"ports", "drafts", "transitions"}
    scanned = 0
    for table in tables:
        columns = [c["name"] for c in query(imported, f"PRAGMA table_info({table})")]
        assert not [c for c in columns if names_credential(c)], table
        for row in query(imported, f"SELECT * FROM {table}"):
            for column, value in row.items():
                if not isinstance(value, str):
                    continue
                scanned += 1
                if column in DIGEST_COLUMNS:
                    # A sha256 hex digest has the shape of a legacy 64-hex token; these are
                    # proven digests of the imported content, not credentials.
                    assert value in digests, (table, column)
                    continue
                assert find_secret(value) is None, (table, column, value[:80])
    assert scanned > 50


def test_a_version_1_store_is_migrated_forward_keeping_its_drafts(tmp_path: Path) -> None:
    """Stores written by an older hubtool open with their data intact at the newest schema."""
    import sqlite3

    from hubtool.drafts.store import MIGRATIONS, Store

    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute(
        "INSERT INTO ports VALUES ('port_1', 'sentry', 'sentry-api', 'http_api', 'Sentry API', "
        "'d', 'https://sentry.io/', 'header_token', 'Authorization', 'Bearer', 1, '0.1.0', "
        "'x', 't', 't')"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = Store(path)
    try:
        version = store.db.execute("PRAGMA user_version").fetchone()[0]
        indexes = {
            r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
        assert version == len(MIGRATIONS) == 2
        assert store.port_by_id("port_1")["base_url"] == "https://sentry.io/"
        assert {"drafts_one_open", "drafts_one_published"} <= indexes
        assert "drafts_one_current" not in indexes
    finally:
        store.close()


def test_a_required_query_parameter_is_required_even_without_a_query_object() -> None:
    from hubtool.core.inputs import input_schema, value_problems

    action = {
        "requestBodyMode": "none",
        "inputs": {
            "parameters": [
                {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer"}}
            ]
        },
    }
    schema = input_schema(action)
    assert [p.message for p in value_problems(schema, {})] == [
        "missing required key 'query'; add it"
    ]
    assert value_problems(schema, {"query": {"limit": 5}}) == []
