"""Hostile inputs for the policy gaps and the secret scan (issue 9, items 4-7, 10 and 11).

One case per attack input, listed and unlisted of the same kind: empty or dot path values,
mixed-type bodies, bounds that bound nothing, any header as the auth header, credential-named
inputs, quadratic secret scanning, encodings that hide a credential, and credentials in
versions printed by diff and ci. Every fake credential is assembled at run time.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import SENTRY, run_cli, shared_file
from gitrepo import commit, git, git_env, init, read, write

from hubtool.core.findings import Finding
from hubtool.core.registry import BASE_MANIFEST, REMOVE, apply_patch
from hubtool.core.secrets import find_secret, redact_text
from hubtool.core.secrets.names import names_credential
from hubtool.load.strict import MAX_BYTES
from hubtool.validate.pipeline import validate
from hubtool.validate.rules.origin import TOKEN_PREFIXES, auth_header_problem, auth_prefix_problem

GHP = "gh" + "p_" + "Q7w" + "A1b2" * 9
"""A fake GitHub token; its body is what must never appear in any output."""
SECRET_BODY = GHP[4:]
HEX64 = "a1b2c3d4e5f60789" * 4
WIDGET_ID = "/actionTemplates/1/inputs/parameters/0"
BODY = "/actionTemplates/1/inputs/body"
QUERY_PARAMS = "/actionTemplates/0/inputs/parameters"
PORT = "/portTemplates/0"


def _findings(tmp_path: Path, patch: dict[str, Any], name: str = "manifest.json") -> list[Finding]:
    path = tmp_path / name
    path.write_text(json.dumps(apply_patch(BASE_MANIFEST, patch), indent=2), encoding="utf-8")
    return validate([path]).findings


def _at(findings: list[Finding], rule: str) -> set[str]:
    return {f.pointer for f in findings if f.rule == rule}


def _leaks(output: str, secret: str = SECRET_BODY) -> bool:
    """True when the output holds the secret, or 12 characters of it in a row."""
    return any(secret[i : i + 12] in output for i in range(len(secret) - 11))


# --- item 4: a path value can never be empty, '.' or '..' -------------------------------------

EMPTY_OR_DOT = {
    "issue-input-star": {"type": "string", "pattern": "^[0-9]*$", "maxLength": 10},
    "counted-from-zero": {"type": "string", "pattern": "^[0-9]{0,8}$"},
    "optional-group": {"type": "string", "pattern": "^(?:[a-z]+)?$", "maxLength": 20},
    "empty-alternative": {"type": "string", "pattern": "^(?:[a-z]+|)$", "maxLength": 20},
    "min-length-zero": {"type": "string", "pattern": "^[a-z]*$", "minLength": 0},
    "dot": {"type": "string", "pattern": "^[a-z.]+$", "maxLength": 20},
    "dot-dot": {"type": "string", "pattern": "^[.]{2}$"},
    "dots-with-min-length": {"type": "string", "pattern": "^[a-z.]{0,9}$", "minLength": 1},
    "enum-empty": {"type": "string", "enum": ["open", ""]},
    "enum-dot-dot": {"type": "string", "enum": ["..", "open"]},
}


@pytest.mark.parametrize("schema", EMPTY_OR_DOT.values(), ids=EMPTY_OR_DOT.keys())
def test_path_value_that_is_not_a_segment_is_refused(tmp_path: Path, schema: dict) -> None:
    patch = {f"{WIDGET_ID}/schema": schema, "/actionTemplates/1/examples": REMOVE}
    assert _at(_findings(tmp_path, patch), "bounded-path") == {f"{WIDGET_ID}/schema"}


SEGMENTS = {
    "plus": {"type": "string", "pattern": "^[0-9]+$"},
    "star-with-min-length": {"type": "string", "pattern": "^[0-9]*$", "minLength": 1},
    "letters-then-dots": {"type": "string", "pattern": "^[a-z][a-z.]{0,9}$"},
    "enum": {"type": "string", "enum": ["open", "closed"]},
    "integer": {"type": "integer", "minimum": 1, "maximum": 9},
}


@pytest.mark.parametrize("schema", SEGMENTS.values(), ids=SEGMENTS.keys())
def test_path_value_that_is_always_a_segment_passes(tmp_path: Path, schema: dict) -> None:
    patch = {f"{WIDGET_ID}/schema": schema, "/actionTemplates/1/examples": REMOVE}
    assert _at(_findings(tmp_path, patch), "bounded-path") == set()


def test_empty_path_value_cli_verdict(tmp_path: Path) -> None:
    """The issue's input through the CLI: exit 1, the rule, the pointer, its line."""
    patch = {f"{WIDGET_ID}/schema": EMPTY_OR_DOT["issue-input-star"]}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(apply_patch(BASE_MANIFEST, patch), indent=2), encoding="utf-8")
    result = run_cli("validate", "--format", "json", str(path))
    assert result.returncode == 1
    hits = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "bounded-path"]
    assert [f["pointer"] for f in hits] == [f"{WIDGET_ID}/schema"]
    assert "empty value" in hits[0]["message"] and hits[0]["line"] > 1


