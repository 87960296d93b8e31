"""Manifests fetched from a Hub (``fetch``) as validated import sources: each is written under
a temporary catalog (``apps/hub/catalog/integrations/P/S.json``, so no configuration of the
surrounding directories applies), validated together as ``import`` validates local files,
and its source path is its URL."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import Report
from hubtool.core.registry import Rule
from hubtool.drafts.importer import Source, load_sources
from hubtool.hub.fetch import fetch


def hub_sources(
    hub: str, names: Iterable[str], *, rules: Mapping[str, Rule]
) -> tuple[list[Source], Report]:
    """Fetch and validate each named manifest: ``([], report)`` when one has an error."""
    fetched = [fetch(hub, name) for name in names]
    with tempfile.TemporaryDirectory(prefix="hubtool-hub-") as temp:
        catalog = Path(temp) / "apps/hub/catalog/integrations"
        paths = []
        for item in fetched:
            path = catalog / _safe(item.publisher) / f"{_safe(item.slug)}.json"
            if path in paths:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(item.body)
            paths.append(path)
        sources, report = load_sources(paths, rules=rules)
    urls = {item.slug: item.url for item in fetched}
    return [Source(urls.get(str(s.data.get("slug")), s.path), s.doc) for s in sources], report


def _safe(name: str) -> str:
    """A name from the Hub as one file name; HubtoolError for one that is not."""
    if name in (".", "..") or "/" in name or "\\" in name or "\0" in name or len(name) > 200:
        raise HubtoolError(f"the Hub names a manifest {name[:60]!r}; refused")
    return name
