"""``scaffold --into MANIFEST``: the manifest the actions go into, existing or new, and the text
it becomes. Pure but for ``write``.

An existing manifest is read strictly (``hubtool validate``'s loader) and its first port's
``baseUrl`` places the actions; ``hubtool new``'s placeholder action (``core.skeleton``) is
replaced by the first actions added. A manifest that does not exist is created, which needs
``--base-url``: its metadata is derived (``core.skeleton``) from the file's place, which is
``integrations/<publisher>/<slug>.json`` in a catalog, else ``<slug>.json`` with the publisher
taken from the base URL's host (``api.github.com`` -> ``github``). The text is
``json.dumps(indent=2, ensure_ascii=False)`` plus a newline; an existing file is replaced
atomically, a new one created atomically and never over a file that appeared meanwhile.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hubtool.core.errors import HubtoolError
from hubtool.core.skeleton import skeleton, without_placeholder
from hubtool.load.discover import CATALOG, shown
from hubtool.upstream.scaffold.names import kebab
from hubtool.upstream.scaffold.template import manifest_and_base_url


@dataclass
class Target:
    """The manifest to scaffold into: its data without the placeholder action, and its port."""

    path: Path
    data: dict[str, Any]
    base_url: str
    created: bool
    """True when ``path`` does not exist yet: ``write`` creates it."""


@dataclass
class Placed:
    """The manifest with the new actions: its text and the version bump the change needs."""

    text: str
    changes: list[Any]
    """hubtool.diff.kinds.Change objects (empty for a new manifest)."""
    required_bump: str | None
    version: Any
    minimum_version: str | None

    def bump_line(self, created: bool) -> str:
        """``action-added: minor; the version must be at least 0.2.0``, or for a new file
        ``a new manifest at version 0.1.0``."""
        if created:
            return f"a new manifest at version {self.version}"
        kinds = ", ".join(dict.fromkeys(change.kind for change in self.changes)) or "no changes"
        if self.minimum_version is None:
            return f"{kinds}: {self.required_bump}; version {self.version!r} is not semver"
        return f"{kinds}: {self.required_bump}; the version must be at least {self.minimum_version}"


def open_target(path: Path, base_url: str | None) -> Target:
    """The manifest at ``path``, or a new one under ``base_url`` when ``path`` does not exist.

    Raises
    HubtoolError: an unreadable or invalid JSON file, no actionTemplates array or port
    baseUrl, ``--base-url`` differing from an existing port's, a new file without
    ``--base-url`` or with a name that is not a slug.
    """
    _refuse_links(path)
    if path.is_symlink():
        raise HubtoolError(
            f"{shown(str(path))}: is a symbolic link; scaffold never writes through a link: "
            "give the manifest file itself"
        )
    if path.exists():
        return _existing(path, base_url)
    _refuse_unprintable(path)
    if base_url is None:
        raise HubtoolError(
            f"{path} does not exist: pass --base-url URL (the port's baseUrl) to create it, or "
            "create it first with 'hubtool new PUBLISHER/SLUG --base-url URL'"
        )
    publisher, slug = _names(path, base_url)
    return Target(path, skeleton(publisher, slug, base_url), base_url, created=True)


def place(target: Target, actions: list[dict[str, Any]]) -> Placed:
    """``target`` with ``actions`` appended, as text, and the bump from the file as it was."""
    from hubtool.diff.classify import diff  # lazy: only --into needs the diff (and git) modules
    from hubtool.diff.gate import minimum_version, required_bump

    new = copy.deepcopy(target.data)
    new["actionTemplates"] = [*new["actionTemplates"], *copy.deepcopy(actions)]
    text = json.dumps(new, indent=2, ensure_ascii=False) + "\n"
    version = target.data.get("version")
    if target.created:
        return Placed(text, [], None, version, str(version))
    changes = diff(target.data, new)
    bump = required_bump(changes)
    try:
        minimum: str | None = minimum_version(str(version), bump)
    except ValueError:
        minimum = None
    return Placed(text, changes, bump, version, minimum)


def write(target: Target, text: str) -> None:
    """Replace the file atomically, or create it (and its directory) when it is new."""
    from hubtool.core.files import atomic_create, atomic_write, make_directory

    if target.created:
        make_directory(target.path.parent)
    try:
        if target.created:
            atomic_create(target.path, text)
        else:
            atomic_write(target.path, text)
    except FileExistsError:
        raise HubtoolError(f"{target.path}: appeared meanwhile; it was left as it is") from None
    except OSError as exc:
        raise HubtoolError(f"{target.path}: cannot write: {exc.strerror or exc}") from exc


def _existing(path: Path, base_url: str | None) -> Target:
    data, port_url = manifest_and_base_url(path)
    if base_url is not None and base_url != port_url:
        raise HubtoolError(
            f"{path} exists and its port's baseUrl is {port_url!r}: --base-url only names the "
            "base URL of a new manifest; drop it, or edit the port"
        )
    data = {**data, "actionTemplates": without_placeholder(data["actionTemplates"])}
    return Target(path, data, port_url, created=False)


def _refuse_links(path: Path) -> None:
    """Raise HubtoolError when a directory on the way to ``path`` is a symbolic link: each one
    of a relative path as written, and of any path those of its catalog (``apps/hub/catalog``
    and below), which ``hubtool validate`` reads only as real directories (``catalog-tree``).
    A link there could send the file out of the tree."""
    parts = path.parts[:-1]
    start = 0 if not path.is_absolute() else len(parts)
    for index in range(len(parts) - 2):
        if parts[index : index + 3] == CATALOG.parts:
            start = min(start, index)
            break
    for end in range(start + 1, len(parts) + 1):
        directory = Path(*parts[:end])
        if directory.is_symlink():
            raise HubtoolError(
                f"{shown(str(directory))}: is a symbolic link; scaffold --into never writes "
                "through a link: give a path of real directories"
            )


def _refuse_unprintable(path: Path) -> None:
    """Raise HubtoolError when a file or directory ``write`` would create has a name with
    control or invisible characters (``catalog-tree`` would refuse it)."""
    for part in (path, *path.parents):
        if part.exists():
            break
        if not part.name.isprintable():
            raise HubtoolError(
                f"{shown(str(path))}: the name '{shown(part.name)}' holds control or invisible "
                "characters; give printable names"
            )


def _names(path: Path, base_url: str) -> tuple[str, str]:
    """(publisher slug, manifest slug) of a new manifest at ``path``."""
    slug = path.stem if path.suffix == ".json" else path.name
    if path.parent.parent.name == "integrations":
        return path.parent.name, slug
    labels = (urlsplit(base_url).hostname or "").split(".")
    publisher = kebab(labels[-2] if len(labels) > 1 else labels[0])[:64].strip("-")
    return publisher or "publisher", slug
