"""Command line: click definitions only. Each command builds options and calls a run_* function
from ``hubtool.commands``; ``main`` is the one boundary that maps every outcome to an exit code.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from pathlib import Path

import click

from hubtool import __version__
from hubtool.commands.diff import (
    CiOptions,
    DiffOptions,
    run_bump,
    run_ci_gate,
    run_diff,
)
from hubtool.commands.drafts import (
    ImportOptions,
    default_actor,
    run_drafts_list,
    run_drafts_show,
    run_drafts_step,
    run_import,
    run_render,
)
from hubtool.commands.output import guarded_streams
from hubtool.commands.upstream import ScaffoldOptions, run_check_upstream, run_scaffold
from hubtool.commands.validate import ValidateOptions, run_kinds, run_rules, run_validate
from hubtool.core.errors import (
    EXIT_CANNOT_RUN,
    EXIT_CLEAN,
    EXIT_INTERRUPTED,
    HubtoolError,
)
from hubtool.core.escape import terminal
from hubtool.core.limits import MAX_BYTES

FORMATS = ("text", "json")
REPORT_FORMATS = ("text", "json", "sarif", "github")

STRICT_OPTION = click.option("--strict", is_flag=True, help="Warnings fail the run too.")
COLOR_OPTION = click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto: on a terminal, unless NO_COLOR).",
)
MAX_BYTES_OPTION = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=MAX_BYTES,
    show_default=True,
    help="Larger files are refused: a json-syntax finding (validate, ci) or exit 2 (diff).",
)
CONFIG_OPTION = click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Severities and waivers (default: .hubtool.yaml at the catalog repository's root; "
    "ci reads it at the tip of --base).",
)


class OutputError(Exception):
    """Standard output could not take the report (a closed pipe, a full disk): exit 2."""


def _flush_stdout() -> None:
    """Write out buffered output now, inside the error boundary, not at interpreter exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        raise OutputError(f"cannot write the output: {exc.strerror or exc}") from None


def _discard_stdout() -> None:
    """Point stdout at the null device, so the exit flush cannot fail again (exit code 120)."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


_WRITE_ERRORS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


class _Group(click.Group):
    """Output errors surface as OutputError: click itself would exit 1 on a closed pipe."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            try:
                return super().invoke(ctx)
            finally:
                _flush_stdout()
        except OSError as exc:
            if exc.errno not in _WRITE_ERRORS:
                raise
            where = exc.filename or "the output"
            raise OutputError(f"cannot write {where}: {exc.strerror or exc}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hubtool")
