"""check-upstream: the Sentry manifest against Sentry's spec, and small specs written here."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from conftest import SENTRY, run_cli, shared_file

from hubtool.core.registry import BASE_MANIFEST, apply_patch
from hubtool.load.strict import Document, parse
from hubtool.upstream.contract import check_upstream
from hubtool.upstream.openapi import load_spec

SPEC = "data/sentry/openapi-derefed.json"


def _check(manifest: dict, spec_path: Path, examples: bool = True):
    doc = parse(json.dumps(manifest, indent=2), "manifest.json")
    assert isinstance(doc, Document)
    return check_upstream(doc, load_spec(spec_path), examples=examples)


def _errors(findings):
    return [f for f in findings if f.severity == "error"]


def test_sentry_manifest_passes_against_sentrys_spec(sentry_data: dict) -> None:
    findings = _check(sentry_data, shared_file(SPEC))
    assert _errors(findings) == []
    scopes = {f.pointer: f.message for f in findings if f.rule == "upstream-scopes"}
    assert "event:write" in scopes["/actionTemplates/2/path"]
    mapping = [f for f in findings if f.rule == "upstream-route"]
    assert all(f.severity == "note" for f in mapping)
    assert "{issueId} -> {issue_id}" in mapping[-1].message


def test_cli_on_sentry_exits_0() -> None:
    spec = shared_file(SPEC)
    result = run_cli("check-upstream", str(SENTRY), "--openapi", str(spec), "--examples")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_limit_on_list_projects_names_what_sentry_accepts(sentry_data: dict) -> None:
    params = sentry_data["actionTemplates"][0]["inputs"]["parameters"]
    params[2]["name"] = "limit"  # Sentry's projects endpoint takes per_page
    sentry_data["actionTemplates"][0]["examples"][1]["input"]["query"].pop("per_page")
    [error] = _errors(_check(sentry_data, shared_file(SPEC)))
    assert (error.rule, error.pointer) == (
        "upstream-query",
        "/actionTemplates/0/inputs/parameters/2/name",
    )
    assert "no query parameter 'limit'" in error.message
    assert "it accepts: cursor, per_page, query" in error.message


def test_status_sentry_does_not_accept(sentry_data: dict) -> None:
    status = sentry_data["actionTemplates"][2]["inputs"]["body"]["properties"]["status"]
    status["enum"].append("archived")
    [error] = _errors(_check(sentry_data, shared_file(SPEC)))
    assert error.rule == "upstream-body"
    assert error.pointer == "/actionTemplates/2/inputs/body/properties/status"
    assert "'archived' is not accepted" in error.message
    assert "Sentry accepts: 'resolved', 'unresolved', 'ignored'" in error.message


def test_example_sentry_would_reject_is_a_contract_failure(sentry_data: dict) -> None:
    example = sentry_data["actionTemplates"][1]["examples"][0]["input"]["query"]
    example["sort"] = "oldest"
    findings = _errors(_check(sentry_data, shared_file(SPEC)))
    assert [(f.rule, f.pointer) for f in findings] == [
        ("upstream-examples", "/actionTemplates/1/examples/0/input/query/sort")
    ]
    assert not _errors(_check(sentry_data, shared_file(SPEC), examples=False))


def test_unknown_route_suggests_the_closest(sentry_data: dict) -> None:
    sentry_data["actionTemplates"][0]["path"] = (
        "/api/0/organizations/{organizationIdOrSlug}/project/"
    )
    [error] = _errors(_check(sentry_data, shared_file(SPEC)))
    assert error.rule == "upstream-route"
    assert "closest: /api/0/organizations/{organization_id_or_slug}/projects/" in error.message


def test_wider_bound_than_documented_is_a_warning(sentry_data: dict) -> None:
    limit = sentry_data["actionTemplates"][1]["inputs"]["parameters"][8]
    limit["schema"]["maximum"] = 500
    findings = _check(sentry_data, shared_file(SPEC))
    [warning] = [f for f in findings if f.severity == "warning"]
    assert warning.rule == "upstream-query" and "documented limit 100" in warning.message
    assert _errors(findings) == []


# --- small specs written here -----------------------------------------------------------------

YAML_SPEC = """
openapi: 3.1.0
info: {title: Widget API, version: "2"}
servers:
  - url: https://api.widgets.example/v2
