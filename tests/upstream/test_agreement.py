"""scaffold and check-upstream read a schema the same way (issue 12, items 1 and 3).

The agreement over every operation of every provider spec in ../shared/data/providers/ and
Sentry's is ``test_scaffold_all.py`` (``scaffold --all``, then ``check-upstream --examples``
and ``validate``: 0 errors); here, that its table names every spec, the same through the CLI on
one small spec, and small specs written here that pin each way of reading the two commands now
share. Skips with the reason when ../shared is absent.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED, run_cli, shared_file
from test_scaffold_all import SPECS as ALL_SPECS

from hubtool.core.errors import HubtoolError
from hubtool.core.registry import BASE_MANIFEST
from hubtool.load.strict import Document, parse
from hubtool.upstream.contract import check_upstream
from hubtool.upstream.openapi import Spec, load_spec
from hubtool.upstream.scaffold import scaffold
from hubtool.upstream.schema import enum_of, query_array_form, stated_maximum, types_of
from hubtool.validate.pipeline import check_document

SPECS = {name: file for name, (file, _) in ALL_SPECS.items()}
"""Every provider spec and Sentry's, by name: the file under ../shared/data/ (one table, the
``scaffold --all`` test's)."""
BASE_URL = "https://api.example.com"
"""The server root: scaffolded paths are the operations' full paths."""


def test_every_provider_spec_is_in_the_agreement_test() -> None:
    """The agreement over every operation is ``test_scaffold_all.py`` (``scaffold --all`` then
    ``check-upstream --examples`` and ``validate``); its table must name every provider spec."""
    providers = SHARED / "data/providers"
    if not providers.is_dir():
        pytest.skip(f"{providers} is absent: ../shared/ sits beside the repository in CI")
    files = {
        str(p.relative_to(SHARED / "data"))
        for p in providers.glob("*/*")
        if p.suffix in (".json", ".yaml", ".yml")
    }
    assert files <= set(SPECS.values()), files - set(SPECS.values())
    assert {p.name for p in providers.iterdir() if p.is_dir()} <= {
        v.split("/")[1] for v in SPECS.values() if v.startswith("providers/")
    }


def _scaffold_all(spec: Spec) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Every operation scaffolded (slug ``op-N``), and each refusal's reason by operationId."""
    actions: list[dict[str, Any]] = []
    refused: dict[str, str] = {}
    for index, operation in enumerate(spec.operations):
        key = f"{index} {operation.method.upper()} {operation.path} {operation.operation_id}"
        try:
            actions.append(scaffold(spec, operation.operation_id, slug=f"op-{index}").action)
        except HubtoolError as exc:
            details = exc.args[1] if len(exc.args) > 1 else ()
            refused[key] = "; ".join([str(exc.args[0]), *details])
    return actions, refused


def _document(actions: list[dict[str, Any]], name: str) -> Document:
    data = copy.deepcopy(BASE_MANIFEST)
    data["portTemplates"][0]["baseUrl"] = BASE_URL
    data["actionTemplates"] = actions
    doc = parse(json.dumps(data, indent=2), name)
    assert isinstance(doc, Document)
    return doc


def test_the_commands_agree_end_to_end(tmp_path: Path) -> None:
    """The same through the CLI on one small spec: validate and check-upstream --examples."""
    spec = load_spec(shared_file(f"data/{SPECS['hubspot-contacts']}"))
    actions, _ = _scaffold_all(spec)
    manifest = tmp_path / "hubspot.json"
    manifest.write_text(_document(actions, "hubspot.json").text, encoding="utf-8")
    checked = run_cli("check-upstream", str(manifest), "--openapi", spec.path, "--examples")
    assert checked.returncode == 0 and "0 errors" in checked.stdout, checked.stdout
    validated = run_cli("validate", str(manifest))
    assert validated.returncode == 0, validated.stdout + validated.stderr


# --- the shared reading, on small specs written here -------------------------------------------

