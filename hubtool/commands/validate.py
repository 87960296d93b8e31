"""validate, rules, kinds: check manifests and print the registries."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import click

from hubtool.commands import (
    COLOR_OPTION,
    CONFIG_OPTION,
    FORMATS,
    MAX_BYTES_OPTION,
    REPORT_FORMATS,
    STRICT_OPTION,
    exit_code,
    files_read,
    note,
    report_options,
    use_colour,
)
from hubtool.core.errors import EXIT_CLEAN, HubtoolError
from hubtool.core.limits import MAX_BYTES

if TYPE_CHECKING:
    from hubtool.core.findings import Report
    from hubtool.validate.config.parse import Config


class ValidateOptions(NamedTuple):
    """What ``hubtool validate`` was asked (a named tuple: 1 ms less to define at start-up than
    a frozen dataclass)."""

    paths: tuple[Path, ...]
    format: str = "text"
    strict: bool = False
    color: str = "auto"
    max_bytes: int = MAX_BYTES
    config: Path | None = None
    jobs: int | None = None
    catalog_context: bool = False
    stdin_filename: str | None = None


STDIN = "-"
"""The path that means standard input (one manifest), as in ruff, ESLint and black."""
_GLOB = frozenset("*?[")


def run_validate(options: ValidateOptions) -> int:
    from hubtool.load.discover import default_paths
    from hubtool.report import reporter
    from hubtool.validate.config.find import find_config, misnamed_config
    from hubtool.validate.pipeline import validate

    paths = _checked_paths(options)
    stdin = paths == [Path(STDIN)]
    targets = [] if stdin else paths or default_paths()
    start = Path(options.stdin_filename or ".") if stdin else targets[0]
    config_path = options.config or find_config(start)
    if options.config is None:
        _refuse_misnamed(misnamed_config(start, config_path))
    config = load_checked_config(config_path) if config_path else None
    if stdin:
        report = _stdin_report(options)
    else:
        context = catalog_context(targets[0]) if options.catalog_context else None
        report = validate(targets, max_bytes=options.max_bytes, jobs=options.jobs, context=context)
        _require_something(targets, report)
        if not paths:
            _note_lookalikes(targets[0])
    if config is not None:  # without one, the defaults change nothing: nothing more is loaded
        report = _configured(report, config)
    colour = use_colour(options.color, sys.stdout)
    files_read(report.files)
    show = reporter("report", options.format)
    show(report, sys.stdout, strict=options.strict, colour=colour, **report_options(options.format))
    return exit_code(report, options.strict)


def catalog_context(first: Path) -> list[Path]:
    """The catalog of the repository holding ``first`` (found as ``validate`` with no paths
    finds it from the working directory), the context of ``--catalog-context``. Raises
    HubtoolError when there is none."""
    from hubtool.load.discover import default_paths

    try:
        return default_paths(first if first.is_dir() else first.absolute().parent)
    except HubtoolError as exc:
        why = "--catalog-context reads the catalog of the repository holding the first path"
        raise HubtoolError(f"--catalog-context: {exc.message}", (*exc.details, why)) from exc


def _checked_paths(options: ValidateOptions) -> list[Path]:
    """The paths as given; ``-`` only alone; a pattern the shell left unexpanded (it matched
    nothing) is named as such. Raises HubtoolError."""
    paths = list(options.paths)
    if Path(STDIN) in paths and len(paths) > 1:
        raise HubtoolError("'-' reads one manifest from standard input: give no other path")
    if options.stdin_filename is not None and paths != [Path(STDIN)]:
        raise HubtoolError("--stdin-filename names the manifest read from standard input: give -")
    if options.catalog_context and Path(STDIN) in paths:
        raise HubtoolError(
            "--catalog-context checks files of a catalog, not standard input: give their paths"
        )
    missing = next((path for path in paths if not os.path.lexists(path)), None)
    if missing is not None and _GLOB & set(str(missing)) and missing != Path(STDIN):
        from hubtool.load.discover import shown

        raise HubtoolError(
            f"{shown(str(missing))}: no file matches this pattern; nothing to check",
            ("give existing files or directories (the shell expands patterns)",),
        )
    return paths


def _stdin_report(options: ValidateOptions) -> Report:
    """Standard input read up to the byte cap (one byte more tells a larger input), checked
    as the file ``--stdin-filename`` names (``hubtool.validate.stdin``)."""
    from hubtool.load.discover import display, shown
    from hubtool.validate.stdin import STDIN_NAME, check_bytes

    given = options.stdin_filename
    name = shown(display(Path(given))) if given else STDIN_NAME
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise HubtoolError("standard input is closed; pipe a manifest into 'hubtool validate -'")
    try:
        raw = stream.read(options.max_bytes + 1)
    except OSError as exc:
        raise HubtoolError(f"cannot read standard input: {exc.strerror or exc}") from exc
    return check_bytes(raw, name, options.max_bytes)


def _require_something(paths: list[Path], report: Report) -> None:
    """Nothing to check under ``paths`` (no manifest and no finding) stops the run, exit 2: an
    empty directory or catalog must not pass as clean. Raises HubtoolError."""
    if report.files or report.findings:
        return
    from hubtool.load.discover import display, shown, walk

    where = ", ".join(shown(display(path)) for path in paths)
    skipped = walk(paths).skipped
    details = (
        (
            f"left out {len(skipped)} hidden, tool or git-ignored entries, such as "
            f"{skipped[0]}; give a file to check it whatever its place",
        )
        if skipped
        else ()
    )
    raise HubtoolError(f"nothing to check: no manifest (*.json) in {where}", details)


def _note_lookalikes(catalog: Path) -> None:
    """Name the JSON files outside the catalog that look like manifests (stderr, no finding:
    they are not part of the catalog; see ``hubtool.load.lookalike``)."""
    from hubtool.load.discover import display, shown
    from hubtool.load.lookalike import lookalikes

    found = lookalikes(catalog.parent.parent.parent, catalog)
    for path in found[:_NOTED]:
        note(
            f"{shown(display(path))} looks like a manifest but is outside "
            "apps/hub/catalog/integrations, so it was not checked: move it there, or name it "
            "(hubtool validate FILE)"
        )
    if len(found) > _NOTED:
        note(f"and {len(found) - _NOTED} more such files")


_NOTED = 5
"""Lookalike files named one by one; the rest are counted."""


def _refuse_misnamed(misnamed: Path | None) -> None:
    """A configuration file under another name (``.hubtool.yml``, ...) is an error that says
    to rename it: read or not, it would be silently ignored. Raises HubtoolError."""
    if misnamed is None:
        return
    from hubtool.load.discover import display, shown
    from hubtool.validate.config.find import CONFIG_NAME

    raise HubtoolError(
        f"{shown(display(misnamed))}: hubtool reads its configuration from {CONFIG_NAME} "
        f"only: rename the file to {CONFIG_NAME}",
        ("or pass it explicitly with --config",),
    )


def load_checked_config(path: Path) -> Config:
    """The configuration at ``path``, checked against every rule. Raises HubtoolError."""
    from hubtool.registry import RULES
    from hubtool.validate.config.parse import load_config

    return load_config(path, rules=RULES)


def _configured(report: Report, config: Config) -> Report:
    """``report`` with the configuration's own findings and its severities and waivers."""
    from hubtool.load.discover import display
    from hubtool.validate.config.apply import apply_config
    from hubtool.validate.config.scan import scan_config

    # the configuration is scanned like a manifest; its findings name it as manifests are named
    shown = display(config.path)
    report.findings.extend(replace(f, file=shown) for f in scan_config(config))
    return apply_config(report, config)


