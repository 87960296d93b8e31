"""`hubtool import A B...` and `hubtool import --all`: several manifests, one transaction.

Every manifest is validated before anything is written; then all are planned and written in
one BEGIN IMMEDIATE transaction, so a failure, a SIGKILL or a concurrent import leaves the
store as it was or fully imported, never half. The in-process differential test checks that
one transaction for N manifests writes what N single imports write.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_cli, store_env
from test_import import ACTOR, counts, current, kill_at_first_line, query, write

from hubtool.drafts.importer import import_manifest, import_manifests, load_sources
from hubtool.drafts.store import Store
from hubtool.registry import RULES

CATALOG = "apps/hub/catalog/integrations"


def hub(store: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, env=store_env(store, ACTOR) | {"PYTHONPATH": str(REPO)})


def variant(data: dict[str, Any], publisher: str, actions: int = 3) -> dict[str, Any]:
    """The Sentry manifest under another publisher and slug, with ``actions`` actions."""
    new = copy.deepcopy(data)
    new["publisher"]["slug"] = publisher
    new["slug"] = f"{publisher}-api"
    originals = data["actionTemplates"]
    new["actionTemplates"] = []
    for index in range(actions):
        action = copy.deepcopy(originals[index % len(originals)])
        action["slug"] = f"{action['slug']}-{index:02d}"
        new["actionTemplates"].append(action)
    return new


def catalog(root: Path, data: dict[str, Any], publishers: list[str]) -> list[Path]:
    """A repository at ``root`` whose catalog holds one variant per publisher."""
    return [
        write(root / CATALOG / p / f"{p}-api.json", variant(data, p, 2 + i))
        for i, p in enumerate(publishers)
    ]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "state" / "store.sqlite3"


@pytest.fixture
def repo(tmp_path: Path, sentry_data: dict) -> Path:
    root = tmp_path / "repo"
    catalog(root, sentry_data, ["acme", "globex", "initech"])
    return root


def stamp(store: Path) -> tuple[bytes, int]:
    return store.read_bytes(), store.stat().st_mtime_ns


# --- the command line --------------------------------------------------------------------------


def test_all_imports_the_catalog_in_order_with_a_summary(store: Path, repo: Path) -> None:
    result = hub(store, "import", "--all", cwd=repo)
    assert result.returncode == 0, result.stderr
    heads = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert [h.split()[0] for h in heads[:-1]] == ["acme-api", "globex-api", "initech-api"]
    assert all(h.endswith(f"imported into {store}") for h in heads[:-1])
    assert heads[-1] == "3 manifests: 3 imported, 0 unchanged; drafts: 9 created"
    assert counts(store) == {"ports": 3, "drafts": 9, "transitions": 9}
    assert len({row["manifest_slug"] for row in query(store, "SELECT * FROM drafts")}) == 3


def test_unchanged_reimport_of_several_writes_nothing(store: Path, repo: Path) -> None:
    assert hub(store, "import", "--all", cwd=repo).returncode == 0
    before, rows = stamp(store), counts(store)
    history = query(store, "SELECT * FROM transitions ORDER BY id")

    again = hub(store, "import", "acme", "globex-api", "initech", cwd=repo)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("unchanged; nothing written") == 3
    assert again.stdout.splitlines()[-1] == "3 manifests: 0 imported, 3 unchanged"
    as_json = json.loads(hub(store, "import", "--all", "--format", "json", cwd=repo).stdout)
    assert [plan["unchanged"] for plan in as_json] == [True, True, True]

    assert stamp(store) == before  # the file's bytes and its modification time
    assert counts(store) == rows
    assert query(store, "SELECT * FROM transitions ORDER BY id") == history


def test_one_changed_manifest_among_unchanged_ones(
    store: Path, repo: Path, sentry_data: dict
) -> None:
    assert hub(store, "import", "--all", cwd=repo).returncode == 0
    changed = variant(sentry_data, "globex", 3)
    changed["version"] = "0.2.0"
    changed["actionTemplates"][0]["description"] = "Listed again."
    write(repo / CATALOG / "globex/globex-api.json", changed)

    result = hub(store, "import", "--all", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "3 manifests: 1 imported, 2 unchanged; drafts: 1 updated"
    )
    assert "globex-api 0.2.0" in result.stdout
    versions = {
        r["manifest_slug"]: r["manifest_version"] for r in query(store, "SELECT * FROM ports")
    }
    assert versions == {"acme-api": "0.1.0", "globex-api": "0.2.0", "initech-api": "0.1.0"}


def test_several_as_json_is_a_list_of_plans(store: Path, repo: Path) -> None:
    one = json.loads(hub(store, "import", "acme", "--dry-run", "--format", "json", cwd=repo).stdout)
    assert isinstance(one, dict)  # one name: one plan, as before
    result = hub(store, "import", "acme", "initech", "--dry-run", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    plans = json.loads(result.stdout)
    assert [p["manifest"] for p in plans] == ["acme-api", "initech-api"]
    assert set(plans[0]) == set(one) and all(p["dry_run"] for p in plans)
    assert not store.exists()


def test_dry_run_of_the_catalog_writes_nothing(store: Path, repo: Path) -> None:
    result = hub(store, "import", "--all", "--dry-run", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("would import into") == 3
    assert result.stdout.splitlines()[-1] == (
        "3 manifests: 3 would import, 0 unchanged; drafts: 9 created"
    )
    assert not store.exists() and not store.parent.exists()
    assert hub(store, "import", "acme", cwd=repo).returncode == 0
    before = stamp(store)
    assert hub(store, "import", "--all", "--dry-run", cwd=repo).returncode == 0
    assert stamp(store) == before


def test_a_manifest_named_twice_is_imported_once(store: Path, repo: Path) -> None:
    path = str(repo / CATALOG / "acme/acme-api.json")
    relative = f"{CATALOG}/acme/acme-api.json"
    for args in (("acme", "acme-api", path), (relative, "acme", "./" + relative)):
        result = hub(store, "import", *args, "--format", "json", cwd=repo)
        assert result.returncode == 0, result.stdout + result.stderr
        assert [p["manifest"] for p in json.loads(result.stdout)] == ["acme-api"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give manifest names or paths, or --all"),
        (("--all", "acme"), "give manifest names or paths, or --all"),
        (("acme", "globex", "--node"), "--node imports one manifest"),
        (("acme", "nope"), "no manifest named 'nope'"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(
    store: Path, repo: Path, args: tuple[str, ...], message: str
) -> None:
    result = hub(store, "import", *args, cwd=repo)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not store.exists()


def test_all_outside_a_repository_exits_2(store: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = hub(store, "import", "--all", cwd=tmp_path / "empty")
    assert result.returncode == 2 and "no catalog found" in result.stderr


# --- validation first: any error, nothing written ----------------------------------------------


def test_one_bad_manifest_blocks_all(store: Path, repo: Path, sentry_data: dict) -> None:
    assert hub(store, "import", "acme", cwd=repo).returncode == 0
    before = stamp(store)
    bad = variant(sentry_data, "globex", 3)
    bad["actionTemplates"][1]["method"] = "FETCH"
    write(repo / CATALOG / "globex/globex-api.json", bad)

    for args in (("--all",), ("initech", "globex")):
        result = hub(store, "import", *args, cwd=repo)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "globex/globex-api.json" in result.stdout  # the findings, as validate shows them
        assert "a manifest has errors; nothing was imported" in result.stderr
        assert stamp(store) == before
    assert {r["manifest_slug"] for r in query(store, "SELECT * FROM ports")} == {"acme-api"}


def test_two_manifests_with_one_slug_are_not_imported(
    store: Path, tmp_path: Path, sentry_data: dict
) -> None:
    """Checked together, the catalog-wide rule sees both holders of one manifest slug."""
    first = write(tmp_path / "a" / "m.json", variant(sentry_data, "acme"))
    twin = variant(sentry_data, "globex")
    twin["slug"] = "acme-api"
    second = write(tmp_path / "b" / "m.json", twin)
    result = hub(store, "import", str(first), str(second))
    assert result.returncode == 1
    assert "unique-slugs" in result.stdout and "nothing was imported" in result.stderr
    assert not store.exists()


# --- all or nothing: a kill, a concurrent import -----------------------------------------------

HANG_IN_SECOND_MANIFEST = """
import sys, time
import hubtool.drafts.store

