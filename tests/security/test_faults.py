"""Faults of the machine, and reads that stay reads (issue 17 item 4, issue 9 "read-only").

A full disk or a read-only store during ``import``, a lifecycle step or ``bump`` is a clear
exit-2 error that says the write was rolled back, and the store and the manifest keep every
byte (a lifecycle step over several drafts keeps the steps it completed and reported).
Each fault is tested twice: injected (a SQLite page cap, writes to /dev/full, a ``mode=ro``
connection), so the test always runs; and on a real small tmpfs where this machine can mount
one (root), skipped with the reason otherwise.

Reads (``import --dry-run``, ``drafts list``, ``drafts show``) open the store read-only: they
never create it, never migrate an older one, and say so on stderr.
"""

from __future__ import annotations

import copy
import errno
import functools
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gitrepo
import pytest
from conftest import SENTRY, run_cli, store_env
from fuzzkit import Run, budget, cli, example
from hypothesis import given
from hypothesis import strategies as st

from hubtool.core.errors import HubtoolError
from hubtool.drafts.store import MIGRATIONS, Store, _store_error

ACTOR = "faults"


def _release(version: str = "0.2.0", copies: int = 8) -> dict[str, Any]:
    """A valid new release: a changed label and ``copies`` more actions (so that importing it
    needs new pages in the store, not only the free space of its pages)."""
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    data["version"] = version
    actions = data["actionTemplates"]
    actions[0]["label"] = "List every project"
    for index in range(copies):
        action = copy.deepcopy(actions[0])
        action["slug"], action["label"] = f"list-projects-{index}", f"List projects {index}"
        actions.append(action)
    return data


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def _env(store: Path) -> dict[str, str]:
    return {"HUBTOOL_STORE": str(store), "XDG_DATA_HOME": str(store.parent / "xdg")}


def _hub(store: Path, *args: str) -> Run:
    """The CLI in process (so a test can inject a fault), checked: exit 0/1/2, no traceback,
    no internal error."""
    return cli(*args, "--actor", ACTOR, env=_env(store)).check()


def _read(store: Path, *args: str) -> Run:
    return cli(*args, env=_env(store)).check()


