"""Mutation tests: every way the policy forbids, applied one at a time to the Sentry manifest.

Each case deep-copies the reference manifest, applies one mutation, writes it with
``json.dumps(indent=2)`` and validates it. The expected rule must fire at the expected JSON
pointer, and the reported line and column must be where that pointer's value (or key) sits in
the written text. Positions are found here by reading the text's indentation, never by asking
hubtool's loader. Fake credentials are assembled at run time and must never be echoed.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import SENTRY

from hubtool.core.findings import ERROR, WARNING, Finding
from hubtool.validate.pipeline import validate

Data = dict[str, Any]
REMOVE = object()
"""Patch value meaning: delete the member at this pointer."""

# --- fake credentials, built at run time ----------------------------------------------------


def _noise(seed: str, length: int) -> str:
    """Deterministic hex filler, so no credential-shaped literal is written in this file."""
    text = ""
    counter = 0
    while len(text) < length:
        text += hashlib.sha256(f"{seed}:{counter}".encode()).hexdigest()
        counter += 1
    return text[:length]


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _fake_jwt() -> str:
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps({"sub": "hubtool-test", "iat": 0}).encode())
    signature = _b64url(hashlib.sha256(b"hubtool-test-signature").digest())
    return f"{header}.{payload}.{signature}"


SENTRY_TOKEN = "sntrys" + "_" + _noise("sentry-org-token", 48)
BEARER_TOKEN = _noise("bearer", 20) + "Zq" + _noise("bearer-tail", 18)
DSN_KEY = _noise("dsn", 32)
DSN = "https://" + DSN_KEY + "@o1.ingest.sentry.io/" + "4500000000000001"
JWT = _fake_jwt()

# --- mutations ------------------------------------------------------------------------------

ISSUE_PARAMS = "/actionTemplates/1/inputs/parameters"
RESOLVE = "/actionTemplates/2"
BODY = f"{RESOLVE}/inputs/body"
ISSUE_ID_SCHEMA = f"{RESOLVE}/inputs/parameters/1/schema"


def _tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _child(node: Any, token: str) -> Any:
    return node[int(token)] if isinstance(node, list) else node[token]


def apply(data: Data, patch: dict[str, Any]) -> None:
    """Set each pointer to its value in place (REMOVE deletes, a final '-' appends)."""
    for pointer, value in patch.items():
        *parents, last = _tokens(pointer)
        target: Any = data
        for token in parents:
            target = _child(target, token)
        if value is REMOVE:
            del target[int(last) if isinstance(target, list) else last]
        elif isinstance(target, list) and last == "-":
            target.append(value)
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value


def get(data: Data, pointer: str) -> Any:
    node: Any = data
    for token in _tokens(pointer):
        node = _child(node, token)
    return node


def _copy_of(pointer: str, **changes: Any) -> Callable[[Data], Any]:
    """A patch value computed from the manifest: a deep copy of ``pointer`` with changes."""

    def build(data: Data) -> Any:
        value = copy.deepcopy(get(data, pointer))
        value.update(changes)
        return value

    return build


@dataclass(frozen=True)
class Mutation:
    id: str
    patch: dict[str, Any]
    rule: str
    pointer: str
    at_key: bool = False
    severity: str = ERROR
    secrets: tuple[str, ...] = field(default=())

    def apply_to(self, data: Data) -> Data:
        return mutate(data, self.patch)


def mutate(data: Data, patch: dict[str, Any]) -> Data:
    """A patched deep copy; callable values are computed from the copy first."""
    mutated = copy.deepcopy(data)
    apply(mutated, {p: v(mutated) if callable(v) else v for p, v in patch.items()})
    return mutated


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": "Added by a test."}


PROJECTS_PATH = "/api/0/organizations/{organizationIdOrSlug}/projects/"

SECRETS = [
    Mutation(
        "secret-field-authToken-on-port",
        {"/portTemplates/0/authToken": "configured-locally"},
        "no-secret-fields",
        "/portTemplates/0/authToken",
        at_key=True,
    ),
    Mutation(
        "secret-field-api_key-query-parameter",
        {f"{ISSUE_PARAMS}/-": _query("api_key", {"type": "string", "maxLength": 64})},
        "no-secret-fields",
        f"{ISSUE_PARAMS}/10/name",
    ),
    Mutation(
        "secret-value-sentry-token-in-description",
        {"/actionTemplates/0/description": f"List projects; use token {SENTRY_TOKEN} here."},
        "no-secret-values",
        "/actionTemplates/0/description",
        secrets=(SENTRY_TOKEN,),
    ),
    Mutation(
        "secret-value-bearer-in-compatibility-notes",
        {"/compatibility/notes": "Send Authorization: Bearer " + BEARER_TOKEN},
        "no-secret-values",
        "/compatibility/notes",
        secrets=(BEARER_TOKEN,),
    ),
    Mutation(
        "secret-value-dsn-in-publisher-websiteUrl",
        {"/publisher/websiteUrl": DSN},
        "no-secret-values",
        "/publisher/websiteUrl",
        secrets=(DSN_KEY,),
    ),
    Mutation(
        "secret-value-jwt-in-example-query",
        {"/actionTemplates/1/examples/0/input/query/query": JWT},
        "no-secret-values",
        "/actionTemplates/1/examples/0/input/query/query",
        secrets=(JWT, JWT.split(".")[1]),
    ),
    Mutation(
        # Token-in-path APIs exist (Telegram's /bot<token>/). With a traversal in a path, the
        # fixed-origin and examples-valid messages quote the baseUrl: it must stay redacted.
        "secret-value-token-in-baseUrl-path-with-traversal",
        {
            "/portTemplates/0/baseUrl": f"https://sentry.io/api/{SENTRY_TOKEN}/",
            "/actionTemplates/0/path": "/../x/{organizationIdOrSlug}/",
        },
        "no-secret-values",
        "/portTemplates/0/baseUrl",
        secrets=(SENTRY_TOKEN,),
    ),
]

BASE_URL = "/portTemplates/0/baseUrl"


def _origin(case: str, url: str) -> Mutation:
    return Mutation(f"origin-{case}", {BASE_URL: url}, "fixed-origin", BASE_URL)


ORIGIN = [
    _origin("http", "http://sentry.io/"),
    _origin("userinfo", "https://operator@sentry.io/"),
    _origin("query", "https://sentry.io/?region=us"),
    _origin("fragment", "https://sentry.io/#api"),
    _origin("ipv4-literal", "https://35.186.247.156/"),
    _origin("ipv6-literal", "https://[::1]/"),
    _origin("localhost", "https://localhost/"),
    _origin("port-8443", "https://sentry.io:8443/"),
    Mutation(
        "origin-second-port-other-origin",
        {"/portTemplates/-": _copy_of("/portTemplates/0", baseUrl="https://us.sentry.io/")},
        "fixed-origin",
        "/portTemplates/1/baseUrl",
    ),
]


def _path(case: str, path: str, action: int = 0) -> Mutation:
    pointer = f"/actionTemplates/{action}/path"
    return Mutation(f"path-{case}", {pointer: path}, "bounded-path", pointer)


def _issue_id_schema(case: str, schema: dict[str, Any]) -> Mutation:
    return Mutation(
        f"path-param-{case}", {ISSUE_ID_SCHEMA: schema}, "bounded-path", ISSUE_ID_SCHEMA
    )


PATHS = [
    _path("absolute-url", "https://evil.example" + PROJECTS_PATH),
    _path("double-slash", "/api/0//organizations/{organizationIdOrSlug}/projects/"),
    _path("dot-dot-segment", "/api/0/organizations/{organizationIdOrSlug}/../projects/"),
    _path("question-mark", PROJECTS_PATH + "?all_projects=1"),
    _path("hash", PROJECTS_PATH + "#top"),
    _path("percent-encoded-dot-dot", "/api/0/organizations/{organizationIdOrSlug}/%2e%2e/x/"),
    _path("backslash", "/api/0/organizations/{organizationIdOrSlug}\\projects/"),
    _path(
        "placeholder-not-whole-segment",
        "/api/0/organizations/{organizationIdOrSlug}/issues/x{issueId}/",
        action=2,
    ),
    _path("undeclared-placeholder", PROJECTS_PATH + "{projectIdOrSlug}/"),
    Mutation(
        "path-param-declared-but-unused",
        {"/actionTemplates/0/inputs/parameters/-": _copy_of(ISSUE_ID_SCHEMA.rsplit("/", 1)[0])},
        "bounded-path",
        "/actionTemplates/0/inputs/parameters/4",
    ),
    _issue_id_schema("without-pattern", {"type": "string", "maxLength": 20}),
    _issue_id_schema("unanchored-pattern", {"type": "string", "pattern": "[0-9]{1,20}"}),
    _issue_id_schema("start-only-anchor", {"type": "string", "pattern": "^[0-9]{1,20}"}),
    _issue_id_schema("pattern-allows-slash", {"type": "string", "pattern": "^.+$"}),
    _issue_id_schema("pattern-allows-dot-dot", {"type": "string", "pattern": "^[a-z.]+$"}),
]


def _typed(case: str, patch: dict[str, Any], pointer: str, severity: str = ERROR) -> Mutation:
    return Mutation(f"query-{case}", patch, "typed-query", pointer, severity=severity)


OBJECT_ITEMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"name": {"type": "string", "maxLength": 64}},
}

QUERY = [
    _typed(
        "object-typed",
        {f"{ISSUE_PARAMS}/-": _query("filter", OBJECT_ITEMS)},
        f"{ISSUE_PARAMS}/10/schema",
    ),
    _typed(
        "untyped",
        {f"{ISSUE_PARAMS}/-": _query("filter", {"maxLength": 20})},
        f"{ISSUE_PARAMS}/10/schema",
    ),
    _typed(
        "array-without-maxItems",
        {f"{ISSUE_PARAMS}/5/schema/maxItems": REMOVE},
        f"{ISSUE_PARAMS}/5/schema",
    ),
    _typed(
        "array-of-objects",
        {f"{ISSUE_PARAMS}/6/schema/items": OBJECT_ITEMS},
        f"{ISSUE_PARAMS}/6/schema",
    ),
    _typed(
        "duplicate-parameter",
        {f"{ISSUE_PARAMS}/-": _copy_of(f"{ISSUE_PARAMS}/8")},
        f"{ISSUE_PARAMS}/10/name",
    ),
    _typed(
        "string-without-maxLength-warns",
        {f"{ISSUE_PARAMS}/1/schema/maxLength": REMOVE},
        f"{ISSUE_PARAMS}/1/schema",
        severity=WARNING,
    ),
    _typed(
        "integer-without-maximum-warns",
        {f"{ISSUE_PARAMS}/8/schema/maximum": REMOVE},
        f"{ISSUE_PARAMS}/8/schema",
        severity=WARNING,
    ),
]


def _body(case: str, patch: dict[str, Any], pointer: str) -> Mutation:
    return Mutation(f"body-{case}", patch, "bounded-body", pointer)


STATUS_DETAILS = f"{BODY}/properties/statusDetails"

BODIES = [
    _body(
        "additionalProperties-true",
        {f"{BODY}/additionalProperties": True},
        f"{BODY}/additionalProperties",
    ),
    _body(
        "nested-statusDetails-open",
        {f"{STATUS_DETAILS}/additionalProperties": True},
        f"{STATUS_DETAILS}/additionalProperties",
    ),
    _body(
        "nested-object-without-additionalProperties",
        {f"{STATUS_DETAILS}/properties/inCommit/additionalProperties": REMOVE},
        f"{STATUS_DETAILS}/properties/inCommit",
    ),
    _body(
        "property-without-type",
        {f"{STATUS_DETAILS}/properties/inRelease/type": REMOVE},
        f"{STATUS_DETAILS}/properties/inRelease",
    ),
    _body(
        "unbounded-string-property",
        {f"{STATUS_DETAILS}/properties/inCommit/properties/repository/maxLength": REMOVE},
        f"{STATUS_DETAILS}/properties/inCommit/properties/repository",
    ),
    _body("json-without-body", {BODY: REMOVE}, f"{RESOLVE}/requestBodyMode"),
    _body("none-with-body", {f"{RESOLVE}/requestBodyMode": "none"}, BODY),
    _body(
        "get-with-json-mode",
        {"/actionTemplates/0/requestBodyMode": "json"},
        "/actionTemplates/0/requestBodyMode",
    ),
    _body(
        "required-names-undeclared-property",
        {f"{BODY}/required/-": "substatus"},
        f"{BODY}/required/1",
    ),
]

APPROVAL = [
    Mutation(
        "approval-resolve-issue-automatic",
        {f"{RESOLVE}/approvalMode": "automatic"},
        "write-requires-approval",
        f"{RESOLVE}/approvalMode",
    ),
    Mutation(
        "approval-post-automatic",
        {"/actionTemplates/0/method": "POST"},
        "write-requires-approval",
        "/actionTemplates/0/approvalMode",
    ),
    Mutation(
        "bulk-delete-issue",
        {f"{RESOLVE}/method": "DELETE"},
        "no-bulk-or-delete",
        f"{RESOLVE}/method",
    ),
    Mutation(
        "bulk-put-on-issue-collection",
        {
            f"{RESOLVE}/path": "/api/0/organizations/{organizationIdOrSlug}/issues/",
            f"{RESOLVE}/inputs/parameters/1": REMOVE,
        },
        "no-bulk-or-delete",
        f"{RESOLVE}/path",
    ),
]

UNIQUE = [
    Mutation(
        "unique-duplicate-action-slug",
        {"/actionTemplates/1/slug": "list-projects"},
        "unique-slugs",
        "/actionTemplates/1/slug",
    ),
    Mutation(
        "unique-duplicate-example-name",
        {f"{RESOLVE}/examples/1/name": "resolve-now"},
        "unique-slugs",
        f"{RESOLVE}/examples/1/name",
    ),
]

ISSUES_EXAMPLE = "/actionTemplates/1/examples/0/input"
RESOLVE_EXAMPLE = f"{RESOLVE}/examples/0/input"


def _example(case: str, patch: dict[str, Any], pointer: str, at_key: bool = False) -> Mutation:
    return Mutation(f"example-{case}", patch, "examples-valid", pointer, at_key=at_key)


EXAMPLES = [
    _example(
        "value-out-of-range",
        {f"{ISSUES_EXAMPLE}/query/limit": 500},
        f"{ISSUES_EXAMPLE}/query/limit",
    ),
    _example(
        "unknown-query-parameter",
        {f"{ISSUES_EXAMPLE}/query/groupStatsPeriod": "24h"},
        f"{ISSUES_EXAMPLE}/query/groupStatsPeriod",
        at_key=True,
    ),
    _example(
        "missing-required-path-value",
        {f"{RESOLVE_EXAMPLE}/path/issueId": REMOVE},
        f"{RESOLVE_EXAMPLE}/path",
    ),
    _example(
        "body-on-get-action",
        {f"{ISSUES_EXAMPLE}/body": {"status": "resolved"}},
        f"{ISSUES_EXAMPLE}/body",
        at_key=True,
    ),
    _example(
        "resolve-with-status-ignored",
        {f"{RESOLVE_EXAMPLE}/body/status": "ignored"},
        f"{RESOLVE_EXAMPLE}/body/status",
    ),
    _example(
        "path-value-breaks-pattern",
        {f"{RESOLVE_EXAMPLE}/path/issueId": "../../admin"},
        f"{RESOLVE_EXAMPLE}/path/issueId",
    ),
]

OTHER = [
    Mutation(
        "defaults-limit-above-maximum",
        {f"{ISSUE_PARAMS}/8/default": 500},
        "defaults-valid",
        f"{ISSUE_PARAMS}/8/default",
    ),
    Mutation(
        "defaults-sort-not-in-enum",
        {f"{ISSUE_PARAMS}/7/default": "priority-desc"},
        "defaults-valid",
        f"{ISSUE_PARAMS}/7/default",
    ),
    Mutation(
        "valid-pattern-unclosed-class",
        {f"{ISSUE_PARAMS}/2/schema/pattern": "^[1-9][0-9]{0,3}[smhdw$"},
        "valid-pattern",
        f"{ISSUE_PARAMS}/2/schema/pattern",
    ),
    Mutation("version-two-parts", {"/version": "1.0"}, "version-format", "/version"),
    Mutation("version-leading-v", {"/version": "v0.1.0"}, "version-format", "/version"),
    Mutation(
        "version-harborNode-latest",
        {"/compatibility/harborNode": "latest"},
        "version-format",
        "/compatibility/harborNode",
    ),
    Mutation(
        "schema-typo-approvalMod",
        {f"{RESOLVE}/approvalMod": "require_approval"},
        "schema",
        f"{RESOLVE}/approvalMod",
        at_key=True,
    ),
    Mutation(
        "schema-method-FETCH",
        {"/actionTemplates/0/method": "FETCH"},
        "schema",
        "/actionTemplates/0/method",
    ),
    Mutation("schema-tags-not-an-array", {"/tags": "sentry"}, "schema", "/tags"),
]

MUTATIONS = [*SECRETS, *ORIGIN, *PATHS, *QUERY, *BODIES, *APPROVAL, *UNIQUE, *EXAMPLES, *OTHER]
ALL_SECRETS = (SENTRY_TOKEN, BEARER_TOKEN, DSN_KEY, JWT)

# --- positions, read from the written text ----------------------------------------------------


@dataclass(frozen=True)
class Spot:
    line: int
    key_column: int
    value_column: int


def locate(text: str, pointer: str) -> Spot:
    """Where ``pointer`` is in ``json.dumps(indent=2)`` text, found from indentation alone.

    In that layout every member starts on its own line, indented two spaces per level, and
    the closing bracket of a container sits at the container's own indentation.
    """
    lines = text.split("\n")
    row, spot = 0, Spot(1, 1, 1)
    for depth, token in enumerate(_tokens(pointer), start=1):
        indent = " " * (2 * depth)
        starts = [r for r in _child_rows(lines, row, indent) if lines[r][len(indent)] not in "]}"]
        if lines[row].endswith("["):
            row = starts[int(token)]
            spot = Spot(row + 1, len(indent) + 1, len(indent) + 1)
        else:
            key = json.dumps(token) + ": "
            row = next(r for r in starts if lines[r][len(indent) :].startswith(key))
            spot = Spot(row + 1, len(indent) + 1, len(indent) + len(key) + 1)
    return spot


def _child_rows(lines: list[str], row: int, indent: str) -> list[int]:
    """Rows directly inside the container opened at ``row`` (stops at its closing line)."""
    rows = []
    for r in range(row + 1, len(lines)):
        line = lines[r]
        if not line.startswith(indent):
            break
        if line[len(indent)] != " ":
            rows.append(r)
    return rows


def nearest_existing(data: Data, pointer: str) -> str:
    """``pointer`` or its nearest ancestor that exists in ``data``."""
    tokens = _tokens(pointer)
    node: Any = data
    for index, token in enumerate(tokens):
        try:
            node = _child(node, token)
        except (KeyError, IndexError, ValueError, TypeError):
            return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens[:index])
    return pointer


# --- helpers ----------------------------------------------------------------------------------


def write(tmp_path: Path, data: Data, name: str = "manifest.json") -> tuple[Path, str]:
    text = json.dumps(data, indent=2) + "\n"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, text


def listing(findings: list[Finding]) -> str:
    return "\n".join(f"{f.line}:{f.column} {f.severity} {f.rule} {f.pointer}" for f in findings)


@pytest.fixture
def sentry() -> Data:
    return json.loads(SENTRY.read_text(encoding="utf-8"))


# --- tests --------------------------------------------------------------------------------------


def test_unmutated_manifest_has_zero_findings(tmp_path: Path, sentry: Data) -> None:
    path, _ = write(tmp_path, sentry)
    assert validate([path]).findings == []
    assert validate([SENTRY]).findings == []


def test_mutation_ids_are_unique() -> None:
    ids = [m.id for m in MUTATIONS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.id)
def test_mutation_is_caught_at_its_pointer_and_line(
    mutation: Mutation, tmp_path: Path, sentry: Data
) -> None:
    data = mutation.apply_to(sentry)
    path, text = write(tmp_path, data)
    findings = validate([path]).findings
    hits = [f for f in findings if f.rule == mutation.rule and f.pointer == mutation.pointer]
    assert hits, f"expected {mutation.rule} at {mutation.pointer}, got:\n{listing(findings)}"
    spot = locate(text, mutation.pointer)
    column = spot.key_column if mutation.at_key else spot.value_column
    for hit in hits:
        assert hit.severity == mutation.severity, hit
        assert (hit.line, hit.column) == (spot.line, column), hit
        assert hit.file == str(path)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.id)
def test_every_finding_points_at_its_line(mutation: Mutation, tmp_path: Path, sentry: Data) -> None:
    """Whatever else fires, each finding's line and column are those of its pointer."""
    data = mutation.apply_to(sentry)
    path, text = write(tmp_path, data)
    for finding in validate([path]).findings:
        spot = locate(text, nearest_existing(data, finding.pointer))
        assert finding.line == spot.line, finding
        assert finding.column in (spot.key_column, spot.value_column), finding


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.id)
def test_no_finding_echoes_a_secret(mutation: Mutation, tmp_path: Path, sentry: Data) -> None:
    path, _ = write(tmp_path, mutation.apply_to(sentry))
    for finding in validate([path]).findings:
        for secret in ALL_SECRETS + mutation.secrets:
            assert secret not in finding.message, finding.rule


