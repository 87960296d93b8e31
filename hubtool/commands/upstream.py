"""check-upstream: a manifest's actions against the provider's OpenAPI spec (scaffold, the
other way, is ``hubtool.commands.scaffold``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hubtool.commands import COLOR_OPTION, REPORT_FORMATS, STRICT_OPTION, exit_code, use_colour


def run_check_upstream(
    manifest: Path, openapi: Path, examples: bool, fmt: str, strict: bool, color: str
) -> int:
    from hubtool.core.findings import Finding, Report
    from hubtool.load.strict import Document
    from hubtool.report import reporter
    from hubtool.upstream.contract import check_upstream
    from hubtool.upstream.openapi import load_spec
    from hubtool.validate.pipeline import load_file

    spec = load_spec(openapi)
    doc = load_file(manifest)
    report = Report(files=[doc.path if isinstance(doc, Document) else str(manifest)])
    if isinstance(doc, Document):
        report.findings = sorted(check_upstream(doc, spec, examples), key=Finding.sort_key)
    else:
        report.findings = doc
    colour = use_colour(color, sys.stdout)
    reporter("report", fmt)(report, sys.stdout, strict=strict, colour=colour)
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
def check_upstream_command(
    manifest: Path, openapi: Path, examples: bool, fmt: str, strict: bool, color: str
) -> None:
    """Check MANIFEST's actions against the provider's own OpenAPI spec (upstream-* rules)."""
    sys.exit(run_check_upstream(manifest, openapi, examples, fmt, strict, color))
