"""The shapes every rule and change kind is defined with, and their shared example inputs.

A rule (``Rule``) or change kind (``ChangeKind``) is defined once, beside the code that finds
it, with its docs and examples; ``Example`` patches are applied to ``BASE_MANIFEST`` (and
``BASE_OPENAPI`` for the upstream rules). The tests run every example; ``docs/RULES.md`` and
``docs/CHANGES.md`` are generated from the definitions. ``finding`` builds a rule's finding.
Rules, examples and kinds are constants: named tuples (no methods generated at each start-up,
as a dataclass's are: the pre-commit hook loads this module).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from hubtool.core.findings import Finding
from hubtool.core.pointers import pointer_tokens

REMOVE = object()
"""Patch value meaning: delete the member at this pointer."""
_NO_PATCH: Mapping[str, Any] = MappingProxyType({})
"""An example's patch when it has none (read-only: one value shared by every example)."""


class Example(NamedTuple):
    """A manifest for a rule's documentation: the base manifest with a patch, or raw text.

    ``patch`` maps a JSON pointer to its new value (``REMOVE`` deletes it, a final ``-``
    appends to an array). ``file`` is where the example is written relative to a temporary
    directory, for rules that look at the file's location.
    """

    patch: Mapping[str, Any] = _NO_PATCH
    text: str | None = None
    file: str = "manifest.json"
    config: str | None = None
    """A .hubtool.yaml written beside the example, for the waiver rules."""
    base_config: str | None = None
    """For ``ci`` rules: the .hubtool.yaml of the base commit (``config`` is the pull request's);
    the example runs ``hubtool ci`` in a git repository instead of ``validate``."""
    link: bool = False
    """The example file is a symbolic link to the manifest (written beside it as ``*.target``)."""
    openapi: Mapping[str, Any] = _NO_PATCH
    """A patch on BASE_OPENAPI, the provider spec the upstream rules compare with."""


class Rule(NamedTuple):
    """A rule: its stable ``id``, default ``severity``, ``family`` (the module that finds it),
    documentation (``title``, ``description``, ``fix``) and a failing and a passing example."""

    id: str
    severity: str
    family: str
    title: str
    description: str
    fix: str
    failing: Example
    passing: Example = Example()
    ci_severity: str | None = None
    """The severity ``hubtool ci`` gives the rule's findings when it differs from ``severity``
    (``validate``'s): a gap an author may leave in a draft but a merge may not. A configured
    severity overrides both."""


BASE_MANIFEST: dict[str, Any] = {
    "formatVersion": "1",
    "kind": "dock_integration",
    "slug": "acme-api",
    "title": "Acme API",
    "summary": "Import a Harbor-safe Acme starter set for widget listing and approval-friendly "
    "widget renames.",
    "description": "A Dock-hosted Acme API starter integration for Harbor. Tokens remain local "
    "to Harbor Node.",
    "version": "1.0.0",
    "publisher": {"slug": "acme", "name": "Acme", "websiteUrl": "https://docs.acme.example/api/"},
    "category": "Developer Tools",
    "tags": ["acme", "widgets"],
    "compatibility": {
        "harborNode": ">=0.1.0",
        "notes": "Requires local operator-configured auth after import.",
    },
    "requiredPlan": "community",
    "portTemplates": [
        {
            "kind": "http_api",
            "label": "Acme API",
            "description": "Acme API connection managed locally through Harbor.",
            "baseUrl": "https://api.acme.example/",
            "authMode": "header_token",
            "authHeaderName": "Authorization",
            "authTokenPrefix": "Bearer",
        }
    ],
    "actionTemplates": [
        {
            "slug": "list-widgets",
            "label": "List Widgets",
            "description": "List widgets, one page at a time.",
            "method": "GET",
            "path": "/v1/widgets",
            "inputs": {
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                        "default": 25,
                        "description": "Page size.",
                    }
                ]
            },
            "approvalMode": "automatic",
            "requestBodyMode": "none",
            "resultMode": "json_summary",
            "examples": [{"name": "first-page", "input": {"query": {"limit": 10}}}],
        },
        {
            "slug": "rename-widget",
            "label": "Rename Widget",
            "description": "Rename one widget.",
            "method": "PATCH",
            "path": "/v1/widgets/{widgetId}",
            "inputs": {
                "parameters": [
                    {
                        "name": "widgetId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                        "description": "Widget ID.",
                    }
                ],
                "body": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "minLength": 1, "maxLength": 80},
                    },
                },
            },
            "approvalMode": "require_approval",
            "requestBodyMode": "json",
            "resultMode": "json_summary",
            "examples": [
                {"name": "rename", "input": {"path": {"widgetId": 7}, "body": {"name": "Sprocket"}}}
            ],
        },
    ],
}

