"""Write the Hub database from validated manifests: deterministic, atomic, immutable versions.

Deterministic: rows are inserted in one order (integrations by publisher then slug, ids from
1), nothing records a time, the page size is fixed (``schema.PAGE_SIZE``), and the file is
written by ``VACUUM INTO`` from an in-memory database, so one catalog gives one file, byte for
byte (with one SQLite library). Atomic: that file is a temporary one beside the target,
fsync'ed, then renamed over it (POSIX rename(2)); a reader or a crash sees the old database or
the new one. Immutable: a (publisher, slug, version) the existing database has released keeps
its sha256; ``conflicts`` names every manifest whose content changed without a new version.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from hubtool.core.errors import HubtoolError
from hubtool.hub import rows
from hubtool.hub.rows import Entry
from hubtool.hub.schema import FORMAT, PAGE_SIZE, TABLES

Release = tuple[str, str, str]
"""(publisher, slug, version)."""


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (flock(2) on the directory itself: no lock file
    left behind), so two builds of one database run one after the other and the second reads
    the releases the first wrote. Without ``fcntl`` (Windows), no lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError as exc:
        raise HubtoolError(f"{directory}: cannot lock: {exc.strerror or exc}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def open_readonly(path: Path) -> sqlite3.Connection:
    """The Hub database at ``path``, read-only (``mode=ro``: never created or written).
    HubtoolError (exit 2) when it is missing or not a Hub database of this layout."""
    if not path.is_file():
        raise HubtoolError(f"{path}: no Hub database; run `hubtool hub build` first")
    uri = "file:" + _uri_path(path) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.DatabaseError as exc:
        raise HubtoolError(f"{path}: not a Hub database ({exc})") from exc
    try:
        found = _format(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise HubtoolError(f"{path}: not a Hub database ({exc})") from exc
    if found != FORMAT:
        conn.close()
        raise HubtoolError(f"{path}: not a Hub database of format {FORMAT}")
    return conn


def _format(conn: sqlite3.Connection) -> object:
    """``meta.format`` of a database that may be anyone's file: None unless it has no view or
    trigger (a view of a recursive query never ends; a read runs no trigger, but hubtool
    never carries a file that has one) and ``meta`` and ``releases`` are plain tables.
    Functions in its schema are refused (``trusted_schema``)."""
    conn.execute("PRAGMA trusted_schema = OFF")
    found = conn.execute(
        "SELECT name, type, sql FROM sqlite_schema WHERE type IN ('view', 'trigger')"
        " OR name IN ('meta', 'releases')"
    ).fetchall()
    plain = {name for name, kind, sql in found if kind == "table" and _plain(sql)}
    if len(found) != 2 or plain != {"meta", "releases"}:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    return row[0] if row else None


def _plain(sql: object) -> bool:
    return isinstance(sql, str) and sql.startswith("CREATE TABLE ")


def _uri_path(path: Path) -> str:
    """``path`` absolute, with the characters a SQLite URI reserves percent-encoded."""
    from urllib.parse import quote

    return quote(str(path.absolute()), safe="/")


def released(path: Path) -> dict[Release, str]:
    """Every release the database at ``path`` records, with its sha256; empty when there is
    no file yet."""
    if not path.exists() and not path.is_symlink():
        return {}
    if not path.is_file():
        raise HubtoolError(f"{path}: not a regular file; refusing to replace it")
    conn = open_readonly(path)
    try:
        bad = conn.execute(f"SELECT count(*) FROM releases WHERE NOT ({_RELEASE})").fetchone()
        found = conn.execute("SELECT publisher, slug, version, sha256 FROM releases").fetchall()
    except sqlite3.DatabaseError as exc:
        raise HubtoolError(f"{path}: not a Hub database ({exc})") from exc
    finally:
        conn.close()
    if bad[0]:
        raise HubtoolError(f"{path}: not a Hub database ({bad[0]} malformed releases)")
    return {(p, s, v): digest for p, s, v, digest in found}


_RELEASE = " AND ".join(
    [
        *(f"typeof({c}) = 'text' AND length({c}) BETWEEN 1 AND 64" for c in ("publisher", "slug")),
        "typeof(version) = 'text' AND length(version) BETWEEN 1 AND 64",
        "typeof(sha256) = 'text' AND length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'",
    ]
)
"""A well-formed ``releases`` row (slugs and versions as the manifest schema bounds them, a
hex sha256), checked before any is read: a foreign file's rows never reach the new database."""


def conflicts(entries: Iterable[Entry], old: dict[Release, str]) -> list[str]:
    """``publisher/slug version`` of each entry whose content differs from the same version
    released before, sorted."""
    return sorted(
        f"{e.publisher}/{e.slug} {e.version}"
        for e in entries
        if old.get((e.publisher, e.slug, e.version), e.sha256) != e.sha256
    )


