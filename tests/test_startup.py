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
import atexit, os, re, runpy, sys

def built():
    for name, module in list(sys.modules.items()):
        for key, value in vars(module).items() if name.split(".")[0] == "hubtool" else ():
            if isinstance(value, type) and value.__module__ == name:
                if "__dataclass_fields__" in vars(value):
                    yield f"dataclass: {name}.{key}"
            elif type(value) is re.Pattern:
                yield f"pattern: {name}.{key}"

atexit.register(lambda: sys.stderr.write("".join(f"module: {m}\\n" for m in sys.modules)))
atexit.register(lambda: sys.stderr.write("".join(f"{line}\\n" for line in built())))
runpy.run_module("hubtool", run_name="__main__", alter_sys=True)
"""
"""``python -m hubtool``, then every module loaded, however it was imported, and what hubtool's
modules built at import: each dataclass they define and each compiled (not lazy) pattern they
hold."""


def imported(*args: str, cwd: Path = REPO) -> list[str]:
    """Modules ``python -X importtime -m hubtool *args`` imports, in order, then the other
    modules loaded at exit."""
    return probe(*args, cwd=cwd)[0]


def probe(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None
) -> tuple[list[str], set[str], set[str]]:
    """What ``PROBE`` finds of ``python -m hubtool *args`` (in ``env``, else this process's
    environment): the modules (as ``imported``), the dataclasses hubtool's loaded modules
    define and the compiled patterns they hold (``module.NAME`` each)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={
            **(os.environ if env is None else env),
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
    lines = result.stderr.splitlines()
    dataclasses = {line.split(": ", 1)[1] for line in lines if line.startswith("dataclass: ")}
    patterns = {line.split(": ", 1)[1] for line in lines if line.startswith("pattern: ")}
    return names + [name for name in loaded if name not in set(names)], dataclasses, patterns


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


HOOK_DATACLASSES = frozenset(
    {
        "hubtool.core.findings.Finding",
        "hubtool.core.findings.Report",
        "hubtool.core.secrets.StringScan",
    }
)
"""The dataclasses the hook may define: each costs every start-up 0.3-1 ms (``dataclasses``
compiles its generated methods one by one). A record set once is a ``typing.NamedTuple`` (a
configuration entry, a kept summary, a rule and its examples), a node or a builder compared by
identity a plain class
(the ECMA parse tree, the discovery tree, the secret walk)."""
HOOK_PATTERNS = frozenset(
    {
        "hubtool.commands.output._LINE_END",
        "hubtool.core.escape._COMMAND_START",
        "hubtool.core.secrets.detectors.ANCHOR",
        "hubtool.core.secrets.prefilter.ANCHOR",
        "hubtool.core.secrets.names._NAMING",
        "hubtool.core.secrets.names._NOT_ALNUM",
        "hubtool.drafts.render.PLACEHOLDER",
        "hubtool.load.fast._SURROGATE_ESCAPE",
        "hubtool.validate.config.scan._PIECES",
        "hubtool.validate.config.yamlfile._LINE_BREAKS",
        "hubtool.validate.rules.approval.PLACEHOLDER",
        "hubtool.validate.rules.catalog._PLAIN_RANGE",
        "hubtool.validate.rules.catalog._PLAIN_VERSION",
        "hubtool.validate.rules.examples.PLACEHOLDER",
        "hubtool.validate.rules.origin._CREDENTIAL_HEADER",
        "hubtool.validate.rules.origin._HOST",
        "hubtool.validate.rules.paths.PLACEHOLDER",
        "hubtool.validate.rules.paths._ALLOWED",
    }
)
"""The names under which the hook's modules hold a pattern compiled at import (re-exports
included): each is used by every run with a configuration (every manifest string, name,
path, port and version, the configuration's lines, the output). A pattern only some inputs
need (a date-time format, an escape sequence, a fingerprint) is ``lazyre.lazy_compile``'s:
compiling costs 0.1-1 ms a pattern."""
NOT_ON_THE_HOOK = (
    "hubtool.upstream",
    "hubtool.ci",
    "hubtool.diff",
    "hubtool.drafts.store",
    "hubtool.load.positional",
    "jsonschema",
    "referencing",
    "contextvars",  # hubtool.core.schema's unchecked patterns: python-jsonschema only
    "difflib",  # a did-you-mean for a mistyped configuration key or rule id
    "pkgutil",  # the packaged schema is read by the package's own loader
    "zlib",  # the kept file's CRC-32 comes from binascii
)
"""What the pre-commit hook, with a configuration, must not import for a clean manifest."""
NOT_WHEN_CACHED = ("yaml", "tempfile", "hashlib")
"""... nor with its configuration cached (``hubtool.validate.config.cache``): PyYAML, and what
writing an entry takes."""


def hook_run(tmp_path: Path) -> tuple[list[str], set[str], set[str]]:
    """``probe`` of ``validate --catalog-context`` of the Sentry manifest in a catalog that has
    this repository's configuration: the pre-commit hook as it runs here, on a commit that
    does not change the configuration (its second run: the configuration is cached). The
    first run, which reads the file with PyYAML, must not load the rest either, and a third,
    after the file changed, reads it again."""
    shutil.copyfile(REPO / ".hubtool.yaml", tmp_path / ".hubtool.yaml")
    (tmp_path / ".git").mkdir()
    manifest = tmp_path / "apps/hub/catalog/integrations/sentry" / MANIFEST.name
    manifest.parent.mkdir(parents=True)
    shutil.copyfile(MANIFEST, manifest)
    env = {**os.environ, "HUBTOOL_CACHE_DIR": str(tmp_path / "cache")}
    first = probe("validate", "--catalog-context", str(manifest), cwd=tmp_path, env=env)[0]
    assert "yaml" in first  # the configuration is read
    unused = {name for name in first if within(name, NOT_ON_THE_HOOK)} - {"zlib"}  # tempfile's
    assert unused == set(), "the hook's first run imports what a clean manifest does not use"
    cached = probe("validate", "--catalog-context", str(manifest), cwd=tmp_path, env=env)
    (tmp_path / ".hubtool.yaml").write_text("severity: {}\n", encoding="utf-8")
    changed = probe("validate", "--catalog-context", str(manifest), cwd=tmp_path, env=env)[0]
    assert "yaml" in changed  # a changed file is read again, not served
    return cached


def test_the_hook_with_a_configuration_loads_only_what_it_runs(tmp_path: Path) -> None:
    names, dataclasses, patterns = hook_run(tmp_path)
    assert "hubtool.validate.config.parse" in names  # configured
    unused = {name for name in names if within(name, (*NOT_ON_THE_HOOK, *NOT_WHEN_CACHED))}
    assert unused == set(), "the hook imports what a clean manifest does not use"
    assert dataclasses - HOOK_DATACLASSES == set(), (
        "a new dataclass on the hook path: a NamedTuple or a plain class costs start-up less"
    )
    assert "hubtool.core.findings.Finding" in dataclasses  # the probe sees dataclasses at all
    assert patterns - HOOK_PATTERNS == set(), (
        "a pattern compiled at import on the hook path: lazy_compile it unless every run uses it"
    )
    assert "hubtool.core.secrets.detectors.ANCHOR" in patterns  # ... and compiled patterns
