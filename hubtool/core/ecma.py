"""ECMA-262 regular expressions: the one place hubtool compiles, analyses and matches patterns.

JSON Schema's ``pattern`` (and ``format: regex``) is ECMA-262, and Harbor Node runs the same
patterns in JavaScript, so hubtool never uses Python's ``re`` on a manifest's or a spec's pattern.

Engines, and why:

- **Validity** is decided by two engines together. ``regress`` (a Rust implementation of
  ECMA-262 syntax) parses with the ``u`` (Unicode) flag, the mode Ajv and most JSON Schema
  validators use; it refuses Python-only syntax (``\\A``, ``\\Z``, ``(?P<n>...)``, ``(?i)``).
  ``regress`` backtracks with no time bound, so it never matches anything here.
- **Matching** uses ``jsonschema_rs`` (Rust ``regex`` crate behind an ECMA-262 translation):
  finite automata, time linear in the value, ``\\d``/``\\w`` ASCII, ``$`` only at the very end.
  A pattern it refuses (lookaround, back-references, repetition beyond its size limit such as
  ``a{4294967296}``) cannot be matched in bounded time, so it is refused too.
- **Analysis** (anchoring, characters a value may hold, length bounds, super-linear
  backtracking) runs on a small parser of the ECMA-262 pattern grammar below; it never decides
  validity.

Where the matcher differs from ECMA-262, and what is done about it:

- ``\\b``/``\\B`` are Unicode word boundaries in Rust; they are rewritten to ASCII ones.
- ``\\0``, ``[]``, ``[^]``, ``\\uD83D\\uDE00`` (surrogate-pair escapes): refused by the matcher,
  so they are invalid here (a finding, never a wrong answer).
- With an ``i`` modifier, ECMA ``\\w`` also matches U+017F and U+212A; Rust does not.
- A value holding a lone surrogate (possible in a JSON spec, refused in manifests) is matched
  with each lone surrogate read as U+FFFD.

Super-linear backtracking is judged on the Glushkov automaton of the pattern, after Weideman et
al., "Analyzing matching time behavior of backtracking regular expression matchers by using
ambiguity of NFA" (CIAA 2016): exponential when two distinct paths lead from a state back to
itself on one word (EDA); polynomial of degree >= 2 when states p != q exist with p->p, p->q
and q->q on one word (IDA), counting only unbounded repeats for IDA. The implicit search loop of
an unanchored pattern is not counted. Lookaround and back-references are not analysed: the
matcher refuses them.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

MAX_CODE = 0x10FFFF
HUGE = 10**9
"""Repetition counts above this are read as HUGE: no analysis needs the exact figure."""
EMPTY_REPEATS = 10
"""Mandatory iterations of a body that may match empty text before ``(a?){n}`` is a finding:
each iteration may take the character or not, about 2**n ways to try."""
ANALYSIS_BUDGET = 300_000
"""Steps (edges tried) the backtracking analysis may take before giving up (a finding)."""

Ranges = tuple[tuple[int, int], ...]


# --- engines ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2048)
def compile_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable ECMA-262 pattern, or None.

    Usable: ECMA-262 syntax (Unicode mode) and accepted by the linear-time matcher.
    """
    if not isinstance(pattern, str):
        return "a pattern must be a string"
    syntax = _syntax_error(pattern)
    if syntax:
        return f"not an ECMA-262 regular expression: {syntax}"
    tree = parse(pattern)
    if tree is None:
        return "not an ECMA-262 regular expression hubtool can read"
    if _has(tree, Look) or _has(tree, Backref):
        return (
            "lookaround and back-references cannot be matched in bounded time; "
            "rewrite the pattern without them"
        )
    if _matcher(pattern) is None:
        return (
            "hubtool's linear-time matcher refuses it (too large a repetition count, "
            r"or one of \0, [], [^], a surrogate-pair escape); simplify it"
        )
    return None


def compiles(pattern: str) -> bool:
    """True when ``pattern`` is usable (see ``compile_error``)."""
    return compile_error(pattern) is None


