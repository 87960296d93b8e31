"""A parsed ``.hubtool.yaml`` kept between runs, so the pre-commit hook does not import PyYAML.

The configuration changes far less often than the manifests a commit stages, and reading it
is most of what PyYAML costs the hook: importing PyYAML alone takes 13-15 ms, half the bare
interpreter's start-up. ``cached_document`` keeps what ``config_document`` makes of a file's
exact bytes (the data, the offset of every value and key, the spans outside the scalars) as
one JSON file, and serves it while those bytes and the code that made it stay the same
(``CACHE_FORMAT``, hubtool's version, and the size and modification time of ``yamlfile.py``,
as Python's own bytecode cache checks a source, so an edited checkout misses). Everything
after that step (the schema, rule ids, waivers, the credential scan) runs on every run, so the
cache changes no finding and no message.

- **Where:** ``$HUBTOOL_CACHE_DIR``, else ``$XDG_CACHE_HOME/hubtool``, else
  ``~/.cache/hubtool`` (pre-commit's own convention, on every system), absolute paths only;
  ``HUBTOOL_NO_CACHE`` set to anything but empty, 0, false, no or off turns it off. The
  directory is made private (0700); one that is not the user's own, or that group or others
  may write, is not used (an entry there could be anyone's). An entry is one file, named by
  the CRC-32 and length of the bytes and of the code's stamp, that holds the whole text: a
  read serves it only when the text is the same, so two files that share a name just miss.
- **What is stored:** only a configuration the credential scan finds nothing in, in its
  data, outside it or on any line of its text (hubtool never stores a credential), whose
  values are JSON values or dates and whose keys are text.
- **Never in the way:** a missing, unreadable, corrupt, foreign or oversized entry is a miss;
  a directory that cannot be written is skipped; an entry is written whole (a temporary file
  renamed over it) and the directory keeps at most ``MAX_ENTRIES``, the least recently used
  removed first. An entry that parses and fits its text is trusted, as the user's own
  files are: the directory is theirs alone.
"""

from __future__ import annotations

import binascii
import datetime
import json
import os
import stat
from pathlib import Path
from typing import Any

import hubtool
from hubtool.load.strict import Document
from hubtool.validate.config import yamlfile
from hubtool.validate.config.yamlfile import MAX_CONFIG_BYTES, Spans, config_document, line_starts

CACHE_FORMAT = 3
"""Change it whenever ``config_document``'s output changes for the same bytes."""
MAX_ENTRIES = 64
"""Entries kept: a developer's few repositories and branches."""
MAX_ENTRY_BYTES = 16 * MAX_CONFIG_BYTES
"""An entry is the text plus its data and offsets: a few times the file at most."""
_PREFIX = "config-"
_NOT_OFF = ("", "0", "false", "no", "off")
"""Values of ``HUBTOOL_NO_CACHE`` that leave the cache on (any other turns it off)."""


def cache_directory() -> Path | None:
    """Where entries live (see the module), or None when caching is off or no absolute place
    is known: only an absolute path is used (a ``~`` is expanded; a relative or empty value, as
    the XDG Base Directory specification says, is not), so no run makes a cache directory in
    the repository it checks or at the root."""
    if os.environ.get("HUBTOOL_NO_CACHE", "").strip().lower() not in _NOT_OFF:
        return None
    chosen = os.environ.get("HUBTOOL_CACHE_DIR", "")
    if chosen:
        chosen = os.path.expanduser(chosen)
        return Path(chosen) if os.path.isabs(chosen) else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "hubtool"
    home = "" if os.environ.get("HOME") == "" else os.path.expanduser("~")
    usable = os.path.isabs(home) and Path(home) != Path(home).parent  # not "/" (HOME="")
    return Path(home) / ".cache" / "hubtool" if usable else None