FREE = {"type": "object", "additionalProperties": {"type": "string"}}
STRING = {"type": "string"}
ACME: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Acme", "version": "1"},
    "paths": {
        "/contacts": {
            "post": {
                "operationId": "createContact",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["properties"],
                    "properties": {"properties": FREE, "note": {"type": "string"}},
                }}}},
            },
        },
        "/notes": {
            "post": {
                "operationId": "createNote",
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "required": ["kind"],
                    "properties": {
                        "kind": {"type": "integer", "oneOf": [{"const": 1}, {"const": 2}]},
                        "color": {"oneOf": [{"type": "string", "enum": ["red"]},
                                            {"type": "string", "enum": ["blue"]}]},
                        "meta": FREE,
                        "ref": {"oneOf": [{"type": "string", "maxLength": 40},
                                          {"type": "object", "properties": {"id": STRING}}]},
                        "body": {"oneOf": [
                            {"type": "object", "properties": {"value": {"type": "string"}}},
                            {"type": "object", "properties": {"storage": {"type": "object",
                             "properties": {"value": {"type": "string"}}}}},
                        ]},
                        "icon": {"type": "string", "enum": ["/a.png", "/b.png"], "maxLength": 255},
                    },
                }}}},
            },
        },
        "/issues": {
            "post": {
                "operationId": "createIssue",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"type": "object", "required": ["fields"], "properties": {
                        "fields": {"type": "object", "additionalProperties": {}},
                        "labels": {**FREE, "example": {"team": "ops", "api_token": "x"}},
                    }},
                    "example": {"fields": {"summary": "Broken", "project": {"key": "OPS"},
                                           "points": 3}},
                    "examples": {"auth": {"value": {"fields": {"auth": {"password": "x"}}}}},
                }}},
            },
        },
        "/checks": {
            "post": {
                "operationId": "createCheck",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["name", "method"],
                    "properties": {"name": {"type": "string"}},
                }}}},
            },
        },
        "/search": {
            "get": {
                "operationId": "search",
                "parameters": [
                    {"name": "ids", "in": "query", "required": True, "explode": False,
                     "schema": {"type": "array", "items": {"type": "string"}}},
                ],
            },
        },
        "/list": {
            "get": {
                "operationId": "listThings",
                "parameters": [
                    {"name": "limit", "in": "query", "description": "Page size (max 100)",
                     "schema": {"type": "integer"}},
                    {"name": "status", "in": "query",
                     "schema": {"type": "string", "enum": [], "oneOf": [{"const": "open"}]}},
                ],
            },
        },
    },
}  # fmt: skip


@pytest.fixture
def acme(tmp_path: Path) -> Spec:
    path = tmp_path / "acme.json"
    path.write_text(json.dumps(ACME), encoding="utf-8")
    return load_spec(path)


def test_a_required_free_form_map_is_refused_with_the_reason(acme: Spec) -> None:
    with pytest.raises(HubtoolError) as refused:
        scaffold(acme, "createContact")
    message = str(refused.value)
    assert "body.properties, which the provider requires, cannot be represented" in message
    assert "a free-form object (a map: additionalProperties, no declared keys)" in message


def test_unions_enums_and_object_branches_scaffold_to_what_check_upstream_accepts(
    acme: Spec,
) -> None:
    result = scaffold(acme, "createNote", slug="create-note")
    body = result.action["inputs"]["body"]
    fields = body["properties"]
    assert body["required"] == ["kind"]  # never dropped from required
    assert fields["kind"]["enum"] == [1, 2] and fields["color"]["enum"] == ["red", "blue"]
    assert fields["ref"]["type"] == "string" and fields["ref"]["maxLength"] == 40
    assert set(fields["body"]["properties"]) == {"value", "storage"}
    assert fields["body"]["additionalProperties"] is False
    assert "maxLength" not in fields["icon"]  # the enum is narrower than the provider's 255
    assert "body.meta skipped: a free-form object" in " ".join(result.notes)
    assert any("body.ref: the object form(s)" in note for note in result.notes)
    doc = _document([result.action], "acme.json")
    assert [f.message for f in check_upstream(doc, acme, True) if f.severity == "error"] == []
    assert [f.message for f in check_document(doc) if f.severity == "error"] == []


def test_a_required_key_the_spec_does_not_describe_refuses(acme: Spec) -> None:
    with pytest.raises(HubtoolError, match=r"requires body.method but does not describe it"):
        scaffold(acme, "createCheck")


def test_a_delimited_array_is_refused_by_scaffold_and_an_error_in_check_upstream(
    acme: Spec,
) -> None:
    with pytest.raises(HubtoolError, match="one comma-separated value"):
        scaffold(acme, "search")
    action = copy.deepcopy(BASE_MANIFEST["actionTemplates"][0])
    action.update(slug="search", method="GET", path="/search", examples=[])
    array = {"type": "array", "maxItems": 5, "items": {"type": "string", "maxLength": 20}}
    action["inputs"] = {"parameters": [{"name": "ids", "in": "query", "required": True,
                                        "schema": array}]}  # fmt: skip
    errors = [f.message for f in check_upstream(_document([action], "a.json"), acme)]
    assert any("one comma-separated value" in e and "repeated keys" in e for e in errors)


def test_prose_limits_and_empty_enums_are_read_once(acme: Spec) -> None:
    listing = acme.by_id["listThings"]
    limit, status = listing.parameter("query", "limit"), listing.parameter("query", "status")
    assert stated_maximum(limit["schema"], limit["description"]) == 100
    assert stated_maximum({"type": "string"}, "Name (max 100)") is None  # not a number
    assert enum_of(status["schema"]) == ["open"] and types_of(status["schema"]) == {"string"}
    action = scaffold(acme, "listThings", slug="list-things").action
    params = {p["name"]: p["schema"] for p in action["inputs"]["parameters"]}
    assert params["limit"]["maximum"] == 100 and params["status"]["enum"] == ["open"]
    findings = check_upstream(_document([action], "a.json"), acme, True)
    assert [f.message for f in findings if f.severity in ("error", "warning")] == []