def _syntax_error(pattern: str) -> str | None:
    import regress

    try:
        regress.Regex(pattern, "u")
    except Exception as exc:  # regress raises RegressError (and ValueError on odd input)
        return str(exc) or type(exc).__name__
    return None


@functools.lru_cache(maxsize=1024)
def _matcher(pattern: str) -> Any:
    """A compiled jsonschema_rs validator of ``{"pattern": ...}``, or None when refused."""
    from hubtool.core.schema import compile_schema_rs, linear_patterns

    tree = parse(pattern)
    if tree is None:
        return None
    try:
        return compile_schema_rs(
            {"type": "string", "pattern": _rust_pattern(pattern, tree)},
            pattern_options=linear_patterns(),
        )
    except Exception:  # the engine refused the pattern (ValidationError, ValueError)
        return None


def _rust_pattern(pattern: str, tree: Node) -> str:
    """``pattern`` with ``\\b``/``\\B`` made ASCII word boundaries, as in ECMA-262."""
    spans = sorted(node.span for node in _walk(tree) if isinstance(node, Boundary))
    out, last = [], 0
    for start, end in spans:
        out.append(pattern[last:start])
        out.append("(?-u:" + pattern[start:end] + ")")
        last = end
    out.append(pattern[last:])
    return "".join(out)


def search(pattern: str, text: str) -> bool | None:
    """True when ``pattern`` matches somewhere in ``text``; None when the pattern is unusable.

    Time linear in ``len(text)``; compiled patterns are cached (bounded LRU).
    """
    if compile_error(pattern) is not None:
        return None
    matcher = _matcher(pattern)
    try:
        return bool(matcher.is_valid(text))
    except UnicodeEncodeError:  # a lone surrogate: read it as U+FFFD
        fixed = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
        return bool(matcher.is_valid(fixed))


# --- the pattern grammar (ECMA-262 22.2.1, Unicode mode) -------------------------------------


class Node:
    """A node of a parsed pattern."""


@dataclass
class Chars(Node):
    """One character from ``ranges`` (sorted, disjoint, inclusive code point intervals)."""

    ranges: Ranges


@dataclass
class Seq(Node):
    items: list[Node]


@dataclass
class Alt(Node):
    branches: list[Node]


@dataclass
class Group(Node):
    body: Node


@dataclass
class Repeat(Node):
    body: Node
    low: int
    high: int | None  # None: unbounded


@dataclass
class Anchor(Node):
    """``^`` (start) or ``$`` (end), or a multiline one (``line=True``) that anchors nothing."""

    end: bool
    line: bool = False


@dataclass
class Boundary(Node):
    span: tuple[int, int] = (0, 0)


@dataclass
class Look(Node):
    body: Node


@dataclass
class Backref(Node):
    pass


@dataclass
class _Flags:
    ignore_case: bool = False
    multiline: bool = False
    dot_all: bool = False


class _Error(Exception):
    pass


def _norm(ranges: Iterable[tuple[int, int]]) -> Ranges:
    out: list[list[int]] = []
    for low, high in sorted(ranges):
        if out and low <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], high)
        else:
            out.append([low, high])
    return tuple((a, b) for a, b in out)


def _negate(ranges: Ranges) -> Ranges:
    out, nxt = [], 0
    for low, high in ranges:
        if low > nxt:
            out.append((nxt, low - 1))
        nxt = high + 1
    if nxt <= MAX_CODE:
        out.append((nxt, MAX_CODE))
    return tuple(out)


def _intersect(a: Ranges, b: Ranges) -> Ranges:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if low <= high:
            out.append((low, high))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


ANY: Ranges = ((0, MAX_CODE),)
_DIGIT: Ranges = ((0x30, 0x39),)
_WORD: Ranges = _norm([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
_SPACE: Ranges = _norm(
    [(9, 13), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A), (0x2028, 0x2029)]
)
_SPACE = _norm([*_SPACE, (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF)])
"""ECMA-262 WhiteSpace and LineTerminator (22.2.2.9 CharacterClassEscape ``s``)."""
_LINE_ENDS: Ranges = _norm([(10, 10), (13, 13), (0x2028, 0x2029)])
_CLASS_ESCAPES = {
    "d": _DIGIT,
    "D": _negate(_DIGIT),
    "w": _WORD,
    "W": _negate(_WORD),
    "s": _SPACE,
    "S": _negate(_SPACE),
}
_CONTROL = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13}
_SYNTAX = set("^$\\.*+?()[]{}|/")