# --- item 5: every branch of a mixed type is bounded ------------------------------------------

_CLOSED = {"additionalProperties": False, "properties": {"a": {"type": "string", "maxLength": 5}}}
_ITEMS = {"items": {"type": "string", "maxLength": 5}, "maxItems": 5}

MIXED_BODY = {
    "issue-input-object-string-array": {"type": ["object", "string", "array"], **_CLOSED, **_ITEMS},
    "string-null": {"type": ["string", "null"]},
    "object-array-no-max-items": {
        "type": ["object", "array"],
        **_CLOSED,
        "items": {"type": "integer", "minimum": 0, "maximum": 9},
    },
    "object-integer": {"type": ["object", "integer"], **_CLOSED},
    "string-open-object": {
        "type": ["string", "object"],
        "maxLength": 5,
        "additionalProperties": True,
        "properties": {"a": {"type": "string", "maxLength": 5}},
    },
    "array-of-mixed-items": {
        "type": "array",
        "maxItems": 5,
        "items": {"type": ["string", "integer"], "maxLength": 5},
    },
}


@pytest.mark.parametrize("schema", MIXED_BODY.values(), ids=MIXED_BODY.keys())
def test_every_branch_of_a_mixed_body_type_is_bounded(tmp_path: Path, schema: dict) -> None:
    patch = {f"{BODY}/properties/blob": schema, "/actionTemplates/1/examples": REMOVE}
    hits = _at(_findings(tmp_path, patch), "bounded-body")
    assert hits and all(p.startswith(f"{BODY}/properties/blob") for p in hits), hits


def test_mixed_body_type_with_every_branch_bounded_passes(tmp_path: Path) -> None:
    schema = {"type": ["object", "string", "array"], "maxLength": 64, **_CLOSED, **_ITEMS}
    patch = {f"{BODY}/properties/blob": schema, "/actionTemplates/1/examples": REMOVE}
    assert _at(_findings(tmp_path, patch), "bounded-body") == set()


@pytest.mark.parametrize(
    "schema",
    [
        {"type": ["string", "array"], "items": {"type": "string", "maxLength": 5}, "maxItems": 5},
        {"type": ["string", "integer"], "maxLength": 5},
        {"type": ["array", "boolean"], "items": {"type": "string"}, "maxItems": 5},
    ],
    ids=["string-branch", "integer-branch", "item-branch"],
)
def test_every_branch_of_a_mixed_query_type_is_bounded(tmp_path: Path, schema: dict) -> None:
    param = {"name": "q", "in": "query", "schema": schema, "description": "Query."}
    hits = _at(_findings(tmp_path, {f"{QUERY_PARAMS}/-": param}), "typed-query")
    assert hits == {f"{QUERY_PARAMS}/1/schema"}


# --- item 3 (numeric bounds): a bound above what can be sent bounds nothing -------------------

