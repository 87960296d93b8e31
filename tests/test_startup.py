"""Start-up cost: what ``hubtool --help`` and ``hubtool validate`` of one manifest import.

Measured as the issue asks (``python -X importtime -m hubtool ...``), in a fresh interpreter,
together with ``sys.modules`` at exit (``importlib.import_module`` is not in the importtime
log). ``--help`` loads only the command line, the output streams and three small core modules,
no command; a validate run loads core, load, validate, its own command and the findings
reporter, never another command, the diff, drafts store, upstream or CI code, and none of the
dependencies or standard modules it does not use.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "apps/hub/catalog/integrations/sentry/sentry-api.json"

DEPENDENCIES = frozenset(
    {"click", "jsonschema", "jsonschema_rs", "referencing", "regress", "semver", "yaml"}
)
"""Import names of hubtool's declared dependencies (pyproject.toml) and pyyaml."""
HELP_MODULES = frozenset(
    {
        "hubtool",
        "hubtool.cli",
        "hubtool.commands",
        "hubtool.commands.output",
        "hubtool.core",
        "hubtool.core.errors",
        "hubtool.core.escape",
        "hubtool.core.lazyre",
        "hubtool.core.limits",
    }
)
"""All ``--help`` may import of hubtool: no command module (``hubtool.cli.COMMANDS``)."""
VALIDATE_PACKAGES = (
    "hubtool.cli",
    "hubtool.commands",
    "hubtool.core",
    "hubtool.load",
    "hubtool.validate",
    "hubtool.registry",
    "hubtool.report",
    "hubtool.drafts.render",  # the examples rule renders each example's URL
)
"""What a validate run may import of hubtool (these modules and packages, and their parents)."""
VALIDATE_DEPENDENCIES = frozenset({"click", "jsonschema_rs", "regress", "semver"})
"""All but pyyaml (no configuration file is read when there is none) and python-jsonschema with
``referencing``: jsonschema-rs finds a clean manifest valid (``hubtool.core.schema.fast``), and
python-jsonschema loads only to word a finding."""
NOT_FOR_ONE_MANIFEST = (
    "hubtool.commands.diff",
    "hubtool.commands.drafts",
    "hubtool.commands.upstream",
    "hubtool.validate.config.scan",
    "hubtool.validate.config.parse",
    "hubtool.validate.config.apply",
    "hubtool.validate.config.waivers",
    "hubtool.validate.config.yamlfile",
    "hubtool.registry",
    "hubtool.load.positional",
    "importlib.resources",
    "jsonschema",
    "referencing",
    "argparse",
    "concurrent",
    "difflib",
    "hashlib",
    "multiprocessing",
    "semver",
    "sqlite3",
    "subprocess",
    "traceback",
)
"""Other commands, the configuration code and the rule registry without a configuration file
(the rule table only checks a configuration's rule ids), the positional JSON parser
(a clean file needs no position), worker processes (one file),
semver (the Sentry manifest's versions are plain MAJOR.MINOR.PATCH), hashlib (no value is
flagged), traceback (nothing crashed), difflib (no unknown key) and standard modules validation
never uses."""
PROBE = """
import atexit, os, runpy, sys
atexit.register(lambda: sys.stderr.write("".join(f"module: {m}\\n" for m in sys.modules)))
runpy.run_module("hubtool", run_name="__main__", alter_sys=True)
"""
"""``python -m hubtool``, then every module loaded, however it was imported."""


def imported(*args: str, cwd: Path = REPO) -> list[str]:
    """Modules ``python -X importtime -m hubtool *args`` imports, in order, then the other
    modules loaded at exit."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        },
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    rows = [line.split("|") for line in result.stderr.splitlines()]
    names = [row[2].strip() for row in rows if len(row) == 3 and row[0].startswith("import time:")]
    assert "hubtool.cli" in names  # the log was read at all
    loaded = [
        line[len("module: ") :] for line in result.stderr.splitlines() if line[:8] == "module: "
    ]
    assert "hubtool.validate.rules.schema" in loaded or args[0] != "validate"  # import_module
    return names + [name for name in loaded if name not in set(names)]


def hubtool_modules(names: list[str]) -> set[str]:
    return {name for name in names if name.split(".")[0] == "hubtool"}


def dependencies(names: list[str]) -> set[str]:
    return {name.split(".")[0] for name in names} & DEPENDENCIES


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def parents(prefixes: tuple[str, ...]) -> set[str]:
    """The packages above each of ``prefixes`` (imported first by Python)."""
    return {prefix.rsplit(".", depth)[0] for prefix in prefixes for depth in (1, 2)}


def test_help_imports_the_command_line_only() -> None:
    names = imported("--help")
    extra = hubtool_modules(names) - HELP_MODULES
    assert extra == set(), "--help must stay light: import these inside the command that needs them"
    assert dependencies(names) == {"click"}


def test_validate_imports_only_what_validation_needs(tmp_path: Path) -> None:
    manifest = tmp_path / MANIFEST.name
    shutil.copyfile(MANIFEST, manifest)
    names = imported("validate", str(manifest), cwd=tmp_path)
    allowed = set(VALIDATE_PACKAGES) | parents(VALIDATE_PACKAGES)
    extra = {
        name
        for name in hubtool_modules(names)
        if name not in allowed and not within(name, VALIDATE_PACKAGES)
    }
    assert extra == set(), "validate imports code of another capability"
    assert "hubtool.core.ecma" in names and "hubtool.report" in names
    assert "hubtool.commands.validate" in names and "hubtool.report.text" in names
    assert dependencies(names) <= VALIDATE_DEPENDENCIES
    unused = {name for name in names if within(name, NOT_FOR_ONE_MANIFEST)}
    assert unused == set(), "validate of one manifest imports what it does not use"


def test_a_configuration_naming_upstream_rules_loads_no_upstream_code(tmp_path: Path) -> None:
    """This repository's own .hubtool.yaml waives upstream-* rules: checking it must not import
    check-upstream (OpenAPI, referencing, urllib) or ci code on the hook path."""
    shutil.copyfile(REPO / ".hubtool.yaml", tmp_path / ".hubtool.yaml")
    (tmp_path / ".git").mkdir()
    manifest = tmp_path / MANIFEST.name
    shutil.copyfile(MANIFEST, manifest)
    names = imported("validate", str(manifest), cwd=tmp_path)
    assert "hubtool.validate.config.parse" in names  # the configuration was read
    far = {name for name in names if within(name, ("hubtool.upstream", "hubtool.ci"))}
    assert far == set() and "referencing" not in names and "urllib.request" not in names, far


def test_the_hook_mode_imports_only_what_validation_needs(tmp_path: Path) -> None:
    """``validate --catalog-context`` (the pre-commit hook) of the one manifest of a catalog:
    the same budget as validating it alone, plus the context module."""
    manifest = tmp_path / "apps/hub/catalog/integrations/sentry" / MANIFEST.name
    manifest.parent.mkdir(parents=True)
    shutil.copyfile(MANIFEST, manifest)
    names = imported("validate", "--catalog-context", str(manifest), cwd=tmp_path)
    assert "hubtool.validate.context" in names
    allowed = set(VALIDATE_PACKAGES) | parents(VALIDATE_PACKAGES)
    extra = {
        name
        for name in hubtool_modules(names)
        if name not in allowed and not within(name, VALIDATE_PACKAGES)
    }
    assert extra == set(), "the hook imports code of another capability"
    assert dependencies(names) <= VALIDATE_DEPENDENCIES
    unused = {name for name in names if within(name, NOT_FOR_ONE_MANIFEST)}
    assert unused == set(), "the hook imports what one manifest does not use"
