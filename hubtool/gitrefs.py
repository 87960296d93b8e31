"""Read manifests as they were at a git ref, through the real git command line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from hubtool.errors import HubtoolError

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""git's empty tree: what HEAD holds in a repository with no commits yet."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise HubtoolError("git is not installed or not on PATH") from exc


def run_git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``git -C root ARGS``, captured; a clear error when git is missing."""
    return _git(root, *args)


def repo_root(start: Path) -> Path:
    """The top of the git work tree that contains ``start``."""
    directory = start if start.is_dir() else start.parent
    result = _git(directory.absolute(), "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise HubtoolError(f"{start} is not inside a git repository (needed for --base)")
    return Path(result.stdout.decode().strip())


def resolve(root: Path, ref: str) -> str:
    """The commit id ``ref`` names; a clear error for an unknown ref."""
    if ref.startswith("-"):
        raise HubtoolError(f"invalid git ref {ref!r}")
    if ref == EMPTY_TREE:
        return ref
    result = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if result.returncode != 0 and ref == "HEAD" and not _has_commits(root):
        return EMPTY_TREE  # before the first commit every manifest is a first release
    if result.returncode != 0:
        raise HubtoolError(
            f"unknown git ref {ref!r}: check the branch, tag or commit "
            "(in CI, fetch enough history, e.g. actions/checkout with fetch-depth: 0)"
        )
    return result.stdout.decode().strip()


def merge_base(root: Path, commit: str) -> str:
    """Where HEAD forked from ``commit``: what a pull request really changed.

    On a branch behind its base, comparing with the base's tip would count the base's newer
    changes as the branch's own. Falls back to ``commit`` (no HEAD yet, unrelated histories).
    """
    if commit == EMPTY_TREE:
        return commit
    result = _git(root, "merge-base", commit, "HEAD")
    return result.stdout.decode().strip() if result.returncode == 0 else commit


def _has_commits(root: Path) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", "HEAD").returncode == 0


def read(root: Path, commit: str, relpath: str) -> bytes | None:
    """The bytes of ``relpath`` at ``commit``, or None when it did not exist there."""
    result = _git(root, "cat-file", "blob", f"{commit}:{relpath}")
    return result.stdout if result.returncode == 0 else None


def files(root: Path, commit: str, prefix: str) -> list[str]:
    """Paths of the *.json files under ``prefix`` at ``commit``."""
    result = _git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", prefix)
    if result.returncode != 0:
        return []
    # -z: names come unquoted (without it git quotes non-ASCII names and they would be missed).
    names = (os.fsdecode(name) for name in result.stdout.split(b"\0") if name)
    return [name for name in names if name.endswith(".json")]
