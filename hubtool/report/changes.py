"""What every diff reporter (text, json, markdown) shows of a diff: the order of its changes,
which manifests are listed, and the verdict line on one manifest.

Imported by the format modules when they render a diff (``hubtool.diff.compare`` is slow to
import, and validate never needs it).
"""

from __future__ import annotations

from collections.abc import Callable

from hubtool.core.registry import MAJOR, MINOR, PATCH
from hubtool.diff.compare import ADDED, REMOVED, UNCHANGED, ManifestDiff, validation_note
from hubtool.diff.kinds import Change


def ordered(changes: list[Change]) -> list[Change]:
    """Review items first, then by action, then by bump (largest first)."""
    rank = {MAJOR: 0, MINOR: 1, PATCH: 2}
    return sorted(changes, key=lambda c: (not c.review, c.action or "", rank[c.bump], c.pointer))


def status(result: ManifestDiff, escape: Callable[[object], str]) -> str:
    """The verdict on one manifest, its versions escaped by ``escape`` for the medium."""
    verdict = result.verdict
    old, new = escape(result.old_version), escape(result.new_version)
    if result.status == ADDED:
        return f"first release {new} (passes)"
    if result.status == REMOVED:
        return f"manifest removed (was {old}); review the removal"
    if result.status == UNCHANGED:
        return f"no changes ({new})"
    outcome = "passes" if verdict.ok else "FAILS"
    return (
        f"{old} -> {new}: {outcome}; "
        f"{verdict.required_bump} changes need at least {escape(verdict.minimum_version)}"
    )


def shown(results: list[ManifestDiff], verbose: bool) -> list[ManifestDiff]:
    """The manifests a reviewer reads, like ``git diff``: the changed ones and any that fail
    the gate (all with ``verbose``, or when one manifest was compared)."""
    if verbose or len(results) == 1:
        return results
    return [r for r in results if r.status != UNCHANGED or not r.verdict.ok]


def removed(results: list[ManifestDiff]) -> list[str]:
    """The files of the manifests the change removes."""
    return [r.file for r in results if r.status == REMOVED]


def unchanged_line(results: list[ManifestDiff], listed: list[ManifestDiff]) -> str:
    """The closing line on the manifests not listed ("" when every one is)."""
    hidden = len(results) - len(listed)
    if not hidden:
        return ""
    if not listed:
        return f"no manifest changed ({hidden} compared)\n"
    return f"{hidden} unchanged manifest(s) not listed (--verbose lists them)\n"


def invalid(result: ManifestDiff) -> str:
    """Why the new version does not validate ("" when it does, or was not validated)."""
    return validation_note(result)
