"""Hostile patterns: one ECMA-262 dialect everywhere, bounded matching, no ReDoS, linear schemas.

Issue 9 items 3, 8, 9 and the schema-engine part of 10; issue 17 item 2. Each case asserts the
exit code, the rule and the pointer, and a time bound well under the 2 s the issue allows.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SENTRY, run_cli, shared_file

from hubtool.core import ecma
from hubtool.core.inputs import format_checker, value_problems
from hubtool.core.registry import BASE_MANIFEST, BASE_OPENAPI
from hubtool.core.schema import validator_class
from hubtool.validate.pipeline import validate

MIB = 1 << 20
QUERY = "/actionTemplates/0/inputs/parameters"
PATH_PARAM = "/actionTemplates/1/inputs/parameters/0"
SENTRY_SPEC = "data/sentry/openapi-derefed.json"


def _findings(path: Path) -> tuple[int, list[dict[str, Any]], float]:
    """(exit code, findings, seconds) of validating ``path`` in process (the CLI's verdict)."""
    start = time.monotonic()
    report = validate([path])
    elapsed = time.monotonic() - start
    findings = [
        {"rule": f.rule, "pointer": f.pointer, "message": f.message} for f in report.findings
    ]
    return (1 if report.failed() else 0), findings, elapsed


def _cli_findings(path: Path) -> tuple[int, list[dict[str, Any]], float]:
    """The same through ``hubtool validate --format json``, as CI runs it."""
    start = time.monotonic()
    result = run_cli("validate", str(path), "--format", "json")
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.stderr and "internal error" not in result.stdout
    return result.returncode, json.loads(result.stdout)["findings"], elapsed


def _write(tmp_path: Path, manifest: dict[str, Any]) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return path


def _with_query(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """BASE_MANIFEST with a query parameter ``q`` of ``schema`` on the first action."""
    manifest = copy.deepcopy(BASE_MANIFEST)
    param = {"name": "q", "in": "query", "schema": schema, "description": "Search."} | extra
    manifest["actionTemplates"][0]["inputs"]["parameters"].append(param)
    return manifest


def _with_example(manifest: dict[str, Any], value: Any) -> dict[str, Any]:
    manifest["actionTemplates"][0]["examples"].append(
        {"name": "hostile", "input": {"query": {"q": value}}}
    )
    return manifest


def _at(findings: list[dict[str, Any]], rule: str) -> set[str]:
    return {f["pointer"] for f in findings if f["rule"] == rule}


# --- issue 9 item 3: the manifest schema's own patterns are ECMA-262 ---------------------------


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("/portTemplates/0/authHeaderName", "Authorization\n"),
        ("/slug", "sentry-api\n"),
        ("/tags/0", "sentry\n"),
        ("/portTemplates/0/authTokenPrefix", "Bearer\n"),
    ],
    ids=["auth-header", "slug", "tag", "token-prefix"],
)
def test_trailing_newline_fails_the_schemas_own_patterns(
    tmp_path: Path, sentry_data: dict, pointer: str, value: str
) -> None:
    parts = pointer.strip("/").split("/")
    target: Any = sentry_data
    for part in parts[:-1]:
        target = target[int(part) if part.isdigit() else part]
    target[int(parts[-1]) if parts[-1].isdigit() else parts[-1]] = value
    code, findings, elapsed = _cli_findings(_write(tmp_path, sentry_data))
    assert code == 1 and elapsed < 30
    assert pointer in _at(findings, "schema")


# --- issue 9 item 8: dialect ---------------------------------------------------------------------


def _path_pattern(pattern: str) -> dict[str, Any]:
    manifest = copy.deepcopy(BASE_MANIFEST)
    manifest["actionTemplates"][1]["inputs"]["parameters"][0]["schema"] = {
        "type": "string",
        "pattern": pattern,
        "maxLength": 40,
    }
    manifest["actionTemplates"][1]["examples"][0]["input"]["path"]["widgetId"] = "abc"
    return manifest


