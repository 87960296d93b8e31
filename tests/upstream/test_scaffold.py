"""``hubtool scaffold``: bounded action templates from OpenAPI operations that validate as written.

Against Sentry's published spec (skipped where ../shared is absent) and against small specs
written here: JSON and YAML, OpenAPI 3.0 and 3.1, local $refs, a server base path, allOf-wrapped
bodies, nullable, enums and examples. Fake credentials are assembled at run time.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import SENTRY, run_cli, shared_file

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import ERROR
from hubtool.core.inputs import input_schema, value_problems
from hubtool.core.registry import BASE_MANIFEST
from hubtool.upstream.openapi import load_spec
from hubtool.upstream.scaffold import (
    DEFAULT_MAX_ITEMS,
    DEFAULT_MAX_LENGTH,
    DEFAULT_MAXIMUM,
    PATH_STRING,
    SAFE_INTEGER,
    add_to_manifest,
    camel_case,
    derive_slug,
    description_limits,
    scaffold,
    singular,
    write_manifest,
)
from hubtool.validate.pipeline import validate

SENTRY_SPEC = "data/sentry/openapi-derefed.json"
FAKE_TOKEN = "sntrys_" + "eyJ" + "A1b2C3d4" * 5


# --- helpers -----------------------------------------------------------------------------------


def _sentry_spec() -> Path:
    return shared_file(SENTRY_SPEC)


@pytest.fixture(scope="module")
def sentry_spec():
    return load_spec(_sentry_spec())


def _copy_sentry(tmp_path: Path) -> Path:
    target = tmp_path / "sentry-api.json"
    target.write_text(SENTRY.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def _errors(path: Path) -> list[Any]:
    report = validate([path])
    return [f for f in report.findings if f.severity == ERROR]


def _action(path: Path, slug: str) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return next(a for a in data["actionTemplates"] if a["slug"] == slug)


def _param(action: dict[str, Any], location: str, name: str) -> dict[str, Any]:
    return next(
        p for p in action["inputs"]["parameters"] if p["in"] == location and p["name"] == name
    )


def _walk(schema: dict[str, Any]):
    yield schema
    for sub in schema.get("properties", {}).values():
        yield from _walk(sub)
    if isinstance(schema.get("items"), dict):
        yield from _walk(schema["items"])


def _scaffold_cli(*args: str, cwd: Path | None = None):
    result = run_cli("scaffold", *args, cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    return result


# --- small specs -------------------------------------------------------------------------------

WIDGETS_30: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Acme", "version": "1"},
    "servers": [{"url": "https://api.acme.example/v2"}],
    "paths": {
        "/widgets": {
            "get": {
                "operationId": "listWidgets",
                "summary": "List widgets.",
                "parameters": [
                    {"$ref": "#/components/parameters/Limit"},
                    {
                        "name": "color",
                        "in": "query",
                        "schema": {"$ref": "#/components/schemas/Color"},
                        "example": "red",
                    },
                    {
                        "name": "filter",
                        "in": "query",
                        "schema": {"type": "object", "additionalProperties": True},
                    },
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                    {"name": "api_key", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "owner",
                        "in": "query",
                        "schema": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
                    },
                    {
                        "name": "ids",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    },
                    {"name": "page", "in": "query", "schema": {"type": "integer"}},
                ],
            },
            "post": {
                "operationId": "createWidget",
                "summary": "Create a widget.",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/NewWidget"},
                            "examples": {
                                "small": {"value": {"name": "Sprocket", "size": 3}},
                                "invalid": {"value": {"name": "Sprocket", "size": 9999}},
                            },
                        }
                    },
                },
            },
        },
        "/widgets/{widget_id}": {
            "parameters": [
                {
                    "name": "widget_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "format": "int64"},
                    "example": 7,
                }
            ],
            "get": {"operationId": "getWidget", "summary": "Get one widget."},
            "patch": {
                "operationId": "updateWidget",
                "description": "Update a widget. Only the fields sent change.",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["name", "color", "note", "tags", "dims"],
                                "properties": {
                                    "name": {"type": "string", "maxLength": 80},
                                    "color": {"$ref": "#/components/schemas/Color"},
                                    "note": {"type": "string", "nullable": True},
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                    "dims": {
                                        "allOf": [{"$ref": "#/components/schemas/Dims"}],
                                        "description": "Dimensions.",
                                    },
                                    "meta": {"type": "object", "additionalProperties": True},
                                    "id": {"type": "integer", "readOnly": True},
                                    "password": {"type": "string"},
                                },
                            },
                            "example": {"name": "Gear", "color": "blue"},
                        }
                    }
                },
            },
            "put": {
                "operationId": "replaceWidget",
                "requestBody": {
                    "content": {"multipart/form-data": {"schema": {"type": "object"}}},
                    "required": True,
                },
            },
            "delete": {"operationId": "deleteWidget"},
        },
        "/widgets/{widget_id}.json": {
            "get": {
                "operationId": "getWidgetJson",
                "parameters": [{"name": "widget_id", "in": "path", "required": True, "schema": {}}],
            }
        },
        "/bulk/widgets": {
            "put": {
                "operationId": "updateWidgets",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Dims"}}
                    }
                },
            }
        },
    },
    "components": {
        "parameters": {
            "Limit": {
                "name": "limit",
                "in": "query",
                "description": "Page size. The maximum is 100.",
                "schema": {"type": "integer", "default": 500},
            }
        },
        "schemas": {
            "Color": {"type": "string", "enum": ["red", "blue", "green"]},
            "Dims": {
                "type": "object",
                "required": ["width"],
                "properties": {
                    "width": {"type": "integer", "minimum": 1, "maximum": 1000},
                    "depth": {"type": "number"},
                },
            },
            "NewWidget": {
                "allOf": [
                    {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string", "minLength": 1, "maxLength": 80},
                            "size": {"type": "integer", "minimum": 1, "maximum": 10},
                        },
                    }
                ]
            },
        },
    },
}

GADGETS_31_YAML = """
openapi: 3.1.0
info: {title: Gadgets, version: "1"}
servers:
  - url: https://api.acme.example/{stage}
    variables:
      stage: {default: v3}
