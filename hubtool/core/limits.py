"""Every cap on what hubtool reads, in one place.

``LIMITS`` names each cap with its value and, for the manifest schema's own caps
(``maxItems``, ``maxLength``, ``maxProperties``), the JSON pointers (RFC 6901) where
``schemas/dock-integration.schema.json`` states it. Tests check that the schema holds exactly
these caps and that the README's limits table states every one.

The byte cap follows from the schema's: 1,000 actions (the ``actionTemplates`` cap) of Sentry's
largest action (4.8 KB pretty-printed) make a 4.9 MB manifest, which fits the 8 MiB cap with
room to spare. Every check is linear in the file's size, so the cap bounds a run's time too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple, TypeVar

Result = TypeVar("Result")


class Limit(NamedTuple):
    """One cap: its value, what it limits, and the schema pointers that state it (if any)."""

    value: int
    what: str
    pointers: tuple[str, ...] = ()


MAX_BYTES = 8 * 1024 * 1024
"""The manifest byte cap (``--max-bytes``) of validate, diff, ci and import."""
MAX_DEPTH = 64
"""Nesting of objects and arrays in a manifest."""
MAX_NUMBER_CHARS = 100
"""Characters of one number literal (Python refuses to convert 4,300-digit integers)."""
MAX_ACTIONS = 1000
MAX_REF_DEPTH = 64
"""OpenAPI: $ref chain length and nesting of a resolved schema."""
MAX_YAML_DEPTH = 200
"""OpenAPI: nesting of collections in a YAML spec (real specs nest under 30; the pure-Python
YAML loader itself fails near 490 mappings or 340 lists deep)."""
MAX_SPEC_BYTES = 64 * 1024 * 1024
"""OpenAPI: bytes in one spec file (GitHub's whole spec is 13 MB)."""
MAX_EXPANDED = 500_000
"""OpenAPI: objects and arrays a spec may expand to through $refs and YAML aliases (Sentry's
whole 3.9 MB spec expands to about 11,000)."""

_URL = (
    "/properties/$schema/maxLength",
    "/properties/publisher/properties/websiteUrl/maxLength",
    "/$defs/portTemplate/properties/baseUrl/maxLength",
    "/$defs/actionTemplate/properties/path/maxLength",
)

LIMITS: dict[str, Limit] = {
    "bytes": Limit(MAX_BYTES, "bytes in one manifest file (`--max-bytes`)"),
    "depth": Limit(MAX_DEPTH, "nesting levels of objects and arrays"),
    "number": Limit(MAX_NUMBER_CHARS, "characters of one number literal"),
    "actions": Limit(
        MAX_ACTIONS, "action templates per manifest", ("/properties/actionTemplates/maxItems",)
    ),
    "ports": Limit(10, "port templates per manifest", ("/properties/portTemplates/maxItems",)),
    "parameters": Limit(
        100, "parameters per action", ("/$defs/inputs/properties/parameters/maxItems",)
    ),
    "examples": Limit(
        50, "examples per action", ("/$defs/actionTemplate/properties/examples/maxItems",)
    ),
    "properties": Limit(
        200,
        "properties per object of an input schema",
        ("/$defs/valueSchema/properties/properties/maxProperties",),
    ),
    "tags": Limit(10, "tags per manifest", ("/properties/tags/maxItems",)),
    "slug": Limit(64, "characters of a slug", ("/$defs/slug/maxLength",)),
    "label": Limit(120, "characters of a title, name or label", ("/$defs/label/maxLength",)),
    "text": Limit(2000, "characters of a summary, description or note", ("/$defs/text/maxLength",)),
    "url": Limit(2048, "characters of a URL, an action path or `$schema`", _URL),
    "version": Limit(64, "characters of `version`", ("/properties/version/maxLength",)),
    "harbor-node": Limit(
        200,
        "characters of `compatibility.harborNode`",
        ("/properties/compatibility/properties/harborNode/maxLength",),
    ),
    "pattern": Limit(
        1024,
        "characters of an input schema's `pattern`",
        ("/$defs/valueSchema/properties/pattern/maxLength",),
    ),
    "ref-depth": Limit(MAX_REF_DEPTH, "OpenAPI `$ref` chain length and schema nesting"),
    "expanded": Limit(MAX_EXPANDED, "OpenAPI objects and arrays after expanding `$ref`s"),
    "spec-bytes": Limit(MAX_SPEC_BYTES, "bytes in one OpenAPI spec file"),
}
"""Every cap by a short name; the README's limits table is checked against it."""


SHORT_TEXT = 512
"""Texts up to this long are cached by ``cached_when_short`` (names, slugs, pointers, URLs)."""


def cached_when_short(
    maxsize: int = 4096, limit: int = SHORT_TEXT
) -> Callable[[Callable[[str], Result]], Callable[[str], Result]]:
    """Cache a function of one text for texts up to ``limit`` characters (an LRU of ``maxsize``).

    Names, slugs and URLs repeat across a catalog's findings and actions; a longer text is
    computed each time, so a hostile catalog cannot keep long strings alive: the cache holds at
    most ``maxsize`` x ``limit`` characters. The wrapper keeps ``cache_clear``, and the cached
    function as ``cached`` (for a caller that tests the length itself: one call less).
    """

    def decorate(func: Callable[[str], Result]) -> Callable[[str], Result]:
        cached = functools.lru_cache(maxsize=maxsize)(func)

        @functools.wraps(func)
        def short_cached(text: str) -> Result:
            return cached(text) if len(text) <= limit else func(text)

        short_cached.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        short_cached.cached = cached  # type: ignore[attr-defined]
        return short_cached

    return decorate
