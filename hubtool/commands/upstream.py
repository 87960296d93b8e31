"""check-upstream and scaffold: the provider's OpenAPI spec, both ways."""

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
    use_colour,
)
from hubtool.core.errors import EXIT_CLEAN
from hubtool.core.escape import json_text, terminal


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
    reporter("report", fmt)(report, sys.stdout, strict=strict, colour=colour)
    return exit_code(report, strict)


def _notes(notes: list[str]) -> None:
    """What the scaffold left out or chose; names from the spec are quoted, credentials never."""
    for note in notes:
        click.echo(f"hubtool: note: {terminal(note)}", err=True)


@dataclass(frozen=True)
class ScaffoldOptions:
    openapi: Path
    operation: str
    slug: str | None = None
    body_fields: tuple[str, ...] = ()
    into: Path | None = None
    format: str = "json"


def run_scaffold(options: ScaffoldOptions) -> int:
    from hubtool.report import write_document
    from hubtool.upstream.openapi import load_spec
    from hubtool.upstream.scaffold import add_to_manifest, scaffold, write_manifest

    spec = load_spec(options.openapi)
    if options.into is None:
        result = scaffold(spec, options.operation, options.slug, options.body_fields)
        _notes(result.notes)
        write_document(sys.stdout, json_text(result.action))
        return EXIT_CLEAN
    placed = add_to_manifest(
        options.into, spec, options.operation, options.slug, options.body_fields
    )
    write_manifest(options.into, placed.text)
    _notes(placed.notes)
    if options.format == "json":
        report = {
            "file": str(options.into),
            "action": placed.action,
            "changes": [
                {"kind": c.kind, "bump": c.bump, "message": c.message} for c in placed.changes
            ],
            "requiredBump": placed.required_bump,
            "minimumVersion": placed.minimum_version,
            "summary": placed.bump_line(),
        }
        write_document(sys.stdout, json_text(report))
    else:
        slug = terminal(repr(placed.action["slug"]))
        click.echo(f"added action {slug} to {terminal(options.into)}")
        click.echo(terminal(placed.bump_line()))
    return EXIT_CLEAN


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


@click.command("scaffold")
@OPENAPI_OPTION
@click.option("--operation", "operation", required=True, metavar="OPERATION_ID")
@click.option("--slug", default=None, help="The action slug (default: <verb>-<resource>).")
@click.option(
    "--body-field",
    "body_fields",
    multiple=True,
    metavar="FIELD",
    help="Keep only these top-level body fields (repeatable; default: every field).",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="MANIFEST",
    help="Append the action to MANIFEST and print the version bump it now needs.",
)
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json")
def scaffold_command(
    openapi: Path,
    operation: str,
    slug: str | None,
    body_fields: tuple[str, ...],
    into: Path | None,
    fmt: str,
) -> None:
    """Write a bounded action template for one OpenAPI operation (see the README)."""
    sys.exit(run_scaffold(ScaffoldOptions(openapi, operation, slug, body_fields, into, fmt)))
