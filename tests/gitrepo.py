"""Real git repositories for the ci, config and pre-commit tests (a helper, not a test module)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import SENTRY

RELPATH = "apps/hub/catalog/integrations/sentry/sentry-api.json"
RESOLVE = 2  # index of resolve-issue in the Sentry manifest
BIN = Path(sys.executable).parent
"""The virtual environment's scripts: the installed ``hubtool`` command, ``pre-commit``."""

IDENTITY = ("-c", "user.name=hubtool tests", "-c", "user.email=tests@hubtool.invalid")
# Built at run time so that no credential-shaped literal sits in the repository.
TOKEN = "sntrys_" + "eyJ" + "A1b2C3d4" * 5
TOKEN_PART = "A1b2C3d4A1b2"

Data = dict[str, Any]


def git_env(**extra: str) -> dict[str, str]:
    """The environment of every command: no user or system git configuration, the venv first."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return {**env, **extra}


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity; raises on failure."""
    result = subprocess.run(
        ["git", *IDENTITY, "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=git_env(),
        check=False,
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def commit(repo: Path, message: str = "change") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def sentry() -> Data:
    return json.loads(SENTRY.read_text(encoding="utf-8"))


def write(repo: Path, data: Data, relpath: str = RELPATH, indent: int | None = 2) -> Path:
    path = repo / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def read(repo: Path, relpath: str = RELPATH) -> Data:
    return json.loads((repo / relpath).read_text(encoding="utf-8"))


def init(path: Path, *, commit_files: bool = True) -> Path:
    """A repository on ``main`` holding the Sentry manifest exactly as in this repository."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    target = path / RELPATH
    target.parent.mkdir(parents=True)
    target.write_bytes(SENTRY.read_bytes())
    if commit_files:
        commit(path, "release sentry-api 0.1.0")
    return path


def another_publisher(data: Data, publisher: str, slug: str | None = None) -> Data:
    """The manifest under another publisher (and slug): a second, independent catalog entry."""
    other = copy.deepcopy(data)
    other["publisher"]["slug"] = publisher
    other["publisher"]["name"] = publisher.title()
    if slug is not None:
        other["slug"] = slug
    return other


def catalog_path(publisher: str, slug: str) -> str:
    return f"apps/hub/catalog/integrations/{publisher}/{slug}.json"


def loosen_approval(data: Data) -> None:
    data["actionTemplates"][RESOLVE]["approvalMode"] = "automatic"


def add_token(data: Data) -> None:
    data["description"] += f" Example token: {TOKEN}"


def line_col(text: str, line_marker: str, value: str, after: str | None = None) -> tuple[int, int]:
    """1-based line and column of ``value`` after ``line_marker`` on the first line holding it
    (at or below the first line containing ``after``): computed from the text alone."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line)
    for index in range(start, len(lines)):
        if line_marker in lines[index]:
            after_marker = lines[index].index(line_marker) + len(line_marker)
            column = lines[index].index(value, after_marker)
            return index + 1, column + 1
    raise AssertionError(f"{line_marker!r} not found")