paths:
  /widgets/{id}:
    parameters:
      - $ref: '#/components/parameters/WidgetId'
    patch:
      operationId: patchWidget
      security: [{oauth: [widgets:write]}]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/WidgetPatch'}
      responses: {"200": {description: ok}}
  /widgets:
    get:
      operationId: listWidgets
      parameters:
        - {in: query, name: tags, schema: {type: array, maxItems: 10, items: {type: string}}}
        - {in: query, name: state, schema: {type: [string, "null"], enum: ["on", "off", null]}}
      responses: {"200": {description: ok}}
components:
  parameters:
    WidgetId: {in: path, name: id, required: true, schema: {type: integer}}
  schemas:
    WidgetPatch:
      type: object
      properties:
        label: {type: string, maxLength: 40}
        style:
          allOf:
            - type: object
              properties:
                color: {type: string, enum: [red, blue]}
"""


def _widget_manifest() -> dict:
    manifest = copy.deepcopy(BASE_MANIFEST)
    manifest["portTemplates"][0]["baseUrl"] = "https://api.widgets.example/v2/"
    read, write = manifest["actionTemplates"]
    read.update(path="/widgets", examples=[{"name": "tags", "input": {"query": {"tags": ["a"]}}}])
    read["inputs"]["parameters"] = [
        {"name": "tags", "in": "query", "description": "Tags.",
         "schema": {"type": "array", "maxItems": 5, "items": {"type": "string", "maxLength": 9}}},
        {"name": "state", "in": "query", "description": "State.",
         "schema": {"type": "string", "enum": ["on"]}},
    ]  # fmt: skip
    write["path"] = "/widgets/{widgetId}"
    write["inputs"]["body"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "label": {"type": "string", "maxLength": 40},
            "style": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"color": {"type": "string", "enum": ["red"]}},
            },
        },
    }
    write["examples"] = [
        {"name": "recolor", "input": {"path": {"widgetId": 7}, "body": {"style": {"color": "red"}}}}
    ]
    return manifest


@pytest.fixture
def yaml_spec(tmp_path: Path) -> Path:
    path = tmp_path / "widgets.yaml"
    path.write_text(YAML_SPEC, encoding="utf-8")
    return path


def test_yaml_31_spec_with_refs_base_path_and_allof(yaml_spec: Path) -> None:
    findings = _check(_widget_manifest(), yaml_spec)
    assert _errors(findings) == [], findings
    assert any(f.rule == "upstream-scopes" and "widgets:write" in f.message for f in findings)


def test_nested_allof_property_enum_is_checked(yaml_spec: Path) -> None:
    manifest = _widget_manifest()
    style = manifest["actionTemplates"][1]["inputs"]["body"]["properties"]["style"]
    style["properties"]["color"]["enum"] = ["red", "green"]
    [error] = _errors(_check(manifest, yaml_spec))
    assert error.pointer == "/actionTemplates/1/inputs/body/properties/style/properties/color"
    assert "'green' is not accepted" in error.message


def test_unknown_body_property_lists_the_accepted_ones(yaml_spec: Path) -> None:
    manifest = _widget_manifest()
    body = manifest["actionTemplates"][1]["inputs"]["body"]
    body["properties"]["owner"] = {"type": "string", "maxLength": 5}
    [error] = _errors(_check(manifest, yaml_spec))
    assert "it accepts: label, style" in error.message


def test_array_bounds_no_wider_than_the_providers(yaml_spec: Path) -> None:
    manifest = _widget_manifest()
    manifest["actionTemplates"][0]["inputs"]["parameters"][0]["schema"]["maxItems"] = 50
    [error] = _errors(_check(manifest, yaml_spec))
    assert error.rule == "upstream-query" and "maxItems 50 is wider than Acme's 10" in error.message


def test_json_spec_with_component_refs(tmp_path: Path) -> None:
    spec = yaml.safe_load(YAML_SPEC)
    path = tmp_path / "widgets.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    assert _errors(_check(_widget_manifest(), path)) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"swagger": "2.0"}', "not an OpenAPI 3.x document"),
        ("{not json", "not valid JSON"),
        (
            json.dumps(
                {
                    "openapi": "3.0.0",
                    "paths": {"/x": {"get": {"parameters": [{"$ref": "other.json#/p"}]}}},
                }
            ),
            "only local $refs",
        ),
        (
            json.dumps({"openapi": "3.0.0", "paths": {"/x": {"$ref": "#/paths/~1x"}}}),
            "too deep",
        ),
    ],
    ids=["swagger-2", "bad-json", "remote-ref", "ref-cycle"],
)
def test_bad_specs_exit_2(tmp_path: Path, content: str, message: str) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(content, encoding="utf-8")
    result = run_cli("check-upstream", str(SENTRY), "--openapi", str(spec))
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_missing_spec_exits_2(tmp_path: Path) -> None:
    result = run_cli("check-upstream", str(SENTRY), "--openapi", str(tmp_path / "nope.json"))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_sarif_output_of_check_upstream(tmp_path: Path, sentry_data: dict) -> None:
    spec = shared_file(SPEC)
    sentry_data["actionTemplates"][0]["inputs"]["parameters"][2]["schema"]["maximum"] = 1000
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(sentry_data, indent=2), encoding="utf-8")
    result = run_cli("check-upstream", str(manifest), "--openapi", str(spec), "--format", "sarif")
    document = json.loads(result.stdout)
    levels = {r["ruleId"]: r["level"] for r in document["runs"][0]["results"]}
    assert levels["upstream-scopes"] == "note" and levels["upstream-query"] == "warning"
    assert result.returncode == 0


def test_base_manifest_examples_stay_in_sync_with_base_spec(tmp_path: Path) -> None:
    from hubtool.core.registry import BASE_OPENAPI

    path = tmp_path / "base.json"
    path.write_text(json.dumps(apply_patch(BASE_OPENAPI, {})), encoding="utf-8")
    assert _check(BASE_MANIFEST, path) == []


def _upstream_tree(tmp_path: Path, patch: dict) -> tuple[Path, Path]:
    from hubtool.core.registry import BASE_OPENAPI

    (tmp_path / ".git").mkdir()  # the repository root: where .hubtool.yaml is looked for
    manifest, spec = tmp_path / "m.json", tmp_path / "spec.json"
    manifest.write_text(json.dumps(apply_patch(BASE_MANIFEST, patch), indent=2), "utf-8")
    spec.write_text(json.dumps(apply_patch(BASE_OPENAPI, {})), encoding="utf-8")
    return manifest, spec


UPSTREAM_WAIVER = """waivers:
  - rule: upstream-body
    file: m.json
    pointer: /actionTemplates/1/inputs/body/properties/color
    reason: the provider's published spec is wrong here; reviewed against its live API
