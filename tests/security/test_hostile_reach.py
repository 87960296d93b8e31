"""Hostile inputs that try to reach outside, or to crash a check (issue 17, items 1-3 and 5).

- No reach outside: whatever a manifest's, a spec's or a draft's ``$ref`` (``$dynamicRef``,
  ``$id``, ``$schema``) says, no request reaches a loopback server and no byte of a local file
  appears in any output, in every entry point (validate, ci, import --dry-run, render, drafts
  test, check-upstream, scaffold).
- No crash escapes a check: an injected crash becomes an ``internal-error`` finding for that
  file, every other finding is still reported, and the exit code is 2.
- A dangling ``$ref`` is a finding at its pointer, never a crash.
- One set of limits: the schema's caps, the byte cap and the README agree.
"""

from __future__ import annotations

import copy
import dataclasses
import http.server
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SENTRY, store_env
from gitrepo import RELPATH, RESOLVE, commit, git_env, init, write

from hubtool.core import limits
from hubtool.core.errors import HubtoolError
from hubtool.core.findings import Report
from hubtool.core.inputs import input_schema, value_problems
from hubtool.core.registry import BASE_MANIFEST, BASE_OPENAPI, apply_patch
from hubtool.core.schema import compile_schema, compile_schema_rs, manifest_schema, references
from hubtool.drafts.store import Store, new_id, now
from hubtool.load.strict import load
from hubtool.registry import RULES
from hubtool.report import reporter
from hubtool.upstream.contract import check_upstream
from hubtool.upstream.openapi import load_spec
from hubtool.validate.config.parse import load_config
from hubtool.validate.pipeline import validate

FORMATS = ("text", "json", "sarif", "github")
BODY = "/actionTemplates/1/inputs/body/properties"
TIMEOUT = 120  # a hang guard: every run here takes about a second


# --- the outside: a loopback server and a local file ----------------------------------------


