"""Where the configuration file is: ``find_config`` (no parsing, so a run without a
configuration loads nothing else of this package)."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_NAME = ".hubtool.yaml"


def find_config(start: Path) -> Path | None:
    """The .hubtool.yaml of the repository that holds ``start`` (beside apps/hub/catalog)."""
    here = start.absolute()
    for directory in (here if here.is_dir() else here.parent, *here.parents):
        candidate = directory / CONFIG_NAME
        if os.path.lexists(candidate):  # a FIFO or directory too: load_config refuses it
            return candidate
        if (directory / "apps/hub/catalog").is_dir() or (directory / ".git").exists():
            return None
    return None
