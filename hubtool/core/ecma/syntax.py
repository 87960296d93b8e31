"""The ECMA-262 pattern grammar (22.2.1, Unicode mode): a lenient reader for analysis.

``parse`` turns a pattern into a tree of ``Node`` s; it never decides validity (``match``
does, with two engines). Repetition counts above ``HUGE`` read as ``HUGE``; nesting deeper than
200 groups, or anything the reader cannot follow, reads as None.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from hubtool.core.ecma.ranges import (
    ANY,
    CLASS_ESCAPES,
    LINE_ENDS,
    MAX_CODE,
    Ranges,
    fold,
    negate,
    norm,
)

HUGE = 10**9
"""Repetition counts above this are read as HUGE: no analysis needs the exact figure."""


class Node:
    """A node of a parsed pattern. No tree is ever compared or printed: nodes are plain classes
    with slots (identity comparison, the default repr) rather than dataclasses, whose generated
    methods cost every start-up about 0.2 ms a class (the pre-commit hook's included)."""

    __slots__ = ()


class Chars(Node):
    """One character from ``ranges`` (sorted, disjoint, inclusive code point intervals)."""

    __slots__ = ("ranges",)

    def __init__(self, ranges: Ranges) -> None:
        self.ranges = ranges


class Seq(Node):
    """``items`` one after the other."""

    __slots__ = ("items",)

    def __init__(self, items: list[Node]) -> None:
        self.items = items


class Alt(Node):
    """One of ``branches`` (``a|b``)."""

    __slots__ = ("branches",)

    def __init__(self, branches: list[Node]) -> None:
        self.branches = branches


class Group(Node):
    """A group, capturing or not (``(a)``, ``(?:a)``)."""

    __slots__ = ("body",)

    def __init__(self, body: Node) -> None:
        self.body = body


class Repeat(Node):
    """``body`` repeated ``low`` to ``high`` times (``high`` None: unbounded)."""

    __slots__ = ("body", "high", "low")

    def __init__(self, body: Node, low: int, high: int | None) -> None:
        self.body, self.low, self.high = body, low, high


class Anchor(Node):
    """``^`` (start) or ``$`` (end), or a multiline one (``line=True``) that anchors nothing."""

    __slots__ = ("end", "line")

    def __init__(self, end: bool, line: bool = False) -> None:
        self.end, self.line = end, line


class Boundary(Node):
    """``\\b`` or ``\\B``, at ``span`` (start and end offsets) of the pattern."""

    __slots__ = ("span",)

    def __init__(self, span: tuple[int, int] = (0, 0)) -> None:
        self.span = span


class Look(Node):
    """A lookahead or lookbehind, positive or negative, of ``body``."""

    __slots__ = ("body",)

    def __init__(self, body: Node) -> None:
        self.body = body


class Backref(Node):
    """A back-reference (``\\1``, ``\\k<name>``)."""

    __slots__ = ()


class _Flags:
    """The modifiers in force: ``i``, ``m`` and ``s`` (a group may change them)."""

    __slots__ = ("dot_all", "ignore_case", "multiline")

    def __init__(
        self, ignore_case: bool = False, multiline: bool = False, dot_all: bool = False
    ) -> None:
        self.ignore_case, self.multiline, self.dot_all = ignore_case, multiline, dot_all


class _Error(Exception):
    pass


_CONTROL = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13}


