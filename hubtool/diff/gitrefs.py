"""Read manifests as they were at a git ref, through the real git command line."""

from __future__ import annotations

import atexit
import os
import subprocess
from pathlib import Path

from hubtool.core.errors import HubtoolError

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


def merge_base(root: Path, commit: str, ref: str | None = None) -> str:
    """Where HEAD forked from ``commit``: what a pull request really changed.

    The one rule for ``diff --base``, ``bump --base`` and ``ci --base`` (as ``git diff REF...``):
    on a branch behind its base, comparing with the base's tip would count the base's newer
    changes as the branch's own. With no HEAD yet, ``commit`` itself. No merge base (a shallow
    clone that lacks the fork point, or unrelated histories) is an error that says the fix.
    """
    if commit == EMPTY_TREE or not _has_commits(root):
        return commit
    result = _git(root, "merge-base", commit, "HEAD")
    if result.returncode == 0:
        return result.stdout.decode().strip()
    name = repr(ref) if ref else commit[:12]
    if is_shallow(root):
        raise HubtoolError(
            f"no merge base between {name} and HEAD: this clone is shallow and lacks the "
            "commit the branch forked from; fetch the whole history (actions/checkout with "
            "fetch-depth: 0, or 'git fetch --unshallow')"
        )
    raise HubtoolError(
        f"no merge base between {name} and HEAD: the histories are unrelated; "
        "give a --base on the branch's own history"
    )


def is_shallow(root: Path) -> bool:
    """Whether the repository is a shallow clone (``git clone --depth``)."""
    result = _git(root, "rev-parse", "--is-shallow-repository")
    return result.stdout.decode().strip() == "true"


def _has_commits(root: Path) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", "HEAD").returncode == 0


def read(root: Path, commit: str, relpath: str) -> bytes | None:
    """The bytes of ``relpath`` at ``commit``, or None when it did not exist there (or is not
    a file). Read through one ``git cat-file --batch`` process per repository (``_Batch``)."""
    if "\n" in relpath or "\0" in relpath:  # the batch protocol is line-based
        result = _git(root, "cat-file", "blob", f"{commit}:{relpath}")
        return result.stdout if result.returncode == 0 else None
    return _batch(root.absolute()).read(f"{commit}:{relpath}")


class _Batch:
    """One ``git cat-file --batch`` process: object names in, ``<oid> <type> <size>`` and the
    bytes out (git-cat-file(1), BATCH OUTPUT)."""

    def __init__(self, root: Path) -> None:
        try:
            self.process = subprocess.Popen(
                ["git", "-C", str(root), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except FileNotFoundError as exc:
            raise HubtoolError("git is not installed or not on PATH") from exc

    def read(self, name: str) -> bytes | None:
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is None or stdout is None:  # pragma: no cover - pipes are always requested
            raise HubtoolError("git cat-file --batch has no pipes")
        try:
            stdin.write(os.fsencode(name) + b"\n")
            stdin.flush()
            line = stdout.readline()
        except OSError as exc:
            raise HubtoolError(f"git cat-file --batch failed: {exc}") from exc
        if not line.endswith(b"\n"):
            raise HubtoolError("git cat-file --batch stopped before answering")
        header = line.split()
        if len(header) != 3:  # "<name> missing" or "<name> ambiguous"
            return None
        size = int(header[2])
        body = stdout.read(size + 1)[:size]  # the object, then a newline
        return body if header[1] == b"blob" else None

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


_BATCHES: dict[Path, _Batch] = {}
_MAX_BATCHES = 4


def _batch(root: Path) -> _Batch:
    """The batch reader of ``root``, started on first use and closed at exit."""
    if root not in _BATCHES:
        if not _BATCHES:
            atexit.register(close_readers)
        if len(_BATCHES) >= _MAX_BATCHES:  # a long-lived caller: the oldest reader goes
            _BATCHES.pop(next(iter(_BATCHES))).close()
        _BATCHES[root] = _Batch(root)
    return _BATCHES[root]


def close_readers() -> None:
    """Stop every ``git cat-file --batch`` process this process started."""
    while _BATCHES:
        _BATCHES.popitem()[1].close()


def files(root: Path, commit: str, prefix: str) -> list[str]:
    """Paths of the *.json files under ``prefix`` at ``commit``."""
    result = _git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", prefix)
    if result.returncode != 0:
        return []
    # -z: names come unquoted (without it git quotes non-ASCII names and they would be missed).
    names = (os.fsdecode(name) for name in result.stdout.split(b"\0") if name)
    return [name for name in names if name.endswith(".json")]