def _stamp() -> list[Any]:
    """What an entry must have been made by: this format, this version of hubtool and this
    ``yamlfile.py`` (its size and modification time, in nanoseconds)."""
    try:
        source = os.stat(yamlfile.__file__)
    except (OSError, TypeError):  # no source file (a frozen application)
        return [CACHE_FORMAT, hubtool.__version__]
    return [CACHE_FORMAT, hubtool.__version__, source.st_size, source.st_mtime_ns]


def cached_document(raw: bytes, name: str) -> tuple[Document, Spans]:
    """``config_document(raw, name)``, served from the cache when it holds these bytes.

    Raises HubtoolError as ``config_document`` does (a file that does not load is never
    stored, so it is read and refused on every run).
    """
    directory = cache_directory()
    if directory is None or len(raw) > MAX_CONFIG_BYTES:
        return config_document(raw, name)
    stamp = _stamp()
    entry = directory / entry_name(raw, stamp)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return config_document(raw, name)
    found = _served(entry, text, name, stamp) if _ours(directory) else None
    if found is not None:
        _touch(entry)
        return found
    doc, outside = config_document(raw, name)
    stored = _storable(doc, outside, stamp)
    if stored is not None:
        _store(entry, stored)
    return doc, outside


def entry_name(raw: bytes, stamp: list[Any]) -> str:
    """The file name of the entry for ``raw`` made by the code ``stamp`` describes: the CRC-32
    and length of the bytes and the CRC-32 of the stamp, so two installs of hubtool (a
    pre-commit environment and a virtual environment) keep an entry each, not one they take
    turns to replace."""
    code = binascii.crc32(repr(stamp).encode("utf-8"))
    return f"{_PREFIX}{binascii.crc32(raw):08x}-{len(raw):x}-{code:08x}.json"


def _touch(entry: Path) -> None:
    """Mark an entry used now, so the pruning removes the least recently used first."""
    try:
        os.utime(entry, follow_symlinks=False)
    except (OSError, NotImplementedError):
        return


def _ours(directory: Path) -> bool:
    """Whether only this user can have written ``directory``'s entries: a directory of theirs
    that group and others may not write. An entry planted in a shared or foreign directory
    could hide a credential or a configuration's problem (an entry is trusted for its text)."""
    try:
        found = os.stat(directory)
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no owner or mode bits here; the user's profile is private
        return stat.S_ISDIR(found.st_mode)
    mine = found.st_uid == getuid() and not found.st_mode & 0o022
    return stat.S_ISDIR(found.st_mode) and mine


def _served(entry: Path, text: str, name: str, stamp: list[Any]) -> tuple[Document, Spans] | None:
    """The Document and spans an entry holds for ``text``; None on any mismatch or error."""
    from hubtool.load.strict import read_regular

    try:
        raw = read_regular(entry, MAX_ENTRY_BYTES)
        stored = json.loads(raw) if len(raw) <= MAX_ENTRY_BYTES else None
    except (OSError, ValueError, RecursionError):
        return None
    if not _well_formed(stored, text, stamp):
        return None
    data = stored["data"]
    try:
        for path in stored["dates"]:
            data = _with_date(data, path)
    except (LookupError, TypeError, ValueError):
        return None
    outside = tuple((start, end) for start, end in stored["outside"])
    doc = Document(name, data, text, stored["values"], stored["keys"], line_starts(text))
    return doc, outside


def _well_formed(stored: Any, text: str, stamp: list[Any]) -> bool:
    """An entry of this format and version, for exactly ``text``, with tables of the right
    types and offsets within the text (a corrupt or foreign entry is a miss, never a crash
    nor a position outside the file)."""
    if not isinstance(stored, dict):
        return False
    fields = ("stamp", "text", "data", "dates", "values", "keys", "outside")
    if any(field not in stored for field in fields) or stored["stamp"] != stamp:
        return False
    tables = (stored["values"], stored["keys"])
    return (
        stored["text"] == text
        and all(isinstance(t, dict) and all(_offset(v, text) for v in t.values()) for t in tables)
        and isinstance(stored["dates"], list)
        and all(isinstance(path, list) and path for path in stored["dates"])
        and isinstance(stored["outside"], list)
        and all(_is_span(span, text) for span in stored["outside"])
    )


