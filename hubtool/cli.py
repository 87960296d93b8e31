"""Command line: the root click group and the one boundary that maps every outcome to an exit
code. Each command group (``hubtool.commands.<group>``) defines its click commands and the run_*
function behind each; they are added to the root group here.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
from collections.abc import Iterator, MutableMapping
from importlib import import_module

import click

from hubtool import __version__
from hubtool.commands.output import (
    WRITE_ERRORS,
    ClosedPipe,
    OutputError,
    discard_stdout,
    flush_stdout,
    guarded_streams,
    output_error,
)
from hubtool.core.errors import (
    EXIT_CANNOT_RUN,
    EXIT_CLEAN,
    EXIT_INTERRUPTED,
    HubtoolError,
)
from hubtool.core.escape import json_text, redacted, terminal

COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": (
        "validate",
        "validate_command",
        "Validate manifests (default: the whole catalog). PATHS are files or directories.",
    ),
    "diff": (
        "diff",
        "diff_command",
        "Classify changes between OLD and NEW (or the catalog and REF) and gate the version.",
    ),
    "bump": (
        "diff",
        "bump_command",
        "Write the minimum acceptable version into each changed manifest (only the version).",
    ),
    "ci": (
        "diff",
        "ci_command",
        "The hub repository's gate: validate changed manifests, catalog checks, version gate.",
    ),
    "check-upstream": (
        "upstream",
        "check_upstream_command",
        "Check MANIFEST's actions against the provider's own OpenAPI spec (upstream-* rules).",
    ),
    "import": (
        "drafts",
        "import_command",
        "Import manifests (publisher slugs, manifest slugs or paths; --all: the catalog) as port "
        "shells and drafts: every manifest is validated first, then all are written in one "
        "transaction, or none.",
    ),
    "drafts": (
        "drafts",
        "drafts_group",
        "Action drafts: list, show, and Harbor's lifecycle (validate, test, publish...).",
    ),
    "render": (
        "drafts",
        "render_command",
        "Show the exact HTTP request ACTION of manifest NAME sends for an input (token redacted).",
    ),
    "scaffold": (
        "scaffold",
        "scaffold_command",
        "Write bounded action templates from OpenAPI operations, or list them (see the README).",
    ),
    "new": (
        "new",
        "new_command",
        "Write a skeleton manifest for PUBLISHER/SLUG at its catalog path.",
    ),
    "rules": (
        "validate",
        "rules_command",
        "List every rule (markdown: the full documentation with examples); RULE_ID: explain "
        "those rules in full.",
    ),
    "schema": (
        "validate",
        "schema_command",
        "Print the manifest JSON Schema hubtool checks with (Draft 2020-12), byte for byte.",
    ),
    "mcp": (
        "mcp",
        "mcp_command",
        "Serve hubtool's authoring workflow to an agent over MCP (stdio; see docs/AGENTS.md).",
    ),
    "kinds": (
        "validate",
        "kinds_command",
        "List every change kind with its version bump (markdown: the full documentation); "
        "KIND_ID: explain those kinds in full.",
    ),
    "hub": (
        "hub",
        "hub_group",
        "The Hub: build the catalog into its SQLite database, serve its API, export it.",
    ),
}
"""Every command and command group: name -> (its module in ``hubtool.commands``, the click
object there, the first paragraph of its help on one line). A command's module is imported
when the command runs, so ``hubtool validate`` loads no other command's code; ``--help`` lists
the commands from this table (``tests/test_cli.py`` checks it against each command's help)."""


class LazyCommands(MutableMapping[str, click.Command]):
    """``COMMANDS`` as click's command mapping: each command imported on first lookup."""

    def __init__(self) -> None:
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attribute, _ = COMMANDS[name]
            command = getattr(import_module(f"hubtool.commands.{module}"), attribute)
            self._loaded[name] = import_module("hubtool.commands.common").equip(command)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("the commands are fixed by COMMANDS")

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self._loaded]))

    def __len__(self) -> int:
        return len(set(COMMANDS) | set(self._loaded))


