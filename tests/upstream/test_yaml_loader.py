"""YAML OpenAPI specs: libyaml's loader (the fast path) against PyYAML's pure-Python one.

``load_yaml`` reads with ``CSafeLoader`` where PyYAML has libyaml and falls back to the
pure-Python ``SafeLoader``; both must give the same value (sharing of anchored nodes
included) or the same error, on ordinary and hostile documents alike. The one difference
found: a tab used as separating whitespace (valid YAML), which libyaml reads and the
pure-Python scanner refuses ("found character '\\t' that cannot start any token").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SENTRY, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubtool.core.errors import HubtoolError
from hubtool.core.limits import MAX_YAML_DEPTH
from hubtool.upstream import openapi, yamlspec

needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
PROVIDERS = Path(__file__).resolve().parents[3] / "shared" / "data" / "providers"


def fingerprint(value: Any, seen: dict[int, int] | None = None) -> Any:
    """A comparable picture of a loaded value: types, contents, and which containers are one
    shared object (a repeated or recursive anchor), numbered in order of first sight."""
    seen = {} if seen is None else seen
    if isinstance(value, dict | list | set):
        if id(value) in seen:
            return ("shared", seen[id(value)])
        seen[id(value)] = len(seen)
        if isinstance(value, dict):
            items = [(fingerprint(k, seen), fingerprint(v, seen)) for k, v in value.items()]
            return ("dict", seen[id(value)], items)
        if isinstance(value, set):
            return ("set", seen[id(value)], sorted(map(repr, value)))
        return ("list", seen[id(value)], [fingerprint(v, seen) for v in value])
    return (type(value).__name__, repr(value))


def outcome(text: str, *, fast: bool) -> tuple[str, Any]:
    """What one loader makes of ``text``: ("ok", fingerprint) or ("error", type, message)."""
    try:
        return "ok", fingerprint(yaml.load(text, Loader=yamlspec.yaml_loader(fast=fast)))
    except Exception as exc:  # PyYAML lets IndexError out of '!!int ' too: _read catches all
        return "error", f"{type(exc).__name__}: {exc}"


def loaded(text: str) -> tuple[str, Any]:
    """What ``load_yaml`` (the fast path with its fallback) makes of ``text``."""
    try:
        return "ok", fingerprint(yamlspec.load_yaml(text))
    except Exception as exc:  # PyYAML lets IndexError out of '!!int ' too: _read catches all
        return "error", f"{type(exc).__name__}: {exc}"


TAB_REFUSED = "found character '\\t' that cannot start any token"


def agree(text: str) -> None:
    """libyaml reads ``text`` as the pure loader does, or refuses it (and ``load_yaml`` then
    says what the pure loader says), or reads the tab the pure scanner refuses."""
    pure, fast = outcome(text, fast=False), outcome(text, fast=True)
    if fast[0] == "ok" and fast != pure:
        assert pure[0] == "error" and TAB_REFUSED in pure[1], (text, pure, fast)
    assert loaded(text) == (fast if fast[0] == "ok" else pure)


def nested(depth: int, kind: str) -> str:
    if kind == "block-map":
        return "".join("  " * i + "a:\n" for i in range(depth)) + "  " * depth + "x\n"
    if kind == "block-list":
        return "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + "x\n"
    if kind == "flow-map":
        return "{a: " * depth + "1" + "}" * depth
    return "[" * depth + "]" * depth


def alias_bomb(levels: int) -> str:
    """Billion laughs: each level lists the one before it nine times."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "alias-bomb": alias_bomb(10),
    "recursive-anchor": "a: &x [1, *x]\n",
    "recursive-map": "&m {self: *m}\n",
    "merge-keys": "base: &b {x: 1, y: 2}\nderived: {<<: *b, y: 3}\n",
    "duplicate-keys": "openapi: 3.0.0\nopenapi: 3.1.0\npaths: {}\npaths: {/x: {}}\n",
    "python-object-tag": "!!python/object/apply:os.system ['true']\n",
    "python-name-tag": "x: !!python/name:os.system\n",
    "custom-tag": "x: !custom {a: 1}\n",
    "binary-set-omap": "b: !!binary aGk=\ns: !!set {a, b}\no: !!omap [{a: 1}, {b: 2}]\n",
    "timestamps": "d: 2024-01-31\nt: 2024-01-31T10:00:00Z\n2020-02-02: key\n",
    "bad-date": "d: 2024-02-31\n",
    "huge-int": "n: " + "9" * 5000 + "\n",
    "odd-keys": "200: ok\ntrue: yes\nnull: ~\n1.5: f\n[1, 2]: seq-key\n",
    "unhashable-key": "? {a: 1}\n: v\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "empty": "",
    "only-comment": "# nothing\n",
    "bom": "\ufeffopenapi: 3.0.0\n",
    "tab-indent": "a:\n\tb: 1\n",
    "control-char": "a: \x07\n",
    "nel": "a: b\x85c\n",
    "undefined-alias": "a: *nowhere\n",
    "unclosed-flow": "a: [1, 2\n",
    "bad-indent": "a:\n  b: 1\n c: 2\n",
    "long-string": "s: " + "x" * 100_000 + "\n",
    "tab-separator": "a: 1\t\nb: [1,\t2]\n",
    "unicode": "name: 'héllo ✓ \U0001f600'\n",
    "surrogate-escape": 'a: "\\ud800"\n',
}
DEPTHS = [1, MAX_YAML_DEPTH - 1, MAX_YAML_DEPTH, MAX_YAML_DEPTH + 1, 600, 1200]
KINDS = ["block-map", "block-list", "flow-map", "flow-list"]


