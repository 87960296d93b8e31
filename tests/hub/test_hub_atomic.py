"""`hub build` is atomic: a build killed (SIGKILL) at any moment leaves the database as it
was or as the finished build writes it, never a mixture, and a reader can always open it."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO
from hubkit import build, env

TRIALS = 6


def _generated(root: Path, manifests: int) -> Path:
    subprocess.run(
        [sys.executable, str(REPO / "bench/catalog.py"), str(root), "--manifests", str(manifests)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return root


def _intact(db: Path) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM integrations").fetchone()[0] > 0
    finally:
        conn.close()


def test_a_build_killed_at_any_moment_leaves_old_or_new(tmp_path: Path) -> None:
    old_db = tmp_path / "old.db"
    assert build(old_db).returncode == 0  # the repository's catalog
    old = old_db.read_bytes()
    catalog = _generated(tmp_path / "gen", 80)
    reference = tmp_path / "reference.db"
    shutil.copy(old_db, reference)
    started = time.monotonic()
    assert build(reference, cwd=catalog).returncode == 0
    duration = time.monotonic() - started
    new = reference.read_bytes()
    assert new != old
    rng = random.Random()
    seen = []
    target = tmp_path / "live" / "hub.db"
    target.parent.mkdir()
    for _ in range(TRIALS):
        shutil.copy(old_db, target)
        process = subprocess.Popen(
            [sys.executable, "-m", "hubtool", "hub", "build", "--db", str(target)],
            cwd=catalog,
            env=env(HUBTOOL_JOBS="1"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        delay = rng.uniform(0.2, duration * 1.1)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        now = target.read_bytes()
        assert now in (old, new), f"killed after {delay:.2f}s: the database is neither"
        _intact(target)
        seen.append("new" if now == new else "old")
    print(f"kill outcomes over {TRIALS} trials (build {duration:.2f}s): {seen}")
    assert build(target, cwd=catalog).returncode == 0  # the next build sweeps what kills left
    assert target.read_bytes() == new
    assert sorted(p.name for p in target.parent.iterdir()) == ["hub.db"]


def test_a_build_removes_only_its_own_stale_temporary_files(tmp_path: Path) -> None:
    """What a killed build leaves (``.hub.db.<random>.tmp``) is removed by the next build of
    that database; another database's temporary file, a directory or a link of that shape,
    and the link's target are left alone."""
    target = tmp_path / "hub.db"
    stale = tmp_path / ".hub.db.k1ll3d.tmp"
    stale.write_bytes(b"half a database")
    journals = [tmp_path / f".hub.db.k1ll3d.tmp-{kind}" for kind in ("journal", "wal", "shm")]
    for journal in journals:  # SQLite's, beside the database a killed build was writing
        journal.write_bytes(b"half a journal")
    not_ours = tmp_path / ".hub.db.k1ll3d.tmp-notes"
    not_ours.write_bytes(b"not SQLite's")
    other = tmp_path / ".other.db.x.tmp"
    other.write_bytes(b"not ours")
    directory = tmp_path / ".hub.db.dir.tmp"
    directory.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    link = tmp_path / ".hub.db.link.tmp"
    link.symlink_to(outside)
    assert build(target).returncode == 0
    _intact(target)
    assert not stale.exists() and not any(journal.exists() for journal in journals)
    assert other.exists() and directory.is_dir() and link.is_symlink() and not_ours.exists()
    assert outside.read_text(encoding="utf-8") == "keep"