"""


def test_check_upstream_applies_the_upstream_waivers_of_hubtool_yaml(tmp_path: Path) -> None:
    body = {"/actionTemplates/1/inputs/body/properties/color": {"type": "string", "enum": ["x"]}}
    manifest, spec = _upstream_tree(tmp_path, body)
    unwaived = run_cli("check-upstream", str(manifest), "--openapi", str(spec))
    assert unwaived.returncode == 1 and "upstream-body" in unwaived.stdout
    (tmp_path / ".hubtool.yaml").write_text(UPSTREAM_WAIVER, encoding="utf-8")
    waived = run_cli("check-upstream", str(manifest), "--openapi", str(spec), "--format", "json")
    assert waived.returncode == 0, waived.stdout + waived.stderr
    document = json.loads(waived.stdout)
    assert document["summary"]["waived"] == 1 and document["findings"] == []
    # validate does not run upstream rules: the waiver is not its to call unused
    validated = run_cli("validate", "--format", "json", str(manifest))
    assert "waiver-unused" not in {f["rule"] for f in json.loads(validated.stdout)["findings"]}


def test_a_stale_upstream_waiver_is_reported_by_check_upstream_only(tmp_path: Path) -> None:
    manifest, spec = _upstream_tree(tmp_path, {})
    config = tmp_path / "other.yaml"
    config.write_text(
        UPSTREAM_WAIVER
        + "  - rule: write-requires-approval\n    file: m.json\n"
        + "    pointer: /actionTemplates/1\n    reason: a validate waiver\n",
        encoding="utf-8",
    )
    args = ("--format", "json", "--config", str(config))
    checked = run_cli("check-upstream", str(manifest), "--openapi", str(spec), *args)
    stale = [f for f in json.loads(checked.stdout)["findings"] if f["rule"] == "waiver-unused"]
    assert [f["message"] for f in stale] == [
        "the waiver of upstream-body at /actionTemplates/1/inputs/body/properties/color "
        "matches no finding: remove it"
    ]
    validated = run_cli("validate", str(manifest), *args)
    stale = [f for f in json.loads(validated.stdout)["findings"] if f["rule"] == "waiver-unused"]
    assert [f["message"] for f in stale] == [
        "the waiver of write-requires-approval at /actionTemplates/1 matches no finding: remove it"
    ]