def test_python_end_anchor_in_a_path_pattern_is_invalid(tmp_path: Path) -> None:
    code, findings, _ = _cli_findings(_write(tmp_path, _path_pattern(r"^[a-z0-9]+\Z")))
    assert code == 1
    assert _at(findings, "valid-pattern") == {f"{PATH_PARAM}/schema/pattern"}
    assert not ecma.compiles(r"^[a-z0-9]+\Z")
    assert ecma.search(r"^[a-z0-9]+\Z", "abcZ/../admin") is None


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        (r"^\d{1,6}$", "١٢٣"),  # Arabic-Indic digits: Python's \d, not ECMA's
        (r"^[a-z0-9]{1,20}$", "abc\n"),  # Python's $ before a final newline
        (r"^\w{1,20}$", "héllo"),  # Unicode word characters
        (r"^\s$", "\x1c"),  # Python's \s holds U+001C..U+001F; ECMA's does not
        (r"^[a-z]+$", "abc\u212a"),  # Kelvin sign: no case folding without i
    ],
    ids=["arabic-digits", "trailing-newline", "unicode-word", "file-separator", "kelvin"],
)
def test_example_checked_in_ecma_semantics(tmp_path: Path, pattern: str, value: str) -> None:
    manifest = _with_example(
        _with_query({"type": "string", "pattern": pattern, "maxLength": 40}), value
    )
    code, findings, elapsed = _findings(_write(tmp_path, manifest))
    assert code == 1 and elapsed < 10
    assert _at(findings, "examples-valid") == {"/actionTemplates/0/examples/1/input/query/q"}


def test_ecma_whitespace_holds_the_byte_order_mark(tmp_path: Path) -> None:
    manifest = _with_example(
        _with_query({"type": "string", "pattern": r"^\s$", "maxLength": 4}), "\ufeff"
    )
    code, findings, _ = _findings(_write(tmp_path, manifest))
    assert "examples-valid" not in {f["rule"] for f in findings}, findings
    assert code == 0


def test_render_refuses_a_trailing_newline(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hubtool", "render", str(SENTRY), "list-projects", "--input", "-"],
        input=json.dumps({"path": {"organizationIdOrSlug": "acme\n"}}),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        env={"HUBTOOL_STORE": str(tmp_path / "none" / "s.sqlite3"), "PATH": "/usr/bin:/bin"}
        | {"PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert "%0A" not in output and "GET " not in output
    assert "/path/organizationIdOrSlug" in output


@pytest.mark.parametrize(
    "pattern",
    [
        r"\Aabc$",
        r"^abc\Z",
        r"^abc\z",
        r"^(?P<n>[a-z]+)$",
        r"^(?P<n>a)(?P=n)$",
        r"(?i)^abc$",
        r"^(?x) a b c $",
        r"^a{,3}$",
        r"^[a-z+$",
        r"^\q$",
        r"^a{4294967296}$",
        r"^a{99999999999999999999}$",
        r"^(a)\1$",
        r"^(?<n>a)\k<n>$",
        r"^a(?=b)",
        r"^(?<!a)b$",
        r"^[]$",
    ],
)
def test_python_only_or_unboundable_patterns_are_invalid(tmp_path: Path, pattern: str) -> None:
    manifest = _with_query({"type": "string", "pattern": pattern, "maxLength": 40}, default="abc")
    manifest = _with_example(manifest, "aaa")
    code, findings, elapsed = _findings(_write(tmp_path, manifest))
    assert code == 1 and elapsed < 10
    assert _at(findings, "valid-pattern") == {f"{QUERY}/1/schema/pattern"}
    assert "defaults-valid" not in {f["rule"] for f in findings}


# --- issue 17 item 2: huge repetition counts never crash -----------------------------------------


@pytest.mark.parametrize("where", ["default", "example"])
def test_huge_repetition_count_is_a_finding(tmp_path: Path, where: str) -> None:
    schema = {"type": "string", "pattern": "^a{4294967296}$", "maxLength": 40}
    manifest = _with_query(schema, default="a") if where == "default" else _with_query(schema)
    if where == "example":
        _with_example(manifest, "a")
    code, findings, _ = _cli_findings(_write(tmp_path, manifest))
    assert code == 1
    assert [f["rule"] for f in findings] == ["valid-pattern"]
    assert findings[0]["pointer"] == f"{QUERY}/1/schema/pattern"


def _spec_with_pattern(pattern: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.0",
        "info": {"title": "Acme", "version": "1"},
        "paths": {
            "/v1/widgets": {
                "get": {
                    "operationId": "listWidgets",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {"type": "string", "pattern": pattern},
                        },
                    ],
                }
            }
        },
    }


