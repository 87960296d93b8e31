"""A new manifest's skeleton: the metadata Harbor's worksheet asks for, derived from a publisher
slug, a manifest slug and the API's base URL (``hubtool new``, ``scaffold --into`` a new file).

Fields and wording follow Harbor's observed manifests (../shared/reference/harbor/FORMAT.md,
sections 2, 3 and 11): ``formatVersion`` "1", ``kind`` ``dock_integration``, ``version``
0.1.0, one ``http_api`` port sending the token as ``Authorization: Bearer``, ``requiredPlan``
``community``. What cannot be derived gets a neutral value to edit: ``publisher.websiteUrl`` is
the base URL's origin, ``tags`` the publisher slug, ``category`` Developer Tools.

The schema requires at least one action, so ``hubtool new`` writes ``PLACEHOLDER``, a read of
the API's root; ``scaffold --into`` replaces it with the first actions it adds.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import urlsplit

from hubtool.core.errors import HubtoolError

CATEGORIES = (
    "Calendar",
    "CRM",
    "Data",
    "Developer Tools",
    "Email",
    "Infrastructure",
    "Knowledge Base",
    "Messaging",
    "Observability",
    "Storage",
    "Work Management",
)
"""The catalog shelves: the schema's ``category`` enum (a test keeps them equal)."""
DEFAULT_CATEGORY = "Developer Tools"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

PLACEHOLDER: dict[str, Any] = {
    "slug": "replace-me",
    "label": "Replace Me",
    "description": "A placeholder so the new manifest validates: add real actions with "
    "'hubtool scaffold --openapi SPEC --operation ID --into FILE' (or --all), which replaces "
    "this one.",
    "method": "GET",
    "path": "/",
    "approvalMode": "automatic",
    "requestBodyMode": "none",
    "resultMode": "json_summary",
}
"""The one action of a new manifest (``hubtool new``), removed by the first ``--into``."""


def check_slug(value: str, what: str) -> str:
    """``value`` when it is a kebab-case slug of at most 64 characters; else HubtoolError."""
    if not _SLUG.fullmatch(value) or len(value) > 64:
        raise HubtoolError(
            f"{what} {value!r} is not a kebab-case slug (a-z, 0-9 and single '-', at most 64)"
        )
    return value


def display_name(publisher: str) -> str:
    """``digital-ocean`` -> ``Digital Ocean``: a first guess at the publisher's name."""
    return " ".join(word.capitalize() for word in publisher.split("-"))[:120]


def skeleton(
    publisher: str,
    slug: str,
    base_url: str,
    name: str | None = None,
    category: str | None = None,
    website_url: str | None = None,
) -> dict[str, Any]:
    """A manifest for ``publisher``/``slug`` whose port calls ``base_url``, with no actions.

    Raises HubtoolError for a publisher or slug that is not kebab-case, a name with control
    characters, a base URL without an https origin, or an unknown category. The policy rules
    (fixed origin and the rest) are the caller's to run, before anything is written.
    """
    check_slug(publisher, "the publisher")
    check_slug(slug, "the slug")
    if name is not None and not name.isprintable():
        raise HubtoolError("--name holds control or invisible characters; give a plain name")
    name = " ".join((name or display_name(publisher)).split())[:100] or display_name(publisher)
    title = name if name.endswith(" API") else f"{name} API"
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname:
        raise HubtoolError(f"--base-url {base_url!r} is not an https URL (https://host/path/)")
    return {
        "formatVersion": "1",
        "kind": "dock_integration",
        "slug": slug,
        "title": title,
        "summary": f"Import a Harbor-safe {name} starter set.",
        "description": f"A Dock-hosted {title} starter integration for Harbor. Importing it "
        f"creates a local http_api port shell plus a Harbor-safe {name} action set. Tokens "
        "remain local to Harbor Node.",
        "version": "0.1.0",
        "publisher": {
            "slug": publisher,
            "name": name,
            "websiteUrl": website_url or f"https://{parts.netloc}/",
        },
        "category": _category(category),
        "tags": [publisher[:40].strip("-")],
        "compatibility": {
            "harborNode": ">=0.1.0",
            "notes": "Requires local operator-configured auth after import.",
        },
        "requiredPlan": "community",
        "portTemplates": [
            {
                "kind": "http_api",
                "label": title,
                "description": f"{title} connection managed locally through Harbor.",
                "baseUrl": base_url,
                "authMode": "header_token",
                "authHeaderName": "Authorization",
                "authTokenPrefix": "Bearer",
            }
        ],
        "actionTemplates": [],
    }


def with_placeholder(manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` with ``PLACEHOLDER`` as its one action."""
    return {**manifest, "actionTemplates": [copy.deepcopy(PLACEHOLDER)]}


def without_placeholder(actions: list[Any]) -> list[Any]:
    """``actions`` without an unedited ``PLACEHOLDER``."""
    return [a for a in actions if a != PLACEHOLDER]


def _category(category: str | None) -> str:
    """The shelf named ``category`` (any case); else HubtoolError listing the shelves."""
    if category is None:
        return DEFAULT_CATEGORY
    found = next((c for c in CATEGORIES if c.lower() == category.strip().lower()), None)
    if found is None:
        shelves = ", ".join(CATEGORIES)
        raise HubtoolError(f"--category {category!r} is not a catalog shelf: {shelves}")
    return found
