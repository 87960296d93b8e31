"""The fast path of the strict JSON loader: the standard library's C scanner, made strict.

``json`` alone keeps the last of two duplicate keys, accepts NaN, Infinity and -Infinity, lone
UTF-16 surrogate escapes (``"\\ud800"``), number literals of any length and floats that overflow
to infinity, and nests as deep as the interpreter's recursion limit. ``loads`` refuses every such
text, and every text ``json`` itself rejects, by returning ``REFUSED``: the caller then runs the
positional parser (``hubtool.load.strict``), which gives the finding. ``loads`` may refuse more
than the strict parser would reject, never less, and what it accepts it returns exactly as the
strict parser does (RFC 8259; same types and key order). Linear in the text's length.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Final

from hubtool.core.lazyre import lazy_compile
from hubtool.core.limits import MAX_NUMBER_CHARS
from hubtool.core.texts import keys_and_strings

REFUSED: Final = object()
"""``loads``'s answer for a text the positional parser must judge."""

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_ESCAPES = lazy_compile(
    r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(u[dD][89a-fA-F])|.)", re.S
)
"""Every escape of a valid JSON text, left to right; group 1 is a lone surrogate escape."""


class _Refused(Exception):
    """Raised inside a ``json`` hook: the text needs the positional parser."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """One object, refused if it repeats a key."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Refused
    return result


def _int(literal: str) -> int:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _Refused
    return int(literal)


def _float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _Refused
    value = float(literal)
    if math.isinf(value):
        raise _Refused
    return value


def _constant(name: str) -> Any:
    raise _Refused  # NaN, Infinity, -Infinity


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_int=_int, parse_float=_float, parse_constant=_constant
)


def loads(text: str, max_depth: int) -> Any:
    """The JSON value of ``text``, or ``REFUSED`` if the positional parser must judge it.

    ``max_depth`` caps the nesting of objects and arrays (the outermost is level 1).
    """
    loaded = load_texts(text, max_depth)
    return loaded if loaded is REFUSED else loaded[0]


Loaded = tuple[Any, set[str], set[str]]
"""A JSON value, and the distinct keys and strings in it (``core.texts.keys_and_strings``)."""


def load_texts(text: str, max_depth: int) -> Loaded | object:
    """``loads``, with the distinct keys and strings of the value: the walk that tells how
    deep it nests gathers them (``core.texts``). ``REFUSED`` as ``loads``."""
    try:
        data = _DECODER.decode(text)
    except (_Refused, ValueError, RecursionError):
        return REFUSED
    if _lone_surrogate(text):
        return REFUSED
    gathered = keys_and_strings(data, max_depth)
    if gathered is None:
        return REFUSED
    return data, *gathered


def _lone_surrogate(text: str) -> bool:
    """Whether valid JSON ``text`` escapes a UTF-16 surrogate that is not half of a pair."""
    if "\\" not in text or not _SURROGATE_ESCAPE.search(text):  # no escape at all: memchr
        return False
    return any(match.group(1) for match in _ESCAPES.finditer(text))
