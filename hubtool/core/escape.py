"""Escaping at the output boundary: one function per medium, each redacting credentials first.

Every value a reporter puts into output (file names, slugs, pointers, messages, versions) passes
through the function of its medium:

- ``terminal``: text on a terminal or in a CI log. Control, format and separator characters
  (C0, DEL, C1, bidi overrides as in Trojan Source, zero-width, lone surrogates, U+2028/9)
  become visible escapes, so a value can never start a line, colour a terminal or reorder text;
  a value can never start a GitHub workflow command (``::`` after leading whitespace) nor hold
  the runner's legacy command (``##[`` anywhere in a line; actions/runner ActionCommand.cs).
- ``workflow_data`` / ``workflow_property``: GitHub workflow commands, as @actions/core's
  ``escapeData``/``escapeProperty`` (command.ts: ``%``, CR, LF; properties also ``:`` and
  ``,``); other control characters visible as in ``terminal`` (the log viewer renders ANSI).
- ``markdown`` / ``markdown_code``: GitHub-flavoured markdown with HTML: no tag, comment, link,
  image, emphasis, table cell break, @mention or #reference can come from a value.
- ``json_text``: JSON (and SARIF): the document as text, with the same characters as ``\\uXXXX``
  escapes (the decoded values are unchanged) and valid UTF-8 whatever the input.
"""

from __future__ import annotations

import json
import re

from hubtool.core.lazyre import lazy_compile
from hubtool.core.limits import cached_when_short

_CONTROLS = "\x00-\x1f"
_OTHER_INVISIBLE = (
    "\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_INVISIBLE = lazy_compile(f"[{_CONTROLS}{_OTHER_INVISIBLE}]")
"""Unicode categories Cc, Cf, Cs, Zl and Zp (Unicode 14, ``tests/test_hostile_output.py``
checks the class against ``unicodedata``): nothing a reader can see, or something that moves text.
"""
_INVISIBLE_IN_LINES = lazy_compile(f"[\x00-\x09\x0b\x0c\x0e-\x1f{_OTHER_INVISIBLE}]")
"""All of ``_INVISIBLE`` but CR and LF, which workflow commands escape as ``%0D`` and ``%0A``."""
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_COMMAND_START = re.compile(r"^(\s*):(?=:)")
"""The runner trims leading whitespace and runs a line starting with ``::`` as a command."""
_LEGACY_COMMAND = lazy_compile(r"##(?=(?:vso)?\[)", re.IGNORECASE)
"""The runner's legacy ``##[command]`` form, recognised anywhere in a line (and Azure
Pipelines' ``##vso[command]``)."""
_JOINER = "\u2060"
"""WORD JOINER: invisible, breaks GitHub's @mention, #reference and autolink patterns."""


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """``text`` with every invisible or control character as a Python-style escape (``\\x1b``)."""
    return _INVISIBLE.sub(_escape_char, text)


@cached_when_short()
def redacted(text: str) -> str:
    """``text`` with credential-shaped parts replaced by their redacted hint (short texts, which
    repeat across findings, cached)."""
    from hubtool.core.secrets import redact_text

    return redact_text(text)


def no_commands(line: str) -> str:
    """A line that the Actions runner cannot take for a workflow command: a leading ``::``
    becomes ``\\x3a:`` and every ``##[`` becomes ``#\\x23[``."""
    line = _COMMAND_START.sub(r"\1\\x3a", line)
    return _LEGACY_COMMAND.sub(r"#\\x23", line) if "##" in line else line


def terminal(value: object) -> str:
    """A value for text output: redacted, control characters visible, no workflow command."""
    return no_commands(visible(redacted(str(value))))


# --- GitHub workflow commands ---------------------------------------------------------------


def workflow_data(value: object) -> str:
    """The message of a workflow command (@actions/core ``escapeData``; other control and
    invisible characters visible, as in ``terminal``: the log viewer renders ANSI escapes)."""
    text = _INVISIBLE_IN_LINES.sub(_escape_char, redacted(str(value)))
    text = _LEGACY_COMMAND.sub(r"#\\x23", text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(value: object) -> str:
    """A property value of a workflow command (@actions/core ``escapeProperty``)."""
    return workflow_data(value).replace(":", "%3A").replace(",", "%2C")


# --- markdown -------------------------------------------------------------------------------

_MD_REPLACEMENTS = (
    ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"),
    *((c, f"\\{c}") for c in "\\`*_[]()|~!$"),
    ("@", f"@{_JOINER}"), ("#", f"#{_JOINER}"), ("://", f":{_JOINER}//"),
)  # fmt: skip
"""``& < >`` as entities (no HTML, no ``<!--``); punctuation with a meaning (``$`` is math on
GitHub) backslash-escaped, the backslash first; a WORD JOINER after ``@``, ``#``, ``:`` of ``://``.
"""
_MD_LINE_START = lazy_compile(r"^([-+=])|^(\d{1,9})([.)])(?=\s|$)")
_MD_WWW = lazy_compile(r"www(?=\.)", re.IGNORECASE)


def _md_line_start(match: re.Match[str]) -> str:
    marker, number, dot = match.groups()
    return f"\\{marker}" if marker else f"{number}\\{dot}"


def markdown(value: object) -> str:
    """A value for markdown prose or a table cell: shown exactly, never parsed as markup.

    Punctuation with a meaning (emphasis, links, images, code, math, ``|``, ``~``) is escaped,
    ``& < >`` become entities (no HTML, no ``<!--``), a list or heading marker at the start is
    escaped, and a WORD JOINER follows ``@``, ``#``, ``:`` before ``//`` and ``www`` before ``.``,
    so GitHub makes no mention, issue reference or autolink of it.
    """
    text = visible(redacted(str(value)))
    for old, new in _MD_REPLACEMENTS:
        text = text.replace(old, new)
    text = _MD_LINE_START.sub(_md_line_start, text)
    return _MD_WWW.sub(f"\\g<0>{_JOINER}", text) if "." in text else text


def markdown_code(value: object, table: bool = False) -> str:
    """A value as a code span: fenced by more backticks than it holds (CommonMark 6.1).

    In a table cell ``|`` is escaped as ``\\|`` (GFM tables split cells before code spans).
    """
    text = visible(redacted(str(value)))
    if table:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# --- JSON -----------------------------------------------------------------------------------


_JSON_INVISIBLE = lazy_compile(f"[{_OTHER_INVISIBLE}]")
"""json.dumps already escapes C0 controls inside strings; a raw newline is the indentation."""


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(document: object) -> str:
    """``document`` as indented JSON ending in a newline; non-ASCII text stays as it is.

    Invisible and control characters are written as ``\\uXXXX`` escapes (a lone surrogate from
    a non-UTF-8 file name included, so the text always encodes as UTF-8) and ``##[`` as
    ``#\\u0023[``: the same values, but nothing a terminal or the Actions runner acts on.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False)
    text = _JSON_INVISIBLE.sub(_json_escape, text)
    return _LEGACY_COMMAND.sub(r"#\\u0023", text) + "\n"
