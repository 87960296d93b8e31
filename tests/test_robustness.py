"""Robustness: bad input never crashes hubtool, and a credential in it is never printed.

Seeded fuzzing of everything hubtool reads: the Sentry manifest with random subtrees replaced
by values of every JSON type (huge numbers, unicode and control characters, very long strings,
nesting just under the 64-level cap), keys inserted, renamed and deleted, and fake credentials
placed in keys and values; raw-text damage to the file; random ``.hubtool.yaml`` contents;
mutated copies of a small OpenAPI spec (in JSON and YAML); random ``render`` inputs; and draft
stores that hubtool did not write. The library entry points take the bulk of the cases; the
real CLI (``python -m hubtool``) runs a sample of them in every command and output format.

The contract checked everywhere: the exit code is 0, 1 or 2; stderr never holds a traceback
or an "internal error"; no fake credential appears in any output. The fake credentials are
assembled at run time, and each string that carries one is credential-shaped as a whole
(``find_secret`` says so): that is the input the contract covers. Everything derives from SEED.

The regression tests at the end keep each violation this fuzzing found, named after what it
checks.
"""

from __future__ import annotations

import copy
import io
import json
import random
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SENTRY, SHARED, run_cli, shared_file, store_env

from hubtool.commands.drafts import input_errors
from hubtool.core.errors import HubtoolError
from hubtool.core.findings import Finding, Report
from hubtool.core.registry import BASE_MANIFEST
from hubtool.core.secrets import find_secret
from hubtool.diff.classify import diff
from hubtool.diff.compare import compare_files
from hubtool.diff.kinds import Change
from hubtool.drafts.importer import import_manifest, load_source
from hubtool.drafts.render import render_request
from hubtool.drafts.store import Store
from hubtool.load.strict import Document, parse
from hubtool.registry import RULES
from hubtool.report import SUBJECTS, reporter
from hubtool.report.json import diff_json
from hubtool.report.markdown import diff_markdown
from hubtool.report.text import diff_text
from hubtool.upstream.contract import check_upstream
from hubtool.upstream.openapi import load_spec
from hubtool.upstream.scaffold import scaffold
from hubtool.validate.config.parse import load_config
from hubtool.validate.pipeline import validate

SEED = 20240607
SENTRY_SPEC = "data/sentry/openapi-derefed.json"
ORIGINAL: dict[str, Any] = json.loads(SENTRY.read_text(encoding="utf-8"))

# --- fake credentials, assembled at run time -------------------------------------------------

TOKENS: tuple[str, ...] = (
    "sntrys_" + "eyJ" + "A1b2C3d4" * 5,
    "gh" + "p_" + "A1b2" * 9,
    "xox" + "b-" + "1234567890-" + "Ab1Cd2Ef3Gh4",
    "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "AKIA" + "IOSFODNN7" + "ABCDEFG",
    "Bear" + "er " + "Zx9Yq" + "A1b2C3d4E5f6G7h8",
    "https://" + "user:" + "hunter2pass" + "@example.com/x",
    "gl" + "pat-" + "Ab1Cd2Ef3Gh4Ij5Kl6Mn",
    "eyJ" + "hbGciOiJIUzI1NiJ9" + ".eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0" + ".SflKxwRJSMeKKF2QT4fw",
)
TOKEN = TOKENS[1]
"""The one used by the regression tests."""


def test_every_fake_credential_is_credential_shaped() -> None:
    """The oracle's premise: find_secret recognises each fake credential on its own."""
    assert all(find_secret(token) for token in TOKENS)


# --- random values and mutations -------------------------------------------------------------

NAMES = (
    "slug", "method", "path", "inputs", "parameters", "schema", "name", "in", "examples",
    "input", "body", "query", "enum", "pattern", "maximum", "minimum", "type", "properties",
    "required", "default", "baseUrl", "version", "items", "additionalProperties", "apiKey",
)  # fmt: skip
STRINGS = (
    "", " ", "x", "GET", "POST", "PUT", "DELETE", "json", "none", "require_approval",
    "automatic", "path", "query", "string", "integer", "object", "array", "/api/0/{a}/", "{x}",
    "..", "/", "//", "https://sentry.io/", "http://[::1", "https://[zz", "0.1.0", "1.0.0-rc.1+x",
    ">=0.1.0", "^", "\x00\x01\x1f\x7f", "\ud7ff\u00e9\u4e2d\U0001f600", "\u202e\u200b",
    "(a|b)+$", "[", "^[A-Za-z]+$", "\\", "~1~0/", "%2F", "\u0661\u00b2",
)  # fmt: skip
SEPARATORS = (" ", "/", ":", "=", ",", '"', "'", "\n", "?", "&")
MAX_NESTING = 40
"""Nesting added by one mutation: inserted anywhere in the manifest it stays under the cap."""