paths:
  /orgs/{org_slug}/gadgets/{gadget_key}:
    parameters:
      - name: org_slug
        in: path
        required: true
        schema: {type: string, pattern: "^[a-z]{2,20}$"}
        examples:
          acme: {value: acme}
      - name: gadget_key
        in: path
        required: true
        schema: {type: string, enum: [alpha, beta]}
    patch:
      operationId: patchOrgGadget
      summary: Update a gadget
      parameters:
        - name: since
          in: query
          schema: {type: string, format: date-time}
        - name: score
          in: query
          schema: {type: number, exclusiveMinimum: 0, maximum: 1}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                label: {type: [string, "null"], maxLength: 40}
                ratio: {type: number, exclusiveMinimum: 0, exclusiveMaximum: 1}
                level: {type: integer, examples: [3]}
                mode: {oneOf: [{type: integer}, {type: string}]}
            examples:
              relabel: {value: {label: Blue, ratio: 0.5}}
  /orgs/{org_slug}/gadget-entries:
    get:
      operationId: listOrgGadgetEntries
      parameters:
        - name: org_slug
          in: path
          required: true
          schema: {type: string}
        - name: per_page
          in: query
          description: Default and maximum allowed is 100.
          schema: {type: integer, default: 100}
        - name: kinds
          in: query
          schema: {type: array, maxItems: 5, items: {type: string, enum: [a, b]}}
