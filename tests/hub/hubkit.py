"""Helpers of the Hub tests: a catalog copy, a built database, a real `hub serve` process."""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from conftest import REPO, run_cli

CATALOG = Path("apps/hub/catalog/integrations")
SENTRY_REL = CATALOG / "sentry/sentry-api.json"


def env(**extra: str) -> dict[str, str]:
    """A child's environment without the caller's Hub or debug settings."""
    out = {k: v for k, v in os.environ.items() if k not in ("HUB_DATABASE_URL", "HUBTOOL_DEBUG")}
    return out | {"NO_COLOR": "1"} | extra


def copy_catalog(root: Path) -> Path:
    """The repository's catalog and .hubtool.yaml under ``root`` (a repository of its own)."""
    shutil.copytree(REPO / CATALOG, root / CATALOG)
    shutil.copy(REPO / ".hubtool.yaml", root / ".hubtool.yaml")
    return root


def build(db: Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """``hubtool hub build --db DB`` in ``cwd``."""
    return run_cli("hub", "build", "--db", str(db), cwd=cwd, env=env())


@contextlib.contextmanager
def serving(db: Path) -> Iterator[str]:
    """A real ``hubtool hub serve`` (uvicorn) on 127.0.0.1, a free port; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "hubtool", "hub", "serve", "--db", str(db), "--port", "0"],
        cwd=REPO,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        assert line.startswith("serving the Hub at http://127.0.0.1:"), (
            line,
            process.poll(),
            process.stderr.read() if process.poll() is not None else "",
        )
        yield line.split(" at ", 1)[1].split("/ ", 1)[0]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
