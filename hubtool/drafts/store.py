"""The embedded draft store: one SQLite file, versioned migrations, one transaction per import.

The schema and its migrations are in ``hubtool.drafts.migrations``.

No table has a column for a credential: ports hold safe metadata only and are marked as
needing local auth, which the operator configures on the Harbor Node.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.drafts.migrations import MIGRATIONS, empty_store

STORE_ENV = "HUBTOOL_STORE"
INACTIVE = ("superseded", "rejected")
"""Draft states kept as history only: ``drafts list`` leaves them out unless asked."""


def default_path() -> Path:
    """$HUBTOOL_STORE, else $XDG_DATA_HOME/hubtool/store.sqlite3 (~/.local/share by default)."""
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local/share")
    return Path(data_home) / "hubtool" / "store.sqlite3"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


@dataclass(frozen=True)
class Draft:
    """One action draft row."""

    id: str
    port_id: str
    slug: str
    state: str
    template: dict[str, Any]
    template_sha256: str
    input_schema: dict[str, Any]
    approval_mode: str
    request_body_mode: str
    result_mode: str
    manifest_slug: str
    manifest_version: str
    manifest_sha256: str
    source_path: str
    supersedes: str | None
    created_at: str
    updated_at: str


def _refuse_special(path: Path) -> None:
    """Raise HubtoolError when ``path`` exists and is not a regular file: SQLite would block on
    a FIFO, write a journal beside a device, or fail on a directory with a misleading I/O error."""
    if str(path) == ":memory:":
        return
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return  # absent: a writer creates it, a reader reads it as empty
    if not stat.S_ISREG(mode):
        raise HubtoolError(
            f"{path}: the draft store is not a regular file (a directory, FIFO or device); "
            "give the path of a store file, or of one to create"
        )


class Store:
    """A connection to the store file.

    Writers migrate an older store forward on open. Readers (``read_only``) open the file with
    SQLite's ``mode=ro`` and never create, migrate or write it: a missing store reads as an
    empty one (``missing``), an older one is read as it is (``outdated``: its schema version).
    """

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.missing = False
        self.outdated: int | None = None
        created = not read_only and str(path) != ":memory:" and not path.exists()
        _refuse_special(path)
        try:
            if read_only:
                self.db = self._connect_read_only(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 30000")
            if read_only:
                self._check_version()
            else:
                self._migrate()
        except sqlite3.DatabaseError as exc:
            self._abandon(created)
            raise HubtoolError(_store_error(path, exc)) from exc
        except OSError as exc:
            self._abandon(created)
            raise HubtoolError(f"{path}: cannot create the draft store: {exc}") from exc
        except HubtoolError:
            self._abandon(created)
            raise

    def _connect_read_only(self, path: Path) -> sqlite3.Connection:
        """``mode=ro`` on the file; an absent file reads as an empty store in memory."""
        if not path.exists():
            self.missing = True
            return empty_store()
        uri = f"{path.absolute().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)

    def _abandon(self, created: bool) -> None:
        """Close; a store file this run created but could not set up is removed again."""
        db = getattr(self, "db", None)
        if db is not None:
            db.close()
        if created:  # only while still empty: never a store another process has set up since
            with contextlib.suppress(OSError):
                if self.path.stat().st_size == 0:
                    self.path.unlink()

    def close(self) -> None:
        self.db.close()

    def _version(self) -> int:
        current = self._rows("PRAGMA user_version")[0][0]
        if current > len(MIGRATIONS):
            raise HubtoolError(
                f"{self.path}: store schema version {current} is newer than this hubtool "
                f"understands ({len(MIGRATIONS)}); upgrade hubtool"
            )
        return current

    def _check_version(self) -> None:
        """A reader's check: refuse a newer store, note an older one, never migrate."""
        current = self._version()
        if current == 0:
            tables = self._rows("SELECT name FROM sqlite_master WHERE type = 'table'")
            if tables:
                raise HubtoolError(f"{self.path}: cannot open the draft store: not hubtool's")
            self.missing = True  # an empty file: no hubtool ever wrote to it
            self.db.close()
            self.db = empty_store()
            self.db.row_factory = sqlite3.Row
        elif current < len(MIGRATIONS):
            self.outdated = current

    def _migrate(self) -> None:
        with self.transaction():
            current = self._version()
            for version in range(current, len(MIGRATIONS)):
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        self._rows(statement)
                self._rows(f"PRAGMA user_version = {version + 1}")

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Run one statement; a store that is damaged, locked or not hubtool's exits 2."""
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise HubtoolError(_store_error(self.path, exc)) from exc

    def _row(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        rows = self._rows(sql, args)
        return rows[0] if rows else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE (one writer at a time, all or nothing); a reader's is deferred.

        On any failure, a full disk included, the transaction is rolled back when SQLite has
        not done so itself: the store stays as it was before the transaction.
        """
        self._rows("BEGIN" if self.read_only else "BEGIN IMMEDIATE")
        try:
            yield
            self._rows("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
            raise

    # --- ports -----------------------------------------------------------------------------

    def port(self, publisher_slug: str, manifest_slug: str) -> sqlite3.Row | None:
        return self._row(
            "SELECT * FROM ports WHERE publisher_slug = ? AND manifest_slug = ?",
            (publisher_slug, manifest_slug),
        )

    def port_by_id(self, port_id: str) -> sqlite3.Row | None:
        return self._row("SELECT * FROM ports WHERE id = ?", (port_id,))

    def save_port(self, values: dict[str, Any]) -> None:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        updates = ", ".join(f"{c} = excluded.{c}" for c in values if c not in ("id", "created_at"))
        self._rows(
            f"INSERT INTO ports ({columns}) VALUES ({marks}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            tuple(values.values()),
        )

    # --- drafts ----------------------------------------------------------------------------

    def current_drafts(self, port_id: str) -> dict[str, Draft]:
        """Per action slug of a port: its open draft, else its published one.

        Two queries, each on its partial unique index (a ``state != 'superseded'`` filter
        would scan every draft of every port: quadratic over a catalog import), each in the
        order the drafts were written, as the single scan gave them."""
        published = self._rows(
            "SELECT * FROM drafts WHERE port_id = ? AND state = 'published' ORDER BY rowid",
            (port_id,),
        )
        open_ = self._rows(
            "SELECT * FROM drafts WHERE port_id = ? "
            "AND state NOT IN ('superseded', 'published') ORDER BY rowid",
            (port_id,),
        )
        return {draft.slug: draft for draft in map(self._draft, published + open_)}

    def published_draft(self, port_id: str, slug: str) -> Draft | None:
        row = self._row(
            "SELECT * FROM drafts WHERE port_id = ? AND slug = ? AND state = 'published'",
            (port_id, slug),
        )
        return self._draft(row) if row else None

    def drafts(
        self,
        port_id: str | None = None,
        state: str | None = None,
        manifest: str | None = None,
        active: bool = False,
    ) -> list[Draft]:
        """Drafts in the order they were written; ``manifest``: a manifest slug or a publisher
        slug (as ``import`` names them); ``active``: none superseded or rejected."""
        query, args = "SELECT * FROM drafts WHERE 1 = 1", ()
        if port_id:
            query, args = query + " AND port_id = ?", (*args, port_id)
        if state:
            query, args = query + " AND state = ?", (*args, state)
        if manifest is not None:
            query += " AND (manifest_slug = ? OR port_id IN "
            query += "(SELECT id FROM ports WHERE publisher_slug = ?))"
            args = (*args, manifest, manifest)
        if active:
            query += f" AND state NOT IN {INACTIVE!r}"
        rows = self._rows(query + " ORDER BY created_at, slug", args)
        return [self._draft(row) for row in rows]

    def draft(self, draft_id: str) -> Draft | None:
        row = self._row("SELECT * FROM drafts WHERE id = ?", (draft_id,))
        return self._draft(row) if row else None

    def _draft(self, row: sqlite3.Row) -> Draft:
        """A draft row, decoded and checked: a damaged row stops the run (exit 2), it is never
        half-read."""
        values = dict(row)
        try:
            values["template"] = _json_object(values["template"])
            values["input_schema"] = _json_object(values["input_schema"])
            draft = Draft(**values)
        except (KeyError, TypeError, ValueError) as exc:
            raise HubtoolError(
                f"{self.path}: draft {values.get('id')!r} is damaged ({exc}); "
                "the store is not one hubtool wrote"
            ) from exc
        if not all(isinstance(getattr(draft, name), str) for name in _TEXT_FIELDS):
            raise HubtoolError(f"{self.path}: draft {draft.id!r} has a field that is not text")
        return draft

    def insert_draft(self, draft: Draft, actor: str) -> None:
        values = {**draft.__dict__}
        # Keys keep the manifest's order (query parameters render in it); the canonical form
        # is only for template_sha256.
        values["template"] = json.dumps(draft.template, ensure_ascii=False)
        values["input_schema"] = json.dumps(draft.input_schema, ensure_ascii=False)
        self._rows(_INSERT_DRAFT, tuple(values[name] for name in _DRAFT_COLUMNS))
        self.record(draft.id, None, draft.state, actor, "created by import")

    def set_state(self, draft_id: str, old: str, new: str, actor: str, note: str = "") -> None:
        self._rows(
            "UPDATE drafts SET state = ?, updated_at = ? WHERE id = ?", (new, now(), draft_id)
        )
        self.record(draft_id, old, new, actor, note)

    def record(self, draft_id: str, old: str | None, new: str, actor: str, note: str) -> None:
        """One transition; a credential-shaped part of the actor or note is stored redacted
        (the store holds no credential, and ``drafts show`` prints both)."""
        actor, note = _redacted(actor), _redacted(note)
        self._rows(
            "INSERT INTO transitions (draft_id, from_state, to_state, actor, note, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (draft_id, old, new, actor, note, now()),
        )

    def history(self, draft_id: str) -> list[sqlite3.Row]:
        return self._rows("SELECT * FROM transitions WHERE draft_id = ? ORDER BY id", (draft_id,))


@functools.lru_cache(maxsize=256)
def _redacted(text: str) -> str:
    """``redact_text``, once per distinct text: an import records one actor and one note for
    every draft it creates."""
    from hubtool.core.secrets import redact_text

    return redact_text(text)


_DRAFT_COLUMNS = tuple(Draft.__dataclass_fields__)
_INSERT_DRAFT = (
    f"INSERT INTO drafts ({', '.join(_DRAFT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _DRAFT_COLUMNS)})"
)
_TEXT_FIELDS = tuple(
    name
    for name in Draft.__dataclass_fields__
    if name not in ("template", "input_schema", "supersedes")
)


_WRITE_FAILURES = {
    "SQLITE_FULL": "the disk is full",
    "SQLITE_READONLY": "the store file or its directory is read-only",
    "SQLITE_READONLY_DIRECTORY": "the store's directory is read-only",
    "SQLITE_IOERR": "the disk could not be written",
}
"""SQLite errors (``sqlite_errorname``, base or extended) that a write meets on a sick disk."""


def _store_error(path: Path, exc: sqlite3.DatabaseError) -> str:
    """The exit-2 message for a SQLite error: a write the disk refused says so, and that its
    transaction was rolled back; anything else cannot open the store."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    reason = _WRITE_FAILURES.get(name) or next(
        (why for code, why in _WRITE_FAILURES.items() if name.startswith(code + "_")), None
    )
    if name == "SQLITE_READONLY_ROLLBACK":
        return (
            f"{path}: cannot read the draft store: an interrupted write left a journal that a "
            f"read may not roll back; the next import rolls it back (or: sqlite3 {path} "
            "'PRAGMA quick_check')"
        )
    if name == "SQLITE_CANTOPEN":
        return (
            f"{path}: cannot open the draft store: {exc} (hubtool must be able to write the "
            "file and create its journal beside it); the write was rolled back"
        )
    if reason is None:
        return f"{path}: cannot open the draft store: {exc}"
    return (
        f"{path}: cannot write the draft store: {reason} ({exc}); the write was rolled back "
        "(an import as a whole, a lifecycle step per draft)"
    )


def _json_object(text: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("a JSON column does not hold an object")
    return value