@needs_libyaml
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_both_loaders_agree_on_hostile_documents(name: str) -> None:
    agree(HOSTILE[name])


@needs_libyaml
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("depth", DEPTHS)
def test_nesting_cap_is_the_same_for_both_loaders(kind: str, depth: int) -> None:
    text = nested(depth, kind)
    pure, fast = outcome(text, fast=False), outcome(text, fast=True)
    assert loaded(text) == pure
    assert fast == pure or (depth > 1000 and "maximum nesting depth" in fast[1])  # libyaml's
    if depth > MAX_YAML_DEPTH:
        assert pure == ("error", f"ValueError: nested more than {MAX_YAML_DEPTH} levels deep")
    else:
        assert pure[0] == "ok"


def test_alias_bomb_is_read_in_linear_time() -> None:
    """Ten levels would expand to 9**9 lists; the nodes stay shared (a hang guard: the
    measured time belongs to the benchmark, the assertion is on sharing)."""
    data = openapi._json_value(yamlspec.load_yaml(alias_bomb(10)))
    assert data["a9"][0] is data["a9"][1] is data["a8"]


def test_without_libyaml_the_pure_loader_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    used = []
    original = yamlspec.yaml_loader

    def spy(fast: bool) -> type:
        used.append(fast)
        return original(fast)

    monkeypatch.setattr(yamlspec, "yaml_loader", spy)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert yamlspec.load_yaml("a: [1, 2]\n") == {"a": [1, 2]}
    assert used == [False]
    monkeypatch.setattr(yaml, "__with_libyaml__", True)
    used.clear()
    assert yamlspec.load_yaml("a: [1, 2]\n") == {"a": [1, 2]}
    assert used == ([True] if hasattr(yaml, "CSafeLoader") else [True, False])


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(max_size=10) | st.integers(), inner, max_size=5)
    ),
    max_leaves=30,
)
_NOISE = ["a", "b: ", "- ", "\n", "  ", "[", "]", "{", "}", ", ", ": ", "&x ", "*x", "!!str ",
          "!!int ", "!t ", "? ", "'", '"', "#", "|\n", ">\n", "---\n", "...\n", "<<: ", "1",
          "2001-01-01", "~", "\t", "\\", "%YAML 1.1\n", "\x00", "é"]  # fmt: skip
FRAGMENTS = st.lists(st.sampled_from(_NOISE), max_size=30).map("".join)


@needs_libyaml
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES, flow=st.booleans())
def test_loaders_agree_on_dumped_values(value: Any, flow: bool) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert outcome(text, fast=True) == outcome(text, fast=False) == loaded(text)


@needs_libyaml
@settings(max_examples=300, deadline=None)
@given(text=FRAGMENTS)
def test_loaders_agree_on_yaml_shaped_noise(text: str) -> None:
    agree(text)


@pytest.mark.parametrize(
    "name", ["asana/asana_oas.yaml", "netlify/swagger.yml"], ids=["asana", "netlify"]
)
@needs_libyaml
def test_real_yaml_specs_load_the_same(name: str) -> None:
    path = PROVIDERS / name
    if not path.exists():
        pytest.skip(f"{path} is not here (third-party data kept in ../shared)")
    text = path.read_text(encoding="utf-8")
    fast = openapi._json_value(yaml.load(text, Loader=yamlspec.yaml_loader(fast=True)))
    pure = openapi._json_value(yaml.safe_load(text))  # what hubtool read before libyaml
    assert json.dumps(fast, sort_keys=True) == json.dumps(pure, sort_keys=True)


@pytest.mark.parametrize("kind", ["block-map", "flow-list"])
def test_a_too_deep_spec_exits_2_with_a_message(tmp_path: Path, kind: str) -> None:
    spec = tmp_path / "deep.yaml"
    spec.write_text("openapi: 3.0.0\nx:\n  " + nested(900, kind).replace("\n", "\n  "))
    with pytest.raises(HubtoolError, match=f"nested more than {MAX_YAML_DEPTH} levels deep"):
        openapi.load_spec(spec)
    result = run_cli("check-upstream", str(SENTRY), "--openapi", str(spec))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "not valid YAML: nested more than" in result.stderr


@pytest.mark.parametrize(
    "body",
    [
        "  token: {token}\n bad: [\n",  # a mapping where none may start: the problem's line
        "paths: [a\ntoken: {token} x: y\n",  # a flow list left open: the context's line too
        "x: !!python/name:{token} y\n",  # an unknown tag: a constructor error
    ],
    ids=["problem", "context", "constructor"],
)
def test_a_yaml_error_names_its_place_without_quoting_the_file(tmp_path: Path, body: str) -> None:
    """PyYAML quotes the offending line cut at 30-odd characters: a credential there, cut
    short, no longer looks like one to the redaction. The message says where instead."""
    token = "ghp_" + "a1B2c3D4e5" * 4  # GitHub-token shaped; built here, not a literal
    spec = tmp_path / "bad.yaml"
    spec.write_text("openapi: 3.0.0\n" + body.format(token=token), encoding="utf-8")
    with pytest.raises(HubtoolError, match=r"not valid YAML: .*line [0-9]+, column [0-9]+"):
        openapi.load_spec(spec)
    result = run_cli("scaffold", "--openapi", str(spec), "--list")
    assert result.returncode == 2 and "not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr and token[:8] not in result.stderr, result.stderr