def cli() -> None:
    """Validate, diff and import Harbor Dock / Hub integration manifests.

    Exit codes: 0 clean, 1 findings, 2 the run could not complete.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True
)
@STRICT_OPTION
@COLOR_OPTION
@MAX_BYTES_OPTION
@CONFIG_OPTION
def validate(
    paths: tuple[Path, ...], fmt: str, strict: bool, color: str, max_bytes: int, config: Path | None
) -> None:
    """Validate manifests (default: the whole catalog). PATHS are files or directories."""
    options = ValidateOptions(paths, fmt, strict, color, max_bytes, config)
    sys.exit(run_validate(options))


_MERGE_BASE = (
    "the merge base of REF and HEAD (where the branch forked from REF, as 'git diff REF...'). "
    "A clone without that commit (shallow) exits 2: fetch with fetch-depth: 0."
)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--base", metavar="REF", help=f"Compare each catalog manifest with its version at {_MERGE_BASE}"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "sarif", "github"]),
    default="text",
    show_default=True,
)
@click.option(
    "--verbose", "-v", is_flag=True, help="Text and markdown: list unchanged manifests too."
)
@COLOR_OPTION
@MAX_BYTES_OPTION
def diff(
    paths: tuple[Path, ...], base: str | None, fmt: str, verbose: bool, color: str, max_bytes: int
) -> None:
    """Classify changes between OLD and NEW (or the catalog and REF) and gate the version.

    \b
    hubtool diff OLD.json NEW.json
    hubtool diff --base origin/main [PATH...]
    """
    sys.exit(run_diff(DiffOptions(paths, base, fmt, color, max_bytes, verbose)))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--base",
    metavar="REF",
    default="HEAD",
    show_default=True,
    help=f"The released versions: each manifest as it was at {_MERGE_BASE}",
)
def bump(paths: tuple[Path, ...], base: str) -> None:
    """Write the minimum acceptable version into each changed manifest (only the version)."""
    sys.exit(run_bump(paths, base))


@cli.command()
@click.option(
    "--base",
    metavar="REF",
    required=True,
    help=f"The base branch or commit, e.g. origin/main; compares with {_MERGE_BASE}",
)
@click.option(
    "--all", "all_files", is_flag=True, help="Validate the whole catalog, not only changes."
)
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True
)
@STRICT_OPTION
@COLOR_OPTION
@CONFIG_OPTION
@MAX_BYTES_OPTION
def ci(
    base: str,
    all_files: bool,
    fmt: str,
    strict: bool,
    color: str,
    config: Path | None,
    max_bytes: int,
) -> None:
    """The hub repository's gate: validate changed manifests, catalog checks, version gate.

    \b
    The pull request is untrusted. The .hubtool.yaml applied is the one committed at
    REF's tip (the policy of the branch the pull request merges into, as its
    maintainers hold it now; none there means the defaults), never the work tree's nor
    an older one the branch forked from: a pull request cannot lower a severity, add a
    waiver or allow a value for itself, nor keep a waiver the base branch removed. Its
    own change to .hubtool.yaml (against the merge base) is a `config-changed` finding
    for review, applies once merged, and is scanned for credentials, comments included.
    The catalog is walked without following links: links, FIFOs, submodules and odd
    names are `catalog-tree` findings.
    """
    sys.exit(run_ci_gate(CiOptions(base, all_files, fmt, strict, color, config, max_bytes)))


@cli.command("check-upstream")
@click.argument("manifest", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--openapi",
    "openapi",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The provider's OpenAPI 3.x spec (JSON or YAML).",
)
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


STORE_OPTION = click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="Draft store file (default: $HUBTOOL_STORE or ~/.local/share/hubtool/store.sqlite3).",
)
ACTOR_OPTION = click.option(
    "--actor",
    default=default_actor,
    show_default="$HUBTOOL_ACTOR or login",
    help="Who the step is recorded as.",
)


@cli.command("import")
@click.argument("name")
@STORE_OPTION
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--node",
    metavar="URL",
    is_flag=False,
    flag_value="http://127.0.0.1:11821",
    default=None,
    help="Create the drafts on a Harbor Node instead (default address http://127.0.0.1:11821).",
)
@ACTOR_OPTION
def import_(
    name: str, store: Path | None, dry_run: bool, fmt: str, node: str | None, actor: str
) -> None:
    """Import a manifest (publisher slug, manifest slug or path) as a port shell and drafts."""
    sys.exit(run_import(ImportOptions(name, store, dry_run, fmt, node, actor)))


@cli.group()
def drafts() -> None:
    """Action drafts: list, show, and Harbor's lifecycle (validate, test, publish...)."""


