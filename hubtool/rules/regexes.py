"""Static questions about input-schema patterns, answered from Python's regex parse tree.

JSON Schema ``pattern`` is an unanchored search, so a bounded value needs ``^...$``; and a
path value must not be able to contain ``/``. Both are decided on the parsed pattern, not by
trying sample strings. Lookarounds and back-references are treated conservatively.
"""

from __future__ import annotations

import functools
import re
from typing import Any

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


@functools.cache
def compile_error(pattern: str) -> str | None:
    """The compile error of ``pattern``, or None when it compiles."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return str(exc)
    return None


def compiles(pattern: str) -> bool:
    return compile_error(pattern) is None


def _parse(pattern: str) -> list[tuple[Any, Any]]:
    return list(sre_parse.parse(pattern))


_BEGIN = {C.AT_BEGINNING, C.AT_BEGINNING_STRING}
_END = {C.AT_END, C.AT_END_STRING}


def anchored(pattern: str) -> bool:
    """True when every match must span the whole value (``^...$``, also per alternative)."""
    items = _parse(pattern)
    return _at_edge(items, 0, _BEGIN) and _at_edge(items, -1, _END)


def _at_edge(items: list[Any], index: int, anchors: set[Any]) -> bool:
    """True when the first (index 0) or last (index -1) node of ``items`` is an anchor."""
    if not items:
        return False
    op, av = items[index]
    if op is C.AT:
        return av in anchors
    if op is C.SUBPATTERN:
        return _at_edge(list(av[-1]), index, anchors)
    if op is C.BRANCH:
        return all(_at_edge(list(branch), index, anchors) for branch in av[1])
    return False


def can_match_any(pattern: str, chars: str) -> bool:
    """True when some string matching ``pattern`` may contain one of ``chars``."""
    return any(_seq_matches(_parse(pattern), ch) for ch in chars)


def _seq_matches(items: Any, ch: str) -> bool:
    return any(_node_matches(op, av, ch) for op, av in items)


def _node_matches(op: Any, av: Any, ch: str) -> bool:
    code = ord(ch)
    if op is C.LITERAL:
        return av == code
    if op is C.NOT_LITERAL:
        return av != code
    if op is C.ANY:
        return ch != "\n"
    if op is C.IN:
        return _in_set(av, ch)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        _, high, sub = av
        return high != 0 and _seq_matches(sub, ch)
    if op is C.SUBPATTERN:
        return _seq_matches(av[-1], ch)
    if op is C.BRANCH:
        return any(_seq_matches(branch, ch) for branch in av[1])
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _seq_matches(av, ch)
    # Anchors and lookarounds consume nothing; back-references and the rest: assume the worst.
    return op not in (C.AT, C.ASSERT, C.ASSERT_NOT)


def _in_set(items: Any, ch: str) -> bool:
    code = ord(ch)
    negate = False
    hit = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit = hit or av == code
        elif op is C.RANGE:
            hit = hit or av[0] <= code <= av[1]
        elif op is C.CATEGORY:
            hit = hit or _category(av, ch)
        else:
            hit = True
    return hit != negate


def _category(category: Any, ch: str) -> bool:
    positive = {
        C.CATEGORY_DIGIT: ch.isdigit(),
        C.CATEGORY_SPACE: ch.isspace(),
        C.CATEGORY_WORD: ch.isalnum() or ch == "_",
    }
    negative = {
        C.CATEGORY_NOT_DIGIT: C.CATEGORY_DIGIT,
        C.CATEGORY_NOT_SPACE: C.CATEGORY_SPACE,
        C.CATEGORY_NOT_WORD: C.CATEGORY_WORD,
    }
    if category in positive:
        return positive[category]
    if category in negative:
        return not positive[negative[category]]
    return True


def max_length(pattern: str) -> int | None:
    """The longest string an anchored ``pattern`` can match, or None when unlimited."""
    try:
        high = sre_parse.parse(pattern).getwidth()[1]
    except (re.error, OverflowError, RecursionError):
        return None
    return None if high >= C.MAXREPEAT else high


def min_length(pattern: str) -> int:
    """The shortest string ``pattern`` can match (0 when it cannot be parsed)."""
    try:
        return sre_parse.parse(pattern).getwidth()[0]
    except (re.error, OverflowError, RecursionError):
        return 0
