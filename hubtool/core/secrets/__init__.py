"""Secret detection and redaction: what every output path uses so no credential is printed.

``find_secret`` finds the first credential-shaped part of a text (``detectors``, also after
each decoding of ``decodings``); ``redact_text``, ``safe_repr``, ``safe_name`` and
``safe_pointer`` make texts, values, names and pointers safe to show. Credential names are in
``names``. No findings here: the rules ``no-secret-fields`` and ``no-secret-values`` are in
``hubtool.validate.rules.secrets``.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from typing import Any

from hubtool.core.pointers import escape, unescape
from hubtool.core.secrets.decodings import escapes_blanked, views
from hubtool.core.secrets.detectors import SecretMatch, first_raw, raw_matches
from hubtool.core.secrets.prefilter import may_hold_secret

__all__ = [
    "SecretMatch",
    "find_secret",
    "redact_text",
    "safe_name",
    "safe_pointer",
    "safe_repr",
    "secret_strings",
    "walk_strings",
]


def _matches(text: str) -> Iterator[SecretMatch]:
    """``raw_matches`` of ``text``, then of ``text`` with its escape sequences blanked: an
    escape is a boundary, as the character it stands for would be (same spans, linear)."""
    yield from raw_matches(text)
    blanked = escapes_blanked(text)
    if blanked is not None:
        yield from raw_matches(blanked)


@functools.lru_cache(maxsize=4096)
def find_secret(text: str) -> SecretMatch | None:
    """The first credential-shaped part of ``text``, as a kind, a redacted hint and its span.

    A credential found only after decoding (invisible characters, percent-encoding, base64)
    spans the whole text: its position in the raw text is not known, so all of it is withheld.
    """
    if not may_hold_secret(text):
        return None
    return next(_matches(text), None) or _hidden(text)


def _hidden(text: str) -> SecretMatch | None:
    """A credential that only a decoding of ``text`` shows, spanning the whole text."""
    for how, view in views(text):
        hidden = first_raw(view)
        if hidden is not None:
            hint = f"hidden by {how}; {len(text)} chars, redacted"
            return SecretMatch(hidden.kind, hint, 0, len(text))
    return None


_MAX_REDACTIONS = 100
"""More credential-shaped parts than this in one text: the whole text is withheld."""


def redact_text(text: str) -> str:
    """``text`` with every credential-shaped part replaced by its kind and redacted hint.

    One pass per detector, then one over each decoding of what is left (linear); overlapping
    matches merge into the leftmost. A credential only a decoding shows withholds the text.
    """
    if not may_hold_secret(text):
        return text
    parts: list[str] = []
    done = 0
    found = list(itertools.islice(_matches(text), 8 * _MAX_REDACTIONS + 1))
    if len(found) > 8 * _MAX_REDACTIONS:
        return "<redacted text>"
    for match in sorted(found, key=lambda m: (m.start, -m.end)):
        if match.start < done:
            continue
        if len(parts) >= 2 * _MAX_REDACTIONS:
            return "<redacted text>"
        parts += [text[done : match.start], f"<{match.kind}: {match.hint}>"]
        done = match.end
    redacted = "".join(parts) + text[done:]
    hidden = _hidden(redacted)
    return redacted if hidden is None else f"<{hidden.kind}: {hidden.hint}>"


def safe_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)`` for messages, unless it may carry a secret or is too long."""
    if isinstance(value, str):
        if find_secret(value):
            return "<redacted value>"
        if len(value) > limit:
            return repr(value[:limit] + "...")
        return repr(value)
    if isinstance(value, dict | list):
        return f"<{type(value).__name__} of {len(value)}>"
    return repr(value)


def walk_strings(value: Any) -> list[tuple[str, str, bool]]:
    """(pointer, string, is_key) for every string value and key in ``value``, depth first: a
    key, then what it holds. One walk for every string check of a document."""
    found: list[tuple[str, str, bool]] = []
    _collect_strings(value, "", found)
    return found


def _collect_strings(value: Any, pointer: str, found: list[tuple[str, str, bool]]) -> None:
    if isinstance(value, str):
        found.append((pointer, value, False))
    elif isinstance(value, dict):
        for key, child in value.items():
            child_pointer = f"{pointer}/{escape(key)}"
            found.append((child_pointer, key, True))
            if isinstance(child, str):  # most values: no call
                found.append((child_pointer, child, False))
            elif isinstance(child, dict | list):
                _collect_strings(child, child_pointer, found)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _collect_strings(child, f"{pointer}/{index}", found)


def secret_strings(value: Any) -> Iterator[tuple[str, SecretMatch, bool]]:
    """(pointer, match, is_key) for every credential-shaped string value or key in ``value``."""
    for pointer, text, is_key in walk_strings(value):
        match = find_secret(text)
        if match:
            yield pointer, match, is_key


def safe_name(name: Any) -> str:
    """A key or name as written, for a message, unless it looks like a credential."""
    text = str(name)
    return "<redacted>" if find_secret(text) else text


def safe_pointer(pointer: str) -> str:
    """``pointer`` for output, with every credential-shaped reference token redacted.

    Each token is checked as the key it stands for (``~1`` is ``/``): an escaped URL with
    userinfo is still a credential.
    """
    return "/".join(_safe_token(token) for token in pointer.split("/"))


def _safe_token(token: str) -> str:
    return "<redacted>" if find_secret(unescape(token)) else token
