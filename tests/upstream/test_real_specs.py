"""OpenAPI reading on the providers' own specs (../shared/data/providers/, Sentry's), and on
hostile multi-file specs written here (issue 12, item 1).

Real specs: Swagger 2.0 (Slack, Netlify), OpenAPI 3.0 (GitHub, HubSpot, Jira, Vercel, Asana,
Confluence), 3.1 (Discord), and DigitalOcean's tree of ~2,900 YAML files joined by relative
$refs. Each test skips with the reason when ../shared is absent.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import SENTRY, run_cli, shared_file

from hubtool.core.errors import HubtoolError
from hubtool.core.registry import BASE_MANIFEST
from hubtool.load.strict import Document, parse
from hubtool.upstream.contract import check_upstream
from hubtool.upstream.openapi import METHODS, Spec, enum_of, load_spec, object_properties, types_of

PROVIDERS = "data/providers"
SPECS = {
    # name: (file under ../shared/data/providers, operations the spec holds)
    "github": ("github/api.github.com.json", 1223),
    "slack": ("slack/slack_web_openapi_v2.json", 174),
    "netlify": ("netlify/swagger.yml", 174),
    "digitalocean": ("digitalocean/specification/DigitalOcean-public.v2.yaml", 659),
    "discord": ("discord/openapi.json", 242),
    "hubspot-contacts": ("hubspot/crm-contacts-v3.json", 13),
    "hubspot-deals": ("hubspot/crm-deals-v3.json", 12),
    "jira": ("jira/swagger-v3.v3.json", 595),
    "vercel": ("vercel/vercel-openapi.json", 121),
    "asana": ("asana/asana_oas.yaml", 247),
    "confluence": ("confluence/openapi-v2.v3.json", 188),
}
_CACHE: dict[str, Spec] = {}


def _spec(name: str) -> Spec:
    """One provider's spec, loaded once per test session (GitHub's is 13 MB)."""
    if name not in _CACHE:
        _CACHE[name] = load_spec(shared_file(f"{PROVIDERS}/{SPECS[name][0]}"))
    return _CACHE[name]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_operation_is_indexed_with_id_method_and_path(name: str) -> None:
    spec = _spec(name)
    assert len(spec.operations) == SPECS[name][1]
    for op in spec.operations:
        assert op.method in METHODS and op.path.startswith("/"), (op.method, op.path)
        assert op.operation_id, (op.method, op.path)
        assert spec.find(op.method, op.path) is not None
        for param in op.parameters:  # every $ref resolved, every parameter named and placed
            assert "$ref" not in param and param.get("name") and param.get("in"), param
    named = {op.operation_id for op in spec.operations}
    assert set(spec.by_id) == named
    assert len(named) + sum(len(r) - 1 for r in spec.duplicates.values()) == len(spec.operations)


def test_sentrys_spec_still_loads_and_its_manifest_passes() -> None:
    spec = load_spec(shared_file("data/sentry/openapi-derefed.json"))
    assert len(spec.by_id) == len(spec.operations) == 223 and spec.duplicates == {}
    result = run_cli("check-upstream", str(SENTRY), "--openapi", str(spec.path), "--examples")
    assert result.returncode == 0 and "0 errors" in result.stdout, result.stdout + result.stderr


def test_digitalocean_operations_are_read_from_their_own_files() -> None:
    spec = _spec("digitalocean")
    assert len(spec.by_id) >= 600 and all(op.summary for op in spec.operations)
    listing = spec.by_id["droplets_list"]
    assert (listing.method, listing.path) == ("get", "/v2/droplets")
    per_page = listing.parameter("query", "per_page")  # ../../shared/parameters.yml#/per_page
    assert per_page is not None and per_page["schema"]["maximum"] == 200
    create = spec.by_id["droplets_create"]
    properties, _ = object_properties(create.body_schema)
    assert {"name", "region", "size", "image"} <= set(properties)
    assert create.scopes == [["droplet:create"]]


def test_swagger_2_operations_read_as_openapi_3() -> None:
    netlify = _spec("netlify")
    site = netlify.by_id["createSite"]
    assert site.path == "/api/v1/sites"  # basePath /api/v1
    assert site.body_media_types == ["application/json"]  # the `in: body` parameter
    assert {"name", "custom_domain"} <= set(object_properties(site.body_schema)[0])
    assert site.parameter("query", "configure_dns")["schema"] == {"type": "boolean"}
    slack = _spec("slack")
    form_only = slack.by_id["admin_emoji_add"]  # consumes: form only
    assert form_only.body_schema is None and form_only.body_required
    assert form_only.body_media_types == ["application/x-www-form-urlencoded"]
    post = slack.by_id["chat_postMessage"]  # consumes: form and JSON: the fields as a JSON body
    assert post.path == "/api/chat.postMessage" and post.body_required
    assert post.body_media_types == ["application/x-www-form-urlencoded", "application/json"]
    assert {"channel", "text", "blocks"} <= set(object_properties(post.body_schema)[0])
    history = slack.by_id["conversations_history"]
    assert history.parameter("query", "limit")["schema"]["type"] == "integer"


def test_discord_31_nullable_objects_show_their_properties() -> None:
    spec = _spec("discord")
    body = spec.by_id["create_message"].body_schema
    mentions = object_properties(body)[0]["allowed_mentions"]  # oneOf [{type: null}, {$ref}]
    assert types_of(mentions) == {"object", "null"}
    assert set(object_properties(mentions)[0]) == {"parse", "users", "roles", "replied_user"}
    parse_items = object_properties(mentions)[0]["parse"]["items"]
    assert enum_of(parse_items) == ["users", "roles", "everyone"]  # oneOf of const
    stage = object_properties(spec.by_id["create_stage_instance"].body_schema)[0]
    assert enum_of(stage["privacy_level"]) == [1, 2] and types_of(stage["privacy_level"])


def test_vercels_duplicate_operation_id_is_named() -> None:
    spec = _spec("vercel")
    assert spec.duplicates == {
        "gitNamespaces": [
            "GET /v1/integrations/git-namespaces",
            "GET /v1/integrations/search-repo",
        ]
    }
    result = run_cli("scaffold", "--openapi", spec.path, "--operation", "gitNamespaces")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "'gitNamespaces' is used by more than one operation" in result.stderr
    assert "/v1/integrations/search-repo" in result.stderr


def _manifest(base: str, method: str, path: str, body: dict[str, Any], example: Any) -> Document:
    """A manifest whose write action sends ``body`` to ``method path`` under ``base``."""
    data = copy.deepcopy(BASE_MANIFEST)
    data["portTemplates"][0]["baseUrl"] = base
    data["actionTemplates"] = data["actionTemplates"][1:]
    action = data["actionTemplates"][0]
    action.update(method=method, path=path)
    action["inputs"]["parameters"] = []
    action["inputs"]["body"] = body
    action["examples"] = [{"name": "real", "input": {"body": example}}]
    doc = parse(json.dumps(data, indent=2), "manifest.json")
    assert isinstance(doc, Document)
    return doc


def _strings(*names: str) -> dict[str, Any]:
    return {n: {"type": "string", "maxLength": 200} for n in names}


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": required,
            "properties": properties}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "base", "method", "path", "body", "example"),
    [
        (
            "hubspot-contacts", "https://api.hubapi.com/", "POST", "/crm/v3/objects/contacts",
            _body({"properties": _body(_strings("email", "firstname"), ["email"]),
                   "associations": {"type": "array", "maxItems": 0}},
                  ["properties", "associations"]),
            {"properties": {"email": "a@example.com", "firstname": "Ada"}, "associations": []},
        ),
        (
            "jira", "https://example.atlassian.net/", "POST", "/rest/api/3/issue",
            _body({"fields": _body({**_strings("summary"), "project": _body(_strings("key"),
                                                                               ["key"])},
                                   ["summary"])}, ["fields"]),
            {"fields": {"summary": "Broken", "project": {"key": "OPS"}}},
        ),
        (
            "confluence", "https://example.atlassian.net/wiki/api/v2/", "POST", "/pages",
            _body({**_strings("spaceId", "title"),
                   "body": _body({"representation": {"type": "string", "enum": ["storage"]},
                                  **_strings("value")}, ["representation", "value"])},
                  ["spaceId"]),
            {"spaceId": "1", "title": "T", "body": {"representation": "storage", "value": "x"}},
        ),
        (
            "discord", "https://discord.com/api/v10/", "POST", "/channels/{channelId}/messages",
            _body({**_strings("content"), "allowed_mentions": _body(
                {"parse": {"type": "array", "maxItems": 3,
                           "items": {"type": "string", "enum": ["users", "roles"]}}}, [])}, []),
            {"content": "hi", "allowed_mentions": {"parse": ["users"]}},
        ),
    ],
    ids=["hubspot-free-form-map", "jira-free-form-fields", "confluence-oneof-body",
         "discord-nullable-object"],
)  # fmt: skip
def test_correct_bodies_pass_check_upstream(
    name: str, base: str, method: str, path: str, body: dict[str, Any], example: Any
) -> None:
    doc = _manifest(base, method, path, body, example)
    if "{channelId}" in path:
        doc = _with_path_parameter(doc, "channelId")
    findings = check_upstream(doc, _spec(name), examples=True)
    assert [f.message for f in findings if f.severity == "error"] == []


def _with_path_parameter(doc: Document, name: str) -> Document:
    data = copy.deepcopy(doc.data)
    action = data["actionTemplates"][0]
    action["inputs"]["parameters"] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": "Id.",
            "schema": {"type": "string", "maxLength": 20},
        }
    ]
    action["examples"][0]["input"]["path"] = {name: "1"}  # fmt: skip
    parsed = parse(json.dumps(data, indent=2), "manifest.json")
    assert isinstance(parsed, Document)
    return parsed


def test_a_wrong_key_in_a_declared_object_is_still_reported() -> None:
    """Free-form maps are understood, not everything: Discord's ``allowed_mentions`` (a
    nullable object) declares its keys, and a typo is still an error."""
    body = _body({"allowed_mentions": _body({"parse_all": {"type": "boolean"}}, [])}, [])
    doc = _manifest("https://discord.com/api/v10/", "POST", "/channels/{channelId}/messages",
                    body, {})  # fmt: skip
    doc = _with_path_parameter(doc, "channelId")
    errors = [f for f in check_upstream(doc, _spec("discord")) if f.severity == "error"]
    assert len(errors) == 1 and "'parse_all' is not in" in errors[0].message
    assert "it accepts: parse, replied_user, roles, users" in errors[0].message


# --- hostile multi-file specs -----------------------------------------------------------------


def _tree(tmp_path: Path, ref: str, files: dict[str, Any] | None = None) -> Path:
    """``spec/openapi.json`` whose one operation's query parameter is ``{"$ref": ref}``, plus
    ``files`` (relative to ``spec/``); ``outside.json`` sits beside ``spec/``."""
    root = tmp_path / "spec"
    root.mkdir()
    (tmp_path / "outside.json").write_text('{"name": "leaked", "in": "query"}', encoding="utf-8")
    for name, value in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(json.dumps(value), encoding="utf-8")
    operation = {"operationId": "listThings", "parameters": [{"$ref": ref}]}
    spec = {"openapi": "3.0.3", "info": {"title": "T"}, "paths": {"/things": {"get": operation}}}
    (root / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    return root / "openapi.json"


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("../outside.json", "a path outside"),
        ("sub/../../outside.json", "a path outside"),
        ("%2E%2E/outside.json", "a path outside"),
        ("/etc/passwd", "a URL or an absolute path"),
        ("file:///etc/passwd", "a URL or an absolute path"),
        ("http://127.0.0.1:9/x.json", "a URL or an absolute path"),
        ("//127.0.0.1:9/x.json", "a URL or an absolute path"),
        ("missing.json#/p", "no such file"),
    ],
)
def test_refs_leaving_the_spec_tree_are_refused(tmp_path: Path, ref: str, reason: str) -> None:
    path = _tree(tmp_path, ref)
    with pytest.raises(HubtoolError, match="only local \\$refs are supported") as caught:
        load_spec(path)
    assert reason in str(caught.value) and "leaked" not in str(caught.value)
    result = run_cli("scaffold", "--openapi", str(path), "--operation", "listThings")
    assert result.returncode == 2 and "only local $refs" in result.stderr
    assert "Traceback" not in result.stderr and "leaked" not in result.stdout


def test_a_link_leaving_the_tree_is_refused(tmp_path: Path) -> None:
    path = _tree(tmp_path, "params.json#/limit")
    os.symlink(tmp_path / "outside.json", path.parent / "params.json")
    with pytest.raises(HubtoolError, match="a link leading outside"):
        load_spec(path)


def test_a_fifo_in_the_tree_is_not_read(tmp_path: Path) -> None:
    path = _tree(tmp_path, "pipe.json")
    os.mkfifo(path.parent / "pipe.json")  # opening it would block forever
    with pytest.raises(HubtoolError, match="no such file"):
        load_spec(path)


def test_relative_refs_resolve_against_the_file_that_holds_them(tmp_path: Path) -> None:
    """Percent-encoded fragments (``~1%7Bid%7D``), a link inside the tree, a YAML file."""
    files = {
        "paths/things.json": {"get": {"$ref": "../ops/list.json"}},
        "ops/list.json": {
            "operationId": "listThings",
            "parameters": [{"$ref": "../shared/params.json#/paths/~1x~1%7Bid%7D/limit"}],
        },
        "shared/params.json": {
            "paths": {"/x/{id}": {"limit": {"name": "limit", "in": "query",
                                            "schema": {"$ref": "#/defs/count"}}}},
            "defs": {"count": {"type": "integer", "maximum": 50}},
        },
    }  # fmt: skip
    path = _tree(tmp_path, "#/unused", files)
    os.symlink(path.parent / "paths/things.json", path.parent / "paths/linked.json")
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "T"},
        "paths": {"/things": {"$ref": "paths/linked.json"}},
    }
    path.write_text(json.dumps(spec), encoding="utf-8")
    op = load_spec(path).by_id["listThings"]
    assert op.parameter("query", "limit") == {
        "name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 50}
    }  # fmt: skip


def test_a_ref_cycle_across_files_ends_with_an_error(tmp_path: Path) -> None:
    files = {"a.json": {"p": {"$ref": "b.json#/p"}}, "b.json": {"p": {"$ref": "a.json#/p"}}}
    path = _tree(tmp_path, "a.json#/p", files)
    with pytest.raises(HubtoolError, match="chain too deep"):
        load_spec(path)


def test_a_recursive_schema_across_files_is_cut(tmp_path: Path) -> None:
    node = {"type": "object", "properties": {"child": {"$ref": "node.json"}}}
    files = {"node.json": node, "p.json": {"name": "n", "in": "query", "schema": node}}
    op = load_spec(_tree(tmp_path, "p.json", files)).by_id["listThings"]
    child = op.parameters[0]["schema"]["properties"]["child"]
    assert child["properties"]["child"] == {}  # the second visit of node.json is "any value"


def test_a_fan_out_across_files_is_refused(tmp_path: Path) -> None:
    """Ten files, each referring ten times to the next: 10^10 objects if expanded."""
    files = {f"f{i}.json": [{"$ref": f"f{i + 1}.json"}] * 10 for i in range(10)}
    files["f10.json"] = {"type": "string"}
    files["p.json"] = {"name": "n", "in": "query", "schema": {"$ref": "f0.json"}}
    with pytest.raises(HubtoolError, match="expands to more than"):
        load_spec(_tree(tmp_path, "p.json", files))


def test_a_not_openapi_document_names_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"swagger": "1.2", "paths": {}}', encoding="utf-8")
    with pytest.raises(HubtoolError, match=r"not an OpenAPI 3\.x document.*nor a Swagger 2\.0"):
        load_spec(path)


# --- what the provider requires (issue 12, item 2) --------------------------------------------

GITHUB = "https://api.github.com/"
_ISSUE = _body({"title": {"type": "string", "maxLength": 256}}, ["title"])


def _github_errors(doc: Document) -> list[tuple[str, str, str]]:
    findings = check_upstream(doc, _spec("github"))
    return [(f.rule, f.pointer, f.message) for f in findings if f.severity == "error"]


def _issue_action(path: str = "/repos/{owner}/{repo}/issues", body: Any = _ISSUE) -> Document:
    doc = _manifest(GITHUB, "POST", path, body, {"title": "x"})
    data = copy.deepcopy(doc.data)
    data["actionTemplates"][0]["inputs"]["parameters"] = [
        {"name": n, "in": "path", "required": True, "description": n,
         "schema": {"type": "string", "maxLength": 100}}
        for n in ("owner", "repo")
    ]  # fmt: skip
    if body is None:
        del data["actionTemplates"][0]["inputs"]["body"]
        data["actionTemplates"][0]["requestBodyMode"] = "none"
    parsed = parse(json.dumps(data, indent=2), "manifest.json")
    assert isinstance(parsed, Document)
    return parsed


def test_a_correct_issue_creation_has_no_requirement_errors() -> None:
    assert _github_errors(_issue_action()) == []


def test_swapped_placeholders_are_an_error() -> None:
    [(rule, pointer, message)] = _github_errors(_issue_action("/repos/{repo}/{owner}/issues"))
    assert (rule, pointer) == ("upstream-path-params", "/actionTemplates/0/path")
    assert "placeholders {repo}, {owner} are not in" in message
    assert "order {owner}, {repo} (/repos/{owner}/{repo}/issues)" in message


def test_a_missing_required_body_field_is_an_error() -> None:
    body = _body({"body": {"type": "string", "maxLength": 9}}, [])
    [(rule, pointer, message)] = _github_errors(_issue_action(body=body))
    assert (rule, pointer) == ("upstream-body", "/actionTemplates/0/inputs/body")
    assert "lacks 'title', which" in message
    optional = _body({"title": {"type": "string", "maxLength": 9}}, [])
    [(rule, pointer, message)] = _github_errors(_issue_action(body=optional))
    assert pointer == "/actionTemplates/0/inputs/body/properties/title"
    assert "list it in required" in message


def test_a_post_without_its_required_body_is_an_error() -> None:
    [(rule, _, message)] = _github_errors(_issue_action(body=None))
    assert rule == "upstream-body" and "requires a JSON request body" in message


def test_a_missing_required_query_parameter_is_an_error() -> None:
    doc = _manifest(GITHUB, "GET", "/search/issues", {}, {})
    data = copy.deepcopy(doc.data)
    action = data["actionTemplates"][0]
    del action["inputs"]["body"]
    action.update(requestBodyMode="none", examples=[])
    action["inputs"]["parameters"] = [{"name": "per_page", "in": "query", "description": "n",
                                       "schema": {"type": "integer", "maximum": 100}}]  # fmt: skip
    parsed = parse(json.dumps(data, indent=2), "manifest.json")
    assert isinstance(parsed, Document)
    [(rule, _, message)] = _github_errors(parsed)
    assert rule == "upstream-query" and "requires query parameter 'q'" in message
    action["inputs"]["parameters"].append(
        {"name": "q", "in": "query", "description": "q", "schema": {"type": "string"}}
    )
    parsed = parse(json.dumps(data, indent=2), "manifest.json")
    assert isinstance(parsed, Document)
    [(rule, pointer, message)] = _github_errors(parsed)
    assert pointer.endswith("/parameters/1") and "mark it required" in message


def test_a_required_token_parameter_is_the_ports_to_send() -> None:
    """Slack requires ``token`` in the query: the port's authentication sends it, not the
    action, so its absence is no error."""
    doc = _manifest("https://slack.com/", "GET", "/api/admin.apps.approved.list", {}, {})
    data = copy.deepcopy(doc.data)
    action = data["actionTemplates"][0]
    del action["inputs"]["body"]
    action.update(requestBodyMode="none", examples=[])
    parsed = parse(json.dumps(data, indent=2), "manifest.json")
    assert isinstance(parsed, Document)
    findings = check_upstream(parsed, _spec("slack"))
    assert [f.message for f in findings if f.severity == "error"] == []


def test_scaffold_and_check_upstream_read_31_const_enums_alike() -> None:
    """Discord's ``type`` query parameter is ``oneOf`` of ``const``: scaffold writes the enum,
    and check-upstream accepts what scaffold wrote."""
    from hubtool.upstream.scaffold import scaffold

    spec = _spec("discord")
    action = scaffold(spec, "list_message_reactions_by_emoji").action
    [param] = [p for p in action["inputs"]["parameters"] if p["name"] == "type"]
    assert param["schema"]["enum"] == [0, 1]
    data = copy.deepcopy(BASE_MANIFEST)
    data["portTemplates"][0]["baseUrl"] = "https://discord.com/"
    data["actionTemplates"] = [action]
    doc = parse(json.dumps(data, indent=2), "manifest.json")
    assert isinstance(doc, Document)
    errors = [f.message for f in check_upstream(doc, spec, examples=True) if f.severity == "error"]
    assert errors == []
    param["schema"]["enum"] = [0, 1, 2]
    doc = parse(json.dumps(data, indent=2), "manifest.json")
    assert isinstance(doc, Document)
    errors = [f.message for f in check_upstream(doc, spec) if f.severity == "error"]
    assert len(errors) == 1 and "2 is not accepted" in errors[0]


def test_a_nullable_enum_takes_null() -> None:
    from hubtool.upstream.compatible import type_problems

    theirs = {"type": "string", "enum": ["a", "b"], "nullable": True}
    assert list(type_problems({"type": ["string", "null"], "enum": ["a", None]}, theirs)) == []
    closed = {"type": "string", "enum": ["a", "b"]}
    assert "None is not accepted" in next(iter(type_problems({"enum": ["a", None]}, closed)))[0]


def test_a_spec_split_into_files_reads_as_the_single_file(tmp_path: Path) -> None:
    """Differential: Discord's spec, its path items moved to ``paths/items.json`` and referred
    to with percent-encoded pointers (``#/~1channels~1%7Bchannel_id%7D``), their component
    refs pointing back into the root file, reads into the same operations as the original."""
    original = json.loads(shared_file(f"{PROVIDERS}/{SPECS['discord'][0]}").read_text("utf-8"))
    items = json.loads(
        json.dumps(original["paths"]).replace('"#/components/', '"../openapi.json#/components/')
    )
    (tmp_path / "paths").mkdir()
    (tmp_path / "paths" / "items.json").write_text(json.dumps(items), encoding="utf-8")
    split = dict(original)
    split["paths"] = {
        route: {"$ref": "paths/items.json#/" + _encoded(route)} for route in original["paths"]
    }
    (tmp_path / "openapi.json").write_text(json.dumps(split), encoding="utf-8")
    assert load_spec(tmp_path / "openapi.json").operations == _spec("discord").operations


def _encoded(route: str) -> str:
    """A JSON pointer token, percent-encoded as a URI fragment (RFC 6901, section 6)."""
    from urllib.parse import quote

    return quote(route.replace("~", "~0").replace("/", "~1"), safe="~")
