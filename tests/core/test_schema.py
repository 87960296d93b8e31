"""The manifest schema: valid against its metaschema, shipped identically, and the Sentry entry."""

from __future__ import annotations

import json

from conftest import REPO, SENTRY
from jsonschema import Draft202012Validator

from hubtool.core.schema import manifest_schema, manifest_validator


def test_schema_is_valid_against_the_2020_12_metaschema() -> None:
    Draft202012Validator.check_schema(manifest_schema())
    assert manifest_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_packaged_schema_is_byte_identical_to_schemas_dir() -> None:
    source = (REPO / "schemas/dock-integration.schema.json").read_bytes()
    packaged = (REPO / "hubtool/core/schema/dock-integration.schema.json").read_bytes()
    assert source == packaged, "copy schemas/dock-integration.schema.json into hubtool/core/schema/"


def test_one_validator_per_process() -> None:
    assert manifest_validator() is manifest_validator()


def test_schema_is_closed_world_everywhere() -> None:
    """Every object schema with properties forbids unknown keys (typos fail)."""

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "properties" in node and node.get("type") == "object":
                assert node.get("additionalProperties") is False, node.get("title", node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(manifest_schema())


def test_sentry_manifest_has_every_top_level_field_in_harbor_order() -> None:
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    assert list(data) == [
        "formatVersion", "kind", "slug", "title", "summary", "description", "version",
        "publisher", "category", "tags", "compatibility", "requiredPlan", "portTemplates",
        "actionTemplates",
    ]  # fmt: skip
    assert not list(manifest_validator().iter_errors(data))


def test_sentry_actions_follow_the_port_document() -> None:
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    routes = {
        a["slug"]: (a["method"], a["path"], a["approvalMode"], a["requestBodyMode"])
        for a in data["actionTemplates"]
    }
    org = "/api/0/organizations/{organizationIdOrSlug}"
    assert routes == {
        "list-projects": ("GET", f"{org}/projects/", "automatic", "none"),
        "list-issues": ("GET", f"{org}/issues/", "automatic", "none"),
        "resolve-issue": ("PUT", f"{org}/issues/{{issueId}}/", "require_approval", "json"),
    }
    port = data["portTemplates"][0]
    assert port["baseUrl"] == "https://sentry.io/"
    assert (port["authHeaderName"], port["authTokenPrefix"]) == ("Authorization", "Bearer")
    assert all(a["resultMode"] == "json_summary" for a in data["actionTemplates"])


def test_sentry_query_parameters_match_the_issue() -> None:
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    actions = {a["slug"]: a for a in data["actionTemplates"]}

    def query(slug: str) -> dict[str, dict]:
        params = actions[slug]["inputs"]["parameters"]
        return {p["name"]: p["schema"] for p in params if p["in"] == "query"}

    assert set(query("list-projects")) == {"cursor", "per_page", "query"}
    assert query("list-projects")["per_page"] | {} == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
    }
    issues = query("list-issues")
    assert set(issues) == {
        "query", "statsPeriod", "start", "end", "project", "environment", "sort", "limit", "cursor"
    }  # fmt: skip
    assert (issues["limit"]["minimum"], issues["limit"]["maximum"]) == (1, 100)
    assert "enum" in issues["sort"]
    body = actions["resolve-issue"]["inputs"]["body"]
    assert body["additionalProperties"] is False
    assert set(body["properties"]["status"]["enum"]) <= {"resolved", "resolvedInNextRelease"}
    assert body["properties"]["statusDetails"]["additionalProperties"] is False


def test_sentry_examples_include_the_port_document_requests() -> None:
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    inputs = [e["input"] for a in data["actionTemplates"] for e in a["examples"]]
    assert {"path": {"organizationIdOrSlug": "acme"}} in inputs
    assert {
        "path": {"organizationIdOrSlug": "acme"},
        "query": {"query": "is:unresolved level:error", "statsPeriod": "24h", "limit": 25},
    } in inputs
    assert {
        "path": {"organizationIdOrSlug": "acme", "issueId": "1234567890"},
        "body": {"status": "resolved"},
    } in inputs
