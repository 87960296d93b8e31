"""check-upstream: a manifest's actions against the provider's OpenAPI spec (scaffold, the
other way, is ``hubtool.commands.scaffold``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from hubtool.commands import (
    COLOR_OPTION,
    CONFIG_OPTION,
    REPORT_FORMATS,
    STRICT_OPTION,
    exit_code,
    files_read,
    report_options,
    use_colour,
)


@dataclass(frozen=True)
class CheckUpstreamOptions:
    manifest: Path
    openapi: Path
    examples: bool = False
    format: str = "text"
    strict: bool = False
    color: str = "auto"
    config: Path | None = None


def run_check_upstream(options: CheckUpstreamOptions) -> int:
    """The upstream-* findings of one manifest, with the severities and the upstream-* waivers
    of ``.hubtool.yaml`` (found as ``validate`` finds it, or ``--config``)."""
    from hubtool.core.findings import Finding, Report
    from hubtool.load.strict import Document
    from hubtool.report import reporter
    from hubtool.upstream.contract import check_upstream
    from hubtool.upstream.openapi import load_spec
    from hubtool.validate.config.find import find_config
    from hubtool.validate.pipeline import load_file

    config_path = options.config or find_config(options.manifest)
    spec = load_spec(options.openapi)
    doc = load_file(options.manifest)
    report = Report(files=[doc.path if isinstance(doc, Document) else str(options.manifest)])
    if isinstance(doc, Document):
        found = check_upstream(doc, spec, options.examples)
        report.findings = sorted(found, key=Finding.sort_key)
    else:
        report.findings = doc
    if config_path is not None:
        from hubtool.commands.validate import load_checked_config
        from hubtool.validate.config.apply import apply_config

        report = apply_config(report, load_checked_config(config_path), upstream=True)
    fmt, strict, color = options.format, options.strict, options.color
    colour = use_colour(color, sys.stdout)
    files_read(report.files)
    reporter("report", fmt)(report, sys.stdout, strict=strict, colour=colour, **report_options(fmt))
    return exit_code(report, strict)


# --- the click commands ---------------------------------------------------------------------

OPENAPI_OPTION = click.option(
    "--openapi",
    "openapi",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The provider's OpenAPI 3.x or Swagger 2.0 spec (JSON or YAML; a multi-file spec's root).",
)


@click.command("check-upstream")
@click.argument("manifest", type=click.Path(path_type=Path, dir_okay=False))
@OPENAPI_OPTION
@click.option(
    "--examples",
    is_flag=True,
    help="Also check every example's request against the provider's schemas.",
)
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True
)
@STRICT_OPTION
@COLOR_OPTION
@CONFIG_OPTION
def check_upstream_command(
    manifest: Path,
    openapi: Path,
    examples: bool,
    fmt: str,
    strict: bool,
    color: str,
    config: Path | None,
) -> None:
    """Check MANIFEST's actions against the provider's own OpenAPI spec (upstream-* rules)."""
    options = CheckUpstreamOptions(manifest, openapi, examples, fmt, strict, color, config)
    sys.exit(run_check_upstream(options))