@pytest.mark.parametrize("pattern", ["^a{4294967296}$", "^(a+)+$", r"\Z"])
def test_check_upstream_examples_with_a_hostile_provider_pattern(
    tmp_path: Path, pattern: str
) -> None:
    manifest = _with_example(_with_query({"type": "string", "maxLength": 40}), "a" * 30 + "!")
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec_with_pattern(pattern)), encoding="utf-8")
    start = time.monotonic()
    result = run_cli(
        "check-upstream", str(_write(tmp_path, manifest)), "--openapi", str(spec), "--examples"
    )
    assert time.monotonic() - start < 10
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert (
        "Traceback" not in result.stderr and "internal error" not in result.stdout + result.stderr
    )


# A provider pattern hubtool cannot run leaves the example unchecked: that is said, never
# silent (issue 17 item 2, review). Sentry's path parameter, the reference manifest's examples.
UNCHECKABLE = {
    "lookahead": ("^(?!acme)[a-z]+$", "lookaround"),
    "lookbehind": ("^[a-z]+(?<!e)$", "lookaround"),
    "backreference": (r"^(a)\1$", "back-references"),
    "named-backreference": (r"^(?<n>a)\k<n>$", "back-references"),
    "huge-count": ("^a{4294967296}$", "linear-time matcher"),
    "reversed-range": ("^[z-a]$", "not an ECMA-262 regular expression"),
    "unclosed-class": ("^[a-z", "not an ECMA-262 regular expression"),
    "python-only-group": ("^(?P<x>a)$", "not an ECMA-262 regular expression"),
}


def _sentry_spec_with_org_pattern(tmp_path: Path, pattern: str) -> Path:
    """Sentry's spec with ``pattern`` on every ``organization_id_or_slug`` path parameter."""
    spec = json.loads(shared_file(SENTRY_SPEC).read_text(encoding="utf-8"))
    for operations in spec["paths"].values():
        for operation in operations.values():
            for param in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if param.get("name") == "organization_id_or_slug":
                    param["schema"] = {"type": "string", "pattern": pattern}
    path = tmp_path / "sentry-spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def _org_example_pointers() -> set[str]:
    manifest = json.loads(SENTRY.read_text(encoding="utf-8"))
    return {
        f"/actionTemplates/{i}/examples/{k}/input/path/organizationIdOrSlug"
        for i, action in enumerate(manifest["actionTemplates"])
        for k, example in enumerate(action.get("examples", []))
        if "organizationIdOrSlug" in example["input"].get("path", {})
    }


def _check_sentry(spec: Path) -> tuple[int, list[dict[str, Any]], float]:
    start = time.monotonic()
    result = run_cli(
        "check-upstream", str(SENTRY), "--openapi", str(spec), "--examples", "--format", "json"
    )
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stdout + result.stderr
    found = json.loads(result.stdout)["findings"]
    return result.returncode, [f for f in found if f["rule"] == "upstream-examples"], elapsed