@drafts.command("list")
@STORE_OPTION
@click.option(
    "--state",
    type=click.Choice(
        ["draft", "validated", "tested", "publish_requested", "published", "rejected", "superseded"]
    ),
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def drafts_list(store: Path | None, state: str | None, fmt: str) -> None:
    """List drafts."""
    sys.exit(run_drafts_list(store, state, fmt))


@drafts.command("show")
@click.argument("draft_id")
@STORE_OPTION
def drafts_show(draft_id: str, store: Path | None) -> None:
    """Show one draft with its template, input schema and history (JSON)."""
    sys.exit(run_drafts_show(store, draft_id))


def _step_command(step: str, help_text: str) -> None:
    @drafts.command(step, help=help_text)
    @click.argument("ids", nargs=-1)
    @STORE_OPTION
    @ACTOR_OPTION
    @click.option("--note", default="", help="A note recorded with the transition.")
    def command(ids: tuple[str, ...], store: Path | None, actor: str, note: str) -> None:
        sys.exit(run_drafts_step(store, step, ids, actor, note))


_step_command("validate", "Validate drafts (default: every active draft).")
_step_command("test", "Render every example of each draft offline (validates drafts first).")
_step_command("request-publish", "Ask an operator to publish tested drafts.")


@drafts.command("publish")
@click.argument("ids", nargs=-1, required=True)
@click.option("--operator", required=True, help="The operator publishing (agents request instead).")
@STORE_OPTION
@click.option("--note", default="")
def drafts_publish(ids: tuple[str, ...], operator: str, store: Path | None, note: str) -> None:
    """Publish tested drafts as an operator."""
    sys.exit(run_drafts_step(store, "publish", ids, f"operator:{operator}", note))


@drafts.command("reject")
@click.argument("ids", nargs=-1, required=True)
@click.option("--operator", required=True, help="The operator rejecting the drafts.")
@STORE_OPTION
@click.option("--note", default="", help="Why.")
def drafts_reject(ids: tuple[str, ...], operator: str, store: Path | None, note: str) -> None:
    """Reject drafts as an operator."""
    sys.exit(run_drafts_step(store, "reject", ids, f"operator:{operator}", note))


@cli.command()
@click.argument("name")
@click.argument("action")
@click.option(
    "--input",
    "input_file",
    required=True,
    metavar="FILE|-",
    help="The input {path, query, body} as JSON; - reads standard input.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def render(name: str, action: str, input_file: str, fmt: str) -> None:
    """Show the exact HTTP request ACTION of manifest NAME sends for an input (token redacted)."""
    sys.exit(run_render(name, action, input_file, fmt))


@cli.command()
@click.option(
    "--openapi",
    "openapi",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The provider's OpenAPI 3.x spec (JSON or YAML).",
)
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
def scaffold(
    openapi: Path,
    operation: str,
    slug: str | None,
    body_fields: tuple[str, ...],
    into: Path | None,
    fmt: str,
) -> None:
    """Write a bounded action template for one OpenAPI operation (see the README)."""
    sys.exit(run_scaffold(ScaffoldOptions(openapi, operation, slug, body_fields, into, fmt)))


REGISTRY_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)


@cli.command()
@REGISTRY_FORMAT
def rules(fmt: str) -> None:
    """List every rule (markdown: the full documentation with examples)."""
    sys.exit(run_rules(fmt))


@cli.command()
@REGISTRY_FORMAT
def kinds(fmt: str) -> None:
    """List every change kind with its version bump (markdown: the full documentation)."""
    sys.exit(run_kinds(fmt))


def main(argv: list[str] | None = None) -> None:
    """The one boundary that maps every outcome to an exit code.

    Output goes through guarded streams (``hubtool.commands.output``), and every message that
    quotes the user's input (usage errors, errors, internal errors) through ``escape.terminal``:
    redacted, control characters visible, never a workflow command.
    """
    with guarded_streams():
        _run(argv)


def _error(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _show_click_error(exc: click.ClickException) -> None:
    """Click's usage and error text, with its message (which quotes argv) made safe."""
    message = exc.format_message()
    shown = io.StringIO()
    exc.show(file=shown)
    text = shown.getvalue()
    if message and text.endswith(f"{message}\n"):
        text = text[: -len(message) - 1] + terminal(message) + "\n"
    else:
        text = "\n".join(terminal(line) for line in text.splitlines()) + "\n"
    sys.stderr.write(text)
    sys.stderr.flush()


def _run(argv: list[str] | None) -> None:
    try:
        cli.main(args=argv, prog_name="hubtool", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _show_click_error(exc)
        sys.exit(EXIT_CANNOT_RUN)
    except click.exceptions.Abort:
        sys.exit(EXIT_INTERRUPTED)
    except HubtoolError as exc:
        _error(f"hubtool: error: {terminal(exc.message)}")
        for line in exc.details:
            _error(f"  {terminal(line)}")
        sys.exit(EXIT_CANNOT_RUN)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except (OutputError, BrokenPipeError) as exc:
        _discard_stdout()
        _error(f"hubtool: error: {terminal(exc)}")
        sys.exit(EXIT_CANNOT_RUN)
    except Exception as exc:
        if os.environ.get("HUBTOOL_DEBUG"):
            raise
        _error(f"hubtool: internal error: {type(exc).__name__}: {terminal(exc)}")
        _error(
            "hubtool: please report this at the hubtool issue tracker "
            "(set HUBTOOL_DEBUG=1 for a traceback)"
        )
        sys.exit(EXIT_CANNOT_RUN)
    sys.exit(EXIT_CLEAN)
