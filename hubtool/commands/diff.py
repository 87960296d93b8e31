"""diff, bump, ci: classify changes, gate the version, and the hub repository's CI gate."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from hubtool.commands import exit_code, use_colour
from hubtool.core.errors import EXIT_CANNOT_RUN, EXIT_CLEAN, EXIT_FINDINGS, HubtoolError
from hubtool.core.escape import terminal
from hubtool.core.limits import MAX_BYTES


@dataclass(frozen=True)
class DiffOptions:
    paths: tuple[Path, ...]
    base: str | None = None
    format: str = "text"
    color: str = "auto"
    max_bytes: int = MAX_BYTES
    verbose: bool = False


def run_diff(options: DiffOptions) -> int:
    from hubtool.diff.compare import check_new_versions, compare_files, compare_to_ref
    from hubtool.report import reporter

    if options.base is not None:
        results = compare_to_ref(options.base, list(options.paths), options.max_bytes)
    elif len(options.paths) == 2:
        results = [compare_files(*options.paths, max_bytes=options.max_bytes)]
    else:
        raise click.UsageError("give two manifest files (OLD NEW), or --base REF [PATH...]")
    check_new_versions(results, options.max_bytes)
    if options.format == "json":
        reporter("diff", "json")(results, sys.stdout, options.base)
    elif options.format == "markdown":
        reporter("diff", "markdown")(results, sys.stdout, verbose=options.verbose)
    elif options.format in ("sarif", "github"):
        _report_gate(results, options.format)
    else:
        colour = use_colour(options.color, sys.stdout)
        reporter("diff", "text")(results, sys.stdout, colour=colour, verbose=options.verbose)
    if any(r.crashed for r in results):
        message = "the change classification crashed (see above); the verdict is incomplete"
        click.echo(f"hubtool: internal error: {message}; please report it", err=True)
        return EXIT_CANNOT_RUN
    return EXIT_CLEAN if all(r.verdict.ok for r in results) else EXIT_FINDINGS


def _report_gate(results: list, fmt: str) -> None:  # list[ManifestDiff]; lazy import
    from hubtool.core.findings import Finding, Report
    from hubtool.diff.compare import gate_findings
    from hubtool.report import reporter

    findings = sorted(gate_findings(results), key=Finding.sort_key)
    reporter("report", fmt)(Report([r.file for r in results], findings), sys.stdout)


@dataclass(frozen=True)
class CiOptions:
    base: str
    all_files: bool = False
    format: str = "text"
    strict: bool = False
    color: str = "auto"
    config: Path | None = None
    max_bytes: int = MAX_BYTES


def run_ci_gate(options: CiOptions) -> int:
    from hubtool.ci.run import run_ci
    from hubtool.report import reporter
    from hubtool.validate.pipeline import default_paths

    catalog = default_paths()[0]
    config = options.config.absolute() if options.config else None
    os.chdir(catalog.parents[2])  # paths in annotations and SARIF are relative to the repo root
    # the configuration is read at the tip of --base, never from the pull request's work tree
    result = run_ci(options.base, options.all_files, config, options.max_bytes)
    if options.format == "json":
        reporter("ci", "json")(result, sys.stdout, options.strict)
    else:
        colour = use_colour(options.color, sys.stdout)
        show = reporter("report", options.format)
        show(result.report, sys.stdout, strict=options.strict, colour=colour)
    return exit_code(result.report, options.strict)


def display_path(path: Path) -> Path:
    """``path`` relative to the working directory where possible (as findings show paths)."""
    try:
        return path.absolute().relative_to(Path.cwd())
    except ValueError:
        return path


def run_bump(paths: tuple[Path, ...], base: str) -> int:
    """Exit 1 when a manifest still fails the gate and cannot be bumped automatically."""
    from hubtool.diff import gitrefs
    from hubtool.diff.bump import set_version, target_version, write_target
    from hubtool.diff.compare import compare_to_ref

    failed = False
    # a link named on the command line is bumped as its target (inside the repository only)
    targets = [write_target(p, gitrefs.repo_root(p.absolute())) for p in paths]
    for result in compare_to_ref(base, [display_path(p) for p in targets]):
        version = target_version(result)
        if version is None or result.new is None:
            state = "passes the gate" if result.verdict.ok else "cannot be bumped automatically"
            failed = failed or not result.verdict.ok
            click.echo(f"{terminal(result.file)}: {terminal(result.new_version or '-')} {state}")
            if result.crashed:
                raise HubtoolError(f"{result.file}: {result.verdict.problems[0]}")
            continue
        offset = result.new.values.get("/version")
        if offset is None:
            raise HubtoolError(f"{result.file}: has no version to bump")
        path = Path(result.file)
        set_version(
            write_target(path, gitrefs.repo_root(path.absolute())), result.new.text, offset, version
        )
        why = result.verdict.required_bump
        why = "no" if why in (None, "none") else why
        click.echo(
            f"{terminal(result.file)}: {terminal(result.new_version)} -> {terminal(version)} "
            f"({why} changes since {terminal(base)})"
        )
    return EXIT_FINDINGS if failed else EXIT_CLEAN