def _fold(ranges: Ranges) -> Ranges:
    """``ranges`` with the other case of each letter (an over-approximation for ``i``)."""
    extra: list[tuple[int, int]] = []
    budget = 4096
    for low, high in ranges:
        if high - low > budget:
            return ANY
        budget -= high - low
        for code in range(low, high + 1):
            for other in {chr(code).lower(), chr(code).upper()}:
                if len(other) == 1:
                    extra.append((ord(other), ord(other)))
    extra += [(0x17F, 0x17F), (0x212A, 0x212A)] if extra else []
    return _norm([*ranges, *extra])


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
            ranges = ANY if flags.dot_all else _negate(_LINE_ENDS)
            return Chars(ranges)
        if char == "(":
            return self.group(flags)
        if char == "[":
            return self.chars(self.char_class(), flags)
        if char == "\\":
            return self.escape(flags)
        return self.chars(((ord(char), ord(char)),), flags)

    def chars(self, ranges: Ranges, flags: _Flags) -> Node:
        return Chars(_fold(ranges) if flags.ignore_case else ranges)

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
        if char in _CLASS_ESCAPES:
            return Chars(_CLASS_ESCAPES[char])
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
        negate = self.peek() == "^"
        if negate:
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
        result = _norm(ranges)
        return _negate(result) if negate else result

    def class_atom(self) -> Ranges:
        char = self.take()
        if char != "\\":
            return ((ord(char), ord(char)),)
        char = self.take()
        if char in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[char]
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


def _children(node: Node) -> list[Node]:
    if isinstance(node, Seq):
        return node.items
    if isinstance(node, Alt):
        return node.branches
    if isinstance(node, Group | Repeat | Look):
        return [node.body]
    return []


def _walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(_children(current))


def _has(tree: Node, kind: type) -> bool:
    return any(isinstance(node, kind) for node in _walk(tree))


# --- static questions ------------------------------------------------------------------------


def anchored(pattern: str) -> bool:
    """True when every match must span the whole value (``^...$``, also per alternative)."""
    tree = parse(pattern)
    return tree is not None and _edge(tree, first=True) and _edge(tree, first=False)


def _edge(node: Node, first: bool) -> bool:
    if isinstance(node, Anchor):
        return node.end is not first and not node.line
    if isinstance(node, Group):
        return _edge(node.body, first)
    if isinstance(node, Alt):
        return all(_edge(branch, first) for branch in node.branches)
    if isinstance(node, Seq) and node.items:
        return _edge(node.items[0 if first else -1], first)
    return False


def can_match_any(pattern: str, chars: str) -> bool:
    """True when some string matching ``pattern`` may contain one of ``chars``.

    Over-approximates (``\\p{...}`` is any character); True when the pattern cannot be read.
    """
    tree = parse(pattern)
    if tree is None:
        return True
    codes = [ord(c) for c in chars]
    return any(_contains(r, code) for r in _reachable_chars(tree) for code in codes)


def _reachable_chars(node: Node) -> Iterator[Ranges]:
    if isinstance(node, Chars):
        yield node.ranges
    elif isinstance(node, Repeat) and node.high == 0:
        return
    else:
        for child in _children(node):
            yield from _reachable_chars(child)