class Fuzzer:
    """Random JSON values, keys and mutations from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def token(self) -> str:
        return self.rng.choice(TOKENS)

    def embedded(self) -> str:
        """A fake credential inside other text; still credential-shaped as a whole."""
        text = (
            self.rng.choice(STRINGS)
            + self.rng.choice(SEPARATORS)
            + self.token()
            + self.rng.choice(SEPARATORS)
            + self.rng.choice(STRINGS)
        )
        return text if find_secret(text) else self.token()

    def text(self) -> str:
        roll = self.rng.randrange(6)
        if roll == 0:
            return self.rng.choice(STRINGS)
        if roll == 1:
            return "".join(
                chr(self.rng.randrange(1, 0x3000)) for _ in range(self.rng.randrange(30))
            )
        if roll == 2:
            return self.rng.choice("xa{") * self.rng.choice((300, 5000, 70_000))
        if roll == 3:
            return self.embedded()
        if roll == 4:
            return self.token()
        return "".join(self.rng.choice("ab{}/._-~%?#") for _ in range(self.rng.randrange(12)))

    def scalar(self) -> Any:
        roll = self.rng.randrange(8)
        if roll == 0:
            return None
        if roll == 1:
            return self.rng.random() < 0.5
        if roll == 2:
            return self.rng.randint(-(2**70), 2**70)
        if roll == 3:
            return self.rng.choice((0, -1, 1, 2**53, 10**99, -(10**99), 2**64 + 1))
        if roll == 4:
            return self.rng.choice((0.0, -0.5, 1e308, -1e308, 5e-324, 3.14159, 1e-7))
        return self.text()

    def key(self) -> str:
        roll = self.rng.random()
        if roll < 0.2:
            return self.token() if roll < 0.1 else self.embedded()
        if roll < 0.55:
            return self.rng.choice(NAMES)
        value = self.scalar()
        return value if isinstance(value, str) else json.dumps(value)

    def value(self, depth: int = 0) -> Any:
        roll = self.rng.random()
        if depth > 3 or roll < 0.6:
            return self.scalar()
        if roll < 0.8:
            return [self.value(depth + 1) for _ in range(self.rng.randrange(4))]
        return {self.key(): self.value(depth + 1) for _ in range(self.rng.randrange(4))}

    def nested(self) -> Any:
        """A value nested up to MAX_NESTING levels, under random keys."""
        node = self.scalar()
        for _ in range(self.rng.randrange(1, MAX_NESTING)):
            node = [node] if self.rng.random() < 0.5 else {self.key(): node}
        return node

    def mutate(self, data: Any, count: int | None = None) -> Any:
        """A copy of ``data`` with 1 to 5 random edits (or ``count``)."""
        data = copy.deepcopy(data)
        for _ in range(count or self.rng.randrange(1, 6)):
            containers = list(_containers(data))
            if not containers:
                return self.value()
            self._edit(self.rng.choice(containers))
        return data

    def _edit(self, target: dict[str, Any] | list[Any]) -> None:
        roll = self.rng.random()
        if isinstance(target, list):
            if roll < 0.5 and target:
                target[self.rng.randrange(len(target))] = self.value()
            elif roll < 0.7 and target:
                del target[self.rng.randrange(len(target))]
            else:
                target.insert(self.rng.randrange(len(target) + 1), self.value())
            return
        keys = list(target)
        if roll < 0.4 and keys:
            target[self.rng.choice(keys)] = self.value()
        elif roll < 0.55 and keys:
            del target[self.rng.choice(keys)]
        elif roll < 0.65 and keys:
            target[self.rng.choice(keys)] = self.embedded()
        elif roll < 0.8:
            target[self.key()] = self.value()
        elif roll < 0.9 and keys:
            target[self.key()] = target.pop(self.rng.choice(keys))
        else:
            target[self.key()] = self.nested()

    def damage(self, text: str) -> str:
        """Raw-text damage: cuts, stray characters, duplicate keys, nesting past the cap."""
        at = self.rng.randrange(len(text))
        token = json.dumps(self.token())
        deep_array = token + ": " + "[" * 70 + token + "]" * 70
        deep_object = token + ": " + ("{" + token + ": ") * 70 + "1" + "}" * 70
        edits: list[Callable[[], str]] = [
            lambda: text[:at],
            lambda: text[:at] + text[at + self.rng.randrange(1, 50) :],
            lambda: text[:at] + self.rng.choice(_STRAY) + text[at:],
            lambda: text.replace("{", "{" + token + ": 1, " + token + ": 2, ", 1),
            lambda: text.replace('"kind"', deep_array + ', "kind"', 1),
            lambda: text.replace('"kind"', deep_object + ', "kind"', 1),
            lambda: "\ufeff" + text,
            lambda: text + "\n" + token,
            lambda: text[:at] + '"' + self.token() + "\n" + text[at:],
        ]
        return self.rng.choice(edits)()


_STRAY = (
    '"', "{", "[", ",", ":", "\\", "\x00", "NaN", "-Infinity", "1e999", "01", "9" * 200,
    "\\ud800", "\\u00zz", "\n", "\t", "\ufeff",
)  # fmt: skip


def _containers(node: Any) -> Iterator[dict[str, Any] | list[Any]]:
    if isinstance(node, dict | list):
        yield node
        for child in node.values() if isinstance(node, dict) else node:
            yield from _containers(child)


def write_json(path: Path, data: Any, fuzzer: Fuzzer) -> Path:
    indent = fuzzer.rng.choice((None, 2))
    path.write_text(
        json.dumps(data, indent=indent, ensure_ascii=fuzzer.rng.random() < 0.5), encoding="utf-8"
    )
    return path


# --- the oracle ------------------------------------------------------------------------------


def leaked(*texts: str) -> list[str]:
    """The fake credentials that appear in any of ``texts``."""
    return [token for token in TOKENS if any(token in text for text in texts)]


def assert_clean(result: subprocess.CompletedProcess[str], case: str) -> None:
    """Exit 0/1/2, no traceback or internal error, no credential in stdout or stderr."""
    where = f"{case}: {' '.join(map(str, result.args))[:300]}"
    assert result.returncode in (0, 1, 2), f"{where}: exit {result.returncode}\n{result.stderr}"
    assert "Traceback" not in result.stderr, f"{where}\n{result.stderr[-3000:]}"
    assert "internal error" not in result.stderr, f"{where}\n{result.stderr[-3000:]}"
    assert not leaked(result.stdout, result.stderr), f"{where}: printed a fake credential"


def reported(report: Report) -> str:
    """Every report format, as the CLI would print it."""
    out = io.StringIO()
    for fmt in SUBJECTS["report"]:
        reporter("report", fmt)(report, out)
    return out.getvalue()


def finding_text(findings: list[Finding]) -> str:
    return "\n".join(f"{f.file} {f.pointer} {f.message}" for f in findings)


def change_text(changes: list[Change]) -> str:
    return json.dumps([[c.action, c.message, c.old, c.new] for c in changes], ensure_ascii=False)


# --- the cases -------------------------------------------------------------------------------


def mutants(seed: int, count: int) -> Iterator[tuple[Fuzzer, Any]]:
    fuzzer = Fuzzer(seed)
    for _ in range(count):
        yield fuzzer, fuzzer.mutate(ORIGINAL)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def original(fuzz_dir: Path) -> Path:
    path = fuzz_dir / "original.json"
    path.write_text(json.dumps(ORIGINAL, indent=2), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sentry_spec() -> Any:
    return load_spec(shared_file(SENTRY_SPEC))


# --- the library: validate, diff, check-upstream, import ---------------------------------------


def test_validate_survives_mutated_manifests(fuzz_dir: Path) -> None:
    for index, (fuzzer, data) in enumerate(mutants(SEED, 200)):
        path = write_json(fuzz_dir / f"validate-{index}.json", data, fuzzer)
        report = validate([path])
        assert not leaked(reported(report)), path


def test_validate_survives_damaged_text(fuzz_dir: Path) -> None:
    fuzzer = Fuzzer(SEED + 1)
    text = SENTRY.read_text(encoding="utf-8")
    for index in range(120):
        path = fuzz_dir / f"damaged-{index}.json"
        damaged = fuzzer.damage(text).encode("utf-8", "surrogatepass")
        if index % 10 == 0:  # an invalid UTF-8 byte as well
            damaged = damaged[:-2] + fuzzer.rng.choice((b"\xff", b"\xc3", b"\xed\xa0\x80")) + b"}"
        path.write_bytes(damaged)
        assert not leaked(reported(validate([path]))), path


def test_diff_survives_mutated_manifests(fuzz_dir: Path, original: Path) -> None:
    for index, (fuzzer, data) in enumerate(mutants(SEED + 2, 200)):
        assert not leaked(change_text(diff(ORIGINAL, data) + diff(data, ORIGINAL))), index
        path = write_json(fuzz_dir / f"diff-{index}.json", data, fuzzer)
        try:  # a file that does not parse cannot be diffed: exit 2, with file:line:col
            results = [compare_files(original, path), compare_files(path, original)]
        except HubtoolError as exc:
            assert not leaked(str(exc)) and "cannot diff" in str(exc), path
            continue
        out = io.StringIO()
        diff_text(results, out)
        diff_json(results, out)
        diff_markdown(results, out)
        assert not leaked(out.getvalue()), path


def test_check_upstream_survives_mutated_manifests(sentry_spec: Any) -> None:
    for index, (_, data) in enumerate(mutants(SEED + 3, 80)):
        doc = parse(json.dumps(data, indent=2), f"upstream-{index}.json")
        if not isinstance(doc, Document):  # a number past the loader's 100-digit cap
            continue
        findings = check_upstream(doc, sentry_spec, examples=True)
        assert not leaked(finding_text(findings)), index


def test_import_plan_survives_mutated_manifests(fuzz_dir: Path) -> None:
    """Any manifest that validates can be planned; one that does not is refused, never half-read."""
    store = Store(Path(":memory:"))
    fuzzer = Fuzzer(SEED + 4)
    try:
        for index in range(60):
            data = fuzzer.mutate(ORIGINAL, count=1)  # one edit: some still validate
            path = write_json(fuzz_dir / f"import-{index}.json", data, fuzzer)
            source, report = load_source(path, rules=RULES)
            assert not leaked(reported(report)), path
            if source is not None:
                plan = import_manifest(store, source, "fuzz", dry_run=True)
                assert plan.steps, path
    finally:
        store.close()


def test_render_survives_random_inputs() -> None:
    """Inputs for each Sentry action: refused with located errors, or rendered token-free."""
    fuzzer = Fuzzer(SEED + 11)
    port = ORIGINAL["portTemplates"][0]
    rendered = 0
    for index in range(300):
        action = fuzzer.rng.choice(ORIGINAL["actionTemplates"])
        example = fuzzer.rng.choice(action["examples"])["input"]
        data = fuzzer.mutate(example, count=1) if index % 4 else example
        if index % 7 == 0:
            data = fuzzer.value()
        doc = parse(json.dumps(data), "input.json")
        if not isinstance(doc, Document):  # a number past the loader's 100-digit cap
            continue
        errors = input_errors(action, doc)
        if errors:
            assert not leaked("\n".join(errors)), data
            continue
        request = render_request(port, action, doc.data)
        assert not leaked(request.text(), json.dumps(request.to_dict())), data
        rendered += 1
    assert rendered >= 50


# --- the library: OpenAPI specs and configurations ----------------------------------------------

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Acme API", "version": "1"},
    "servers": [{"url": "https://api.acme.example/{base}", "variables": {"base": {"default": ""}}}],
    "components": {
        "schemas": {
            "Widget": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 80, "example": "Sprocket"},
                    "color": {"type": "string", "enum": ["red", "blue"], "nullable": True},
                    "size": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "meta": {
                        "allOf": [
                            {
                                "type": "object",
                                "properties": {
                                    "a": {"type": "number", "description": "The maximum is 100."}
                                },
                            }
                        ]
                    },
                },
            }
        },
        "parameters": {
            "Limit": {
                "in": "query",
                "name": "limit",
                "description": "Page size. The maximum is 100.",
                "schema": {"type": "integer", "minimum": 1},
                "example": 10,
            }
        },
    },
    "paths": {
        "/v1/widgets": {
            "parameters": [{"$ref": "#/components/parameters/Limit"}],
            "get": {
                "operationId": "listWidgets",
                "summary": "List widgets.",
                "parameters": [
                    {"in": "query", "name": "q", "schema": {"type": "string"}},
                    {"in": "header", "name": "X-Trace", "schema": {"type": "string"}},
                ],
                "security": [{"oauth": ["widget:read"]}],
                "responses": {"200": {"description": "The widgets."}},
            },
            "post": {
                "operationId": "createWidget",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Widget"},
                            "examples": {"one": {"value": {"name": "Sprocket", "color": "red"}}},
                        }
                    },
                },
                "responses": {"201": {"description": "Created."}},
            },
        },
        "/v1/widgets/{widget_id}": {
            "parameters": [
                {"in": "path", "name": "widget_id", "required": True, "schema": {"type": "integer"}}
            ],
            "patch": {
                "operationId": "updateWidget",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}
                    }
                },
                "responses": {"200": {"description": "Updated."}},
            },
            "delete": {"operationId": "deleteWidget", "responses": {"204": {"description": "."}}},
        },
        "/v1/widgets/{widget_id}/parts/{part}": {
            "get": {
                "operationId": "getWidgetPart",
                "parameters": [
                    {
                        "in": "path",
                        "name": "widget_id",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {
                        "in": "path",
                        "name": "part",
                        "required": True,
                        "schema": {"type": "string", "enum": ["a", "b"]},
                    },
                ],
                "responses": {"200": {"description": "The part."}},
            }
        },
    },
}
OPERATIONS = ("listWidgets", "createWidget", "updateWidget", "deleteWidget", "getWidgetPart")
REFS = (
    "#/components/schemas/Widget", "#/components/schemas/Widget/properties", "#/paths", "#/",
    "#", "#/components/x/99999999999", "#/servers/\u00b2", "#/servers/" + "9" * 5000,
    "http://elsewhere.example/x.json", "#/paths/~1v1~1widgets", "#/info/title",
)  # fmt: skip
PROSE = (
    "The maximum is " + "9" * 5000 + ".", "between 1 and " + "9" * 5000, "(max: 7)", "at most 3",
)  # fmt: skip


def mutate_spec(fuzzer: Fuzzer) -> dict[str, Any]:
    """SPEC with random edits, $refs anywhere (cycles included), YAML-only keys, odd prose."""
    spec = fuzzer.mutate(SPEC)
    for _ in range(fuzzer.rng.randrange(4)):
        target = fuzzer.rng.choice(list(_containers(spec)))
        if isinstance(target, list):
            target.append({"$ref": fuzzer.rng.choice(REFS)})
            continue
        roll = fuzzer.rng.random()
        if roll < 0.5:
            target["$ref"] = fuzzer.rng.choice(REFS)
        elif roll < 0.8:
            target[fuzzer.rng.choice((404, None, True, 1.5))] = fuzzer.value()  # YAML keys
        else:
            target["description"] = fuzzer.rng.choice(PROSE)
    return spec


def write_spec(path: Path, spec: dict[str, Any], fuzzer: Fuzzer) -> Path:
    if fuzzer.rng.random() < 0.5:
        path = path.with_suffix(".yaml")
        path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    else:
        path.write_text(json.dumps({str(k): v for k, v in spec.items()}), encoding="utf-8")
    return path


def widgets_manifest() -> Document:
    doc = parse(json.dumps(BASE_MANIFEST, indent=2), "acme-api.json")
    assert isinstance(doc, Document)
    return doc


def test_specs_survive_load_scaffold_and_check_upstream(fuzz_dir: Path) -> None:
    fuzzer = Fuzzer(SEED + 5)
    manifest = widgets_manifest()
    for index in range(120):
        try:
            path = write_spec(fuzz_dir / f"spec-{index}.json", mutate_spec(fuzzer), fuzzer)
        except (TypeError, ValueError):  # json.dumps refuses some YAML-only keys
            continue
        try:
            spec = load_spec(path)
        except HubtoolError as exc:
            assert not leaked(str(exc)), path
            continue
        assert not leaked(finding_text(check_upstream(manifest, spec, examples=True))), path
        for operation in (*OPERATIONS, fuzzer.token()):
            try:
                result = scaffold(spec, operation, body_fields=fuzzer.rng.choice(((), ("name",))))
            except HubtoolError as exc:
                assert not leaked(str(exc)), path
                continue
            assert not find_secret(json.dumps(result.action)), path


CONFIG: dict[str, Any] = {
    "severity": {"typed-query": "error", "unique-slugs": "warning"},
    "waivers": [
        {
            "rule": "write-requires-approval",
            "file": "acme-api.json",
            "pointer": "/actionTemplates/1/approvalMode",
            "reason": "reviewed",
            "expires": "2099-01-01",
        }
    ],
}
YAML_STRAY = (
    "\t", ": ", "- ", "&a ", "*a", "!!python/object:os.system ", "{", "[" * 3000, "\x00", "? ",
    "<<: *b", "%YAML 1.1\n", "2027-13-45", "---\n", "'", '"\\',
)  # fmt: skip


def random_config(fuzzer: Fuzzer) -> str:
    """YAML: a mutated configuration, any random value, or damaged text."""
    roll = fuzzer.rng.random()
    if roll < 0.6:
        return yaml.safe_dump(fuzzer.mutate(CONFIG), allow_unicode=True)
    if roll < 0.75:
        return yaml.safe_dump(fuzzer.value(), allow_unicode=True)
    text = yaml.safe_dump(CONFIG)
    at = fuzzer.rng.randrange(len(text))
    stray = fuzzer.rng.choice((*YAML_STRAY, f" {fuzzer.token()} "))
    return text[:at] + stray + text[at:]


def test_configurations_load_or_stop_cleanly(fuzz_dir: Path) -> None:
    fuzzer = Fuzzer(SEED + 6)
    manifest = fuzz_dir / "acme-api.json"
    manifest.write_text(json.dumps(BASE_MANIFEST, indent=2), encoding="utf-8")
    for index in range(200):
        path = fuzz_dir / f"config-{index}.yaml"
        path.write_text(random_config(fuzzer), encoding="utf-8")
        try:
            config = load_config(path, rules=RULES)
        except HubtoolError as exc:
            assert not leaked(str(exc)), path
            continue
        assert not leaked(reported(validate([manifest], config=config))), path


# --- the real CLI ----------------------------------------------------------------------------

DIFF_FORMATS = ("text", "json", "markdown", "sarif", "github")
RENDER_INPUT = {
    "path": {"organizationIdOrSlug": "acme", "issueId": "1"},
    "query": {"query": "is:unresolved", "limit": 5},
    "body": {"status": "resolved"},
}


def test_cli_validate_in_every_format(fuzz_dir: Path) -> None:
    """Many mutants per run: each format sees every one of them."""
    fuzzer = Fuzzer(SEED + 7)
    text = SENTRY.read_text(encoding="utf-8")
    paths = [
        str(write_json(fuzz_dir / f"cli-validate-{i}.json", fuzzer.mutate(ORIGINAL), fuzzer))
        for i in range(30)
    ]
    for index in range(10):
        path = fuzz_dir / f"cli-damaged-{index}.json"
        path.write_text(fuzzer.damage(text), encoding="utf-8", errors="surrogatepass")
        paths.append(str(path))
    for fmt in ("text", "json", "sarif", "github"):
        assert_clean(run_cli("validate", *paths, "--format", fmt), "validate")


def test_cli_diff_check_upstream_render_and_import(fuzz_dir: Path, original: Path) -> None:
    """Each mutant through diff (every format, both ways), check-upstream, render and import."""
    spec = SHARED / SENTRY_SPEC
    store = fuzz_dir / "store" / "store.sqlite3"
    env = store_env(store, "fuzz")
    for index, (fuzzer, data) in enumerate(mutants(SEED + 8, 6)):
        path = write_json(fuzz_dir / f"cli-{index}.json", data, fuzzer)
        for fmt in DIFF_FORMATS:
            assert_clean(run_cli("diff", str(original), str(path), "--format", fmt), "diff")
        assert_clean(run_cli("diff", str(path), str(original)), "diff reversed")
        fmt = fuzzer.rng.choice(("text", "json", "sarif", "github"))
        upstream = ("check-upstream", str(path), "--openapi", str(spec), "--examples")
        if spec.exists():  # ../shared sits beside the repository in CI
            assert_clean(run_cli(*upstream, "--format", fmt), "check-upstream")
        request = fuzz_dir / f"cli-input-{index}.json"
        request.write_text(json.dumps(fuzzer.mutate(RENDER_INPUT)), encoding="utf-8")
        action = fuzzer.rng.choice(("list-projects", "list-issues", "resolve-issue", "nope"))
        for manifest in (SENTRY, path):
            render = ("render", str(manifest), action, "--input", str(request))
            assert_clean(
                run_cli(*render, "--format", fuzzer.rng.choice(("text", "json"))), "render"
            )
        for fmt in ("text", "json"):
            result = run_cli("import", str(path), "--dry-run", "--format", fmt, env=env)
            assert_clean(result, "import --dry-run")
    assert not store.exists(), "--dry-run wrote a store"


def test_cli_configurations(fuzz_dir: Path) -> None:
    fuzzer = Fuzzer(SEED + 9)
    manifest = fuzz_dir / "acme-api.json"
    manifest.write_text(json.dumps(BASE_MANIFEST, indent=2), encoding="utf-8")
    for index in range(8):
        config = fuzz_dir / f"cli-config-{index}.yaml"
        config.write_text(random_config(fuzzer), encoding="utf-8")
        fmt = ("text", "json", "sarif", "github")[index % 4]
        result = run_cli("validate", str(manifest), "--config", str(config), "--format", fmt)
        assert_clean(result, "validate --config")


def test_cli_specs(fuzz_dir: Path) -> None:
    fuzzer = Fuzzer(SEED + 10)
    for index in range(6):
        try:
            spec = write_spec(fuzz_dir / f"cli-spec-{index}.json", mutate_spec(fuzzer), fuzzer)
        except (TypeError, ValueError):
            continue
        fmt = ("text", "json", "sarif", "github")[index % 4]
        upstream = ("check-upstream", str(SENTRY), "--openapi", str(spec), "--examples")
        assert_clean(run_cli(*upstream, "--format", fmt), "check-upstream")
        into = fuzz_dir / f"cli-into-{index}.json"
        into.write_text(json.dumps(BASE_MANIFEST, indent=2), encoding="utf-8")
        operation = fuzzer.rng.choice((*OPERATIONS, fuzzer.token()))
        args = ["scaffold", "--openapi", str(spec), "--operation", operation]
        assert_clean(run_cli(*args), "scaffold")
        assert_clean(run_cli(*args, "--into", str(into), "--format", "text"), "scaffold --into")


# --- regressions: each violation the fuzzing found -------------------------------------------


def _manifest(tmp_path: Path, data: Any, name: str = "m.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_syntax_finding_pointer_redacts_credential_keys(tmp_path: Path) -> None:
    """Nesting past the cap under credential-shaped keys: the json-syntax pointer is redacted."""
    data = copy.deepcopy(ORIGINAL)
    node: Any = 1
    for _ in range(70):
        node = {TOKEN: node}
    data["x"] = node
    report = validate([_manifest(tmp_path, data)])
    [error] = [f for f in report.findings if f.rule == "json-syntax"]
    assert "/x/<redacted>/<redacted>" in error.pointer
    # the file does not parse, so its lines are scanned: the keys are found, never echoed
    assert {f.rule for f in report.findings} == {"json-syntax", "no-secret-values"}
    assert not leaked(reported(report))


def test_duplicate_credential_key_is_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    key = json.dumps(TOKEN)
    path.write_text(SENTRY.read_text().replace("{", "{" + f"{key}: 1, {key}: 2, ", 1))
    report = validate([path])
    [error] = [f for f in report.findings if f.rule == "json-syntax"]
    assert "duplicate key" in error.message and not leaked(reported(report))
    # a duplicate key stops the parse; the line scan still finds the key that is a credential
    assert [f.rule for f in report.sorted_findings()] == ["no-secret-values", "json-syntax"]


def test_pointer_redacts_escaped_url_credentials(tmp_path: Path) -> None:
    """A key holding a URL with userinfo is escaped in a pointer (~1): still redacted."""
    url = TOKENS[6]
    data = copy.deepcopy(ORIGINAL)
    data["actionTemplates"][0]["inputs"]["parameters"][0]["schema"][url] = 1
    report = validate([_manifest(tmp_path, data)])
    assert any(f.pointer.endswith("/schema/<redacted>") for f in report.findings)
    assert not leaked(reported(report)) and "hunter2pass" not in reported(report)


def test_unknown_example_key_message_redacts_allowed_keys(tmp_path: Path) -> None:
    """examples-valid lists the allowed keys; one named like a credential is redacted."""
    data = copy.deepcopy(ORIGINAL)
    data["actionTemplates"][1]["inputs"]["parameters"][1]["name"] = TOKEN
    report = validate([_manifest(tmp_path, data)])
    assert any("allowed keys here:" in f.message for f in report.findings)
    assert not leaked(reported(report))


def test_findings_are_redacted_when_built() -> None:
    finding = Finding("schema", "error", "m.json", f"/a/{TOKEN}", 1, 1, f"bad {TOKEN!r} here")
    assert finding.pointer == "/a/<redacted>"
    assert finding.message.startswith("bad '<GitHub token: gh... (40 chars, redacted)>'")


def test_diff_redacts_credential_keys_in_old_and_new_values(tmp_path: Path) -> None:
    data = copy.deepcopy(ORIGINAL)
    data["actionTemplates"][0]["inputs"]["parameters"][1]["schema"]["x-extra"] = {TOKEN: [TOKEN]}
    [change] = diff(ORIGINAL, data)
    assert change.new == {"<redacted key 0>": ["<redacted>"]}
    result = run_cli("diff", str(SENTRY), str(_manifest(tmp_path, data)), "--format", "json")
    assert_clean(result, "diff")


@pytest.mark.parametrize("fmt", DIFF_FORMATS)
def test_diff_redacts_a_credential_shaped_version(tmp_path: Path, fmt: str) -> None:
    data = copy.deepcopy(ORIGINAL)
    data["version"] = TOKEN
    result = run_cli("diff", str(SENTRY), str(_manifest(tmp_path, data)), "--format", fmt)
    assert_clean(result, "diff")
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("old", "new"),
    [(100, "x"), ("x", 100), (100, [1]), ({"a": 1}, 5), (True, 7)],
    ids=["number-to-string", "string-to-number", "to-array", "from-object", "bool"],
)
def test_diff_of_bounds_that_are_not_numbers(old: Any, new: Any) -> None:
    """Bounds that do not compare are a change on the safe side (narrowed), not a crash."""
    before, after = copy.deepcopy(ORIGINAL), copy.deepcopy(ORIGINAL)
    before["actionTemplates"][0]["inputs"]["parameters"][2]["schema"]["maximum"] = old
    after["actionTemplates"][0]["inputs"]["parameters"][2]["schema"]["maximum"] = new
    kinds = {c.kind for c in diff(before, after)}
    assert kinds == {"constraint-narrowed"}


def test_diff_of_required_lists_with_unhashable_items() -> None:
    data = copy.deepcopy(ORIGINAL)
    body = data["actionTemplates"][2]["inputs"]["body"]
    body["properties"]["statusDetails"]["required"] = [["a"], {"b": 1}]
    assert diff(ORIGINAL, data) and diff(data, ORIGINAL)


def test_check_upstream_with_odd_types_in_the_manifest(sentry_spec: Any) -> None:
    """Non-numeric bounds, an unhashable parameter name and a broken baseUrl: findings only."""
    data = copy.deepcopy(ORIGINAL)
    data["portTemplates"][0]["baseUrl"] = "https://[sentry.io/"
    data["actionTemplates"][0]["inputs"]["parameters"][0]["name"] = ["organizationIdOrSlug"]
    data["actionTemplates"][0]["inputs"]["parameters"][2]["schema"]["maximum"] = "100"
    data["actionTemplates"][1]["inputs"]["parameters"][2]["schema"] = {"type": TOKEN, "minimum": {}}
    doc = parse(json.dumps(data, indent=2), "m.json")
    assert isinstance(doc, Document)
    assert not leaked(finding_text(check_upstream(doc, sentry_spec, examples=True)))


def test_check_upstream_reports_a_non_numeric_bound_as_wider(sentry_spec: Any) -> None:
    data = copy.deepcopy(ORIGINAL)
    data["actionTemplates"][0]["inputs"]["parameters"][2]["schema"]["maximum"] = "100"
    doc = parse(json.dumps(data, indent=2), "m.json")
    assert isinstance(doc, Document)
    messages = [f.message for f in check_upstream(doc, sentry_spec)]
    assert any("maximum '100' may exceed" in m for m in messages), messages


def _spec_file(tmp_path: Path, spec: Any, name: str = "spec.json") -> Path:
    path = tmp_path / name
    if name.endswith(".yaml"):
        path.write_text(spec if isinstance(spec, str) else yaml.safe_dump(spec), encoding="utf-8")
    else:
        path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def test_yaml_spec_keys_that_are_not_strings(tmp_path: Path) -> None:
    """YAML's 200:, true: and 1.5: keys read as the JSON strings they stand for."""
    text = yaml.safe_dump(SPEC).replace("'201':", "201:").replace("name:\n", "1.5:\n", 1)
    text = text.replace("      - name\n", "      - '1.5'\n", 1)  # required follows the rename
    text += "x-dated:\n  2020-01-01: true\n  null: 1\n"
    spec = load_spec(_spec_file(tmp_path, text, "spec.yaml"))
    created = scaffold(spec, "createWidget").action
    assert "1.5" in created["inputs"]["body"]["properties"]