def _digest(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


def _imported(store: Path) -> Path:
    assert _hub(store, "import", "sentry").code == 0
    return store


def _assert_refused(run: Run, reason: str) -> None:
    assert run.code == 2, (run.out, run.err)
    assert "cannot write the draft store" in run.err and reason in run.err, run.err
    assert "the write was rolled back" in run.err


# --- injected faults ---------------------------------------------------------------------------


@pytest.fixture
def capped_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store connection may not grow by a single page: SQLite's SQLITE_FULL, as on a
    full disk."""
    connect = sqlite3.connect

    def capped(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = connect(*args, **kwargs)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return db

    monkeypatch.setattr("hubtool.drafts.store.sqlite3.connect", capped)


@pytest.fixture
def read_only_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store connection is opened ``mode=ro``, as for a file on a read-only mount."""
    connect = sqlite3.connect

    def read_only(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if str(database).startswith(("file:", ":memory:")):
            return connect(database, *args, **kwargs)
        kwargs["uri"] = True
        return connect(f"{Path(database).absolute().as_uri()}?mode=ro", *args, **kwargs)

    monkeypatch.setattr("hubtool.drafts.store.sqlite3.connect", read_only)


def test_full_disk_during_import_changes_no_byte(tmp_path: Path, request: Any) -> None:
    store = _imported(tmp_path / "data" / "store.sqlite3")
    before = _digest(store.parent)
    request.getfixturevalue("capped_sqlite")
    run = _hub(store, "import", str(_write(tmp_path / "v2.json", _release())))
    _assert_refused(run, "the disk is full")
    assert _digest(store.parent) == before


def test_full_disk_on_a_new_store_leaves_no_file(tmp_path: Path, capped_sqlite: None) -> None:
    store = tmp_path / "data" / "store.sqlite3"
    run = _hub(store, "import", "sentry")
    _assert_refused(run, "the disk is full")
    assert not store.exists()


def test_full_disk_during_a_lifecycle_step_changes_no_byte(tmp_path: Path, request: Any) -> None:
    store = _imported(tmp_path / "data" / "store.sqlite3")
    before = _digest(store.parent)
    request.getfixturevalue("capped_sqlite")
    _assert_refused(_hub(store, "drafts", "validate", "--all"), "the disk is full")
    assert _digest(store.parent) == before


def test_read_only_store_refuses_writes_and_serves_reads(tmp_path: Path, request: Any) -> None:
    store = _imported(tmp_path / "data" / "store.sqlite3")
    before = _digest(store.parent)
    request.getfixturevalue("read_only_sqlite")
    v2 = str(_write(tmp_path / "v2.json", _release()))
    _assert_refused(_hub(store, "import", v2), "read-only")
    _assert_refused(_hub(store, "drafts", "test", "--all"), "read-only")
    assert _read(store, "drafts", "list").out.count("dr_") == 3
    assert "would import" in _read(store, "import", v2, "--dry-run").out
    assert _digest(store.parent) == before


@pytest.fixture
def full_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """bump's temporary file is written to /dev/full (ENOSPC, as on a full disk); returns the
    temporary paths handed out."""
    handed: list[str] = []
    real = tempfile.mkstemp

    def mkstemp(prefix: str = "", dir: str | None = None) -> tuple[int, str]:
        handle, path = real(prefix=prefix, dir=dir)
        os.close(handle)
        handed.append(path)
        return os.open("/dev/full", os.O_WRONLY), path

    monkeypatch.setattr("hubtool.diff.bump.tempfile.mkstemp", mkstemp)
    return handed


@pytest.fixture
def changed_repo(tmp_path: Path) -> Path:
    """A repository whose Sentry manifest changed since HEAD without a version bump."""
    repo = gitrepo.init(tmp_path / "repo")
    data = gitrepo.sentry()
    data["actionTemplates"][0]["label"] = "List every project"
    gitrepo.write(repo, data)
    return repo


def _assert_bump_refused(run: Run, manifest: Path, before: bytes) -> None:
    assert run.code == 2, (run.out, run.err)
    assert "cannot write the version" in run.err and "the manifest is unchanged" in run.err
    assert manifest.read_bytes() == before
    assert [p.name for p in manifest.parent.iterdir()] == [manifest.name]


def test_full_disk_during_bump_keeps_the_manifest(changed_repo: Path, full_writes: list) -> None:
    manifest = changed_repo / gitrepo.RELPATH
    before = manifest.read_bytes()
    run = cli("bump", "--base", "HEAD", cwd=changed_repo).check()
    _assert_bump_refused(run, manifest, before)
    assert full_writes and "No space left on device" in run.err


def test_read_only_directory_during_bump_keeps_the_manifest(
    changed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("hubtool.diff.bump.tempfile.mkstemp", refuse)
    manifest = changed_repo / gitrepo.RELPATH
    before = manifest.read_bytes()
    run = cli("bump", "--base", "HEAD", cwd=changed_repo).check()
    _assert_bump_refused(run, manifest, before)
    assert "Read-only file system" in run.err


# --- real small file systems (root only) -------------------------------------------------------


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs mounted under tmp_path; skipped where mount(8) is not allowed."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def _fill(mount: Path) -> None:
    """Write until the file system is full."""
    with (mount / "filler").open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def _remount_read_only(mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True, capture_output=True)


def _cli(store: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = run_cli(*args, cwd=cwd, env=store_env(store, ACTOR))
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return result


def test_real_full_disk_during_import(small_fs: Path, tmp_path: Path) -> None:
    store = small_fs / "data" / "store.sqlite3"
    assert _cli(store, "import", "sentry").returncode == 0
    before = _digest(store.parent)
    _fill(small_fs)
    result = _cli(store, "import", str(_write(tmp_path / "v2.json", _release())))
    assert result.returncode == 2 and "the disk is full" in result.stderr, result.stderr
    assert _digest(store.parent) == before
    fresh = small_fs / "fresh.sqlite3"
    assert _cli(fresh, "import", "sentry").returncode == 2
    assert not fresh.exists()


def test_real_read_only_mount(small_fs: Path, tmp_path: Path) -> None:
    store = small_fs / "data" / "store.sqlite3"
    assert _cli(store, "import", "sentry").returncode == 0
    before = _digest(store.parent)
    _remount_read_only(small_fs)
    v2 = str(_write(tmp_path / "v2.json", _release()))
    for args in (("import", v2), ("drafts", "validate", "--all")):
        result = _cli(store, *args)
        assert result.returncode == 2 and "read-only" in result.stderr, (args, result.stderr)
    assert _cli(store, "drafts", "list").returncode == 0
    assert _cli(store, "import", v2, "--dry-run").returncode == 0
    assert _digest(store.parent) == before
    result = _cli(small_fs / "new" / "store.sqlite3", "import", "sentry")
    assert result.returncode == 2 and "Read-only file system" in result.stderr


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount {' '.join(args)}: {done.stderr.strip()}")


def test_real_read_only_directory_with_a_writable_store(small_fs: Path, tmp_path: Path) -> None:
    """The directory is read-only (bind mount), the file itself writable: SQLite cannot create
    its journal, the import stops with exit 2 and the store keeps every byte."""
    store = small_fs / "data" / "store.sqlite3"
    assert _cli(store, "import", "sentry").returncode == 0
    before = _digest(store.parent)
    directory = str(store.parent)
    try:
        _mount("--bind", directory, directory)
        _mount("-o", "remount,ro,bind", directory)
        _mount("--bind", str(store), str(store))
        _mount("-o", "remount,rw,bind", str(store))
        with store.open("ab"):
            pass  # the file is writable
        result = _cli(store, "import", str(_write(tmp_path / "v2.json", _release())))
        assert result.returncode == 2 and "rolled back" in result.stderr, result.stderr
        assert "create its journal" in result.stderr
        assert _cli(store, "drafts", "list").stdout.count("dr_") == 3
        assert _digest(store.parent) == before
    finally:
        for target in (str(store), directory):
            subprocess.run(["umount", target], capture_output=True, check=False)


def test_real_full_disk_during_bump(small_fs: Path) -> None:
    repo = gitrepo.init(small_fs / "repo")
    data = gitrepo.sentry()
    data["actionTemplates"][0]["label"] = "List every project"
    manifest = gitrepo.write(repo, data)
    before = manifest.read_bytes()
    _fill(small_fs)
    (small_fs / "filler").unlink()  # git needs room to read HEAD; then fill it again
    _fill(small_fs)
    result = _cli(small_fs, "bump", "--base", "HEAD", cwd=repo)
    assert result.returncode == 2 and "the manifest is unchanged" in result.stderr, result
    assert manifest.read_bytes() == before
    assert [p.name for p in manifest.parent.iterdir()] == [manifest.name]


# --- reads stay reads --------------------------------------------------------------------------


def _v1_store(path: Path) -> Path:
    """A store as hubtool's schema version 1 wrote it, with one port and one draft."""
    new = tmp = path.with_name("v2.sqlite3")
    assert run_cli("import", "sentry", env=store_env(tmp, ACTOR)).returncode == 0
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("ATTACH ? AS new", (str(new),))
    db.execute("INSERT INTO ports SELECT * FROM new.ports")
    db.execute("INSERT INTO drafts SELECT * FROM new.drafts")
    db.execute("INSERT INTO transitions SELECT * FROM new.transitions")
    db.commit()
    db.execute("DETACH new")
    db.execute("PRAGMA user_version = 1")
    db.close()
    new.unlink()
    return path


def _version(path: Path) -> int:
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def test_reads_of_a_missing_store_create_nothing(tmp_path: Path) -> None:
    store = tmp_path / "data" / "store.sqlite3"
    text = _read(store, "import", "sentry", "--dry-run")
    assert text.code == 0 and "port (new port): create" in text.out
    assert "port_" not in text.out
    plan = json.loads(_read(store, "import", "sentry", "--dry-run", "--format", "json").out)
    assert plan["port"] == {"id": None, "op": "create", "changes": []}
    listed = _read(store, "drafts", "list")
    assert listed.code == 0 and listed.out.startswith(f"no drafts in {store} ")
    assert f"no draft store at {store} yet" in listed.err
    shown = _read(store, "drafts", "show", "dr_0000000000000000")
    assert shown.code == 2 and "no draft 'dr_0000000000000000'" in shown.err
    assert not store.parent.exists()


def test_reads_of_an_older_store_do_not_migrate_it(tmp_path: Path) -> None:
    store = _v1_store(tmp_path / "data" / "store.sqlite3")
    before = _digest(store.parent)
    listed = _read(store, "drafts", "list", "--format", "json")
    drafts = json.loads(listed.out)["drafts"]
    assert len(drafts) == 3 and "schema version 1" in listed.err and "not migrated" in listed.err
    shown = _read(store, "drafts", "show", drafts[0]["id"], "--format", "json")
    assert json.loads(shown.out)["id"] == drafts[0]["id"]
    v2 = str(_write(tmp_path / "v2.json", _release()))
    dry = _read(store, "import", v2, "--dry-run")
    assert dry.code == 0 and "would import" in dry.out and "schema version 1" in dry.err
    assert _digest(store.parent) == before and _version(store) == 1
    assert _hub(store, "import", v2).code == 0  # a write migrates it
    assert _version(store) == len(MIGRATIONS)


def test_an_empty_store_file_reads_as_empty_and_stays_empty(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    store.touch()
    assert _read(store, "drafts", "list").out.startswith(f"no drafts in {store} ")
    assert _read(store, "import", "sentry", "--dry-run").code == 0
    assert store.read_bytes() == b""


def test_a_foreign_database_is_refused_by_reads(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    db = sqlite3.connect(store)
    db.execute("CREATE TABLE other (x)")
    db.close()
    before = store.read_bytes()
    run = _read(store, "drafts", "list")
    assert run.code == 2 and "not hubtool's" in run.err
    assert store.read_bytes() == before


def test_notes_and_actors_are_stored_and_shown_redacted(tmp_path: Path) -> None:
    """A credential typed into --note or --actor reaches neither the store nor drafts show."""
    token = "gh" + "p_" + "A1b2" * 9
    store = _imported(tmp_path / "data" / "store.sqlite3")
    listed = json.loads(_read(store, "drafts", "list", "--format", "json").out)
    ids = [d["id"] for d in listed["drafts"]]
    for actor, note in ((token, f"n {token}"), (f"x {token}", token)):
        args = ("drafts", "validate", ids[0], "--actor", actor, "--note", note)
        assert cli(*args, env=_env(store)).check().code == 0
    assert token not in store.read_bytes().decode("utf-8", "replace")
    shown = _read(store, "drafts", "show", ids[0], "--format", "json")
    history = json.loads(shown.out)["history"]
    assert token not in shown.out and len(history) == 3
    assert all("redacted" in h["actor"] and "redacted" in h["note"] for h in history[1:])


def test_a_read_does_not_roll_back_an_interrupted_write(tmp_path: Path) -> None:
    """A writer killed mid-transaction leaves a hot journal: a read may not roll it back (that
    writes), so it stops with exit 2 and says how to recover; the next write recovers it."""
    store = _imported(tmp_path / "data" / "store.sqlite3")
    script = (
        "import os, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA cache_size = 1')\n"
        "db.execute('BEGIN IMMEDIATE')\n"
        "for _ in range(200):\n"
        '    db.execute("INSERT INTO transitions (draft_id, to_state, actor, note, at) "\n'
        "               \"VALUES ('x', 'draft', 'a', ?, 't')\", ('n' * 2000,))\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(store)], check=False)
    journal = store.with_name(store.name + "-journal")
    assert journal.exists()
    before = _digest(store.parent)
    run = _read(store, "drafts", "list")
    assert run.code == 2 and "interrupted write" in run.err and "next import" in run.err
    assert _digest(store.parent) == before
    assert _hub(store, "import", "sentry").code == 0
    assert not journal.exists() and _read(store, "drafts", "list").out.count("dr_") == 3


# --- a fault at every write: fuzzed ------------------------------------------------------------


def _disk_full_error() -> sqlite3.OperationalError:
    """A genuine SQLITE_FULL error, from an in-memory database that may not grow."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute("CREATE TABLE t (x)")
        db.execute("PRAGMA max_page_count = 2")
        db.execute("INSERT INTO t VALUES (zeroblob(100000))")
    except sqlite3.OperationalError as exc:
        return exc
    finally:
        db.close()
    raise AssertionError("SQLite accepted a row past max_page_count")


def _states(store: Path) -> dict[str, str]:
    db = sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT id, state FROM drafts"))
    finally:
        db.close()


@functools.cache
def _template_store() -> Path:
    """A store holding the imported Sentry drafts, copied by each example."""
    store = Path(tempfile.mkdtemp(prefix="hubtool-faults-")) / "store.sqlite3"
    assert cli("import", "sentry", "--actor", ACTOR, env=_env(store)).check().code == 0
    return store


FAULT_COMMANDS = (
    ("import", "{v2}", "--actor", ACTOR),
    ("drafts", "validate", "--all", "--actor", ACTOR),
    ("drafts", "test", "--all", "--actor", ACTOR),
    ("drafts", "reject", "{first}", "--operator", "op"),
)


@budget("faults", ci=12)
@given(command=st.sampled_from(FAULT_COMMANDS), fail_at=st.integers(0, 40))
def test_fuzz_a_full_disk_at_any_statement(command: tuple[str, ...], fail_at: int) -> None:
    """SQLITE_FULL at the ``fail_at``-th statement of a write: exit 2 and the store keeps
    every byte, or (past the last statement) the command completes."""
    work = Path(tempfile.mkdtemp(prefix="hubtool-faults-"))
    store = work / "store.sqlite3"
    shutil.copy(_template_store(), store)
    first = json.loads(_read(store, "drafts", "list", "--format", "json").out)["drafts"][0]["id"]
    v2 = str(_write(work / "v2.json", _release(copies=1)))
    args = [part.format(v2=v2, first=first) for part in command]
    before, states = _digest(work), _states(store)
    calls = {"n": 0}
    real = Store._rows

    def failing(self: Store, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        calls["n"] += 1
        if calls["n"] == fail_at and not self.read_only:
            raise HubtoolError(_store_error(self.path, _disk_full_error()))
        return real(self, sql, params)

    with example("faults"), pytest.MonkeyPatch.context() as patch:
        patch.setattr(Store, "_rows", failing)
        run = cli(*args, env=_env(store)).check()
    if calls["n"] >= fail_at > 0 and run.code == 2:
        assert "the disk is full" in run.err and "the write was rolled back" in run.err
        done = re.findall(r"^(dr_\w+) \(.*\): [\w-]+ -> (\w+)$", run.out, re.MULTILINE)
        if command[0] == "import" or not done:
            assert _digest(work) == before
        assert _states(store) == {**states, **dict(done)}  # each reported step, nothing else
    else:
        assert run.code in (0, 1), run.err
    shutil.rmtree(work)