def test_fake_secrets_really_look_like_credentials() -> None:
    """Guard the guards: the fakes have the shapes the detectors are documented to catch."""
    assert SENTRY_TOKEN.startswith("sntrys_") and len(SENTRY_TOKEN) > 40
    assert JWT.startswith("eyJ") and JWT.count(".") == 2
    assert any(c.isdigit() for c in BEARER_TOKEN) and any(c.isalpha() for c in BEARER_TOKEN)
    assert len(DSN_KEY) == 32 and set(DSN_KEY) <= set("0123456789abcdef")


def test_explicit_default_port_is_the_same_origin(tmp_path: Path, sentry: Data) -> None:
    """https://sentry.io:443/ and https://sentry.io/ are one origin, not a second one."""
    sentry["portTemplates"].append(
        dict(sentry["portTemplates"][0], baseUrl="https://sentry.io:443/")
    )
    path, _ = write(tmp_path, sentry)
    assert [f for f in validate([path]).findings if f.rule == "fixed-origin"] == []


# --- secrets that once slipped through: lowercase auth schemes, self-hosted DSNs -----------------

ONCE_MISSED = [
    pytest.param(
        Mutation(
            "secret-value-lowercase-bearer",
            {"/compatibility/notes": "Send authorization: bearer " + _noise("lower", 40)},
            "no-secret-values",
            "/compatibility/notes",
        ),
        id="secret-value-lowercase-bearer",
    ),
    pytest.param(
        Mutation(
            "secret-value-dsn-with-path-prefix",
            {"/publisher/websiteUrl": "https://" + DSN_KEY + "@sentry.example.com/sentry/42"},
            "no-secret-values",
            "/publisher/websiteUrl",
        ),
        id="secret-value-dsn-with-path-prefix",
    ),
]