def test_recursive_refs_are_cut_not_expanded(tmp_path: Path) -> None:
    """Two $refs back to their own schema once took 20 GB; a cycle now ends at any value."""
    spec = copy.deepcopy(SPEC)
    properties = spec["components"]["schemas"]["Widget"]["properties"]
    properties["color"]["enum"].append({"$ref": "#/components/schemas/Widget/properties"})
    properties["size"]["anyOf"].append({"$ref": "#/components/schemas/Widget/properties"})
    started = time.monotonic()
    result = run_cli(
        "scaffold", "--openapi", str(_spec_file(tmp_path, spec)), "--operation", "createWidget"
    )
    assert_clean(result, "scaffold")
    assert time.monotonic() - started < 30


def test_reference_bomb_is_refused(tmp_path: Path) -> None:
    """$refs that fan out (no cycle) to more than MAX_EXPANDED nodes exit 2."""
    levels = {f"L{i}": [{"$ref": f"#/components/schemas/L{i + 1}"}] * 8 for i in range(12)}
    levels["L12"] = {"type": "string"}
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"].update(levels)
    spec["components"]["schemas"]["Widget"]["properties"]["bomb"] = {
        "$ref": "#/components/schemas/L0"
    }
    result = run_cli(
        "scaffold", "--openapi", str(_spec_file(tmp_path, spec)), "--operation", "listWidgets"
    )
    assert result.returncode == 2 and "expands to more than" in result.stderr
    assert_clean(result, "scaffold")


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    """Ten levels of nine aliases: 9**10 nodes once expanded; refused like a reference bomb."""
    lines = ["openapi: 3.0.0", "x:", "  a0: &a0 [" + ", ".join(["lol"] * 9) + "]"]
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines += ["paths:", "  /x:", "    get:", "      operationId: bomb", "      parameters: *a9"]
    path = _spec_file(tmp_path, "\n".join(lines) + "\n", "spec.yaml")
    started = time.monotonic()
    result = run_cli("scaffold", "--openapi", str(path), "--operation", "bomb")
    assert result.returncode == 2 and "expands to more than" in result.stderr
    assert_clean(result, "scaffold")
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    "ref",
    ["#/servers/\u00b2", "#/servers/" + "9" * 5000],
    ids=["superscript-digit", "5000-digits"],
)
def test_ref_with_an_index_int_refuses(tmp_path: Path, ref: str) -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/v1/widgets"]["get"]["parameters"].append({"$ref": ref})
    result = run_cli("check-upstream", str(SENTRY), "--openapi", str(_spec_file(tmp_path, spec)))
    assert result.returncode == 2 and "points at nothing" in result.stderr
    assert_clean(result, "check-upstream")


