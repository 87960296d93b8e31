"""The positional JSON parser: recursive descent over one text, recording the offset of every
value and key by JSON pointer (RFC 6901), and rejecting anything RFC 8259 does not allow.

It is the reference for ``hubtool.load.strict``: it gives every syntax error, with its offset,
and the offset tables behind a Document's line:col. Linear in the text's length; nesting is
capped by ``max_depth`` (recursion: a few frames per level).
"""

from __future__ import annotations

import re
from typing import Any

from hubtool.core.limits import MAX_NUMBER_CHARS
from hubtool.core.pointers import escape

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_STRING_CHUNK = re.compile(r'[^"\\\x00-\x1f]*')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS = {"true": True, "false": False, "null": None}
_NON_JSON = ("NaN", "Infinity")
_NUMBER_TAIL = frozenset("0123456789.eE")


class JSONSyntax(Exception):
    """A syntax error at ``offset`` (characters into the text), in the value at ``pointer``."""

    def __init__(self, message: str, offset: int, pointer: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.pointer = pointer


class PositionalParser:
    """Recursive descent over one JSON text, recording offsets of values and keys."""

    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.values: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        self.duplicates: list[JSONSyntax] = []

    def skip_ws(self, pos: int) -> int:
        return _WS.match(self.text, pos).end()

    def document(self) -> Any:
        pos = self.skip_ws(0)
        if pos == len(self.text):
            raise JSONSyntax("the file is empty; a manifest is one JSON object", 0)
        value, pos = self.value(pos, "", 0)
        pos = self.skip_ws(pos)
        if pos != len(self.text):
            raise JSONSyntax(
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
                raise JSONSyntax(
                    f"{word} is not valid JSON; use a finite number or null", pos, pointer
                )
        if not char:
            raise JSONSyntax(
                "unexpected end of file; the JSON document is incomplete", pos, pointer
            )
        raise JSONSyntax(f"unexpected character {char!r}; expected a JSON value", pos, pointer)

    def enter(self, pos: int, depth: int, pointer: str) -> None:
        if depth > self.max_depth:
            raise JSONSyntax(
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
                raise JSONSyntax(self.expected("a string key in double quotes", pos), pos, pointer)
            key_pos = pos
            key, pos = self.string(pos)
            child = pointer + "/" + escape(key)
            if key in result:
                first = self.keys[child]
                self.duplicates.append(
                    JSONSyntax(f"duplicate key {key!r} (first at offset {first})", key_pos, child)
                )
            else:
                self.keys[child] = key_pos
            pos = self.skip_ws(pos)
            if not self.text.startswith(":", pos):
                raise JSONSyntax(self.expected("':' after the key", pos), pos, child)
            pos = self.skip_ws(pos + 1)
            value, pos = self.value(pos, child, depth)
            result.setdefault(key, value)
            pos = self.skip_ws(pos)
            if self.text.startswith(",", pos):
                pos = self.skip_ws(pos + 1)
                if self.text.startswith("}", pos):
                    raise JSONSyntax("trailing comma before '}'; remove it", pos, pointer)
                continue
            if self.text.startswith("}", pos):
                return result, pos + 1
            raise JSONSyntax(self.expected("',' or '}'", pos), pos, pointer)

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
                    raise JSONSyntax("trailing comma before ']'; remove it", pos, pointer)
                continue
            if self.text.startswith("]", pos):
                return result, pos + 1
            raise JSONSyntax(self.expected("',' or ']'", pos), pos, pointer)

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
                raise JSONSyntax("unterminated string; add the closing '\"'", start)
            if char in "\r\n":
                raise JSONSyntax(
                    "unterminated string: a line break inside a string; "
                    "close it with '\"' before the end of the line (or write \\n)",
                    pos,
                )
            raise JSONSyntax(
                f"control character U+{ord(char):04X} inside a string; escape it (e.g. \\n)", pos
            )

    def escape_sequence(self, pos: int) -> tuple[str, int]:
        char = self.text[pos + 1 : pos + 2]
        if char in _ESCAPES:
            return _ESCAPES[char], pos + 2
        if char != "u":
            shown = f"'\\{char}'" if char.isprintable() else f"'\\' followed by U+{ord(char):04X}"
            raise JSONSyntax(f"invalid escape {shown} in a string", pos)
        code = self.hex4(pos)
        if 0xD800 <= code <= 0xDBFF and self.text.startswith("\\u", pos + 6):
            low = self.hex4(pos + 6)
            if 0xDC00 <= low <= 0xDFFF:
                return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)), pos + 12
        if 0xD800 <= code <= 0xDFFF:
            raise JSONSyntax(
                f"unpaired UTF-16 surrogate escape '\\u{code:04x}'; it is not a character", pos
            )
        return chr(code), pos + 6

    def hex4(self, pos: int) -> int:
        digits = self.text[pos + 2 : pos + 6]
        if len(digits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise JSONSyntax("invalid \\u escape; expected four hex digits", pos)
        return int(digits, 16)

    def number(self, pos: int) -> tuple[int | float, int]:
        match = _NUMBER.match(self.text, pos)
        if not match:
            if self.text.startswith("-Infinity", pos):
                raise JSONSyntax("-Infinity is not valid JSON; use a finite number or null", pos)
            raise JSONSyntax("invalid number", pos)
        literal = match.group()
        if self.text[match.end() : match.end() + 1] in _NUMBER_TAIL:
            bad = re.match(r"[-+.0-9eE]*", self.text[pos : pos + MAX_NUMBER_CHARS]).group()
            hint = (
                "leading zeros are not allowed"
                if re.match(r"-?0[0-9]", bad)
                else "a JSON number looks like -12, 0.5 or 1.5e-3"
            )
            raise JSONSyntax(f"invalid number {bad!r}: {hint}", pos)
        if len(literal) > MAX_NUMBER_CHARS:
            raise JSONSyntax(f"number literal longer than {MAX_NUMBER_CHARS} characters", pos)
        if "." in literal or "e" in literal or "E" in literal:
            value = float(literal)
            if value in (float("inf"), float("-inf")):
                raise JSONSyntax("number out of range for a 64-bit float", pos)
            return value, match.end()
        return int(literal), match.end()

    def expected(self, what: str, pos: int) -> str:
        found = self.text[pos : pos + 1]
        return (
            f"expected {what}, found {found!r}" if found else f"expected {what}, found end of file"
        )