def run_rules(fmt: str, ids: tuple[str, ...] = ()) -> int:
    from hubtool.registry import RULES_TABLE
    from hubtool.report import reporter

    chosen = _chosen("rule", ids, [rule.id for rule in RULES_TABLE])
    reporter("rules", fmt)(sys.stdout, chosen)
    return EXIT_CLEAN


def run_kinds(fmt: str, ids: tuple[str, ...] = ()) -> int:
    from hubtool.registry import CHANGE_KINDS_TABLE
    from hubtool.report import reporter

    chosen = _chosen("change kind", ids, [kind.id for kind in CHANGE_KINDS_TABLE])
    reporter("kinds", fmt)(sys.stdout, chosen)
    return EXIT_CLEAN


def _chosen(what: str, ids: tuple[str, ...], known: list[str]) -> list[str] | None:
    """``ids`` in the order given (None: all of them). Raises HubtoolError for an unknown id,
    with the closest known ids."""
    import difflib

    from hubtool.core.secrets import safe_repr

    for name in ids:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
            hint = (f"did you mean {', '.join(map(repr, close))}?",) if close else ()
            command = "rules" if what == "rule" else "kinds"
            raise HubtoolError(
                f"unknown {what} {safe_repr(name)}; `hubtool {command}` lists them all", hint
            )
    return list(dict.fromkeys(ids)) or None


