"""``hub export DIR``: the Hub API and page as static files, answered by ``api.respond`` so
the export and the server return the same bytes.

One file per endpoint and name: ``index.html`` (``/``), ``api/openapi.json``,
``api/integrations.json``, ``api/shelves.json``, for each integration
``integrations/P/S.html`` (its page), ``api/integrations/P/S.json`` and
``api/manifests/P/S.json``, and ``api/resolve/SHORTCUT.json`` for each shortcut (a static host
serves ``X.json`` or ``X.html`` for ``/X``: "pretty URLs"). The action search
needs a query, so it is served only by ``hub serve``. Each file is written atomically (a
temporary file beside it, then a rename); a name that would leave DIR is refused.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from hubtool.core.errors import HubtoolError
from hubtool.hub.api import respond


def endpoints(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """(request path, relative file name) of every exported response, in a fixed order."""
    yield "/", "index.html"
    for path in ("/api/openapi.json", "/api/integrations", "/api/shelves"):
        yield path, _file(path)
    names = conn.execute("SELECT publisher, slug FROM integrations ORDER BY publisher, slug")
    for publisher, slug in names.fetchall():
        for kind in ("integrations", "manifests"):
            yield _api(kind, publisher, slug)
        page = f"/integrations/{quote(publisher, safe='')}/{quote(slug, safe='')}"
        yield page, f"integrations/{publisher}/{slug}.html"
    for (shortcut,) in conn.execute("SELECT shortcut FROM shortcuts ORDER BY shortcut").fetchall():
        yield _api("resolve", shortcut)


def _api(kind: str, *names: str) -> tuple[str, str]:
    path = "/".join(("", "api", kind, *(quote(n, safe="") for n in names)))
    return path, _file("/".join(("api", kind, *names)))


def _file(path: str) -> str:
    name = path.lstrip("/")
    return name if name.endswith(".json") else name + ".json"


def export(conn: sqlite3.Connection, directory: Path) -> int:
    """Write every endpoint's body under ``directory``; returns how many files. HubtoolError
    for a name that would leave ``directory`` or a response that is not a 200."""
    directory.mkdir(parents=True, exist_ok=True)
    root = directory.resolve()
    count = 0
    for path, name in endpoints(conn):
        target = _inside(root, name)
        answer = respond(conn, "GET", path)
        if answer.status != 200:
            raise HubtoolError(f"{path}: the Hub answered {answer.status}; nothing more written")
        write(target, answer.body)
        count += 1
    return count


def _inside(root: Path, name: str) -> Path:
    """``root / name``, its directories made; refused (HubtoolError) when a part is empty,
    ``.``, ``..``, holds a NUL or a backslash, or when a part on the way is a link (or a file
    where a directory goes)."""
    parts = name.split("/")
    if any(p in ("", ".", "..") or "\0" in p or "\\" in p for p in parts):
        raise HubtoolError(f"refusing to export {name!r}: it would leave the export directory")
    current = root
    for part in parts[:-1]:  # made one by one: never through a link
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            raise HubtoolError(f"refusing to export {name!r}: a link leads out of {root}")
        if not current.exists():
            current.mkdir()
    target = current / parts[-1]
    if target.is_symlink() or target.is_dir():
        raise HubtoolError(f"refusing to export {name!r}: a link leads out of {root}")
    return target


def write(target: Path, body: bytes) -> None:
    """``body`` into ``target``: a temporary file beside it, fsync'ed, renamed over it."""
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
