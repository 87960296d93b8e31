"""Write the minimum acceptable version into a manifest, changing only the version string."""

from __future__ import annotations

import json
import re
import tempfile  # noqa: F401 - the fault tests patch hubtool.diff.bump.tempfile.mkstemp
from pathlib import Path

from hubtool.core.errors import HubtoolError
from hubtool.core.files import atomic_write as _atomic_write
from hubtool.diff.compare import ManifestDiff
from hubtool.diff.gate import minimum_version, satisfies

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
        minimum = minimum_version(result.old_version, result.verdict.required_bump)
    except ValueError:
        return None
    return _prerelease(result.old_version, result.new_version, minimum) or minimum


def _prerelease(old: str, declared: object, minimum: str) -> str | None:
    """When the declared version is a pre-release, the same pre-release of ``minimum`` (or the
    next one after ``old``) if it meets the gate: ``1.2.3 -> 1.3.0-rc.1`` with a major change
    becomes ``2.0.0-rc.1``, not ``2.0.0``. None otherwise."""
    import semver

    if not isinstance(declared, str) or not semver.Version.is_valid(declared):
        return None
    prerelease = semver.Version.parse(declared).prerelease
    if not prerelease:
        return None
    base = semver.Version.parse(old)
    for candidate in (
        semver.Version.parse(minimum).replace(prerelease=prerelease),
        base.bump_prerelease(),
    ):
        if candidate > base and satisfies(base, candidate, minimum):
            return str(candidate)
    return None


def write_target(path: Path, root: Path) -> Path:
    """The file a bump of ``path`` writes: ``path``, or through a symbolic link its target,
    which must lie inside the repository at ``root`` (else an error: nothing is written).

    Replacing the link with a copy would leave the real file at the old version.
    """
    if not path.is_symlink():
        return path
    target = path.resolve(strict=False)
    if not target.is_relative_to(root.resolve()) or not target.is_file():
        raise HubtoolError(
            f"{path}: a symbolic link to {target}, which is not a file inside the repository "
            f"at {root}; bump the real file, or replace the link with it"
        )
    return target


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