original = hubtool.drafts.store.Store.insert_draft

def insert_then_hang(self, draft, actor):
    original(self, draft, actor)
    if draft.manifest_slug == sys.argv[1]:
        print("inserted", draft.manifest_slug, draft.slug, flush=True)
        time.sleep(120)

hubtool.drafts.store.Store.insert_draft = insert_then_hang
from hubtool.cli import main
main(sys.argv[2:])
"""


def _kill_inside(store: Path, repo: Path, manifest_slug: str, *args: str) -> str:
    """Run an import in a child and SIGKILL it after its first draft of ``manifest_slug``."""
    argv = [sys.executable, "-c", HANG_IN_SECOND_MANIFEST, manifest_slug, "import", *args]
    return kill_at_first_line(argv, repo, store_env(store, ACTOR) | {"PYTHONPATH": str(REPO)})


def test_killed_import_of_several_leaves_an_empty_store(store: Path, repo: Path) -> None:
    line = _kill_inside(store, repo, "globex-api", "--all")
    assert line.startswith("inserted globex-api")  # acme-api was written before, in the same
    assert query(store, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert counts(store) == {"ports": 0, "drafts": 0, "transitions": 0}
    assert hub(store, "import", "--all", cwd=repo).returncode == 0
    assert counts(store) == {"ports": 3, "drafts": 9, "transitions": 9}


def test_killed_import_of_several_keeps_the_previous_state(
    store: Path, repo: Path, sentry_data: dict
) -> None:
    assert hub(store, "import", "acme", cwd=repo).returncode == 0
    before, drafts_before = counts(store), current(store)
    newer = variant(sentry_data, "acme", 4)
    newer["version"] = "0.2.0"
    write(repo / CATALOG / "acme/acme-api.json", newer)

    _kill_inside(store, repo, "initech-api", "acme", "initech")
    assert query(store, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert counts(store) == before and current(store) == drafts_before
    assert [r["manifest_version"] for r in query(store, "SELECT * FROM ports")] == ["0.1.0"]


IMPORT_AT_SIGNAL = """
import sys, time
from pathlib import Path
import hubtool.drafts.importer, hubtool.report.json, hubtool.report.text
from hubtool.cli import main