def test_stated_limit_with_thousands_of_digits(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["parameters"]["Limit"]["description"] = "The maximum is " + "9" * 5000
    spec["paths"]["/v1/widgets"]["get"]["parameters"][0]["description"] = (
        "between 1 and " + "9" * 5000
    )
    path = _spec_file(tmp_path, spec)
    assert scaffold(load_spec(path), "listWidgets").action
    manifest = _manifest(tmp_path, BASE_MANIFEST, "acme-api.json")
    assert_clean(run_cli("check-upstream", str(manifest), "--openapi", str(path)), "check-upstream")


@pytest.mark.parametrize("scopes", [5, None])
def test_security_scopes_that_are_not_lists(tmp_path: Path, scopes: Any) -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/v1/widgets"]["get"]["security"] = [{"oauth": scopes}]
    manifest = _manifest(tmp_path, BASE_MANIFEST, "acme-api.json")
    result = run_cli("check-upstream", str(manifest), "--openapi", str(_spec_file(tmp_path, spec)))
    assert_clean(result, "check-upstream")


def test_spec_types_that_are_not_strings(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["parameters"]["Limit"]["schema"]["type"] = [{"a": 1}, ["integer"]]
    spec["servers"] = [{"url": "http://[api.acme.example/"}]
    manifest = _manifest(tmp_path, BASE_MANIFEST, "acme-api.json")
    result = run_cli("check-upstream", str(manifest), "--openapi", str(_spec_file(tmp_path, spec)))
    assert_clean(result, "check-upstream")


def test_scaffold_errors_and_notes_redact_credentials(tmp_path: Path) -> None:
    """An operation id or body field from the command line, a type from the spec: redacted."""
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/v1/widgets"]["get"]["parameters"][0]["schema"]["type"] = TOKENS[5]
    path = _spec_file(tmp_path, spec)
    for args in (
        ("--operation", TOKEN),
        ("--operation", "updateWidget", "--body-field", TOKEN),
        ("--operation", "listWidgets"),
    ):
        result = run_cli("scaffold", "--openapi", str(path), *args)
        assert_clean(result, "scaffold")
    assert "note: query parameter 'q' skipped" in result.stderr


def test_yaml_spec_errors_quote_no_credential(tmp_path: Path) -> None:
    """PyYAML's error quotes the line it stopped at, here a whole access key id."""
    path = _spec_file(tmp_path, f"openapi: 3.0.0\nx: @{TOKENS[4]}\n", "spec.yaml")
    result = run_cli("check-upstream", str(SENTRY), "--openapi", str(path))
    assert result.returncode == 2 and "not valid YAML" in result.stderr
    assert_clean(result, "check-upstream")


def test_config_nested_too_deeply_exits_2(tmp_path: Path) -> None:
    config = tmp_path / ".hubtool.yaml"
    config.write_text("severity: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    result = run_cli("validate", str(SENTRY), "--config", str(config))
    assert result.returncode == 2 and "nested too deeply" in result.stderr
    assert_clean(result, "validate --config")


def test_config_waiver_file_with_a_nul_byte_exits_2(tmp_path: Path) -> None:
    config = tmp_path / ".hubtool.yaml"
    waiver = '  - {rule: schema, file: "a\\0b", pointer: /x, reason: r}\n'
    config.write_text("waivers:\n" + waiver, encoding="utf-8")
    result = run_cli("validate", str(SENTRY), "--config", str(config))
    assert result.returncode == 2 and "is not a usable path" in result.stderr
    assert_clean(result, "validate --config")


def test_config_errors_quote_no_credential(tmp_path: Path) -> None:
    config = tmp_path / ".hubtool.yaml"
    for text in (f"severity:\n  {TOKEN}: error\n", f"{TOKEN}: 1\n", f"a: 1\na: {TOKEN}\na: 2\n"):
        config.write_text(text, encoding="utf-8")
        result = run_cli("validate", str(SENTRY), "--config", str(config))
        assert result.returncode == 2
        assert_clean(result, "validate --config")


def test_render_refuses_credential_shaped_input_values(tmp_path: Path) -> None:
    """The request is printed as sent, so a token in the input would be shown: refused."""
    request = tmp_path / "input.json"
    path = {"organizationIdOrSlug": "acme", "issueId": "1"}
    request.write_text(json.dumps({"path": path, "body": {"status": "resolved"}, TOKEN: 1}))
    result = run_cli("render", str(SENTRY), "resolve-issue", "--input", str(request))
    assert result.returncode == 1 and "error input /<redacted>" in result.stdout
    assert_clean(result, "render")
    request.write_text(json.dumps({"path": path, "query": {"query": TOKENS[5]}}))
    result = run_cli("render", str(SENTRY), "list-issues", "--input", str(request))
    assert result.returncode == 1 and "Harbor Node adds the token" in result.stdout
    assert_clean(result, "render")


def _damaged_store(tmp_path: Path, statement: str) -> Path:
    path = tmp_path / "store.sqlite3"
    assert run_cli("import", "sentry", env=store_env(path, "fuzz")).returncode == 0
    db = sqlite3.connect(path)
    db.executescript(statement)
    db.close()
    return path


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE drafts SET template = '{not json'",
        "UPDATE drafts SET template = '[1, 2]'",
        "ALTER TABLE drafts ADD COLUMN extra TEXT",
        "PRAGMA foreign_keys = OFF; DROP TABLE ports",
        "CREATE TABLE loose AS SELECT * FROM drafts; DROP TABLE drafts; "
        "ALTER TABLE loose RENAME TO drafts; UPDATE drafts SET manifest_version = NULL",
    ],
    ids=["bad-json", "template-not-object", "extra-column", "no-ports", "null-text"],
)
def test_damaged_store_is_refused_not_crashed(tmp_path: Path, statement: str) -> None:
    path = _damaged_store(tmp_path, statement)
    env = store_env(path, "fuzz")
    for args in (
        ("drafts", "list"),
        ("drafts", "test", "--all"),
        ("import", "sentry", "--dry-run"),
    ):
        result = run_cli(*args, env=env)
        assert_clean(result, "damaged store")
        assert result.returncode in (0, 2), (args, result.stdout)


def test_unique_items_takes_linear_time(tmp_path: Path) -> None:
    """5,000 distinct objects in one enum took 20 s through jsonschema's pairwise check."""
    data = copy.deepcopy(ORIGINAL)
    enum = [{"a": i} for i in range(5000)]
    data["actionTemplates"][0]["inputs"]["parameters"][1]["schema"]["enum"] = [*enum, enum[0]]
    path = _manifest(tmp_path, data)
    started = time.process_time()
    report = validate([path])
    assert time.process_time() - started < 5
    [duplicate] = [f for f in report.findings if "must be unique" in f.message]
    assert duplicate.pointer == "/actionTemplates/0/inputs/parameters/1/schema/enum"


def test_unique_items_keeps_json_equality() -> None:
    from hubtool.core.schema import has_duplicates

    assert has_duplicates([1, 1.0]) and has_duplicates([{"a": [1]}, {"a": [1.0]}])
    assert not has_duplicates([1, True]) and not has_duplicates([0, False, None, "0", [0]])


def test_a_long_required_string_takes_linear_time(tmp_path: Path) -> None:
    """A 'required' string of N characters gives N jsonschema errors, each carrying the whole
    string; translating each of them took N * N steps (2,000: 10 s; 70,000: hours)."""
    data = copy.deepcopy(ORIGINAL)
    body = data["actionTemplates"][2]["inputs"]["body"]
    body["properties"]["statusDetails"]["required"] = "x" * 2000
    data["actionTemplates"][2]["examples"][0]["input"]["body"]["statusDetails"] = {}
    started = time.process_time()
    report = validate([_manifest(tmp_path, data)])
    assert time.process_time() - started < 3
    assert any("missing required key 'x'" in f.message for f in report.findings)


def test_hubtool_errors_are_redacted_when_raised() -> None:
    assert TOKEN not in str(HubtoolError(f"no operation {TOKEN!r}"))