@pytest.mark.parametrize(("pattern", "reason"), UNCHECKABLE.values(), ids=UNCHECKABLE.keys())
def test_provider_pattern_that_cannot_be_run_is_reported(
    tmp_path: Path, pattern: str, reason: str
) -> None:
    code, found, elapsed = _check_sentry(_sentry_spec_with_org_pattern(tmp_path, pattern))
    assert elapsed < 20
    assert code == 0  # a warning: the example may be right, hubtool cannot tell
    assert {f["pointer"] for f in found} == _org_example_pointers()
    for f in found:
        assert f["severity"] == "warning"
        assert "could not be checked against Sentry's pattern" in f["message"]
        assert reason in f["message"] and repr(pattern) in f["message"]


def test_provider_redos_pattern_still_rejects_the_example(tmp_path: Path) -> None:
    code, found, elapsed = _check_sentry(_sentry_spec_with_org_pattern(tmp_path, "^(a+)+$"))
    assert elapsed < 20
    assert code == 1
    assert {f["pointer"] for f in found} == _org_example_pointers()
    assert all(f["severity"] == "error" and "does not match" in f["message"] for f in found)


def test_provider_pattern_the_example_matches_is_silent(tmp_path: Path) -> None:
    code, found, _ = _check_sentry(_sentry_spec_with_org_pattern(tmp_path, "^[a-z]+$"))
    assert (code, found) == (0, [])


def test_unchecked_provider_pattern_in_a_body_and_a_query(tmp_path: Path) -> None:
    """Body properties and query values are reported like path values, once per pattern."""
    spec = copy.deepcopy(BASE_OPENAPI)
    body = spec["paths"]["/v1/widgets/{widgetId}"]["patch"]["requestBody"]
    body["content"]["application/json"]["schema"]["properties"]["name"]["pattern"] = "^(?=S)"
    limit = spec["paths"]["/v1/widgets"]["get"]["parameters"][0]
    limit["schema"] = {"type": ["integer", "string"], "pattern": "(a)\\1"}
    manifest = copy.deepcopy(BASE_MANIFEST)
    manifest["actionTemplates"][0]["examples"][0]["input"]["query"]["limit"] = "10"
    manifest["actionTemplates"][0]["inputs"]["parameters"][0]["schema"] = {
        "type": "string",
        "maxLength": 3,
    }
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    result = run_cli(
        "check-upstream",
        str(_write(tmp_path, manifest)),
        "--openapi",
        str(spec_path),
        "--examples",
        "--format",
        "json",
    )
    assert "Traceback" not in result.stderr, result.stderr
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "upstream-examples"]
    unchecked = {f["pointer"] for f in found if "could not be checked" in f["message"]}
    assert unchecked == {
        "/actionTemplates/0/examples/0/input/query/limit",
        "/actionTemplates/1/examples/0/input/body",
    }


# patternProperties and additionalProperties match keys in ECMA-262 too (jsonschema uses
# Python's re there: a 30-character key against ^(a+)+$ took minutes).
@pytest.mark.parametrize("pattern", ["^(a+)+$", "^(a|aa)*$", "(\\d*)*x"])
def test_pattern_properties_key_matching_is_linear(tmp_path: Path, pattern: str) -> None:
    manifest = copy.deepcopy(BASE_MANIFEST)
    manifest["actionTemplates"][1]["inputs"]["body"]["patternProperties"] = {
        pattern: {"type": "string", "maxLength": 5}
    }
    key = "a" * 40 + "!" if "a" in pattern else "1" * 40 + "!"
    manifest["actionTemplates"][1]["examples"][0]["input"]["body"][key] = "x"
    code, findings, elapsed = _findings(_write(tmp_path, manifest))
    assert elapsed < 2
    assert code == 1
    assert "/actionTemplates/1/inputs/body/patternProperties" in _at(findings, "schema")
    assert f"/actionTemplates/1/examples/0/input/body/{key}" in _at(findings, "examples-valid")


