"""Secret detection and redaction: what every output path uses so no credential is printed.

``find_secret`` finds the first credential-shaped part of a text (``detectors``, also after
each decoding of ``decodings``); ``redact_text``, ``safe_repr``, ``safe_name`` and
``safe_pointer`` make texts, values, names and pointers safe to show. Credential names are in
``names``. No findings here: the rules ``no-secret-fields`` and ``no-secret-values`` are in
``hubtool.validate.rules.secrets``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hubtool.core.limits import SHORT_TEXT, cached_when_short
from hubtool.core.pointers import pointer_of, unescape
from hubtool.core.secrets.decodings import escapes_blanked, views
from hubtool.core.secrets.detectors import SecretMatch, first_raw, raw_matches
from hubtool.core.secrets.prefilter import may_hold_secret
from hubtool.core.texts import keys_and_strings

__all__ = [
    "SecretMatch",
    "StringScan",
    "find_secret",
    "may_flag",
    "redact_text",
    "safe_name",
    "safe_pointer",
    "safe_repr",
    "scan_strings",
    "secret_strings",
]


def _matches(text: str) -> Iterator[SecretMatch]:
    """``raw_matches`` of ``text``, then of ``text`` with its escape sequences blanked: an
    escape is a boundary, as the character it stands for would be (same spans, linear)."""
    yield from raw_matches(text)
    blanked = escapes_blanked(text)
    if blanked is not None:
        yield from raw_matches(blanked)


@cached_when_short()
def find_secret(text: str) -> SecretMatch | None:
    """The first credential-shaped part of ``text``, as a kind, a redacted hint and its span
    (short texts, which repeat across a catalog, cached).

    A credential found only after decoding (invisible characters, percent-encoding, base64)
    spans the whole text: its position in the raw text is not known, so all of it is withheld.
    """
    if not may_hold_secret(text):
        return None
    return next(_matches(text), None) or _hidden(text)


_FIND_SHORT = find_secret.cached  # type: ignore[attr-defined]
"""``find_secret`` of a text up to ``SHORT_TEXT`` long (its cache, without the length test)."""


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

    One pass per detector that can match, then one over each decoding of what is left
    (linear; none for a text ``may_hold_secret`` clears); overlapping
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


@dataclass(slots=True)
class StringScan:
    """What one walk of a value's strings found, each with its JSON pointer, depth first."""

    named: list[tuple[str, str]] = field(default_factory=list)
    """(pointer, key) of each key the walk's name check flagged."""
    secrets: list[tuple[str, SecretMatch, bool]] = field(default_factory=list)
    """(pointer, match, is_key) of each credential-shaped string value or key."""


def scan_strings(value: Any, names: Callable[[str], bool] | None = None) -> StringScan:
    """One walk of every string value and key in ``value``: credential-shaped ones, and keys
    that ``names`` flags (``names_credential``). Pointers are built for those only."""
    scan = StringScan()
    _Walk(names, scan).value(value, [])
    return scan


_CONTAINERS = (dict, list)
"""For ``isinstance`` in the walk: a tuple, not a ``dict | list`` union built at each test."""


class _Walk:
    """One ``scan_strings`` walk, with the keys and values it found clean: a document repeats
    its keys (``type``, ``description``) and many values, which are checked once each."""

    __slots__ = ("clean_keys", "clean_values", "names", "scan")

    def __init__(self, names: Any, scan: StringScan) -> None:
        self.names, self.scan = names, scan
        self.clean_keys: set[str] = set()
        self.clean_values: set[str] = set()

    def value(self, value: Any, path: list[str | int]) -> None:
        """Scan ``value`` at ``path`` (its keys and indexes: a list the walk extends and
        shrinks, for the containers in it only). Members are handled inline: most are
        strings, found clean before, or clean (``find_secret`` asked without its wrapper)."""
        if isinstance(value, str):
            if value not in self.clean_values:
                self.string(value, path)
            return
        clean_values = self.clean_values
        if isinstance(value, dict):
            clean_keys = self.clean_keys
            for key, child in value.items():
                if key not in clean_keys:
                    self.key(key, path, key)
                if isinstance(child, str):
                    if child not in clean_values:
                        if len(child) <= SHORT_TEXT and _FIND_SHORT(child) is None:
                            clean_values.add(child)
                        else:
                            self.string(child, path, key)
                elif isinstance(child, _CONTAINERS):
                    path.append(key)
                    self.value(child, path)
                    path.pop()
        elif isinstance(value, list):
            for index, child in enumerate(value):
                if isinstance(child, str):
                    if child not in clean_values:
                        if len(child) <= SHORT_TEXT and _FIND_SHORT(child) is None:
                            clean_values.add(child)
                        else:
                            self.string(child, path, index)
                elif isinstance(child, _CONTAINERS):
                    path.append(index)
                    self.value(child, path)
                    path.pop()

    def key(self, key: str, path: list[str | int], *at: str) -> None:
        named = self.names is not None and self.names(key)
        if named:
            self.scan.named.append((pointer_of(*path, *at), key))
        if match := find_secret(key):
            self.scan.secrets.append((pointer_of(*path, *at), match, True))
        elif not named:
            self.clean_keys.add(key)

    def string(self, text: str, path: list[str | int], *at: str | int) -> None:
        if match := find_secret(text):
            self.scan.secrets.append((pointer_of(*path, *at), match, False))
        else:
            self.clean_values.add(text)


_REMEMBERED = 1 << 15
"""Clean keys and strings remembered across documents, at most (each set, per process)."""
_REMEMBERED_LENGTH = 128
"""Longer texts are not remembered (so the sets hold at most 4 MiB of characters each)."""
_CLEAN_KEYS: dict[Callable[[str], bool], set[str]] = {}
"""For each ``names`` function: keys it did not flag and ``find_secret`` found clean."""
_CLEAN_STRINGS: set[str] = set()
"""String values ``find_secret`` found clean (``may_flag``)."""


def may_flag(
    value: Any,
    names: Callable[[str], bool],
    texts: tuple[set[str], set[str]] | None = None,
) -> bool:
    """False when ``scan_strings(value, names)`` finds nothing; True: maybe (walk it).

    For plain JSON only (a ``hubtool.load.strict`` document's data: dicts, lists, str keys):
    subclasses are not looked into. ``texts``: the distinct keys and strings of ``value``
    when the loader gathered them (``Document.texts``), else gathered here
    (``core.texts.keys_and_strings``); no pointer is built. Only those not found clean before,
    in this or an earlier document, are checked: a catalog repeats most of them.
    """
    gathered = texts if texts is not None else keys_and_strings(value)
    if gathered is None:  # not without a depth cap; for the type checker
        return True
    keys, strings = gathered
    clean_keys = _CLEAN_KEYS.setdefault(names, set())
    for key in keys - clean_keys:
        if names(key) or find_secret(key):
            return True
        _remember(clean_keys, key)
    for text in strings - _CLEAN_STRINGS:
        if find_secret(text):
            return True
        _remember(_CLEAN_STRINGS, text)
    return False


def _remember(clean: set[str], text: str) -> None:
    """Add a clean ``text`` to ``clean``, emptied first when full (bounded memory)."""
    if len(text) <= _REMEMBERED_LENGTH:
        if len(clean) >= _REMEMBERED:
            clean.clear()
        clean.add(text)


def secret_strings(value: Any) -> Iterator[tuple[str, SecretMatch, bool]]:
    """(pointer, match, is_key) for every credential-shaped string value or key in ``value``."""
    yield from scan_strings(value).secrets


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
