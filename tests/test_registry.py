"""Every rule's own examples: the failing one triggers it, the passing one is clean."""

from __future__ import annotations

import ast
import importlib
import io
import json
import os
import pkgutil
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest
from conftest import REPO
from gitrepo import commit, git

import hubtool
from hubtool.ci.run import run_ci
from hubtool.core.findings import NOTE, Report
from hubtool.core.registry import (
    BASE_MANIFEST,
    BASE_OPENAPI,
    Example,
    Rule,
    apply_patch,
    example_text,
)
from hubtool.load.strict import Document, parse
from hubtool.registry import GATE_RULE, RULES, RULES_TABLE, _index
from hubtool.report.markdown import rules_markdown
from hubtool.upstream.contract import check_upstream
from hubtool.upstream.openapi import load_spec
from hubtool.validate import rules
from hubtool.validate.config.parse import load_config
from hubtool.validate.pipeline import validate


def _crashing_check(doc: Document):
    raise KeyError("injected")
    yield  # a generator, like every rule family's check


def _validate_example(example: Example, tmp_path: Path, family: str = "", crash: bool = False):
    if family == "upstream":
        return _check_upstream_example(example, tmp_path)
    if crash:  # the internal family: only a crashing check triggers it
        with mock.patch(
            "hubtool.validate.pipeline.checks", lambda: [*rules.checks(), _crashing_check]
        ):
            return _validate_example(example, tmp_path)
    if example.base_config is not None:
        return _ci_example(example, tmp_path)
    path = tmp_path / example.file
    path.parent.mkdir(parents=True, exist_ok=True)
    if example.link:  # the manifest beside it, the example file a symbolic link to it
        target = path.with_name(path.name + ".target")
        target.write_text(example_text(example), encoding="utf-8")
        path.symlink_to(target.name)
    else:
        path.write_text(example_text(example), encoding="utf-8")
    config = None
    if example.config is not None:
        config_path = tmp_path / ".hubtool.yaml"
        config_path.write_text(example.config, encoding="utf-8")
        config = load_config(config_path, rules=RULES)
    return validate([path], config=config)


def _ci_example(example: Example, tmp_path: Path) -> Report:
    """``hubtool ci`` in a git repository: the base commit holds the base manifest and
    ``base_config``; the pull request's work tree holds the example and ``config``."""
    repo = tmp_path / "repo"
    manifest = repo / "apps/hub/catalog/integrations/acme/acme-api.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(example_text(Example()), encoding="utf-8")
    (repo / ".hubtool.yaml").write_text(example.base_config or "", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "base")
    manifest.write_text(example_text(example), encoding="utf-8")
    (repo / ".hubtool.yaml").write_text(example.config or "", encoding="utf-8")
    here = Path.cwd()
    os.chdir(repo)
    try:
        report = run_ci("main", rules=RULES).report
    finally:
        os.chdir(here)
    return Report(report.files, [f for f in report.findings if f.severity != NOTE])


def _check_upstream_example(example: Example, tmp_path: Path) -> Report:
    """The upstream rules compare the example manifest with BASE_OPENAPI (patched)."""
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(apply_patch(BASE_OPENAPI, example.openapi)), encoding="utf-8")
    doc = parse(example_text(example), "manifest.json")
    assert isinstance(doc, Document)
    return Report(["manifest.json"], check_upstream(doc, load_spec(spec), examples=True))


@pytest.mark.parametrize("rule", RULES_TABLE, ids=lambda r: r.id)
def test_failing_example_triggers_the_rule(rule: Rule, tmp_path: Path) -> None:
    report = _validate_example(rule.failing, tmp_path, rule.family, rule.family == "internal")
    assert rule.id in {f.rule for f in report.findings}, report.findings


@pytest.mark.parametrize("rule", RULES_TABLE, ids=lambda r: r.id)
def test_passing_example_is_clean(rule: Rule, tmp_path: Path) -> None:
    report = _validate_example(rule.passing, tmp_path, rule.family)
    assert report.findings == []


@pytest.mark.parametrize("rule", RULES_TABLE, ids=lambda r: r.id)
def test_failing_example_finding_has_a_position_and_a_fix(rule: Rule, tmp_path: Path) -> None:
    report = _validate_example(rule.failing, tmp_path, rule.family, rule.family == "internal")
    hits = [f for f in report.findings if f.rule == rule.id]
    assert all(f.line >= 1 and f.column >= 1 and f.message for f in hits)


def test_base_manifest_is_clean(tmp_path: Path) -> None:
    assert _validate_example(Example(), tmp_path).findings == []
    assert BASE_MANIFEST["slug"] == "acme-api"


def test_duplicate_ids_are_refused() -> None:
    rule = RULES["schema"]
    with pytest.raises(ValueError, match="duplicate rule id"):
        _index((rule, rule))


def _hubtool_modules() -> list[ModuleType]:
    """Every module of the hubtool package, imported (``__main__`` runs the CLI: left out)."""
    names = ["hubtool"] + [
        info.name
        for info in pkgutil.walk_packages(hubtool.__path__, "hubtool.")
        if info.name != "hubtool.__main__"
    ]
    return [importlib.import_module(name) for name in names]