@pytest.mark.parametrize("mutation", ONCE_MISSED)
def test_once_missed_secret(mutation: Mutation, tmp_path: Path, sentry: Data) -> None:
    path, _ = write(tmp_path, mutation.apply_to(sentry))
    findings = validate([path]).findings
    assert any(f.rule == mutation.rule and f.pointer == mutation.pointer for f in findings)


SECRET_KEYWORDS = [
    pytest.param(
        {f"{ISSUE_ID_SCHEMA}/pattern": SENTRY_TOKEN},
        "bounded-path",
        id="token-as-path-pattern",
    ),
    pytest.param(
        {f"{BODY}/required/-": SENTRY_TOKEN},
        "bounded-body",
        id="token-in-body-required",
    ),
    pytest.param(
        {"/actionTemplates/1/slug": _noise("slug", 64), f"{ISSUE_PARAMS}/8/default": 500},
        "no-secret-values",
        id="legacy-64-hex-token-as-action-slug",
    ),
]


@pytest.mark.parametrize(("patch", "policy_rule"), SECRET_KEYWORDS)
def test_secret_in_a_schema_keyword_is_never_echoed(
    patch: dict[str, Any], policy_rule: str, tmp_path: Path, sentry: Data
) -> None:
    secret = next(iter(patch.values()))
    path, _ = write(tmp_path, mutate(sentry, patch))
    findings = validate([path]).findings
    assert any(f.rule == "no-secret-values" for f in findings)
    # The rule modules themselves redact (fixed in hubtool/validate/rules/) ...
    assert all(secret not in f.message for f in findings if f.rule == policy_rule)
    # ... but every finding must.
    assert [f.rule for f in findings if secret in f.message] == []