def _contains(ranges: Ranges, code: int) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _lengths(node: Node) -> tuple[int, int | None]:
    """(shortest, longest or None) in code points of what ``node`` consumes."""
    if isinstance(node, Chars):
        return 1, 1
    if isinstance(node, Seq):
        low, high = 0, 0
        for item in node.items:
            a, b = _lengths(item)
            low = min(low + a, HUGE)
            high = None if high is None or b is None else min(high + b, HUGE)
        return low, high
    if isinstance(node, Alt):
        pairs = [_lengths(b) for b in node.branches]
        highs = [b for _, b in pairs]
        return min(a for a, _ in pairs), None if None in highs else max(highs)  # type: ignore[type-var]
    if isinstance(node, Group):
        return _lengths(node.body)
    if isinstance(node, Repeat):
        a, b = _lengths(node.body)
        low = min(a * node.low, HUGE)
        if b == 0 or node.high == 0:
            return low, 0
        return low, None if b is None or node.high is None else min(b * node.high, HUGE)
    if isinstance(node, Backref):
        return 0, None
    return 0, 0


def max_length(pattern: str) -> int | None:
    """The longest string an anchored ``pattern`` can match, or None when unlimited/unreadable."""
    tree = parse(pattern)
    return None if tree is None else _lengths(tree)[1]


def min_length(pattern: str) -> int:
    """The shortest string ``pattern`` can match (0 when it cannot be read)."""
    tree = parse(pattern)
    return 0 if tree is None else _lengths(tree)[0]


# --- super-linear backtracking ---------------------------------------------------------------


@dataclass
class _Glushkov:
    """Positions (one per character node), and edges ``p -> q`` with how many ways they arise.

    ``edges[p][q]`` counts distinct epsilon-paths (capped at 2); ``loops`` marks edges made by an
    bounded repeat's back edge are left out of ``strong`` (the IDA automaton keeps ``strong``).
    """

    classes: list[Ranges] = field(default_factory=list)
    edges: dict[int, dict[int, int]] = field(default_factory=dict)
    strong: set[tuple[int, int]] = field(default_factory=set)
    empty_iterations: bool = False

    def all_edges(self) -> dict[int, list[int]]:
        return {p: list(out) for p, out in self.edges.items()}

    def strong_edges(self) -> dict[int, list[int]]:
        return {p: [q for q in out if (p, q) in self.strong] for p, out in self.edges.items()}

    def link(self, lasts: Iterable[int], firsts: Iterable[int], bounded: bool = False) -> None:
        firsts = list(firsts)
        for last in lasts:
            out = self.edges.setdefault(last, {})
            for first in firsts:
                out[first] = min(out.get(first, 0) + 1, 2)
                if not bounded:
                    self.strong.add((last, first))

    def build(self, node: Node) -> tuple[bool, list[int], list[int]]:
        """(nullable, first positions, last positions) of ``node``, adding its edges."""
        if isinstance(node, Chars):
            self.classes.append(node.ranges)
            index = len(self.classes) - 1
            return False, [index], [index]
        if isinstance(node, Seq):
            return self._seq(node.items)
        if isinstance(node, Alt):
            parts = [self.build(branch) for branch in node.branches]
            return (
                any(p[0] for p in parts),
                [i for p in parts for i in p[1]],
                [i for p in parts for i in p[2]],
            )
        if isinstance(node, Group):
            return self.build(node.body)
        if isinstance(node, Repeat):
            if node.high == 0:
                return True, [], []
            nullable, firsts, lasts = self.build(node.body)
            if nullable and firsts and node.low > EMPTY_REPEATS:
                self.empty_iterations = True
            if node.high is None or node.high > 1:
                self.link(lasts, firsts, bounded=node.high is not None)
            return nullable or node.low == 0, firsts, lasts
        return True, [], []  # anchors, boundaries, lookaround, back-references: no character

    def _seq(self, items: list[Node]) -> tuple[bool, list[int], list[int]]:
        nullable, firsts, lasts = True, [], []
        for item in items:
            item_nullable, item_firsts, item_lasts = self.build(item)
            self.link(lasts, item_firsts)
            if nullable:
                firsts += item_firsts
            lasts = lasts + item_lasts if item_nullable else list(item_lasts)
            nullable = nullable and item_nullable
        return nullable, firsts, lasts


