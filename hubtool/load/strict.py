"""Strict JSON loading with a position for every JSON pointer.

The standard library parser silently keeps the last of two duplicate keys, accepts NaN and
Infinity and gives no positions for nested values. A manifest is small and security-relevant,
so hubtool reads it strictly: RFC 8259 only, with line:col for every value and key. The C
scanner reads the text when ``hubtool.load.fast`` can vouch for it; otherwise the positional
parser (``hubtool.load.positional``, the reference) reads it and names the problem. Positions
are computed when first asked for. Problems come back as values (``LoadError``) so one bad
file never hides the others.
"""

from __future__ import annotations

import bisect
import errno
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from hubtool.core.limits import MAX_BYTES, MAX_DEPTH, MAX_NUMBER_CHARS
from hubtool.core.pointers import escape, pointer_of, pointer_tokens, unescape
from hubtool.load import fast

if TYPE_CHECKING:  # the reference parser loads only when a file needs it (not a clean one)
    from hubtool.load.positional import JSONSyntax

__all__ = [  # the pointer helpers live in hubtool.core.pointers; importable from here too
    "MAX_BYTES",
    "MAX_NUMBER_CHARS",
    "Document",
    "LoadError",
    "decode",
    "escape",
    "load",
    "load_bytes",
    "parse",
    "parse_positional",
    "pointer_of",
    "pointer_tokens",
    "unescape",
]


class LoadError(NamedTuple):
    """Why a file could not be parsed, and where."""

    message: str
    line: int
    column: int
    pointer: str = ""


class Document:
    """A parsed manifest: its data, its text and where each value and key sits in the text.

    ``values`` and ``keys`` map a JSON pointer to the character offset of the value (or key) in
    ``text``; ``line_starts`` is the offset of each line's first character. Any of them not given
    is computed from ``text`` on first use and kept (one positional parse of ``text``; empty
    tables if ``text`` is not strict JSON), so a file with no findings never pays for positions.

    ``texts``: ``(keys, strings)``, the distinct keys and string values of ``data`` at any
    depth, when the loader gathered them (``parse``: ``hubtool.core.texts``), so a rule can
    clear a whole document with a set test (``hubtool.validate.rules.references``,
    ``secrets``); None for any other document (a YAML configuration's, a view a caller built).
    They describe ``data`` as parsed: the document's data must not be changed.
    """

    __slots__ = (
        "_keys",
        "_line_starts",
        "_values",
        "data",
        "path",
        "text",
        "texts",
    )

    def __init__(
        self,
        path: str,
        data: Any,
        text: str = "",
        values: dict[str, int] | None = None,
        keys: dict[str, int] | None = None,
        line_starts: list[int] | None = None,
        texts: tuple[set[str], set[str]] | None = None,
    ) -> None:
        self.path = path
        self.data = data
        self.text = text
        self.texts = texts
        self._values = values
        self._keys = keys
        self._line_starts = line_starts

    def __repr__(self) -> str:
        return f"Document(path={self.path!r})"

    @property
    def values(self) -> dict[str, int]:
        """JSON pointer -> offset of its value in ``text``."""
        if self._values is None:
            self._index()
        return self._values

    @property
    def keys(self) -> dict[str, int]:
        """JSON pointer -> offset of its key in ``text`` (members of objects only)."""
        if self._keys is None:
            self._index()
        return self._keys

    def _index(self) -> None:
        """Fill the offset tables not given, from one positional parse of ``text``."""
        values, keys = _offsets(self.text)
        self._values = values if self._values is None else self._values
        self._keys = keys if self._keys is None else self._keys

    @property
    def line_starts(self) -> list[int]:
        """Offset in ``text`` of the first character of each line (\\r\\n, \\r, \\n end one)."""
        if self._line_starts is None:
            self._line_starts = _line_starts(self.text)
        return self._line_starts

    def position(self, pointer: str, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value (or key) at ``pointer``, else of its parent."""
        table = self.keys if at_key else self.values
        while True:
            offset = table.get(pointer)
            if offset is None and at_key:
                offset = self.values.get(pointer)
            if offset is not None:
                return self.line_col(offset)
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0] if "/" in pointer else ""

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of the character at ``offset``; columns count characters."""
        starts = self.line_starts
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]