# --- wrong shapes never crash the policy rules ---------------------------------------------------

WRONG_SHAPES = [
    pytest.param("/actionTemplates/0/slug", ["list-projects"], id="action-slug-array"),
    pytest.param("/actionTemplates/1/examples/0/name", {}, id="example-name-object"),
    pytest.param(f"{ISSUE_PARAMS}/8/name", ["limit"], id="parameter-name-array"),
    pytest.param(f"{BODY}/required", [["status"]], id="body-required-nested-array"),
    pytest.param(f"{ISSUE_PARAMS}/8/schema", None, id="parameter-schema-null-with-default"),
    pytest.param(
        f"{ISSUE_PARAMS}/5/schema/items",
        None,
        id="array-items-null",
    ),
    pytest.param(
        f"{ISSUE_PARAMS}/8/schema/type",
        "int",
        id="unknown-type-name",
    ),
]


@pytest.mark.parametrize(("pointer", "value"), WRONG_SHAPES)
def test_wrong_shape_is_a_schema_finding_not_a_crash(
    pointer: str, value: Any, tmp_path: Path, sentry: Data
) -> None:
    path, _ = write(tmp_path, mutate(sentry, {pointer: value}))
    findings = validate([path]).findings
    assert any(f.rule == "schema" and f.pointer.startswith(pointer) for f in findings)


