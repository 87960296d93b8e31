"""Validity and matching of ECMA-262 patterns: two engines, linear-time matching.

- **Validity** is decided by two engines together. ``regress`` (a Rust implementation of
  ECMA-262 syntax) parses with the ``u`` (Unicode) flag, the mode Ajv and most JSON Schema
  validators use; it refuses Python-only syntax (``\\A``, ``\\Z``, ``(?P<n>...)``, ``(?i)``).
  ``regress`` backtracks with no time bound, so it never matches anything here.
- **Matching** uses ``jsonschema_rs`` (Rust ``regex`` crate behind an ECMA-262 translation):
  finite automata, time linear in the value, ``\\d``/``\\w`` ASCII, ``$`` only at the very end.
  A pattern it refuses (lookaround, back-references, repetition beyond its size limit such as
  ``a{4294967296}``) cannot be matched in bounded time, so it is refused too.

Where the matcher differs from ECMA-262, and what is done about it:

- ``\\b``/``\\B`` are Unicode word boundaries in Rust; they are rewritten to ASCII ones.
- ``\\0``, ``[]``, ``[^]``, ``\\uD83D\\uDE00`` (surrogate-pair escapes): refused by the matcher,
  so they are invalid here (a finding, never a wrong answer).
- With an ``i`` modifier, ECMA ``\\w`` also matches U+017F and U+212A; Rust does not.
- A value holding a lone surrogate (possible in a JSON spec, refused in manifests) is matched
  with each lone surrogate read as U+FFFD.
"""

from __future__ import annotations

import functools
from typing import Any

from hubtool.core.ecma.syntax import Backref, Boundary, Look, Node, has, parse, walk
from hubtool.core.schema.offline import compile_schema_rs, linear_patterns


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
    if has(tree, Look) or has(tree, Backref):
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
    """``regress``'s reason ``pattern`` is not ECMA-262 (Unicode mode), or None.

    ``regress`` is a native module, imported on the first pattern checked, not at start-up.
    """
    import regress

    try:
        regress.Regex(pattern, "u")
    except Exception as exc:  # regress raises RegressError (and ValueError on odd input)
        return str(exc) or type(exc).__name__
    return None


@functools.lru_cache(maxsize=1024)
def _matcher(pattern: str) -> Any:
    """A compiled jsonschema_rs validator of ``{"pattern": ...}``, or None when refused."""
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
    spans = sorted(node.span for node in walk(tree) if isinstance(node, Boundary))
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
