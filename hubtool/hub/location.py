"""Where the Hub database lives: ``--db``, else ``HUB_DATABASE_URL``, else ``./data/hub.db``
(Harbor's Hub default, FORMAT.md section 1)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote

from hubtool.core.errors import HubtoolError

DEFAULT = Path("data/hub.db")
_PREFIXES = ("sqlite:///", "sqlite://", "file://", "file:")


def database_path(option: Path | None, environ: Mapping[str, str] | None = None) -> Path:
    """The database file. ``HUB_DATABASE_URL`` may be a path, ``file:PATH`` or
    ``sqlite:///PATH`` (a query part is ignored); another scheme is refused (HubtoolError)."""
    if option is not None:
        return option
    url = (os.environ if environ is None else environ).get("HUB_DATABASE_URL", "")
    if not url:
        return DEFAULT
    for prefix in _PREFIXES:
        if url.startswith(prefix):
            path = unquote(url[len(prefix) :].split("?", 1)[0])
            if path:
                return Path(path)
    if "://" in url:
        raise HubtoolError(
            "HUB_DATABASE_URL names a database hubtool cannot write: only a SQLite file "
            "(a path, file:PATH or sqlite:///PATH)"
        )
    return Path(url)