HUGE_BODY_BOUNDS = {
    "max-length-1e300": {"type": "string", "maxLength": 1e300},
    "max-length-over-the-byte-cap": {"type": "string", "maxLength": MAX_BYTES + 1},
    "max-items-10-to-12": {"type": "array", "maxItems": 10**12, "items": {"type": "boolean"}},
    "pattern-over-the-byte-cap": {"type": "string", "pattern": f"^a{{{MAX_BYTES + 1}}}$"},
    "maximum-1e300": {"type": "number", "minimum": 0, "maximum": 1e300},
    "minimum-below-safe": {"type": "integer", "minimum": -(2**60), "maximum": 1},
}


@pytest.mark.parametrize("schema", HUGE_BODY_BOUNDS.values(), ids=HUGE_BODY_BOUNDS.keys())
def test_body_bound_that_bounds_nothing(tmp_path: Path, schema: dict) -> None:
    patch = {f"{BODY}/properties/blob": schema, "/actionTemplates/1/examples": REMOVE}
    assert _at(_findings(tmp_path, patch), "bounded-body") == {f"{BODY}/properties/blob"}


def test_body_bounds_at_the_cap_pass(tmp_path: Path) -> None:
    schema = {
        "type": "array",
        "maxItems": 1024 * 1024,
        "items": {"type": "integer", "minimum": -(2**53 - 1), "maximum": 2**53 - 1},
    }
    patch = {f"{BODY}/properties/blob": schema, "/actionTemplates/1/examples": REMOVE}
    assert _at(_findings(tmp_path, patch), "bounded-body") == set()


@pytest.mark.parametrize(
    ("schema", "flagged"),
    [
        ({"type": "string", "maxLength": 8001}, True),
        ({"type": "string", "maxLength": 8000}, False),
        ({"type": "array", "maxItems": 10**6, "items": {"type": "boolean"}}, True),
    ],
    ids=["above-rfc-9110", "at-rfc-9110", "items"],
)
def test_query_bound_above_a_uri(tmp_path: Path, schema: dict, flagged: bool) -> None:
    param = {"name": "q", "in": "query", "schema": schema, "description": "Query."}
    hits = _at(_findings(tmp_path, {f"{QUERY_PARAMS}/-": param}), "typed-query")
    assert hits == ({f"{QUERY_PARAMS}/1/schema"} if flagged else set())


# --- item 6: the auth header is a credential header -------------------------------------------

NOT_CREDENTIAL_HEADERS = [
    "Host", "Cookie", "Content-Length", "Transfer-Encoding", "Connection", "Set-Cookie", "TE",
    "Upgrade", "Proxy-Authorization", "Proxy-Api-Key", "X-Forwarded-Host", "X-Forwarded-Token",
    "Sec-WebSocket-Key", "Content-Type", "Forwarded", "Via", "Origin", "X-HTTP-Method-Override",
    "Authorization-Extra", "host",
]  # fmt: skip


@pytest.mark.parametrize("header", NOT_CREDENTIAL_HEADERS)
def test_auth_header_must_be_a_credential_header(tmp_path: Path, header: str) -> None:
    hits = _at(_findings(tmp_path, {f"{PORT}/authHeaderName": header}), "auth-header")
    assert hits == {f"{PORT}/authHeaderName"}


def test_auth_header_with_a_trailing_newline_is_refused() -> None:
    """Whatever the schema's regex dialect says, the rule matches the whole name."""
    assert auth_header_problem("Authorization\n") is not None
    assert auth_header_problem("X-Api-Key\n") is not None


CREDENTIAL_HEADERS = [
    "Authorization", "authorization", "X-Api-Key", "x-api-key", "Api-Key", "apikey",
    "X-Auth-Token", "PRIVATE-TOKEN", "X-Figma-Token", "X-Shopify-Access-Token",
]  # fmt: skip


@pytest.mark.parametrize("header", CREDENTIAL_HEADERS)
def test_credential_headers_pass(tmp_path: Path, header: str) -> None:
    patch = {f"{PORT}/authHeaderName": header, f"{PORT}/authTokenPrefix": ""}
    assert _findings(tmp_path, patch) == []


@pytest.mark.parametrize("prefix", ["Cookie", "Negotiate", "X", "Bearer2", "session"])
def test_auth_token_prefix_is_a_known_scheme(tmp_path: Path, prefix: str) -> None:
    hits = _at(_findings(tmp_path, {f"{PORT}/authTokenPrefix": prefix}), "auth-header")
    assert hits == {f"{PORT}/authTokenPrefix"}