class _Recorder(http.server.ThreadingHTTPServer):
    """Counts every connection (http, or a TLS handshake sent to it) and request path."""

    daemon_threads = True

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.connections = 0
        self.paths: list[str] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.connections += 1
        return True


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server = self.server
        assert isinstance(server, _Recorder)
        server.paths.append(self.path)
        body = json.dumps({"enum": [server.marker]}).encode()  # a schema that would be used
        self.send_response(200)
        self.send_header("Content-Type", "application/schema+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@dataclasses.dataclass
class Outside:
    marker: str
    """A unique string held only by the server's answers and the local files."""
    server: _Recorder
    file: Path
    """A schema file outside the work directory: ``{"enum": [marker]}``."""
    work: Path
    """Where the manifests are written; holds a copy of the file too (relative refs)."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def refs(self) -> list[str]:
        """Every kind of reference that would leave the document."""
        return [
            f"{self.url}/x.json",
            f"https://127.0.0.1:{self.server.server_address[1]}/x.json",
            f"//127.0.0.1:{self.server.server_address[1]}/x.json",
            self.file.as_uri(),
            f"file://{self.file}",
            str(self.file),
            "schema.json",
            "./schema.json",
            "../outside/schema.json",
            "../outside/schema.json#/enum",
            f"{self.url}/x.json#/enum",
            "#/nowhere",
        ]

    def assert_untouched(self, *outputs: str) -> None:
        assert self.server.connections == 0, self.server.paths
        for output in outputs:
            assert self.marker not in output


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[Outside]:
    marker = f"reach-marker-{uuid.uuid4().hex}"
    server = _Recorder(marker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    schema = json.dumps({"enum": [marker]})
    (tmp_path / "outside").mkdir()
    (tmp_path / "work").mkdir()
    file = tmp_path / "outside" / "schema.json"
    file.write_text(schema, encoding="utf-8")
    (tmp_path / "work" / "schema.json").write_text(schema, encoding="utf-8")
    try:
        yield Outside(marker, server, file, tmp_path / "work")
    finally:
        server.shutdown()
        server.server_close()


def _hostile_schemas(out: Outside) -> list[dict[str, Any]]:
    """One input schema per way of naming an outside document."""
    schemas: list[dict[str, Any]] = [{"$ref": ref} for ref in out.refs()]
    schemas += [
        {"$dynamicRef": f"{out.url}/x.json"},
        {"$id": f"{out.url}/base/", "type": "string", "allOf": [{"$ref": "x.json"}]},
        {"$schema": f"{out.url}/meta.json", "type": "string"},
        {"type": "string", "not": {"$ref": out.file.as_uri()}},
        {"type": "array", "maxItems": 2, "items": {"$ref": f"{out.url}/items.json"}},
    ]
    return schemas


def _hostile_manifest(out: Outside) -> tuple[dict[str, Any], list[str]]:
    """The base manifest whose body has one property per hostile schema, each with an example
    value the marker schema would refuse (so a fetched schema would print the marker), and a
    query parameter with a default; and the pointer of each reference keyword."""
    schemas = _hostile_schemas(out)
    names = [f"p{i}" for i in range(len(schemas))]
    patch: dict[str, Any] = {
        f"{BODY}/{name}": schema for name, schema in zip(names, schemas, strict=True)
    }
    example_body = {"name": "Sprocket", **{name: "Sprocket" for name in names}}
    patch["/actionTemplates/1/examples/0/input/body"] = example_body
    patch["/actionTemplates/0/inputs/parameters/-"] = {
        "name": "sort",
        "in": "query",
        "schema": {"$ref": f"{out.url}/sort.json"},
        "default": "name",
        "description": "Sort order.",
    }
    patch["/$schema"] = f"{out.url}/manifest.schema.json"  # an editor hint, never fetched
    data = apply_patch(BASE_MANIFEST, patch)
    expected = [
        at
        for name, schema in zip(names, schemas, strict=True)
        for at, _ in references(schema, f"{BODY}/{name}")
    ]
    expected.append("/actionTemplates/0/inputs/parameters/1/schema/$ref")
    return data, expected


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None):
    env = env or {k: v for k, v in os.environ.items() if k != "HUBTOOL_DEBUG"}
    env = {**env, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "hubtool", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=TIMEOUT,
    )


def _rendered(report: Report) -> dict[str, str]:
    outputs = {}
    for fmt in FORMATS:
        buffer = io.StringIO()
        reporter("report", fmt)(report, buffer)
        outputs[fmt] = buffer.getvalue()
    return outputs


# --- 1. no reach outside: the engines -------------------------------------------------------


def test_python_engine_retrieves_nothing(outside: Outside) -> None:
    for schema in _hostile_schemas(outside):
        wrapped = {"type": "object", "properties": {"v": schema}}
        problems = value_problems(wrapped, {"v": "Sprocket"})  # [] when unresolvable
        outside.assert_untouched(repr(problems))


def test_python_factory_refuses_before_any_io(outside: Outside) -> None:
    from referencing.exceptions import Unresolvable

    validator = compile_schema({"$ref": f"{outside.url}/x.json"})
    with pytest.raises(Unresolvable):
        list(validator.iter_errors("x"))
    validator = compile_schema({"$ref": outside.file.as_uri()})
    with pytest.raises(Unresolvable):
        list(validator.iter_errors("x"))
    outside.assert_untouched()


@pytest.mark.parametrize("kind", ["http", "file", "schema"])
def test_rust_factory_refuses_before_any_io(outside: Outside, kind: str) -> None:
    import jsonschema_rs

    schema = {
        "http": {"properties": {"a": {"$ref": f"{outside.url}/x.json"}}},
        "file": {"properties": {"a": {"$ref": outside.file.as_uri()}}},
        "schema": {"$schema": f"{outside.url}/meta.json", "type": "string"},
    }[kind]
    try:
        validator = compile_schema_rs(schema)
    except jsonschema_rs.ValidationError as exc:
        assert outside.marker not in str(exc)
    else:
        assert kind == "schema"  # an unknown $schema may be ignored, never fetched
        assert validator.is_valid("x")
    outside.assert_untouched()


def test_every_schema_engine_comes_from_the_factory() -> None:
    """No module builds a validator except through hubtool.core.schema's factory functions."""
    factories = {
        REPO / "hubtool" / "core" / "schema" / name for name in ("__init__.py", "offline.py")
    }
    direct = re.compile(
        r"validator_class\(\)\(|Draft\d+Validator\(|validator_for\(|validators\.create|"
        r"jsonschema_rs\.|RefResolver|Registry\("
    )
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in (REPO / "hubtool").rglob("*.py")
        if path not in factories
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if direct.search(line)
    ]
    assert offenders == []