go = Path(sys.argv[1])
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
main(sys.argv[2:])
"""


def test_concurrent_imports_of_the_catalog_do_not_duplicate(
    store: Path, repo: Path, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORT_AT_SIGNAL, str(go), "import", "--all", "--format=json"],
            cwd=repo, env=store_env(store, ACTOR) | {"PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]  # fmt: skip
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    go.touch()
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    runs = [json.loads(out) for out, _ in outputs]
    ops = sorted(tuple(plan["port"]["op"] for plan in run) for run in runs)
    assert ops == [("create",) * 3, ("unchanged",) * 3]  # one wrote all, the other saw all
    assert counts(store) == {"ports": 3, "drafts": 9, "transitions": 9}


# --- in process: one transaction writes what single imports write ------------------------------


def _content(path: Path) -> list[tuple[Any, ...]]:
    """The store's rows without ids and times (drawn and stamped per run)."""
    ports = query(path, "SELECT publisher_slug, manifest_slug, manifest_version FROM ports")
    drafts = query(
        path,
        "SELECT p.manifest_slug, d.slug, d.state, d.template, d.template_sha256, d.input_schema,"
        " d.manifest_version, d.source_path, d.supersedes IS NULL AS fresh FROM drafts d"
        " JOIN ports p ON p.id = d.port_id",
    )
    moves = query(path, "SELECT from_state, to_state, actor, note FROM transitions")
    return sorted(map(repr, ports + drafts + moves))


