"""The configuration's shipped JSON Schema: every problem at once, did-you-mean; and the
action-examples-missing rule (warning in validate, error in ci) with the scaffold's example
built from the parameter schemas."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from hubtool.core.errors import HubtoolError
from hubtool.core.inputs import input_schema, value_problems
from hubtool.core.registry import BASE_MANIFEST
from hubtool.core.secrets import redact_text
from hubtool.registry import RULES
from hubtool.upstream.scaffold.generated import schema_example
from hubtool.validate.config.parse import parse_config
from hubtool.validate.config.schemacheck import SCHEMA_PATH, config_schema

REPO = Path(__file__).resolve().parents[2]
MANY = """severity:
  typed-querry: error
  no-secret-values: off
waviers: []
waivers:
  - rule: typed-query
    file: x.json
    pointer: nope
    reason: ""
allowlist:
  - fingerprint: md5:1
    reason: r
reads: 3
"""


def problems(text: str, tmp_path: Path) -> list[str]:
    with pytest.raises(HubtoolError) as caught:
        parse_config(text.encode(), tmp_path / ".hubtool.yaml", rules=RULES)
    return [caught.value.message, *caught.value.details]


def test_the_schema_is_draft_2020_12_and_shipped() -> None:
    Draft202012Validator.check_schema(config_schema())
    assert config_schema()["$schema"].endswith("/2020-12/schema")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"hubtool.validate.config" = ["*.json"]' in pyproject
    assert SCHEMA_PATH.parent.name == "config"


def test_this_repository_config_is_valid_against_the_schema() -> None:
    import yaml

    data = yaml.safe_load((REPO / ".hubtool.yaml").read_text(encoding="utf-8"))
    for entry in data.get("waivers", []) + data.get("reads", []):
        entry.update({k: v.isoformat() for k, v in entry.items() if k == "expires"})
    assert list(Draft202012Validator(config_schema()).iter_errors(data)) == []


def test_every_problem_is_reported_by_line(tmp_path: Path) -> None:
    found = problems(MANY, tmp_path)
    lines = [int(text.split(":")[1]) for text in found]
    assert lines == sorted(lines) and len(found) == 7, found
    joined = "\n".join(found)
    for words in (
        "unknown rule 'typed-querry' (see 'hubtool rules'); did you mean 'typed-query'?",
        "severity of no-secret-values cannot be lowered",
        "unknown key 'waviers'; use 'severity', 'waivers', 'allowlist' and 'reads'; "
        "did you mean 'waivers'?",
        "pointer must be a JSON pointer",
        "the waiver needs a non-empty 'reason'",
        "fingerprint must be sha256:",
        "'reads' must be a list",
    ):
        assert words in joined, (words, found)
    assert all(text.startswith(f"{tmp_path / '.hubtool.yaml'}:") for text in found)


def test_a_waiver_rule_gets_a_did_you_mean(tmp_path: Path) -> None:
    text = "waivers:\n  - rule: bounded-pth\n    file: x.json\n    pointer: /a\n    reason: r\n"
    (found,) = problems(text, tmp_path)
    assert "unknown rule 'bounded-pth'" in found and "did you mean 'bounded-path'?" in found


def test_a_broken_waiver_still_has_its_rule_judged(tmp_path: Path) -> None:
    text = "waivers:\n  - rule: bounded-pth\n    file: x.json\n    pointer: /a\n    reason: ''\n"
    found = problems(text, tmp_path)
    assert len(found) == 2 and "did you mean 'bounded-path'?" in "".join(found), found


def test_an_unknown_entry_key_far_from_any_gets_no_guess(tmp_path: Path) -> None:
    text = (
        "waivers:\n  - rule: schema\n    file: x\n    pointer: /a\n    reason: r\n    owner: me\n"
    )
    (found,) = problems(text, tmp_path)
    assert "a waiver has the keys" in found and "did you mean" not in found


# --- action-examples-missing and the scaffold's schema example -----------------------------


def test_no_example_is_a_warning_in_validate(tmp_path: Path) -> None:
    from hubtool.validate.pipeline import validate

    data = copy.deepcopy(BASE_MANIFEST)
    del data["actionTemplates"][0]["examples"]
    data["actionTemplates"][1]["examples"] = []
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    found = [(f.rule, f.severity, f.pointer) for f in validate([path]).findings]
    assert found == [
        ("action-examples-missing", "warning", "/actionTemplates/0"),
        ("action-examples-missing", "warning", "/actionTemplates/1/examples"),
    ]
    assert RULES["action-examples-missing"].ci_severity == "error"


ACTION = {
    "slug": "get-thing",
    "method": "POST",
    "path": "/v1/things/{id}",
    "requestBodyMode": "json",
    "inputs": {
        "parameters": [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": "^[0-9]+$", "maxLength": 20},
            },
            {
                "name": "since",
                "in": "query",
                "required": True,
                "schema": {"type": "string", "format": "date-time"},
            },
            {"name": "page", "in": "query", "schema": {"type": "integer"}},
            {"name": "kind", "in": "query", "required": True, "schema": {"enum": ["a", "b"]}},
        ],
        "body": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "tags", "size"],
            "properties": {
                "name": {"type": "string", "minLength": 10, "maxLength": 12},
                "tags": {"type": "array", "minItems": 2, "items": {"type": "string"}},
                "size": {"type": "integer", "exclusiveMinimum": 4, "maximum": 9},
                "note": {"type": "string"},
            },
        },
    },
}


def test_the_schema_example_validates_and_is_clean() -> None:
    example = schema_example(ACTION)
    assert example is not None and example["name"] == "schema-example"
    data = example["input"]
    assert value_problems(input_schema(ACTION), data) == []
    assert "page" not in data["query"] and data["query"]["kind"] == "a"
    assert data["path"]["id"].isdigit() and data["body"]["size"] == 5
    assert redact_text(json.dumps(data)) == json.dumps(data)


def test_no_schema_example_when_no_simple_value_fits() -> None:
    action = copy.deepcopy(ACTION)
    action["inputs"]["parameters"][0]["schema"] = {"type": "string", "pattern": "^zz[0-9]{40}$"}
    assert schema_example(action) is None
    deep: dict = {"type": "object", "required": ["a"], "properties": {}}
    node = deep
    for _ in range(50):
        node["properties"]["a"] = {"type": "object", "required": ["a"], "properties": {}}
        node = node["properties"]["a"]
    assert schema_example({**ACTION, "inputs": {"body": deep}}) is None


def test_no_example_is_an_error_in_ci_and_a_config_still_decides(tmp_path: Path) -> None:
    from conftest import run_cli
    from gitrepo import RELPATH, commit, git_env, init, sentry, write

    repo = init(tmp_path / "repo")
    data = sentry()
    del data["actionTemplates"][0]["examples"]
    write(repo, data)
    commit(repo, "an action without an example")

    def severities(*args: str) -> list[str]:
        result = run_cli(*args, "--format", "json", cwd=repo, env=git_env())
        assert result.returncode in (0, 1), result.stderr
        findings = json.loads(result.stdout)["findings"]
        return [f["severity"] for f in findings if f["rule"] == "action-examples-missing"]

    assert severities("validate", RELPATH) == ["warning"]
    assert severities("ci", "--base", "HEAD", "--all") == ["error"]
    (repo / ".hubtool.yaml").write_text("severity:\n  action-examples-missing: warning\n")
    commit(repo, "configured")
    assert severities("ci", "--base", "HEAD", "--all") == ["warning"]


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Things", "version": "1"},
    "servers": [{"url": "https://api.things.example/"}],
    "paths": {
        "/v1/things/{thing_id}": {
            "get": {
                "operationId": "getThing",
                "summary": "Get a thing",
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    },
                    {
                        "name": "view",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "enum": ["full", "short"]},
                    },
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def test_a_scaffolded_action_without_spec_examples_carries_one(tmp_path: Path) -> None:
    """Built from the schemas, valid for the action and for the provider (uuid format), and the
    manifest it goes into has no action-examples-missing finding."""
    from hubtool.upstream.contract import check_upstream
    from hubtool.upstream.openapi import load_spec
    from hubtool.upstream.scaffold import scaffold
    from hubtool.validate.pipeline import validate

    path = tmp_path / "things.json"
    path.write_text(json.dumps(SPEC), encoding="utf-8")
    spec = load_spec(path)
    action = scaffold(spec, "getThing").action
    (example,) = action["examples"]
    assert example["name"] == "schema-example"
    assert value_problems(input_schema(action), example["input"]) == []
    (value,) = example["input"]["path"].values()
    assert value == "00000000-0000-4000-8000-000000000000"  # the provider's format kept
    assert example["input"]["query"] == {"view": "full"}
    data = copy.deepcopy(BASE_MANIFEST)
    data["actionTemplates"] = [action]
    data["portTemplates"][0]["baseUrl"] = "https://api.things.example/"
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert [f.rule for f in validate([manifest]).findings] == []
    from hubtool.load.strict import Document, parse

    doc = parse(manifest.read_text(encoding="utf-8"), "m.json")
    assert isinstance(doc, Document)
    found = check_upstream(doc, spec, examples=True)
    assert [f for f in found if f.rule == "upstream-examples"] == []