def _is_span(span: Any, text: str) -> bool:
    return isinstance(span, list) and len(span) == 2 and all(_offset(n, text) for n in span)


def _offset(value: Any, text: str) -> bool:
    return type(value) is int and 0 <= value <= len(text)


def _with_date(data: Any, path: list[Any]) -> Any:
    """``data`` with the ISO date text at ``path`` (keys and indexes) made a ``date`` again."""
    parent = data
    for token in path[:-1]:
        parent = parent[token]
    last = path[-1]
    text = parent[last]
    if not isinstance(text, str):
        raise TypeError("not a date")
    parent[last] = datetime.date.fromisoformat(text)
    return data


def _storable(doc: Document, outside: Spans, stamp: list[Any]) -> dict[str, Any] | None:
    """The entry for a Document, or None when it may not be stored: a value that is no JSON
    value or date, a key that is not text, or anything the credential scan reports, in the
    data and the text outside it (``scan_document``) or on any line of the text as written
    (``scan_lines``: before YAML's escapes and line folding; a miss only pays it)."""
    from hubtool.validate.config.scan import scan_document, scan_lines

    dates: list[list[Any]] = []
    if not _plain(doc.data, [], dates) or scan_document(doc, outside):
        return None
    if scan_lines(doc.text, doc.path):
        return None
    return {
        "stamp": stamp,
        "text": doc.text,
        "data": doc.data,
        "dates": dates,
        "values": doc.values,
        "keys": doc.keys,
        "outside": [list(span) for span in outside],
    }


def _plain(value: Any, path: list[Any], dates: list[list[Any]]) -> bool:
    """Whether ``value`` is JSON data (text keys) or dates; the dates' paths go to ``dates``.
    Iterative: a deeply nested configuration is refused, not a recursion."""
    stack = [(value, path)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, dict):
            if not all(type(key) is str for key in item):
                return False
            stack.extend((child, [*at, key]) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend((child, [*at, index]) for index, child in enumerate(item))
        elif type(item) is datetime.date:
            dates.append(at)
        elif not (item is None or type(item) in (str, int, float, bool)):
            return False
        if len(at) > 64:
            return False
    return True


def _iso_date(value: Any) -> str:
    if type(value) is datetime.date:
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _store(entry: Path, stored: dict[str, Any]) -> None:
    """Write an entry whole, in a private directory; then keep the newest ``MAX_ENTRIES``.
    Any failure to write leaves the cache as it was (the run goes on without it)."""
    from hubtool.core.files import atomic_write

    try:
        if not entry.parent.is_dir():  # ~/.cache on a new account at most, never a home
            entry.parent.parent.mkdir(mode=0o700, exist_ok=True)
            entry.parent.mkdir(mode=0o700, exist_ok=True)
        if not _ours(entry.parent):
            return
        text = json.dumps(stored, separators=(",", ":"), default=_iso_date)
        if len(text) > MAX_ENTRY_BYTES:  # never served: not written (ASCII: bytes = chars)
            return
        atomic_write(entry, text, mode=0o600)
        _prune(entry.parent)
    except (OSError, ValueError):
        return


def _prune(directory: Path) -> None:
    """Remove the least recently used entries past ``MAX_ENTRIES`` (by modification time: a
    served entry is touched): only this module's regular files (and the temporary files of a
    write that was killed)."""
    entries = []
    with os.scandir(directory) as found:
        for item in found:
            ours = item.name.removeprefix(".").startswith(_PREFIX)
            if ours and item.is_file(follow_symlinks=False):
                entries.append((item.stat(follow_symlinks=False).st_mtime_ns, item.path))
    for _, path in sorted(entries)[: max(0, len(entries) - MAX_ENTRIES)]:
        Path(path).unlink(missing_ok=True)