def test_locate_reads_keys_values_and_array_items() -> None:
    data = {"a": {"b": [1, {"c": "x"}]}, "d": [[], {}]}
    text = json.dumps(data, indent=2)
    lines = text.split("\n")
    assert lines[locate(text, "/a/b/1/c").line - 1].strip() == '"c": "x"'
    assert locate(text, "/a/b/1/c") == Spot(6, 9, 14)
    assert lines[locate(text, "/d/1").line - 1].strip() == "{}"
    assert locate(text, "") == Spot(1, 1, 1)


# --- the issue's "Done when", end to end through the CLI ----------------------------------------

CLI_CASES = [
    SECRETS[2],
    ORIGIN[-1],
    BODIES[0],
    APPROVAL[0],
    PATHS[2],
]


@pytest.mark.parametrize("mutation", CLI_CASES, ids=lambda m: m.id)
def test_cli_exits_1_naming_rule_pointer_and_line(
    mutation: Mutation, tmp_path: Path, sentry: Data
) -> None:
    data = mutation.apply_to(sentry)
    path, text = write(tmp_path, data)
    result = subprocess.run(
        [sys.executable, "-m", "hubtool", "validate", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    spot = locate(text, mutation.pointer)
    named = [
        f
        for f in document["findings"]
        if f["rule"] == mutation.rule and f["pointer"] == mutation.pointer
    ]
    assert named, document["findings"]
    assert named[0]["line"] == spot.line
    assert named[0]["file"] == str(path)
    assert document["ok"] is False
    for secret in ALL_SECRETS:
        assert secret not in result.stdout + result.stderr


def test_cli_text_output_never_prints_a_secret(tmp_path: Path, sentry: Data) -> None:
    data = sentry
    for mutation in SECRETS:
        data = mutation.apply_to(data)
    path, text = write(tmp_path, data)
    assert all(secret in text for secret in ALL_SECRETS)
    result = subprocess.run(
        [sys.executable, "-m", "hubtool", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    rules = {line.split()[2] for line in result.stdout.splitlines() if ": error " in line}
    assert {"no-secret-fields", "no-secret-values"} <= rules
    for secret in ALL_SECRETS:
        assert secret not in result.stdout + result.stderr
