"""The OpenAPI 3.1 description of the Hub API (served at ``/api/openapi.json``)."""

from __future__ import annotations

from typing import Any

from hubtool import __version__

Json = dict[str, Any]


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def _string(**more: Any) -> Json:
    return {"type": "string", **more}


def _object(properties: Json, required: list[str] | None = None) -> Json:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


def _json(description: str, schema: Json) -> Json:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _path_param(name: str, description: str) -> Json:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": _string(maxLength=200),
    }


_ERRORS = {
    "304": {"description": "Not modified: the If-None-Match header named the current ETag."},
    "400": _json(
        "A bad query (malformed, repeated or unknown parameter, text too long).", _ref("Error")
    ),
    "404": _json("No such route or name.", _ref("Error")),
}
_LINKS = _object({"integration": _string(), "manifest": _string()})
_PUBLISHER = _path_param("publisher", "The publisher's slug, e.g. sentry.")
_SLUG = _path_param("slug", "The manifest's slug, e.g. sentry-api.")

_SCHEMAS: Json = {
    "Error": _object(
        {"error": _object({"status": {"type": "integer"}, "code": _string(), "message": _string()})}
    ),
    "Links": _LINKS,
    "IntegrationSummary": _object(
        {
            "publisher": _object({"slug": _string(), "name": _string()}),
            "slug": _string(),
            "title": _string(),
            "summary": _string(),
            "version": _string(),
            "category": _string(),
            "tags": {"type": "array", "items": _string()},
            "actionCount": {"type": "integer"},
            "sha256": _string(
                pattern="^[0-9a-f]{64}$",
                description="sha256 of the manifest's bytes at links.manifest",
            ),
            "links": _ref("Links"),
        }
    ),
    "Action": _object(
        {
            "slug": _string(),
            "label": _string(),
            "description": _string(),
            "method": _string(),
            "path": _string(),
            "approvalMode": _string(enum=["automatic", "require_approval"]),
            "approvalGated": {"type": "boolean"},
            "requestBodyMode": _string(),
            "resultMode": _string(),
            "inputs": _object(
                {
                    "parameters": {
                        "type": "array",
                        "items": _object(
                            {"name": _string(), "in": _string(), "required": {"type": "boolean"}}
                        ),
                    },
                    "body": {"type": "boolean"},
                }
            ),
        }
    ),
}

_PATHS: Json = {
    "/api/integrations": {
        "get": {
            "summary": "Every integration, by publisher then slug (the Hub's index).",
            "parameters": [
                {
                    "name": "q",
                    "in": "query",
                    "schema": _string(maxLength=200),
                    "description": "Full-text search; the integrations found, best first.",
                },
                {"name": "category", "in": "query", "schema": _string()},
            ],
            "responses": {
                "200": _json(
                    "The integrations.",
                    _object(
                        {"integrations": {"type": "array", "items": _ref("IntegrationSummary")}}
                    ),
                ),
                **_ERRORS,
            },
        }
    },
    "/api/integrations/{publisher}/{slug}": {
        "get": {
            "summary": "One integration: its port templates and action templates.",
            "parameters": [_PUBLISHER, _SLUG],
            "responses": {
                "200": _json(
                    "The integration.",
                    _object(
                        {
                            "integration": {
                                "allOf": [
                                    _ref("IntegrationSummary"),
                                    _object(
                                        {
                                            "description": _string(),
                                            "requiredPlan": _string(),
                                            "compatibility": _object(
                                                {"harborNode": _string(), "notes": _string()}
                                            ),
                                            "portTemplates": {
                                                "type": "array",
                                                "items": {"type": "object"},
                                            },
                                            "actions": {"type": "array", "items": _ref("Action")},
                                        }
                                    ),
                                ]
                            }
                        }
                    ),
                ),
                **_ERRORS,
            },
        }
    },
    "/api/manifests/{publisher}/{slug}": {
        "get": {
            "summary": "The manifest, byte for byte as built (compact JSON); its sha256 is the "
            "index's sha256 and its ETag.",
            "parameters": [_PUBLISHER, _SLUG],
            "responses": {"200": _json("The Dock manifest.", {"type": "object"}), **_ERRORS},
        }
    },
    "/api/resolve/{shortcut}": {
        "get": {
            "summary": "The integration a shortcut names (a manifest slug, or a publisher slug "
            "with one integration).",
            "parameters": [_path_param("shortcut", "e.g. sentry")],
            "responses": {
                "200": _json(
                    "The integration named.",
                    _object(
                        {
                            "shortcut": _string(),
                            "publisher": _string(),
                            "slug": _string(),
                            "version": _string(),
                            "sha256": _string(),
                            "links": _ref("Links"),
                        }
                    ),
                ),
                **_ERRORS,
            },
        }
    },
    "/api/shelves": {
        "get": {
            "summary": "One shelf per category, by name; its integrations by title.",
            "responses": {
                "200": _json(
                    "The shelves.",
                    _object(
                        {
                            "shelves": {
                                "type": "array",
                                "items": _object(
                                    {
                                        "category": _string(),
                                        "integrations": {
                                            "type": "array",
                                            "items": _object(
                                                {
                                                    "publisher": _string(),
                                                    "slug": _string(),
                                                    "title": _string(),
                                                    "links": _ref("Links"),
                                                }
                                            ),
                                        },
                                    }
                                ),
                            }
                        }
                    ),
                ),
                **_ERRORS,
            },
        }
    },
    "/api/actions/search": {
        "get": {
            "summary": "Action templates matching every word of q (the last one as a prefix), "
            "best first.",
            "parameters": [
                {"name": "q", "in": "query", "required": True, "schema": _string(maxLength=200)},
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 20},
                },
            ],
            "responses": {
                "200": _json(
                    "The actions found.",
                    _object(
                        {
                            "query": _string(),
                            "results": {
                                "type": "array",
                                "items": _object(
                                    {
                                        "integration": _object(
                                            {
                                                "publisher": _string(),
                                                "slug": _string(),
                                                "title": _string(),
                                                "links": _ref("Links"),
                                            }
                                        ),
                                        "action": _string(),
                                        "label": _string(),
                                        "method": _string(),
                                        "path": _string(),
                                        "approvalMode": _string(),
                                        "approvalGated": {"type": "boolean"},
                                    }
                                ),
                            },
                        }
                    ),
                ),
                **_ERRORS,
            },
        }
    },
    "/api/openapi.json": {
        "get": {
            "summary": "This description.",
            "responses": {"200": _json("OpenAPI 3.1", {"type": "object"})},
        }
    },
}

DOCUMENT: Json = {
    "openapi": "3.1.0",
    "info": {
        "title": "Harbor Hub API (hubtool)",
        "version": __version__,
        "description": "The Hub's read-only, import-safe API: every response carries an ETag "
        "(sha256 of its body) and answers If-None-Match with 304. Errors are "
        '{"error": {"status", "code", "message"}}.',
    },
    "paths": _PATHS,
    "components": {"schemas": _SCHEMAS},
}