@pytest.mark.parametrize("keyword", ["additionalProperties", "unevaluatedProperties"])
def test_unevaluated_and_additional_keys_are_matched_linearly(keyword: str) -> None:
    schema = {"type": "object", "patternProperties": {"^(a+)+$": {}}, keyword: False}
    start = time.process_time()
    found = value_problems(schema, {"a" * 64 + "!": 1, "aaa": 2})
    assert time.process_time() - start < 2
    assert len(found) == 1
    assert value_problems(schema, {"aaa": 2}) == []


@pytest.mark.parametrize(
    ("schema", "value", "rejected"),
    [
        ({"patternProperties": {"^x-": {"type": "integer"}}}, {"x-a": "s"}, True),
        ({"patternProperties": {"^x-": {"type": "integer"}}}, {"y-a": "s"}, False),
        ({"patternProperties": {"^x-$": {"type": "integer"}}}, {"x-\n": "s"}, False),
        ({"patternProperties": {"^x-": {}}, "additionalProperties": False}, {"x-a": 1}, False),
        (
            {"patternProperties": {"^x-": {}}, "additionalProperties": False},
            {"x-a": 1, "y": 2},
            True,
        ),
        ({"patternProperties": {"^\\d$": {}}, "additionalProperties": False}, {"\u0661": 1}, True),
        ({"patternProperties": {"^(?=x)": {}}, "additionalProperties": False}, {"y": 1}, False),
        ({"additionalProperties": {"type": "integer"}}, {"a": "s"}, True),
    ],
)
def test_pattern_properties_in_ecma_semantics(schema: dict, value: dict, rejected: bool) -> None:
    assert bool(value_problems({"type": "object", **schema}, value)) is rejected