def _defined_rules() -> dict[int, tuple[str, Rule]]:
    """Every ``Rule`` object bound at module level anywhere in hubtool, by identity, with
    the first ``module.NAME`` that binds it."""
    found: dict[int, tuple[str, Rule]] = {}
    for module in _hubtool_modules():
        for name, value in vars(module).items():
            if isinstance(value, Rule):
                found.setdefault(id(value), (f"{module.__name__}.{name}", value))
    return found


def test_every_rule_defined_in_hubtool_is_registered() -> None:
    registered = {id(rule) for rule in (*RULES_TABLE, GATE_RULE)}
    unregistered = [where for key, (where, _) in _defined_rules().items() if key not in registered]
    assert unregistered == [], "add these rules to RULES_TABLE in hubtool/registry.py"
    families = {rule.family for _, rule in _defined_rules().values()}
    assert families >= {*rules.FAMILIES, "load", "upstream", "internal", "gate"}  # it reaches them


def test_rule_ids_are_unique_across_every_module() -> None:
    seen: dict[str, str] = {}
    for where, rule in _defined_rules().values():
        assert rule.id not in seen, f"{where} and {seen[rule.id]} both define {rule.id!r}"
        seen[rule.id] = where
    assert len(RULES) == len(RULES_TABLE) and GATE_RULE.id not in RULES


def test_a_module_that_defines_a_rule_does_not_import_the_registry() -> None:
    """The collector imports the rule modules; a rule module importing it back is a cycle."""
    for path in (REPO / "hubtool").rglob("*.py"):
        if path.name == "registry.py" and path.parent.name == "hubtool":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defines = any(
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", None) in ("Rule", "ChangeKind")
            for node in tree.body
        )
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        } | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        if defines:
            assert "hubtool.registry" not in imported, path


def test_an_unregistered_rule_is_noticed() -> None:
    """The walk above finds a rule a module defines but the table leaves out."""
    stray = Rule("stray-rule", "error", "schema", "t", "d", "f", Example())
    with mock.patch.object(rules, "STRAY_RULE", stray, create=True):
        assert any(rule is stray for _, rule in _defined_rules().values())


def test_every_family_is_a_module_and_every_rule_has_one() -> None:
    families = {rule.family for rule in RULES_TABLE} - {"load", "config", "upstream", "internal"}
    assert families == set(rules.FAMILIES)
    for name in rules.FAMILIES:
        assert callable(rules.family(name).check)


def test_rule_ids_are_kebab_case() -> None:
    for rule in RULES_TABLE:
        assert rule.id == rule.id.lower() and " " not in rule.id and "_" not in rule.id


def test_rules_doc_is_generated_and_fresh() -> None:
    out = io.StringIO()
    rules_markdown(out)
    committed = (REPO / "docs/RULES.md").read_text(encoding="utf-8")
    assert committed == out.getvalue(), "docs/RULES.md is stale: run `make docs`"


def test_a_rule_module_holds_only_its_own_rules() -> None:
    """``rules_of`` orders the table by module: each Rule in a module's namespace is assigned
    there (``NAME = Rule(``), never imported from another rule module."""
    import importlib
    import inspect

    from hubtool.core.registry import Rule
    from hubtool.registry import FAR, NEAR

    for name in (*NEAR, *FAR):
        module = importlib.import_module(name)
        source = inspect.getsource(module)
        held = [key for key, value in vars(module).items() if isinstance(value, Rule)]
        assert held, f"{name} defines no rule"
        assert all(f"\n{key} = Rule(" in source for key in held), f"{name}: {held}"


def test_the_table_is_the_near_and_far_modules_rules_in_order() -> None:
    from hubtool.registry import FAR, NEAR, RULES, RULES_TABLE, rules_of

    assert rules_of(NEAR) + rules_of(FAR) == RULES_TABLE
    assert RULES_TABLE[-1].id == "internal-error" and RULES_TABLE[0].id == "json-syntax"
    assert list(RULES) == [rule.id for rule in RULES_TABLE]


def test_the_kinds_table_is_the_kind_modules_own_kinds_in_order() -> None:
    """Each kind is found once, in the module that defines it (kinds modules import each
    other's constants: ``inputs`` uses ``schemas.INPUT_DEFAULT_CHANGED``)."""
    from hubtool.registry import CHANGE_KINDS_TABLE, KIND_MODULES, kinds_of

    assert kinds_of(KIND_MODULES) == CHANGE_KINDS_TABLE
    assert len({kind.id for kind in CHANGE_KINDS_TABLE}) == len(CHANGE_KINDS_TABLE) == 33
    assert CHANGE_KINDS_TABLE[0].id == "action-removed"
    assert CHANGE_KINDS_TABLE[-1].id == "metadata-changed"
    assert [k.id for k in kinds_of(("hubtool.diff.kinds.inputs",))] == [
        "input-added-required",
        "input-added-optional",
        "input-removed",
        "input-made-required",
        "input-made-optional",
    ]


def test_far_families_name_every_far_rule_with_its_family() -> None:
    from hubtool.registry import FAR, FAR_FAMILIES, RULES, rules_of

    assert {rule.id: rule.family for rule in rules_of(FAR)} == FAR_FAMILIES
    assert all(RULES.family(rule_id) == family for rule_id, family in FAR_FAMILIES.items())
    assert RULES.family("schema") == "schema" and "upstream-body" in RULES
    with pytest.raises(KeyError):
        RULES.family("no-such-rule")