# --- 1. no reach outside: every entry point ------------------------------------------------


def test_validate_in_process_every_format(outside: Outside) -> None:
    data, expected = _hostile_manifest(outside)
    path = _write(outside.work / "m.json", data)
    report = validate([path])
    found = {f.pointer for f in report.findings if f.rule == "no-schema-references"}
    assert found == set(expected)
    assert "internal-error" not in {f.rule for f in report.findings}
    outside.assert_untouched(*_rendered(report).values())


@pytest.mark.parametrize("fmt", FORMATS)
def test_validate_cli(outside: Outside, fmt: str) -> None:
    data, expected = _hostile_manifest(outside)
    _write(outside.work / "m.json", data)
    result = _cli("validate", "m.json", "--format", fmt, cwd=outside.work)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "no-schema-references" in result.stdout
    if fmt == "json":
        hits = json.loads(result.stdout)["findings"]
        found = {f["pointer"] for f in hits if f["rule"] == "no-schema-references"}
        assert found == set(expected)
    outside.assert_untouched(result.stdout, result.stderr)


def test_ci_on_a_pull_request(outside: Outside, tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    body = data["actionTemplates"][RESOLVE]["inputs"]["body"]["properties"]
    body["status"] = {"$ref": f"{outside.url}/status.json"}
    body["statusDetails"] = {"$ref": outside.file.as_uri()}
    write(repo, data)
    for fmt in FORMATS:
        result = _cli("ci", "--base", "main", "--format", fmt, cwd=repo, env=git_env())
        assert result.returncode == 1, result.stderr
        assert "no-schema-references" in result.stdout
        outside.assert_untouched(result.stdout, result.stderr)
    commit(repo)  # committed on the branch, then checked as the whole catalog
    result = _cli("ci", "--base", "HEAD~1", "--all", cwd=repo, env=git_env())
    assert result.returncode == 1 and "no-schema-references" in result.stdout
    assert RELPATH in result.stdout
    outside.assert_untouched(result.stdout, result.stderr)


def test_import_dry_run_and_render(outside: Outside, tmp_path: Path) -> None:
    data, _ = _hostile_manifest(outside)
    path = _write(outside.work / "m.json", data)
    env = store_env(tmp_path / "state" / "store.sqlite3", "reach-tester")
    for fmt in ("text", "json"):
        result = _cli("import", str(path), "--dry-run", "--format", fmt, cwd=outside.work, env=env)
        assert result.returncode == 1, result.stderr
        assert "no-schema-references" in result.stdout
        outside.assert_untouched(result.stdout, result.stderr)
    assert not (tmp_path / "state" / "store.sqlite3").exists()
    inputs = json.dumps({"path": {"widgetId": 7}, "body": {"name": "x", "p0": "y"}})
    result = _cli(
        "render",
        str(path),
        "rename-widget",
        "--input",
        "-",
        cwd=outside.work,
        env=env,
        stdin=inputs,
    )
    assert result.returncode == 1, result.stderr
    assert "no-schema-references" in result.stdout
    outside.assert_untouched(result.stdout, result.stderr)


def _store_with_hostile_draft(
    store_path: Path, ref_schema: dict[str, Any], state: str, slug: str
) -> str:
    """Sentry imported, plus a resolve-issue draft whose body status schema is ``ref_schema``
    (in its template and in its stored input schema), in ``state``. No import can create it:
    it stands for a store written by another tool or edited in place."""
    store = Store(store_path)
    try:
        with store.transaction():
            base = store.current_drafts(next(iter(store.drafts())).port_id)["resolve-issue"]
            template = copy.deepcopy(base.template)
            template["slug"] = slug
            template["inputs"]["body"]["properties"]["status"] = ref_schema
            stamp = now()
            draft = dataclasses.replace(
                base,
                id=new_id("dr"),
                slug=template["slug"],
                state=state,
                template=template,
                input_schema=input_schema(template),
                created_at=stamp,
                updated_at=stamp,
            )
            store.insert_draft(draft, "test-fixture")
    finally:
        store.close()
    return draft.id


@pytest.mark.parametrize("state", ["draft", "validated"])
def test_drafts_test(outside: Outside, tmp_path: Path, state: str) -> None:
    store = tmp_path / "state" / "store.sqlite3"
    env = store_env(store, "reach-tester")
    assert _cli("import", str(SENTRY), cwd=REPO, env=env).returncode == 0
    refs = (f"{outside.url}/x.json", outside.file.as_uri(), "#/nowhere")
    for index, ref in enumerate(refs):
        draft = _store_with_hostile_draft(store, {"$ref": ref}, state, f"hostile-{index}")
        result = _cli("drafts", "test", draft, cwd=REPO, env=env)
        assert result.returncode == 1, result.stderr
        assert "no-schema-references" in result.stdout
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        outside.assert_untouched(result.stdout, result.stderr)


def _spec_with(out: Outside, schema: dict[str, Any]) -> dict[str, Any]:
    widget = "/paths/~1v1~1widgets~1{widgetId}/patch"
    return apply_patch(
        BASE_OPENAPI,
        {f"{widget}/requestBody/content/application~1json/schema/properties/name": schema},
    )


def test_check_upstream_manifest_refs(outside: Outside) -> None:
    data, _ = _hostile_manifest(outside)
    _write(outside.work / "m.json", data)
    _write(outside.work / "openapi.json", BASE_OPENAPI)
    for fmt in FORMATS:
        result = _cli(
            "check-upstream", "m.json", "--openapi", "openapi.json", "--examples", "--format", fmt,
            cwd=outside.work,
        )  # fmt: skip
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        outside.assert_untouched(result.stdout, result.stderr)


def test_openapi_refs_never_leave_the_spec(outside: Outside) -> None:
    """A $ref in a spec is followed inside the spec's own directory tree only (issue 12: a
    multi-file spec): a URL, an absolute path or file URI, or ../ out of the tree is a clear
    error (exit 2) naming the reference, never a fetch or a read."""
    _write(outside.work / "m.json", BASE_MANIFEST)
    for ref in outside.refs():
        if ref.startswith("#"):
            continue
        _write(outside.work / "openapi.json", _spec_with(outside, {"$ref": ref}))
        for args in (
            ("check-upstream", "m.json", "--openapi", "openapi.json", "--examples"),
            ("scaffold", "--openapi", "openapi.json", "--operation", "updateWidget"),
        ):
            result = _cli(*args, cwd=outside.work)
            if ref in ("schema.json", "./schema.json"):  # work/schema.json: in the spec's tree
                assert result.returncode in (0, 1), (ref, result.stdout, result.stderr)
                assert "Traceback" not in result.stderr and outside.server.connections == 0
                continue
            assert result.returncode == 2, (ref, result.stdout, result.stderr)
            assert "only local $refs are supported" in result.stderr
            assert "Traceback" not in result.stderr
            outside.assert_untouched(result.stdout, result.stderr)


def test_openapi_schema_keywords_that_survive_resolution(outside: Outside) -> None:
    """$dynamicRef, $id and $schema are left in a resolved spec schema: the engine that checks
    examples against it still retrieves nothing."""
    _write(outside.work / "m.json", BASE_MANIFEST)
    for schema in _hostile_schemas(outside)[-5:]:
        _write(outside.work / "openapi.json", _spec_with(outside, schema))
        for args in (
            ("check-upstream", "m.json", "--openapi", "openapi.json", "--examples"),
            ("scaffold", "--openapi", "openapi.json", "--operation", "updateWidget"),
        ):
            result = _cli(*args, cwd=outside.work)
            if "only local $refs" not in result.stderr:
                assert result.returncode in (0, 1), (schema, result.stderr)
            assert "Traceback" not in result.stderr and "internal error" not in result.stderr
            outside.assert_untouched(result.stdout, result.stderr)


def test_spec_in_process_every_format(outside: Outside) -> None:
    doc = load(_write(outside.work / "m.json", BASE_MANIFEST))
    assert not isinstance(doc, list)
    for schema in _hostile_schemas(outside)[-5:]:
        spec_path = _write(outside.work / "openapi.json", _spec_with(outside, schema))
        try:
            spec = load_spec(spec_path)
        except HubtoolError as exc:
            assert outside.marker not in str(exc)
            continue
        report = Report(["m.json"], check_upstream(doc, spec, examples=True))
        assert "internal-error" not in {f.rule for f in report.findings}
        outside.assert_untouched(*_rendered(report).values())


# --- 3. a dangling $ref ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patch", "pointer"),
    [
        ({f"{BODY}/name": {"$ref": "#/nowhere"}}, f"{BODY}/name/$ref"),
        (
            {
                "/actionTemplates/0/inputs/parameters/0/schema": {"$ref": "#/nowhere"},
                "/actionTemplates/0/inputs/parameters/0/default": 5,
            },
            "/actionTemplates/0/inputs/parameters/0/schema/$ref",
        ),
        ({f"{BODY}/name": {"$ref": "#/$defs/missing~1x"}}, f"{BODY}/name/$ref"),
        ({f"{BODY}/name": {"anyOf": [{"$ref": "#/nowhere"}]}}, f"{BODY}/name/anyOf/0/$ref"),
    ],
)
def test_dangling_ref_is_a_finding(patch: dict[str, Any], pointer: str, tmp_path: Path) -> None:
    path = _write(tmp_path / "m.json", apply_patch(BASE_MANIFEST, patch))
    started = time.monotonic()
    result = _cli("validate", str(path), "--format", "json", cwd=tmp_path)
    assert time.monotonic() - started < TIMEOUT
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    hits = [f for f in findings if f["rule"] == "no-schema-references"]
    assert [f["pointer"] for f in hits] == [pointer]
    assert hits[0]["line"] > 1 and hits[0]["column"] > 1
    assert "internal-error" not in {f["rule"] for f in findings}