def test_unchecked_provider_pattern_property(tmp_path: Path) -> None:
    spec = copy.deepcopy(BASE_OPENAPI)
    body = spec["paths"]["/v1/widgets/{widgetId}"]["patch"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    schema.update(patternProperties={"^(?!z)": {"type": "string"}}, additionalProperties=False)
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    manifest = _write(tmp_path, copy.deepcopy(BASE_MANIFEST))
    result = run_cli(
        "check-upstream",
        str(manifest),
        "--openapi",
        str(spec_path),
        "--examples",
        "--format",
        "json",
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stdout
    [found] = json.loads(result.stdout)["findings"]
    assert (found["rule"], found["pointer"]) == (
        "upstream-examples",
        "/actionTemplates/1/examples/0/input/body",
    )
    assert "could not be checked against Acme's pattern '^(?!z)'" in found["message"]


# --- issue 9 item 9: ReDoS ----------------------------------------------------------------


@pytest.mark.parametrize("where", ["default", "example"])
def test_redos_pattern_is_a_finding_and_matching_is_instant(tmp_path: Path, where: str) -> None:
    schema = {"type": "string", "pattern": "^(a+)+$", "maxLength": 40}
    hostile = "a" * 30 + "!"
    manifest = _with_query(schema, default=hostile) if where == "default" else _with_query(schema)
    if where == "example":
        _with_example(manifest, hostile)
    code, findings, elapsed = _cli_findings(_write(tmp_path, manifest))
    assert code == 1 and elapsed < 30
    assert _at(findings, "safe-pattern") == {f"{QUERY}/1/schema/pattern"}
    rule = "defaults-valid" if where == "default" else "examples-valid"
    expected = (
        f"{QUERY}/1/default"
        if where == "default"
        else "/actionTemplates/0/examples/1/input/query/q"
    )
    assert _at(findings, rule) == {expected}


EXPONENTIAL = [
    r"^(a+)+$",
    r"^(a*)*$",
    r"(\d+)*$",
    r"^(a|a)*$",
    r"^(a|aa)*$",
    r"^(a|a?)+$",
    r"^(a*b*)*$",
    r"^(\w+\s?)*$",
    r"^([a-z0-9]+\.?)+[a-z]$",
    r"^(x+x+)+y$",
    r"^(a|a){1,40}$",
    r"^(.*a){12}$",
    r"^(a?){20}a{20}$",
    r"^((ab)*a?b?)*$",
    r"^(?:[a-z]|[a-c0-9])+$" + "|" + r"^(?:[a-z]|[a-c0-9])*$",
]
POLYNOMIAL = [
    r"\d*\d*\d*x",
    r"^\w+\d+$",
    r"a+.*a+",
    r".*.*=.*",
    r"^[a-z]+[a-z0-9]*x$",
    r"^\s*\S*\s*x$".replace(r"\S", "[^x]"),
]
SAFE = [
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    r"^[a-z0-9][a-z0-9-]{0,39}$",
    r"^https://[^\s]+$",
    r"^[0-9a-f]{7,64}$",
    r"^\d{1,3}(,\d{3})*$",
    r"^[a-z]+\d*$",
    r"^([a-z0-9]{1,20}\.){0,5}[a-z]{2,}$",
    r"^-?[0-9]{1,20}(\.[0-9]{1,6})?:[0-9]{1,9}:[01]$",
    r"^(?:[a-z]+|[0-9]+)$",
    r"^[^\s/]{1,64}$",
    r"^(a|ab)*c$",
]


@pytest.mark.parametrize("pattern", EXPONENTIAL + POLYNOMIAL)
def test_super_linear_patterns_are_safe_pattern_findings(tmp_path: Path, pattern: str) -> None:
    manifest = _with_query({"type": "string", "pattern": pattern, "maxLength": 40})
    code, findings, _ = _findings(_write(tmp_path, manifest))
    assert code == 1
    assert _at(findings, "safe-pattern") == {f"{QUERY}/1/schema/pattern"}
    kind = "exponential" if pattern in EXPONENTIAL else "polynomial"
    assert kind in next(f["message"] for f in findings if f["rule"] == "safe-pattern")


@pytest.mark.parametrize("pattern", SAFE)
def test_linear_patterns_pass(pattern: str) -> None:
    assert ecma.compile_error(pattern) is None
    assert ecma.backtracking_problem(pattern) is None


def test_every_pattern_of_the_reference_manifest_is_safe() -> None:
    text = SENTRY.read_text(encoding="utf-8")
    patterns = [json.loads('"' + p + '"') for p in _patterns_in(text)]
    assert len(patterns) >= 5
    for pattern in patterns:
        assert ecma.compile_error(pattern) is None, pattern
        assert ecma.backtracking_problem(pattern) is None, pattern


def _patterns_in(text: str) -> list[str]:
    import re

    return re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', text)


@pytest.mark.parametrize(
    "pattern",
    [
        "".join(chr(0x4E00 + i) + "*" for i in range(340))[:1024],
        "^(?:" + "|".join(chr(0x4E00 + i) for i in range(340)) + ")*$",
        "[a-z]*" * 170,
        "(" * 100 + "a" + ")*" * 100,
        "^" + "a?" * 500 + "$",
        "^" + ".?" * 500 + "$",
        "(" * 300 + ")" * 300,
    ],
    ids=[
        "disjoint-stars",
        "wide-alternation",
        "class-stars",
        "nested",
        "optionals",
        "dots",
        "deep",
    ],
)
def test_analysis_of_a_1024_character_pattern_is_bounded(pattern: str) -> None:
    ecma.parse.cache_clear()
    ecma.analysis._backtracking.cache_clear()
    ecma.compile_error.cache_clear()
    start = time.process_time()
    ecma.compile_error(pattern)
    ecma.backtracking_problem(pattern)
    ecma.anchored(pattern)
    ecma.can_match_any(pattern, "/")
    assert time.process_time() - start < 2


# --- analysis without CPython internals ------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^[a-z]+$", True),
        (r"^a|b$", False),
        (r"^(?:a|b)$", True),
        (r"(^a$)", True),
        (r"^a$|^b$", True),
        (r"(?m:^a$)", False),
        (r"^a", False),
        (r"a$", False),
        (r"(?:^)?a$", False),
    ],
)
def test_anchored(pattern: str, expected: bool) -> None:
    assert ecma.anchored(pattern) is expected


