"""Write the minimum acceptable version into a manifest, changing only the version string."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from hubtool.compare import ManifestDiff
from hubtool.errors import HubtoolError
from hubtool.gate import minimum_version

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def target_version(result: ManifestDiff) -> str | None:
    """The version to write, or None when the declared version passes (or none can be chosen).

    With no changes that is the released version again (the version decreased, or is not semver).
    """
    if result.verdict.ok or result.new is None or not isinstance(result.old_version, str):
        return None
    if result.crashed:
        return None  # the changes are unknown: never write a version
    try:
        return minimum_version(result.old_version, result.verdict.required_bump)
    except ValueError:
        return None


def set_version(path: Path, text: str, offset: int, version: str) -> None:
    """Replace the JSON string at ``offset`` with ``version``, atomically."""
    match = _STRING.match(text, offset)
    if not match:
        raise HubtoolError(f"{path}: the version is not a JSON string; set it to {version!r}")
    updated = text[: match.start()] + json.dumps(version) + text[match.end() :]
    try:
        _atomic_write(path, updated)
    except OSError as exc:  # a full disk, a read-only file system or directory
        raise HubtoolError(
            f"{path}: cannot write the version {version!r}: {exc.strerror or exc}; "
            "the manifest is unchanged"
        ) from exc


def _atomic_write(path: Path, text: str) -> None:
    """Write a temporary file beside ``path``, then rename it over ``path``.

    Raises OSError (a full disk, a read-only directory); ``path`` is then untouched and the
    temporary file removed.
    """
    mode = path.stat().st_mode & 0o7777
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