# --- the click commands ---------------------------------------------------------------------


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True
)
@STRICT_OPTION
@COLOR_OPTION
@MAX_BYTES_OPTION
@CONFIG_OPTION
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to check files in (default: HUBTOOL_JOBS, else one per core for a catalog "
    "of 50 files or more); 1 checks in this process only. The report is the same.",
)
@click.option(
    "--catalog-context",
    is_flag=True,
    help="Check PATHS with the whole catalog as context: the catalog-wide checks (manifest "
    "slugs unique across the catalog) see its other manifests too, and findings are reported "
    "for PATHS only (the pre-commit hook's mode). The catalog is the one of the repository "
    "holding the first path.",
)
@click.option(
    "--stdin-filename",
    default=None,
    metavar="PATH",
    help="With PATH '-': the name findings give the manifest read from standard input, and "
    "where the catalog placement rule takes it to be.",
)
def validate_command(
    paths: tuple[Path, ...],
    fmt: str,
    strict: bool,
    color: str,
    max_bytes: int,
    config: Path | None,
    jobs: int | None,
    catalog_context: bool,
    stdin_filename: str | None,
) -> None:
    """Validate manifests (default: the whole catalog). PATHS are files or directories.

    A PATH of - reads one manifest from standard input (name it with --stdin-filename).
    Directories are walked for *.json files; outside apps/hub/catalog, hidden directories,
    node_modules, __pycache__, site-packages and what git ignores are left out."""
    options = ValidateOptions(
        paths, fmt, strict, color, max_bytes, config, jobs, catalog_context, stdin_filename
    )
    sys.exit(run_validate(options))


REGISTRY_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)


@click.command("rules")
@click.argument("ids", nargs=-1, metavar="[RULE_ID]...")
@REGISTRY_FORMAT
def rules_command(ids: tuple[str, ...], fmt: str) -> None:
    """List every rule (markdown: the full documentation with examples); RULE_ID: explain
    those rules in full."""
    sys.exit(run_rules(fmt, ids))


@click.command("schema")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Either way the schema document itself (it is JSON).",
)
def schema_command(fmt: str) -> None:
    """Print the manifest JSON Schema hubtool checks with (Draft 2020-12), byte for byte."""
    from hubtool.core.schema import manifest_schema_bytes
    from hubtool.report import write_document

    write_document(sys.stdout, manifest_schema_bytes().decode("utf-8"))
    sys.exit(EXIT_CLEAN)


@click.command("kinds")
@click.argument("ids", nargs=-1, metavar="[KIND_ID]...")
@REGISTRY_FORMAT
def kinds_command(ids: tuple[str, ...], fmt: str) -> None:
    """List every change kind with its version bump (markdown: the full documentation);
    KIND_ID: explain those kinds in full."""
    sys.exit(run_kinds(fmt, ids))