class _Group(click.Group):
    """Commands load on use (``LazyCommands``); output errors surface as OutputError: click
    itself would exit 1 on a closed pipe."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            try:
                return super().invoke(ctx)
            finally:
                flush_stdout()
        except OSError as exc:
            if exc.errno not in WRITE_ERRORS:
                raise
            raise output_error(exc, exc.filename or "the output") from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's own list, made from the summaries in ``COMMANDS``: no command is imported."""
        listed = [click.Command(name, help=summary) for name, (_, _, summary) in COMMANDS.items()]
        click.Group.format_commands(click.Group(commands=listed), ctx, formatter)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hubtool")
def cli() -> None:
    """Validate, diff and import Harbor Dock / Hub integration manifests.

    Exit codes: 0 clean, 1 findings, 2 the run could not complete.
    """


cli.commands = LazyCommands()


def main(argv: list[str] | None = None) -> None:
    """The one boundary that maps every outcome to an exit code.

    Output goes through guarded streams (``hubtool.commands.output``), and every message that
    quotes the user's input (usage errors, errors, internal errors) through ``escape.terminal``:
    redacted, control characters visible, never a workflow command.
    """
    with guarded_streams():
        _run(argv)


def run() -> None:
    """The process (called by ``hubtool.__main__.main``, the ``hubtool`` console script and
    ``python -m hubtool``, which has set the collector's threshold): ``main``, then the process
    ends.

    On the way out the heap is frozen (``gc.freeze``): the interpreter's final collection would
    otherwise walk every object hubtool loaded, about a tenth of a one-manifest run. Every file
    and store hubtool writes is closed by then, so no finalizer is waited on.
    """
    try:
        main()
    finally:
        gc.freeze()


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


def wants_json(argv: list[str]) -> bool:
    """``--format json`` (or ``--format=json``) among the options, before any ``--``: exit-2
    errors are then also a JSON document on stdout, whatever the command (even when its
    options could not be parsed)."""
    for index, arg in enumerate(argv):
        if arg == "--":
            return False
        if arg == "--format=json" or argv[index : index + 2] == ["--format", "json"]:
            return True
    return False


def _envelope(kind: str, message: str, details: tuple[str, ...] = (), extra: object = None) -> None:
    """The exit-2 error as JSON on stdout: ``{"ok": false, "error": {"kind", "message",
    "details"}}`` plus the ``extra`` fields an error carries (``partial``: what a command did
    before it stopped). Redacted as the stderr line is; written whole, or not at all when stdout
    cannot take it (the stderr line stands)."""
    document: dict[str, object] = dict(extra) if isinstance(extra, dict) else {}
    error = {"kind": kind, "message": redacted(message), "details": [redacted(d) for d in details]}
    document = {"ok": False, "error": error, **document}
    with contextlib.suppress(OSError, ValueError, OutputError):
        write = getattr(sys.stdout, "write_document", None) or sys.stdout.write
        write(json_text(document))
        flush_stdout()


def _run(argv: list[str] | None) -> None:
    as_json = wants_json(sys.argv[1:] if argv is None else argv)
    try:
        cli.main(args=argv, prog_name="hubtool", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _show_click_error(exc)
        if as_json:
            _envelope("usage", exc.format_message())
        sys.exit(EXIT_CANNOT_RUN)
    except click.exceptions.Abort:
        sys.exit(EXIT_INTERRUPTED)
    except HubtoolError as exc:
        _error(f"hubtool: error: {terminal(exc.message)}")
        for line in exc.details:
            _error(f"  {terminal(line)}")
        if as_json:
            _envelope("error", exc.message, exc.details, getattr(exc, "partial", None))
        sys.exit(EXIT_CANNOT_RUN)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except (ClosedPipe, BrokenPipeError):
        discard_stdout()  # the reader went away: silent, as git and ruff are
        sys.exit(EXIT_CANNOT_RUN)
    except OutputError as exc:
        if as_json:  # another output than stdout failed: stdout may still take the envelope
            _envelope("output", str(exc))
        discard_stdout()
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
        if as_json:
            _envelope("internal", f"internal error: {type(exc).__name__}: {exc}")
        sys.exit(EXIT_CANNOT_RUN)
    sys.exit(EXIT_CLEAN)
