"""Command line: each command collects options and calls a run_* function returning an exit code.

Heavy modules (jsonschema, the rules) are imported inside run_*, so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from hubtool import __version__
from hubtool.errors import (
    EXIT_CANNOT_RUN,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    HubtoolError,
)

FORMATS = ("text", "json")


@dataclass(frozen=True)
class ValidateOptions:
    paths: tuple[Path, ...]
    format: str = "text"
    strict: bool = False
    color: str = "auto"
    max_bytes: int = 1024 * 1024


def use_colour(choice: str, stream: object) -> bool:
    """auto: colour on a terminal unless NO_COLOR is set."""
    if choice != "auto":
        return choice == "always"
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def run_validate(options: ValidateOptions) -> int:
    from hubtool.checker import default_paths, validate
    from hubtool.reporters import REPORTERS

    paths = list(options.paths) or default_paths()
    report = validate(paths, max_bytes=options.max_bytes)
    colour = use_colour(options.color, sys.stdout)
    REPORTERS[options.format](report, sys.stdout, strict=options.strict, colour=colour)
    return EXIT_FINDINGS if report.failed(options.strict) else EXIT_CLEAN


def run_rules(fmt: str) -> int:
    from hubtool.reporters import RULE_REPORTERS

    RULE_REPORTERS[fmt](sys.stdout)
    return EXIT_CLEAN


def run_kinds(fmt: str) -> int:
    from hubtool.reporters import KIND_REPORTERS

    KIND_REPORTERS[fmt](sys.stdout)
    return EXIT_CLEAN


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hubtool")
def cli() -> None:
    """Validate, diff and import Harbor Dock / Hub integration manifests.

    Exit codes: 0 clean, 1 findings, 2 the run could not complete.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto: on a terminal, unless NO_COLOR).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=1024 * 1024,
    show_default=True,
    help="Files larger than this are a json-syntax finding.",
)
def validate(paths: tuple[Path, ...], fmt: str, strict: bool, color: str, max_bytes: int) -> None:
    """Validate manifests (default: the whole catalog). PATHS are files or directories."""
    options = ValidateOptions(paths, fmt, strict, color, max_bytes)
    sys.exit(run_validate(options))


@dataclass(frozen=True)
class DiffOptions:
    paths: tuple[Path, ...]
    base: str | None = None
    format: str = "text"
    color: str = "auto"


def run_diff(options: DiffOptions) -> int:
    from hubtool.compare import compare_files, compare_to_ref
    from hubtool.reporters import diff_json, diff_markdown, diff_text

    if options.base is not None:
        results = compare_to_ref(options.base, list(options.paths))
    elif len(options.paths) == 2:
        results = [compare_files(*options.paths)]
    else:
        raise click.UsageError("give two manifest files (OLD NEW), or --base REF [PATH...]")
    if options.format == "json":
        diff_json(results, sys.stdout, options.base)
    elif options.format == "markdown":
        diff_markdown(results, sys.stdout)
    else:
        diff_text(results, sys.stdout, colour=use_colour(options.color, sys.stdout))
    return EXIT_CLEAN if all(r.verdict.ok for r in results) else EXIT_FINDINGS


def run_bump(paths: tuple[Path, ...], base: str) -> int:
    from hubtool.bump import set_version, target_version
    from hubtool.compare import compare_to_ref

    for result in compare_to_ref(base, list(paths)):
        version = target_version(result)
        if version is None or result.new is None:
            state = "passes the gate" if result.verdict.ok else "cannot be bumped automatically"
            click.echo(f"{result.file}: {result.new_version or '-'} {state}")
            continue
        offset = result.new.values.get("/version")
        if offset is None:
            raise HubtoolError(f"{result.file}: has no version to bump")
        set_version(Path(result.file), result.new.text, offset, version)
        click.echo(
            f"{result.file}: {result.new_version} -> {version} "
            f"({result.verdict.required_bump} changes since {base})"
        )
    return EXIT_CLEAN


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--base", metavar="REF", help="Compare each catalog manifest with its version at REF."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
def diff(paths: tuple[Path, ...], base: str | None, fmt: str, color: str) -> None:
    """Classify changes between OLD and NEW (or the catalog and REF) and gate the version.

    \b
    hubtool diff OLD.json NEW.json
    hubtool diff --base origin/main [PATH...]
    """
    sys.exit(run_diff(DiffOptions(paths, base, fmt, color)))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--base",
    metavar="REF",
    default="HEAD",
    show_default=True,
    help="The released versions to compare with.",
)
def bump(paths: tuple[Path, ...], base: str) -> None:
    """Write the minimum acceptable version into each changed manifest (only the version)."""
    sys.exit(run_bump(paths, base))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
def rules(fmt: str) -> None:
    """List every rule (markdown: the full documentation with examples)."""
    sys.exit(run_rules(fmt))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
def kinds(fmt: str) -> None:
    """List every change kind with its version bump (markdown: the full documentation)."""
    sys.exit(run_kinds(fmt))


def main(argv: list[str] | None = None) -> None:
    """The one boundary that maps every outcome to an exit code."""
    try:
        cli.main(args=argv, prog_name="hubtool", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_CANNOT_RUN)
    except click.exceptions.Abort:
        sys.exit(EXIT_INTERRUPTED)
    except HubtoolError as exc:
        click.echo(f"hubtool: error: {exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(EXIT_CANNOT_RUN)
    except Exception as exc:
        if os.environ.get("HUBTOOL_DEBUG"):
            raise
        click.echo(f"hubtool: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo(
            "hubtool: please report this at the hubtool issue tracker "
            "(set HUBTOOL_DEBUG=1 for a traceback)",
            err=True,
        )
        sys.exit(EXIT_CANNOT_RUN)
    sys.exit(EXIT_CLEAN)