def _offsets(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """(values, keys) offset tables of strict JSON ``text``; empty if it does not parse."""
    from hubtool.load.positional import JSONSyntax, PositionalParser

    parser = PositionalParser(text, MAX_DEPTH)
    try:
        parser.document()
    except JSONSyntax:
        return {}, {}
    return parser.values, parser.keys


def parse(
    text: str, path: str = "<string>", max_depth: int = MAX_DEPTH
) -> Document | list[LoadError]:
    """Parse JSON text strictly; duplicate keys are reported (the first one is kept).

    The C scanner of ``hubtool.load.fast`` reads a text it can vouch for, and the Document's
    positions are computed only when asked for; any other text (or a ``max_depth`` over
    ``MAX_DEPTH``) goes through the positional parser, which gives the errors.
    """
    if max_depth <= MAX_DEPTH:
        loaded = fast.load_texts(text, max_depth)
        if loaded is not fast.REFUSED:
            data, keys, strings = loaded  # type: ignore[misc]
            return Document(path, data, text, texts=(keys, strings))
    return parse_positional(text, path, max_depth)


def parse_positional(
    text: str, path: str = "<string>", max_depth: int = MAX_DEPTH
) -> Document | list[LoadError]:
    """``parse`` by the positional parser alone, every offset recorded (the reference path)."""
    from hubtool.load.positional import JSONSyntax, PositionalParser

    parser = PositionalParser(text, max_depth)
    doc = Document(path, None, text)
    try:
        data = parser.document()
    except JSONSyntax as exc:
        return [_error(doc, exc)]
    if parser.duplicates:
        return [_error(doc, dup) for dup in parser.duplicates]
    return Document(path, data, text, parser.values, parser.keys, doc.line_starts)


def _error(doc: Document, exc: JSONSyntax) -> LoadError:
    line, col = doc.line_col(exc.offset)
    message = re.sub(
        r"\(first at offset (\d+)\)$",
        lambda m: "(first at {}:{})".format(*doc.line_col(int(m.group(1)))),
        exc.message,
    )
    if exc.message.startswith("duplicate key"):
        message += "; JSON readers keep only one of them, which can hide a value: remove one"
    return LoadError(message, line, col, exc.pointer)


def decode(raw: bytes) -> str | LoadError:
    """Decode UTF-8 strictly; a BOM or an invalid byte is an error with its position."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return LoadError(
            "the file starts with a byte order mark (BOM); save it as UTF-8 without BOM", 1, 1
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[1:2] == b"\x00" or raw[:1] == b"\x00":
        return LoadError("the file looks UTF-16 encoded; save it as UTF-8", 1, 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8")
        starts = _line_starts(head)
        line = len(starts)
        col = len(head) - starts[-1] + 1
        return LoadError(
            f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; save the file as UTF-8", line, col
        )


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading if it is a regular file and not a link (OSError otherwise)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    handle = os.fdopen(descriptor, "rb")
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        handle.close()
        raise OSError(errno.EINVAL, "not a regular file")
    return handle


def load(
    path: Path, display: str | None = None, max_bytes: int = MAX_BYTES
) -> Document | list[LoadError]:
    """Read and parse one manifest file. Raises OSError only if the file cannot be read.

    The file is opened without following a link and without blocking, and must be a regular
    file once open: a file swapped for a link, FIFO or device after discovery is an OSError,
    never read through (discovery checked the name; this checks what is actually opened).
    """
    return load_bytes(read_regular(path, max_bytes), display or str(path), max_bytes)


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path`` up to ``max_bytes + 1`` (one more tells a
    larger file), opened as ``open_regular`` opens it. Raises OSError as it does."""
    with open_regular(path) as handle:
        return read_up_to(handle, max_bytes)


def read_up_to(handle: BinaryIO, max_bytes: int) -> bytes:
    """The bytes of an open file up to ``max_bytes + 1`` (one more tells a larger file).

    Asked in one read of the size the file has now (``fstat``), not of ``max_bytes + 1``:
    a read allocates what it is asked for first, 8 MiB for a 46 KB manifest. A file grown
    since is read on up to the cap.
    """
    asked = min(os.fstat(handle.fileno()).st_size, max_bytes) + 1
    first = handle.read(asked)
    if len(first) < asked or len(first) > max_bytes:  # the end of the file, or past the cap
        return first
    return first + handle.read(max_bytes + 1 - len(first))


def load_bytes(raw: bytes, name: str, max_bytes: int = MAX_BYTES) -> Document | list[LoadError]:
    """Parse the bytes of one manifest (at most ``max_bytes``; the caller read one more to
    tell a larger input) as a file named ``name``: ``load`` and ``validate -`` (stdin)."""
    if len(raw) > max_bytes:
        limit = (
            f"the file is larger than the {max_bytes}-byte limit; a manifest should be far smaller"
        )
        return [LoadError(limit, 1, 1)]
    text = decode(raw)
    if isinstance(text, LoadError):
        return [text]
    return parse(text, name)
