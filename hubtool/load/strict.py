"""Strict JSON loading with a position for every JSON pointer.

The standard library parser silently keeps the last of two duplicate keys, accepts NaN and
Infinity and gives no positions for nested values. A manifest is small and security-relevant,
so hubtool parses it itself: one pass, RFC 8259 only, with line:col for every value and key.
Problems come back as values (``LoadError``) so one bad file never hides the others.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubtool.core.limits import MAX_BYTES, MAX_DEPTH, MAX_NUMBER_CHARS
from hubtool.core.pointers import escape, pointer_of, pointer_tokens, unescape

__all__ = [  # the pointer helpers live in hubtool.core.pointers; importable from here too
    "MAX_BYTES",
    "MAX_NUMBER_CHARS",
    "Document",
    "LoadError",
    "decode",
    "escape",
    "load",
    "parse",
    "pointer_of",
    "pointer_tokens",
    "unescape",
]

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_STRING_CHUNK = re.compile(r'[^"\\\x00-\x1f]*')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS = {"true": True, "false": False, "null": None}
_NON_JSON = ("NaN", "Infinity")
_NUMBER_TAIL = frozenset("0123456789.eE")


@dataclass(frozen=True, slots=True)
class LoadError:
    """Why a file could not be parsed, and where."""

    message: str
    line: int
    column: int
    pointer: str = ""


@dataclass(slots=True)
class Document:
    """A parsed manifest: its data plus where each value and key sits in the file."""

    path: str
    data: Any
    text: str = ""
    values: dict[str, int] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)
    _line_starts: list[int] = field(default_factory=list)

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
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]


class _Syntax(Exception):
    def __init__(self, message: str, offset: int, pointer: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.pointer = pointer


class _Parser:
    """Recursive descent over one JSON text, recording offsets of values and keys."""

    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.values: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        self.duplicates: list[_Syntax] = []

    def skip_ws(self, pos: int) -> int:
        return _WS.match(self.text, pos).end()

    def document(self) -> Any:
        pos = self.skip_ws(0)
        if pos == len(self.text):
            raise _Syntax("the file is empty; a manifest is one JSON object", 0)
        value, pos = self.value(pos, "", 0)
        pos = self.skip_ws(pos)
        if pos != len(self.text):
            raise _Syntax(
                "unexpected data after the end of the JSON document; "
                "a file holds exactly one JSON value (remove the rest)",
                pos,
            )
        return value

    def value(self, pos: int, pointer: str, depth: int) -> tuple[Any, int]:
        self.values[pointer] = pos
        char = self.text[pos : pos + 1]
        if char == "{":
            return self.object(pos, pointer, depth + 1)
        if char == "[":
            return self.array(pos, pointer, depth + 1)
        if char == '"':
            return self.string(pos)
        if char == "-" or "0" <= char <= "9":
            return self.number(pos)
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, pos):
                return literal, pos + len(word)
        for word in _NON_JSON:
            if self.text.startswith(word, pos):
                raise _Syntax(
                    f"{word} is not valid JSON; use a finite number or null", pos, pointer
                )
        if not char:
            raise _Syntax("unexpected end of file; the JSON document is incomplete", pos, pointer)
        raise _Syntax(f"unexpected character {char!r}; expected a JSON value", pos, pointer)

    def enter(self, pos: int, depth: int, pointer: str) -> None:
        if depth > self.max_depth:
            raise _Syntax(
                f"nesting deeper than {self.max_depth} levels; flatten the document",
                pos,
                pointer,
            )

    def object(self, pos: int, pointer: str, depth: int) -> tuple[dict[str, Any], int]:
        self.enter(pos, depth, pointer)
        result: dict[str, Any] = {}
        pos = self.skip_ws(pos + 1)
        if self.text.startswith("}", pos):
            return result, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise _Syntax(self.expected("a string key in double quotes", pos), pos, pointer)
            key_pos = pos
            key, pos = self.string(pos)
            child = pointer + "/" + escape(key)
            if key in result:
                first = self.keys[child]
                self.duplicates.append(
                    _Syntax(f"duplicate key {key!r} (first at offset {first})", key_pos, child)
                )
            else:
                self.keys[child] = key_pos
            pos = self.skip_ws(pos)
            if not self.text.startswith(":", pos):
                raise _Syntax(self.expected("':' after the key", pos), pos, child)
            pos = self.skip_ws(pos + 1)
            value, pos = self.value(pos, child, depth)
            result.setdefault(key, value)
            pos = self.skip_ws(pos)
            if self.text.startswith(",", pos):
                pos = self.skip_ws(pos + 1)
                if self.text.startswith("}", pos):
                    raise _Syntax("trailing comma before '}'; remove it", pos, pointer)
                continue
            if self.text.startswith("}", pos):
                return result, pos + 1
            raise _Syntax(self.expected("',' or '}'", pos), pos, pointer)

    def array(self, pos: int, pointer: str, depth: int) -> tuple[list[Any], int]:
        self.enter(pos, depth, pointer)
        result: list[Any] = []
        pos = self.skip_ws(pos + 1)
        if self.text.startswith("]", pos):
            return result, pos + 1
        while True:
            value, pos = self.value(pos, f"{pointer}/{len(result)}", depth)
            result.append(value)
            pos = self.skip_ws(pos)
            if self.text.startswith(",", pos):
                pos = self.skip_ws(pos + 1)
                if self.text.startswith("]", pos):
                    raise _Syntax("trailing comma before ']'; remove it", pos, pointer)
                continue
            if self.text.startswith("]", pos):
                return result, pos + 1
            raise _Syntax(self.expected("',' or ']'", pos), pos, pointer)

    def string(self, pos: int) -> tuple[str, int]:
        start = pos
        pos += 1
        parts: list[str] = []
        while True:
            chunk = _STRING_CHUNK.match(self.text, pos)
            parts.append(chunk.group())
            pos = chunk.end()
            char = self.text[pos : pos + 1]
            if char == '"':
                return "".join(parts), pos + 1
            if char == "\\" and pos + 1 < len(self.text):
                text, pos = self.escape_sequence(pos)
                parts.append(text)
                continue
            if not char or char == "\\":
                raise _Syntax("unterminated string; add the closing '\"'", start)
            if char in "\r\n":
                raise _Syntax(
                    "unterminated string: a line break inside a string; "
                    "close it with '\"' before the end of the line (or write \\n)",
                    pos,
                )
            raise _Syntax(
                f"control character U+{ord(char):04X} inside a string; escape it (e.g. \\n)", pos
            )

    def escape_sequence(self, pos: int) -> tuple[str, int]:
        char = self.text[pos + 1 : pos + 2]
        if char in _ESCAPES:
            return _ESCAPES[char], pos + 2
        if char != "u":
            shown = f"'\\{char}'" if char.isprintable() else f"'\\' followed by U+{ord(char):04X}"
            raise _Syntax(f"invalid escape {shown} in a string", pos)
        code = self.hex4(pos)
        if 0xD800 <= code <= 0xDBFF and self.text.startswith("\\u", pos + 6):
            low = self.hex4(pos + 6)
            if 0xDC00 <= low <= 0xDFFF:
                return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)), pos + 12
        if 0xD800 <= code <= 0xDFFF:
            raise _Syntax(
                f"unpaired UTF-16 surrogate escape '\\u{code:04x}'; it is not a character", pos
            )
        return chr(code), pos + 6

    def hex4(self, pos: int) -> int:
        digits = self.text[pos + 2 : pos + 6]
        if len(digits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise _Syntax("invalid \\u escape; expected four hex digits", pos)
        return int(digits, 16)

    def number(self, pos: int) -> tuple[int | float, int]:
        match = _NUMBER.match(self.text, pos)
        if not match:
            if self.text.startswith("-Infinity", pos):
                raise _Syntax("-Infinity is not valid JSON; use a finite number or null", pos)
            raise _Syntax("invalid number", pos)
        literal = match.group()
        if self.text[match.end() : match.end() + 1] in _NUMBER_TAIL:
            bad = re.match(r"[-+.0-9eE]*", self.text[pos : pos + MAX_NUMBER_CHARS]).group()
            hint = (
                "leading zeros are not allowed"
                if re.match(r"-?0[0-9]", bad)
                else "a JSON number looks like -12, 0.5 or 1.5e-3"
            )
            raise _Syntax(f"invalid number {bad!r}: {hint}", pos)
        if len(literal) > MAX_NUMBER_CHARS:
            raise _Syntax(f"number literal longer than {MAX_NUMBER_CHARS} characters", pos)
        if "." in literal or "e" in literal or "E" in literal:
            value = float(literal)
            if value in (float("inf"), float("-inf")):
                raise _Syntax("number out of range for a 64-bit float", pos)
            return value, match.end()
        return int(literal), match.end()

    def expected(self, what: str, pos: int) -> str:
        found = self.text[pos : pos + 1]
        return (
            f"expected {what}, found {found!r}" if found else f"expected {what}, found end of file"
        )


def parse(
    text: str, path: str = "<string>", max_depth: int = MAX_DEPTH
) -> Document | list[LoadError]:
    """Parse JSON text strictly; duplicate keys are reported (the first one is kept)."""
    starts = _line_starts(text)
    parser = _Parser(text, max_depth)
    doc = Document(path=path, data=None, text=text, _line_starts=starts)
    try:
        data = parser.document()
    except _Syntax as exc:
        return [_error(doc, exc)]
    if parser.duplicates:
        return [_error(doc, dup) for dup in parser.duplicates]
    doc.data, doc.values, doc.keys = data, parser.values, parser.keys
    return doc


def _error(doc: Document, exc: _Syntax) -> LoadError:
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


def load(
    path: Path, display: str | None = None, max_bytes: int = MAX_BYTES
) -> Document | list[LoadError]:
    """Read and parse one manifest file. Raises OSError only if the file cannot be read."""
    name = display or str(path)
    with path.open("rb") as handle:
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        limit = (
            f"the file is larger than the {max_bytes}-byte limit; a manifest should be far smaller"
        )
        return [LoadError(limit, 1, 1)]
    text = decode(raw)
    if isinstance(text, LoadError):
        return [text]
    return parse(text, name)