def test_harbor_documented_headers_and_prefixes_stay_valid() -> None:
    """Every connector page of Harbor's docs, and the reference manifests, still pass."""
    folder = shared_file("reference/harbor/connectors")
    headers, prefixes = set(), set()
    for page in folder.glob("*.md"):
        text = " ".join(page.read_text(encoding="utf-8").split())
        headers |= set(re.findall(r"Auth header name: ([A-Za-z0-9-]+)", text))
        prefixes |= set(re.findall(r"token prefix: ([A-Za-z0-9-]+)", text))
    assert headers == {"Authorization"} and {"Bearer", "Bot"} <= prefixes
    assert all(auth_header_problem(h) is None for h in headers)
    assert all(auth_prefix_problem(p) is None for p in prefixes | set(TOKEN_PREFIXES))
    assert validate([SENTRY]).findings == []


# --- item 7: a credential-named input, by any of its words ------------------------------------

CREDENTIAL_INPUTS = [
    "api_key_value", "apiKeyValue", "API-KEY-value", "x_access_token_id", "clientSecretRef",
    "passwordHint", "hapikey", "my_password", "session.token", "refresh_tokens",
    "X_API_KEY_2", "project_dsn", "signing_key_b64",
]  # fmt: skip


@pytest.mark.parametrize("name", CREDENTIAL_INPUTS)
def test_credential_named_query_parameter(tmp_path: Path, name: str) -> None:
    param = {
        "name": name,
        "in": "query",
        "schema": {"type": "string", "maxLength": 9},
        "description": "x.",
    }
    hits = _at(_findings(tmp_path, {f"{QUERY_PARAMS}/-": param}), "no-secret-fields")
    assert f"{QUERY_PARAMS}/1/name" in hits


# A credential word followed by a word that is not a known metadata shape is a credential
# (issue 9 item 7, found in review: only the word right after counts, from a short list).
CREDENTIAL_WITH_TAIL = [
    "password_auth", "api_key_last", "access_token_request", "client_secret_env",
    "api_key_format", "apiKeyInfo", "API-KEY-INFO", "token_env", "secret_requests",
    "password_authentication", "api_key_storage", "access_token_used", "token_usage_value",
    "token_value_type", "client_secret_for_env", "tokenLastEight",
    "personal_access_token_request", "auth", "Auth", "AUTH", "bearer", "basicAuth",
    "x-auth", "authCode", "auth_value", "bearer_value", "token_header", "http_bearer",
    "proxyAuth", "X-Basic-Auth",
]  # fmt: skip


@pytest.mark.parametrize("name", CREDENTIAL_WITH_TAIL)
def test_credential_word_with_a_non_metadata_tail(tmp_path: Path, name: str) -> None:
    param = {
        "name": name,
        "in": "query",
        "schema": {"type": "string", "maxLength": 20},
        "description": "x.",
    }
    hits = _at(_findings(tmp_path, {f"{QUERY_PARAMS}/-": param}), "no-secret-fields")
    assert f"{QUERY_PARAMS}/1/name" in hits


@pytest.mark.parametrize("name", ["bearer", "auth", "password_auth", "apiKeyInfo"])
def test_credential_named_body_property(tmp_path: Path, name: str) -> None:
    patch = {f"{BODY}/properties/{name}": {"type": "string", "maxLength": 20}}
    hits = _at(_findings(tmp_path, patch), "no-secret-fields")
    assert f"{BODY}/properties/{name}" in hits


def test_reviewer_inputs_fail_validate_through_the_cli(tmp_path: Path) -> None:
    params = [
        {"name": n, "in": "query", "schema": {"type": "string", "maxLength": 20}}
        for n in ("password_auth", "api_key_last", "auth")
    ]
    path = tmp_path / "manifest.json"
    patch = {f"{QUERY_PARAMS}/-": params[0]}
    data = apply_patch(BASE_MANIFEST, patch)
    data["actionTemplates"][0]["inputs"]["parameters"].extend(params[1:])
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("validate", str(path), "--format", "json")
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)["findings"]
    hits = {f["pointer"] for f in found if f["rule"] == "no-secret-fields"}
    assert {f"{QUERY_PARAMS}/{i}/name" for i in (1, 2, 3)} <= hits


