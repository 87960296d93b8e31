"""Character sets of ECMA-262 patterns: sorted, disjoint, inclusive code point intervals.

``Ranges`` is the shape every set takes, ``((low, high), ...)`` over 0..U+10FFFF; the class
escapes (``\\d``, ``\\w``, ``\\s`` and their negations) follow ECMA-262 22.2.2.9 in Unicode mode.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_CODE = 0x10FFFF

Ranges = tuple[tuple[int, int], ...]


def norm(ranges: Iterable[tuple[int, int]]) -> Ranges:
    """``ranges`` sorted and merged (overlapping or adjacent intervals become one)."""
    out: list[list[int]] = []
    for low, high in sorted(ranges):
        if out and low <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], high)
        else:
            out.append([low, high])
    return tuple((a, b) for a, b in out)


def negate(ranges: Ranges) -> Ranges:
    """Every code point not in ``ranges`` (which must be normalised)."""
    out, nxt = [], 0
    for low, high in ranges:
        if low > nxt:
            out.append((nxt, low - 1))
        nxt = high + 1
    if nxt <= MAX_CODE:
        out.append((nxt, MAX_CODE))
    return tuple(out)


def intersect(a: Ranges, b: Ranges) -> Ranges:
    """The code points in both ``a`` and ``b`` (both normalised); linear in their sizes."""
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


def contains(ranges: Ranges, code: int) -> bool:
    """True when code point ``code`` is in ``ranges``."""
    return any(low <= code <= high for low, high in ranges)


ANY: Ranges = ((0, MAX_CODE),)
DIGIT: Ranges = ((0x30, 0x39),)
WORD: Ranges = norm([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
SPACE: Ranges = norm(
    [(9, 13), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A), (0x2028, 0x2029)]
)
SPACE = norm([*SPACE, (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF)])
"""ECMA-262 WhiteSpace and LineTerminator (22.2.2.9 CharacterClassEscape ``s``)."""
LINE_ENDS: Ranges = norm([(10, 10), (13, 13), (0x2028, 0x2029)])
CLASS_ESCAPES = {
    "d": DIGIT,
    "D": negate(DIGIT),
    "w": WORD,
    "W": negate(WORD),
    "s": SPACE,
    "S": negate(SPACE),
}


def fold(ranges: Ranges) -> Ranges:
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
    return norm([*ranges, *extra])
