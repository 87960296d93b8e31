"""Where the configuration file is: ``find_config`` (no parsing, so a run without a
configuration loads nothing else of this package), and ``misnamed_config``: a file under a
name hubtool does not read, which would otherwise be silently ignored."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

CONFIG_NAME = ".hubtool.yaml"
MISNAMED = (".hubtool.yml", "hubtool.yaml", "hubtool.yml", ".hubtool.json", "hubtool.json")
"""Names a configuration is likely given by mistake (other linters' spellings)."""


def find_config(start: Path) -> Path | None:
    """The .hubtool.yaml of the repository that holds ``start`` (beside apps/hub/catalog)."""
    for directory in _searched(start):
        candidate = directory / CONFIG_NAME
        if os.path.lexists(candidate):  # a FIFO or directory too: load_config refuses it
            return candidate
    return None


def misnamed_config(start: Path, found: Path | None = None) -> Path | None:
    """A file named like a configuration (``MISNAMED``) in a directory ``find_config``
    searches from ``start`` (up to where it stops, ``found``'s directory included), or None."""
    for directory in _searched(start):
        for name in MISNAMED:
            if os.path.lexists(directory / name):
                return directory / name
        if found is not None and directory == found.parent:
            return None
    return None


def _searched(start: Path) -> Iterator[Path]:
    """The directories searched for the configuration, nearest first: up from ``start`` to
    the one holding it, the catalog's repository root (apps/hub/catalog) or a ``.git``."""
    here = start.absolute()
    for directory in (here if here.is_dir() else here.parent, *here.parents):
        yield directory
        if os.path.lexists(directory / CONFIG_NAME):
            return
        if (directory / "apps/hub/catalog").is_dir() or (directory / ".git").exists():
            return
