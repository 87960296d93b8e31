"""The bytes the Hub stores and serves: compact JSON (no whitespace), as Harbor's Hub serves a
manifest (FORMAT.md section 1: "a single-line, compact JSON object").

A manifest's canonical bytes keep its members in the order written (the form Harbor serves);
its sha256 is taken over exactly these bytes, which ``/api/manifests/...`` returns.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def compact(value: Any) -> bytes:
    """UTF-8 compact JSON of ``value``, members in their order; a string holding a lone
    surrogate (strict JSON allows the escape) makes the whole text ASCII-escaped instead, so
    the bytes are always valid UTF-8."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":"), allow_nan=False).encode("ascii")


def sha256(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