"""


@pytest.fixture
def widgets(tmp_path: Path) -> Path:
    path = tmp_path / "widgets.json"
    path.write_text(json.dumps(WIDGETS_30), encoding="utf-8")
    return path


@pytest.fixture
def gadgets(tmp_path: Path) -> Path:
    path = tmp_path / "gadgets.yaml"
    path.write_text(GADGETS_31_YAML, encoding="utf-8")
    return path


def _manifest(tmp_path: Path, base_url: str, name: str = "acme-api.json") -> Path:
    data = copy.deepcopy(BASE_MANIFEST)
    data["portTemplates"][0]["baseUrl"] = base_url
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


# --- Sentry: the issue's "Done when" and the starter operations ---------------------------------


def test_get_issue_into_sentry_manifest_validates(tmp_path: Path) -> None:
    spec = _sentry_spec()
    manifest = _copy_sentry(tmp_path)
    result = _scaffold_cli(
        "--openapi", str(spec), "--operation", "getOrganizationIssue", "--into", str(manifest),
        "--format", "text",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"added action 'get-issue' to {manifest}",
        "action-added: minor; the version must be at least 0.1.1",
    ]
    action = _action(manifest, "get-issue")
    assert action["label"] == "Get Issue"
    assert action["description"] == "Retrieve an Issue"
    assert action["method"] == "GET"
    assert action["path"] == "/api/0/organizations/{organizationIdOrSlug}/issues/{issueId}/"
    assert (action["approvalMode"], action["requestBodyMode"], action["resultMode"]) == (
        "automatic",
        "none",
        "json_summary",
    )
    for name in ("organizationIdOrSlug", "issueId"):
        param = _param(action, "path", name)
        assert param["required"] is True and param["schema"] == PATH_STRING
    expand = _param(action, "query", "expand")["schema"]
    assert expand["maxItems"] == DEFAULT_MAX_ITEMS and "owners" in expand["items"]["enum"]
    assert "inputs" in action and "body" not in action["inputs"]
    checked = validate([manifest])
    assert checked.findings == [], [f.message for f in checked.findings]
    cli = run_cli("validate", str(manifest))
    assert cli.returncode == 0, cli.stdout


def test_list_issues_typed_filters(sentry_spec) -> None:
    result = scaffold(sentry_spec, "listOrganizationIssues", base_url="https://sentry.io/")
    action = result.action
    assert action["slug"] == "list-issues" and action["label"] == "List Issues"
    assert action["path"] == "/api/0/organizations/{organizationIdOrSlug}/issues/"
    limit = _param(action, "query", "limit")
    # "The maximum is 100." in the description; the spec's default 100 validates and is kept.
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert limit["default"] == 100
    sort = _param(action, "query", "sort")
    assert sort["schema"]["enum"][0] == "date" and sort["default"] == "date"
    project = _param(action, "query", "project")["schema"]
    # anyOf integer|string items: typed string, bounded.
    assert project["items"] == {"type": "string", "maxLength": DEFAULT_MAX_LENGTH}
    assert any("project" in note and "typed string" in note for note in result.notes)
    query = _param(action, "query", "query")
    assert query["schema"]["maxLength"] == DEFAULT_MAX_LENGTH
    assert query["default"] == "is:unresolved"
    assert _param(action, "query", "start")["schema"] == {"type": "string", "format": "date-time"}


def test_list_projects_page_size_from_description(sentry_spec) -> None:
    action = scaffold(sentry_spec, "listOrganizationProjects").action
    assert action["slug"] == "list-projects"
    # "Default and maximum allowed is 100."
    per_page = _param(action, "query", "per_page")
    assert per_page["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


def test_update_issue_narrowed_body(tmp_path: Path) -> None:
    spec = _sentry_spec()
    manifest = _copy_sentry(tmp_path)
    result = _scaffold_cli(
        "--openapi", str(spec), "--operation", "updateOrganizationIssue",
        "--body-field", "status", "--body-field", "statusDetails", "--into", str(manifest),
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["requiredBump"] == "minor" and report["minimumVersion"] == "0.1.1"
    assert [c["kind"] for c in report["changes"]] == ["action-added"]
    action = _action(manifest, "update-issue")
    assert report["action"] == action
    assert action["method"] == "PUT" and action["approvalMode"] == "require_approval"
    assert action["requestBodyMode"] == "json"
    body = action["inputs"]["body"]
    assert list(body["properties"]) == ["status", "statusDetails"]
    assert body["minProperties"] == 1
    for schema in _walk(body):
        assert "required" not in schema  # partial update: Sentry's required lists are dropped
        if "object" in schema["type"]:
            assert schema["additionalProperties"] is False
    in_commit = body["properties"]["statusDetails"]["properties"]["inCommit"]
    assert set(in_commit["properties"]) == {"commit", "repository"}
    window = body["properties"]["statusDetails"]["properties"]["ignoreWindow"]
    assert (window["minimum"], window["maximum"]) == (0, 10080)
    assert _errors(manifest) == []
    schema = input_schema(action)
    path = {"organizationIdOrSlug": "acme", "issueId": "1234567890"}
    for body_value in (
        {"status": "resolved"},
        {"status": "resolved", "statusDetails": {"inRelease": "latest"}},
        {"statusDetails": {"inCommit": {"commit": "abc1234", "repository": "getsentry/sentry"}}},
    ):
        assert value_problems(schema, {"path": path, "body": body_value}) == []
    for bad in ({}, {"status": "resolved", "priority": "high"}, {"status": "gone"}):
        assert value_problems(schema, {"path": path, "body": bad})


def test_update_issue_unknown_body_field_lists_available(tmp_path: Path) -> None:
    spec = _sentry_spec()
    manifest = _copy_sentry(tmp_path)
    before = manifest.read_bytes()
    result = _scaffold_cli(
        "--openapi", str(spec), "--operation", "updateOrganizationIssue",
        "--body-field", "statusDetail", "--into", str(manifest),
    )  # fmt: skip
    assert result.returncode == 2
    assert "did you mean 'statusDetails'" in result.stderr
    assert "available: inbox, status, statusDetails" in result.stderr
    assert manifest.read_bytes() == before


def _diverse_operations(spec) -> list[str]:
    ids = sorted(spec.by_id)
    gets = [i for i in ids if spec.by_id[i].method == "get"][:6]
    posts = [i for i in ids if spec.by_id[i].method == "post"][:5]
    return gets + posts


def test_diverse_sentry_operations_validate_into_the_manifest(tmp_path: Path, sentry_spec) -> None:
    operations = _diverse_operations(sentry_spec)
    assert len(operations) == 11
    manifest = _copy_sentry(tmp_path)
    taken = {a["slug"] for a in json.loads(manifest.read_text())["actionTemplates"]}
    for index, operation_id in enumerate(operations):
        derived = derive_slug(sentry_spec.by_id[operation_id])
        slug = derived if derived not in taken else f"{derived}-{index}"
        placed = add_to_manifest(manifest, sentry_spec, operation_id, slug=slug)
        write_manifest(manifest, placed.text)
        taken.add(slug)
        errors = _errors(manifest)
        assert errors == [], (operation_id, [(e.rule, e.pointer, e.message) for e in errors])
    assert len(taken) == 3 + len(operations)
    cli = run_cli("validate", "--format", "json", str(manifest))
    assert json.loads(cli.stdout)["summary"]["errors"] == 0


def test_every_sentry_operation_scaffolds_or_refuses_with_a_reason(sentry_spec) -> None:
    built = refused = 0
    for operation_id, operation in sentry_spec.by_id.items():
        try:
            result = scaffold(sentry_spec, operation_id)
        except HubtoolError as exc:
            refused += 1
            message = str(exc)
            if operation.method == "delete":
                assert "DELETE routes are out of scope" in message
            else:
                reasons = ("no-bulk-or-delete", "multipart/form-data", "the provider requires")
                assert any(reason in message for reason in reasons), message
            continue
        built += 1
        action = result.action
        assert action["approvalMode"] == (
            "automatic" if action["method"] == "GET" else "require_approval"
        )
        for example in action.get("examples", []):
            assert value_problems(input_schema(action), example["input"]) == []
    assert built >= 150 and refused >= 35


def test_sentry_refusals_exit_2_without_writing(tmp_path: Path) -> None:
    spec = _sentry_spec()
    manifest = _copy_sentry(tmp_path)
    before = manifest.read_bytes()
    cases = {
        "deleteOrganizationIssue": "DELETE routes are out of scope",
        "updateOrganizationIssues": "bulk mutation",
        "uploadOrganizationReleaseFile": "multipart/form-data",
        "listOrganizationIssues": "an action 'list-issues' already exists",
    }
    for operation_id, reason in cases.items():
        result = _scaffold_cli(
            "--openapi", str(spec), "--operation", operation_id, "--into", str(manifest)
        )
        assert result.returncode == 2, operation_id
        assert reason in result.stderr, result.stderr
    assert manifest.read_bytes() == before


def test_sentry_body_example_is_used_when_it_validates(sentry_spec) -> None:
    action = scaffold(sentry_spec, "Register a New Service Hook").action
    assert action["slug"] == "register-hooks"
    (example,) = action["examples"]
    assert example["name"] == "spec-example"
    assert example["input"]["body"]["url"] == "https://empowerplant.io/sentry-hook"
    assert example["input"]["path"] == {
        "organizationIdOrSlug": "example",
        "projectIdOrSlug": "example",
    }
    assert "placeholders" in example["description"]
    assert action["inputs"]["body"]["required"] == ["url", "events"]  # POST keeps required


# --- small specs: OpenAPI 3.0 JSON -------------------------------------------------------------


def test_base_path_is_stripped_into_a_manifest(tmp_path: Path, widgets: Path) -> None:
    manifest = _manifest(tmp_path, "https://api.acme.example/v2/")
    result = _scaffold_cli(
        "--openapi", str(widgets), "--operation", "getWidget", "--into", str(manifest),
        "--format", "text",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "action-added: minor; the version must be at least 1.1.0" in result.stdout
    action = _action(manifest, "get-widget")
    assert action["path"] == "/widgets/{widgetId}"
    assert _param(action, "path", "widgetId")["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": SAFE_INTEGER,
    }
    # The path parameter's example (7) makes a spec example.
    assert action["examples"] == [
        {
            "name": "spec-example",
            "description": "Values from the OpenAPI spec's examples.",
            "input": {"path": {"widgetId": 7}},
        }
    ]
    assert validate([manifest]).findings == []


def test_without_into_the_path_is_relative_to_the_server_root(widgets: Path) -> None:
    result = _scaffold_cli(
        "--openapi", str(widgets), "--operation", "getWidget", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["path"] == "/v2/widgets/{widgetId}"


def test_operation_outside_the_base_path_exits_2(tmp_path: Path, widgets: Path) -> None:
    manifest = _manifest(tmp_path, "https://api.acme.example/v1/")
    before = manifest.read_bytes()
    result = _scaffold_cli(
        "--openapi", str(widgets), "--operation", "getWidget", "--into", str(manifest)
    )
    assert result.returncode == 2
    assert "is not under the port's base path /v1/" in result.stderr
    assert manifest.read_bytes() == before


def test_query_parameters_typed_bounded_or_skipped(widgets: Path) -> None:
    result = scaffold(load_spec(widgets), "listWidgets")
    action = result.action
    names = [p["name"] for p in action["inputs"]["parameters"]]
    assert names == ["limit", "color", "owner", "ids", "page"]
    limit = _param(action, "query", "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert "default" not in limit  # the spec's default 500 does not validate
    assert _param(action, "query", "color")["schema"] == {
        "type": "string",
        "enum": ["red", "blue", "green"],
    }
    assert _param(action, "query", "owner")["schema"] == {
        "type": "string",
        "maxLength": DEFAULT_MAX_LENGTH,
    }
    assert _param(action, "query", "ids")["schema"] == {
        "type": "array",
        "items": {"type": "integer"},
        "maxItems": DEFAULT_MAX_ITEMS,
    }
    assert _param(action, "query", "page")["schema"] == {"type": "integer"}  # typed-query warns
    notes = "\n".join(result.notes)
    assert "query parameter 'filter' skipped: an object" in notes
    assert "header parameter 'X-Trace' skipped" in notes
    assert "query parameter 'api_key' skipped: it names a credential" in notes
    assert "'owner': integer|string in the spec; typed string" in notes
    assert action["examples"][0]["input"] == {"query": {"color": "red"}}


def test_skipped_parameters_are_reported_on_stderr(widgets: Path) -> None:
    result = _scaffold_cli(
        "--openapi", str(widgets), "--operation", "listWidgets", "--format", "json"
    )
    assert result.returncode == 0
    assert "hubtool: note: query parameter 'filter' skipped" in result.stderr
    json.loads(result.stdout)  # stdout stays pure JSON


def test_post_body_allof_flattened_closed_required_kept(tmp_path: Path, widgets: Path) -> None:
    manifest = _manifest(tmp_path, "https://api.acme.example/v2/")
    placed = add_to_manifest(manifest, load_spec(widgets), "createWidget")
    action = placed.action
    assert action["slug"] == "create-widgets"
    assert action["approvalMode"] == "require_approval" and action["requestBodyMode"] == "json"
    assert action["inputs"]["body"] == {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 80},
            "size": {"type": "integer", "minimum": 1, "maximum": 10},
        },
    }
    # Of the two requestBody examples only the one that validates is kept.
    assert [e["input"]["body"] for e in action["examples"]] == [{"name": "Sprocket", "size": 3}]
    write_manifest(manifest, placed.text)
    assert _errors(manifest) == []


def test_patch_body_nullable_enum_refs_and_skips(tmp_path: Path, widgets: Path) -> None:
    manifest = _manifest(tmp_path, "https://api.acme.example/v2/")
    placed = add_to_manifest(manifest, load_spec(widgets), "updateWidget")
    body = placed.action["inputs"]["body"]
    assert placed.action["description"] == "Update a widget."
    assert list(body["properties"]) == ["name", "color", "note", "tags", "dims"]
    assert "required" not in body and body["minProperties"] == 1
    props = body["properties"]
    assert props["color"] == {"type": "string", "enum": ["red", "blue", "green"]}
    assert props["note"] == {"type": ["string", "null"], "maxLength": DEFAULT_MAX_LENGTH}
    assert props["tags"]["maxItems"] == DEFAULT_MAX_ITEMS
    dims = props["dims"]
    assert dims["additionalProperties"] is False and "required" not in dims
    assert dims["description"] == "Dimensions."
    assert dims["properties"]["depth"] == {
        "type": "number",
        "minimum": 0,
        "maximum": DEFAULT_MAXIMUM,
    }
    notes = "\n".join(placed.notes)
    assert "body.meta skipped: a free-form object" in notes
    assert "body.id skipped: read-only" in notes
    assert "body.password skipped: names a credential" in notes
    assert placed.action["examples"][0]["input"] == {
        "path": {"widgetId": 7},
        "body": {"name": "Gear", "color": "blue"},
    }
    write_manifest(manifest, placed.text)
    assert _errors(manifest) == []


def test_body_field_narrows_and_unrepresentable_field_is_an_error(widgets: Path) -> None:
    spec = load_spec(widgets)
    action = scaffold(spec, "updateWidget", body_fields=["note"]).action
    assert list(action["inputs"]["body"]["properties"]) == ["note"]
    assert "examples" not in action  # the spec's example has no 'note' left after narrowing
    with pytest.raises(HubtoolError, match="'meta' cannot be represented: a free-form object"):
        scaffold(spec, "updateWidget", body_fields=["meta"])
    with pytest.raises(HubtoolError, match="GET actions have no body"):
        scaffold(spec, "getWidget", body_fields=["name"])


def test_refusals_on_small_spec(widgets: Path) -> None:
    spec = load_spec(widgets)
    for operation_id, reason in {
        "deleteWidget": "DELETE routes are out of scope",
        "updateWidgets": "bulk mutation",
        "replaceWidget": "multipart/form-data",
        "getWidgetJson": "not a whole-segment placeholder",
    }.items():
        with pytest.raises(HubtoolError, match=reason):
            scaffold(spec, operation_id)


# --- small specs: OpenAPI 3.1 YAML -------------------------------------------------------------


def test_openapi_31_yaml_with_server_variables(tmp_path: Path, gadgets: Path) -> None:
    manifest = _manifest(tmp_path, "https://api.acme.example/v3/")
    result = _scaffold_cli(
        "--openapi", str(gadgets), "--operation", "patchOrgGadget", "--into", str(manifest),
        "--slug", "retune-gadget",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    action = _action(manifest, "retune-gadget")
    assert action["label"] == "Retune Gadget"
    assert action["path"] == "/orgs/{orgSlug}/gadgets/{gadgetKey}"
    assert _param(action, "path", "orgSlug")["schema"] == {
        "type": "string",
        "pattern": "^[a-z]{2,20}$",
        "maxLength": 100,
    }
    assert _param(action, "path", "gadgetKey")["schema"] == {
        "type": "string",
        "enum": ["alpha", "beta"],
    }
    assert _param(action, "query", "score")["schema"] == {
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": 1,
    }
    body = action["inputs"]["body"]["properties"]
    assert body["label"] == {"type": ["string", "null"], "maxLength": 40}
    assert body["ratio"] == {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}
    assert body["mode"] == {
        "type": ["string", "integer"],
        "maxLength": DEFAULT_MAX_LENGTH,
        "minimum": 0,
        "maximum": DEFAULT_MAXIMUM,
    }
    (example,) = action["examples"]
    assert example["input"]["path"] == {"orgSlug": "acme", "gadgetKey": "alpha"}
    assert example["input"]["body"] == {"label": "Blue", "ratio": 0.5}
    assert "placeholders" not in example["description"]
    assert run_cli("validate", str(manifest)).returncode == 0


def test_openapi_31_list_with_description_limit_and_enum_items(gadgets: Path) -> None:
    action = scaffold(load_spec(gadgets), "listOrgGadgetEntries").action
    assert action["slug"] == "list-gadget-entries"
    assert action["path"] == "/v3/orgs/{orgSlug}/gadget-entries"
    per_page = _param(action, "query", "per_page")
    assert per_page["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert per_page["default"] == 100
    assert _param(action, "query", "kinds")["schema"] == {
        "type": "array",
        "items": {"type": "string", "enum": ["a", "b"]},
        "maxItems": 5,
    }
    assert action["description"] == "List Gadget Entries: GET /v3/orgs/{orgSlug}/gadget-entries."


# --- descriptions, slugs and writing -----------------------------------------------------------


def test_description_never_carries_a_credential(tmp_path: Path) -> None:
    spec = copy.deepcopy(WIDGETS_30)
    spec["paths"]["/widgets/{widget_id}"]["get"]["summary"] = f"Get one widget with {FAKE_TOKEN}"
    spec["paths"]["/widgets/{widget_id}"]["get"]["description"] = "Fetch a widget. More."
    spec["components"]["parameters"]["Limit"]["description"] = f"Use {FAKE_TOKEN}."
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    result = _scaffold_cli("--openapi", str(path), "--operation", "getWidget", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert FAKE_TOKEN not in result.stdout + result.stderr
    assert json.loads(result.stdout)["description"] == "Fetch a widget."
    listed = _scaffold_cli("--openapi", str(path), "--operation", "listWidgets", "--format", "json")
    assert FAKE_TOKEN not in listed.stdout
    limit = _param(json.loads(listed.stdout), "query", "limit")
    assert limit["description"] == "The limit query parameter."


def test_long_descriptions_are_bounded(tmp_path: Path) -> None:
    spec = copy.deepcopy(WIDGETS_30)
    spec["paths"]["/widgets/{widget_id}"]["get"]["summary"] = "word " * 200
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    action = scaffold(load_spec(path), "getWidget").action
    assert len(action["description"]) <= 300 and action["description"].endswith("...")


def test_into_keeps_key_order_and_writes_two_space_json(tmp_path: Path, widgets: Path) -> None:
    manifest = _manifest(tmp_path, "https://api.acme.example/v2/")
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(data, indent=4), encoding="utf-8")  # no newline, 4 spaces
    result = _scaffold_cli(
        "--openapi", str(widgets), "--operation", "getWidget", "--into", str(manifest)
    )
    assert result.returncode == 0, result.stderr
    text = manifest.read_text(encoding="utf-8")
    written = json.loads(text)
    assert text == json.dumps(written, indent=2, ensure_ascii=False) + "\n"
    assert list(written) == list(data)
    assert written["actionTemplates"][:2] == data["actionTemplates"]
    assert [a["slug"] for a in written["actionTemplates"]] == [
        "list-widgets",
        "rename-widget",
        "get-widget",
    ]
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_bad_slug_and_duplicate_slug_exit_2(tmp_path: Path, widgets: Path) -> None:
    manifest = _manifest(tmp_path, "https://api.acme.example/v2/")
    before = manifest.read_bytes()
    bad = _scaffold_cli("--openapi", str(widgets), "--operation", "getWidget", "--slug", "Get_It")
    assert bad.returncode == 2 and "not a kebab-case slug" in bad.stderr
    dup = _scaffold_cli(
        "--openapi", str(widgets), "--operation", "getWidget", "--slug", "rename-widget",
        "--into", str(manifest),
    )  # fmt: skip
    assert dup.returncode == 2 and "'rename-widget' already exists" in dup.stderr
    assert manifest.read_bytes() == before


# --- bad input ---------------------------------------------------------------------------------


def test_unknown_operation_suggests_close_matches(widgets: Path) -> None:
    result = _scaffold_cli("--openapi", str(widgets), "--operation", "getWidgets")
    assert result.returncode == 2
    assert "no operation 'getWidgets'" in result.stderr
    assert "did you mean 'getWidget'" in result.stderr


def test_not_openapi_missing_and_malformed_specs_exit_2(tmp_path: Path) -> None:
    swagger = tmp_path / "swagger.json"
    swagger.write_text(json.dumps({"swagger": "2.0", "paths": {}}), encoding="utf-8")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(BASE_MANIFEST), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [3.0\n  paths: {", encoding="utf-8")
    bad_ref = tmp_path / "bad-ref.json"
    bad_ref.write_text(
        json.dumps(
            {
                "openapi": "3.0.0",
                "paths": {"/x": {"get": {"operationId": "x", "parameters": [{"$ref": "#/a/9"}]}}},
                "a": [],
            }
        ),
        encoding="utf-8",
    )
    cases = {
        swagger: "not an OpenAPI 3.x document",
        manifest: "not an OpenAPI 3.x document",
        broken: "not valid YAML",
        tmp_path / "missing.json": "cannot read the OpenAPI spec",
        tmp_path: "is a directory",
        bad_ref: "points at nothing",
    }
    for path, reason in cases.items():
        result = _scaffold_cli("--openapi", str(path), "--operation", "x")
        assert result.returncode == 2, (path, result.stderr)
        assert reason in result.stderr, result.stderr
        assert "internal error" not in result.stderr


def test_into_a_broken_manifest_exits_2(tmp_path: Path, widgets: Path) -> None:
    manifest = tmp_path / "m.json"
    manifest.write_text('{"actionTemplates": [], "actionTemplates": []}', encoding="utf-8")
    result = _scaffold_cli(
        "--openapi", str(widgets), "--operation", "getWidget", "--into", str(manifest)
    )
    assert result.returncode == 2 and "duplicate key" in result.stderr
    missing = _scaffold_cli(
        "--openapi", str(widgets), "--operation", "getWidget", "--into", str(tmp_path / "no.json")
    )
    assert missing.returncode == 2 and "internal error" not in missing.stderr


def test_missing_required_options_exit_2(widgets: Path) -> None:
    result = _scaffold_cli("--openapi", str(widgets))
    assert result.returncode == 2 and "--operation" in result.stderr


# --- the naming helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("issues", "issue"),
        ("entries", "entry"),
        ("statuses", "status"),
        ("releases", "release"),
        ("addresses", "address"),
        ("sentry-app-installations", "sentry-app-installation"),
        ("status", "status"),
        ("access", "access"),
    ],
)
def test_singular(word: str, expected: str) -> None:
    assert singular(word) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("organization_id_or_slug", "organizationIdOrSlug"),
        ("issue_id", "issueId"),
        ("issueId", "issueId"),
        ("key", "key"),
        ("ID", "id"),
        ("repo-name", "repoName"),
    ],
)
def test_camel_case(name: str, expected: str) -> None:
    assert camel_case(name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The maximum is 100.", (1, 100)),
        ("Default and maximum allowed is 100.", (1, 100)),
        ("The maximum number of results, maximum of 100.", (1, 100)),
        ("must be between 1 and 10", (1, 10)),
        ("Defaults to `1000`, which is also the maximum.", (1, 1000)),
        ("Ignore the issue for this many minutes. (Max: 1 week)", (None, None)),
        ("", (None, None)),
    ],
)
def test_description_limits(text: str, expected: tuple[Any, Any]) -> None:
    assert description_limits(text) == expected


def test_derived_slugs_of_the_sentry_starter_operations(sentry_spec) -> None:
    expected = {
        "getOrganizationIssue": "get-issue",
        "listOrganizationIssues": "list-issues",
        "listOrganizationProjects": "list-projects",
        "updateOrganizationIssue": "update-issue",
        "getProject": "get-project",
        "Retrieve Trace Item Statistics": "retrieve-stats",
    }
    for operation_id, slug in expected.items():
        assert derive_slug(sentry_spec.by_id[operation_id]) == slug