@pytest.mark.parametrize(
    ("pattern", "slash"),
    [
        (r"^[a-z0-9]+$", False),
        (r"^[^a]+$", True),
        (r"^.+$", True),
        (r"^\S+$", True),
        (r"^[\w-]+$", False),
        (r"^\x2f$", True),
        (r"^\u{2F}$", True),
        (r"^[!-0]$", True),
        (r"^a(?:/){0}$", False),
        (r"^\p{L}+$", True),  # over-approximated: any character
    ],
)
def test_can_match_slash(pattern: str, slash: bool) -> None:
    assert ecma.can_match_any(pattern, "/") is slash


def test_lengths() -> None:
    assert ecma.max_length(r"^[a-z]{1,20}$") == 20
    assert ecma.max_length(r"^[a-z]+$") is None
    assert ecma.min_length(r"^[a-z]{3,20}x$") == 4
    assert ecma.max_length(r"^\u{1F600}{2}$") == 2  # code points, as maxLength counts them
    assert ecma.max_length(r"^(?:ab|c)$") == 2 and ecma.min_length(r"^(?:ab|c)$") == 1


def test_word_boundary_is_ascii_as_in_ecma() -> None:
    assert ecma.search(r"a\b", "aé") is True
    assert ecma.search(r"\bé", "é") is False


def test_lone_surrogate_values_do_not_crash() -> None:
    assert ecma.search(r"^.$", "\ud800") is True
    assert ecma.search(r"^[a-z]$", "\ud800") is False


# --- 1 MiB per pathological shape ------------------------------------------------------------


def _timed(schema: dict[str, Any], value: Any) -> tuple[list[Any], float]:
    start = time.monotonic()
    found = value_problems(schema, value)
    return found, time.monotonic() - start


@pytest.mark.parametrize(
    "pattern", [r"^(a+)+$", r"^(a|aa)*$", r"\d*\d*\d*x", r"^(.*a){12}$", r"^(\w+\s?)*$"]
)
def test_one_mib_value_against_a_redos_pattern(pattern: str) -> None:
    count, elapsed = _engine_errors({"type": "string", "pattern": pattern}, "a" * MIB + "!")
    assert count == 1 and elapsed < 2


def _engine_errors(schema: dict[str, Any], value: Any) -> tuple[int, float]:
    """(errors, seconds) of the schema engine alone, before any message is written."""
    validator = validator_class()(schema, format_checker=format_checker())
    start = time.monotonic()
    count = sum(1 for _ in validator.iter_errors(value))
    return count, time.monotonic() - start