def test_duplicate_operation_ids_are_an_error_in_check_upstream(tmp_path: Path) -> None:
    spec = copy.deepcopy(ACME)
    spec["paths"]["/list"]["get"]["operationId"] = "search"
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    loaded = load_spec(path)
    action = copy.deepcopy(BASE_MANIFEST["actionTemplates"][0])
    action.update(slug="list", method="GET", path="/list", examples=[])
    action["inputs"] = {"parameters": []}
    errors = [
        f
        for f in check_upstream(_document([action], "a.json"), loaded)
        if f.rule == "upstream-route"
    ]
    assert any("'search' is used by more than one operation" in f.message for f in errors)
    with pytest.raises(HubtoolError, match="used by more than one operation"):
        scaffold(loaded, "search")


@pytest.mark.parametrize(
    ("fmt", "style", "explode"),
    [(None, "form", False), ("csv", "form", False), ("ssv", "spaceDelimited", False),
     ("pipes", "pipeDelimited", False), ("multi", "form", True), ("tsv", None, None)],
)  # fmt: skip
def test_swagger_2_collection_formats_are_converted(
    tmp_path: Path, fmt: str | None, style: str | None, explode: bool | None
) -> None:
    param: dict[str, Any] = {"name": "ids", "in": "query", "type": "array",
                             "items": {"type": "string"}}  # fmt: skip
    if fmt:
        param["collectionFormat"] = fmt
    doc = {"swagger": "2.0", "info": {"title": "S", "version": "1"},
           "paths": {"/s": {"get": {"operationId": "s", "parameters": [param]}}}}  # fmt: skip
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    converted = load_spec(path).by_id["s"].parameter("query", "ids")
    assert (converted.get("style"), converted.get("explode")) == (style, explode)
    assert (query_array_form(converted) is None) == (fmt == "multi")
    if fmt == "tsv":
        assert "collectionFormat 'tsv'" in str(query_array_form(converted))


def test_a_free_form_map_takes_its_keys_from_the_specs_examples(acme: Spec) -> None:
    result = scaffold(acme, "createIssue", slug="create-issue")
    body = result.action["inputs"]["body"]
    fields, labels = body["properties"]["fields"], body["properties"]["labels"]
    assert body["required"] == ["fields"] and fields["additionalProperties"] is False
    assert set(fields["properties"]) == {"summary", "project", "points"}  # "auth": no keys
    assert "password" not in json.dumps(result.action)
    assert fields["properties"]["project"]["properties"]["key"]["type"] == "string"
    assert fields["properties"]["points"]["type"] == "integer"
    assert list(labels["properties"]) == ["team"]  # the map's own value schema; no credential
    assert labels["properties"]["team"] == {"type": "string", "maxLength": 200}
    assert any("body.fields: a free-form map; its keys" in note for note in result.notes)
    assert result.action["examples"][0]["input"]["body"]["fields"]["summary"] == "Broken"
    doc = _document([result.action], "acme.json")
    assert [f.message for f in check_upstream(doc, acme, True) if f.severity == "error"] == []
    assert [f.message for f in check_document(doc) if f.severity == "error"] == []


def test_a_read_only_required_property_is_not_required_of_an_example(tmp_path: Path) -> None:
    spec = copy.deepcopy(ACME)
    schema = spec["paths"]["/checks"]["post"]["requestBody"]["content"]["application/json"]
    schema["schema"] = {"type": "object", "required": ["id", "name"], "properties": {
        "id": {"type": "string", "readOnly": True}, "name": STRING}}  # fmt: skip
    schema["example"] = {"name": "Landing page"}
    path = tmp_path / "ro.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    loaded = load_spec(path)
    action = scaffold(loaded, "createCheck", slug="create-check").action
    assert action["inputs"]["body"]["required"] == ["name"] and action["examples"]
    doc = _document([action], "a.json")
    assert [f.message for f in check_upstream(doc, loaded, True) if f.severity == "error"] == []


def test_swagger_2_file_uploads_are_refused_with_the_reason(tmp_path: Path) -> None:
    upload = {"name": "file", "in": "formData", "type": "file", "required": True}
    post = {"operationId": "upload", "parameters": [upload]}
    doc = {
        "swagger": "2.0",
        "info": {"title": "S", "version": "1"},
        "paths": {"/u": {"post": post}},
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    spec = load_spec(path)
    operation = spec.by_id["upload"]
    assert operation.body_media_types == ["multipart/form-data"] and operation.body_required
    with pytest.raises(HubtoolError, match="multipart/form-data; Harbor actions send only JSON"):
        scaffold(spec, "upload")
