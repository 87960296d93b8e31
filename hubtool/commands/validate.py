"""validate, rules, kinds: check manifests and print the registries."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import click

from hubtool.commands import (
    COLOR_OPTION,
    CONFIG_OPTION,
    MAX_BYTES_OPTION,
    REPORT_FORMATS,
    STRICT_OPTION,
    exit_code,
    use_colour,
)
from hubtool.core.errors import EXIT_CLEAN
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


def run_validate(options: ValidateOptions) -> int:
    from hubtool.load.discover import default_paths
    from hubtool.report import reporter
    from hubtool.validate.config.find import find_config
    from hubtool.validate.pipeline import validate

    paths = list(options.paths) or default_paths()
    config_path = options.config or find_config(paths[0])
    config = _load_config(config_path) if config_path else None
    report = validate(paths, max_bytes=options.max_bytes, jobs=options.jobs)
    if config is not None:  # without one, the defaults change nothing: nothing more is loaded
        report = _configured(report, config)
    colour = use_colour(options.color, sys.stdout)
    reporter("report", options.format)(report, sys.stdout, strict=options.strict, colour=colour)
    return exit_code(report, options.strict)


def _load_config(path: Path) -> Config:
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


def run_rules(fmt: str) -> int:
    from hubtool.report import reporter

    reporter("rules", fmt)(sys.stdout)
    return EXIT_CLEAN


def run_kinds(fmt: str) -> int:
    from hubtool.report import reporter

    reporter("kinds", fmt)(sys.stdout)
    return EXIT_CLEAN


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
def validate_command(
    paths: tuple[Path, ...],
    fmt: str,
    strict: bool,
    color: str,
    max_bytes: int,
    config: Path | None,
    jobs: int | None,
) -> None:
    """Validate manifests (default: the whole catalog). PATHS are files or directories."""
    options = ValidateOptions(paths, fmt, strict, color, max_bytes, config, jobs)
    sys.exit(run_validate(options))


REGISTRY_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)


@click.command("rules")
@REGISTRY_FORMAT
def rules_command(fmt: str) -> None:
    """List every rule (markdown: the full documentation with examples)."""
    sys.exit(run_rules(fmt))


@click.command("kinds")
@REGISTRY_FORMAT
def kinds_command(fmt: str) -> None:
    """List every change kind with its version bump (markdown: the full documentation)."""
    sys.exit(run_kinds(fmt))
