"""Decodings a credential could hide behind: escape sequences, invisible characters, base64.

Each is one linear pass; ``views`` yields each decoded view of a text for the detectors.
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from collections.abc import Iterator

from hubtool.core.lazyre import lazy_compile
from hubtool.core.secrets.detectors import has_run, token_runs

_BACKSLASH = r"\\(?:[abfnrtv0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})"
_BACKSLASH_ESCAPE = lazy_compile(_BACKSLASH)
_NAMED_ESCAPES = dict(zip("abfnrtv0", "\a\b\f\n\r\t\v\0", strict=True))
_ESCAPE = lazy_compile(_BACKSLASH + "|%[0-9A-Fa-f]{2}")
"""An escape sequence a value may have been written with before redaction: Python's ``repr``
and ``escape.terminal`` (``\\n``, ``\\x1b``, ``\\u00e9``, ``\\U0001f600``), JSON (``\\b``,
``\\u0000``) and percent-encoding (``%0A``). Its last character (``n``, a hex digit) would glue
to a credential written right after it and hide the word boundary the detectors check.
Both patterns compile on first use: only a text holding a backslash or ``%`` needs them."""


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def escapes_blanked(text: str) -> str | None:
    """``text`` with every escape sequence as as many spaces (so spans stay those of ``text``),
    or None when it holds none. One linear pass."""
    if "\\" not in text and "%" not in text:
        return None
    blanked = _ESCAPE.sub(_blank, text)
    return None if blanked == text else blanked


_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
"""Characters that render as nothing: soft hyphen, zero-width space/joiners, word joiner, bidi
controls, BOM, variation selectors, tag characters (Unicode's Default_Ignorable_Code_Point)."""
INVISIBLE = lazy_compile(
    "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _INVISIBLE_RANGES) + "]"
)
_DROP_INVISIBLE = {code: None for a, b in _INVISIBLE_RANGES for code in range(a, b + 1)}
_BASE64_MIN = 24
_BASE64_RUN = lazy_compile(r"[A-Za-z0-9+/_-]{24,}+={0,2}")


def views(text: str) -> Iterator[tuple[str, str]]:
    """(how, text) for each decoding of ``text`` a credential could hide behind.

    Invisible characters removed; then percent-escapes undone; then backslash escapes undone
    (``\\u200b`` inside a token, written by ``repr`` before redaction) and the invisible
    characters they stand for removed; and every base64 run decoded
    (the runs that decode to printable ASCII, joined by newlines). JSON ``\\u`` escapes are
    already undone by parsing. One level only, so the total work stays linear in ``len(text)``.
    """
    hidden = not text.isascii() and INVISIBLE.search(text) is not None  # all are non-ASCII
    visible = text.translate(_DROP_INVISIBLE) if hidden else text
    if visible is not text:
        yield "invisible characters", visible
    if "%" in visible:
        unescaped = urllib.parse.unquote(visible, errors="replace")
        if unescaped != visible:
            yield "percent-encoding", unescaped
    if "\\" in visible:
        unescaped = _BACKSLASH_ESCAPE.sub(_unescape, visible).translate(_DROP_INVISIBLE)
        if unescaped != visible:
            yield "escape sequences", unescaped
    if len(visible) < _BASE64_MIN or not has_run(token_runs(visible), _BASE64_MIN):
        return  # no base64 run: its alphabet is within the token characters
    decoded = [d for run in _BASE64_RUN.finditer(visible) if (d := _base64_text(run.group()))]
    if decoded:
        yield "base64", "\n".join(decoded)


def _unescape(match: re.Match[str]) -> str:
    """The character a backslash escape sequence stands for (``\\u200b``: ZERO WIDTH SPACE)."""
    body = match.group()[1:]
    if body in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[body]
    code = int(body[1:], 16)
    return chr(code) if code <= 0x10FFFF else ""


def _base64_text(run: str) -> str | None:
    """The printable ASCII text a base64 or base64url run decodes to, or None."""
    body = run.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except ValueError:
        return None
    return raw.decode("ascii") if raw.isascii() and raw.decode("ascii").isprintable() else None