NOT_CREDENTIAL_INPUTS = [
    "page_token", "next_page_token", "nextPageToken", "pageToken", "continuationToken",
    "max_tokens", "token_type", "cursor", "after", "tokens_used", "keyword", "key",
    "tokenUrl", "token_url", "passwordPolicy", "token_expires_in", "authMode", "auth_type",
    "secret_type", "exclude_secret_types", "token_last_used_at", "author", "oauth_state",
    "authorName", "tokenHeaderName", "needs_local_auth", "require_auth", "skipAuth",
]  # fmt: skip


@pytest.mark.parametrize("name", NOT_CREDENTIAL_INPUTS)
def test_pagination_and_metadata_inputs_pass(tmp_path: Path, name: str) -> None:
    param = {
        "name": name,
        "in": "query",
        "schema": {"type": "string", "maxLength": 9},
        "description": "x.",
    }
    assert _findings(tmp_path, {f"{QUERY_PARAMS}/-": param}) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("slack/slack_web_openapi_v2.json", {"client_secret", "token"}),
        ("hubspot/crm-contacts-v3.json", {"hapikey"}),
        ("jira/swagger-v3.v3.json", {"sessionId"}),
        ("discord/openapi.json", set()),
        ("confluence/openapi-v2.v3.json", set()),
    ],
)
def test_real_provider_query_parameters(spec: str, expected: set[str]) -> None:
    """Real APIs' pagination parameters (cursor, after, nextPageToken) are not credentials;
    the credentials they do take in a query are."""
    data = json.loads(shared_file(f"data/providers/{spec}").read_text(encoding="utf-8"))
    names: set[str] = set()
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if value.get("in") == "query" and isinstance(value.get("name"), str):
                names.add(value["name"])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    assert {n for n in names if names_credential(n)} == expected