QUERY_PARAMS = "/actionTemplates/0/inputs/parameters/-"
"""Where an example appends a query parameter to the base manifest's first action."""
FAKE_SENTRY_TOKEN = "sntrys_" + "eyJpYXQiOjE3MDAwMDAwMDB9" + "_EXAMPLEexampleEXAMPLE0123"
WRITE_WITHOUT_APPROVAL = {"/actionTemplates/1/approvalMode": "automatic"}
"""An example patch: the write action made automatic (the waiver and config examples)."""
"""A made-up credential for the secret rules' examples, assembled so no scanner flags this file."""

WIDGET_PATCH = "/paths/~1v1~1widgets~1{widgetId}/patch"
BASE_OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Acme API", "version": "1"},
    "servers": [{"url": "https://api.acme.example"}],
    "paths": {
        "/v1/widgets": {
            "get": {
                "operationId": "listWidgets",
                "parameters": [
                    {
                        "in": "query",
                        "name": "limit",
                        "description": "Page size. The maximum is 100.",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    }
                ],
                "responses": {"200": {"description": "The widgets."}},
            }
        },
        "/v1/widgets/{widgetId}": {
            "patch": {
                "operationId": "updateWidget",
                "parameters": [
                    {
                        "in": "path",
                        "name": "widgetId",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string", "maxLength": 80},
                                    "color": {"type": "string", "enum": ["red", "blue"]},
                                },
                                "required": ["name", "color"],
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "The widget."}},
            }
        },
    },
}
"""The provider spec of the base manifest, for the upstream rules' examples."""


class Located(Protocol):
    """What ``finding`` needs of a loaded file (``hubtool.load.strict.Document`` is one)."""

    path: str

    def position(self, pointer: str, at_key: bool = False) -> tuple[int, int]: ...


def finding(
    doc: Located,
    rule: Rule,
    pointer: str,
    message: str,
    severity: str | None = None,
    at_key: bool = False,
    fingerprint: str = "",
    subject: str = "",
) -> Finding:
    """A finding of ``rule`` (its id; its default severity unless ``severity``) at the
    position of ``pointer`` in ``doc`` (of the key with ``at_key``); ``subject``: see
    ``Finding.subject``."""
    line, column = doc.position(pointer, at_key=at_key)
    return Finding(
        rule=rule.id,
        severity=severity or rule.severity,
        file=doc.path,
        pointer=pointer,
        line=line,
        column=column,
        message=message,
        fingerprint=fingerprint,
        subject=subject,
    )


def example_text(example: Example) -> str:
    """The manifest text of an example (the patched base manifest, pretty-printed)."""
    import json

    if example.text is not None:
        return example.text
    return json.dumps(apply_patch(BASE_MANIFEST, example.patch), indent=2) + "\n"


def apply_patch(base: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of ``base`` with each pointer set to its value (REMOVE deletes)."""
    data = copy.deepcopy(base)
    for pointer, value in patch.items():
        *parents, last = pointer_tokens(pointer)
        target: Any = data
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target[token]
        if isinstance(target, list):
            if value is REMOVE:
                del target[int(last)]
            elif last == "-":
                target.append(value)
            else:
                target[int(last)] = value
        elif value is REMOVE:
            del target[last]
        else:
            target[last] = value
    return data


MAJOR, MINOR, PATCH = "major", "minor", "patch"
BUMPS = (PATCH, MINOR, MAJOR)
"""Bump levels from smallest to largest."""
NONE = "none"
"""The required bump when nothing changed."""

ALWAYS, NEVER, ON_WRITE = "always", "never", "on write actions"


class ChangeKind(NamedTuple):
    """A classified manifest change: what it means for agents and operators, and its bump.

    ``before`` and ``after`` are patches on the base manifest; diffing them must produce this
    kind. ``mirror`` names the kind the reverse diff produces (None when it is this kind).
    """

    id: str
    bump: str
    family: str
    title: str
    description: str
    before: dict[str, Any]
    after: dict[str, Any]
    review: str = NEVER
    mirror: str | None = None
