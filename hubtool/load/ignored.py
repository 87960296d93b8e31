"""What a directory walk outside the catalog leaves out: hidden directories, tool directories
and what git ignores. Pure: no printing.

Linters skip these (ruff, ESLint, black: hidden directories, ``node_modules``, ``.venv`` and
``.gitignore``d paths); ``hubtool validate .`` does too. git itself decides what it ignores
(``.gitignore`` files, ``.git/info/exclude``, the user's excludes file), asked once per walked
directory; nothing of a stranger's ``.gitignore`` is interpreted here. The catalog
(``apps/hub/catalog``) is never filtered: a manifest there is checked wherever it sits
(``hubtool.load.discover``).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SKIPPED_DIRECTORIES = frozenset({"node_modules", "__pycache__", "site-packages"})
"""Directory names skipped outside the catalog, besides every hidden one (``.git``, ``.venv``)."""
GIT_TIMEOUT = 10.0
"""Seconds git may take to list what it ignores; past it, nothing is left out (a slow git only
makes the walk check more files, never fewer). A stranger's pathological ``.gitignore`` can keep
git matching for minutes, so the bound is short: a listing of a large repository takes well
under a second."""


def skipped_name(name: str) -> bool:
    """True for a directory name a walk outside the catalog skips: hidden, or a tool's."""
    return name.startswith(".") or name in SKIPPED_DIRECTORIES


def git_ignored(top: Path) -> frozenset[str] | None:
    """What git ignores under directory ``top``: POSIX paths relative to ``top``, a directory
    with a final ``/`` (git names a wholly ignored directory once). None when ``top`` is not in
    a git work tree, git is missing or failed, or ``top`` itself is ignored (a directory given
    explicitly is walked whole).

    git runs without an fsmonitor hook (``core.fsmonitor=false``: a repository's configuration
    cannot run a program through it), with no input, and at most ``GIT_TIMEOUT`` seconds; names
    are NUL-separated (a newline in a name is a name) and undecodable bytes kept
    (``os.fsdecode``).
    """
    listed = git_ls_files(top, ["--others", "--ignored", "--exclude-standard", "--directory"])
    if listed is None:
        return None
    names = frozenset(listed)
    return None if "./" in names else names


def git_ls_files(cwd: Path, arguments: list[str]) -> list[str] | None:
    """The names ``git ls-files -z ARGUMENTS`` lists in ``cwd`` (relative POSIX paths,
    undecodable bytes kept by ``os.fsdecode``), or None when git is missing, fails or takes
    more than ``GIT_TIMEOUT`` seconds. No fsmonitor hook, no prompt, no optional locks, no
    input: a stranger's repository configuration cannot run a program through it."""
    command = ["git", "-c", "core.fsmonitor=false", "ls-files", "-z", *arguments]
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=GIT_TIMEOUT,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return [os.fsdecode(name) for name in result.stdout.split(b"\0") if name]


def leads_to_catalog(directory: Path, catalog: tuple[str, ...]) -> bool:
    """True when ``directory`` holds the catalog (``apps`` or ``apps/hub`` of it): never pruned,
    so a ``.gitignore`` cannot hide the catalog from ``hubtool validate .``."""
    parts = directory.parts
    for depth in range(1, len(catalog)):
        if parts[-depth:] == catalog[:depth]:
            return os.path.isdir(directory.joinpath(*catalog[depth:]))
    return False