def build(entries: list[Entry], target: Path, old: dict[Release, str]) -> None:
    """Write the database of ``entries`` (plus the ``old`` releases) to ``target``, atomically.
    The caller has checked ``conflicts``. OSError when the directory is not writable."""
    ordered = sorted(entries, key=lambda e: (e.publisher, e.slug))
    keys = [(e.publisher, e.slug) for e in ordered]
    if len(set(keys)) != len(keys):
        raise HubtoolError("two manifests share a publisher and slug; nothing built")
    _one_publisher_each(ordered)
    memory = sqlite3.connect(":memory:")
    try:
        _fill(memory, ordered, old)
        _write_atomically(memory, target)
    finally:
        memory.close()


def _one_publisher_each(items: list[Entry]) -> None:
    """HubtoolError when two manifests give one publisher slug a different name or websiteUrl:
    the Hub keeps one row per publisher, so one manifest would rename (and relink) the
    publisher of every other."""
    seen: dict[str, tuple[str, str, str]] = {}
    for item in items:
        row = rows.publisher_row(item)
        first = seen.setdefault(item.publisher, (*row[1:], f"{item.publisher}/{item.slug}"))
        if first[:2] != row[1:]:
            raise HubtoolError(
                f"publisher {item.publisher!r} is named differently by {first[2]} and "
                f"{item.publisher}/{item.slug} (name or websiteUrl); give every manifest of a "
                "publisher the same publisher; nothing built"
            )


def _fill(conn: sqlite3.Connection, items: list[Entry], old: dict[Release, str]) -> None:
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    conn.executescript(TABLES)
    with conn:
        conn.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        publishers = sorted({rows.publisher_row(item) for item in items})
        conn.executemany("INSERT OR IGNORE INTO publishers VALUES (?, ?, ?)", publishers)
        next_action = 1
        for key, item in enumerate(items, 1):
            next_action += _insert_one(conn, key, item, next_action)
        conn.executemany(
            "INSERT INTO shelves VALUES (?, ?)",
            sorted((rows.text(it.data.get("category")), k) for k, it in enumerate(items, 1)),
        )
        conn.executemany("INSERT INTO shortcuts VALUES (?, ?)", rows.shortcuts(items))
        releases = dict(old) | {(e.publisher, e.slug, e.version): e.sha256 for e in items}
        conn.executemany(
            "INSERT INTO releases VALUES (?, ?, ?, ?)",
            [(*release, digest) for release, digest in sorted(releases.items())],
        )
        conn.execute("INSERT INTO integration_search(integration_search) VALUES ('optimize')")
        conn.execute("INSERT INTO action_search(action_search) VALUES ('optimize')")


def _insert_one(conn: sqlite3.Connection, key: int, item: Entry, first_action: int) -> int:
    """Insert one integration's rows; returns how many action templates it has."""
    conn.execute(
        "INSERT INTO integrations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows.integration_row(key, item),
    )
    conn.executemany("INSERT INTO tags VALUES (?, ?, ?)", rows.tag_rows(key, item))
    conn.executemany(
        "INSERT INTO port_templates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows.port_rows(key, item)
    )
    actions = rows.action_rows(first_action, key, item)
    conn.executemany(
        "INSERT INTO action_templates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", actions
    )
    conn.execute(
        "INSERT INTO integration_search(rowid, publisher, slug, title, summary, tags, category,"
        " description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (key, *rows.search_texts(item)),
    )
    title = rows.text(item.data.get("title"))
    conn.executemany(
        "INSERT INTO action_search(rowid, slug, label, integration, description)"
        " VALUES (?, ?, ?, ?, ?)",
        [(a[0], a[3], a[4], f"{item.publisher} {item.slug} {title}", a[5]) for a in actions],
    )
    return len(actions)


def _write_atomically(memory: sqlite3.Connection, target: Path) -> None:
    """``VACUUM INTO`` a new file beside ``target`` (the same file system), fsync it, rename
    it over ``target``, fsync the directory. On any failure the new file is removed and
    ``target`` is untouched."""
    _remove_stale(target)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)  # VACUUM INTO accepts an empty file
    try:
        memory.execute("VACUUM INTO ?", (temp,))
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(temp + suffix).unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)


_TEMPORARY = (".tmp", ".tmp-journal", ".tmp-wal", ".tmp-shm")
"""A build's temporary database and the files SQLite keeps beside it while it writes it."""


def _remove_stale(target: Path) -> None:
    """Remove the temporary files a killed build left beside ``target``
    (``.<name>.<random>.tmp`` and its SQLite ``-journal``, ``-wal`` or ``-shm``; regular files
    only). Called under ``locked``: no other build is writing one."""
    for path in target.parent.glob(f".{glob.escape(target.name)}.*.tmp*"):
        if path.name.endswith(_TEMPORARY) and path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX: fsync the directory); a platform that cannot open a
    directory skips it."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
