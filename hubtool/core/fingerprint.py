"""Fingerprints of flagged values: what a ``.hubtool.yaml`` allowlist entry names.

A fingerprint is ``sha256:`` and the SHA-256 of the whole string (UTF-8), like the hashed
secrets of detect-secrets' baseline: it identifies exactly one value without showing it, and
any edit of the value (a second token appended, one character changed) gives another one.
"""

from __future__ import annotations

from typing import Any

from hubtool.core.pointers import pointer_tokens

PREFIX = "sha256:"


def value_fingerprint(text: str) -> str:
    """``sha256:<64 hex>`` of ``text`` (lone surrogates kept as they are)."""
    import hashlib  # only for a flagged value: start-up

    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return PREFIX + digest


def string_at(data: Any, pointer: str, is_key: bool = False) -> str:
    """The string at JSON ``pointer`` in ``data`` (the key itself when ``is_key``); "" if none."""
    tokens = pointer_tokens(pointer)
    if is_key:
        return tokens[-1] if tokens else ""
    target = data
    for token in tokens:
        if isinstance(target, dict):
            target = target.get(token)
        elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
            target = target[int(token)]
        else:
            return ""
    return target if isinstance(target, str) else ""


def pointer_fingerprint(data: Any, pointer: str, is_key: bool = False) -> str:
    """The fingerprint of the string at ``pointer`` (see ``string_at``)."""
    return value_fingerprint(string_at(data, pointer, is_key))