def backtracking_problem(pattern: str) -> str | None:
    """Why a backtracking engine (Harbor Node's) may take super-linear time on ``pattern``.

    None when it cannot; a message naming the shape (exponential or polynomial) otherwise.
    Unreadable patterns return None (``compile_error`` reports them).
    """
    return _backtracking(pattern)


@functools.lru_cache(maxsize=1024)
def _backtracking(pattern: str) -> str | None:
    tree = parse(pattern)
    if tree is None:
        return None
    graph = _Glushkov()
    graph.build(tree)
    try:
        budget = [ANALYSIS_BUDGET]
        if graph.empty_iterations or _exponential(graph, budget):
            return (
                "can backtrack exponentially: a repeated part can match the same text in "
                "more than one way (like (a+)+, (a|aa)*, (a*b*)* or (a?){20})"
            )
        if _polynomial(graph, budget):
            return (
                "can backtrack in polynomial time: two unbounded repeats can match the same "
                r"text one after the other (like \d*\d*x or a+.*a+)"
            )
    except _Budget:
        return "is too complex to check for catastrophic backtracking; simplify it"
    return None


class _Budget(Exception):
    pass


def _overlap(graph: _Glushkov, *positions: int) -> bool:
    ranges = graph.classes[positions[0]]
    for position in positions[1:]:
        ranges = _intersect(ranges, graph.classes[position])
        if not ranges:
            return False
    return True


def _exponential(graph: _Glushkov, budget: list[int]) -> bool:
    """EDA: two distinct paths from some position back to itself reading the same word."""
    for start in _in_cycles(graph, graph.all_edges(), budget):
        seen = {(start, start, False)}
        queue = deque(seen)
        while queue:
            x, y, diverged = queue.popleft()
            for x2, nx in graph.edges.get(x, {}).items():
                for y2 in graph.edges.get(y, {}):
                    _spend(budget)
                    if not _overlap(graph, x2, y2):
                        continue
                    split = diverged or x2 != y2 or (x == y and nx > 1)
                    if split and x2 == y2 == start:
                        return True
                    state = (x2, y2, split)
                    if state not in seen:
                        seen.add(state)
                        queue.append(state)
    return False


def _spend(budget: list[int], units: int = 1) -> None:
    budget[0] -= units
    if budget[0] < 0:
        raise _Budget


def _in_cycles(graph: _Glushkov, edges: dict[int, list[int]], budget: list[int]) -> list[int]:
    """Positions on a cycle of ``edges``."""
    return [p for p in range(len(graph.classes)) if p in _reach(edges, p, budget)]


def _reach(edges: dict[int, list[int]], source: int, budget: list[int]) -> set[int]:
    """Positions reachable from ``source`` in one or more steps."""
    seen: set[int] = set()
    stack = list(edges.get(source, []))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            _spend(budget, len(edges.get(node, [])) + 1)
            stack.extend(edges.get(node, []))
    return seen


def _polynomial(graph: _Glushkov, budget: list[int]) -> bool:
    """IDA: positions p != q with p->p, p->q and q->q on one word (unbounded repeats only)."""
    edges = graph.strong_edges()
    reach = {p: _reach(edges, p, budget) for p in range(len(graph.classes))}
    loops = [p for p in reach if p in reach[p]]
    for p in loops:
        for q in loops:
            if p != q and q in reach[p] and _triple(graph, edges, p, q, budget):
                return True
    return False


def _triple(
    graph: _Glushkov, edges: dict[int, list[int]], p: int, q: int, budget: list[int]
) -> bool:
    start, goal = (p, p, q), (p, q, q)
    seen = {start}
    queue = deque([start])
    while queue:
        x, y, z = queue.popleft()
        for x2 in edges.get(x, []):
            for y2 in edges.get(y, []):
                _spend(budget)
                if not _overlap(graph, x2, y2):
                    continue
                for z2 in edges.get(z, []):
                    _spend(budget)
                    state = (x2, y2, z2)
                    if state in seen or not _overlap(graph, x2, y2, z2):
                        continue
                    if state == goal:
                        return True
                    seen.add(state)
                    queue.append(state)
    return False
