"""The catalog as context for the files a run checks (``validate --catalog-context``).

The pre-commit hook checks the staged manifests only, but the catalog-wide check (manifest
slugs unique across the catalog: ``unique-slugs``, ``check_catalog``) needs the other manifests
too. ``catalog_findings`` runs it over the checked files and the rest of the catalog, in the
order a run of the whole catalog sees them, and keeps the findings on the checked files only:
for those files, the findings of ``validate <catalog>``. Of each other manifest it reads only
its slug, and parses it only when its text may hold a checked file's slug (``may_hold``). Pure:
no printing.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from hubtool.core.findings import Finding
from hubtool.core.guard import guarded
from hubtool.load.discover import display, walk
from hubtool.load.strict import Document, decode, parse, read_regular
from hubtool.validate.rules.catalog import Summary, catalog_view, check_catalog

if TYPE_CHECKING:
    from hubtool.validate.pipeline import Kept

MAX_PREFILTERED_SLUGS = 16
"""Beyond this many slugs checked, every other manifest is parsed (a substring search per slug
per file would grow with their product; parsing grows with the catalog only)."""

_SHORT_ESCAPED = frozenset('"\\/') | frozenset(map(chr, range(0x20)))
"""Characters a JSON string may hold as a two-character escape (``\\"``, ``\\/``, ``\\n``...) or
must escape (control characters): a string holding one may not appear verbatim."""


class Other(NamedTuple):
    """A catalog manifest that is context only: ``catalog_view`` of its data. Its own findings
    are never reported, so it has no position to give (line 1, column 1). A named tuple (a
    tenth of a frozen dataclass's cost to define at start-up)."""

    path: str
    data: dict[str, str]

    def position(self, pointer: str, at_key: bool = False) -> tuple[int, int]:
        return 1, 1


def catalog_findings(
    checked: Sequence[Kept], catalog: Iterable[Path], max_bytes: int
) -> list[Finding]:
    """``check_catalog`` over ``checked`` (non-empty) and the manifests under ``catalog``,
    the findings on ``checked`` only. A catalog file that cannot be read, is a link or does not
    parse is not context (a run of the whole catalog reports it, on itself)."""
    mine: dict[str, list[Kept]] = {}  # by absolute path: cheaper than display() per file
    for kept in checked:
        mine.setdefault(os.path.abspath(kept.source), []).append(kept)
    slugs = {kept.data["slug"] for kept in checked if "slug" in kept.data}
    ordered: list[Summary] = []
    for path in walk(catalog).files:
        key = os.path.abspath(path)
        if key in mine:
            ordered.extend(mine.pop(key))
        elif slugs and (other := read_other(path, slugs, max_bytes)) is not None:
            ordered.append(other)
    ordered.extend(kept for group in mine.values() for kept in group)  # outside the catalog
    found = guarded(partial(check_catalog, ordered), checked[0].path, "the catalog-wide checks")
    reported = {kept.path for kept in checked}
    return [finding for finding in found if finding.file in reported]


def read_other(path: Path, slugs: Collection[str], max_bytes: int) -> Other | None:
    """What ``check_catalog`` needs of the manifest at ``path``, when its text may hold one of
    ``slugs``; None otherwise, or when it cannot be read or does not parse strictly."""
    try:
        raw = read_regular(path, max_bytes)
    except OSError:
        return None
    if len(raw) > max_bytes or not may_hold(raw, slugs):
        return None
    text = decode(raw)
    if not isinstance(text, str):
        return None
    doc = parse(text, display(path))
    return Other(doc.path, catalog_view(doc.data)) if isinstance(doc, Document) else None


def may_hold(raw: bytes, slugs: Collection[str]) -> bool:
    """False only if no string value of the JSON text ``raw`` can be one of ``slugs``.

    Sound because a JSON string is written with its characters as they are, except the ones
    that need an escape (RFC 8259, section 7): without a ``\\u`` escape in the text, a string
    holding none of ``"``, ``\\``, ``/`` or a control character appears in it verbatim,
    between quotes. Linear in ``len(raw)`` times ``len(slugs)``, at most 16.
    """
    if len(slugs) > MAX_PREFILTERED_SLUGS or _unicode_escape(raw):
        return True
    for slug in slugs:
        if not _SHORT_ESCAPED.isdisjoint(slug):
            return True
        if f'"{slug}"'.encode("utf-8", "surrogatepass") in raw:
            return True
    return False


def _unicode_escape(raw: bytes) -> bool:
    """Whether ``raw`` holds ``\\u`` (conservatively: an escaped backslash before a ``u`` counts).
    The backslashes are found by ``bytes.find`` (a C scan for one byte), a few times faster
    than searching for the two bytes; past 64 of them, the two-byte search is cheaper."""
    if raw.count(b"\\") > 64:
        return b"\\u" in raw
    at = raw.find(b"\\")
    while at != -1:
        if raw[at + 1 : at + 2] == b"u":
            return True
        at = raw.find(b"\\", at + 1)
    return False