def test_one_mib_email() -> None:
    schema = {"type": "string", "format": "email"}
    # "a." repeated: quadratic for the old [^@\s]+@[^@\s]+\.[^@\s]+ (47 KB took seconds).
    for value in ("a@" + "a." * (MIB // 2) + " ", "@" * 3 + "x" * MIB, "a@" + "b" * MIB + " "):
        count, elapsed = _engine_errors(schema, value)
        assert count == 1 and elapsed < 2
    assert value_problems(schema, "ops@acme.example") == []
    assert len(value_problems(schema, "ops@acme")) == 1
    assert len(value_problems(schema, "ops@.example")) == 1
    assert len(value_problems(schema, "o ps@acme.example")) == 1


def test_one_mib_hostname_and_times() -> None:
    for fmt, value in [
        ("hostname", "a-" * (MIB // 2) + "."),
        ("date-time", "2024-01-01T00:00:00." + "0" * MIB),
        ("time", "00:00:00." + "0" * MIB),
    ]:
        count, elapsed = _engine_errors({"type": "string", "format": fmt}, value)
        assert count == 1 and elapsed < 2, fmt


def test_formats_take_ascii_digits_only() -> None:
    checker = format_checker()
    assert checker.conforms("2024-01-01T00:00:00Z", "date-time")
    assert not checker.conforms("٢٠٢٤-01-01T00:00:00Z", "date-time")
    assert not checker.conforms("١٢:00:00Z", "time")
    assert checker.conforms("api.acme.example", "hostname")
    assert not checker.conforms("api.acme.example\n", "hostname")


def test_enum_of_k_against_an_array_of_k_is_linear() -> None:
    k = 20_000  # ~0.7 MiB of JSON across the enum and the array (was minutes: pairwise)
    enum = [{"id": f"v{i}"} for i in range(k)]
    schema = {"type": "array", "items": {"enum": enum}}
    count, elapsed = _engine_errors(schema, [{"id": f"v{i}"} for i in range(k)])
    assert count == 0 and elapsed < 2
    count, elapsed = _engine_errors(schema, [{"id": f"w{i}"} for i in range(k)])
    assert count == k and elapsed < 4


@pytest.mark.parametrize(
    ("value", "enum", "ok"),
    [
        (1, [1.0], True),
        (1.0, [1], True),
        (True, [1], False),
        (1, [True], False),
        (0, [False], False),
        ({"b": 1, "a": [1, 2]}, [{"a": [1.0, 2], "b": 1}], True),
        ([1, 2], [[2, 1]], False),
        (None, [None], True),
        ("a", ["a", "b"], True),
        ("c", ["a", "b"], False),
    ],
)
def test_enum_keeps_json_equality(value: Any, enum: list[Any], ok: bool) -> None:
    validator = validator_class()({"enum": enum})
    assert validator.is_valid(value) is ok


def test_big_clean_manifest_with_enum_and_array_is_fast(tmp_path: Path) -> None:
    k = 2_000
    manifest = copy.deepcopy(BASE_MANIFEST)
    body = manifest["actionTemplates"][1]["inputs"]["body"]
    body["properties"]["tags"] = {
        "type": "array",
        "maxItems": k,
        "items": {"enum": [f"tag-{i}" for i in range(k)]},
    }
    manifest["actionTemplates"][1]["examples"][0]["input"]["body"]["tags"] = [
        f"tag-{i}" for i in range(k)
    ]
    code, findings, elapsed = _findings(_write(tmp_path, manifest))
    assert code == 0, findings
    assert elapsed < 10


@pytest.mark.parametrize(
    ("schema", "reason"),
    [
        ({"type": "integer", "minimum": "x"}, "TypeError"),
        ({"type": "integer", "multipleOf": 0}, "ZeroDivisionError"),
    ],
    ids=["string-bound", "multiple-of-zero"],
)
def test_provider_schema_that_cannot_be_evaluated_is_reported(
    tmp_path: Path, schema: dict, reason: str
) -> None:
    spec = copy.deepcopy(BASE_OPENAPI)
    spec["paths"]["/v1/widgets"]["get"]["parameters"][0]["schema"] = schema
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    manifest = _write(tmp_path, copy.deepcopy(BASE_MANIFEST))
    result = run_cli(
        "check-upstream",
        str(manifest),
        "--openapi",
        str(spec_path),
        "--examples",
        "--format",
        "json",
    )
    assert "Traceback" not in result.stderr, result.stderr
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "upstream-examples"]
    assert [(f["pointer"], f["severity"]) for f in found] == [
        ("/actionTemplates/0/examples/0/input/query/limit", "warning")
    ]
    assert "could not be checked against Acme's schema" in found[0]["message"]
    assert reason in found[0]["message"]