def test_dangling_ref_in_render_and_check_upstream(tmp_path: Path) -> None:
    data = apply_patch(BASE_MANIFEST, {f"{BODY}/name": {"$ref": "#/nowhere"}})
    _write(tmp_path / "m.json", data)
    _write(tmp_path / "openapi.json", BASE_OPENAPI)
    inputs = json.dumps({"path": {"widgetId": 7}, "body": {"name": "x"}})
    render = _cli("render", "m.json", "rename-widget", "--input", "-", cwd=tmp_path, stdin=inputs)
    assert render.returncode == 1 and "no-schema-references" in render.stdout
    upstream = _cli(
        "check-upstream", "m.json", "--openapi", "openapi.json", "--examples", cwd=tmp_path
    )
    assert upstream.returncode == 1, upstream.stderr
    assert "internal error" not in upstream.stderr
    dangling_spec = _spec_with_dangling()
    _write(tmp_path / "openapi.json", dangling_spec)
    upstream = _cli(
        "check-upstream", "m.json", "--openapi", "openapi.json", "--examples", cwd=tmp_path
    )
    assert upstream.returncode == 2
    assert "'#/nowhere' points at nothing" in upstream.stderr


def _spec_with_dangling() -> dict[str, Any]:
    widget = "/paths/~1v1~1widgets~1{widgetId}/patch"
    return apply_patch(
        BASE_OPENAPI,
        {
            f"{widget}/requestBody/content/application~1json/schema/properties/name": {
                "$ref": "#/nowhere"
            }
        },
    )


