"""Static questions about an ECMA-262 pattern, answered on its parse tree (``syntax.parse``).

Whether every match spans the whole value (anchoring), which characters a match may hold, and
the shortest and longest match in code points (as ``minLength``/``maxLength`` count them). No
sample string is ever tried; each answer is linear in the size of the pattern.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from hubtool.core.ecma.ranges import Ranges, contains
from hubtool.core.ecma.syntax import (
    HUGE,
    Alt,
    Anchor,
    Backref,
    Chars,
    Group,
    Node,
    Repeat,
    Seq,
    children,
    parse,
)


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


@functools.lru_cache(maxsize=1024)
def can_match_any(pattern: str, chars: str) -> bool:
    """True when some string matching ``pattern`` may contain one of ``chars``.

    Over-approximates (``\\p{...}`` is any character); True when the pattern cannot be read.
    Cached as ``syntax.parse`` is: a catalog repeats its path parameters' patterns.
    """
    tree = parse(pattern)
    if tree is None:
        return True
    codes = [ord(c) for c in chars]
    return any(contains(r, code) for r in _reachable_chars(tree) for code in codes)


def _reachable_chars(node: Node) -> Iterator[Ranges]:
    if isinstance(node, Chars):
        yield node.ranges
    elif isinstance(node, Repeat) and node.high == 0:
        return
    else:
        for child in children(node):
            yield from _reachable_chars(child)


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
