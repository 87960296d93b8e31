"""JSON files outside the catalog that look like manifests: named, not silently passed over.

``hubtool validate`` with no path checks the catalog (``apps/hub/catalog``) only; a manifest
saved beside it by mistake (at the repository root, in ``apps/hub/`` or ``apps/hub/integrations``)
is never served by Hub and never checked. ``lookalikes`` finds such files where a misplaced
manifest lands, the repository root and ``apps/`` outside the catalog (not test fixtures or
other tools' trees deeper in the repository), so the command can name them (a note on stderr,
as ruff and ESLint warn about files they leave out: not a finding, since the file is not part
of the catalog). Bounded: at most ``MAX_LISTED`` names are considered and
``MAX_PEEKED`` files opened, each read for its first ``PEEK_BYTES`` bytes, without following a
link or blocking on a special file. Pure: no printing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hubtool.load.ignored import git_ls_files, skipped_name

MAX_LISTED = 100_000
MAX_PEEKED = 2_000
PEEK_BYTES = 64 * 1024
_MARKER = re.compile(
    rb'"(?:actionTemplates|portTemplates)"\s*:\s*\['
    rb'|"kind"\s*:\s*"dock_integration"'
    rb'|"\$schema"\s*:\s*"[^"\n]{0,300}dock-integration\.schema\.json"'
)
"""What only a manifest holds: a list of action or port templates, its kind, or the editor's
schema hint (the schema itself, whose ``actionTemplates`` is an object, is not one)."""


SEARCHED = "apps"
"""The directory under the root searched whole (outside the catalog); the root's own files too."""


def lookalikes(root: Path, catalog: Path) -> list[Path]:
    """``*.json`` files at ``root`` or under ``root/apps`` outside ``catalog`` whose head looks
    like a manifest (``_MARKER``), sorted. Files git ignores, hidden and tool directories are
    left out."""
    root = root.absolute()
    names = _git_listing(root, catalog)
    candidates = names if names is not None else _walked(root, catalog)
    candidates = [p for p in candidates if _searched(p.relative_to(root))]
    found = [path for path in candidates[:MAX_PEEKED] if _looks_like_manifest(path)]
    return sorted(found)


def _searched(relative: Path) -> bool:
    return len(relative.parts) == 1 or relative.parts[0] == SEARCHED


def _git_listing(root: Path, catalog: Path) -> list[Path] | None:
    """git's tracked and not-ignored ``*.json`` files under ``root``, or None without git."""
    try:
        excluded = catalog.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return None
    arguments = ["--cached", "--others", "--exclude-standard", "--"]
    listed = git_ls_files(root, [*arguments, ":(icase)*.json", f":(exclude,literal){excluded}"])
    if listed is None:
        return None
    names = [Path(name) for name in listed[:MAX_LISTED]]
    return [root / name for name in names if not any(map(skipped_name, name.parent.parts))]


def _walked(root: Path, catalog: Path) -> list[Path]:
    """Without git: ``*.json`` files found by a walk that skips hidden and tool directories and
    the catalog, never follows a link, and stops after ``MAX_LISTED`` entries."""
    catalog = catalog.absolute()
    found: list[Path] = []
    root = root.absolute()
    stack, seen = [root], 0
    while stack and seen < MAX_LISTED:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                searched = directory != root or entry.name == SEARCHED
                if searched and path != catalog and not skipped_name(entry.name):
                    stack.append(path)
            elif entry.name.lower().endswith(".json"):
                found.append(path)
    return found


def _looks_like_manifest(path: Path) -> bool:
    from hubtool.load.strict import open_regular

    try:
        with open_regular(path) as handle:
            head = handle.read(PEEK_BYTES)
    except OSError:
        return False
    return _MARKER.search(head) is not None