class _Parser:
    """Recursive descent over the ECMA-262 Unicode-mode pattern grammar (lenient: analysis)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.text[index] if index < len(self.text) else ""

    def take(self, expected: str | None = None) -> str:
        char = self.peek()
        if not char or (expected is not None and char != expected):
            raise _Error(f"expected {expected!r} at {self.pos}")
        self.pos += 1
        return char

    def disjunction(self, flags: _Flags) -> Node:
        self.depth += 1
        if self.depth > 200:
            raise _Error("nested too deeply")
        branches = [self.alternative(flags)]
        while self.peek() == "|":
            self.take()
            branches.append(self.alternative(flags))
        self.depth -= 1
        return branches[0] if len(branches) == 1 else Alt(branches)

    def alternative(self, flags: _Flags) -> Node:
        items: list[Node] = []
        while self.peek() and self.peek() not in "|)":
            atom = self.term(flags)
            items.append(self.quantified(atom))
        return Seq(items)

    def quantified(self, atom: Node) -> Node:
        char = self.peek()
        bounds: tuple[int, int | None] | None = None
        if char in ("*", "+", "?"):
            self.take()
            bounds = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{":
            bounds = self.braces()
        if bounds is None:
            return atom
        if self.peek() == "?":
            self.take()
        return Repeat(atom, bounds[0], bounds[1])

    def braces(self) -> tuple[int, int | None]:
        self.take("{")
        low = self.number()
        high: int | None = low
        if self.peek() == ",":
            self.take()
            high = self.number() if self.peek() != "}" else None
        self.take("}")
        return low, high

    def number(self) -> int:
        start = self.pos
        while self.peek().isascii() and self.peek().isdigit():
            self.pos += 1
        digits = self.text[start : self.pos]
        if not digits:
            raise _Error("expected a number")
        return HUGE if len(digits) > 9 else min(int(digits), HUGE)

    def term(self, flags: _Flags) -> Node:
        char = self.take()
        if char == "^":
            return Anchor(end=False, line=flags.multiline)
        if char == "$":
            return Anchor(end=True, line=flags.multiline)
        if char == ".":
            ranges = ANY if flags.dot_all else negate(LINE_ENDS)
            return Chars(ranges)
        if char == "(":
            return self.group(flags)
        if char == "[":
            return self.chars(self.char_class(), flags)
        if char == "\\":
            return self.escape(flags)
        return self.chars(((ord(char), ord(char)),), flags)

    def chars(self, ranges: Ranges, flags: _Flags) -> Node:
        return Chars(fold(ranges) if flags.ignore_case else ranges)

    def group(self, flags: _Flags) -> Node:
        if self.peek() != "?":
            body = self.disjunction(flags)
            self.take(")")
            return Group(body)
        self.take("?")
        kind = self.take()
        if kind == "<" and self.peek() not in ("=", "!"):
            while self.peek() and self.peek() != ">":
                self.take()
            self.take(">")
            kind = ":"
        elif kind == "<":
            kind = "<" + self.take()
        if kind in ("=", "!", "<=", "<!"):
            body = self.disjunction(flags)
            self.take(")")
            return Look(body)
        if kind != ":":
            self.pos -= 1
            flags = self.modifiers(flags)
        body = self.disjunction(flags)
        self.take(")")
        return Group(body)

    def modifiers(self, flags: _Flags) -> _Flags:
        on = True
        new = _Flags(flags.ignore_case, flags.multiline, flags.dot_all)
        while self.peek() and self.peek() != ":":
            char = self.take()
            if char == "-":
                on = False
            elif char in "ims":
                attr = {"i": "ignore_case", "m": "multiline", "s": "dot_all"}[char]
                setattr(new, attr, on)
            else:
                raise _Error(f"unknown modifier {char!r}")
        self.take(":")
        return new

    def escape(self, flags: _Flags) -> Node:
        start = self.pos - 1
        char = self.take()
        if char in ("b", "B"):
            return Boundary(span=(start, self.pos))
        if char == "k" or (char.isdigit() and char != "0"):
            if char == "k":
                while self.peek() and self.take() != ">":
                    pass
            return Backref()
        if char in CLASS_ESCAPES:
            return Chars(CLASS_ESCAPES[char])
        if char in ("p", "P"):
            self.property()
            return Chars(ANY)
        return self.chars(((code := self.char_escape(char), code),), flags)

    def property(self) -> None:
        self.take("{")
        while self.peek() and self.peek() != "}":
            self.take()
        self.take("}")

    def char_escape(self, char: str) -> int:
        if char in _CONTROL:
            return _CONTROL[char]
        if char == "c":
            return ord(self.take()) % 32
        if char == "0":
            return 0
        if char == "x":
            return self.hex(2)
        if char == "u":
            if self.peek() == "{":
                self.take()
                start = self.pos
                while self.peek() and self.peek() != "}":
                    self.take()
                digits = self.text[start : self.pos]
                self.take("}")
                return min(int(digits, 16), MAX_CODE) if len(digits) <= 8 else MAX_CODE
            code = self.hex(4)
            if 0xD800 <= code <= 0xDBFF and self.text[self.pos : self.pos + 2] == "\\u":
                saved = self.pos
                self.pos += 2
                low = self.hex(4)
                if 0xDC00 <= low <= 0xDFFF:
                    return 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                self.pos = saved
            return code
        return ord(char)

    def hex(self, count: int) -> int:
        digits = self.text[self.pos : self.pos + count]
        if len(digits) != count or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise _Error("bad hex escape")
        self.pos += count
        return int(digits, 16)

    def char_class(self) -> Ranges:
        negated = self.peek() == "^"
        if negated:
            self.take()
        ranges: list[tuple[int, int]] = []
        while self.peek() != "]":
            low = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.take()
                high = self.class_atom()
                if len(low) == 1 and len(high) == 1 and low[0][0] == low[0][1]:
                    ranges.append((low[0][0], high[0][1]))
                    continue
                ranges += [*low, *high, (0x2D, 0x2D)]
                continue
            ranges += low
        self.take("]")
        result = norm(ranges)
        return negate(result) if negated else result

    def class_atom(self) -> Ranges:
        char = self.take()
        if char != "\\":
            return ((ord(char), ord(char)),)
        char = self.take()
        if char in CLASS_ESCAPES:
            return CLASS_ESCAPES[char]
        if char in ("p", "P"):
            self.property()
            return ANY
        if char == "b":
            return ((8, 8),)
        if char == "-":
            return ((0x2D, 0x2D),)
        code = self.char_escape(char)
        return ((code, code),)


@functools.lru_cache(maxsize=1024)
def parse(pattern: str) -> Node | None:
    """The parse tree of ``pattern``, or None when hubtool's reader cannot read it."""
    if not isinstance(pattern, str):
        return None
    parser = _Parser(pattern)
    try:
        tree = parser.disjunction(_Flags())
        if parser.pos != len(pattern):
            return None
    except (_Error, ValueError):
        return None
    return tree


def children(node: Node) -> list[Node]:
    """The direct sub-patterns of ``node`` (empty for a leaf)."""
    if isinstance(node, Seq):
        return node.items
    if isinstance(node, Alt):
        return node.branches
    if isinstance(node, Group | Repeat | Look):
        return [node.body]
    return []


def walk(node: Node) -> Iterator[Node]:
    """Every node under ``node``, itself included (iterative: no recursion limit)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))


def has(tree: Node, kind: type) -> bool:
    """True when some node of ``tree`` is a ``kind``."""
    return any(isinstance(node, kind) for node in walk(tree))