def test_scaffold_drops_every_credential_named_input(tmp_path: Path) -> None:
    """One word list: scaffold drops what no-secret-fields flags, keeps the cursor."""
    names = [
        "api_key", "api_key_value", "clientSecretRef", "page_token", "limit", "password_auth",
        "api_key_last", "access_token_request", "client_secret_env", "api_key_format",
        "apiKeyInfo", "auth", "token_type",
    ]  # fmt: skip
    params = [
        {"in": "query", "name": name, "schema": {"type": "string", "maxLength": 50}}
        for name in names
    ]
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Acme", "version": "1"},
        "servers": [{"url": "https://api.acme.example"}],
        "paths": {
            "/v1/widgets": {
                "get": {
                    "operationId": "listWidgets",
                    "parameters": params,
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    result = run_cli(
        "scaffold", "--openapi", str(path), "--operation", "listWidgets", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    kept = {p["name"] for p in json.loads(result.stdout)["inputs"]["parameters"]}
    assert kept == {"page_token", "limit", "token_type"}


# --- item 10: the secret scan is linear in the size of the text -------------------------------

MIB = 1024 * 1024
SHAPES = {
    "issue-jwt-prefix-dash": "eyJ-",
    "issue-a-dot": "a.",
    "jwt-prefix-dot": "eyJ.",
    "jwt-two-segments": "eyJaaaaaaaa.eyJbbbbbbbb.",
    "userinfo-colons": "a://b:",
    "scheme-separators": "://",
    "url-query-key": "?token=A",
    "url-query-shouty": "&api_key=AB_CD",
    "bearer": "Bearer ",
    "bearer-letters": "Bearer a",
    "token-digit": "Token 1",
    "pem-begin": "-----BEGIN A ",
    "dsn": "https://" + "0123456789abcdef" * 2 + "@x/",
    "sentry-org": "sntrys_",
    "sentry-user": "sntryu_a",
    "github": "ghp_A",
    "github-pat": "github_pat_",
    "gitlab": "glpat-",
    "slack": "xoxb-",
    "slack-app": "xapp-1-",
    "slack-webhook": "hooks.slack.com/services/TA",
    "stripe": "sk_live_",
    "aws": "AKIA",
    "google": "AIza",
    "google-oauth": "ya29.",
    "llm": "sk-ant-a-",
    "hex-63": "a" * 63 + "g",
    "hex-upper-run": "aB1",
    "wordy-then-digit": "ab" * 20 + "X1 ",
    "percent": "%41",
    "percent-between": "a%41",
    "invisible": "\u200b",
    "invisible-between": "a\u00ad",
    "base64-runs": base64.b64encode(b"ABCDEFGHIJKLMNOPQRSTUVWX").decode() + " ",
    "url-path-segments": "/" + "Ab1" * 9,
    "url-path-distinct": "/abcdefghijklmnopqrstuvwxyzAB1",
}


@pytest.mark.parametrize("unit", SHAPES.values(), ids=SHAPES.keys())
def test_secret_scan_of_1_mib_is_linear(unit: str) -> None:
    text = unit * (MIB // len(unit))
    for scan in (find_secret, redact_text):
        started = time.process_time()
        scan(text)
        assert time.process_time() - started < 2.0, scan.__name__


@pytest.mark.parametrize("unit", ["eyJ-", "a."], ids=["jwt-prefix", "a-dot"])
def test_issue_quadratic_notes_through_the_cli(tmp_path: Path, unit: str) -> None:
    """The issue's inputs (34 s and 58 s before) at the largest size a manifest may have."""
    data = copy.deepcopy(BASE_MANIFEST)
    data["compatibility"]["notes"] = unit * ((MIB - 4096) // len(unit))
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    started = time.perf_counter()
    result = run_cli("validate", "--format", "json", str(path))
    elapsed = time.perf_counter() - started
    assert result.returncode == 1  # notes is over its maxLength
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} == {"schema"}
    assert elapsed < 10.0, elapsed  # the process, interpreter start included


# --- item 7 (evasions): detection after decoding; digests are not tokens ---------------------

_TOKEN_HALVES = (GHP[:20], GHP[20:])
HIDDEN = {
    "zero-width-space": "\u200b".join(_TOKEN_HALVES),
    "zero-width-joiner": "\u200d".join(_TOKEN_HALVES),
    "soft-hyphen": "\u00ad".join(_TOKEN_HALVES),
    "bom": "\ufeff".join(_TOKEN_HALVES),
    "bidi-override": "\u202e".join(_TOKEN_HALVES),
    "word-joiner-every-char": "\u2060".join(GHP),
    "percent-encoded": "".join(f"%{ord(c):02X}" for c in GHP),
    "percent-encoded-prefix": "%67%68" + GHP[2:],
    "base64": base64.b64encode(f"token {GHP}".encode()).decode(),
    "base64url-of-jwt": base64.urlsafe_b64encode(
        b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXg"
    ).decode(),
}


@pytest.mark.parametrize("text", HIDDEN.values(), ids=HIDDEN.keys())
def test_hidden_credential_is_found(text: str) -> None:
    assert find_secret(f"see {text} here") is not None
    assert not _leaks(redact_text(f"see {text} here"))


@pytest.mark.parametrize("text", list(HIDDEN.values())[:8], ids=list(HIDDEN)[:8])
def test_hidden_credential_in_a_manifest(tmp_path: Path, text: str) -> None:
    hits = _at(
        _findings(tmp_path, {"/description": f"Uses {text} to authenticate."}), "no-secret-values"
    )
    assert hits == {"/description"}


@pytest.mark.parametrize(
    "text",
    ["caf\u00e9 na\u00efve", "100% done", "%zz and %4", "a\u200bb", "YWJj", "Q29uZmlnIGhlbHA="],
)
def test_decoding_adds_no_false_positive(text: str) -> None:
    assert find_secret(text) is None


def _sentry_commit_example(value: str, field: str = "commit") -> dict[str, Any]:
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    for action in data["actionTemplates"]:
        for example in action.get("examples", []):
            body = example.get("input", {}).get("body", {})
            status = body.get("statusDetails", {}) if isinstance(body, dict) else {}
            if isinstance(status.get("inCommit"), dict):
                status["inCommit"][field] = value
                return data
    raise AssertionError("the Sentry manifest has no inCommit example")


def test_digest_declared_by_its_schema_is_not_a_token(tmp_path: Path) -> None:
    """Sentry's commit field (^[0-9a-f]{7,64}$) with a SHA-256 commit id: a digest."""
    path = tmp_path / "sentry-api.json"
    path.write_text(json.dumps(_sentry_commit_example(HEX64), indent=2), encoding="utf-8")
    assert validate([path]).findings == []


def test_same_hex_where_no_schema_declares_a_digest_is_a_token(tmp_path: Path) -> None:
    path = tmp_path / "sentry-api.json"
    data = _sentry_commit_example(HEX64, field="repository")
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    hits = [f for f in validate([path]).findings if f.rule == "no-secret-values"]
    assert len(hits) == 1 and hits[0].pointer.endswith("/inCommit/repository")


def test_a_token_is_not_a_digest_because_a_schema_says_hex(tmp_path: Path) -> None:
    """The exemption covers hex digits only: a GitHub token in the same field is flagged."""
    path = tmp_path / "sentry-api.json"
    path.write_text(json.dumps(_sentry_commit_example(GHP), indent=2), encoding="utf-8")
    hits = [f for f in validate([path]).findings if f.rule == "no-secret-values"]
    assert len(hits) == 1 and hits[0].pointer.endswith("/inCommit/commit")


# --- item 11: versions never print a credential -----------------------------------------------

AKIA = "AKIA" + "Q7WXYZ2345ABCDEF"
VERSIONS = {
    "prerelease-aws-decreased": "0.0.1-" + AKIA,
    "prerelease-slack-same": "0.1.0-xoxb-" + "1234567890-" + "abcdefghij",
    "build-aws-increased": "0.2.0+" + AKIA,
    "not-semver-github": GHP,
}


def _new_version(version: str) -> dict[str, Any]:
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    data["version"] = version
    data["summary"] = data["summary"] + " Changed."
    return data


@pytest.mark.parametrize("version", VERSIONS.values(), ids=VERSIONS.keys())
@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif", "github"])
def test_diff_never_prints_a_credential_version(tmp_path: Path, version: str, fmt: str) -> None:
    new = tmp_path / "new.json"
    new.write_text(json.dumps(_new_version(version), indent=2), encoding="utf-8")
    result = run_cli("diff", str(SENTRY), str(new), "--format", fmt, "--color", "never")
    assert result.returncode in (0, 1), result.stderr
    output = result.stdout + result.stderr
    secret = version.split("-", 1)[-1].split("+", 1)[-1]
    assert not _leaks(output, secret), output[-400:]


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "github"])
def test_ci_never_prints_a_credential_version(tmp_path: Path, fmt: str) -> None:
    origin = init(tmp_path / "origin")
    clone = tmp_path / "pr"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    data = read(clone)
    data["version"] = VERSIONS["prerelease-aws-decreased"]
    data["summary"] += " Changed."
    write(clone, data)
    commit(clone)
    result = run_cli("ci", "--base", "main", "--format", fmt, cwd=clone, env=git_env())
    assert result.returncode == 1, result.stderr
    assert not _leaks(result.stdout + result.stderr, AKIA)
    assert "version-gate" in result.stdout


# --- no planted secret in any validate format -------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_validate_never_prints_a_hidden_credential(tmp_path: Path, fmt: str) -> None:
    data = copy.deepcopy(BASE_MANIFEST)
    data["description"] = f"Use {HIDDEN['zero-width-space']} to authenticate."
    data["summary"] = f"Or {HIDDEN['percent-encoded']} here."
    data["actionTemplates"][0]["inputs"]["parameters"].append(
        {
            "name": "api_key_value",
            "in": "query",
            "schema": {"type": "string", "maxLength": 64},
            "default": GHP,
            "description": "Key.",
        }
    )
    data["portTemplates"][0]["authHeaderName"] = "Cookie"
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_cli("validate", "--format", fmt, "--color", "never", str(path))
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    for rule in ("no-secret-values", "no-secret-fields", "auth-header"):
        assert rule in output
    assert not _leaks(output)
    assert not _leaks(output, HIDDEN["percent-encoded"])