def test_one_transaction_writes_what_single_imports_write(
    tmp_path: Path, sentry_data: dict
) -> None:
    root = tmp_path / "repo"
    first = catalog(root, sentry_data, ["acme", "globex", "initech"])
    second = [
        write(p, {**variant(sentry_data, p.parent.name, 4), "version": "0.3.0"})
        for p in first[:2]
    ]  # fmt: skip
    together, alone = tmp_path / "together.sqlite3", tmp_path / "alone.sqlite3"
    for paths in (first, second):
        sources, report = load_sources(paths, rules=RULES)
        assert sources and not report.failed(), report.findings
        many = Store(together)
        plans = import_manifests(many, sources, "tester")
        many.close()
        single = Store(alone)
        singles = [import_manifest(single, source, "tester") for source in sources]
        single.close()
        assert [(p.manifest, p.port_op, [s.op for s in p.steps]) for p in plans] == [
            (p.manifest, p.port_op, [s.op for s in p.steps]) for p in singles
        ]
    assert _content(together) == _content(alone)
    assert len(_content(together)) > 3


def test_each_plan_sees_what_the_ones_before_it_wrote(tmp_path: Path, sentry_data: dict) -> None:
    paths = catalog(tmp_path / "repo", sentry_data, ["acme", "globex"])
    sources, _ = load_sources(paths, rules=RULES)
    store = Store(tmp_path / "s.sqlite3")
    try:
        first = import_manifests(store, sources, "tester")
        again = import_manifests(store, [*sources, sources[0]], "tester", dry_run=True)
    finally:
        store.close()
    assert [p.port_op for p in first] == ["create", "create"]
    assert [p.unchanged for p in again] == [True, True, True]
    assert all(re.fullmatch(r"port_[0-9a-f]{16}", str(p.port_id)) for p in first)
    assert os.path.getsize(tmp_path / "s.sqlite3") > 0


def test_current_drafts_matches_the_single_scan(tmp_path: Path, sentry_data: dict) -> None:
    """Two indexed queries give what the one filtered scan gave: same drafts, same order,
    with published, open and superseded drafts of several ports mixed."""
    paths = catalog(tmp_path / "repo", sentry_data, ["acme", "globex"])
    newer = []
    for path in paths:
        data = {**variant(sentry_data, path.parent.name, 5), "version": "0.4.0"}
        for action in data["actionTemplates"]:
            action["description"] = "Changed: an open draft beside the published one."
        newer.append(write(path, data))
    store = Store(tmp_path / "s.sqlite3")
    try:
        import_manifests(store, load_sources(paths, rules=RULES)[0], "tester")
        drafts = store.drafts()
        for draft in drafts[::2]:  # published, then replaced by a newer open draft below
            store.set_state(draft.id, draft.state, "published", "tester")
        import_manifests(store, load_sources(newer, rules=RULES)[0], "tester")
        for row in store.db.execute("SELECT id FROM ports"):
            scan = store.db.execute(
                "SELECT * FROM drafts WHERE port_id = ? AND state != 'superseded' "
                "ORDER BY state = 'published' DESC, rowid",
                (row["id"],),
            ).fetchall()
            expected = {d.slug: d for d in map(store._draft, scan)}
            got = store.current_drafts(row["id"])
            assert list(got) == list(expected) and got == expected
            assert {d.state for d in map(store._draft, scan)} == {"draft", "published"}
    finally:
        store.close()


# --- names and store paths a newcomer or a reviewer tried (fresh-eyes review) --------------------


def test_a_path_through_dot_dot_is_the_same_manifest(store: Path, repo: Path) -> None:
    (repo / "sub").mkdir()
    named = f"{CATALOG}/acme/acme-api.json"
    result = hub(store, "import", "--dry-run", named, f"sub/../{named}", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "unique-slugs" not in result.stdout + result.stderr


def test_a_directory_named_like_a_slug_does_not_hide_the_slug(store: Path, repo: Path) -> None:
    here = repo / CATALOG  # holds a directory `acme`
    result = hub(store, "import", "--dry-run", "acme-api", "acme", cwd=here)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("acme-api")


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_a_store_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, repo: Path, kind: str
) -> None:
    target = {"fifo": tmp_path / "fifo.db", "directory": tmp_path / "dir.db"}.get(kind)
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    else:
        target = Path(os.devnull)
    named = f"{CATALOG}/acme/acme-api.json"
    for args in (("drafts", "list"), ("import", "--dry-run", named), ("import", named)):
        result = hub(target, *args, cwd=repo)  # a FIFO must not block (run_cli has a timeout)
        assert result.returncode == 2, (args, result.stderr)
        assert "not a regular file" in result.stderr
    assert not Path(f"{os.devnull}-journal").exists()
