"""Start-up cost: what ``hubtool --help`` and ``hubtool validate`` of one manifest import.

Measured as the issue asks (``python -X importtime -m hubtool ...``), in a fresh interpreter.
``--help`` loads only the command line, the command modules and three small core modules; a
validate run loads core, load, validate and the findings reporter, never the diff, drafts store,
upstream or CI code, and none of the dependencies it does not use.
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
        "hubtool.core",
        "hubtool.core.errors",
        "hubtool.core.escape",
        "hubtool.core.limits",
    }
)
"""Besides ``hubtool.commands.*``: all ``--help`` may import of hubtool."""
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


def imported(*args: str, cwd: Path = REPO) -> list[str]:
    """Modules ``python -X importtime -m hubtool *args`` imports, in order."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "hubtool", *args],
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
    return names


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
    extra = {
        name
        for name in hubtool_modules(names) - HELP_MODULES
        if not within(name, ("hubtool.commands",))
    }
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
    assert dependencies(names) <= VALIDATE_DEPENDENCIES