def test_recursive_refs_cannot_hang_a_run(tmp_path: Path) -> None:
    """Two self-references in an allOf double the work at every level of the example: the
    schema is reported, never evaluated."""
    twice = {"allOf": [{"$ref": "#/properties/body"}, {"$ref": "#/properties/body"}]}
    body = {"type": "object", "properties": {"name": {"type": "string"}, "x": twice}}
    value: dict[str, Any] = {"name": "a"}
    for _ in range(50):
        value = {"x": value, "name": "a"}
    data = apply_patch(
        BASE_MANIFEST,
        {"/actionTemplates/1/inputs/body": body, "/actionTemplates/1/examples/0/input/body": value},
    )
    _write(tmp_path / "m.json", data)
    env = {k: v for k, v in os.environ.items() if k != "HUBTOOL_DEBUG"}
    result = subprocess.run(  # 2**25 evaluations if the schema were evaluated: a hang
        [sys.executable, "-m", "hubtool", "validate", "m.json", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(REPO)},
        timeout=20,
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    hits = [f["pointer"] for f in findings if f["rule"] == "no-schema-references"]
    assert hits == [f"/actionTemplates/1/inputs/body/properties/x/allOf/{i}/$ref" for i in (0, 1)]


def test_reference_keywords_in_data_are_values() -> None:
    """A "$ref" key inside const, enum, default or examples is data; a property named $ref is
    a name: neither is a reference."""
    schema = {
        "type": "object",
        "properties": {"$ref": {"type": "string", "const": {"$ref": "#/x"}}},
        "default": {"$ref": "#/x"},
        "enum": [{"$id": "x"}],
        "examples": [{"$schema": "x"}],
    }
    assert list(references(schema)) == []
    assert list(references({"properties": {"a": {"$ref": "#"}}}, "/s")) == [
        ("/s/properties/a/$ref", "$ref")
    ]


# --- 2. no crash escapes a check ------------------------------------------------------------

PLANTED = "sntrys_" + "eyJpYXQiOjE3MDAwMDAwMDB9" + "_plantedPLANTEDplanted0123"
"""A credential-shaped string carried by the injected exception: it must never be printed."""


def _crash(doc: Any) -> Iterator[Any]:
    raise RuntimeError(f"boom {PLANTED} {doc.path}")
    yield


def _manifest_with_a_finding(tmp_path: Path) -> Path:
    """The base manifest with an automatic write: one write-requires-approval finding."""
    data = apply_patch(BASE_MANIFEST, {"/actionTemplates/1/approvalMode": "automatic"})
    return _write(tmp_path / "m.json", data)


def test_a_crashing_check_becomes_a_finding(tmp_path: Path, monkeypatch) -> None:
    from hubtool.validate import pipeline as checker
    from hubtool.validate import rules

    path = _manifest_with_a_finding(tmp_path)
    other = _write(tmp_path / "other.json", apply_patch(BASE_MANIFEST, {"/slug": "other-api"}))
    monkeypatch.delenv("HUBTOOL_DEBUG", raising=False)
    monkeypatch.setattr(checker, "checks", lambda: [*rules.checks(), _crash])
    report = validate([path, other])
    internal = [f for f in report.findings if f.rule == "internal-error"]
    assert sorted(f.file for f in internal) == sorted([str(path), str(other)])
    assert all("please report" in f.message.lower() for f in internal)
    assert "RuntimeError" in internal[0].message and "tests/" not in internal[0].message
    assert "write-requires-approval" in {f.rule for f in report.findings}
    assert report.incomplete and report.exit_code() == 2 and report.exit_code(strict=True) == 2
    for output in _rendered(report).values():
        assert PLANTED not in output and "boom" not in output


def test_a_crash_propagates_with_debug(tmp_path: Path, monkeypatch) -> None:
    from hubtool.validate import pipeline as checker
    from hubtool.validate import rules

    monkeypatch.setenv("HUBTOOL_DEBUG", "1")
    monkeypatch.setattr(checker, "checks", lambda: [*rules.checks(), _crash])
    with pytest.raises(RuntimeError):
        validate([_manifest_with_a_finding(tmp_path)])


def test_a_crashing_catalog_check_and_upstream_check(tmp_path: Path, monkeypatch) -> None:
    from hubtool.upstream import contract as upstream
    from hubtool.validate import pipeline as checker

    monkeypatch.delenv("HUBTOOL_DEBUG", raising=False)
    monkeypatch.setattr(checker, "check_catalog", _crash_catalog)
    path = _manifest_with_a_finding(tmp_path)
    report = validate([path])
    assert [f.file for f in report.findings if f.rule == "internal-error"] == [str(path)]
    assert report.exit_code() == 2

    monkeypatch.setattr(upstream, "_check_action", _crash_action)
    doc = load(path)
    spec = load_spec(_write(tmp_path / "openapi.json", BASE_OPENAPI))
    findings = check_upstream(doc, spec, examples=True)
    assert [f.rule for f in findings] == ["internal-error", "internal-error"]
    assert PLANTED not in json.dumps([f.to_dict() for f in findings])


def _crash_catalog(docs: Any) -> Iterator[Any]:
    raise IndexError(PLANTED)
    yield


def _crash_action(*args: Any) -> Iterator[Any]:
    raise ValueError(PLANTED)
    yield


def test_internal_error_cannot_be_waived_or_lowered(tmp_path: Path) -> None:
    config = tmp_path / ".hubtool.yaml"
    config.write_text("severity:\n  internal-error: off\n", encoding="utf-8")
    with pytest.raises(HubtoolError, match="cannot be lowered"):
        load_config(config, rules=RULES)
    waiver = "waivers:\n  - {rule: internal-error, file: m.json, pointer: /slug, reason: known}\n"
    config.write_text(waiver, encoding="utf-8")
    path = _manifest_with_a_finding(tmp_path)
    from hubtool.validate import pipeline as checker
    from hubtool.validate import rules

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("HUBTOOL_DEBUG", raising=False)
        patch.setattr(checker, "checks", lambda: [*rules.checks(), _crash])
        report = validate([path], config=load_config(config, rules=RULES))
    assert {"internal-error", "waiver-invalid"} <= {f.rule for f in report.findings}
    assert report.waived == [] and report.exit_code() == 2


_WRAPPER = """
import sys
from hubtool.validate import pipeline as checker, rules

SECRET = sys.argv.pop(1)

def crash(doc):
    raise RuntimeError("boom " + SECRET)
    yield

checker.checks = lambda: [*rules.checks(), crash]
from hubtool.cli import main
sys.argv[0] = "hubtool"
main()
"""


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_crashing_check_through_the_cli(tmp_path: Path, fmt: str) -> None:
    path = _manifest_with_a_finding(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "HUBTOOL_DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER, PLANTED, "validate", str(path), "--format", fmt],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(REPO), "NO_COLOR": "1"},
        timeout=TIMEOUT,
    )
    assert result.returncode == 2, result.stderr
    assert "internal-error" in result.stdout
    assert "write-requires-approval" in result.stdout  # the other findings are still there
    assert "please report" in result.stderr.lower()
    assert "Traceback" not in result.stderr
    assert PLANTED not in result.stdout + result.stderr


# --- 5. consistent limits -------------------------------------------------------------------


def _schema_caps(node: Any, pointer: str = "") -> Iterator[tuple[str, int]]:
    if isinstance(node, dict):
        for key, value in node.items():
            at = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
            if key in ("maxItems", "maxLength", "maxProperties") and isinstance(value, int):
                yield at, value
            yield from _schema_caps(value, at)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _schema_caps(item, f"{pointer}/{index}")


def test_the_schema_states_exactly_the_listed_caps() -> None:
    listed = {p: limit.value for limit in limits.LIMITS.values() for p in limit.pointers}
    assert dict(_schema_caps(manifest_schema())) == listed


def test_the_readme_states_every_cap() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| ([0-9,]+) \|", readme, re.M))
    assert {name: int(value.replace(",", "")) for name, value in rows.items()} == {
        name: limit.value for name, limit in limits.LIMITS.items()
    }
    assert f"{limits.MAX_BYTES // 2**20} MiB" in readme


def test_the_byte_cap_fits_a_manifest_at_the_action_cap(tmp_path: Path) -> None:
    """1,000 copies of Sentry's largest action, pretty-printed, fit with a third to spare;
    the loader reads the file and the schema allows its actions."""
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    largest = max(data["actionTemplates"], key=lambda a: len(json.dumps(a, indent=2)))
    actions = []
    for index in range(limits.MAX_ACTIONS):
        action = copy.deepcopy(largest)
        action["slug"] = f"{largest['slug']}-{index}"
        actions.append(action)
    data["actionTemplates"] = actions
    path = _write(tmp_path / "big.json", data)
    assert path.stat().st_size < limits.MAX_BYTES * 2 / 3
    started = time.monotonic()
    doc = load(path)
    assert not isinstance(doc, list), doc
    assert time.monotonic() - started < 30
    assert manifest_schema()["properties"]["actionTemplates"]["maxItems"] == limits.MAX_ACTIONS


def test_one_action_over_the_cap_is_a_schema_finding() -> None:
    from hubtool.core.schema import manifest_validator

    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    smallest = min(data["actionTemplates"], key=lambda a: len(json.dumps(a)))
    data["actionTemplates"] = [
        {**smallest, "slug": f"a-{index}"} for index in range(limits.MAX_ACTIONS + 1)
    ]
    errors = list(manifest_validator().iter_errors(data))
    assert [(list(e.absolute_path), e.validator) for e in errors] == [
        (["actionTemplates"], "maxItems")
    ]


def test_the_cli_default_is_the_one_byte_cap() -> None:
    from hubtool.cli import cli
    from hubtool.commands.diff import CiOptions, DiffOptions
    from hubtool.commands.validate import ValidateOptions
    from hubtool.load import strict as loader

    defaults = {
        name: next(p.default for p in cli.commands[name].params if p.name == "max_bytes")
        for name in ("validate", "diff", "ci")
    }
    assert loader.MAX_BYTES == limits.MAX_BYTES
    assert defaults == dict.fromkeys(defaults, limits.MAX_BYTES)
    assert ValidateOptions(()).max_bytes == DiffOptions(()).max_bytes == limits.MAX_BYTES
    assert CiOptions("main").max_bytes == limits.MAX_BYTES


def test_a_crashing_classification_fails_that_file_only(tmp_path: Path, monkeypatch) -> None:
    from hubtool.diff import compare

    old = _write(tmp_path / "old.json", BASE_MANIFEST)
    new = _write(tmp_path / "new.json", apply_patch(BASE_MANIFEST, {"/version": "1.1.0"}))
    monkeypatch.delenv("HUBTOOL_DEBUG", raising=False)
    monkeypatch.setattr(compare, "diff", _crash_diff)
    result = compare.compare_files(old, new)
    assert result.crashed and not result.verdict.ok
    findings = compare.gate_findings([result])
    assert [f.rule for f in findings] == ["internal-error"]
    assert "please report" in findings[0].message.lower() and PLANTED not in findings[0].message

    from hubtool.diff.bump import target_version

    assert target_version(result) is None  # never writes a version it could not justify


def _crash_diff(old: Any, new: Any) -> list[Any]:
    raise TypeError(PLANTED)


_DIFF_WRAPPER = """
import sys
from hubtool.diff import compare

SECRET = sys.argv.pop(1)

def crash(old, new):
    raise TypeError(SECRET)

compare.diff = crash
from hubtool.cli import main
sys.argv[0] = "hubtool"
main()
"""


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif", "github"])
def test_a_crashing_classification_through_the_cli(tmp_path: Path, fmt: str) -> None:
    old = _write(tmp_path / "old.json", BASE_MANIFEST)
    new = _write(tmp_path / "new.json", apply_patch(BASE_MANIFEST, {"/version": "1.1.0"}))
    env = {k: v for k, v in os.environ.items() if k != "HUBTOOL_DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", _DIFF_WRAPPER, PLANTED, "diff", str(old), str(new), "--format", fmt],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(REPO), "NO_COLOR": "1"},
        timeout=TIMEOUT,
    )
    assert result.returncode == 2, result.stderr
    assert "please report" in (result.stdout + result.stderr).lower()
    assert "Traceback" not in result.stderr
    assert PLANTED not in result.stdout + result.stderr
