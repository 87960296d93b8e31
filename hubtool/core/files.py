"""Writing a file so that a reader sees the old file or the new one, never a part of either.

``atomic_write`` replaces a file (``hubtool bump``, ``hubtool scaffold --into``);
``atomic_create`` creates one that must not exist yet (``hubtool new``, ``scaffold --into`` a new
manifest). Both write a temporary file beside the target first (same directory, so the final
step is a rename or a link within one file system: POSIX ``rename(2)``, ``link(2)``).
``read_capped`` reads at most a cap of bytes (``/dev/zero`` or a pipe never fills memory).
"""

from __future__ import annotations

import errno
import os
import secrets
import tempfile
from pathlib import Path
from typing import BinaryIO

from hubtool.core.errors import HubtoolError


def atomic_write(path: Path, text: str, mode: int | None = None) -> None:
    """Write a temporary file beside ``path``, then rename it over ``path``, which gets
    ``mode`` (default: the mode of the ``path`` it replaces, which must then exist).

    Raises OSError (a full disk, a read-only directory); ``path`` is then untouched and the
    temporary file removed.
    """
    mode = path.stat().st_mode & 0o7777 if mode is None else mode
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def atomic_create(path: Path, text: str) -> None:
    """Create ``path`` holding ``text``, whole or not at all; never replace an existing file.

    The file gets the usual mode of a new file (0o666 less the umask). Raises
    FileExistsError when ``path`` exists (also when it appeared meanwhile), else OSError; the
    temporary file is removed either way.
    """
    temp = path.parent / f".{path.name}.{secrets.token_hex(6)}"
    _write_new(temp, text)
    try:
        os.link(temp, path, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        _write_new(path, text)  # a file system without hard links: created in place, O_EXCL
    finally:
        temp.unlink(missing_ok=True)


_NO_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})
"""link(2) errors of a file system that cannot link, rather than of a target that exists."""


def _write_new(path: Path, text: str) -> None:
    """Create ``path`` (never through a link, never over a file) with ``text``; on failure the
    partial file is removed."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def make_directory(directory: Path) -> None:
    """``directory`` and its missing parents; HubtoolError (exit 2) when one of them is a file
    (or cannot be made), naming it: not the "already exists" of the file to be created."""
    for part in (directory, *directory.parents):
        if part.exists() or part.is_symlink():
            if not part.is_dir():
                raise HubtoolError(f"{part} is not a directory; nothing written")
            break
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HubtoolError(
            f"{directory}: cannot create the directory: {exc.strerror or exc}"
        ) from exc


def read_capped(source: Path | BinaryIO, cap: int, what: str) -> bytes:
    """The bytes of ``source`` (a path, or an open binary stream such as stdin), at most
    ``cap``. HubtoolError ``"WHAT: over CAP bytes"`` past the cap; OSError as it is."""
    if isinstance(source, Path):
        with source.open("rb") as handle:
            data = handle.read(cap + 1)
    else:
        data = source.read(cap + 1)
    if len(data) > cap:
        raise HubtoolError(f"{what}: over {cap:,} bytes")
    return data
